// Several modules, compiled with -C codegen-units=16: LLVM runs on many threads.
mod a { pub fn f(x: u64) -> u64 { (0..x).map(|i| i * i).sum() } }
mod b { pub fn g(v: &[u64]) -> u64 { v.iter().copied().fold(0, |a, b| a ^ b.rotate_left(3)) } }
mod c { pub fn h(s: &str) -> String { s.chars().rev().collect() } }
fn main() {
    let v: Vec<u64> = (1..100).map(a::f).collect();
    println!("{} {} {}", a::f(10), b::g(&v), c::h("staticdl"));
}

// A type error: rustc must print E0308 and exit with 1.
fn main() {
    let x: i32 = "not a number";
    println!("{}", x);
}

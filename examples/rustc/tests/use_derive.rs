// Uses #[derive(Hello)] from hello_derive.rs, a proc macro built by the same host.
#[macro_use]
extern crate hello_derive;

#[derive(Hello)]
struct Point { x: i32, y: i32 }

fn main() {
    let p = Point { x: 1, y: 2 };
    println!("{} ({}, {})", Point::hello(), p.x, p.y);
}

// A derive proc macro, compiled by the hybrid rustc and then dlopen()ed by it.
extern crate proc_macro;
use proc_macro::TokenStream;

/// #[derive(Hello)] adds `fn hello() -> String` naming the type and its fields.
#[proc_macro_derive(Hello)]
pub fn derive_hello(input: TokenStream) -> TokenStream {
    let mut tokens = input.into_iter();
    let mut name = String::new();
    let mut fields = Vec::new();
    while let Some(t) = tokens.next() {
        if t.to_string() == "struct" {
            name = tokens.next().map(|t| t.to_string()).unwrap_or_default();
            if let Some(proc_macro::TokenTree::Group(g)) = tokens.next() {
                let mut prev = String::new();
                for tt in g.stream() {
                    let s = tt.to_string();
                    if s == ":" { fields.push(prev.clone()); }
                    prev = s;
                }
            }
            break;
        }
    }
    format!("impl {name} {{ pub fn hello() -> String {{ String::from(\"Hello from {name} with fields {}\") }} }}",
            fields.join(", ")).parse().unwrap()
}

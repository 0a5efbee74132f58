//! Emits the tests of a service through the runtime's `example_tests!`: one test checks every
//! documented example (success bodies decode into the response type and encode back to the same
//! JSON; error bodies decode into the documented error variant), one feeds malformed variants of
//! the success examples to every operation's response decoding (the runtime's bounded fuzzing).
//! A new spec is tested without new test code.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Operation;

/// The example tests of the operations a crate holds of a service, or nothing if it holds none.
pub fn tests(operations: &[&Operation]) -> TokenStream {
    if operations.is_empty() {
        return quote!();
    }
    let operations = operations.iter().map(|op| {
        let module = ident(&op.module);
        let name = |ex: &crate::ir::Example| format!("{} {}", op.wire_name, ex.name);
        let successes = op.examples.iter().filter(|ex| ex.error_variant.is_none()).map(|ex| {
            let (name, body) = (name(ex), &ex.body);
            quote!(#name #body)
        });
        let errors = op.examples.iter().filter_map(|ex| {
            let variant = ex.error_variant.as_ref()?;
            let (name, status, body) = (name(ex), proc_macro2::Literal::u16_unsuffixed(ex.status), &ex.body);
            Some(quote!(#name #status #body #variant))
        });
        quote!(#module [#(#successes),*] [#(#errors),*])
    });
    quote!(crate::__private::example_tests!(#(#operations),*);)
}

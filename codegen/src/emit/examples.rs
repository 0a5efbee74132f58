//! Emits the tests of a service: one checks every documented example (success bodies decode into
//! the response type and encode back to the same JSON; error bodies decode into the documented
//! error variant), one feeds malformed variants of the success examples to every operation's
//! response decoding (the runtime's bounded fuzzing). A new spec is tested without new test code.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Service;

/// The `#[cfg(test)]` module of a service, or nothing if it has no examples.
pub fn tests(service: &Service) -> TokenStream {
    let checks: Vec<TokenStream> = service
        .operations
        .iter()
        .flat_map(|op| op.examples.iter().map(move |ex| (op, ex)))
        .map(|(op, ex)| {
            let name = format!("{} {}", op.wire_name, ex.name);
            let module = ident(&op.module);
            let body = &ex.body;
            let status = ex.status;
            match &ex.error_variant {
                None => quote!(super::#module::Response::check_example(#name, #body);),
                Some(variant) => quote!(super::#module::Request::check_error_example(#name, #status, #body, #variant);),
            }
        })
        .collect();
    if service.operations.is_empty() {
        return quote!();
    }
    let documented = (!checks.is_empty()).then(|| {
        let examples = service.operations.iter().flat_map(|op| &op.examples);
        let (errors, successes): (Vec<_>, Vec<_>) = examples.partition(|ex| ex.error_variant.is_some());
        let success_trait = (!successes.is_empty()).then(|| quote!(Example as _,));
        let error_trait = (!errors.is_empty()).then(|| quote!(ErrorExample as _,));
        quote! {
            #[test]
            fn documented_examples_decode() {
                use crate::__private::{#error_trait #success_trait};
                #(#checks)*
            }
        }
    });
    let fuzzed = service.operations.iter().map(|op| {
        let module = ident(&op.module);
        let bodies = op.examples.iter().filter(|ex| ex.error_variant.is_none()).map(|ex| &ex.body);
        quote!(crate::__private::malformed_responses::<super::#module::Request>(&[#(#bodies),*]);)
    });
    quote! {
        #[cfg(test)]
        mod examples {
            #documented
            #[test]
            fn malformed_responses_do_not_panic() {
                #(#fuzzed)*
            }
        }
    }
}

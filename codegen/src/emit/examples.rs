//! Emits one test per service that checks every documented example: success bodies decode into
//! the response type and encode back to the same JSON; error bodies decode into the documented
//! error variant. A new spec's examples are tested without new test code.

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
    if checks.is_empty() {
        return quote!();
    }
    let examples = service.operations.iter().flat_map(|op| &op.examples);
    let (errors, successes): (Vec<_>, Vec<_>) = examples.partition(|ex| ex.error_variant.is_some());
    let success_trait = (!successes.is_empty()).then(|| quote!(Example as _,));
    let error_trait = (!errors.is_empty()).then(|| quote!(ErrorExample as _,));
    quote! {
        #[cfg(test)]
        mod examples {
            use crate::__private::{#error_trait #success_trait};
            #[test]
            fn documented_examples_decode() {
                #(#checks)*
            }
        }
    }
}

//! Emits a test per documented example: success bodies decode into the response type and
//! encode back to the same JSON; error bodies decode into the documented error variant. A new
//! spec's examples are tested without new test code.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Service;

/// The `#[cfg(test)]` module of a service, or nothing if it has no examples.
pub fn tests(service: &Service) -> TokenStream {
    let tests: Vec<TokenStream> = service
        .operations
        .iter()
        .flat_map(|op| op.examples.iter().map(move |ex| (op, ex)))
        .map(|(op, ex)| {
            let name = ident(&format!("{}_{}", op.module, ex.name));
            let module = ident(&op.module);
            let body = &ex.body;
            let status = ex.status;
            match &ex.error_variant {
                None => quote! {
                    #[test]
                    fn #name() {
                        assert_eq!(crate::__private::example_round_trip::<super::#module::Response>(#body), Ok(()));
                    }
                },
                Some(variant) => {
                    let variant = ident(variant);
                    quote! {
                        #[test]
                        fn #name() {
                            let error = crate::__private::decode_example_error::<super::#module::Request>(#status, #body);
                            assert!(matches!(error, super::#module::Error::#variant(_)), "{error:?}");
                        }
                    }
                }
            }
        })
        .collect();
    if tests.is_empty() {
        return quote!();
    }
    quote! {
        #[cfg(test)]
        mod examples {
            #(#tests)*
        }
    }
}

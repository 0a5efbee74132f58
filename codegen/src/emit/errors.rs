//! Emits an operation's error enum: one variant per documented code, then the unmodelled
//! provider error and the request-side failures.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir::Operation;

/// The `Error` enum of an operation.
pub fn error(op: &Operation) -> TokenStream {
    let doc = format!(" Errors of `{}`.", op.wire_name);
    let variants = op.errors.iter().map(|e| {
        let name = ident(&e.name);
        let variant_docs = docs(&e.docs);
        quote!(#variant_docs #name(crate::ServiceError),)
    });
    let names: Vec<_> = op.errors.iter().map(|e| ident(&e.name)).collect();
    let codes = op.errors.iter().map(|e| &e.code);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            /// A provider error whose code is not documented for this operation.
            Unmodelled(crate::ServiceError),
            /// The call did not get a provider answer: invalid parameters, credentials,
            /// transport failure, timeout, or a response that could not be decoded.
            Request(crate::RequestError),
        }
        impl crate::__private::OperationError for Error {
            fn from_service(error: crate::ServiceError) -> Self {
                match error.code() {
                    #(#codes => Self::#names(error),)*
                    _ => Self::Unmodelled(error),
                }
            }
            fn from_request(error: crate::RequestError) -> Self {
                Self::Request(error)
            }
            fn service_error(&self) -> Option<&crate::ServiceError> {
                match self {
                    #(Self::#names(error) |)* Self::Unmodelled(error) => Some(error),
                    Self::Request(_) => None,
                }
            }
            fn request_error(&self) -> Option<&crate::RequestError> {
                match self {
                    Self::Request(error) => Some(error),
                    _ => None,
                }
            }
        }
        crate::__private::impl_operation_error!(Error);
    }
}

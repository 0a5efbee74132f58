//! Emits an operation's error enum: one variant per documented code, then the unmodelled
//! provider error and the request-side failures.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, docs, ident};
use crate::ir::Operation;

/// The `Error` enum of an operation.
pub fn error(op: &Operation) -> TokenStream {
    let doc = doc(&format!(" Errors of `{}`.", op.wire_name));
    let variants = op.errors.iter().map(|e| {
        let name = ident(&e.name);
        let variant_docs = docs(&e.docs);
        quote!(#variant_docs #name(crate::ServiceError),)
    });
    let names = op.errors.iter().map(|e| ident(&e.name));
    let codes = op.errors.iter().map(|e| &e.code);
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            /// A provider error whose code is not documented for this operation.
            Unmodelled(crate::ServiceError),
            /// No provider answer: invalid parameters, credentials, transport, timeout, or an undecodable response.
            Request(crate::RequestError),
        }
        crate::__private::impl_operation_error!(Error { #(#names = #codes),* });
    }
}

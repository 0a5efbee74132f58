//! Emits error enums: the service's `CommonError` (one variant per common error of its
//! service.yaml), and each operation's `Error`: one variant per documented error of the
//! operation (by code, or by HTTP status alone), `Common` for the service's, then the
//! unmodelled provider error and the request-side failures.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, docs, ident};
use crate::ir::{ErrorVariant, Operation, Service};

/// The variants, and the `{ Variant = "code" } status { Variant = 404 }` table the runtime's
/// macros take (`status` only when some error is documented by its status alone, or `always`).
fn parts(errors: &[ErrorVariant], always: bool) -> (Vec<TokenStream>, TokenStream) {
    let variants = errors
        .iter()
        .map(|e| {
            let name = ident(&e.name);
            let variant_docs = docs(&e.docs);
            quote!(#variant_docs #name(crate::ServiceError),)
        })
        .collect();
    let (by_code, by_status): (Vec<_>, Vec<_>) = errors.iter().partition(|e| e.code.is_some());
    let names = by_code.iter().map(|e| ident(&e.name));
    let codes = by_code.iter().map(|e| e.code.clone().unwrap_or_default());
    let status_names = by_status.iter().map(|e| ident(&e.name));
    let statuses = by_status.iter().map(|e| Literal::u16_unsuffixed(e.status));
    let status = (always || !by_status.is_empty()).then(|| quote!(status { #(#status_names = #statuses),* }));
    let table = quote!({ #(#names = #codes),* } #status);
    (variants, table)
}

/// The `Error` enum of an operation, and its table for the runtime's `operation_items!`
/// (`errors { Variant = "code" } status { Variant = 404 } common(super::CommonError)`).
pub fn error(op: &Operation) -> (TokenStream, TokenStream) {
    let doc = doc(&format!(" Errors of `{}`.", op.wire_name));
    let (variants, table) = parts(&op.errors, false);
    let (common_variant, common) = if op.common_errors {
        (
            quote! {
                /// An error every operation of this service can return (see [`super::CommonError`]).
                Common(super::CommonError),
            },
            quote!(common(super::CommonError)),
        )
    } else {
        (quote!(), quote!())
    };
    // `Debug` comes from the runtime's macro too.
    let definition = quote! {
        #doc
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            #common_variant
            /// A provider error that is not documented for this operation.
            Unmodelled(crate::ServiceError),
            /// No provider answer: invalid parameters, credentials, transport, timeout, or an undecodable response.
            Request(crate::RequestError),
        }
    };
    (definition, quote!(errors #table #common))
}

/// The service's `CommonError` enum, or nothing when its service.yaml lists no errors.
pub fn common(service: &Service) -> TokenStream {
    if service.common_errors.is_empty() {
        return quote!();
    }
    let (variants, table) = parts(&service.common_errors, true);
    quote! {
        /// Errors every operation of this service can return (the `errors` of its service.yaml);
        /// each operation's `Error` holds one in its `Common` variant.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum CommonError {
            #(#variants)*
        }
        crate::__private::impl_common_error!(CommonError #table);
    }
}

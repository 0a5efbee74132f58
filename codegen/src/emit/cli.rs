//! Emits the table the command-line tool is built from: per service, each operation's name and
//! a function that decodes the arguments into the typed request, sends it and encodes the typed
//! response as JSON; for a paged operation also one that streams every page, and for one with a
//! waiter one that polls until its task ends. The parameters' names, kinds and help come from
//! the embedded specs at run time, so they are not repeated here. Compiled only with the
//! crate's `json-calls` feature.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Operation, Service};

fn operation(op: &Operation) -> TokenStream {
    let module = ident(&op.module);
    let mut entry = quote!(crate::__private::calls::operation::<#module::Request>());
    if op.pagination.is_some() {
        entry = quote!(#entry.paged::<#module::Request>());
    }
    if op.waiter.is_some() {
        entry = quote!(#entry.waited::<#module::Request>());
    }
    entry
}

/// The service's table callable by name (the command-line tool).
pub fn service_table(service: &Service) -> TokenStream {
    let operations = service.operations.iter().map(operation);
    let provider = service.provider.word();
    let name = &service.module;
    quote! {
        /// This service's operations, callable by name (the command-line tool).
        #[cfg(feature = "json-calls")]
        pub(crate) static CALLS: crate::__private::calls::Service = crate::__private::calls::Service {
            provider: #provider,
            name: #name,
            spec: &SERVICE,
            operations: &[#(#operations),*],
        };
    }
}

/// A provider's list of service tables, inside its module of the index file.
pub fn provider_list(services: &[&Service]) -> TokenStream {
    let tables = services.iter().map(|s| {
        let module = ident(&s.module);
        quote!(&#module::CALLS)
    });
    quote! {
        /// This provider's services, callable by name (the command-line tool).
        #[cfg(feature = "json-calls")]
        pub(crate) static CALL_SERVICES: &[&crate::__private::calls::Service] = &[#(#tables),*];
    }
}

/// The list of every enabled service's table, in the index file.
pub fn index_list(providers: &[crate::ir::Provider]) -> TokenStream {
    let entries = providers.iter().map(|p| {
        let module = ident(p.word());
        let feature = p.word();
        quote! {
            #[cfg(feature = #feature)]
            services.extend_from_slice(#module::CALL_SERVICES);
        }
    });
    quote! {
        /// Every enabled service's operations, callable by name (the command-line tool).
        #[cfg(feature = "json-calls")]
        pub(crate) fn json_call_services() -> Vec<&'static crate::__private::calls::Service> {
            #[allow(unused_mut)]
            let mut services = Vec::new();
            #(#entries)*
            services
        }
    }
}

//! Emits what waiters and paginators need from an operation: reading the task state and
//! progress from a response, and reading and setting the page of a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Pagination, RustType, Step, Waiter};

/// An expression of type `Option<&T>` reaching the end of `steps` from `root`: plain field
/// access while fields are required, `Option` combinators from the first optional one.
fn read(root: &TokenStream, steps: &[Step]) -> TokenStream {
    let mut place = root.clone();
    let mut optional: Option<TokenStream> = None;
    for step in steps {
        let field = ident(&step.field);
        optional = match (optional, step.optional) {
            (None, false) => {
                place = quote!(#place.#field);
                None
            }
            (None, true) => Some(quote!(#place.#field.as_ref())),
            (Some(expr), true) => Some(quote!(#expr.and_then(|value| value.#field.as_ref()))),
            (Some(expr), false) => Some(quote!(#expr.map(|value| &value.#field))),
        };
    }
    optional.unwrap_or_else(|| quote!(::core::option::Option::Some(&#place)))
}

/// `impl TaskStatus for Response`: the declared running, succeeded and failed states.
pub fn task_status(w: &Waiter) -> TokenStream {
    let state = read(&quote!(self), &w.status);
    let enum_name = ident(&w.enum_name);
    let arm = |variants: &[String], outcome: &str| {
        let outcome = ident(outcome);
        let variants: Vec<_> = variants.iter().map(|v| ident(v)).collect();
        if variants.is_empty() {
            quote!()
        } else {
            quote!(::core::option::Option::Some(#(#enum_name::#variants)|*) => crate::TaskState::#outcome,)
        }
    };
    let running = arm(&w.running, "Running");
    let succeeded = arm(&w.succeeded, "Succeeded");
    let failed = arm(&w.failed, "Failed");
    let progress = match &w.progress {
        Some(steps) => {
            let value = read(&quote!(self), steps);
            quote!(#value.map(|progress| i64::from(*progress)))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        impl crate::__private::TaskStatus for Response {
            fn task_state(&self) -> crate::TaskState {
                match #state {
                    #running
                    #succeeded
                    #failed
                    _ => crate::TaskState::Unknown,
                }
            }
            fn state_text(&self) -> ::core::option::Option<::std::string::String> {
                #state.map(::std::string::ToString::to_string)
            }
            fn progress(&self) -> ::core::option::Option<i64> {
                #progress
            }
        }
    }
}

/// Statements that set the end of `steps` on `self`, creating optional parents as needed.
fn write(steps: &[Step], value: &TokenStream) -> TokenStream {
    let mut out = quote!(let target = &mut *self;);
    for (i, step) in steps.iter().enumerate() {
        let field = ident(&step.field);
        let last = i + 1 == steps.len();
        out.extend(match (last, step.optional) {
            (false, true) => quote!(let target = target.#field.get_or_insert_with(::core::default::Default::default);),
            (false, false) => quote!(let target = &mut target.#field;),
            (true, true) => quote!(target.#field = ::core::option::Option::Some(#value);),
            (true, false) => quote!(target.#field = #value;),
        });
    }
    out
}

fn convert(steps: &[Step], name: &str) -> TokenStream {
    let name = ident(name);
    match steps.last().map(|s| &s.ty) {
        Some(RustType::I32) => quote!(i32::try_from(#name).unwrap_or(i32::MAX)),
        _ => quote!(#name),
    }
}

/// `impl Paged for Request`: where the page number, size, items and total live.
pub fn paged(p: &Pagination) -> TokenStream {
    let item = match p.items.last().map(|s| &s.ty) {
        Some(RustType::Vec(item) | RustType::OneOrMany(item)) => super::types::rust_type(item),
        _ => quote!(::serde_json::Value),
    };
    let items = read(&quote!(response), &p.items);
    let items = quote!(#items.map_or(&[][..], |items| &items[..]));
    let number = read(&quote!(self), &p.page_number);
    let size = read(&quote!(self), &p.page_size);
    let total = match &p.total {
        Some(steps) => {
            let value = read(&quote!(response), steps);
            quote!(#value.map(|total| i64::from(*total)))
        }
        None => quote!(::core::option::Option::None),
    };
    let set_number = write(&p.page_number, &convert(&p.page_number, "number"));
    let set_size = write(&p.page_size, &convert(&p.page_size, "size"));
    let first = proc_macro2::Literal::i64_unsuffixed(p.first_page);
    let default_size = proc_macro2::Literal::i64_unsuffixed(p.default_page_size);
    quote! {
        impl crate::__private::Paged for Request {
            type Item = #item;
            const FIRST_PAGE: i64 = #first;
            const DEFAULT_PAGE_SIZE: i64 = #default_size;
            fn page(&self) -> (::core::option::Option<i64>, ::core::option::Option<i64>) {
                (#number.map(|n| i64::from(*n)), #size.map(|n| i64::from(*n)))
            }
            fn set_page(&mut self, number: i64, size: i64) {
                {
                    #set_number
                }
                #set_size
            }
            fn items(response: &Response) -> &[Self::Item] {
                #items
            }
            fn total(response: &Response) -> ::core::option::Option<i64> {
                #total
            }
        }
    }
}

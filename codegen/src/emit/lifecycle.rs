//! Emits what waiters and paginators need from an operation: reading the task state and
//! progress from a response, and reading and setting the page of a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{PageStyle, Pagination, RustType, Step, Waiter};

/// The end of a path of fields: a plain place while every field is required, an `Option<&T>`
/// expression from the first optional one on.
enum Read {
    Place(TokenStream),
    Optional(TokenStream),
}

impl Read {
    /// Follows `steps` from `root`.
    fn new(root: &TokenStream, steps: &[Step]) -> Self {
        let mut read = Self::Place(root.clone());
        for step in steps {
            let field = ident(&step.field);
            read = match (read, step.optional) {
                (Self::Place(place), false) => Self::Place(quote!(#place.#field)),
                (Self::Place(place), true) => Self::Optional(quote!(#place.#field.as_ref())),
                (Self::Optional(expr), true) => Self::Optional(quote!(#expr.and_then(|value| value.#field.as_ref()))),
                (Self::Optional(expr), false) => Self::Optional(quote!(#expr.map(|value| &value.#field))),
            };
        }
        read
    }

    /// `Option<&T>`.
    fn option(&self) -> TokenStream {
        match self {
            Self::Place(place) => quote!(Some(&#place)),
            Self::Optional(expr) => expr.clone(),
        }
    }

    /// `Option<U>` from `convert`, an expression of `value: &T`.
    fn map(&self, convert: &TokenStream) -> TokenStream {
        match self {
            Self::Place(place) => quote!(Some({ let value = &#place; #convert })),
            Self::Optional(expr) => quote!(#expr.map(|value| #convert)),
        }
    }
}

/// `impl TaskStatus for Response`: the declared running, succeeded and failed states; and the
/// builder's `wait_until_done`.
pub fn task_status(w: &Waiter) -> TokenStream {
    let status = Read::new(&quote!(self), &w.status);
    let state = status.option();
    let state_text = status.map(&quote!(value.to_string()));
    let enum_name = ident(&w.enum_name);
    let arm = |variants: &[String], outcome: &str| {
        let outcome = ident(outcome);
        let variants: Vec<_> = variants.iter().map(|v| ident(v)).collect();
        if variants.is_empty() {
            quote!()
        } else {
            quote!(Some(#(#enum_name::#variants)|*) => crate::TaskState::#outcome,)
        }
    };
    let running = arm(&w.running, "Running");
    let succeeded = arm(&w.succeeded, "Succeeded");
    let failed = arm(&w.failed, "Failed");
    let progress = match &w.progress {
        Some(steps) => Read::new(&quote!(self), steps).map(&widen(steps)),
        None => quote!(None),
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
            fn state_text(&self) -> Option<String> {
                #state_text
            }
            fn progress(&self) -> Option<i64> {
                #progress
            }
        }
        crate::__private::builder_wait!();
    }
}

/// Statements that set the end of `steps` on `self`, creating optional parents as needed.
fn write(steps: &[Step], value: &TokenStream) -> TokenStream {
    let mut out = quote!(let target = &mut *self;);
    for (i, step) in steps.iter().enumerate() {
        let field = ident(&step.field);
        let last = i + 1 == steps.len();
        out.extend(match (last, step.optional) {
            (false, true) => quote!(let target = target.#field.get_or_insert_with(Default::default);),
            (false, false) => quote!(let target = &mut target.#field;),
            (true, true) => quote!(target.#field = Some(#value);),
            (true, false) => quote!(target.#field = #value;),
        });
    }
    out
}

/// `*value` as an `i64`, for the integer at the end of `steps`.
fn widen(steps: &[Step]) -> TokenStream {
    match steps.last().map(|s| &s.ty) {
        Some(RustType::I64) => quote!(*value),
        _ => quote!(i64::from(*value)),
    }
}

/// `Option<&str>` of the string at the end of `steps` from `root`.
fn read_str(root: &TokenStream, steps: &[Step]) -> TokenStream {
    let Some((last, parents)) = steps.split_last() else { return quote!(None) };
    let field = ident(&last.field);
    match (Read::new(root, parents), last.optional) {
        (Read::Place(place), true) => quote!(#place.#field.as_deref()),
        (Read::Place(place), false) => quote!(Some(#place.#field.as_str())),
        (Read::Optional(expr), true) => quote!(#expr.and_then(|value| value.#field.as_deref())),
        (Read::Optional(expr), false) => quote!(#expr.map(|value| value.#field.as_str())),
    }
}

fn convert(steps: &[Step], name: &str) -> TokenStream {
    let name = ident(name);
    match steps.last().map(|s| &s.ty) {
        Some(RustType::I32) => quote!(i32::try_from(#name).unwrap_or(i32::MAX)),
        _ => quote!(#name),
    }
}

/// `impl Paged for Request`: the style, where the page size, position, items, total and next
/// token or marker live; and the builder's `paginate`.
pub fn paged(p: &Pagination) -> TokenStream {
    let item = match p.items.last().map(|s| &s.ty) {
        Some(RustType::Vec(item) | RustType::OneOrMany(item)) => super::types::rust_type(item),
        _ => quote!(::serde_json::Value),
    };
    let items = match Read::new(&quote!(response), &p.items) {
        Read::Place(place) => quote!(&#place[..]),
        Read::Optional(expr) => quote!(#expr.map_or(&[][..], |items| &items[..])),
    };
    let total = p.total.as_ref().map(|steps| {
        let total = Read::new(&quote!(response), steps).map(&widen(steps));
        quote! {
            fn total(response: &Response) -> Option<i64> {
                #total
            }
        }
    });
    let size_methods = p.page_size.as_ref().map(|steps| {
        let size = Read::new(&quote!(self), steps).map(&widen(steps));
        let set_size = write(steps, &convert(steps, "size"));
        quote! {
            fn page_size(&self) -> Option<i64> {
                #size
            }
            fn set_page_size(&mut self, size: i64) {
                #set_size
            }
        }
    });
    let default_size = proc_macro2::Literal::i64_unsuffixed(p.default_page_size);
    let cursor_type = quote!(crate::__private::Cursor);
    let (style, position, extra) = match &p.style {
        PageStyle::PageNumber { number: steps, first } | PageStyle::Offset { offset: steps, first } => {
            let first = proc_macro2::Literal::i64_unsuffixed(*first);
            let style = match p.style {
                PageStyle::PageNumber { .. } => quote!(PageNumber { first: #first }),
                _ => quote!(Offset { first: #first }),
            };
            (style, number_position(steps, &cursor_type), quote!())
        }
        PageStyle::Marker { marker, field } => {
            let value = Read::new(&quote!(item), field).map(&quote!(value.to_string()));
            let extra = quote! {
                fn marker(item: &Self::Item) -> Option<String> {
                    #value
                }
            };
            (quote!(Marker), text_position(marker, &cursor_type), extra)
        }
        PageStyle::Token { token, next } => {
            let value = read_str(&quote!(response), next);
            let extra = quote! {
                fn next_token(response: &Response) -> Option<&str> {
                    #value
                }
            };
            (quote!(Token), text_position(token, &cursor_type), extra)
        }
    };
    quote! {
        impl crate::__private::Paged for Request {
            type Item = #item;
            const STYLE: crate::__private::PageStyle = crate::__private::PageStyle::#style;
            const DEFAULT_PAGE_SIZE: i64 = #default_size;
            #size_methods
            #position
            fn items(response: &Response) -> &[Self::Item] {
                #items
            }
            #total
            #extra
        }
        crate::__private::builder_paginate!();
    }
}

/// `cursor` and `set_cursor` for a page number or offset parameter.
fn number_position(steps: &[Step], cursor: &TokenStream) -> TokenStream {
    let number = widen(steps);
    let read = Read::new(&quote!(self), steps).map(&quote!(#cursor::Number(#number)));
    let set = write(steps, &convert(steps, "number"));
    quote! {
        fn cursor(&self) -> Option<#cursor> {
            #read
        }
        fn set_cursor(&mut self, cursor: #cursor) {
            if let #cursor::Number(number) = cursor {
                #set
            }
        }
    }
}

/// `cursor` and `set_cursor` for a marker or token parameter.
fn text_position(steps: &[Step], cursor: &TokenStream) -> TokenStream {
    let read = Read::new(&quote!(self), steps).map(&quote!(#cursor::Text(value.clone())));
    let set = write(steps, &quote!(text));
    quote! {
        fn cursor(&self) -> Option<#cursor> {
            #read
        }
        fn set_cursor(&mut self, cursor: #cursor) {
            if let #cursor::Text(text) = cursor {
                #set
            }
        }
    }
}

//! Emits one operation module: request, builder, response, error and the glue that hands
//! them to the runtime.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::checks::Checked;
use super::types::{
    enumeration_type, enumeration_values, field_type, object_entries, object_type, rust_type, wire_entry,
};
use super::{doc, docs, ident};
use crate::ir::{EnumKind, Field, Idempotency, Method, Operation, ParamIn, Service};

/// The module of one operation: its documented types written out, then one
/// `operation_items!` table from which the runtime writes the builder's setters, serde and the
/// error's conversions.
pub fn operation(service: &Service, op: &Operation) -> TokenStream {
    let checked = Checked::operation(service, op);
    let module = ident(&op.module);
    let module_docs = docs(&op.docs);
    let request = request(op);
    let spec = operation_impl(op, &checked);
    let response = response(op);
    let (error, errors_table) = super::errors::error(op);
    let types = op.types.iter().map(object_type);
    let enums = op.enums.iter().map(enumeration_type);
    let shared = (!op.shared.is_empty()).then(|| {
        let names = op.shared.iter().map(|n| ident(n));
        quote!(pub use super::types::{#(#names),*};)
    });
    let json = has_body(op).then(|| quote!(json));
    let spec_table = spec_table(op);
    let request_entries = request_entries(op);
    let response_entries = op.response.iter().map(wire_entry);
    let objects = op.types.iter().map(|t| {
        let name = ident(&t.name);
        let entries = object_entries(t, &checked);
        quote!(object #name { #entries })
    });
    let enum_tables = op.enums.iter().map(|e| {
        let name = ident(&e.name);
        let values = enumeration_values(e);
        match e.kind {
            EnumKind::String => quote!(string_enum #name { #values }),
            EnumKind::Integer => quote!(int_enum #name { #values }),
        }
    });
    quote! {
        #module_docs
        pub mod #module {
            #shared
            #request
            #spec
            #response
            #error
            #(#types)*
            #(#enums)*
            crate::__private::operation_items! {
                spec(#spec_table)
                request #json { #request_entries }
                response { #(#response_entries),* }
                #errors_table
                #(#objects)*
                #(#enum_tables)*
            }
        }
    }
}

fn has_body(op: &Operation) -> bool {
    op.request.iter().any(|f| f.location == Some(ParamIn::Body))
}

fn request(op: &Operation) -> TokenStream {
    let fields = op.request.iter().map(|f| {
        let field_docs = docs(&f.docs);
        let rust = ident(&f.rust_name);
        let ty = field_type(f);
        quote!(#field_docs pub #rust: #ty,)
    });
    let summary =
        doc(&format!(" The parameters of `{}`; build one with [`Builder`], from `Builder::default()`.", op.wire_name));
    quote! {
        #summary
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Request {
            #(#fields)*
        }
    }
}

/// The parameters for the runtime's `impl_request!`: each `name(Type)` (the setter's argument;
/// `name(Type, required i)` for the `i`-th required one, as `OperationSpec::required` lists
/// them), its wire name, and with a JSON body a marker: the place of a parameter outside the
/// body, `optional` for an optional one in it.
fn request_entries(op: &Operation) -> TokenStream {
    let body = has_body(op);
    let mut required_index = 0u32;
    let entries = op.request.iter().map(|f| {
        let name = ident(&f.rust_name);
        let ty = rust_type(&f.ty);
        let setter = if f.required {
            let index = Literal::u32_unsuffixed(required_index);
            required_index += 1;
            quote!(#name(#ty, required #index))
        } else {
            quote!(#name(#ty))
        };
        let wire = &f.wire_name;
        let wire = (*wire != f.rust_name).then(|| quote!(= #wire));
        let marker = match f.location {
            _ if !body => quote!(),
            Some(ParamIn::Body) if f.required => quote!(),
            Some(ParamIn::Body) => quote!(optional),
            Some(ParamIn::Path) => quote!(path),
            Some(ParamIn::Header) => quote!(header),
            Some(ParamIn::Query) | None => quote!(query),
        };
        quote!(#setter #wire #marker)
    });
    quote!(#(#entries),*)
}

/// The `spec` section of `operation_items!`: wire name, method and path, retry safety,
/// required parameters by wire name, statuses that are documented errors.
fn spec_table(op: &Operation) -> TokenStream {
    let name = &op.wire_name;
    let method = ident(match op.method {
        Method::Get => "Get",
        Method::Post => "Post",
        Method::Put => "Put",
        Method::Delete => "Delete",
    });
    let path = &op.path;
    let retry = ident(match op.idempotency {
        Idempotency::Read => "Read",
        Idempotency::Token => "Token",
        Idempotency::Unsafe => "Unsafe",
    });
    let required = op.request.iter().filter(|f| f.required).map(|f| &f.wire_name);
    let status_errors = (!op.status_errors.is_empty()).then(|| {
        let statuses = op.status_errors.iter().map(|s| Literal::u16_unsuffixed(*s));
        quote!(, status_errors(#(#statuses),*))
    });
    let token = op.token_field.as_ref().map(|t| {
        let t = ident(t);
        quote!(, token(#t))
    });
    quote!(#name, #method #path, retry #retry, required(#(#required),*) #status_errors #token)
}

fn operation_impl(op: &Operation, checked: &Checked) -> TokenStream {
    let mut writes: Vec<TokenStream> = op
        .request
        .iter()
        .filter(|f| f.location != Some(ParamIn::Body))
        .map(|f| {
            let wire = &f.wire_name;
            let rust = ident(&f.rust_name);
            let call = ident(match f.location {
                Some(ParamIn::Path) => "path",
                Some(ParamIn::Header) => "header",
                _ => "query",
            });
            if f.required {
                quote!(writer.#call(#wire, &self.#rust);)
            } else {
                let call = ident(&format!("optional_{call}"));
                quote!(writer.#call(#wire, self.#rust.as_ref());)
            }
        })
        .collect();
    // The client fills the project id into the path; other implicit parameters (the auth
    // token) are written by the signer.
    let implicit = op.implicit.iter().filter(|f| f.source == crate::ir::ParamSource::ProjectId).map(|f| {
        let wire = &f.wire_name;
        quote!(writer.project_id_path(#wire);)
    });
    writes.splice(0..0, implicit);
    writes.extend(op.content_type.as_ref().map(|c| quote!(writer.content_type(#c);)));
    writes.extend(has_body(op).then(|| quote!(writer.json_body(self);)));
    // An operation without parameters writes nothing: an unused `writer` would be a warning.
    let writer_param = if writes.is_empty() { quote!(_) } else { quote!(writer) };
    let mut checks: Vec<TokenStream> =
        op.request.iter().filter(|f| !f.constraints.is_empty()).map(validation).collect();
    // A parameter holding a checked struct is checked through it (a set `Option`, every item
    // of a list).
    checks.extend(op.request.iter().filter(|f| checked.holds_checked(&f.ty)).map(|f| {
        let wire = &f.wire_name;
        let rust = ident(&f.rust_name);
        quote!(check.nested(#wire, &self.#rust);)
    }));
    // An operation without constraints checks nothing: an unused `check` would be a warning.
    let check_param = if checks.is_empty() { quote!(_) } else { quote!(check) };
    let wait = op.waiter.as_ref().map(super::lifecycle::task_status);
    let pages = op.pagination.as_ref().map(super::lifecycle::paged);
    quote! {
        // `write` is inline: compiled where the operation is used, with the JSON encoding it
        // calls, not for every operation.
        impl crate::__private::Parameters for Request {
            #[inline]
            fn write(&self, #writer_param: &mut crate::__private::RequestWriter) {
                #(#writes)*
            }
            fn validate(&self, #check_param: &mut crate::__private::Validator) {
                #(#checks)*
            }
        }
        #wait
        #pages
    }
}

/// The checks of one constrained request parameter (an optional one's when it is set).
fn validation(f: &Field) -> TokenStream {
    let rust = ident(&f.rust_name);
    let value = if f.required { quote!(&self.#rust) } else { quote!(value) };
    let calls = super::checks::rules(&f.constraints, &f.ty).into_iter().map(|rule| rule.call(&f.wire_name, &value));
    if f.required {
        quote!(#(#calls)*)
    } else {
        quote! {
            if let Some(value) = &self.#rust {
                #(#calls)*
            }
        }
    }
}

fn response(op: &Operation) -> TokenStream {
    let doc = if op.response_docs.is_empty() {
        vec![format!("The response of `{}`.", op.wire_name)]
    } else {
        op.response_docs.clone()
    };
    let doc = docs(&doc);
    let fields = op.response.iter().map(|f| {
        let field_docs = docs(&f.docs);
        let rust = ident(&f.rust_name);
        let ty = field_type(f);
        quote!(#field_docs pub #rust: #ty,)
    });
    // Responses are encoded only to show them (the command-line tool; absent is `null`), through
    // `operation_items!`.
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub struct Response {
            #(#fields)*
            /// The HTTP exchange this response came from (status, request id); not part of the body.
            pub meta: crate::ResponseMeta,
        }
    }
}

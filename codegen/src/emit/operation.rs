//! Emits one operation module: request, builder, response, error and the glue that hands
//! them to the runtime.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{enumeration, field_type, object, rename_attr, rust_type};
use super::{doc, docs, ident};
use crate::ir::{EmptyRule, Field, Idempotency, Method, Operation, ParamIn, RustType};

/// The module of one operation.
pub fn operation(op: &Operation) -> TokenStream {
    let module = ident(&op.module);
    let module_docs = docs(&op.docs);
    let request = request(op);
    let builder = builder(op);
    let spec = operation_impl(op);
    let response = response(op);
    let error = super::errors::error(op);
    let types = op.types.iter().map(object);
    let enums = op.enums.iter().map(enumeration);
    let shared = (!op.shared.is_empty()).then(|| {
        let names = op.shared.iter().map(|n| ident(n));
        quote!(pub use super::types::{#(#names),*};)
    });
    quote! {
        #module_docs
        pub mod #module {
            #shared
            #request
            #builder
            #spec
            #response
            #error
            #(#types)*
            #(#enums)*
        }
    }
}

fn has_body(op: &Operation) -> bool {
    op.request.iter().any(|f| f.location == Some(ParamIn::Body))
}

fn request(op: &Operation) -> TokenStream {
    let body = has_body(op);
    let fields = op.request.iter().map(|f| {
        let field_docs = docs(&f.docs);
        let rust = ident(&f.rust_name);
        let ty = field_type(f);
        // With a JSON body, requests encode as exactly the body parameters; with the `json-calls`
        // feature they also decode from their wire names (the command-line tool builds them so).
        let mut parts = Vec::new();
        if f.wire_name != f.rust_name {
            let wire = &f.wire_name;
            parts.push(quote!(rename = #wire));
        }
        if body && f.location != Some(ParamIn::Body) {
            parts.push(quote!(skip_serializing));
        } else if body && !f.required {
            parts.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        let serde = match (parts.is_empty(), body) {
            (true, _) => quote!(),
            (false, true) => quote!(#[serde(#(#parts),*)]),
            (false, false) => quote!(#[cfg_attr(feature = "json-calls", serde(#(#parts),*))]),
        };
        quote!(#field_docs #serde pub #rust: #ty,)
    });
    let derive_serialize = if body { quote!(::serde::Serialize,) } else { quote!() };
    let summary =
        doc(&format!(" The parameters of `{}`; build one with [`Builder`], from `Builder::default()`.", op.wire_name));
    quote! {
        #summary
        #[derive(Clone, Debug, Default, PartialEq, #derive_serialize)]
        #[cfg_attr(feature = "json-calls", derive(::serde::Deserialize))]
        pub struct Request {
            #(#fields)*
        }
    }
}

/// The operation's name for the runtime's builder, and a setter per parameter. Required
/// parameters are numbered in field order, as `OperationSpec::required` lists them.
fn builder(op: &Operation) -> TokenStream {
    let mut required_index = 0u32;
    let setters = op.request.iter().map(|f| {
        let name = ident(&f.rust_name);
        let ty = rust_type(&f.ty);
        // The field carries the documentation; the setter links to it instead of repeating it.
        let setter_docs = doc(&format!(" Sets [`Request::{}`].", f.rust_name));
        let set = if f.required {
            let index = Literal::u32_unsuffixed(required_index);
            required_index += 1;
            quote!(self.__required(#index, |r| r.#name = value.into()))
        } else {
            quote!(self.__optional(|r| r.#name = Some(value.into())))
        };
        quote! {
            #setter_docs
            pub fn #name(self, value: impl Into<#ty>) -> Self {
                #set
            }
        }
    });
    let builder_docs =
        doc(&format!(" Builds a [`Request`] for `{}`; from [`super::Client`], sends it too.", op.wire_name));
    quote! {
        #builder_docs
        pub type Builder<C = ()> = crate::Builder<Request, C>;
        impl<C> Builder<C> {
            #(#setters)*
        }
    }
}

fn operation_impl(op: &Operation) -> TokenStream {
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
    let checks: Vec<TokenStream> = op.request.iter().filter(|f| !f.constraints.is_empty()).map(validation).collect();
    let check_binding = if checks.is_empty() { quote!(let check) } else { quote!(let mut check) };
    let token = op.token_field.as_ref().map(|t| {
        let t = ident(t);
        quote! {
            fn idempotency_token(&mut self) -> Option<&mut Option<String>> {
                Some(&mut self.#t)
            }
        }
    });
    let wait = op.waiter.as_ref().map(super::lifecycle::task_status);
    let pages = op.pagination.as_ref().map(super::lifecycle::paged);
    let required = op.request.iter().filter(|f| f.required).map(|f| &f.wire_name);
    let status_errors = op.status_errors.iter().map(|s| Literal::u16_unsuffixed(*s));
    quote! {
        impl crate::__private::Operation for Request {
            type Response = Response;
            type Error = Error;
            const SPEC: crate::__private::OperationSpec = crate::__private::OperationSpec {
                service: &super::SERVICE,
                name: #name,
                method: crate::__private::Method::#method,
                path: #path,
                retry: crate::__private::RetrySafety::#retry,
                required: &[#(#required),*],
                status_errors: &[#(#status_errors),*],
            };
            fn write(&self, #writer_param: &mut crate::__private::RequestWriter) {
                #(#writes)*
            }
            fn validate(&self) -> Result<(), crate::ValidationError> {
                #check_binding = crate::__private::Validator::default();
                #(#checks)*
                check.finish()
            }
            #token
        }
        #wait
        #pages
    }
}

fn validation(f: &Field) -> TokenStream {
    let wire = &f.wire_name;
    let rust = ident(&f.rust_name);
    let c = &f.constraints;
    let is_list = matches!(f.ty, RustType::Vec(_) | RustType::OneOrMany(_));
    let optional_len = |v: Option<u64>| match v {
        Some(v) => {
            let v = Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let optional_bound = |v: Option<i64>| match v {
        Some(v) => {
            let v = Literal::i64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    // A required field is checked in place; an optional one through `value` when it is set.
    let (place, reference, copied) = if f.required {
        (quote!(self.#rust), quote!(&self.#rust), quote!(self.#rust))
    } else {
        (quote!(value), quote!(value), quote!(*value))
    };
    let mut out = TokenStream::new();
    match c.empty {
        EmptyRule::Allowed => {}
        EmptyRule::NotEmpty => out.extend(quote!(check.not_empty(#wire, #reference);)),
        EmptyRule::NotBlank => out.extend(quote!(check.not_blank(#wire, #reference);)),
    }
    if c.min_length.is_some() || c.max_length.is_some() {
        let (lo, hi) = (optional_len(c.min_length), optional_len(c.max_length));
        out.extend(if is_list {
            quote!(check.count(#wire, #place.len(), #lo, #hi);)
        } else {
            quote!(check.length(#wire, #reference, #lo, #hi);)
        });
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        let (lo, hi) = (optional_bound(c.minimum), optional_bound(c.maximum));
        out.extend(quote!(check.range(#wire, i64::from(#copied), #lo, #hi);));
    }
    if c.ascii {
        out.extend(quote!(check.ascii(#wire, #reference);));
    }
    if c.alphanumeric {
        out.extend(quote!(check.alphanumeric(#wire, #reference);));
    }
    if let Some(pattern) = &c.pattern {
        out.extend(quote!(check.pattern(#wire, #reference, #pattern);));
    }
    if f.required {
        out
    } else {
        quote! {
            if let Some(value) = &self.#rust {
                #out
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
        // Responses are encoded only to show them (the command-line tool); absent is `null`.
        let serde = rename_attr(f);
        let rust = ident(&f.rust_name);
        let ty = field_type(f);
        quote!(#field_docs #serde pub #rust: #ty,)
    });
    let decode = super::types::deserialize(&ident("Response"), &op.response, &quote!(; meta));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        pub struct Response {
            #(#fields)*
            /// The HTTP exchange this response came from (status, request id); not part of the body.
            #[serde(skip)]
            pub meta: crate::ResponseMeta,
        }
        #decode
        crate::__private::impl_response_body!(Response);
    }
}

//! Emits one operation module: request, builder, response, error and the glue that hands
//! them to the runtime.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{enumeration, field_type, object, rust_type, serde_attrs};
use super::{docs, ident};
use crate::ir::{Field, Idempotency, Method, Operation, ParamIn, RustType};

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
    quote! {
        #module_docs
        pub mod #module {
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
        // With a JSON body, requests encode as exactly the body parameters; with the `cli`
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
            (false, false) => quote!(#[cfg_attr(feature = "cli", serde(#(#parts),*))]),
        };
        quote!(#field_docs #serde pub #rust: #ty,)
    });
    let derive_serialize = if body { quote!(::serde::Serialize,) } else { quote!() };
    let summary = format!(" The parameters of `{}`. Build one with [`Request::builder`].", op.wire_name);
    quote! {
        #[doc = #summary]
        #[derive(Clone, Debug, PartialEq, #derive_serialize)]
        #[cfg_attr(feature = "cli", derive(::serde::Deserialize))]
        pub struct Request {
            #(#fields)*
        }
        impl Request {
            /// Starts building a request.
            pub fn builder() -> Builder {
                Builder::with_client(())
            }
        }
    }
}

fn builder(op: &Operation) -> TokenStream {
    let names: Vec<_> = op.request.iter().map(|f| ident(&f.rust_name)).collect();
    let types: Vec<_> = op.request.iter().map(|f| rust_type(&f.ty)).collect();
    let setters = op.request.iter().zip(&names).zip(&types).map(|((f, name), ty)| {
        // The field carries the documentation; the setter links to it instead of repeating it.
        let setter_docs = format!(" Sets [`Request::{}`] (wire name `{}`).", f.rust_name, f.wire_name);
        quote! {
            #[doc = #setter_docs]
            pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    });
    let build_fields = op.request.iter().zip(&names).map(|(f, name)| {
        if f.required {
            let wire = &f.wire_name;
            quote!(#name: crate::__private::required(self.#name, #wire)?,)
        } else {
            quote!(#name: self.#name,)
        }
    });
    let wait = op.waiter.as_ref().map(|_| {
        quote! {
            /// Polls this operation until the task it reports succeeds or fails, or until the
            /// policy's time runs out; `observe` sees every polled response.
            ///
            /// # Errors
            /// [`crate::WaitError::Failed`] with the last response when the task failed,
            /// [`crate::WaitError::TimedOut`] with the last response when time ran out, and
            /// [`crate::WaitError::Call`] when a poll failed in a way retries could not fix.
            pub async fn wait_until_done(
                self,
                policy: crate::WaitPolicy,
                observe: impl FnMut(&crate::TaskProgress<'_, Response>),
            ) -> Result<Response, crate::WaitError<Response, Error>> {
                let client = self.client.clone();
                let request = self.build().map_err(|e| crate::WaitError::Call(crate::__private::validation_error::<Request>(e)))?;
                crate::__private::wait(&client, request, policy, observe).await
            }
        }
    });
    let pages = op.pagination.as_ref().map(|_| {
        quote! {
            /// Fetches every page, one request per page, starting from the first page (or the
            /// page number set on this builder) with the page size set on this builder.
            pub fn paginate(self) -> crate::Paginator<Request> {
                let client = self.client.clone();
                crate::Paginator::new(client, self.build())
            }
        }
    });
    let doc = format!(" Builds a [`Request`] for `{}`; from [`super::Client`], sends it too.", op.wire_name);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default)]
        #[must_use]
        pub struct Builder<C = ()> {
            client: C,
            #(#names: Option<#types>,)*
        }
        impl<C> Builder<C> {
            pub(crate) fn with_client(client: C) -> Self {
                Self { client, #(#names: None,)* }
            }
            #(#setters)*
            /// Checks required parameters and constraints and returns the request.
            ///
            /// # Errors
            /// The first parameter that is missing or breaks a documented constraint.
            pub fn build(self) -> Result<Request, crate::ValidationError> {
                let request = Request { #(#build_fields)* };
                crate::__private::Operation::validate(&request)?;
                Ok(request)
            }
        }
        impl Builder<crate::ClientHandle> {
            /// Sends the request, retrying where that is safe.
            ///
            /// # Errors
            /// A documented error code as its own variant, any other provider error as
            /// [`Error::Unmodelled`], and everything else (invalid parameters, credentials,
            /// transport, timeouts, undecodable responses) as [`Error::Request`].
            pub fn send(self) -> impl ::core::future::Future<Output = Result<Response, Error>> + Send {
                let client = self.client.clone();
                crate::__private::send_built(client, self.build())
            }
            #wait
            #pages
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
    let writes = op.request.iter().filter(|f| f.location != Some(ParamIn::Body)).map(|f| {
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
            quote! {
                if let Some(value) = &self.#rust {
                    writer.#call(#wire, value);
                }
            }
        }
    });
    let body = has_body(op).then(|| quote!(writer.json_body(self);));
    let implicit = op.implicit.iter().map(|f| {
        let wire = &f.wire_name;
        match f.source {
            crate::ir::ParamSource::ProjectId => quote!(writer.project_id_path(#wire);),
            _ => quote!(),
        }
    });
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
            };
            fn write(&self, writer: &mut crate::__private::RequestWriter) {
                #(#implicit)*
                #(#writes)*
                #body
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
    let mut out = TokenStream::new();
    if c.min_length.is_some() || c.max_length.is_some() {
        let (lo, hi) = (optional_len(c.min_length), optional_len(c.max_length));
        out.extend(if is_list {
            quote!(check.count(#wire, value.len(), #lo, #hi);)
        } else {
            quote!(check.length(#wire, value, #lo, #hi);)
        });
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        let (lo, hi) = (optional_bound(c.minimum), optional_bound(c.maximum));
        out.extend(quote!(check.range(#wire, i64::from(*value), #lo, #hi);));
    }
    if c.ascii {
        out.extend(quote!(check.ascii(#wire, value);));
    }
    if c.alphanumeric {
        out.extend(quote!(check.alphanumeric(#wire, value);));
    }
    if let Some(pattern) = &c.pattern {
        out.extend(quote!(check.pattern(#wire, value, #pattern);));
    }
    if f.required {
        quote! {
            {
                let value = &self.#rust;
                #out
            }
        }
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
        let serde = serde_attrs(f);
        let rust = ident(&f.rust_name);
        let ty = field_type(f);
        quote!(#field_docs #serde pub #rust: #ty,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, ::serde::Deserialize, ::serde::Serialize)]
        pub struct Response {
            #(#fields)*
            /// The HTTP exchange this response came from (status, request id); not part of the body.
            #[serde(skip)]
            pub meta: crate::ResponseMeta,
        }
        impl crate::__private::ResponseBody for Response {
            fn meta_mut(&mut self) -> &mut crate::ResponseMeta {
                &mut self.meta
            }
        }
    }
}

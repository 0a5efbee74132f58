//! Macros that write the items every generated operation and service would otherwise spell out
//! alike: the builder's setters, the operation's static facts, the service client's methods and
//! the example tests. Generated code passes them only what differs (names, wire facts, summaries),
//! so the per-operation code stays short and every item is still documented.

/// A setter per parameter on the operation module's `Builder`: `name(Type)` for an optional
/// parameter, `name(Type) required i` for the `i`-th required one (bit `i` of the builder's
/// set parameters, in the order of `OperationSpec::required`). Each setter's doc links to the
/// field of `Request` that documents the parameter.
///
/// A setter holds the builder in `ManuallyDrop` while it converts the value, so a conversion
/// that panics leaks the values set so far instead of dropping them. That is the price of a
/// setter chain without copies: with a drop on the unwinding path the builder stays live across
/// the conversion, and the optimiser copies the whole request at every setter (`benches/validate.rs`:
/// four 520-byte copies per request before, one after).
#[macro_export]
#[doc(hidden)]
macro_rules! __setters {
    ($($name:ident($ty:ty) $(required $index:literal)?),* $(,)?) => {
        impl<C> Builder<C> {
            $(
                #[doc = ::core::concat!("Sets [`Request::", ::core::stringify!($name), "`].")]
                pub fn $name(self, value: impl ::core::convert::Into<$ty>) -> Self {
                    let mut this = ::core::mem::ManuallyDrop::new(self);
                    $crate::__setters!(@set this, $name, value $(, $index)?);
                    ::core::mem::ManuallyDrop::into_inner(this)
                }
            )*
        }
    };
    (@set $builder:ident, $name:ident, $value:ident, $index:literal) => {
        $crate::Builder::__required(&mut $builder.0, $index).$name = $value.into()
    };
    (@set $builder:ident, $name:ident, $value:ident) => {
        $crate::Builder::__optional(&mut $builder.0).$name = ::core::option::Option::Some($value.into())
    };
}

/// The operation module's `Builder`: the runtime's [`Builder`](crate::Builder) of its `Request`
/// wrapped in a type of the module, so that the setters (`__setters!`) can be its own methods
/// wherever the generated code is compiled. It has `build`, and from a client `send`; an
/// operation with a waiter adds `wait_until_done` (`__builder_wait!`), a paged one `paginate`
/// (`__builder_paginate!`).
#[macro_export]
#[doc(hidden)]
macro_rules! __builder {
    () => {
        /// Builds a [`Request`] for this operation; from the service's `Client`, sends it too.
        ///
        /// Required parameters start unset: [`build`](Self::build) and `send` fail with an error
        /// naming the first one not set.
        #[derive(Clone, Debug)]
        #[must_use]
        pub struct Builder<C = ()>(#[doc(hidden)] pub $crate::Builder<Request, C>);
        impl ::core::default::Default for Builder {
            fn default() -> Self {
                Self(::core::default::Default::default())
            }
        }
        impl<C> Builder<C> {
            /// Checks required parameters and constraints and returns the request.
            ///
            /// # Errors
            /// The first required parameter not set, or every documented constraint the values
            /// break.
            #[inline]
            pub fn build(self) -> ::core::result::Result<Request, $crate::ValidationError> {
                self.0.build()
            }
        }
        impl Builder<$crate::ClientHandle> {
            /// Sends the request, retrying where that is safe.
            ///
            /// # Errors
            /// A documented error code as its own variant of [`Error`], any other provider error
            /// as `Error::Unmodelled`, and everything else (invalid parameters, credentials,
            /// transport, timeouts, undecodable responses) as `Error::Request`.
            #[inline]
            pub fn send(self) -> impl ::core::future::Future<Output = ::core::result::Result<Response, Error>> + Send {
                self.0.send()
            }
        }
    };
}

/// `Builder::wait_until_done` of an operation whose spec declares a waiter.
#[macro_export]
#[doc(hidden)]
macro_rules! __builder_wait {
    () => {
        impl Builder<$crate::ClientHandle> {
            /// Polls the operation until the task it reports succeeds or fails, or until the
            /// policy's time runs out; `observe` sees every polled response.
            ///
            /// # Errors
            /// [`WaitError::Failed`]($crate::WaitError::Failed) with the last response when the
            /// task failed, [`WaitError::TimedOut`]($crate::WaitError::TimedOut) with the last
            /// response when time ran out, and [`WaitError::Call`]($crate::WaitError::Call)
            /// when a poll failed in a way retries could not fix.
            pub async fn wait_until_done(
                self,
                policy: $crate::WaitPolicy,
                observe: impl ::core::ops::FnMut(&$crate::TaskProgress<'_, Response>),
            ) -> ::core::result::Result<Response, $crate::WaitError<Response, Error>> {
                self.0.wait_until_done(policy, observe).await
            }
        }
    };
}

/// `Builder::paginate` of an operation whose spec declares pagination.
#[macro_export]
#[doc(hidden)]
macro_rules! __builder_paginate {
    () => {
        impl Builder<$crate::ClientHandle> {
            /// Fetches every page, one request per page, in the style the spec's `pagination`
            /// declares (page number, offset, marker or token), starting where this builder
            /// points (its page number, offset, marker or token, else the first page) with the
            /// page size set on this builder (else the provider's).
            pub fn paginate(self) -> $crate::Paginator<Request> {
                self.0.paginate()
            }
        }
    };
}

/// The items of an operation module that its types need, from one table: the operation's
/// `Operation` impl (`spec`, see `__operation_impl!`), the `Builder` (`__builder!`)
/// and its setters with the request's serde ([`impl_request!`](crate::__private::impl_request)),
/// the response's ([`impl_response!`](crate::__private::impl_response)), the error's
/// conversions (`errors { Variant = "Code" } status { Variant = 404 } common(CommonError)`, see
/// [`impl_operation_error!`](crate::__private::impl_operation_error)), and those of each nested
/// `object` and open `string_enum` or `int_enum` of the module.
#[macro_export]
#[doc(hidden)]
macro_rules! __operation_items {
    (
        spec($($spec:tt)*)
        request $($json:ident)? { $($request:tt)* }
        response { $($response:tt)* }
        errors { $($errors:tt)* } $(status { $($status:tt)* })? $(common($common:path))?
        $(object $object:ident { $($object_fields:tt)* })*
        $(string_enum $string_enum:ident { $($string_values:tt)* })*
        $(int_enum $int_enum:ident { $($int_values:tt)* })*
    ) => {
        $crate::__operation_impl!($($spec)*);
        $crate::__builder!();
        $crate::__impl_request!($($json)? { $($request)* });
        $crate::__impl_response!(Response { $($response)* });
        $crate::__impl_operation_error!(Error { $($errors)* } $(status { $($status)* })? $(common $common)?);
        $($crate::__impl_object!($object { $($object_fields)* });)*
        $($crate::__impl_string_enum!($string_enum { $($string_values)* });)*
        $($crate::__impl_int_enum!($int_enum { $($int_values)* });)*
    };
}

/// The `Operation` impl of an operation module's `Request`: its `Response` and `Error`, the
/// static facts (wire name, method and path, retry safety, required parameters by wire name in
/// the order of the builder's bits, HTTP statuses that are documented errors), and with
/// `token(field)` the idempotency token field. The generated code writes the request's
/// `Parameters` impl (`write` and `validate`) itself.
#[macro_export]
#[doc(hidden)]
macro_rules! __operation_impl {
    (
        $name:literal, $method:ident $path:literal, retry $retry:ident, required($($required:literal),* $(,)?)
        $(, status_errors($($status:literal),* $(,)?))? $(, token($token:ident))? $(,)?
    ) => {
        impl $crate::__private::Operation for Request {
            type Response = Response;
            type Error = Error;
            const SPEC: $crate::__private::OperationSpec = $crate::__private::OperationSpec {
                service: &super::SERVICE,
                name: $name,
                method: $crate::__private::Method::$method,
                path: $path,
                retry: $crate::__private::RetrySafety::$retry,
                required: &[$($required),*],
                status_errors: &[$($($status),*)?],
            };
            $(
                #[inline]
                fn idempotency_token(&mut self) -> ::core::option::Option<&mut ::core::option::Option<String>> {
                    ::core::option::Option::Some(&mut self.$token)
                }
            )?
        }
    };
}

/// The service `Client`'s method per operation: `module "summary"` gives
/// `fn module(&self) -> module::Builder<ClientHandle>`, documented with the summary and a link
/// to the operation's module.
#[macro_export]
#[doc(hidden)]
macro_rules! __client_methods {
    ($($method:ident $summary:literal),* $(,)?) => {
        impl Client {
            $(
                #[doc = ::core::concat!($summary, " See [`", ::core::stringify!($method), "`].")]
                #[inline]
                pub fn $method(&self) -> $method::Builder<$crate::ClientHandle> {
                    $method::Builder($crate::Builder::with_client(self.handle.clone()))
                }
            )*
        }
    };
}

/// The example tests of a service, per operation `module [success examples] [error examples]`:
/// a success example is `"name" "body"` (the body decodes into the response and encodes back
/// to the same JSON), an error example `"name" status "body" "Variant"` (the body decodes into
/// that variant of the operation's error). A second test feeds malformed variants of each
/// operation's success bodies to its response decoding.
#[macro_export]
#[doc(hidden)]
macro_rules! __example_tests {
    ($(
        $op:ident
        [$($name:literal $body:literal),* $(,)?]
        [$($error_name:literal $status:literal $error_body:literal $variant:literal),* $(,)?]
    ),* $(,)?) => {
        #[cfg(test)]
        mod examples {
            #[test]
            #[allow(unused_imports)]
            fn documented_examples_decode() {
                use $crate::__private::{ErrorExample as _, Example as _};
                $(
                    $(super::$op::Response::check_example($name, $body);)*
                    $(super::$op::Request::check_error_example($error_name, $status, $error_body, $variant);)*
                )*
            }
            #[test]
            fn malformed_responses_do_not_panic() {
                $($crate::__private::malformed_responses::<super::$op::Request>(&[$($body),*]);)*
            }
        }
    };
}

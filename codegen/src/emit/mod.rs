//! Stage 4, emit: IR to token streams, one service per file.
//!
//! Emitters are pure functions from IR to `TokenStream`; they never decide names (the IR
//! has them) and cannot fail on user input. Generated code is declarative: behaviour (HTTP,
//! signing, retries, validation rules) lives in the runtime, reached through
//! `crate::__private`, so changing it never needs regeneration.

mod checks;
mod cli;
mod errors;
mod examples;
mod lifecycle;
mod operation;
mod types;

use std::fmt::Write as _;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{Envelope, Operation, Protocol, Provider, Service, Signing};
use crate::part::Part;
use crate::render::{self, Module as _};

/// An identifier from an IR name (always a valid identifier: see `ir::names`).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Doc attributes for documentation lines.
pub(crate) fn docs(lines: &[String]) -> TokenStream {
    lines.iter().map(|line| doc(&if line.is_empty() { String::new() } else { format!(" {line}") })).collect()
}

/// The doc attributes of `text`, written with its leading space (` Errors of ...`). Every doc
/// attribute of the generated code is made here, so that no text can break the comment it is
/// printed as: a CR or LF starts a new doc line (a bare CR is an error in a doc comment), and
/// other control characters and bidirectional controls (a deny-by-default lint) are shown as
/// `\u{..}` escapes.
pub(crate) fn doc(text: &str) -> TokenStream {
    text.split(['\r', '\n'])
        .enumerate()
        .map(|(i, line)| {
            let mut shown = String::with_capacity(line.len() + 1);
            if i > 0 && !line.is_empty() && !line.starts_with(' ') {
                shown.push(' ');
            }
            shown.push_str(&doc_safe(line));
            quote!(#[doc = #shown])
        })
        .collect()
}

/// `line` with control characters (but tabs) and bidirectional controls shown as `\u{..}`
/// escapes, as doc text must be (see [`doc`]).
pub(crate) fn doc_safe(line: &str) -> String {
    let mut shown = String::with_capacity(line.len());
    for c in line.chars() {
        if (c.is_control() && c != '\t') || crate::spec::text::is_bidi_control(c) {
            let _ = write!(shown, "\\u{{{:04X}}}", u32::from(c));
        } else {
            shown.push(c);
        }
    }
    shown
}

/// One generated file: the service module of crate `part`.
pub fn service(service: &Service, part: Part) -> TokenStream {
    ServiceModule::new(service, part).whole()
}

/// Whether crate `part` has a module for `service`: the shared and client crates always, an
/// operations crate when it holds one of the service's operations.
#[must_use]
pub fn has_items(service: &Service, part: Part) -> bool {
    match part {
        Part::Shared | Part::Client => true,
        Part::Operations(_) => service.operations.iter().any(|op| part.holds(op)),
    }
}

/// The service module of one crate ([`Part`]) in pieces that can be emitted apart (see
/// [`render::Module`]): the service's own items in that crate, then one piece per operation
/// it holds, then their example tests.
#[derive(Clone, Debug)]
pub struct ServiceModule<'a> {
    service: &'a Service,
    part: Part,
    /// The operations this crate's module holds.
    held: Vec<&'a Operation>,
}

impl<'a> ServiceModule<'a> {
    /// The module of `service` in crate `part`.
    #[must_use]
    pub fn new(service: &'a Service, part: Part) -> Self {
        let held = service.operations.iter().filter(|op| part.holds(op)).collect();
        Self { service, part, held }
    }

    /// The path of this service's module in crate `part` (`::cloud_task_apis_shared::huawei::dis`).
    fn path_in(&self, part: Part) -> TokenStream {
        let krate = ident(&part.crate_name());
        let provider = ident(self.service.provider.word());
        let module = ident(&self.service.module);
        quote!(::#krate::#provider::#module)
    }

    /// The service's own items in this crate: in the shared crate its wire facts, common errors
    /// and shared types; in an operations crate the imports of those its operations name; in the
    /// client crate the client, the command-line tool's table and the re-exports of the
    /// service's types and operations.
    fn own_items(&self) -> TokenStream {
        let service = self.service;
        let shared = self.path_in(Part::Shared);
        match self.part {
            Part::Shared => {
                let spec = service_spec(service);
                let common = errors::common(service);
                let types = shared_types(service);
                quote!(#spec #common #types)
            }
            Part::Operations(_) => {
                let common = self.held.iter().any(|op| op.common_errors).then(|| quote!(use #shared::CommonError;));
                let types = self.held.iter().any(|op| !op.shared.is_empty()).then(|| quote!(use #shared::types;));
                quote!(use #shared::SERVICE; #common #types)
            }
            Part::Client => {
                let common = (!service.common_errors.is_empty()).then(|| quote!(pub use #shared::CommonError;));
                let types =
                    (!service.types.is_empty() || !service.enums.is_empty()).then(|| quote!(pub use #shared::types;));
                // Each operations crate's module of the service holds only operation modules (and
                // private imports), so a glob re-exports exactly its operations.
                let operations = (0..crate::part::OPERATION_CRATES)
                    .map(Part::Operations)
                    .filter(|&part| has_items(service, part))
                    .map(|part| self.path_in(part))
                    .map(|path| quote!(pub use #path::*;));
                let cli = cli::service_table(service);
                let client = client(service);
                quote!(use #shared::SERVICE; #common #types #(#operations)* #cli #client)
            }
        }
    }
}

impl render::Module for ServiceModule<'_> {
    fn head(&self) -> TokenStream {
        let module = ident(&self.service.module);
        let module_docs = match self.part {
            Part::Client => docs(&self.service.docs),
            Part::Shared | Part::Operations(_) => {
                let path = format!(
                    " The items of `cloud_task_apis::{}::{}` this crate compiles.",
                    self.service.provider.word(),
                    self.service.module
                );
                doc(&path)
            }
        };
        quote!(#module_docs pub mod #module)
    }

    fn pieces(&self) -> usize {
        self.held.len() + 2
    }

    fn piece(&self, index: usize) -> TokenStream {
        if index == 0 {
            return self.own_items();
        }
        match self.held.get(index - 1) {
            Some(op) => operation::operation(self.service, op),
            None if index == self.held.len() + 1 => examples::tests(&self.held),
            None => TokenStream::new(),
        }
    }
}

/// The `types` module of the types and enums the service's operations share (its
/// `types.yaml`), or nothing.
fn shared_types(service: &Service) -> TokenStream {
    if service.types.is_empty() && service.enums.is_empty() {
        return quote!();
    }
    let checked = checks::Checked::shared(service);
    let types = service.types.iter().map(|t| types::object(t, &checked));
    let enums = service.enums.iter().map(types::enumeration);
    quote! {
        /// Types and enums shared by the operations of this service; each operation that names
        /// one re-exports it.
        pub mod types {
            #(#types)*
            #(#enums)*
        }
    }
}

/// The index of crate `part`: one module per provider, each enabled by its cargo feature,
/// including the files of `services` (in the client crate, with the command-line tool's lists).
pub fn index(services: &[&Service], part: Part) -> TokenStream {
    let mut providers: Vec<Provider> = services.iter().map(|s| s.provider).collect();
    providers.dedup();
    let modules = providers.iter().map(|&provider| {
        let name = provider.word();
        let module = ident(name);
        let title = match provider {
            Provider::Alibaba => " Alibaba Cloud services.",
            Provider::Huawei => " Huawei Cloud services.",
            Provider::Tencent => " Tencent Cloud services.",
        };
        let services: Vec<&Service> = services.iter().copied().filter(|s| s.provider == provider).collect();
        let cli = (part == Part::Client).then(|| cli::provider_list(&services));
        let includes = services.iter().map(|s| {
            let file = format!("/{}{}", part.folder(), file_name(s));
            quote!(include!(concat!(env!("OUT_DIR"), #file));)
        });
        quote! {
            #[doc = #title]
            #[cfg(feature = #name)]
            pub mod #module {
                #(#includes)*
                #cli
            }
        }
    });
    let modules: Vec<TokenStream> = modules.collect();
    let cli = (part == Part::Client).then(|| cli::index_list(&providers));
    quote!(#(#modules)* #cli)
}

/// The file name of a service's generated code.
#[must_use]
pub fn file_name(service: &Service) -> String {
    format!("{}_{}.rs", service.provider.word(), service.module)
}

fn service_spec(service: &Service) -> TokenStream {
    let provider = ident(match service.provider {
        Provider::Alibaba => "Alibaba",
        Provider::Huawei => "Huawei",
        Provider::Tencent => "Tencent",
    });
    let name = &service.module;
    let api_version = match &service.api_version {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let protocol = ident(match service.protocol {
        Protocol::Rpc => "Rpc",
        Protocol::Rest => "Rest",
        Protocol::TencentApi3 => "TencentApi3",
    });
    let endpoint = &service.endpoint;
    let endpoints = service
        .endpoints
        .iter()
        .map(|(name, host)| quote!(crate::__private::NamedEndpoint { name: #name, host: #host }));
    let signing = service.signing.iter().map(|s| {
        ident(match s {
            Signing::Acs3HmacSha256 => "Acs3HmacSha256",
            Signing::RpcHmacSha1 => "RpcHmacSha1",
            Signing::HuaweiSdkHmacSha256 => "HuaweiSdkHmacSha256",
            Signing::HuaweiToken => "HuaweiToken",
            Signing::TencentQSignSha1 => "TencentQSignSha1",
            Signing::TencentTc3HmacSha256 => "TencentTc3HmacSha256",
        })
    });
    let envelope = ident(match service.envelope {
        Envelope::Alibaba => "Alibaba",
        Envelope::Huawei => "Huawei",
        Envelope::HuaweiDis => "HuaweiDis",
        Envelope::TencentCls => "TencentCls",
        Envelope::TencentApi3 => "TencentApi3",
    });
    let request_id_header = match &service.request_id_header {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    };
    let success_when = match &service.success_when {
        Some(when) => {
            let field = &when.field;
            let values = &when.values;
            quote!(Some(crate::__private::SuccessWhen { field: #field, values: &[#(#values),*] }))
        }
        None => quote!(None),
    };
    quote! {
        /// Wire facts of this service, from its `service.yaml`.
        #[doc(hidden)]
        pub static SERVICE: crate::__private::ServiceSpec = crate::__private::ServiceSpec {
            provider: crate::Provider::#provider,
            name: #name,
            api_version: #api_version,
            protocol: crate::__private::Protocol::#protocol,
            endpoint: #endpoint,
            endpoints: &[#(#endpoints),*],
            signing: &[#(crate::Signing::#signing),*],
            envelope: crate::__private::Envelope::#envelope,
            request_id_header: #request_id_header,
            success_when: #success_when,
        };
    }
}

fn client(service: &Service) -> TokenStream {
    let title = " Client for the operations of this service; cheap to clone (clones share connections).";
    // Per operation its module and summary; the runtime's macro writes the methods, each
    // documented with the summary and a link to the operation's module for the rest.
    let methods = service.operations.iter().map(|op| {
        let method = ident(&op.module);
        let summary: Vec<&str> = op.docs.iter().map(String::as_str).take_while(|line| !line.is_empty()).collect();
        let summary = doc_safe(&summary.join(" "));
        quote!(#method #summary)
    });
    let methods = (!service.operations.is_empty()).then(|| quote!(crate::__private::client_methods!(#(#methods),*);));
    // A service whose folder holds no operation yet has a client with no method to use the
    // connection handle; the field is still what `new` validates the configuration into.
    let unused = service.operations.is_empty().then(|| quote!(#[allow(dead_code)]));
    quote! {
        #[doc = #title]
        #[derive(Clone, Debug)]
        pub struct Client {
            #unused
            handle: crate::ClientHandle,
        }
        impl Client {
            /// Creates a client from a configuration (region, credentials, timeouts, retries).
            ///
            /// # Errors
            /// When the configuration cannot serve this service (see [`crate::ConfigError`]).
            pub fn new(config: crate::Config) -> Result<Self, crate::ConfigError> {
                Ok(Self { handle: crate::ClientHandle::new(&SERVICE, config)? })
            }
        }
        #methods
    }
}

/// An unsuffixed integer literal, braced when negative (as const generic arguments need).
pub(crate) fn const_int(value: i32) -> TokenStream {
    let literal = Literal::i32_unsuffixed(value);
    if value < 0 { quote!({ #literal }) } else { quote!(#literal) }
}

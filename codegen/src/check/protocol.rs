//! Rules about how a service's protocol, signers, error envelope and endpoints fit together,
//! and what the Tencent Cloud API 3.0 protocol asks of its operations.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::spec::model::{Envelope, Method, OperationDoc, ParamIn, ParamSource, Protocol, ServiceSpec, Signing};
use crate::spec::yaml::Value;

/// Rule: `protocol: tencent_api3`, `error_envelope: tencent_api3` and the signer
/// `tencent_tc3_hmac_sha256` go together (each needs the others), the protocol sends
/// `X-TC-Version` from `api_version`, and the default host's first label names the product in
/// the signature's credential scope (`cls` of `cls.tencentcloudapi.com`).
pub fn check_tencent_api3_service(spec: &ServiceSpec, diags: &mut Diagnostics) {
    let s = &spec.service;
    let api3 = s.protocol.value == Protocol::TencentApi3;
    if api3 != (s.error_envelope.value == Envelope::TencentApi3) {
        let (span, message) = if api3 {
            (
                s.error_envelope.span,
                format!(
                    "`protocol: tencent_api3` answers errors in the `tencent_api3` envelope, not `{}`",
                    s.error_envelope.value.word()
                ),
            )
        } else {
            (
                s.error_envelope.span,
                format!(
                    "`error_envelope: tencent_api3` needs `protocol: tencent_api3`, not `{}`",
                    s.protocol.value.word()
                ),
            )
        };
        diags.push(
            Diagnostic::error(span, message)
                .label("protocol and error envelope do not match")
                .also(s.protocol.span, "protocol declared here")
                .help("write both `protocol: tencent_api3` and `error_envelope: tencent_api3`, or neither"),
        );
    }
    for signing in &s.signing {
        if (signing.value == Signing::TencentTc3HmacSha256) != api3 {
            let message = if api3 {
                format!(
                    "`protocol: tencent_api3` is signed with `tencent_tc3_hmac_sha256`, not `{}`",
                    signing.value.word()
                )
            } else {
                "`tencent_tc3_hmac_sha256` signs only `protocol: tencent_api3`".to_owned()
            };
            diags.push(
                Diagnostic::error(signing.span, message)
                    .label("signer does not fit the protocol")
                    .also(s.protocol.span, "protocol declared here")
                    .help("Tencent Cloud API 3.0 services list `signing: [tencent_tc3_hmac_sha256]`"),
            );
        }
    }
    if !api3 {
        return;
    }
    if s.api_version.is_none() {
        diags.push(
            Diagnostic::error(s.protocol.span, "`protocol: tencent_api3` needs `api_version`")
                .label("every call sends `X-TC-Version`")
                .help("add `api_version: \"YYYY-MM-DD\"` (CLS: \"2020-10-16\")"),
        );
    }
    let product = s.endpoint.value.split('.').next().unwrap_or_default();
    if product.is_empty() || !product.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        diags.push(
            Diagnostic::error(s.endpoint.span, format!("`{}` does not start with a product name", s.endpoint.value))
                .label("the first label names the product in the TC3 credential scope")
                .help("write the product's default host, such as `cls.tencentcloudapi.com`"),
        );
    }
}

/// Rule: an operation of a `tencent_api3` service is `POST /` (the action travels in
/// `X-TC-Action`), its caller's parameters are top-level keys of the JSON body, and its
/// examples show the object inside `Response` (the envelope is the protocol's).
pub fn check_tencent_api3_operation(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    if spec.service.protocol.value != Protocol::TencentApi3 {
        return;
    }
    if op.method.value != Method::Post || op.path.value != "/" {
        let span = if op.method.value == Method::Post { op.path.span } else { op.method.span };
        diags.push(
            Diagnostic::error(
                span,
                format!("`{} {}` in a `tencent_api3` service", op.method.value.word(), op.path.value),
            )
            .label("Tencent Cloud API 3.0 calls are `POST /`")
            .also(spec.service.protocol.span, "protocol declared here")
            .help("write `http: { method: POST, path: / }`; the operation is named by `X-TC-Action`"),
        );
    }
    for param in &op.params {
        let in_body = param.location.as_ref().is_some_and(|l| l.value == ParamIn::Body);
        let from_caller = param.source.as_ref().is_none_or(|s| s.value == ParamSource::Caller);
        if !in_body || !from_caller {
            let span = param.location.as_ref().map_or(param.name.span, |l| l.span);
            diags.push(
                Diagnostic::error(span, format!("parameter `{}` is not a body parameter", param.name.value))
                    .label("Tencent Cloud API 3.0 sends only a JSON body")
                    .also(spec.service.protocol.span, "protocol declared here")
                    .help("declare it `in: body`; the common parameters (action, version, region, time) are the protocol's headers"),
            );
        }
    }
    for example in &op.examples {
        if let Value::Map(entries) = &example.body.value
            && let Some((key, _)) = entries.iter().find(|(k, _)| k.as_str() == Some("Response"))
        {
            diags.push(
                Diagnostic::error(key.span, format!("example `{}` is wrapped in `Response`", example.name.value))
                    .label("the protocol adds and removes the envelope")
                    .help("write the object inside `Response` as the example's body"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostics;
    use crate::source::SourceMap;

    const SERVICE: &str = "format: 1\nprovider: tencent\nservice: fixture\ntitle: Fixture\napi_version: \"2020-10-16\"\n\
                           protocol: tencent_api3\nendpoint: fixture.tencentcloudapi.com\n\
                           signing: [tencent_tc3_hmac_sha256]\nerror_envelope: tencent_api3\n";

    fn messages(operation: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        sources.add("specs/fixture/service.yaml", SERVICE.to_owned());
        sources.add("specs/fixture/Op.yaml", operation.to_owned());
        let mut diags = Diagnostics::new();
        let services = crate::spec::load(&sources, &mut diags);
        assert!(!diags.has_errors(), "{}", diags.render(&sources));
        crate::check::check(&services, &mut diags);
        diags
            .items()
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
            .map(|d| d.message.clone())
            .collect()
    }

    fn operation(params: &str, body: &str) -> String {
        format!(
            "format: 1\noperation: Op\nseed: s.md\nsummary: Does it.\nhttp: {{ method: POST, path: / }}\n\
             idempotency: read\nrequest:\n  params:\n{params}response:\n  fields:\n\
             \x20   - {{ name: RequestId, type: string, required: true, description: Id. }}\n\
             examples:\n  - name: ok\n    response: {{ status: 200, body: {body} }}\n"
        )
    }

    #[test]
    fn body_parameters_only() {
        let body = "    - { name: A, in: body, type: string, required: true, description: A. }\n";
        assert_eq!(messages(&operation(body, "{ RequestId: r }")), Vec::<String>::new());
        let query = "    - { name: A, in: query, type: string, required: true, description: A. }\n";
        assert_eq!(messages(&operation(query, "{ RequestId: r }")), ["parameter `A` is not a body parameter"]);
    }

    #[test]
    fn examples_hold_the_object_inside_response() {
        let found = messages(&operation("    []\n", "{ Response: { RequestId: r } }"));
        assert!(found.iter().any(|m| m == "example `ok` is wrapped in `Response`"), "{found:?}");
        assert!(!messages(&operation("    []\n", "{ RequestId: r }")).iter().any(|m| m.contains("wrapped")));
    }
}

//! Stage 3, lower: checked specs to the IR. Names are decided here through [`names`], and
//! collisions between them are the only problems this stage reports.

use crate::check::parse_offset;
use crate::diagnostic::Diagnostics;
use crate::ir::docs::DocBuilder;
use crate::ir::names::{self, RESERVED_ERROR_VARIANTS, Scope};
use crate::ir::{
    Api, Constraints, EmptyRule, Enum, ErrorVariant, Example, Field, Operation, PageStyle, Pagination, RustType,
    Service, Step, Struct, SuccessWhen, Variant, Waiter, WireValue,
};
use crate::source::SourceMap;
use crate::spec::model::{self, Charset, EnumKind, Idempotency, ParamSource, ServiceSpec, Shape, TimeForm};
use crate::spec::reader::Spanned;
use crate::spec::types::{Scalar, TypeExpr, resolve, resolve_path};
use crate::spec::yaml::{Node, Value};

/// Lowers checked services. Specs must have passed the check stage.
///
/// # Errors
/// Rust name collisions, each pointing at both wire names.
pub fn lower(sources: &SourceMap, specs: &[ServiceSpec]) -> Result<Api, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut services: Vec<Service> = specs.iter().map(|s| service(sources, s, &mut diags)).collect();
    services.sort_by(|a, b| (a.provider, &a.module).cmp(&(b.provider, &b.module)));
    if diags.has_errors() { Err(diags) } else { Ok(Api { services }) }
}

fn service(sources: &SourceMap, spec: &ServiceSpec, diags: &mut Diagnostics) -> Service {
    let s = &spec.service;
    let offset = s.time_zone.as_ref().and_then(|tz| parse_offset(&tz.value));
    let mut methods = Scope::new("client method").reserve("new").reserve("config");
    let common_errors = error_variants(&s.errors, &[], diags);
    // Operations are lowered independently, on every core (a large service is most of a cold
    // generation's model stage); their diagnostics and method names are then taken in order.
    let lowered = crate::parallel::map(&spec.operations, crate::parallel::threads(), |op| {
        let mut found = Diagnostics::new();
        let file = sources.get(op.file).path.clone();
        (operation(spec, op, file, offset.unwrap_or(0), &common_errors, &mut found), found)
    });
    let operations = spec
        .operations
        .iter()
        .zip(lowered)
        .map(|(op, (lowered, found))| {
            diags.extend(found);
            if let Err(d) = methods.claim(&lowered.module, &op.operation.value, op.operation.span) {
                diags.push(d);
            }
            lowered
        })
        .collect();
    let (types, enums) = match &spec.shared {
        Some(shared) => definitions(&Ctx { op: shared, offset: offset.unwrap_or(0) }, diags),
        None => (Vec::new(), Vec::new()),
    };
    let mut doc = DocBuilder::default();
    doc.paragraph(&format!(
        "{} ({}).",
        docs_safe(&s.title.value),
        s.api_version.as_ref().map_or_else(|| "REST API".to_owned(), |v| format!("API version {}", v.value))
    ));
    doc.prose(s.description.as_ref());
    if !s.endpoints.is_empty() {
        doc.paragraph(&format!("Endpoint: `{}` by default.", s.endpoint.value));
        for e in &s.endpoints {
            let about = e.description.as_ref().map(|d| format!(" {}", docs_safe(&d.value))).unwrap_or_default();
            doc.paragraph(&format!(
                "Endpoint `{}` (`Config::named_endpoint(\"{}\")`): `{}`.{about}",
                e.name.value, e.name.value, e.host.value
            ));
        }
    }
    let mut files = vec![sources.get(s.file).path.clone()];
    files.extend(spec.shared.iter().map(|shared| sources.get(shared.file).path.clone()));
    files.extend(spec.operations.iter().map(|op| sources.get(op.file).path.clone()));
    Service {
        provider: s.provider.value,
        module: names::snake(&s.service.value),
        docs: doc.build(),
        api_version: s.api_version.as_ref().map(|v| v.value.clone()),
        protocol: s.protocol.value,
        endpoint: s.endpoint.value.clone(),
        endpoints: s.endpoints.iter().map(|e| (e.name.value.clone(), e.host.value.clone())).collect(),
        signing: s.signing.iter().map(|x| x.value).collect(),
        envelope: s.error_envelope.value,
        request_id_header: s.request_id_header.as_ref().map(|h| h.value.clone()),
        utc_offset_seconds: offset,
        types,
        enums,
        common_errors,
        success_when: s.success_when.as_ref().map(|w| SuccessWhen {
            field: w.field.value.clone(),
            values: w.values.iter().map(|v| v.value.clone()).collect(),
        }),
        operations,
        files,
    }
}

fn docs_safe(text: &str) -> String {
    super::docs::sanitize(text)
}

/// The docs of a type or field whose spec gives no (or a blank) description.
const UNDESCRIBED: &str = "Not described by the provider's document.";

/// Methods of the runtime's request builder; a request parameter's setter may not take one.
const BUILDER_METHODS: &[&str] = &["build", "send", "wait_until_done", "paginate"];

/// A field's time facts: its `forms`, and the zone of its local times (the field's
/// `time_zone`, else the service's).
struct Time {
    forms: Vec<TimeForm>,
    offset: i32,
}

struct Ctx<'a> {
    op: &'a model::OperationDoc,
    offset: i32,
}

/// The types and enums a file declares, named in one scope that keeps clear of the names
/// generated code uses unqualified.
fn definitions(ctx: &Ctx<'_>, diags: &mut Diagnostics) -> (Vec<Struct>, Vec<Enum>) {
    let reserved = [
        "Request",
        "Response",
        "Error",
        "Builder",
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "String",
        "Vec",
        "Box",
        "Default",
        "Into",
        "CommonError",
    ];
    let mut type_names = reserved.iter().fold(Scope::new("type"), |scope, name| scope.reserve(name));
    let types = ctx
        .op
        .own_types()
        .iter()
        .map(|t| {
            let name = names::camel(&t.name.value);
            claim(&mut type_names, &name, &t.name, diags);
            Struct {
                docs: DocBuilder::default()
                    .prose(t.description.as_ref())
                    .correction(t.correction.as_ref())
                    .or_else(UNDESCRIBED)
                    .build(),
                fields: ctx.fields(&t.fields, &[], diags),
                name,
            }
        })
        .collect();
    let enums = ctx.op.own_enums().iter().map(|e| Ctx::enumeration(e, &mut type_names, diags)).collect();
    (types, enums)
}

fn operation(
    spec: &ServiceSpec,
    op: &model::OperationDoc,
    file: String,
    offset: i32,
    common: &[ErrorVariant],
    diags: &mut Diagnostics,
) -> Operation {
    let ctx = Ctx { op, offset };
    // Generated code names the prelude's types unqualified, so specs may not shadow them.
    let (types, enums) = definitions(&ctx, diags);
    let shared = shared_names(op);
    let (request, implicit): (Vec<_>, Vec<_>) =
        ctx.fields(&op.params, BUILDER_METHODS, diags).into_iter().partition(|f| f.source == ParamSource::Caller);
    let response = ctx.fields(&op.response, &[], diags);
    let errors = error_variants(&op.errors, if common.is_empty() { &[] } else { &["Common"] }, diags);
    let examples = op.examples.iter().map(|ex| example(spec, ex, &errors, common)).collect();
    let mut status_errors: Vec<u16> =
        errors.iter().chain(common).filter(|e| e.code.is_none()).map(|e| e.status).collect();
    status_errors.sort_unstable();
    status_errors.dedup();
    let mut request = request;
    let token = op.idempotency_token.as_ref().and_then(|t| request.iter_mut().find(|f| f.wire_name == t.value));
    let token_field = token.map(|f| {
        f.constraints.empty = EmptyRule::NotBlank;
        f.rust_name.clone()
    });
    let mut doc = DocBuilder::default();
    doc.paragraph(&docs_safe(&op.summary.value)).prose(op.description.as_ref());
    // Where the operation is sent and how it is retried, one paragraph.
    let retries = match op.idempotency.value {
        Idempotency::Read => {
            "Retries: no side effect, so every transient failure (throttling, 5xx, timeout, broken connection) is retried."
        }
        Idempotency::Token => {
            "Retries: after a 5xx, a timeout or a broken connection the request is sent again with the same idempotency token, so the provider does the work once."
        }
        Idempotency::Unsafe => {
            "Retries: **a retry could do the work twice** (there is no idempotency token), so the request is not sent again once it may have reached the provider (5xx, timeout, broken connection); only a throttling refusal, made before anything happened, is retried."
        }
    };
    doc.paragraph(&format!(
        "`{} {}` ({}); transcribed from `{}`. {retries}",
        op.method.value.word(),
        op.path.value,
        op.operation.value,
        op.seed.value
    ));
    if let Some(auth) = &op.authorization {
        doc.paragraph(&format!(
            "Authorization: action `{}`{}{}.",
            auth.action.value,
            auth.access_level.as_ref().map(|l| format!(", access level {}", docs_safe(&l.value))).unwrap_or_default(),
            auth.resource_type
                .as_ref()
                .filter(|r| !r.value.is_empty())
                .map(|r| format!(", resource type {}", docs_safe(&r.value)))
                .unwrap_or_default()
        ));
    }
    Operation {
        file,
        wire_name: op.operation.value.clone(),
        module: names::snake(&op.operation.value),
        docs: doc.build(),
        method: op.method.value,
        path: op.path.value.clone(),
        content_type: op.content_type.as_ref().map(|c| c.value.clone()),
        idempotency: op.idempotency.value,
        token_field,
        request,
        implicit,
        response,
        response_docs: DocBuilder::default().prose(op.response_description.as_ref()).build(),
        types,
        enums,
        shared,
        errors,
        common_errors: !common.is_empty(),
        status_errors,
        examples,
        waiter: op.waiter.as_ref().map(|w| ctx.waiter(w)),
        pagination: op.pagination.as_ref().map(|p| ctx.pagination(p)),
    }
}

/// The shared types and enums the operation's own fields reach (directly, or through the
/// fields of shared types), sorted: each is re-exported, so every name the operation's code
/// uses (a waiter's state enum inside a shared type, too) is in scope.
fn shared_names(op: &model::OperationDoc) -> Vec<String> {
    fn visit(op: &model::OperationDoc, ty: &TypeExpr, seen: &mut Vec<TypeExpr>) {
        match ty {
            TypeExpr::Array(item) => visit(op, item, seen),
            TypeExpr::Object(i) if op.is_shared_type(*i) && !seen.contains(ty) => {
                seen.push(ty.clone());
                for f in op.types.get(*i).map_or(&[][..], |t| &t.fields) {
                    if let Ok(inner) = resolve(op, &f.ty, f.items.as_ref()) {
                        visit(op, &inner, seen);
                    }
                }
            }
            TypeExpr::Enum(i) if op.is_shared_enum(*i) && !seen.contains(ty) => seen.push(ty.clone()),
            _ => {}
        }
    }
    let mut seen = Vec::new();
    for f in op.params.iter().chain(&op.response).chain(op.own_types().iter().flat_map(|t| &t.fields)) {
        if let Ok(ty) = resolve(op, &f.ty, f.items.as_ref()) {
            visit(op, &ty, &mut seen);
        }
    }
    let mut names: Vec<String> = seen
        .iter()
        .filter_map(|ty| match ty {
            TypeExpr::Object(i) => op.types.get(*i).map(|t| names::camel(&t.name.value)),
            TypeExpr::Enum(i) => op.enums.get(*i).map(|e| names::camel(&e.name.value)),
            _ => None,
        })
        .collect();
    names.sort();
    names
}

fn claim(scope: &mut Scope, rust: &str, wire: &Spanned<String>, diags: &mut Diagnostics) {
    if let Err(d) = scope.claim(rust, &wire.value, wire.span) {
        diags.push(d);
    }
}

impl Ctx<'_> {
    /// The fields of one object; `reserved` names are refused besides `meta`.
    fn fields(&self, fields: &[model::Field], reserved: &[&str], diags: &mut Diagnostics) -> Vec<Field> {
        let mut scope = reserved.iter().fold(Scope::new("field").reserve("meta"), |scope, name| scope.reserve(name));
        fields
            .iter()
            .map(|f| {
                let rust_name = names::snake(f.rust_name.as_ref().map_or(&f.name.value, |r| &r.value));
                claim(&mut scope, &rust_name, &f.name, diags);
                let mut doc = DocBuilder::default();
                doc.prose(f.description.as_ref())
                    .field_facts(
                        (f.name.value != rust_name).then_some(f.name.value.as_str()),
                        &f.constraints,
                        f.default.as_ref(),
                        f.example.as_ref(),
                    )
                    .correction(f.correction.as_ref());
                if let Some(source) = &f.source {
                    match source.value {
                        ParamSource::AuthToken => doc.paragraph("Filled by the client from token credentials."),
                        ParamSource::ProjectId => doc.paragraph("Filled by the client from the configured project id."),
                        ParamSource::Caller => &mut doc,
                    };
                }
                doc.or_else(UNDESCRIBED);
                let ty = self.rust_type(f);
                let mut constraints = constraints(&f.constraints);
                // A required string parameter is never sent empty unless its spec says it may be.
                if f.location.is_some()
                    && f.required.value
                    && ty == RustType::String
                    && !f.allow_empty.as_ref().is_some_and(|a| a.value)
                    && constraints.min_length.is_none_or(|m| m == 0)
                {
                    constraints.empty = EmptyRule::NotEmpty;
                }
                Field {
                    wire_name: f.name.value.clone(),
                    rust_name,
                    ty,
                    required: f.required.value,
                    docs: doc.build(),
                    location: f.location.as_ref().map(|l| l.value),
                    source: f.source.as_ref().map_or(ParamSource::Caller, |s| s.value),
                    constraints,
                }
            })
            .collect()
    }

    fn rust_type(&self, f: &model::Field) -> RustType {
        let ty = resolve(self.op, &f.ty, f.items.as_ref()).unwrap_or(TypeExpr::Scalar(Scalar::Json));
        let offset = f.time_zone.as_ref().and_then(|tz| parse_offset(&tz.value)).unwrap_or(self.offset);
        let time = Time { forms: f.forms.iter().map(|form| form.value).collect(), offset };
        let base = self.expr(&ty, &time);
        match (f.shape.as_ref().map(|s| s.value), base) {
            (Some(Shape::OneOrMany), RustType::Vec(item)) => RustType::OneOrMany(item),
            (Some(Shape::StringOrNumber), RustType::String) => RustType::StringOrNumber,
            (_, base) => base,
        }
    }

    fn expr(&self, ty: &TypeExpr, time: &Time) -> RustType {
        match ty {
            TypeExpr::Scalar(s) => match s {
                Scalar::String => RustType::String,
                Scalar::Int32 => RustType::I32,
                Scalar::Int64 => RustType::I64,
                Scalar::Float64 => RustType::F64,
                Scalar::Boolean => RustType::Bool,
                Scalar::Rfc3339 => RustType::Timestamp,
                Scalar::EpochMillis => RustType::EpochMillis,
                Scalar::EpochSeconds => RustType::EpochSeconds,
                Scalar::LocalDateTime => RustType::LocalDateTime(time.offset),
                Scalar::Time => RustType::AnyTime(time.forms.clone(), time.offset),
                Scalar::Json => RustType::Json,
            },
            TypeExpr::Array(item) => RustType::Vec(Box::new(self.expr(item, time))),
            TypeExpr::Object(i) => RustType::Struct(names::camel(&self.op.types[*i].name.value)),
            TypeExpr::Enum(i) => RustType::Enum(names::camel(&self.op.enums[*i].name.value)),
        }
    }

    fn enumeration(e: &model::EnumDef, types: &mut Scope, diags: &mut Diagnostics) -> Enum {
        let name = names::camel(&e.name.value);
        claim(types, &name, &e.name, diags);
        let mut variants = Scope::new("variant").reserve("Unknown");
        let values = e
            .values
            .iter()
            .map(|v| {
                let (value, text) = match &v.value.value {
                    Value::Int(i) => (WireValue::Int(*i), i.to_string()),
                    Value::Str(s) => (WireValue::Str(s.clone()), s.clone()),
                    _ => (WireValue::Str(String::new()), String::new()),
                };
                let rust = v.name.as_ref().map_or_else(|| names::camel(&text), |n| names::camel(&n.value));
                if let Err(d) = variants.claim(&rust, &text, v.value.span) {
                    diags.push(d);
                }
                let mut doc = DocBuilder::default();
                doc.paragraph(&format!(
                    "`{text}`{}",
                    v.description.as_ref().map(|d| format!(": {}", docs_safe(&d.value))).unwrap_or_default()
                ));
                Variant { name: rust, value, docs: doc.build() }
            })
            .collect();
        let mut doc = DocBuilder::default();
        doc.prose(e.description.as_ref());
        doc.continuation(match e.kind.value {
            EnumKind::String => {
                "A string on the wire; values not listed here are kept in `Unknown` and sent back unchanged."
            }
            EnumKind::Integer => {
                "An integer on the wire; values not listed here are kept in `Unknown` and sent back unchanged."
            }
        });
        doc.correction(e.correction.as_ref());
        Enum { name, docs: doc.build(), kind: e.kind.value, variants: values }
    }

    fn steps(&self, root: &[model::Field], path: &str) -> Vec<Step> {
        resolve_path(self.op, root, path).map_or_else(
            |_| Vec::new(),
            |(chain, _)| {
                chain
                    .iter()
                    .map(|f| Step {
                        field: names::snake(f.rust_name.as_ref().map_or(&f.name.value, |r| &r.value)),
                        optional: !f.required.value,
                        ty: self.rust_type(f),
                    })
                    .collect()
            },
        )
    }

    fn variant_names(e: &model::EnumDef, states: &[Node]) -> Vec<String> {
        states
            .iter()
            .filter_map(|s| e.values.iter().find(|v| v.value.value == s.value))
            .map(|v| {
                let text = match &v.value.value {
                    Value::Int(i) => i.to_string(),
                    Value::Str(s) => s.clone(),
                    _ => String::new(),
                };
                v.name.as_ref().map_or_else(|| names::camel(&text), |n| names::camel(&n.value))
            })
            .collect()
    }

    fn waiter(&self, w: &model::Waiter) -> Waiter {
        let enum_def = match resolve_path(self.op, &self.op.response, &w.status.value) {
            Ok((_, TypeExpr::Enum(i))) => Some(&self.op.enums[i]),
            _ => None,
        };
        let (enum_name, running, succeeded, failed) = match enum_def {
            Some(e) => (
                names::camel(&e.name.value),
                Self::variant_names(e, &w.running),
                Self::variant_names(e, &w.succeeded),
                Self::variant_names(e, &w.failed),
            ),
            None => (String::new(), Vec::new(), Vec::new(), Vec::new()),
        };
        Waiter {
            status: self.steps(&self.op.response, &w.status.value),
            enum_name,
            running,
            succeeded,
            failed,
            progress: w.progress.as_ref().map(|p| self.steps(&self.op.response, &p.value)),
        }
    }

    fn pagination(&self, p: &model::Pagination) -> Pagination {
        let request = |path: &Option<Spanned<String>>| path.as_ref().map(|x| self.steps(&self.op.params, &x.value));
        let response = |path: &Option<Spanned<String>>| path.as_ref().map(|x| self.steps(&self.op.response, &x.value));
        let style = match p.style.value {
            model::PageStyle::PageNumber => PageStyle::PageNumber {
                number: request(&p.page_number).unwrap_or_default(),
                first: p.first_page.as_ref().map_or(1, |f| f.value),
            },
            model::PageStyle::Offset => PageStyle::Offset {
                offset: request(&p.offset).unwrap_or_default(),
                first: p.first_offset.as_ref().map_or(0, |f| f.value),
            },
            model::PageStyle::Marker => PageStyle::Marker {
                marker: request(&p.marker).unwrap_or_default(),
                field: self.item_steps(p).unwrap_or_default(),
            },
            model::PageStyle::Token => PageStyle::Token {
                token: request(&p.token).unwrap_or_default(),
                next: response(&p.next_token).unwrap_or_default(),
            },
        };
        Pagination {
            style,
            page_size: request(&p.page_size),
            default_page_size: p
                .page_size
                .as_ref()
                .and_then(|size| resolve_path(self.op, &self.op.params, &size.value).ok())
                .and_then(|(chain, _)| chain.last().and_then(|f| f.default.as_ref()).map(|d| &d.value).cloned())
                .and_then(|d| if let Value::Int(i) = d { Some(i) } else { None })
                .unwrap_or(0),
            items: self.steps(&self.op.response, &p.items.value),
            total: response(&p.total),
        }
    }

    /// The path of the marker field inside one listed item.
    fn item_steps(&self, p: &model::Pagination) -> Option<Vec<Step>> {
        let field = p.marker_field.as_ref()?;
        let Ok((_, TypeExpr::Array(item))) = resolve_path(self.op, &self.op.response, &p.items.value) else {
            return None;
        };
        let TypeExpr::Object(t) = *item else { return None };
        Some(self.steps(&self.op.types.get(t)?.fields, &field.value))
    }
}

fn constraints(c: &model::Constraints) -> Constraints {
    let length = |b: &Option<Spanned<i64>>| b.as_ref().and_then(|v| u64::try_from(v.value).ok());
    Constraints {
        min_length: length(&c.min_length),
        max_length: length(&c.max_length),
        minimum: c.minimum.as_ref().map(|v| v.value),
        maximum: c.maximum.as_ref().map(|v| v.value),
        ascii: c.charset.as_ref().is_some_and(|x| x.value == Charset::Ascii),
        alphanumeric: c.charset.as_ref().is_some_and(|x| x.value == Charset::Alphanumeric),
        pattern: c.pattern.as_ref().map(|p| p.value.clone()),
        // Decided by the field, not the `constraints` key: see `Ctx::fields`.
        empty: EmptyRule::Allowed,
    }
}

/// The variants of one `errors` list; `extra` names are reserved besides the runtime's.
fn error_variants(errors: &[model::ErrorDef], extra: &[&str], diags: &mut Diagnostics) -> Vec<ErrorVariant> {
    let mut scope = RESERVED_ERROR_VARIANTS.iter().chain(extra).fold(Scope::new("error variant"), |s, r| s.reserve(r));
    errors
        .iter()
        .map(|e| {
            let (wire, span) = match &e.code {
                Some(code) => (code.value.clone(), code.span),
                None => (format!("HTTP {}", e.status.value), e.span),
            };
            let name = names::camel(e.rust_name.as_ref().map_or(&wire, |r| &r.value));
            if let Err(d) = scope.claim(&name, &wire, span) {
                diags.push(d);
            }
            let mut doc = DocBuilder::default();
            let what = match &e.code {
                Some(code) => format!("`{}` (HTTP {})", code.value, e.status.value),
                None => format!("HTTP {} without an error code", e.status.value),
            };
            doc.paragraph(&format!(
                "{what}{}",
                e.message.as_ref().map(|m| format!(": {}", docs_safe(&m.value))).unwrap_or_default()
            ));
            doc.prose_continuation(
                e.description.as_ref().filter(|d| Some(&d.value) != e.message.as_ref().map(|m| &m.value)),
            );
            ErrorVariant {
                name,
                code: e.code.as_ref().map(|c| c.value.clone()),
                status: u16::try_from(e.status.value).unwrap_or(0),
                docs: doc.build(),
            }
        })
        .collect()
}

/// The variant an error body decodes to: by its code, or by the status when it has no code;
/// an operation's own variants first, then the service's common ones (`Common`).
fn error_variant(own: &[ErrorVariant], common: &[ErrorVariant], code: Option<&str>, status: u16) -> String {
    let matches = |e: &&ErrorVariant| match code {
        Some(code) => e.code.as_deref() == Some(code),
        None => e.code.is_none() && e.status == status,
    };
    if let Some(e) = own.iter().find(matches) {
        e.name.clone()
    } else if common.iter().any(|e| matches(&e)) {
        "Common".to_owned()
    } else {
        "Unmodelled".to_owned()
    }
}

fn example(spec: &ServiceSpec, ex: &model::Example, own: &[ErrorVariant], common: &[ErrorVariant]) -> Example {
    let body = ex.body.to_json();
    let status = u16::try_from(ex.status.value).unwrap_or(0);
    let error_variant = (ex.status.value >= 400).then(|| {
        let key = spec.service.error_envelope.value.code_key();
        let code = body.get(key).map(|c| match c {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        error_variant(own, common, code.as_deref(), status)
    });
    Example { name: names::snake(&ex.name.value), status, body: body.to_string(), error_variant }
}

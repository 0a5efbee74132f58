//! The operations the simulator serves: spec files loaded and checked with the generator's own
//! stages (`spec::load`, `check::check`), and a route table built from them.
//!
//! Routes: an RPC service (Alibaba style) is reached at `/` with the operation named by the
//! `x-acs-action` header or the `Action` parameter (and the version by `x-acs-version` or
//! `Version`); a Tencent Cloud API 3.0 operation at `/` by `X-TC-Action` (and `X-TC-Version`); a
//! REST operation by its method and path template, literal segments matching
//! exactly and `{name}` segments capturing one decoded segment.
//! Operations that share a method and path (DIS BatchStartTransferTask and
//! BatchStopTransferTask) are told apart by a required body parameter whose enum has a single
//! value (`action`: `start` or `stop`).

use cloud_task_apis_codegen::SourceMap;
use cloud_task_apis_codegen::diagnostic::Diagnostics;
use cloud_task_apis_codegen::spec::model::{Envelope, OperationDoc, ParamIn, Protocol, ServiceDoc, ServiceSpec};
use cloud_task_apis_codegen::spec::types::{TypeExpr, resolve};
use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::SimulatorError;

/// The spec files the runtime crate was generated from, as `(path, text)`.
pub(crate) fn embedded() -> Vec<(String, String)> {
    cloud_task_apis::__private::SPEC_FILES.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())).collect()
}

/// The loaded services and their routes.
#[derive(Debug)]
pub(crate) struct Catalog {
    services: Vec<ServiceSpec>,
    routes: Vec<Route>,
}

/// One operation of one service.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OpRef<'a> {
    /// The service file.
    pub service: &'a ServiceDoc,
    /// The operation file.
    pub op: &'a OperationDoc,
    /// Every operation of the service (for behaviour that reads a sibling's spec).
    pub siblings: &'a [OperationDoc],
}

impl OpRef<'_> {
    /// The operation's name as the provider spells it.
    pub fn name(&self) -> &str {
        &self.op.operation.value
    }

    /// `provider/service/Operation`.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.service.provider.value.word(), self.service.service.value, self.op.operation.value)
    }

    /// The service's error envelope.
    pub fn envelope(&self) -> Envelope {
        self.service.error_envelope.value
    }
}

#[derive(Debug)]
struct Route {
    service: usize,
    op: usize,
    kind: RouteKind,
    /// The body parameter and value that single this operation out among those of its shape.
    body: Option<(String, Value)>,
}

#[derive(Debug, PartialEq, Eq)]
enum RouteKind {
    Rpc {
        action: String,
        version: Option<String>,
    },
    /// Tencent Cloud API 3.0: `/`, the action in `X-TC-Action` and the version in `X-TC-Version`.
    Api3 {
        action: String,
        version: Option<String>,
    },
    Rest {
        method: &'static str,
        segments: Vec<Segment>,
    },
}

#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

/// What a request was matched to.
#[derive(Debug)]
pub(crate) enum Routed<'a> {
    /// An operation, with the decoded path parameters.
    Found(OpRef<'a>, Vec<(String, String)>),
    /// An RPC action that exists, but not in the version asked for.
    WrongVersion(OpRef<'a>, String),
    /// Nothing matches.
    NotFound,
}

/// How a request names its target, as far as routing needs it.
#[derive(Debug)]
pub(crate) struct Target<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path as sent (percent-encoded).
    pub path: &'a str,
    /// The RPC action (`x-acs-action` or `Action`), if any.
    pub action: Option<&'a str>,
    /// The RPC version (`x-acs-version` or `Version`), if any.
    pub version: Option<&'a str>,
    /// The Tencent Cloud API 3.0 action (`X-TC-Action`), if any.
    pub tc_action: Option<&'a str>,
    /// The Tencent Cloud API 3.0 version (`X-TC-Version`), if any.
    pub tc_version: Option<&'a str>,
    /// The JSON body, if it is one.
    pub body: Option<&'a Value>,
}

impl Catalog {
    /// Loads and checks `files` (`(path, text)`; files in one folder form a service) with the
    /// generator's load and check stages, and builds the routes.
    pub(crate) fn load(files: Vec<(String, String)>) -> Result<Self, SimulatorError> {
        let mut sources = SourceMap::new();
        for (path, text) in files {
            sources.add(path.replace('\\', "/"), text.replace("\r\n", "\n"));
        }
        let mut diags = Diagnostics::new();
        let services = cloud_task_apis_codegen::spec::load(&sources, &mut diags);
        if !diags.has_errors() {
            cloud_task_apis_codegen::check::check(&services, &mut diags);
        }
        if diags.has_errors() {
            return Err(SimulatorError::Specs(diags.render(&sources)));
        }
        let mut routes: Vec<Route> = Vec::new();
        for (s, spec) in services.iter().enumerate() {
            for (o, op) in spec.operations.iter().enumerate() {
                let kind = match spec.service.protocol.value {
                    Protocol::Rpc => RouteKind::Rpc {
                        action: op.operation.value.clone(),
                        version: spec.service.api_version.as_ref().map(|v| v.value.clone()),
                    },
                    Protocol::Rest => {
                        RouteKind::Rest { method: op.method.value.word(), segments: template_segments(&op.path.value) }
                    }
                    Protocol::TencentApi3 => RouteKind::Api3 {
                        action: op.operation.value.clone(),
                        version: spec.service.api_version.as_ref().map(|v| v.value.clone()),
                    },
                };
                let body = body_constant(op);
                let told_apart =
                    |r: &Route| matches!((&r.body, &body), (Some((n1, v1)), Some((n2, v2))) if n1 == n2 && v1 != v2);
                if let Some(other) = routes.iter().find(|r| same_shape(&r.kind, &kind) && !told_apart(r)) {
                    let first = &services[other.service].operations[other.op];
                    return Err(SimulatorError::Specs(format!(
                        "operations {} and {} cannot be told apart by method and path (or action and version)",
                        first.operation.value, op.operation.value
                    )));
                }
                routes.push(Route { service: s, op: o, kind, body });
            }
        }
        // More literal segments first, so `/a/b` wins over `/a/{x}`.
        routes.sort_by_key(|r| match &r.kind {
            RouteKind::Rest { segments, .. } => {
                std::cmp::Reverse(segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count())
            }
            RouteKind::Rpc { .. } | RouteKind::Api3 { .. } => std::cmp::Reverse(0),
        });
        Ok(Self { services, routes })
    }

    fn op_ref(&self, service: usize, op: usize) -> Option<OpRef<'_>> {
        let spec = self.services.get(service)?;
        Some(OpRef { service: &spec.service, op: spec.operations.get(op)?, siblings: &spec.operations })
    }

    /// Every operation served.
    pub(crate) fn operations(&self) -> Vec<OpRef<'_>> {
        self.routes.iter().filter_map(|r| self.op_ref(r.service, r.op)).collect()
    }

    /// The operation named `name` (the provider's spelling), in any service.
    pub(crate) fn find(&self, name: &str) -> Option<OpRef<'_>> {
        self.operations().into_iter().find(|o| o.name() == name)
    }

    /// The operation a request is for.
    pub(crate) fn route(&self, target: &Target<'_>) -> Routed<'_> {
        let segments: Vec<&str> = target.path.split('/').skip(1).collect();
        let mut wrong_version = None;
        for route in &self.routes {
            match &route.kind {
                RouteKind::Rpc { action, version } | RouteKind::Api3 { action, version } => {
                    let (given_action, given_version) = match route.kind {
                        RouteKind::Api3 { .. } => (target.tc_action, target.tc_version),
                        _ => (target.action, target.version),
                    };
                    let at_root = target.path == "/" || target.path.is_empty();
                    if !at_root || given_action != Some(action.as_str()) {
                        continue;
                    }
                    let Some(found) = self.op_ref(route.service, route.op) else { continue };
                    match (version, given_version) {
                        (Some(expected), Some(given)) if expected != given => {
                            wrong_version = Some((found, given.to_owned()));
                        }
                        _ => return Routed::Found(found, Vec::new()),
                    }
                }
                RouteKind::Rest { method, segments: template } => {
                    if !method.eq_ignore_ascii_case(target.method) || template.len() != segments.len() {
                        continue;
                    }
                    let mut params = Vec::new();
                    let matched = template.iter().zip(&segments).all(|(t, s)| {
                        let decoded = percent_decode_str(s).decode_utf8_lossy().into_owned();
                        match t {
                            Segment::Literal(l) => *l == decoded,
                            Segment::Param(name) => {
                                params.push((name.clone(), decoded));
                                true
                            }
                        }
                    });
                    let body_fits = route
                        .body
                        .as_ref()
                        .is_none_or(|(name, value)| target.body.and_then(|b| b.get(name.as_str())) == Some(value));
                    if matched
                        && body_fits
                        && let Some(found) = self.op_ref(route.service, route.op)
                    {
                        return Routed::Found(found, params);
                    }
                }
            }
        }
        match wrong_version {
            Some((found, given)) => Routed::WrongVersion(found, given),
            None => Routed::NotFound,
        }
    }

    /// Every declared resource, in the order of services and declarations.
    pub(crate) fn resources(&self) -> Vec<crate::resources::Declared<'_>> {
        self.services
            .iter()
            .flat_map(|s| {
                s.service.resources.iter().map(|r| crate::resources::Declared::new(&s.service, &s.operations, r))
            })
            .collect()
    }

    /// The resource named `name` (`DeliveryHistoryJob`, or `provider/service/Name` where names
    /// repeat across services).
    pub(crate) fn resource(&self, name: &str) -> Option<crate::resources::Declared<'_>> {
        self.resources().into_iter().find(|d| d.resource.name.value == name || d.key() == name)
    }
}

fn template_segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .skip(1)
        .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => Segment::Param(name.to_owned()),
            None => Segment::Literal(s.to_owned()),
        })
        .collect()
}

/// Whether two routes would match exactly the same requests.
/// A required body parameter whose enum has a single value, with that value.
fn body_constant(op: &OperationDoc) -> Option<(String, Value)> {
    op.params.iter().find_map(|f| {
        let in_body = f.location.as_ref().is_some_and(|l| l.value == ParamIn::Body);
        if !in_body || !f.required.value {
            return None;
        }
        let Ok(TypeExpr::Enum(i)) = resolve(op, &f.ty, f.items.as_ref()) else { return None };
        match op.enums.get(i)?.values.as_slice() {
            [only] => Some((f.name.value.clone(), only.value.to_json())),
            _ => None,
        }
    })
}

fn same_shape(a: &RouteKind, b: &RouteKind) -> bool {
    match (a, b) {
        (RouteKind::Rpc { .. }, RouteKind::Rpc { .. }) | (RouteKind::Api3 { .. }, RouteKind::Api3 { .. }) => a == b,
        (RouteKind::Rest { method: m1, segments: s1 }, RouteKind::Rest { method: m2, segments: s2 }) => {
            m1 == m2
                && s1.len() == s2.len()
                && s1.iter().zip(s2).all(|pair| match pair {
                    (Segment::Literal(x), Segment::Literal(y)) => x == y,
                    (Segment::Param(_), Segment::Param(_)) => true,
                    _ => false,
                })
        }
        _ => false,
    }
}

/// The value at a dotted path of keys (`operation_log.status`).
pub(crate) fn get_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// Sets the value at a dotted path, creating objects on the way (a non-object on the way is
/// replaced by one).
pub(crate) fn set_path(value: &mut Value, path: &str, new: Value) {
    let mut current = value;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if !current.is_object() {
            *current = Value::Object(serde_json::Map::new());
        }
        let Value::Object(map) = current else { return };
        if keys.peek().is_none() {
            map.insert(key.to_owned(), new);
            return;
        }
        current = map.entry(key.to_owned()).or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
}

/// The body of the operation's first documented success example, or an empty object.
pub(crate) fn success_template(op: &OperationDoc) -> Value {
    op.examples
        .iter()
        .find(|e| (200..300).contains(&e.status.value))
        .map_or_else(|| Value::Object(serde_json::Map::new()), |e| e.body.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_specs_load_and_route() {
        let catalog = Catalog::load(embedded()).expect("embedded specs load");
        let names: Vec<String> = catalog.operations().iter().map(OpRef::key).collect();
        assert!(names.contains(&"huawei/cbr/ShowOpLog".to_owned()), "{names:?}");
        let target = Target {
            method: "POST",
            path: "/",
            action: Some("GetDeliveryHistoryJob"),
            version: None,
            tc_action: None,
            tc_version: None,
            body: None,
        };
        assert!(matches!(catalog.route(&target), Routed::Found(op, _) if op.name() == "GetDeliveryHistoryJob"));
        let target = Target {
            method: "POST",
            path: "/",
            action: Some("GetDeliveryHistoryJob"),
            version: Some("2001-01-01"),
            tc_action: None,
            tc_version: None,
            body: None,
        };
        assert!(matches!(catalog.route(&target), Routed::WrongVersion(..)));
        let target = Target {
            method: "GET",
            path: "/v3/p1/operation-logs/a%20b",
            action: None,
            version: None,
            tc_action: None,
            tc_version: None,
            body: None,
        };
        match catalog.route(&target) {
            Routed::Found(op, params) => {
                assert_eq!(op.name(), "ShowOpLog");
                assert!(params.contains(&("operation_log_id".to_owned(), "a b".to_owned())));
            }
            other => panic!("not routed: {other:?}"),
        }
        let target = Target {
            method: "DELETE",
            path: "/tasks",
            action: None,
            version: None,
            tc_action: None,
            tc_version: None,
            body: None,
        };
        assert!(matches!(catalog.route(&target), Routed::NotFound));
    }

    #[test]
    fn operations_sharing_a_path_are_told_apart_by_their_body_constant() {
        let catalog = Catalog::load(embedded()).expect("embedded specs load");
        let path = "/v2/p1/streams/s1/transfer-tasks/action";
        let routed = |body: &Value| {
            let target = Target {
                method: "POST",
                path,
                action: None,
                version: None,
                tc_action: None,
                tc_version: None,
                body: Some(body),
            };
            match catalog.route(&target) {
                Routed::Found(op, _) => Some(op.name().to_owned()),
                _ => None,
            }
        };
        let stop = serde_json::json!({"action": "stop", "tasks": [{"id": "t"}]});
        let start = serde_json::json!({"action": "start", "tasks": [{"id": "t"}]});
        assert_eq!(routed(&stop).as_deref(), Some("BatchStopTransferTask"));
        assert_eq!(routed(&start).as_deref(), Some("BatchStartTransferTask"));
        assert_eq!(routed(&serde_json::json!({"action": "pause"})), None);
        assert_eq!(routed(&serde_json::json!({})), None);
    }

    #[test]
    fn paths_get_and_set() {
        let mut v = serde_json::json!({"a": {"b": 1}});
        assert_eq!(get_path(&v, "a.b"), Some(&Value::from(1)));
        set_path(&mut v, "a.c.d", Value::from(2));
        set_path(&mut v, "a.b", Value::from(3));
        assert_eq!(v, serde_json::json!({"a": {"b": 3, "c": {"d": 2}}}));
    }

    #[test]
    fn bad_specs_are_reported_with_locations() {
        let files = vec![("x/y/service.yaml".to_owned(), "format: 1\nprovider: nowhere\n".to_owned())];
        match Catalog::load(files) {
            Err(SimulatorError::Specs(report)) => assert!(report.contains("x/y/service.yaml"), "{report}"),
            other => panic!("expected a spec error, got {other:?}"),
        }
    }
}

//! Stage 1: `resources` of a `service.yaml`, as written: what a service keeps (backfill jobs,
//! backups, dump tasks), which operations create, read, list, delete and act on one, its states
//! and the rules a create must follow. The simulator interprets these declarations; the check
//! stage (`check::resources`) makes sure every name and path in them resolves.

use crate::diagnostic::Diagnostics;
use crate::source::Span;
use crate::spec::reader::{Keyword, MapReader, Spanned, wrong_kind};
use crate::spec::yaml::{Node, Value};

crate::spec::model::keywords!(
    /// `id.format`: how the simulator mints a new id.
    IdFormat { /// The next integer after the largest known (or the example's id).
        Integer = "integer", /// A random UUID (`8-4-4-4-12` hex digits).
        Uuid = "uuid", /// 32 random lowercase hex digits.
        Hex32 = "hex32", /// Random letters and digits, as long as the example's id (default 19).
        Alphanumeric = "alphanumeric", }
);
crate::spec::model::keywords!(
    /// `filters[].match`: how a list parameter selects items.
    FilterMatch { /// The item's field equals the parameter.
        Equal = "equal", /// The item's field is one of the parameter's values (a list, or text separated by commas).
        AnyOf = "any_of", /// The item's time field is at or after the parameter's time.
        Since = "since", /// The item's time field is at or before the parameter's time.
        Until = "until", }
);
crate::spec::model::keywords!(
    /// `limits[].per`: what a limit counts over.
    LimitScope { /// Every item of the calling account.
        Account = "account", /// Every item of the same parent.
        Parent = "parent", }
);

/// One entry of `resources`.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// `name`.
    pub name: Spanned<String>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `id`.
    pub id: ResourceId,
    /// `parent`.
    pub parent: Option<Parent>,
    /// `create`.
    pub create: Option<Binding>,
    /// `read`.
    pub read: Option<Binding>,
    /// `list`.
    pub list: Option<ListBinding>,
    /// `delete`.
    pub delete: Option<Binding>,
    /// `actions`.
    pub actions: Vec<Action>,
    /// `state`.
    pub state: Option<State>,
    /// `times`.
    pub times: Times,
    /// `idempotency`.
    pub idempotency: Option<Idempotency>,
    /// `limits`.
    pub limits: Vec<Limit>,
}

/// `id`: the item's identifier.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceId {
    /// `field`: the dotted path of the id in an item.
    pub field: Spanned<String>,
    /// `format`.
    pub format: Spanned<IdFormat>,
}

/// `parent`: items belong to a parent named by a request parameter (a trail, a shipper, a
/// stream).
#[derive(Clone, Debug, PartialEq)]
pub struct Parent {
    /// `param`: the request parameter naming the parent, in every operation that has it.
    pub param: Spanned<String>,
    /// `field`: the item field holding the parent, where items show it.
    pub field: Option<Spanned<String>>,
    /// `error`: the documented code for an unknown parent; without it any parent exists.
    pub error: Option<Spanned<String>>,
}

/// `create`, `read` or `delete`: an operation and where the id travels.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// The key's span (`create:`), where missing keys are reported.
    pub span: Span,
    /// `operation`.
    pub operation: Spanned<String>,
    /// `id`: the response path of the new id (create), the request parameter of the id (read,
    /// delete).
    pub id: Option<Spanned<String>>,
    /// `item` (read): the response path of the item, `""` for the whole body.
    pub item: Option<Spanned<String>>,
    /// `not_found` (read, delete): the documented code for an unknown id.
    pub not_found: Option<Spanned<String>>,
    /// `fields` (create): request paths copied onto item fields, beyond the parameters whose
    /// names are item fields (`{ checkpoint.vault_id: vault_id }`).
    pub fields: Vec<(Spanned<String>, Spanned<String>)>,
}

/// `list`.
#[derive(Clone, Debug, PartialEq)]
pub struct ListBinding {
    /// The key's span.
    pub span: Span,
    /// `operation`.
    pub operation: Spanned<String>,
    /// `items`: the response path of the item list (default: the operation's
    /// `pagination.items`).
    pub items: Option<Spanned<String>>,
    /// `filters`.
    pub filters: Vec<Filter>,
    /// `sort`.
    pub sort: Option<Sort>,
}

/// `list.sort`: the order of listed items.
#[derive(Clone, Debug, PartialEq)]
pub struct Sort {
    /// `field`: the item field sorted on when the request does not choose one.
    pub field: Spanned<String>,
    /// `descending`: the order when the request does not choose one (default `false`).
    pub descending: bool,
    /// `by`: the request parameter whose value picks the field through `keys`.
    pub by: Option<Spanned<String>>,
    /// `keys`: values of `by` and the item field each sorts on.
    pub keys: Vec<(Spanned<String>, Spanned<String>)>,
    /// `order`: the request parameter of the order (`asc` or `desc`, any case).
    pub order: Option<Spanned<String>>,
}

/// An entry of `list.filters`.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    /// `param`: the list operation's request parameter (dotted path).
    pub param: Spanned<String>,
    /// `field`: the item field it selects on (dotted path).
    pub field: Spanned<String>,
    /// `match` (default `equal`).
    pub matching: Spanned<FilterMatch>,
    /// `max_age` (`since` only): how many seconds back the parameter may reach; older is
    /// refused as an invalid parameter.
    pub max_age: Option<Spanned<i64>>,
}

/// An entry of `actions`: an operation that moves items to a state.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// The entry's span.
    pub span: Span,
    /// `operation`.
    pub operation: Spanned<String>,
    /// `ids`: the request path of the ids; `[]` after a segment enters each element of a list
    /// (`transfer_tasks[].transfer_task_id`).
    pub ids: Spanned<String>,
    /// `to`: the state the items move to (a running state starts the course again from it).
    pub to: Node,
    /// `from`: the states the action is allowed in (empty: any).
    pub from: Vec<Node>,
    /// `error`: the documented code when an item's state forbids the action.
    pub error: Option<Spanned<String>>,
}

/// `state`: the item's state field and what its values mean.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The key's span.
    pub span: Span,
    /// `field`: the item field (dotted path).
    pub field: Spanned<String>,
    /// `running`.
    pub running: Vec<Node>,
    /// `succeeded`.
    pub succeeded: Vec<Node>,
    /// `failed`.
    pub failed: Vec<Node>,
    /// `progress`: the item field of a 0-100 progress.
    pub progress: Option<Spanned<String>>,
}

/// `times`: item fields the simulator keeps current, each written in the form of the
/// documented example's value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Times {
    /// `created`: set when the item is created.
    pub created: Vec<Spanned<String>>,
    /// `updated`: set whenever its state changes.
    pub updated: Vec<Spanned<String>>,
    /// `ended`: set when it reaches a final state, absent before.
    pub ended: Vec<Spanned<String>>,
}

/// `idempotency`: a create with a client token.
#[derive(Clone, Debug, PartialEq)]
pub struct Idempotency {
    /// `token`: the create operation's request parameter.
    pub token: Spanned<String>,
    /// `mismatch`: the documented code for a reused token with other parameters.
    pub mismatch: Spanned<String>,
}

/// An entry of `limits`.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    /// `running`: how many items may be in a running state at once.
    pub running: Spanned<i64>,
    /// `per`.
    pub per: Spanned<LimitScope>,
    /// `error`: the code a create gets past the limit.
    pub error: Spanned<String>,
}

/// Decodes one entry of `resources`.
pub fn resource(node: &Node, diags: &mut Diagnostics) -> Option<Resource> {
    let mut m = MapReader::new(node, "a resource", diags)?;
    let before = diags.error_count();
    let name = m.str("name", true, diags);
    let description = m.str("description", false, diags);
    let id = m.require("id").and_then(|n| resource_id(n, diags));
    let parent = m.get("parent").and_then(|n| parent(n, diags));
    let create = m.get("create").and_then(|n| binding(n, "`create`", diags));
    let read = m.get("read").and_then(|n| binding(n, "`read`", diags));
    let list = m.get("list").and_then(|n| list(n, diags));
    let delete = m.get("delete").and_then(|n| binding(n, "`delete`", diags));
    let actions = m.list("actions", false, diags, action);
    let state = m.get("state").and_then(|n| state(n, diags));
    let times = m.get("times").map(|n| times(n, diags)).unwrap_or_default();
    let idempotency = m.get("idempotency").and_then(|n| idempotency(n, diags));
    let limits = m.list("limits", false, diags, limit);
    m.finish(diags);
    if diags.error_count() > before {
        return None;
    }
    Some(Resource {
        name: name?,
        description,
        id: id?,
        parent,
        create,
        read,
        list,
        delete,
        actions,
        state,
        times,
        idempotency,
        limits,
    })
}

fn resource_id(node: &Node, diags: &mut Diagnostics) -> Option<ResourceId> {
    let mut m = MapReader::new(node, "`id`", diags)?;
    let field = m.str("field", true, diags);
    let format = m.keyword("format", true, diags);
    m.finish(diags);
    Some(ResourceId { field: field?, format: format? })
}

fn parent(node: &Node, diags: &mut Diagnostics) -> Option<Parent> {
    let mut m = MapReader::new(node, "`parent`", diags)?;
    let param = m.str("param", true, diags);
    let field = m.str("field", false, diags);
    let error = m.str("error", false, diags);
    m.finish(diags);
    Some(Parent { param: param?, field, error })
}

fn binding(node: &Node, what: &'static str, diags: &mut Diagnostics) -> Option<Binding> {
    let mut m = MapReader::new(node, what, diags)?;
    let operation = m.str("operation", true, diags);
    let id = m.str("id", false, diags);
    let item = m.str("item", false, diags);
    let not_found = m.str("not_found", false, diags);
    let fields = m.get("fields").map(|n| pairs(n, "fields", diags)).unwrap_or_default();
    m.finish(diags);
    Some(Binding { span: node.head(), operation: operation?, id, item, not_found, fields })
}

fn list(node: &Node, diags: &mut Diagnostics) -> Option<ListBinding> {
    let mut m = MapReader::new(node, "`list`", diags)?;
    let operation = m.str("operation", true, diags);
    let items = m.str("items", false, diags);
    let filters = m.list("filters", false, diags, filter);
    let sort = m.get("sort").and_then(|n| sort(n, diags));
    m.finish(diags);
    Some(ListBinding { span: node.head(), operation: operation?, items, filters, sort })
}

fn sort(node: &Node, diags: &mut Diagnostics) -> Option<Sort> {
    let mut m = MapReader::new(node, "`sort`", diags)?;
    let field = m.str("field", true, diags);
    let descending = m.bool("descending", false, diags).is_some_and(|d| d.value);
    let by = m.str("by", false, diags);
    let keys = m.get("keys").map(|n| pairs(n, "keys", diags)).unwrap_or_default();
    let order = m.str("order", false, diags);
    m.finish(diags);
    Some(Sort { field: field?, descending, by, keys, order })
}

/// A mapping of text to text (`{ dataSize: transferBytes }`).
fn pairs(node: &Node, key: &str, diags: &mut Diagnostics) -> Vec<(Spanned<String>, Spanned<String>)> {
    let Value::Map(entries) = &node.value else {
        diags.push(wrong_kind(node, key, "a mapping of parameter values to item fields"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let value = match &v.value {
            Value::Str(s) => s.clone(),
            _ => {
                diags.push(wrong_kind(v, key, "an item field path"));
                continue;
            }
        };
        let name = match &k.value {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            _ => {
                diags.push(wrong_kind(k, key, "a parameter value"));
                continue;
            }
        };
        out.push((Spanned::new(name, k.span), Spanned::new(value, v.span)));
    }
    out
}

fn filter(node: &Node, diags: &mut Diagnostics) -> Option<Filter> {
    let mut m = MapReader::new(node, "a filter", diags)?;
    let param = m.str("param", true, diags);
    let field = m.str("field", true, diags);
    let matching = m.keyword("match", false, diags);
    let max_age = m.int("max_age", false, diags);
    m.finish(diags);
    let param = param?;
    let matching = matching.unwrap_or_else(|| Spanned::new(FilterMatch::Equal, param.span));
    Some(Filter { param, field: field?, matching, max_age })
}

fn action(node: &Node, diags: &mut Diagnostics) -> Option<Action> {
    let mut m = MapReader::new(node, "an action", diags)?;
    let operation = m.str("operation", true, diags);
    let ids = m.str("ids", true, diags);
    let to = m.require("to").cloned();
    let from = m.get("from").map(|n| states(n, "from", diags)).unwrap_or_default();
    let error = m.str("error", false, diags);
    m.finish(diags);
    Some(Action { span: node.head(), operation: operation?, ids: ids?, to: to?, from, error })
}

fn state(node: &Node, diags: &mut Diagnostics) -> Option<State> {
    let mut m = MapReader::new(node, "`state`", diags)?;
    let field = m.str("field", true, diags);
    let list = |key: &'static str, m: &mut MapReader<'_>, diags: &mut Diagnostics| {
        m.require(key).map(|n| states(n, key, diags)).unwrap_or_default()
    };
    let running = list("running", &mut m, diags);
    let succeeded = list("succeeded", &mut m, diags);
    let failed = list("failed", &mut m, diags);
    let progress = m.str("progress", false, diags);
    m.finish(diags);
    Some(State { span: node.head(), field: field?, running, succeeded, failed, progress })
}

fn times(node: &Node, diags: &mut Diagnostics) -> Times {
    let Some(mut m) = MapReader::new(node, "`times`", diags) else { return Times::default() };
    let paths = |key: &'static str, m: &mut MapReader<'_>, diags: &mut Diagnostics| {
        m.list(key, false, diags, |n, d| match n.as_str() {
            Some(text) => Some(Spanned::new(text.to_owned(), n.span)),
            None => {
                d.push(wrong_kind(n, key, "a list of item field paths"));
                None
            }
        })
    };
    let created = paths("created", &mut m, diags);
    let updated = paths("updated", &mut m, diags);
    let ended = paths("ended", &mut m, diags);
    m.finish(diags);
    Times { created, updated, ended }
}

fn idempotency(node: &Node, diags: &mut Diagnostics) -> Option<Idempotency> {
    let mut m = MapReader::new(node, "`idempotency`", diags)?;
    let token = m.str("token", true, diags);
    let mismatch = m.str("mismatch", true, diags);
    m.finish(diags);
    Some(Idempotency { token: token?, mismatch: mismatch? })
}

fn limit(node: &Node, diags: &mut Diagnostics) -> Option<Limit> {
    let mut m = MapReader::new(node, "a limit", diags)?;
    let running = m.int("running", true, diags);
    let per = m.keyword("per", true, diags);
    let error = m.str("error", true, diags);
    m.finish(diags);
    Some(Limit { running: running?, per: per?, error: error? })
}

/// A list of state values.
fn states(node: &Node, key: &str, diags: &mut Diagnostics) -> Vec<Node> {
    match &node.value {
        Value::Seq(items) => items.clone(),
        _ => {
            diags.push(wrong_kind(node, key, "a list of state values"));
            Vec::new()
        }
    }
}

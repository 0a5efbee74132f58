//! Answers a call to an operation a resource names: create, read, list, delete or an action,
//! and stores seeded items.

use serde_json::Value;
use time::OffsetDateTime;
use tokio::time::Instant;

use cloud_task_apis_codegen::spec::resource::{Binding, IdFormat, LimitScope};

use super::list;
use super::render::{render, state_of};
use super::{Declared, Role};
use crate::behaviour::Call;
use crate::catalog::{get_path, set_path, success_template};
use crate::replies::Reply;
use crate::state::{TaskOutcome, TaskScript};
use crate::store::{Item, Remembered, Store, text};
use crate::{Shared, lock};

/// The code an unknown id gets when the resource declares none (HTTP 404).
const NOT_FOUND: &str = "NotFound";
/// The code an action gets when an item's state forbids it and the resource declares none.
const WRONG_STATE: &str = "InvalidState";

/// Answers `call`, which plays `role` for `declared`.
pub(crate) fn respond(shared: &Shared, call: &Call<'_>, declared: &Declared<'_>, role: Role) -> Reply {
    let mut store = lock(&shared.store);
    match role {
        Role::Create => create(&mut store, call, declared),
        Role::Read => read(&store, call, declared),
        Role::List => list_items(&store, call, declared),
        Role::Delete => delete(&mut store, call, declared),
        Role::Action(i) => action(&mut store, call, declared, i),
    }
}

fn create(store: &mut Store, call: &Call<'_>, d: &Declared<'_>) -> Reply {
    let key = d.key();
    let r = d.resource;
    let token_name = r.idempotency.as_ref().map(|i| i.token.value.as_str());
    let token = token_name.and_then(|n| call.params.get(n)).map(text);
    let fingerprint = call.params.without(token_name.as_slice());
    if let (Some(i), Some(token)) = (&r.idempotency, &token)
        && let Some(earlier) = store.tokens.get(&(key.clone(), call.account.to_owned(), token.clone()))
    {
        return if earlier.fingerprint == fingerprint {
            created(call, d, &earlier.id)
        } else {
            call.documented(
                &i.mismatch.value,
                400,
                "The request uses the same client token as a previous, but non-identical request.",
            )
        };
    }
    let parent = parent_of(d, call);
    if let Some(refused) = check_parent(store, call, d, parent.as_deref()) {
        return refused;
    }
    for limit in &r.limits {
        let running = store.items.get(&key).map_or(0, |items| {
            items
                .iter()
                .filter(|i| match limit.per.value {
                    LimitScope::Account => i.account.as_deref() == Some(call.account),
                    LimitScope::Parent => i.parent == parent,
                })
                .filter(|i| is_running(d, i, call.now))
                .count()
        });
        if i64::try_from(running).unwrap_or(i64::MAX) >= limit.running.value {
            return call.documented(
                &limit.error.value,
                400,
                &format!("At most {} {} may run at a time.", limit.running.value, r.name.value),
            );
        }
    }
    let mut fields = d.template();
    if let Value::Object(map) = &mut fields {
        for (name, value) in call.params.without(&[]) {
            if map.contains_key(&name) {
                map.insert(name, value);
            }
        }
    }
    for (from, to) in r.create.iter().flat_map(|c| &c.fields) {
        if let Some(value) = call.params.get(&from.value) {
            set_path(&mut fields, &to.value, value.clone());
        }
    }
    if let Some(p) = &r.parent
        && let (Some(field), Some(value)) = (&p.field, call.params.get(&p.param.value))
    {
        set_path(&mut fields, &field.value, value.clone());
    }
    let id = mint(d, store.items.get(&key).map_or(&[], Vec::as_slice), &fields);
    set_path(&mut fields, &d.resource.id.field.value, id.clone());
    let script = store.scripts.get(&key).cloned().unwrap_or_else(|| default_script(store, d, &key, 0));
    let item = Item {
        id: id.clone(),
        account: Some(call.account.to_owned()),
        parent,
        fields,
        script,
        since: call.now,
        since_wall: call.wall,
        created_wall: call.wall,
    };
    store.items.entry(key.clone()).or_default().push(item);
    if let Some(token) = token {
        store.tokens.insert((key, call.account.to_owned(), token), Remembered { fingerprint, id: id.clone() });
    }
    created(call, d, &id)
}

/// The create operation's documented success body with the new id.
fn created(call: &Call<'_>, d: &Declared<'_>, id: &Value) -> Reply {
    let mut body = success_template(call.op.op);
    if let Some(path) = d.resource.create.as_ref().and_then(|c| c.id.as_ref()) {
        set_path(&mut body, &path.value, id.clone());
    }
    Reply::ok(body)
}

fn read(store: &Store, call: &Call<'_>, d: &Declared<'_>) -> Reply {
    let Some(binding) = &d.resource.read else { return Reply::ok(success_template(call.op.op)) };
    let Some(index) = find(store, call, d, binding) else { return not_found(call, binding) };
    let Some(item) = store.items.get(&d.key()).and_then(|items| items.get(index)) else {
        return not_found(call, binding);
    };
    let shown = render(d, item, call.now);
    let mut body = success_template(call.op.op);
    match binding.item.as_ref().map(|i| i.value.as_str()).filter(|p| !p.is_empty()) {
        Some(path) => set_path(&mut body, path, shown),
        None => merge(&mut body, shown),
    }
    Reply::ok(body)
}

fn list_items(store: &Store, call: &Call<'_>, d: &Declared<'_>) -> Reply {
    let Some(binding) = &d.resource.list else { return Reply::ok(success_template(call.op.op)) };
    let parent = parent_of(d, call);
    if let Some(refused) = check_parent(store, call, d, parent.as_deref()) {
        return refused;
    }
    let items: Vec<Value> = store
        .items
        .get(&d.key())
        .map(|items| {
            items.iter().filter(|i| parent.is_none() || i.parent == parent).map(|i| render(d, i, call.now)).collect()
        })
        .unwrap_or_default();
    let mut kept = match list::filter(d, binding, call, items) {
        Ok(kept) => kept,
        Err(refused) => return refused,
    };
    list::sort(binding, call, &mut kept);
    let total = kept.len();
    let page = match list::page(call.op.op, call, kept) {
        Ok(page) => page,
        Err(refused) => return refused,
    };
    let mut body = success_template(call.op.op);
    if let Some(path) = d.list_items() {
        set_path(&mut body, &path, Value::Array(page.items));
    }
    if let Some(p) = &call.op.op.pagination {
        if let Some(path) = &p.total {
            set_path(&mut body, &path.value, Value::from(total));
        }
        if let Some(path) = &p.next_token {
            set_path(&mut body, &path.value, Value::from(page.next_token.unwrap_or_default()));
        }
    }
    Reply::ok(body)
}

fn delete(store: &mut Store, call: &Call<'_>, d: &Declared<'_>) -> Reply {
    let Some(binding) = &d.resource.delete else { return Reply::ok(success_template(call.op.op)) };
    let Some(index) = find(store, call, d, binding) else { return not_found(call, binding) };
    if let Some(items) = store.items.get_mut(&d.key()) {
        items.remove(index);
    }
    Reply::ok(success_template(call.op.op))
}

fn action(store: &mut Store, call: &Call<'_>, d: &Declared<'_>, which: usize) -> Reply {
    let Some(a) = d.resource.actions.get(which) else { return Reply::ok(success_template(call.op.op)) };
    let key = d.key();
    let ids = collect(&call.params.to_json(), &a.ids.value);
    let from: Vec<Value> = a.from.iter().map(cloud_task_apis_codegen::spec::yaml::Node::to_json).collect();
    let mut chosen = Vec::new();
    for id in &ids {
        let wanted = text(id);
        let Some(index) = store.items.get(&key).and_then(|items| items.iter().position(|i| text(&i.id) == wanted))
        else {
            let message = format!("{} {wanted} does not exist.", d.resource.name.value);
            let code =
                d.resource.read.as_ref().and_then(|b| b.not_found.as_ref()).map_or(NOT_FOUND, |c| c.value.as_str());
            return call.documented(code, 404, &message);
        };
        let current = store.items.get(&key).and_then(|items| items.get(index)).and_then(|i| state_of(d, i, call.now));
        if !from.is_empty() && current.as_ref().is_none_or(|s| !from.contains(s)) {
            let code = a.error.as_ref().map_or(WRONG_STATE, |c| c.value.as_str());
            let state = current.map_or_else(|| "unknown".to_owned(), |s| text(&s));
            return call.documented(
                code,
                400,
                &format!("{} {wanted} is {state}; {} is not allowed now.", d.resource.name.value, a.operation.value),
            );
        }
        chosen.push(index);
    }
    let to = a.to.to_json();
    let script = match d.lifecycle.as_ref().and_then(|l| l.running.iter().position(|s| *s == to)) {
        Some(at) => default_script(store, d, &key, at),
        None => TaskScript::new().end(to),
    };
    if let Some(items) = store.items.get_mut(&key) {
        for index in chosen {
            if let Some(item) = items.get_mut(index) {
                item.script = script.clone();
                item.since = call.now;
                item.since_wall = call.wall;
            }
        }
    }
    Reply::ok(success_template(call.op.op))
}

/// Adds a seeded item (`fields` over the documented example) and returns its id. An item that
/// names its state holds it; otherwise it follows `script`, or the declared course.
pub(crate) fn seed(store: &mut Store, d: &Declared<'_>, fields: Value, script: Option<TaskScript>) -> Value {
    let key = d.key();
    let mut item = d.template();
    merge(&mut item, fields.clone());
    let id_path = &d.resource.id.field.value;
    let id = match get_path(&fields, id_path) {
        Some(id) => id.clone(),
        None => mint(d, store.items.get(&key).map_or(&[], Vec::as_slice), &item),
    };
    set_path(&mut item, id_path, id.clone());
    // The parent an item shows, else the first parent the documented examples name.
    let parent = match d.resource.parent.as_ref().and_then(|p| p.field.as_ref()) {
        Some(field) => get_path(&item, &field.value).map(text),
        None => documented_parents(d).into_iter().next(),
    };
    let named_state = d.lifecycle.as_ref().and_then(|l| get_path(&fields, &l.field)).cloned();
    let script = match (script, named_state) {
        (Some(script), _) => script,
        (None, Some(state)) => TaskScript::new().end(state),
        (None, None) => store.scripts.get(&key).cloned().unwrap_or_else(|| default_script(store, d, &key, 0)),
    };
    let wall = OffsetDateTime::now_utc();
    let created_wall = d
        .resource
        .times
        .created
        .first()
        .and_then(|p| get_path(&fields, &p.value))
        .and_then(|v| super::instant(v, super::zone(d.service)))
        .unwrap_or(wall);
    let items = store.items.entry(key).or_default();
    items.retain(|i| i.id != id);
    items.push(Item {
        id: id.clone(),
        account: None,
        parent,
        fields: item,
        script,
        since: Instant::now(),
        since_wall: wall,
        created_wall,
    });
    id
}

/// The declared course from running state number `from`, then the resource's final state.
fn default_script(store: &Store, d: &Declared<'_>, key: &str, from: usize) -> TaskScript {
    let Some(life) = &d.lifecycle else { return TaskScript::new() };
    let last = match store.outcomes.get(key).copied().unwrap_or_default() {
        TaskOutcome::Succeed => life.succeeded.first(),
        TaskOutcome::Fail => life.failed.first(),
    };
    TaskScript::from_states(life.running.get(from..).unwrap_or_default(), last, store.phase)
}

fn is_running(d: &Declared<'_>, item: &Item, now: Instant) -> bool {
    d.lifecycle.as_ref().is_some_and(|l| l.running.contains(&item.observed(now).state))
}

/// The parent the call names, if the resource has one and the call's request carries it.
fn parent_of(d: &Declared<'_>, call: &Call<'_>) -> Option<String> {
    let p = d.resource.parent.as_ref()?;
    call.params.get(&p.param.value).map(text)
}

/// The documented error for a parent that does not exist, where the resource declares one.
fn check_parent(store: &Store, call: &Call<'_>, d: &Declared<'_>, parent: Option<&str>) -> Option<Reply> {
    let p = d.resource.parent.as_ref()?;
    let error = p.error.as_ref()?;
    let parent = parent?;
    let key = d.key();
    let added = store.parents.get(&key).is_some_and(|s| s.contains(parent));
    let holds = store.items.get(&key).is_some_and(|items| items.iter().any(|i| i.parent.as_deref() == Some(parent)));
    if added || holds || documented_parents(d).iter().any(|x| x == parent) {
        return None;
    }
    Some(call.documented(&error.value, 404, &format!("{} {parent} does not exist.", p.param.value)))
}

/// The parents named by the documented example requests of the resource's operations.
pub(crate) fn documented_parents(d: &Declared<'_>) -> Vec<String> {
    let Some(p) = &d.resource.parent else { return Vec::new() };
    d.operations
        .iter()
        .filter(|o| d.role(&o.operation.value).is_some())
        .flat_map(|o| &o.examples)
        .filter_map(|e| e.request.as_ref())
        .filter_map(|r| get_path(&r.to_json(), &p.param.value).map(text))
        .collect()
}

/// The index of the item the call's id names (within its parent, when the call names one).
fn find(store: &Store, call: &Call<'_>, d: &Declared<'_>, binding: &Binding) -> Option<usize> {
    let id = text(call.params.get(&binding.id.as_ref()?.value)?);
    let parent = parent_of(d, call);
    store.items.get(&d.key())?.iter().position(|i| text(&i.id) == id && (parent.is_none() || i.parent == parent))
}

fn not_found(call: &Call<'_>, binding: &Binding) -> Reply {
    let code = binding.not_found.as_ref().map_or(NOT_FOUND, |c| c.value.as_str());
    call.documented(code, 404, "The resource does not exist.")
}

/// A new id in the declared format, written as the example writes ids (number or text).
fn mint(d: &Declared<'_>, items: &[Item], fields: &Value) -> Value {
    let example = get_path(fields, &d.resource.id.field.value);
    let as_text = matches!(example, Some(Value::String(_)));
    match d.resource.id.format.value {
        IdFormat::Integer => {
            let largest = items.iter().filter_map(|i| text(&i.id).parse::<i64>().ok()).max();
            let next = largest.map_or_else(|| example.and_then(|e| text(e).parse().ok()).unwrap_or(1), |n| n + 1);
            if as_text { Value::from(next.to_string()) } else { Value::from(next) }
        }
        IdFormat::Uuid => Value::from(uuid::Uuid::new_v4().to_string()),
        IdFormat::Hex32 => Value::from(uuid::Uuid::new_v4().simple().to_string()),
        IdFormat::Alphanumeric => {
            const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            let length = example.map(text).map_or(19, |e| e.chars().count().max(1));
            let mut out = String::with_capacity(length);
            while out.len() < length {
                for byte in uuid::Uuid::new_v4().as_bytes() {
                    if out.len() < length {
                        out.push(char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]));
                    }
                }
            }
            Value::from(out)
        }
    }
}

/// Every value at a request path; `[]` after a segment enters each element of a list.
fn collect(root: &Value, path: &str) -> Vec<Value> {
    let mut current = vec![root.clone()];
    for segment in path.split('.') {
        let (key, each) = match segment.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (segment, false),
        };
        let mut next = Vec::new();
        for value in current {
            match value.get(key) {
                Some(Value::Array(items)) if each => next.extend(items.iter().cloned()),
                Some(found) if !each => next.push(found.clone()),
                _ => {}
            }
        }
        current = next;
    }
    current
}

/// Copies the members of `from` over those of `into` (objects only).
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(target), Value::Object(source)) => {
            for (k, v) in source {
                target.insert(k, v);
            }
        }
        (into, from) => *into = from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_collected_through_lists() {
        let params = json!({"transfer_tasks": [{"transfer_task_id": "a"}, {"transfer_task_id": "b"}], "x": 1});
        assert_eq!(collect(&params, "transfer_tasks[].transfer_task_id"), [json!("a"), json!("b")]);
        assert_eq!(collect(&params, "x"), [json!(1)]);
        assert!(collect(&params, "missing[].id").is_empty());
    }
}

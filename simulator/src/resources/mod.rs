//! The interpreter of `resources` (service.yaml): one generic behaviour for every declared
//! resource, whatever the service. A call to an operation a resource names is answered from
//! the stored items; every other call from the spec's examples (`behaviour::from_spec`).
//!
//! - `create` stores an item: an id minted in the declared format, the request's parameters
//!   copied onto the item's fields of the same name, the documented example for the rest;
//!   idempotency tokens, parents and limits are checked first.
//! - `read`, `list` and `delete` find items by id (and parent), `list` filtering, sorting and
//!   paging them as declared (`list`).
//! - `actions` move items to a state, refusing an item whose state forbids it.
//! - an item's state follows its course on the simulator's clock (`render`).

mod handle;
mod list;
mod render;
mod times;

use cloud_task_apis_codegen::spec::model::{OperationDoc, ServiceDoc};
use cloud_task_apis_codegen::spec::resource::Resource;
use serde_json::{Map, Value};

use crate::catalog::{get_path, success_template};

pub(crate) use handle::{respond, seed};
pub(crate) use render::{instant, zone};

/// What an operation does to a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// `create`.
    Create,
    /// `read`.
    Read,
    /// `list`.
    List,
    /// `delete`.
    Delete,
    /// `actions[i]`.
    Action(usize),
}

/// A resource declaration with what the interpreter derives from the service's operations.
#[derive(Debug)]
pub(crate) struct Declared<'a> {
    /// The service.
    pub service: &'a ServiceDoc,
    /// Every operation of the service.
    pub operations: &'a [OperationDoc],
    /// The declaration.
    pub resource: &'a Resource,
    /// Its states: the declared `state`, else the read operation's waiter.
    pub lifecycle: Option<Lifecycle>,
}

/// An item's state field and what its values mean.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lifecycle {
    /// The item field holding the state.
    pub field: String,
    /// States of a running item, in their order.
    pub running: Vec<Value>,
    /// Final states of success.
    pub succeeded: Vec<Value>,
    /// Final states of failure.
    pub failed: Vec<Value>,
    /// The item field of a 0-100 progress.
    pub progress: Option<String>,
}

impl<'a> Declared<'a> {
    /// The resource `resource` of `service`.
    pub(crate) fn new(service: &'a ServiceDoc, operations: &'a [OperationDoc], resource: &'a Resource) -> Self {
        let mut declared = Self { service, operations, resource, lifecycle: None };
        declared.lifecycle = declared.find_lifecycle();
        declared
    }

    /// `provider/service/Name`, the key of its items in the store.
    pub(crate) fn key(&self) -> String {
        format!("{}/{}/{}", self.service.provider.value.word(), self.service.service.value, self.resource.name.value)
    }

    /// The operation named `name` of the service.
    pub(crate) fn operation(&self, name: &str) -> Option<&'a OperationDoc> {
        self.operations.iter().find(|o| o.operation.value == name)
    }

    /// What `operation` does to this resource, if anything.
    pub(crate) fn role(&self, operation: &str) -> Option<Role> {
        let r = self.resource;
        let named = |b: &Option<cloud_task_apis_codegen::spec::resource::Binding>| {
            b.as_ref().is_some_and(|b| b.operation.value == operation)
        };
        if named(&r.create) {
            Some(Role::Create)
        } else if named(&r.read) {
            Some(Role::Read)
        } else if r.list.as_ref().is_some_and(|l| l.operation.value == operation) {
            Some(Role::List)
        } else if named(&r.delete) {
            Some(Role::Delete)
        } else {
            r.actions.iter().position(|a| a.operation.value == operation).map(Role::Action)
        }
    }

    fn find_lifecycle(&self) -> Option<Lifecycle> {
        let json = |nodes: &[cloud_task_apis_codegen::spec::yaml::Node]| nodes.iter().map(|n| n.to_json()).collect();
        if let Some(s) = &self.resource.state {
            return Some(Lifecycle {
                field: s.field.value.clone(),
                running: json(&s.running),
                succeeded: json(&s.succeeded),
                failed: json(&s.failed),
                progress: s.progress.as_ref().map(|p| p.value.clone()),
            });
        }
        let read = self.resource.read.as_ref()?;
        let waiter = self.operation(&read.operation.value)?.waiter.as_ref()?;
        let item = read.item.as_ref().map_or("", |i| i.value.as_str());
        let relative = |path: &str| -> String {
            if item.is_empty() {
                path.to_owned()
            } else {
                path.strip_prefix(&format!("{item}.")).unwrap_or(path).to_owned()
            }
        };
        Some(Lifecycle {
            field: relative(&waiter.status.value),
            running: json(&waiter.running),
            succeeded: json(&waiter.succeeded),
            failed: json(&waiter.failed),
            progress: waiter.progress.as_ref().map(|p| relative(&p.value)),
        })
    }

    /// The response path of the list operation's items.
    pub(crate) fn list_items(&self) -> Option<String> {
        let list = self.resource.list.as_ref()?;
        match &list.items {
            Some(items) => Some(items.value.clone()),
            None => self.operation(&list.operation.value)?.pagination.as_ref().map(|p| p.items.value.clone()),
        }
    }

    /// One item as the documented examples show it: the read operation's item, else the first
    /// listed item, else an empty object.
    pub(crate) fn template(&self) -> Value {
        self.examples().into_iter().next().unwrap_or_else(|| Value::Object(Map::new()))
    }

    /// The items the documented examples show: the read operation's item, else the items of
    /// the list operation's first success example.
    pub(crate) fn examples(&self) -> Vec<Value> {
        if let Some(read) = &self.resource.read
            && let Some(op) = self.operation(&read.operation.value)
        {
            let body = success_template(op);
            let path = read.item.as_ref().map_or("", |i| i.value.as_str());
            let item = if path.is_empty() { Some(&body) } else { get_path(&body, path) };
            if let Some(item @ Value::Object(_)) = item {
                return vec![item.clone()];
            }
        }
        if let (Some(list), Some(path)) = (&self.resource.list, self.list_items())
            && let Some(op) = self.operation(&list.operation.value)
        {
            // A list of one item may be documented as the item alone (`shape: one_or_many`).
            match get_path(&success_template(op), &path) {
                Some(Value::Array(items)) => return items.iter().filter(|i| i.is_object()).cloned().collect(),
                Some(item @ Value::Object(_)) => return vec![item.clone()],
                _ => {}
            }
        }
        Vec::new()
    }
}

/// Every resource of `service` with the role `operation` plays for it, the first that names it.
pub(crate) fn find<'a>(
    service: &'a ServiceDoc,
    operations: &'a [OperationDoc],
    operation: &str,
) -> Option<(Declared<'a>, Role)> {
    service.resources.iter().find_map(|r| {
        let declared = Declared::new(service, operations, r);
        declared.role(operation).map(|role| (declared, role))
    })
}

//! What the simulator remembers between calls: the items of every declared resource, the
//! parents added at run time, the idempotency tokens seen, and per-resource overrides of how
//! items end.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::state::{Observed, TaskOutcome, TaskScript};

/// One stored item of a resource.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// The id as it is written on the wire.
    pub id: Value,
    /// The account that created it (`None` for seeded items).
    pub account: Option<String>,
    /// The parent it belongs to, as text.
    pub parent: Option<String>,
    /// The item's fields (the declared state and times are written when it is shown).
    pub fields: Value,
    /// Its course of states, from `since`.
    pub script: TaskScript,
    /// When the course started (Tokio clock).
    pub since: Instant,
    /// When the course started (wall clock).
    pub since_wall: OffsetDateTime,
    /// When the item was created (wall clock).
    pub created_wall: OffsetDateTime,
}

impl Item {
    /// Where its course is at `now`.
    pub(crate) fn observed(&self, now: Instant) -> Observed {
        self.script.at(now.saturating_duration_since(self.since))
    }
}

/// A create remembered under its idempotency token: the other parameters and the id it made.
#[derive(Clone, Debug)]
pub(crate) struct Remembered {
    /// Every parameter but the token.
    pub fingerprint: BTreeMap<String, Value>,
    /// The id of the item it created.
    pub id: Value,
}

/// Everything the simulator remembers, by resource key (`provider/service/Name`).
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Items in the order they were made.
    pub items: HashMap<String, Vec<Item>>,
    /// Parents added with `Simulator::add_parent`.
    pub parents: HashMap<String, BTreeSet<String>>,
    /// `(resource, account, token)` of the creates that carried a token.
    pub tokens: HashMap<(String, String, String), Remembered>,
    /// How new items of a resource end, where not the default.
    pub outcomes: HashMap<String, TaskOutcome>,
    /// A course for new items of a resource instead of the declared one.
    pub scripts: HashMap<String, TaskScript>,
    /// How long an item holds each running state.
    pub phase: Duration,
}

/// The text of an id or parent value, for comparing a request's `"16602"` with a stored `16602`.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

//! Which named types a request checks, and the rules of their fields.
//!
//! A struct is checked when one of its fields carries constraints or holds a checked struct
//! (directly, in a list or in an `Option`), and a request can hold it: its object table then
//! lists each such field's rules (`field [length_in(..=64) nested()]`), from which the
//! runtime writes its `Validate`, and every field holding it is checked through it, so a broken
//! rule deep in a request body is refused before sending, named by its path
//! (`tasks[0].id`), as the simulator names it.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::{Constraints, EmptyRule, Field, Operation, RustType, Service, Struct};

/// The checked structs of one scope: a service's shared types, or one operation's own types
/// (which see the shared ones too).
#[derive(Debug, Default)]
pub struct Checked {
    /// Checked shared types (by name).
    shared: BTreeSet<String>,
    /// Checked types of the operation (by name); empty for the shared scope.
    local: BTreeSet<String>,
    /// Names of the operation's own types, which hide shared ones of the same name.
    local_names: BTreeSet<String>,
}

impl Checked {
    /// The shared types of `service` that are checked: those that need checks and that the
    /// request of one of its operations can hold.
    #[must_use]
    pub fn shared(service: &Service) -> Self {
        let needing = needing_checks(&service.types, |_| false);
        let mut held = BTreeSet::new();
        for op in &service.operations {
            held.extend(reachable(&op.types, &service.types, &op.request).1);
        }
        Self { shared: needing.intersection(&held).cloned().collect(), ..Self::default() }
    }

    /// The checks of `op`'s own types: those that need checks and that its request can hold.
    ///
    /// Every shared type this scope is asked about is one the operation's request can hold (a
    /// parameter's type, or a field's of one of its own types that the request holds), so that
    /// it needs checks decides (and no other operation is read: emitting every operation stays
    /// linear in their number).
    #[must_use]
    pub fn operation(service: &Service, op: &Operation) -> Self {
        let shared = needing_checks(&service.types, |_| false);
        let needing = needing_checks(&op.types, |name| shared.contains(name));
        let reachable = reachable(&op.types, &service.types, &op.request).0;
        let local = needing.intersection(&reachable).cloned().collect();
        let local_names = op.types.iter().map(|t| t.name.clone()).collect();
        Self { shared, local, local_names }
    }

    /// Whether values of `ty` are checked through the runtime's `Validate`.
    #[must_use]
    pub fn holds_checked(&self, ty: &RustType) -> bool {
        struct_name(ty).is_some_and(|name| self.is_checked(name))
    }

    /// Whether the struct `name` is checked in this scope.
    #[must_use]
    pub fn is_checked(&self, name: &str) -> bool {
        if self.local_names.contains(name) { self.local.contains(name) } else { self.shared.contains(name) }
    }

    /// The rules of one field of a checked struct, for its object table: `[rule(args) ...]`, or
    /// nothing.
    #[must_use]
    pub fn field_rules(&self, field: &Field) -> TokenStream {
        let mut rules: Vec<TokenStream> = rules(&field.constraints, &field.ty)
            .into_iter()
            .map(|Rule { method, argument }| quote!(#method(#argument)))
            .collect();
        if self.holds_checked(&field.ty) {
            rules.push(quote!(nested()));
        }
        if rules.is_empty() { quote!() } else { quote!([#(#rules)*]) }
    }
}

/// One check of a constrained value: the `Validator` method, and its argument after the
/// field's wire name and the value, if it takes one.
#[derive(Debug)]
pub struct Rule {
    /// The method (`length_in`, `pattern`, ...).
    pub method: Ident,
    /// Its last argument (`1..=64`, a pattern), or nothing.
    pub argument: Option<TokenStream>,
}

impl Rule {
    /// The call of this check on `value` (a reference) of the field `wire`.
    #[must_use]
    pub fn call(&self, wire: &str, value: &TokenStream) -> TokenStream {
        let method = &self.method;
        match &self.argument {
            Some(argument) => quote!(check.#method(#wire, #value, #argument);),
            None => quote!(check.#method(#wire, #value);),
        }
    }
}

/// The checks of a value of type `ty` with constraints `c`, in the order they run (a request's
/// parameters and nested types' fields alike).
#[must_use]
pub fn rules(c: &Constraints, ty: &RustType) -> Vec<Rule> {
    let rule = |method: &str, argument: Option<TokenStream>| Rule { method: ident(method), argument };
    let mut rules = Vec::new();
    match c.empty {
        EmptyRule::Allowed => {}
        EmptyRule::NotEmpty => rules.push(rule("not_empty", None)),
        EmptyRule::NotBlank => rules.push(rule("not_blank", None)),
    }
    let lengths = bounds(c.min_length.map(Literal::u64_unsuffixed), c.max_length.map(Literal::u64_unsuffixed));
    if let Some(lengths) = lengths {
        let is_list = matches!(ty, RustType::Vec(_) | RustType::OneOrMany(_));
        rules.push(rule(if is_list { "items_in" } else { "length_in" }, Some(lengths)));
    }
    if let Some(values) = bounds(c.minimum.map(Literal::i64_unsuffixed), c.maximum.map(Literal::i64_unsuffixed)) {
        rules.push(rule("range_in", Some(values)));
    }
    if c.ascii {
        rules.push(rule("ascii", None));
    }
    if c.alphanumeric {
        rules.push(rule("alphanumeric", None));
    }
    if let Some(pattern) = &c.pattern {
        rules.push(rule("pattern", Some(quote!(#pattern))));
    }
    rules
}

/// Inclusive bounds as a range expression (`1..=64`, `..=64`, `1..`); `None` without either.
fn bounds(min: Option<Literal>, max: Option<Literal>) -> Option<TokenStream> {
    match (min, max) {
        (Some(min), Some(max)) => Some(quote!(#min..=#max)),
        (Some(min), None) => Some(quote!(#min..)),
        (None, Some(max)) => Some(quote!(..=#max)),
        (None, None) => None,
    }
}

/// The struct a field of type `ty` holds (directly or in a list), if any.
fn struct_name(ty: &RustType) -> Option<&str> {
    match ty {
        RustType::Struct(name) => Some(name),
        RustType::Vec(item) | RustType::OneOrMany(item) => struct_name(item),
        _ => None,
    }
}

/// The structs of `types` that need checks: with a constrained field, or a field holding a
/// struct that needs them (of `types`, or outside them when `outside` says so), to a fixed point.
fn needing_checks(types: &[Struct], outside: impl Fn(&str) -> bool) -> BTreeSet<String> {
    let own: BTreeSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let mut needing = BTreeSet::new();
    loop {
        let before = needing.len();
        for t in types {
            if needing.contains(&t.name) {
                continue;
            }
            let needs = t.fields.iter().any(|f| {
                !f.constraints.is_empty()
                    || struct_name(&f.ty)
                        .is_some_and(|n| if own.contains(n) { needing.contains(n) } else { outside(n) })
            });
            if needs {
                needing.insert(t.name.clone());
            }
        }
        if needing.len() == before {
            return needing;
        }
    }
}

/// The structs that a request with parameters `request` can hold: of an operation's own
/// `types`, and of the service's `shared` ones (a name found in `types` first).
fn reachable(types: &[Struct], shared: &[Struct], request: &[Field]) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut own, mut of_shared) = (BTreeSet::new(), BTreeSet::new());
    let mut pending: Vec<&str> = request.iter().filter_map(|f| struct_name(&f.ty)).collect();
    while let Some(name) = pending.pop() {
        let (t, seen) = match types.iter().find(|t| t.name == name) {
            Some(t) => (t, &mut own),
            None => match shared.iter().find(|t| t.name == name) {
                Some(t) => (t, &mut of_shared),
                None => continue,
            },
        };
        if seen.insert(t.name.clone()) {
            pending.extend(t.fields.iter().filter_map(|f| struct_name(&f.ty)));
        }
    }
    (own, of_shared)
}

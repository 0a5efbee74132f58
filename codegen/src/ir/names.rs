//! The only place Rust identifiers are decided: wire name → override table → heck →
//! sanitize → collision check.
//!
//! heck splits and joins words well but mangles acronym plurals and mixed-case acronyms
//! (`userIDs` → `user_i_ds`), passes keywords through (`type`) and drops punctuation silently
//! (`$ref` → `ref`), so two wire names can become one Rust name. The override table fixes the
//! first, sanitizing the second, and [`Scope`] turns the third into a diagnostic that points at
//! both wire names instead of renaming anything silently.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// Spellings heck splits wrongly, rewritten before case conversion. Longest first.
const OVERRIDES: &[(&str, &str)] = &[
    ("OAuth", "Oauth"),
    ("IPv4", "Ipv4"),
    ("IPv6", "Ipv6"),
    ("IDs", "Ids"),
    ("IPs", "Ips"),
    ("URLs", "Urls"),
    ("MiB", "Mib"),
    ("GiB", "Gib"),
    ("KiB", "Kib"),
];

/// Rust keywords of edition 2024, strict and reserved; an identifier equal to one gets a `_`
/// suffix (`type_`). `r#` is not used because it cannot cover `self`, `Self`, `super` or `crate`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Variant names the generated enums use themselves.
const RESERVED_VARIANTS: &[&str] = &["Unknown", "Self"];

/// Variant names the generated error enums use themselves.
pub const RESERVED_ERROR_VARIANTS: &[&str] = &["Unmodelled", "Request", "Self"];

fn apply_overrides(wire: &str) -> String {
    let mut out = wire.to_owned();
    for (from, to) in OVERRIDES {
        out = out.replace(from, to);
    }
    out
}

/// Replaces everything but ASCII letters and digits with `_`, so heck sees word breaks where
/// punctuation was instead of dropping it, and every identifier is plain ASCII.
fn punctuation_to_breaks(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

fn sanitize(mut ident: String, digit_prefix: &str) -> String {
    if ident.is_empty() {
        ident.push_str(digit_prefix.trim_end_matches('_'));
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, digit_prefix);
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// Field, parameter, module and method names: `snake_case`.
#[must_use]
pub fn snake(wire: &str) -> String {
    sanitize(punctuation_to_breaks(&apply_overrides(wire)).to_snake_case(), "n_")
}

/// Type and variant names: `UpperCamelCase`.
#[must_use]
pub fn camel(wire: &str) -> String {
    sanitize(punctuation_to_breaks(&apply_overrides(wire)).to_upper_camel_case(), "V")
}

/// Whether an enum value would turn into a variant name the generated enum reserves.
#[must_use]
pub fn is_reserved_variant(value: &str) -> bool {
    RESERVED_VARIANTS.contains(&camel(value).as_str())
}

/// One namespace of Rust names (the fields of a struct, the variants of an enum, ...).
/// Claiming a name twice is reported with both wire names and both places.
#[derive(Debug)]
pub struct Scope {
    what: &'static str,
    /// Each name with the wire name and place that claimed it; `None` for names the generated
    /// code reserves.
    taken: BTreeMap<String, Option<(String, Span)>>,
}

impl Scope {
    /// An empty scope of `what` ("field", "variant", "error variant", "type", "client method").
    #[must_use]
    pub fn new(what: &'static str) -> Self {
        Self { what, taken: BTreeMap::new() }
    }

    /// Marks a name as used by the generated code itself.
    #[must_use]
    pub fn reserve(mut self, rust: &str) -> Self {
        self.taken.insert(rust.to_owned(), None);
        self
    }

    /// How a spec gives a thing of this scope another Rust name.
    fn rename_hint(&self, both: bool) -> &'static str {
        match (self.what, both) {
            ("field", true) => "give one of them another Rust name with `rust_name:`",
            ("field", false) => "give it another Rust name with `rust_name:`",
            ("variant", true) => "give one of the values a `name:`",
            ("variant", false) => "give the value a `name:`",
            ("error variant", true) => "give one of the errors a `rust_name:`",
            ("error variant", false) => "give the error a `rust_name:`",
            ("type", true) => "rename one of them (type names are used only within this file)",
            ("type", false) => "rename it (type names are used only within this file)",
            ("client method", true) => "operation names that differ only in case or punctuation cannot share a service",
            (_, _) => "this name cannot be used as written; choose another",
        }
    }

    /// Claims `rust` for `wire` at `span`.
    ///
    /// # Errors
    /// The collision, pointing at both places, with a hint on how to rename.
    pub fn claim(&mut self, rust: &str, wire: &str, span: Span) -> Result<(), Diagnostic> {
        match self.taken.get(rust) {
            None => {
                self.taken.insert(rust.to_owned(), Some((wire.to_owned(), span)));
                Ok(())
            }
            Some(None) => Err(Diagnostic::error(
                span,
                format!("`{wire}` becomes the {} name `{rust}`, which the generated code uses itself", self.what),
            )
            .label(format!("becomes `{rust}`"))
            .help(self.rename_hint(false))),
            Some(Some((first_wire, first_span))) => Err(Diagnostic::error(
                span,
                format!("`{wire}` and `{first_wire}` both become the {} name `{rust}`", self.what),
            )
            .label(format!("becomes `{rust}`"))
            .also(*first_span, format!("`{first_wire}` becomes `{rust}` too"))
            .help(self.rename_hint(true))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    #[test]
    fn names_table() {
        let cases: &[(&str, &str, &str)] = &[
            // wire, snake, camel
            ("JobId", "job_id", "JobId"),
            ("jobStatus", "job_status", "JobStatus"),
            ("userIDs", "user_ids", "UserIds"),
            ("externalIPs", "external_ips", "ExternalIps"),
            ("IPv6Address", "ipv6_address", "Ipv6Address"),
            ("OAuth2Token", "oauth2_token", "Oauth2Token"),
            ("MiB", "mib", "Mib"),
            ("DBInstanceId", "db_instance_id", "DbInstanceId"),
            ("X-Auth-Token", "x_auth_token", "XAuthToken"),
            ("Tag.N.Key", "tag_n_key", "TagNKey"),
            ("type", "type_", "Type"),
            ("self", "self_", "Self_"),
            ("gen", "gen_", "Gen"),
            ("200", "n_200", "V200"),
            ("+1", "n_1", "V1"),
            ("$ref", "ref_", "Ref"),
            ("@timestamp", "timestamp", "Timestamp"),
            ("BackupService.6500", "backup_service_6500", "BackupService6500"),
            ("OS::Nova::Server", "os_nova_server", "OsNovaServer"),
            ("vault_delete", "vault_delete", "VaultDelete"),
            ("", "n", "V"),
        ];
        for (wire, snake_case, camel_case) in cases {
            assert_eq!(snake(wire), *snake_case, "snake of {wire:?}");
            assert_eq!(camel(wire), *camel_case, "camel of {wire:?}");
        }
    }

    #[test]
    fn five_spellings_of_one_name_collide_with_both_places_named() {
        let span = |start| Span { file: FileId(0), start, end: start + 1 };
        let mut scope = Scope::new("field");
        assert!(scope.claim(&snake("userId"), "userId", span(0)).is_ok());
        for (i, wire) in ["user_id", "UserID", "user-id", "USER_ID"].iter().enumerate() {
            let err = scope.claim(&snake(wire), wire, span(i + 1)).expect_err(wire);
            assert_eq!(err.message, format!("`{wire}` and `userId` both become the field name `user_id`"));
            assert_eq!(err.secondary[0].span, span(0));
        }
    }

    #[test]
    fn reserved_names_are_refused() {
        let span = Span { file: FileId(0), start: 0, end: 1 };
        let mut scope = Scope::new("variant").reserve("Unknown");
        assert!(scope.claim("Unknown", "unknown", span).is_err());
        assert!(is_reserved_variant("unknown"));
    }
}

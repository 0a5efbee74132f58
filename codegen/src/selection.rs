//! Which operations a build compiles: all of them, or those a list names (the
//! `CLOUD_TASK_APIS_OPERATIONS` variable read by the crate's build script), so that a user who
//! needs two operations compiles two. Entries are `provider/service` (every operation of the
//! service) or `provider/service/Operation` (the operation's wire name, as in its spec), separated
//! by commas or white space. A selection is part of every generated file's inputs hash, so files
//! generated for another selection (the committed `generated/` has all operations) are not reused.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::Api;

/// A selection of operations; empty means all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    entries: Vec<String>,
}

impl Selection {
    /// Every operation.
    #[must_use]
    pub fn all() -> Self {
        Self::default()
    }

    /// The entries of `text` (commas or white space between them); none selects all.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let mut entries: Vec<String> =
            text.split(|c: char| c == ',' || c.is_whitespace()).filter(|e| !e.is_empty()).map(str::to_owned).collect();
        entries.sort();
        entries.dedup();
        Self { entries }
    }

    /// Whether every operation is selected.
    #[must_use]
    pub fn is_all(&self) -> bool {
        self.entries.is_empty()
    }

    /// The generator identity of a run with this selection: `generator` itself when all are
    /// selected (so the committed files stay reusable), else `generator` and the sorted entries.
    #[must_use]
    pub fn identity(&self, generator: &str) -> String {
        if self.is_all() { generator.to_owned() } else { format!("{generator}\nselection: {}", self.entries.join(",")) }
    }

    /// Keeps in `api` only the selected services and operations (services of `providers` only:
    /// the others are not generated anyway).
    ///
    /// # Errors
    /// One error per entry that names no service or operation of an enabled provider, listing
    /// the known ones.
    pub fn apply(&self, api: &mut Api, providers: &[&str]) -> Result<(), Diagnostics> {
        if self.is_all() {
            return Ok(());
        }
        let mut diags = Diagnostics::new();
        let service_name = |s: &crate::ir::Service| format!("{}/{}", s.provider.word(), s.module);
        for entry in &self.entries {
            let (service, operation) = match entry.matches('/').count() {
                1 => (entry.as_str(), None),
                2 => entry.rsplit_once('/').map_or((entry.as_str(), None), |(s, o)| (s, Some(o))),
                _ => ("", None),
            };
            let enabled = api.services.iter().filter(|s| providers.contains(&s.provider.word()));
            let Some(found) = enabled.clone().find(|s| service_name(s) == service) else {
                let known: Vec<String> = enabled.map(service_name).collect();
                diags.push(
                    Diagnostic::global(format!(
                        "CLOUD_TASK_APIS_OPERATIONS names `{entry}`, which is no service of an enabled provider"
                    ))
                    .help(format!(
                        "entries are provider/service or provider/service/Operation; known services: {}",
                        known.join(", ")
                    )),
                );
                continue;
            };
            if let Some(operation) = operation
                && !found.operations.iter().any(|o| o.wire_name == operation)
            {
                let known: Vec<&str> = found.operations.iter().map(|o| o.wire_name.as_str()).collect();
                diags.push(
                    Diagnostic::global(format!("CLOUD_TASK_APIS_OPERATIONS names `{entry}`, which is no operation"))
                        .help(format!("known operations of {service}: {}", known.join(", "))),
                );
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let selected = |service: &str, operation: &str| {
            self.entries
                .iter()
                .any(|e| e == service || e.strip_prefix(service).and_then(|r| r.strip_prefix('/')) == Some(operation))
        };
        api.services.retain_mut(|s| {
            let name = service_name(s);
            s.operations.retain(|o| selected(&name, &o.wire_name));
            !s.operations.is_empty()
        });
        Ok(())
    }
}

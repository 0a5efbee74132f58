//! The crates the generated code is split over, so that no one `rustc` holds, and no rebuild
//! redoes, all of it (README, "Build cost"): per service, its shared items in one crate, its
//! operations dealt out over a fixed number of crates, and its client in the crate users depend
//! on, which re-exports the rest so that every path stays `cloud_task_apis::provider::service::…`.
//!
//! An operation's crate comes from its spec file's name alone, so adding or removing an operation
//! changes no other operation's crate (and no other generated file).

use crate::ir::Operation;

/// How many crates deal out the operations.
pub const OPERATION_CRATES: usize = 4;

/// One crate of the generated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// `cloud-task-apis-shared`: per service, its wire facts, `CommonError` and shared `types`.
    Shared,
    /// `cloud-task-apis-ops-N`: the operations dealt to crate `N` (below [`OPERATION_CRATES`]).
    Operations(usize),
    /// `cloud-task-apis`: per service, its docs, `Client`, the table of the command-line tool and
    /// the re-exports of the other crates' items.
    Client,
}

impl Part {
    /// Every crate, in the order they build: shared, the operations', the client's.
    #[must_use]
    pub fn all() -> Vec<Self> {
        let mut parts = vec![Self::Shared];
        parts.extend((0..OPERATION_CRATES).map(Self::Operations));
        parts.push(Self::Client);
        parts
    }

    /// The folder of this crate's files under `generated/` (and under a build's `OUT_DIR`):
    /// `shared/`, `ops-N/`, or none for the client's.
    #[must_use]
    pub fn folder(self) -> String {
        match self {
            Self::Shared => "shared/".to_owned(),
            Self::Operations(n) => format!("ops-{n}/"),
            Self::Client => String::new(),
        }
    }

    /// The Rust name of this crate (`cloud_task_apis_ops_2`), as generated code names it.
    #[must_use]
    pub fn crate_name(self) -> String {
        match self {
            Self::Shared => "cloud_task_apis_shared".to_owned(),
            Self::Operations(n) => format!("cloud_task_apis_ops_{n}"),
            Self::Client => "cloud_task_apis".to_owned(),
        }
    }

    /// The crate a generated file named `name` (with its folder, as [`Part::folder`]) is of.
    #[must_use]
    pub fn of_file(name: &str) -> Option<Self> {
        Self::all().into_iter().find(|part| match part.folder().as_str() {
            "" => !name.contains('/'),
            folder => name.strip_prefix(folder).is_some_and(|rest| !rest.contains('/')),
        })
    }

    /// Whether this crate's code is made from the spec file at `path`: every crate's from the
    /// service files, the client's from all, an operations crate's from its operations'.
    #[must_use]
    pub fn reads(self, path: &str) -> bool {
        match self {
            Self::Client => true,
            _ if is_service_file(path) => true,
            Self::Shared => false,
            Self::Operations(n) => operation_crate(path) == n,
        }
    }

    /// Whether this crate holds the module of `op`.
    #[must_use]
    pub fn holds(self, op: &Operation) -> bool {
        self == Self::Operations(operation_crate(&op.file))
    }

    /// Whether this crate has a file for a service whose spec files are `paths`: the shared and
    /// client crates for every service, an operations crate for those it holds an operation of.
    pub fn writes_service<'a>(self, mut paths: impl Iterator<Item = &'a str>) -> bool {
        match self {
            Self::Operations(n) => paths.any(|p| !is_service_file(p) && operation_crate(p) == n),
            Self::Shared | Self::Client => true,
        }
    }
}

/// The operations crate of the operation specified in the file at `path`: from a hash of the
/// file's name, so stable whatever folder the specs are read from.
#[must_use]
pub fn operation_crate(path: &str) -> usize {
    let name = path.rsplit_once('/').map_or(path, |(_, name)| name);
    let digest = xxhash_rust::xxh3::xxh3_64(name.as_bytes());
    usize::try_from(digest % OPERATION_CRATES as u64).unwrap_or_default()
}

/// Whether the file at `path` describes the service (`service.yaml`, `types.yaml`), not one
/// operation.
fn is_service_file(path: &str) -> bool {
    let name = path.rsplit_once('/').map_or(path, |(_, name)| name);
    name == crate::spec::SERVICE_FILE || name == crate::spec::TYPES_FILE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_keeps_its_crate_wherever_its_folder_is() {
        let crate_of = operation_crate("specs/huawei/dis/ListTransferTasks.yaml");
        assert_eq!(operation_crate("/tmp/x/huawei/dis/ListTransferTasks.yaml"), crate_of);
        assert!(Part::Operations(crate_of).reads("specs/huawei/dis/ListTransferTasks.yaml"));
        assert!(!Part::Shared.reads("specs/huawei/dis/ListTransferTasks.yaml"));
        assert!(Part::Shared.reads("specs/huawei/dis/types.yaml"));
    }

    #[test]
    fn operations_are_dealt_out_evenly() {
        let mut counts = [0usize; OPERATION_CRATES];
        for i in 1..=500 {
            counts[operation_crate(&format!("UpdateWidget{i}.yaml"))] += 1;
        }
        assert!(counts.iter().all(|&c| (100..=150).contains(&c)), "{counts:?}");
    }
}

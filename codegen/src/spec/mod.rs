//! Stage 1, load: spec files to [`model`] structs that mirror the format, with spans.
//!
//! Depends on nothing but the source map and diagnostics. Grouping files into services is
//! part of loading: a folder holds one `service.yaml`, optionally a `types.yaml` of types and
//! enums its operations share, and the operation files of that service.

pub mod decode;
pub mod model;
pub mod reader;
pub mod resource;
pub mod text;
pub mod types;
pub mod yaml;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, SourceMap, Span};
use model::ServiceSpec;

/// The file name of a service's description.
pub const SERVICE_FILE: &str = "service.yaml";

/// The file name of a service's shared types and enums (not an operation).
pub const TYPES_FILE: &str = "types.yaml";

/// Loads every file of `sources` (paths with `/` separators) and groups them into services.
/// Returns what could be loaded; problems go to `diags`. Files are parsed and decoded on the
/// available cores; what is found, and in which order, does not depend on how many.
pub fn load(sources: &SourceMap, diags: &mut Diagnostics) -> Vec<ServiceSpec> {
    let ids: Vec<FileId> = sources.iter().map(|(id, _)| id).collect();
    let mut decoded: Vec<Option<(Decoded, Diagnostics)>> =
        crate::parallel::map(&ids, crate::parallel::threads(), |id| Some(decode_file(sources, *id)));
    let mut take = |id: FileId, diags: &mut Diagnostics| {
        let (file, found) = decoded.get_mut(id.0).and_then(Option::take)?;
        diags.extend(found);
        Some(file)
    };
    let mut folders: BTreeMap<&str, Folder> = BTreeMap::new();
    for (id, file) in sources.iter() {
        let (folder, name) = file.path.rsplit_once('/').unwrap_or(("", file.path.as_str()));
        let entry = folders.entry(folder).or_default();
        match name {
            SERVICE_FILE => entry.service.push(id),
            TYPES_FILE => entry.types = Some(id),
            _ => entry.operations.push(id),
        }
    }
    let mut services = Vec::new();
    for (folder, Folder { service: service_files, types, operations: operation_files }) in folders {
        let service = match service_files.as_slice() {
            [id] => match take(*id, diags) {
                Some(Decoded::Service(service)) => service.map(|service| *service),
                _ => None,
            },
            [] => {
                if let Some(first) = operation_files.first().or(types.as_ref()) {
                    let at = first_content(&sources.get(*first).text);
                    diags.push(
                        Diagnostic::error(
                            Span { file: *first, start: at, end: at },
                            format!("folder `{folder}` has no {SERVICE_FILE}"),
                        )
                        .label("this operation belongs to no service")
                        .help(format!("add {folder}/{SERVICE_FILE} naming the provider, endpoint and signing")),
                    );
                }
                None
            }
            [first, rest @ ..] => {
                for id in rest {
                    diags.push(
                        Diagnostic::error(
                            Span { file: *id, start: 0, end: 0 },
                            format!("folder `{folder}` has {SERVICE_FILE} twice"),
                        )
                        .label("second file with this path")
                        .also(Span { file: *first, start: 0, end: 0 }, "first file with this path")
                        .help("give each service its own folder"),
                    );
                }
                None
            }
        };
        let shared = types.and_then(|id| match take(id, diags) {
            Some(Decoded::Operation(shared)) => shared.map(|shared| *shared),
            _ => None,
        });
        let mut operations: Vec<_> = operation_files
            .iter()
            .filter_map(|id| match take(*id, diags) {
                Some(Decoded::Operation(op)) => op.map(|op| *op),
                _ => None,
            })
            .collect();
        operations.sort_by(|a, b| a.operation.value.cmp(&b.operation.value));
        if let Some(shared) = &shared {
            for op in &mut operations {
                op.add_shared(shared);
            }
        }
        if let Some(service) = service {
            services.push(ServiceSpec { service, shared, operations });
        }
    }
    services
}

/// One file parsed and decoded as what its name says it is (`None` when it could not be).
enum Decoded {
    /// A `service.yaml` (boxed, as the other: they are large and of different sizes).
    Service(Option<Box<model::ServiceDoc>>),
    /// A `types.yaml` or an operation file.
    Operation(Option<Box<model::OperationDoc>>),
}

/// Parses and decodes one file on its own, with the problems found in it.
fn decode_file(sources: &SourceMap, id: FileId) -> (Decoded, Diagnostics) {
    let mut diags = Diagnostics::new();
    let path = &sources.get(id).path;
    let name = path.rsplit_once('/').map_or(path.as_str(), |(_, name)| name);
    let root = parse(sources, id, &mut diags);
    let decoded = match name {
        SERVICE_FILE => Decoded::Service(root.and_then(|root| decode::service(id, &root, &mut diags)).map(Box::new)),
        TYPES_FILE => {
            Decoded::Operation(root.and_then(|root| decode::shared_types(id, &root, &mut diags)).map(Box::new))
        }
        _ => Decoded::Operation(root.and_then(|root| decode::operation(id, &root, &mut diags)).map(Box::new)),
    };
    (decoded, diags)
}

/// The files of one folder: `service.yaml` (twice is an error), `types.yaml`, and operations.
#[derive(Default)]
struct Folder {
    service: Vec<FileId>,
    types: Option<FileId>,
    operations: Vec<FileId>,
}

/// Where the first line that is neither blank nor a comment starts (0 if there is none).
fn first_content(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start();
        if !content.is_empty() && !content.starts_with('#') {
            return offset + (line.len() - content.len());
        }
        offset += line.len();
    }
    0
}

/// Parses one file and refuses the characters no spec may hold ([`text`]).
fn parse(sources: &SourceMap, id: FileId, diags: &mut Diagnostics) -> Option<yaml::Node> {
    let text = &sources.get(id).text;
    let root = yaml::parse(id, text, diags);
    text::check_bidi_controls(id, text, root.as_ref(), diags);
    root
}

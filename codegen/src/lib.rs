//! The generator of `cloud-task-apis`: YAML operation specs in, typed Rust out.
//!
//! Four stages with one direction of flow, each its own module:
//! [`spec`] (load YAML with positions) → [`check`] (semantic rules, every problem collected) →
//! [`ir`] (names and types decided) → [`emit`] (token streams, printed by `prettyplease`).
//! [`generate`] runs them as a pure function; [`compile_specs`] adds the file system around it
//! for build scripts.
//!
//! # Use from `build.rs`
//!
//! ```no_run
//! fn main() {
//!     let Ok(out_dir) = std::env::var("OUT_DIR") else {
//!         eprintln!("error: OUT_DIR is not set; run this through cargo");
//!         std::process::exit(1);
//!     };
//!     if let Err(report) = cloud_task_apis_codegen::Config::new()
//!         .providers(["alibaba", "huawei", "tencent"])
//!         .compile_specs("specs", out_dir)
//!     {
//!         eprintln!("{report}");
//!         std::process::exit(1);
//!     }
//! }
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/services.rs"));`.

#![deny(missing_docs)]
#![warn(clippy::pedantic)]
// Spec and IR structs are data; documenting a panic section for each accessor adds nothing.
#![allow(clippy::missing_panics_doc)]
// Emitters are long lists of `quote!` fragments; splitting them further scatters one item.
#![allow(clippy::too_many_lines)]
// `match` on an `Option` whose arms both build tokens reads better than `if let … else`.
#![allow(clippy::single_match_else)]
// Pure functions returning token streams or strings are all used; `#[must_use]` on each is noise.
#![allow(clippy::must_use_candidate)]
// The crate example is a whole build script, so its `fn main` is the point.
#![allow(clippy::needless_doctest_main)]
// A diagnostic is built once per problem in a spec; boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

pub mod build_script;
pub mod check;
pub mod diagnostic;
pub mod emit;
mod files;
pub mod fingerprint;
mod folder;
pub mod ir;
mod parallel;
pub mod part;
pub mod render;
pub mod reuse;
pub mod selection;
pub mod source;
pub mod spec;
#[doc(hidden)]
pub mod synthetic;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use files::{Compiled, Config, Report, SpecFiles, compile_specs, read_specs};
pub use part::Part;

use fingerprint::Keys;
pub use render::Layout;
pub use reuse::Previous;
pub use selection::Selection;
pub use source::SourceMap;

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name, after its crate's folder ([`Part::folder`]): `alibaba_actiontrail.rs`,
    /// `ops-2/alibaba_actiontrail.rs`, or `services.rs` (`ops-2/services.rs`) for an index.
    pub name: String,
    /// Rust source, laid out as the run asked (see [`Layout`]).
    pub contents: String,
}

/// What [`generate`] produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Per crate ([`Part::all`] order): one file per service it has items of, sorted by name,
    /// then its index `services.rs`.
    pub files: Vec<GeneratedFile>,
    /// Warnings about valid but suspicious specs (none when every file was reused: the specs
    /// were not even loaded).
    pub warnings: Diagnostics,
    /// Names of the files taken from the [`Previous`] run instead of generated.
    pub reused: Vec<String>,
}

/// Name of the index file that includes the service files.
pub const INDEX_FILE: &str = "services.rs";

/// Runs all stages over the spec files in `sources`, generating the files of every crate
/// ([`Part::all`]) for the services of the providers in `providers` (all specs are checked
/// either way). Pure: no I/O.
///
/// # Errors
/// All problems found in the stage that failed (and warnings found before it).
pub fn generate(sources: &SourceMap, providers: &[&str]) -> Result<Output, Diagnostics> {
    generate_reusing(sources, providers, &Previous::none())
}

/// [`generate`], taking from `previous` every file whose recorded inputs hash is that of its
/// inputs now (see [`fingerprint`]). When every file is there, nothing is loaded, checked or
/// generated; otherwise every stage runs and only the files found in `previous` skip emitting
/// and formatting. Pure: no I/O.
///
/// # Errors
/// As [`generate`].
pub fn generate_reusing(sources: &SourceMap, providers: &[&str], previous: &Previous) -> Result<Output, Diagnostics> {
    generate_selected(sources, providers, &Selection::all(), previous, Layout::Formatted, &Part::all())
}

/// [`generate_reusing`] for the crates `parts` only (a build script generates its own crate's)
/// and the operations `selection` names only (see [`selection`]; the selection is part of
/// every inputs hash). Files that are generated, not reused, are laid out as `layout` says
/// (reused files are taken as they are). File names start with their crate's folder
/// ([`Part::folder`]). Pure: no I/O.
///
/// # Errors
/// As [`generate`], and an error for each entry of `selection` that names nothing.
pub fn generate_selected(
    sources: &SourceMap,
    providers: &[&str],
    selection: &Selection,
    previous: &Previous,
    layout: Layout,
    parts: &[Part],
) -> Result<Output, Diagnostics> {
    let keys = part_keys(sources, providers, selection, parts);
    if let Some(output) = reuse_keyed(&keys, previous) {
        return Ok(output);
    }
    let mut diags = Diagnostics::new();
    let specs = spec::load(sources, &mut diags);
    // Files that failed to load are left out of `specs`; the rules still run over the others,
    // so one run reports the mistakes of every file.
    check::check(&specs, &mut diags);
    if diags.has_errors() {
        return Err(sorted(diags));
    }
    let mut api = ir::lower(sources, &specs).map_err(|mut d| {
        d.extend(diags.clone());
        sorted(d)
    })?;
    selection.apply(&mut api, providers).map_err(sorted)?;
    let mut files = Vec::new();
    let mut reused = Vec::new();
    for (part, keys) in &keys {
        let part = *part;
        // The index lists the services of every provider (each provider's module is behind its
        // feature); files are written for the enabled providers'.
        let services: Vec<&ir::Service> = api.services.iter().filter(|s| emit::has_items(s, part)).collect();
        let mut part_files = Vec::new();
        for service in services.iter().filter(|s| providers.contains(&s.provider.word())) {
            let name = format!("{}{}", part.folder(), emit::file_name(service));
            let folder = service.files.first().map_or("", |f| fingerprint::folder(f));
            let key = keys.folders.get(folder).map_or("", String::as_str);
            if let Some(file) = previous.get(key, &name) {
                reused.push(name);
                part_files.push(file.clone());
                continue;
            }
            let inputs: Vec<String> = service.files.iter().filter(|f| part.reads(f)).cloned().collect();
            let module = emit::ServiceModule::new(service, part);
            let contents = render::render_module(&module, &name, &inputs, key, layout).map_err(|e| internal(&e))?;
            part_files.push(GeneratedFile { name, contents });
        }
        part_files.sort_by(|a, b| a.name.cmp(&b.name));
        files.extend(part_files);
        let index = index_name(part);
        if let Some(file) = previous.get(&keys.all, &index) {
            reused.push(index);
            files.push(file.clone());
        } else {
            let inputs: Vec<String> = services.iter().filter_map(|s| s.files.first().cloned()).collect();
            let contents = render::render(|| emit::index(&services, part), &index, &inputs, &keys.all, layout)
                .map_err(|e| internal(&e))?;
            files.push(GeneratedFile { name: index, contents });
        }
    }
    Ok(Output { files, warnings: sorted(diags), reused })
}

/// Every file of the crates `parts` taken from `previous`, when each one is there with the
/// inputs hash of its inputs now (see [`generate_selected`]); `None` when any is missing. The
/// specs are hashed, not loaded.
pub fn reuse_whole(
    sources: &SourceMap,
    providers: &[&str],
    selection: &Selection,
    previous: &Previous,
    parts: &[Part],
) -> Option<Output> {
    reuse_keyed(&part_keys(sources, providers, selection, parts), previous)
}

/// The inputs hashes of the files of each crate of `parts`.
fn part_keys(sources: &SourceMap, providers: &[&str], selection: &Selection, parts: &[Part]) -> Vec<(Part, Keys)> {
    let identity = selection.identity(fingerprint::GENERATOR);
    parts.iter().map(|&part| (part, fingerprint::keys(sources, providers, &identity, part))).collect()
}

/// [`reuse_whole`] with the crates' inputs hashes already made.
fn reuse_keyed(keys: &[(Part, Keys)], previous: &Previous) -> Option<Output> {
    let files: Vec<Vec<GeneratedFile>> =
        keys.iter().map(|(part, keys)| previous.whole_run(keys, &index_name(*part))).collect::<Option<_>>()?;
    let files: Vec<GeneratedFile> = files.into_iter().flatten().collect();
    let reused = files.iter().map(|f| f.name.clone()).collect();
    Some(Output { files, warnings: Diagnostics::new(), reused })
}

/// The name of crate `part`'s index file.
fn index_name(part: Part) -> String {
    format!("{}{INDEX_FILE}", part.folder())
}

fn sorted(mut diags: Diagnostics) -> Diagnostics {
    diags.sort();
    diags
}

fn internal(message: &str) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.push(Diagnostic::global(message));
    d
}

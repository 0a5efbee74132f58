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

pub mod check;
pub mod diagnostic;
pub mod emit;
mod files;
pub mod fingerprint;
mod folder;
pub mod ir;
mod parallel;
pub mod render;
pub mod reuse;
pub mod selection;
pub mod source;
pub mod spec;
#[doc(hidden)]
pub mod synthetic;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use files::{Compiled, Config, Report, SpecFiles, compile_specs, read_specs};
pub use render::Layout;
pub use reuse::Previous;
pub use selection::Selection;
pub use source::SourceMap;

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name (no directories): `alibaba_actiontrail.rs`, or `services.rs` for the index.
    pub name: String,
    /// Rust source, laid out as the run asked (see [`Layout`]).
    pub contents: String,
}

/// What [`generate`] produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// One file per service, sorted by name, then the index `services.rs`.
    pub files: Vec<GeneratedFile>,
    /// Warnings about valid but suspicious specs (none when every file was reused: the specs
    /// were not even loaded).
    pub warnings: Diagnostics,
    /// Names of the files taken from the [`Previous`] run instead of generated.
    pub reused: Vec<String>,
}

/// Name of the index file that includes the service files.
pub const INDEX_FILE: &str = "services.rs";

/// Runs all stages over the spec files in `sources`, generating code for the services of the
/// providers in `providers` (all specs are checked either way). Pure: no I/O.
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
    generate_selected(sources, providers, &Selection::all(), previous, Layout::Formatted)
}

/// [`generate_reusing`] for the operations `selection` names only (see [`selection`]); the
/// selection is part of every inputs hash. Files that are generated, not reused, are laid out
/// as `layout` says (reused files are taken as they are). Pure: no I/O.
///
/// # Errors
/// As [`generate`], and an error for each entry of `selection` that names nothing.
pub fn generate_selected(
    sources: &SourceMap,
    providers: &[&str],
    selection: &Selection,
    previous: &Previous,
    layout: Layout,
) -> Result<Output, Diagnostics> {
    let keys = fingerprint::keys(sources, providers, &selection.identity(fingerprint::GENERATOR));
    if let Some(files) = previous.whole_run(&keys) {
        let reused = files.iter().map(|f| f.name.clone()).collect();
        return Ok(Output { files, warnings: Diagnostics::new(), reused });
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
    for service in api.services.iter().filter(|s| providers.contains(&s.provider.word())) {
        let name = emit::file_name(service);
        let folder = service.files.first().map_or("", |f| fingerprint::folder(f));
        let key = keys.folders.get(folder).map_or("", String::as_str);
        if let Some(file) = previous.get(key, &name) {
            reused.push(name);
            files.push(file.clone());
            continue;
        }
        let contents = render::render_module(&emit::ServiceModule(service), &name, &service.files, key, layout)
            .map_err(|e| internal(&e))?;
        files.push(GeneratedFile { name, contents });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(index) = previous.get(&keys.all, INDEX_FILE) {
        reused.push(INDEX_FILE.to_owned());
        files.push(index.clone());
    } else {
        let inputs: Vec<String> = api.services.iter().filter_map(|s| s.files.first().cloned()).collect();
        let index =
            render::render(|| emit::index(&api), INDEX_FILE, &inputs, &keys.all, layout).map_err(|e| internal(&e))?;
        files.push(GeneratedFile { name: INDEX_FILE.to_owned(), contents: index });
    }
    Ok(Output { files, warnings: sorted(diags), reused })
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

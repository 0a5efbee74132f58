//! The file-system edge of the generator: reading spec folders, writing generated files only
//! when they changed, and the options of a build-script run.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::reuse::Previous;
use crate::source::{SourceMap, Span};
use crate::spec::yaml::MAX_FILE_BYTES;

/// Options of a generator run. Owned builder: `Config::new().providers([...]).compile_specs(..)`.
#[derive(Clone, Debug)]
#[must_use]
pub struct Config {
    providers: Vec<String>,
    selection: crate::Selection,
    reuse_from: Option<PathBuf>,
    share: Option<PathBuf>,
    layout: crate::Layout,
    parts: Vec<crate::Part>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            providers: ["alibaba", "huawei", "tencent"].map(String::from).to_vec(),
            selection: crate::Selection::all(),
            reuse_from: None,
            share: None,
            layout: crate::Layout::Formatted,
            parts: crate::Part::all(),
        }
    }
}

/// What a successful [`Config::compile_specs`] did.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// Every file read (the build script reruns when one changes).
    pub inputs: Vec<PathBuf>,
    /// Files written because their content changed.
    pub written: Vec<PathBuf>,
    /// Names of the files taken from the [`Config::reuse_from`] folder instead of generated.
    pub reused: Vec<String>,
    /// Rendered warnings, empty if there were none.
    pub warnings: String,
}

/// Diagnostics with the sources they point into; `Display` renders them.
#[derive(Clone, Debug)]
pub struct Report {
    /// The files read.
    pub sources: SourceMap,
    /// What was found.
    pub diagnostics: Diagnostics,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostics.render(&self.sources))
    }
}

impl std::error::Error for Report {}

impl Config {
    /// All providers enabled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Generates code only for these providers (`alibaba`, `huawei`, `tencent`); specs of the
    /// others are still checked.
    pub fn providers<I, S>(mut self, providers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.providers = providers.into_iter().map(Into::into).collect();
        self
    }

    /// Generates only the operations `selection` names (all when it is empty; see
    /// [`crate::selection`]).
    pub fn operations(mut self, selection: crate::Selection) -> Self {
        self.selection = selection;
        self
    }

    /// Takes generated files from `dir` (the committed `generated/`) when they are intact and
    /// were made from exactly the inputs of this run: the same spec files, generator and
    /// providers (see [`crate::generate_reusing`]). A missing folder means nothing to reuse.
    pub fn reuse_from(mut self, dir: impl Into<PathBuf>) -> Self {
        self.reuse_from = Some(dir.into());
        self
    }

    /// Lays out the files that have to be generated as `layout` says (formatted unless told).
    /// A build script, whose output only the compiler reads, can take
    /// [`Layout::Compact`](crate::Layout::Compact): the same tokens for a fraction of the cost.
    /// Files reused from [`Config::reuse_from`] are written as they are.
    pub fn layout(mut self, layout: crate::Layout) -> Self {
        self.layout = layout;
        self
    }

    /// A folder shared by the build scripts of every generated crate: a run that has to
    /// generate generates every crate's files and writes them there too, and a run takes its
    /// crate's files from there as from [`Config::reuse_from`]. So a build generates the specs
    /// once, not once per crate: the build scripts of one build may run at the same time, so a
    /// run that has to generate first takes the folder's lock (`.lock`) and, once it has it,
    /// looks again for files written meanwhile; each file is written whole, by a rename.
    pub fn share_generated(mut self, dir: impl Into<PathBuf>) -> Self {
        self.share = Some(dir.into());
        self
    }

    /// Generates only the files of crate `part` (a build script's own; all crates unless told).
    pub fn part(mut self, part: crate::Part) -> Self {
        self.parts = vec![part];
        self
    }

    /// Reads every `*.yaml` under `spec_dir`, generates, and writes the files into `out_dir`
    /// (only those whose content changed, so unchanged output does not trigger recompiles),
    /// each crate's in its folder ([`crate::Part::folder`]).
    ///
    /// # Errors
    /// A [`Report`] of every problem in the specs, or of the file that could not be read or
    /// written.
    pub fn compile_specs(&self, spec_dir: impl AsRef<Path>, out_dir: impl AsRef<Path>) -> Result<Compiled, Report> {
        let providers: Vec<&str> = self.providers.iter().map(String::as_str).collect();
        let own = self.previous(&self.parts)?;
        // First only the files these crates read (their inputs hashes need no others), in the
        // hope that every file can be reused; all of them when something has to be generated.
        let reads = |path: &str| self.parts.iter().any(|part| part.reads(path));
        let probe = read_specs_where(spec_dir.as_ref(), &reads)?;
        let reused = crate::reuse_whole(&probe.sources, &providers, &self.selection, &own, &self.parts);
        let (SpecFiles { sources, inputs, warnings: skipped, .. }, output) = match reused {
            Some(output) => (probe, Ok(output)),
            None => {
                let files = if probe.complete { probe } else { read_specs(spec_dir.as_ref())? };
                let output = if self.share.is_some() {
                    self.generate_shared(&files.sources, &providers)
                } else {
                    crate::generate_selected(
                        &files.sources,
                        &providers,
                        &self.selection,
                        &own,
                        self.layout,
                        &self.parts,
                    )
                };
                (files, output)
            }
        };
        let mut output = output.map_err(|mut diagnostics| {
            diagnostics.extend(skipped.clone());
            diagnostics.sort();
            Report { sources: sources.clone(), diagnostics }
        })?;
        output.warnings.extend(skipped);
        output.warnings.sort();
        let mut written = Vec::new();
        for file in &output.files {
            let path = out_dir.as_ref().join(&file.name);
            if write_if_changed(&path, &file.contents).map_err(|e| io_report(&path, &e))? {
                written.push(path);
            }
        }
        let warnings = if output.warnings.is_empty() { String::new() } else { output.warnings.render(&sources) };
        Ok(Compiled { inputs, written, reused: output.reused, warnings })
    }
}

impl Config {
    /// The earlier files the crates `parts` can take: from [`Config::share_generated`] and
    /// [`Config::reuse_from`], only the crate's own when there is one. A committed file wins
    /// over a shared one made from the same inputs (the shared one may be laid out compact).
    fn previous(&self, parts: &[crate::Part]) -> Result<Previous, Report> {
        let mut previous = Previous::none();
        for dir in self.share.iter().chain(&self.reuse_from) {
            let found = match parts {
                [part] => Previous::read_part(dir, *part),
                _ => Previous::read_dir(dir),
            };
            previous.extend(found.map_err(|e| io_report(dir, &e))?);
        }
        Ok(previous)
    }

    /// Generates every crate's files (taking what it can from the earlier ones), writes them
    /// all to the shared folder, and returns this run's crates' files.
    fn generate_shared(&self, sources: &SourceMap, providers: &[&str]) -> Result<crate::Output, Diagnostics> {
        // Cargo starts the build scripts side by side: one generates while the others wait for
        // it and then find its files, instead of each generating them all.
        let _turn = self.share.as_deref().and_then(take_turn);
        let all = crate::Part::all();
        let previous = self.previous(&all).map_err(|report| report.diagnostics)?;
        let mut output = crate::generate_selected(sources, providers, &self.selection, &previous, self.layout, &all)?;
        if let Some(share) = &self.share {
            for file in &output.files {
                let path = share.join(&file.name);
                write_if_changed(&path, &file.contents).map_err(|e| io_report(&path, &e).diagnostics)?;
            }
        }
        let own = |name: &str| self.parts.iter().any(|part| crate::Part::of_file(name) == Some(*part));
        output.files.retain(|f| own(&f.name));
        output.reused.retain(|name| own(name));
        Ok(output)
    }
}

/// [`Config::new`] then [`Config::compile_specs`].
///
/// # Errors
/// As [`Config::compile_specs`].
pub fn compile_specs(spec_dir: impl AsRef<Path>, out_dir: impl AsRef<Path>) -> Result<Compiled, Report> {
    Config::new().compile_specs(spec_dir, out_dir)
}

/// The spec files of a folder, read.
#[derive(Clone, Debug)]
pub struct SpecFiles {
    /// Their texts, by display path.
    pub sources: SourceMap,
    /// Every file read (the build script reruns when one changes).
    pub inputs: Vec<PathBuf>,
    /// Entries left out (links that leave the folder or loop, FIFOs and other special files),
    /// one warning each naming the path and why.
    pub warnings: Diagnostics,
    /// Whether every file's text was read (a build script first reads only its crate's files).
    complete: bool,
}

/// Reads every regular `*.yaml` file under `dir`, sorted by path, never leaving `dir` and
/// never reading a file or folder twice (see [`SpecFiles::warnings`] for what was left out).
/// Display paths are `dir` as given followed by the relative path with `/` separators, so
/// output does not depend on the machine.
///
/// # Errors
/// A report naming the folder or file that could not be read, every file that is not UTF-8
/// (at the line and column of its first bad byte), or that there are no spec files.
pub fn read_specs(dir: &Path) -> Result<SpecFiles, Report> {
    read_specs_where(dir, &|_| true)
}

/// [`read_specs`], reading only the files whose display path `read` accepts: the others are
/// listed with no text ([`SpecFiles::complete`] is then false).
fn read_specs_where(dir: &Path, read: &dyn Fn(&str) -> bool) -> Result<SpecFiles, Report> {
    let found = crate::folder::find_yaml(dir).map_err(|(path, e)| io_report(&path, &e))?;
    let mut complete = true;
    let mut warnings = Diagnostics::new();
    for skipped in &found.skipped {
        warnings.push(
            Diagnostic::global_warning(format!("skipped {}: it {}", display(&skipped.path), skipped.reason))
                .help("only regular *.yaml files inside the spec folder are read"),
        );
    }
    let mut sources = SourceMap::new();
    let mut errors = Diagnostics::new();
    for path in &found.files {
        if !read(&display(path)) {
            sources.add(display(path), String::new());
            complete = false;
            continue;
        }
        let bytes = read_at_most(path, MAX_FILE_BYTES + 1).map_err(|e| io_report(path, &e))?;
        if bytes.len() > MAX_FILE_BYTES {
            errors.push(
                Diagnostic::global(format!("{} is larger than {} KiB; not read", display(path), MAX_FILE_BYTES / 1024))
                    .help("a spec describes one service or one operation; split it or remove what is not part of the format"),
            );
            continue;
        }
        // Line breaks to LF before decoding (both are ASCII, so no UTF-8 sequence changes): YAML
        // reads a lone CR as a line break too, so lines and columns then agree with the parser.
        let bytes = line_breaks_to_lf(bytes);
        match String::from_utf8(bytes) {
            Ok(text) => {
                sources.add(display(path), text);
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bad = e.as_bytes()[at];
                let id = sources.add(display(path), String::from_utf8_lossy(e.as_bytes()).into_owned());
                // The lossy text shows the first bad byte as U+FFFD, three bytes from `at`.
                let span = Span { file: id, start: at, end: at + '\u{fffd}'.len_utf8() };
                errors.push(
                    Diagnostic::error(span, format!("{} is not UTF-8", display(path)))
                        .label(format!("byte 0x{bad:02X} starts no UTF-8 character"))
                        .help("save the spec as UTF-8 (specs are UTF-8 text)"),
                );
            }
        }
    }
    if found.files.is_empty() {
        errors.push(Diagnostic::global(format!("no spec files (*.yaml) under {}", dir.display())));
    }
    if errors.has_errors() {
        errors.extend(warnings);
        errors.sort();
        return Err(Report { sources, diagnostics: errors });
    }
    Ok(SpecFiles { sources, inputs: found.files, warnings, complete })
}

/// `/` separators on every platform; an absolute path keeps its single leading `/`.
fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The first `limit` bytes of a file at most, so a huge (or sparse) file costs no more.
fn read_at_most(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// CR LF and a lone CR become LF.
fn line_breaks_to_lf(bytes: Vec<u8>) -> Vec<u8> {
    // Most files have no CR: they are taken as they are.
    if !bytes.contains(&b'\r') {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
            b'\r' => out.push(b'\n'),
            _ => out.push(b),
        }
    }
    out
}

/// Waits for the exclusive lock of the shared folder `share` and holds it until the returned
/// file is dropped (or the process ends, however it ends). `None` where the folder or its lock
/// cannot be had (a read-only or lockless file system): the caller then generates on its own,
/// as it would without a shared folder.
fn take_turn(share: &Path) -> Option<std::fs::File> {
    std::fs::create_dir_all(share).ok()?;
    let lock = std::fs::File::options().create(true).truncate(false).write(true).open(share.join(".lock")).ok()?;
    lock.lock().ok()?;
    Some(lock)
}

/// Writes `contents` to `path` unless it holds them already (so that unchanged output does not
/// trigger recompiles), through a file of its own renamed over it, so that a reader never sees
/// a half-written file (another build script may read it); whether it wrote.
fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents)?;
    std::fs::rename(&temporary, path)?;
    Ok(true)
}

fn io_report(path: &Path, error: &std::io::Error) -> Report {
    let mut diagnostics = Diagnostics::new();
    diagnostics.push(Diagnostic::global(format!("cannot access {}: {error}", path.display())));
    Report { sources: SourceMap::new(), diagnostics }
}

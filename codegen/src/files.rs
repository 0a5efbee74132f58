//! The file-system edge of the generator: reading spec folders, writing generated files only
//! when they changed, and the options of a build-script run.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::reuse::Previous;
use crate::source::SourceMap;

/// Options of a generator run. Owned builder: `Config::new().providers([...]).compile_specs(..)`.
#[derive(Clone, Debug)]
#[must_use]
pub struct Config {
    providers: Vec<String>,
    reuse_from: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self { providers: ["alibaba", "huawei", "tencent"].map(String::from).to_vec(), reuse_from: None }
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

    /// Takes generated files from `dir` (the committed `generated/`) when they are intact and
    /// were made from exactly the inputs of this run: the same spec files, generator and
    /// providers (see [`crate::generate_reusing`]). A missing folder means nothing to reuse.
    pub fn reuse_from(mut self, dir: impl Into<PathBuf>) -> Self {
        self.reuse_from = Some(dir.into());
        self
    }

    /// Reads every `*.yaml` under `spec_dir`, generates, and writes the files into `out_dir`
    /// (only those whose content changed, so unchanged output does not trigger recompiles).
    ///
    /// # Errors
    /// A [`Report`] of every problem in the specs, or of the file that could not be read or
    /// written.
    pub fn compile_specs(&self, spec_dir: impl AsRef<Path>, out_dir: impl AsRef<Path>) -> Result<Compiled, Report> {
        let (sources, inputs) = read_specs(spec_dir.as_ref())?;
        let providers: Vec<&str> = self.providers.iter().map(String::as_str).collect();
        let previous = match &self.reuse_from {
            Some(dir) => Previous::read_dir(dir).map_err(|e| io_report(dir, &e))?,
            None => Previous::none(),
        };
        let output = crate::generate_reusing(&sources, &providers, &previous)
            .map_err(|diagnostics| Report { sources: sources.clone(), diagnostics })?;
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

/// [`Config::new`] then [`Config::compile_specs`].
///
/// # Errors
/// As [`Config::compile_specs`].
pub fn compile_specs(spec_dir: impl AsRef<Path>, out_dir: impl AsRef<Path>) -> Result<Compiled, Report> {
    Config::new().compile_specs(spec_dir, out_dir)
}

/// Reads every `*.yaml` file under `dir`, sorted by path. Display paths are `dir` as given
/// followed by the relative path with `/` separators, so output does not depend on the machine.
///
/// # Errors
/// A report naming the folder or file that could not be read.
pub fn read_specs(dir: &Path) -> Result<(SourceMap, Vec<PathBuf>), Report> {
    let mut paths = Vec::new();
    collect_yaml(dir, &mut paths).map_err(|(path, e)| io_report(&path, &e))?;
    paths.sort();
    let mut sources = SourceMap::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).map_err(|e| io_report(path, &e))?;
        // `/` separators on every platform; an absolute path keeps its single leading `/`.
        let display = path.to_string_lossy().replace('\\', "/");
        sources.add(display, text.replace("\r\n", "\n"));
    }
    if paths.is_empty() {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(Diagnostic::global(format!("no spec files (*.yaml) under {}", dir.display())));
        return Err(Report { sources, diagnostics });
    }
    Ok((sources, paths))
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), (PathBuf, std::io::Error)> {
    let entries = std::fs::read_dir(dir).map_err(|e| (dir.to_owned(), e))?;
    for entry in entries {
        let path = entry.map_err(|e| (dir.to_owned(), e))?.path();
        if path.is_dir() {
            collect_yaml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    std::fs::write(path, contents)?;
    Ok(true)
}

fn io_report(path: &Path, error: &std::io::Error) -> Report {
    let mut diagnostics = Diagnostics::new();
    diagnostics.push(Diagnostic::global(format!("cannot access {}: {error}", path.display())));
    Report { sources: SourceMap::new(), diagnostics }
}

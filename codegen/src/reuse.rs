//! Generated files of an earlier run that this run may take instead of generating them again
//! (`generated/`, committed, is exactly what the build would produce). A file is offered only
//! when it is intact ([`crate::render::recorded_inputs`]), and taken only for the inputs hash it
//! records, so a stale, edited or renamed file is never used.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use crate::GeneratedFile;
use crate::fingerprint::Keys;
use crate::render::recorded_inputs;

/// Intact generated files by the inputs hash they record.
#[derive(Clone, Debug, Default)]
pub struct Previous {
    by_inputs: HashMap<String, GeneratedFile>,
}

impl Previous {
    /// No earlier files: everything is generated.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// The intact files among `files`; the others are left out.
    pub fn from_files(files: impl IntoIterator<Item = GeneratedFile>) -> Self {
        let mut by_inputs = HashMap::new();
        for file in files {
            if let Some(inputs) = recorded_inputs(&file.name, &file.contents) {
                by_inputs.insert(inputs.to_owned(), file);
            }
        }
        Self { by_inputs }
    }

    /// The intact `*.rs` files in `dir` and in its folders one level down (the crates' folders,
    /// [`crate::Part::folder`]), named by their path below `dir`; none when `dir` does not exist.
    ///
    /// # Errors
    /// When `dir` exists but it or a file in it cannot be read.
    pub fn read_dir(dir: &Path) -> io::Result<Self> {
        let mut files = Vec::new();
        read_rs_files(dir, "", true, &mut files)?;
        Ok(Self::from_files(files))
    }

    /// The intact `*.rs` files of crate `part` in `dir` (those in its folder,
    /// [`crate::Part::folder`]), named as [`Previous::read_dir`] names them: what a build
    /// script of that crate can reuse, without reading the other crates' files.
    ///
    /// # Errors
    /// As [`Previous::read_dir`].
    pub fn read_part(dir: &Path, part: crate::Part) -> io::Result<Self> {
        let folder = part.folder();
        let mut files = Vec::new();
        read_rs_files(&dir.join(&folder), &folder, false, &mut files)?;
        Ok(Self::from_files(files))
    }

    /// Adds the files of `other` (a file of `other` replaces one of `self` with the same inputs
    /// hash; both are intact and made from the same inputs).
    pub fn extend(&mut self, other: Self) {
        self.by_inputs.extend(other.by_inputs);
    }

    /// How many intact files there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_inputs.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_inputs.is_empty()
    }

    /// The file named `name` generated from inputs hashing to `inputs`, if there is one.
    pub(crate) fn get(&self, inputs: &str, name: &str) -> Option<&GeneratedFile> {
        self.by_inputs.get(inputs).filter(|file| file.name == name)
    }

    /// Every file of a crate's run with these `keys`, service files sorted by name and then the
    /// index (named `index`), when each one is here: then the specs need not even be loaded.
    /// `None` when any is missing.
    pub(crate) fn whole_run(&self, keys: &Keys, index: &str) -> Option<Vec<GeneratedFile>> {
        let mut files = Vec::with_capacity(keys.folders.len() + 1);
        for inputs in keys.folders.values() {
            let file = self.by_inputs.get(inputs)?;
            if file.name == index {
                return None;
            }
            files.push(file.clone());
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files.push(self.get(&keys.all, index)?.clone());
        Some(files)
    }
}

/// Adds the `*.rs` files of `dir` to `files`, named `prefix` and their file name, and with
/// `folders` those of its folders (one level down, named by folder). A missing `dir` adds
/// nothing.
fn read_rs_files(dir: &Path, prefix: &str, folders: bool, files: &mut Vec<GeneratedFile>) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if folders && path.is_dir() {
            read_rs_files(&path, &format!("{prefix}{name}/"), false, files)?;
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || !path.is_file() {
            continue;
        }
        // A file that is not UTF-8 cannot be a generated file; it is not offered.
        let Ok(contents) = std::fs::read_to_string(&path) else { continue };
        files.push(GeneratedFile { name: format!("{prefix}{name}"), contents });
    }
    Ok(())
}

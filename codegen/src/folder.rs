//! Finding the spec files under a folder: regular `*.yaml` files only, never outside the folder,
//! each file and folder once however links point, and a reason for everything left out.
//!
//! A walk that follows links and opens whatever has the right name can hang (a link cycle, a
//! FIFO named `x.yaml` blocks the reader until a writer appears), read files the specs do not
//! own (a link to `/etc`), or read one file twice (two operations with one name). So links are
//! resolved and must stay inside the folder, every folder and file is remembered by its resolved
//! path, and only regular files are returned. Depends on nothing else in the crate.

use std::collections::HashMap;
use std::fs::{self, FileType};
use std::io;
use std::path::{Path, PathBuf};

/// What [`find_yaml`] found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Regular `*.yaml` files, as paths under the folder as given, sorted.
    pub files: Vec<PathBuf>,
    /// Entries left out, with the reason, sorted by path.
    pub skipped: Vec<Skipped>,
}

/// An entry [`find_yaml`] left out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// The entry, under the folder as given.
    pub path: PathBuf,
    /// Why, as a clause: "is a FIFO, not a regular file".
    pub reason: String,
}

/// A folder or file already taken, by resolved path, with the path it was taken as.
type Seen = HashMap<PathBuf, PathBuf>;

/// Every regular `*.yaml` file under `root`, following links only to places inside `root`.
///
/// The folder's own tree is read first, without following any link; links are looked at after
/// it. So a file is always read under its own path rather than a link's, a link to a folder
/// (which is inside the root, hence already read) can never start a cycle, and the result does
/// not depend on the order the file system lists entries in.
///
/// # Errors
/// The folder or entry that could not be read (the spec set would be incomplete).
pub(crate) fn find_yaml(root: &Path) -> Result<Found, (PathBuf, io::Error)> {
    let resolved_root = fs::canonicalize(root).map_err(|e| (root.to_owned(), e))?;
    let mut walk =
        Walk { resolved_root: resolved_root.clone(), seen: Seen::new(), links: Vec::new(), found: Found::default() };
    walk.seen.insert(resolved_root.clone(), root.to_owned());
    walk.folder(root, &resolved_root)?;
    for link in std::mem::take(&mut walk.links) {
        walk.link(link);
    }
    walk.found.files.sort();
    walk.found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walk.found)
}

struct Walk {
    resolved_root: PathBuf,
    seen: Seen,
    /// Links met in the tree, looked at once the tree is read.
    links: Vec<PathBuf>,
    found: Found,
}

impl Walk {
    /// Reads one real folder: `shown` is its path under the root as given, `resolved` its real
    /// path. Links are only recorded.
    fn folder(&mut self, shown: &Path, resolved: &Path) -> Result<(), (PathBuf, io::Error)> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(shown).map_err(|e| (shown.to_owned(), e))? {
            let entry = entry.map_err(|e| (shown.to_owned(), e))?;
            entries.push(entry.file_name());
        }
        entries.sort();
        for name in entries {
            let path = shown.join(&name);
            let kind = fs::symlink_metadata(&path).map_err(|e| (path.clone(), e))?.file_type();
            let target = resolved.join(&name);
            if kind.is_symlink() {
                self.links.push(path);
            } else if kind.is_dir() {
                self.seen.insert(target.clone(), path.clone());
                self.folder(&path, &target)?;
            } else {
                self.file(path, target, kind);
            }
        }
        Ok(())
    }

    /// Takes a `*.yaml` entry that is (or links to) `kind` at the real path `target`.
    fn file(&mut self, path: PathBuf, target: PathBuf, kind: FileType) {
        if !is_yaml(&path) {
            // Not a spec by its name: nothing to say about it.
        } else if !kind.is_file() {
            let reason = format!("is {}, not a regular file", describe(kind));
            self.skip(path, reason);
        } else if let Some(first) = self.seen.get(&target) {
            let reason = format!("is the same file as {}", first.display());
            self.skip(path, reason);
        } else {
            self.seen.insert(target, path.clone());
            self.found.files.push(path);
        }
    }

    /// Looks at a link met in the tree: a file inside the root not read yet is read through it;
    /// everything else is skipped with the reason.
    fn link(&mut self, link: PathBuf) {
        let target = match fs::canonicalize(&link) {
            Ok(target) => target,
            Err(e) => return self.skip(link, format!("is a link that cannot be followed ({e})")),
        };
        if !target.starts_with(&self.resolved_root) {
            return self.skip(link, format!("is a link to {}, outside the spec folder", target.display()));
        }
        let kind = match fs::metadata(&target) {
            Ok(meta) => meta.file_type(),
            Err(e) => return self.skip(link, format!("is a link whose target cannot be read ({e})")),
        };
        if kind.is_dir() {
            let read_as =
                self.seen.get(&target).map_or_else(|| target.display().to_string(), |p| p.display().to_string());
            self.skip(
                link,
                format!("is a link to a folder already read as {read_as} (links to folders are not followed)"),
            );
        } else {
            self.file(link, target, kind);
        }
    }

    fn skip(&mut self, path: PathBuf, reason: String) {
        self.found.skipped.push(Skipped { path, reason });
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml")
}

/// "a FIFO", "a socket", … for a file type that is neither a folder nor a regular file.
fn describe(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

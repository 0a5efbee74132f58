//! Hashes that let a build reuse a generated file instead of generating it again: the hash of
//! everything a file is generated from (its *inputs*), and the hash of the file itself. Pure
//! functions over text; [`crate::render`] writes and reads them in the file's header.
//!
//! A service file's inputs are the generator's identity ([`GENERATOR`], followed by the
//! operation selection when there is one: [`crate::Selection::identity`], and the crate the
//! file is for: [`crate::part`]), the enabled providers and the spec files in the service's
//! folder that crate reads (path and text); the index's inputs are the same over every folder's
//! key, marked as the index's (a spec set of one folder gives two keys). Files are sorted by
//! path and every part is length-prefixed, so no two different input sets hash the same way by
//! concatenation.
//!
//! Why the generator's own source rather than its version number: any edit of the generator
//! (even one that forgets a version bump) changes its output's key, so a file made by another
//! generator is never reused. The cost is that every generator change rewrites the hash line of
//! every generated file. Dependencies (`prettyplease` above all) are not part of the identity;
//! a dependency update that changes the output is caught by the `generated/` freshness test.
//!
//! Why XXH3-128 rather than a cryptographic hash: the hashes guard against stale and hand-edited
//! files, not against someone who can write the repository (and so every spec and the generator
//! too). Build scripts run unoptimised, where SHA-256 hashed about 27 MB/s on the benchmark
//! machine and was the larger part of a build script that reuses every file; XXH3 (a fixed,
//! published algorithm, so a recorded hash stays valid across toolchains and platforms) hashes
//! about three times as fast there, and 128 bits make an accidental match out of reach.

use std::collections::BTreeMap;

use xxhash_rust::xxh3::Xxh3Default;

use crate::SourceMap;
use crate::part::Part;

/// The generator's identity: XXH3-128 of its source files, embedded by its build script.
pub const GENERATOR: &str = env!("CODEGEN_SOURCE_HASH");

/// Separates the kinds of hash, so an inputs hash can never equal a contents hash.
const INPUTS_DOMAIN: &[u8] = b"cloud-task-apis-codegen inputs 1";
const CONTENTS_DOMAIN: &[u8] = b"cloud-task-apis-codegen contents 1";

/// The inputs hashes of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    /// Per spec folder (one service each) the crate has a file for, by folder path
    /// (`specs/huawei/dis`).
    pub folders: BTreeMap<String, String>,
    /// Of every folder's key: the key of the index, which lists every service.
    pub all: String,
}

/// What a key is the key of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One service's file.
    Service,
    /// The index of every service.
    Index,
}

/// The folder a spec file belongs to: its path up to the last `/` (the service it is part of).
#[must_use]
pub fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// The inputs hashes of the files crate `part` has for the service folders in `sources` (the
/// files it reads of each, see [`Part::reads`]) and of its index, for a generator identified by
/// `generator` run with `providers` enabled. The crate is part of the identity.
#[must_use]
pub fn keys(sources: &SourceMap, providers: &[&str], generator: &str, part: Part) -> Keys {
    let generator = format!("{generator}\ncrate: {}", part.crate_name());
    let generator = generator.as_str();
    let mut by_folder: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (_, file) in sources.iter() {
        by_folder.entry(folder(&file.path)).or_default().push((&file.path, &file.text));
    }
    by_folder.retain(|_, files| part.writes_service(files.iter().map(|(path, _)| *path)));
    let folders: BTreeMap<String, String> = by_folder
        .iter()
        .map(|(name, files)| {
            let read = files.iter().copied().filter(|(path, _)| part.reads(path));
            ((*name).to_owned(), inputs(Kind::Service, generator, providers, read))
        })
        .collect();
    // Every file is in exactly one folder key, so the folder keys stand for all the files and
    // the specs are hashed once.
    let all = inputs(Kind::Index, generator, providers, folders.iter().map(|(f, k)| (f.as_str(), k.as_str())));
    Keys { folders, all }
}

/// Hex XXH3-128 of what a file of `kind` is made from: a generator identity, a provider set
/// (order and repeats do not matter) and `(path, text)` files (order does not matter).
#[must_use]
pub fn inputs<'a>(
    kind: Kind,
    generator: &str,
    providers: &[&str],
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut providers = providers.to_vec();
    providers.sort_unstable();
    providers.dedup();
    let mut files: Vec<(&str, &str)> = files.into_iter().collect();
    files.sort_unstable();
    let mut hasher = Xxh3Default::new();
    part(&mut hasher, INPUTS_DOMAIN);
    part(&mut hasher, if kind == Kind::Index { b"index" } else { b"service" });
    part(&mut hasher, generator.as_bytes());
    count(&mut hasher, providers.len());
    for provider in providers {
        part(&mut hasher, provider.as_bytes());
    }
    count(&mut hasher, files.len());
    for (path, text) in files {
        part(&mut hasher, path.as_bytes());
        part(&mut hasher, text.as_bytes());
    }
    hex(&hasher.digest128().to_be_bytes())
}

/// Hex XXH3-128 of a generated file named `name` whose text is `parts` joined (the header line
/// that records the hashes left out).
#[must_use]
pub fn contents(name: &str, parts: &[&str]) -> String {
    let mut hasher = Xxh3Default::new();
    part(&mut hasher, CONTENTS_DOMAIN);
    part(&mut hasher, name.as_bytes());
    count(&mut hasher, parts.iter().map(|p| p.len()).sum());
    for text in parts {
        hasher.update(text.as_bytes());
    }
    hex(&hasher.digest128().to_be_bytes())
}

fn part(hasher: &mut Xxh3Default, bytes: &[u8]) {
    count(hasher, bytes.len());
    hasher.update(bytes);
}

fn count(hasher: &mut Xxh3Default, n: usize) {
    hasher.update(&(n as u64).to_le_bytes());
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(files: &[(&str, &str)]) -> SourceMap {
        let mut sources = SourceMap::new();
        for (path, text) in files {
            sources.add(*path, *text);
        }
        sources
    }

    #[test]
    fn every_input_changes_the_key() {
        let base = inputs(Kind::Service, "g1", &["huawei"], [("specs/a/service.yaml", "x: 1\n")]);
        assert_eq!(base.len(), 32);
        assert_ne!(base, inputs(Kind::Service, "g2", &["huawei"], [("specs/a/service.yaml", "x: 1\n")]), "generator");
        assert_ne!(
            base,
            inputs(Kind::Service, "g1", &["huawei", "tencent"], [("specs/a/service.yaml", "x: 1\n")]),
            "providers"
        );
        assert_ne!(
            base,
            inputs(Kind::Service, "g1", &["huawei"], [("specs/a/service.yaml", "x: 2\n")]),
            "a byte of a spec"
        );
        assert_ne!(base, inputs(Kind::Service, "g1", &["huawei"], [("specs/b/service.yaml", "x: 1\n")]), "a file name");
        // Moving bytes between a name and a text is a different input, not the same concatenation.
        assert_ne!(
            inputs(Kind::Service, "g", &[], [("ab", "c")]),
            inputs(Kind::Service, "g", &[], [("a", "bc")]),
            "parts are length-prefixed"
        );
    }

    #[test]
    fn order_of_providers_and_files_does_not_matter() {
        let files = [("specs/a/x.yaml", "1"), ("specs/a/service.yaml", "2")];
        let reversed = [files[1], files[0]];
        assert_eq!(
            inputs(Kind::Service, "g", &["tencent", "huawei", "huawei"], files),
            inputs(Kind::Service, "g", &["huawei", "tencent"], reversed)
        );
    }

    #[test]
    fn keys_group_files_by_folder() {
        let sources =
            map(&[("specs/h/dis/service.yaml", "a"), ("specs/h/dis/Op.yaml", "b"), ("specs/t/cls/service.yaml", "c")]);
        let keys = keys(&sources, &["h", "t"], "g", Part::Client);
        assert_eq!(keys.folders.keys().collect::<Vec<_>>(), ["specs/h/dis", "specs/t/cls"]);
        assert_eq!(
            keys.folders["specs/h/dis"],
            inputs(
                Kind::Service,
                "g\ncrate: cloud_task_apis",
                &["h", "t"],
                [("specs/h/dis/service.yaml", "a"), ("specs/h/dis/Op.yaml", "b")]
            )
        );
        // A change in one folder changes its key and the index's, not the other folder's.
        let changed = super::keys(
            &map(&[("specs/h/dis/service.yaml", "a"), ("specs/h/dis/Op.yaml", "B"), ("specs/t/cls/service.yaml", "c")]),
            &["h", "t"],
            "g",
            Part::Client,
        );
        assert_ne!(changed.folders["specs/h/dis"], keys.folders["specs/h/dis"]);
        assert_eq!(changed.folders["specs/t/cls"], keys.folders["specs/t/cls"]);
        assert_ne!(changed.all, keys.all);
        // One folder: the index still has a key of its own.
        let one = super::keys(&map(&[("specs/h/dis/service.yaml", "a")]), &["h"], "g", Part::Client);
        assert_ne!(one.all, one.folders["specs/h/dis"]);
    }

    #[test]
    fn a_crate_keys_only_the_files_it_reads() {
        let sources = map(&[("specs/h/dis/service.yaml", "a"), ("specs/h/dis/Op.yaml", "b")]);
        let changed = map(&[("specs/h/dis/service.yaml", "a"), ("specs/h/dis/Op.yaml", "B")]);
        let shared = keys(&sources, &["h"], "g", Part::Shared);
        assert_eq!(
            shared.folders,
            keys(&changed, &["h"], "g", Part::Shared).folders,
            "no operation in the shared crate"
        );
        let holder = Part::Operations(crate::part::operation_crate("Op.yaml"));
        let other = Part::Operations((crate::part::operation_crate("Op.yaml") + 1) % crate::part::OPERATION_CRATES);
        assert_ne!(keys(&sources, &["h"], "g", holder).folders, keys(&changed, &["h"], "g", holder).folders);
        assert!(keys(&sources, &["h"], "g", other).folders.is_empty(), "no file where no operation is held");
        assert_ne!(shared.all, keys(&sources, &["h"], "g", Part::Client).all, "the crate is part of the identity");
    }

    #[test]
    fn contents_cover_name_and_text() {
        let base = contents("a.rs", &["// head\n", "fn f() {}\n"]);
        assert_eq!(base, contents("a.rs", &["// head\nfn f() {}\n"]), "only the joined text counts");
        assert_ne!(base, contents("b.rs", &["// head\n", "fn f() {}\n"]));
        assert_ne!(base, contents("a.rs", &["// head\n", "fn g() {}\n"]));
        assert_ne!(base, inputs(Kind::Service, "", &[], []));
        assert_ne!(inputs(Kind::Service, "g", &[], [("a", "b")]), inputs(Kind::Index, "g", &[], [("a", "b")]), "kinds");
    }
}

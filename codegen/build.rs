//! Embeds the generator's identity, `CODEGEN_SOURCE_HASH`: an XXH3-128 over the generator's own
//! source files (`src/**`, paths and text). Generated files record it among their inputs, so a
//! build never reuses a file made by another version of the generator (see `src/fingerprint.rs`).

use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3Default;

fn main() {
    // A folder path makes Cargo rerun this script when anything under it changes.
    println!("cargo::rerun-if-changed=src");
    let mut files = Vec::new();
    if let Err(e) = collect(Path::new("src"), &mut files) {
        eprintln!("error: cannot read the generator's source to fingerprint it: {e}");
        std::process::exit(1);
    }
    files.sort();
    let mut hasher = Xxh3Default::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("error: cannot read {} to fingerprint the generator", path.display());
            std::process::exit(1);
        };
        // `/` separators and `\n` line ends, so a Windows checkout fingerprints the same.
        let name = path.to_string_lossy().replace('\\', "/");
        for part in [name.as_bytes(), text.replace("\r\n", "\n").as_bytes()] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    }
    let hex = format!("{:032x}", hasher.digest128());
    println!("cargo::rustc-env=CODEGEN_SOURCE_HASH={hex}");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

//! What the build script of each generated crate does ([`run`]): generate that crate's files
//! from the workspace's `specs/` into `OUT_DIR`, for the enabled providers, or take the
//! committed `generated/` files when they were made from the same inputs. On a bad spec it
//! prints the diagnostics and exits with an error, without a panic.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::{Config, Layout, Part, Selection};

/// Runs the build script of crate `part`, whose package sits `workspace` (a relative path such
/// as `../..`) below the workspace root that holds `specs/` and `generated/`.
///
/// Reads the cargo features `alibaba`, `huawei` and `tencent` (which providers to generate),
/// `CLOUD_TASK_APIS_OPERATIONS` (which operations; unset: all) and `CLOUD_TASK_APIS_SPEC_DIR`
/// (another spec folder, relative to the workspace root; the generator's tests compile the code
/// of generated specs through it). The client crate also writes `embedded_specs.rs`, the spec
/// files as `(path, text)` for the simulator and the command-line tool.
pub fn run(part: Part, workspace: &str) {
    if let Err(message) = try_run(part, workspace) {
        eprintln!("{message}");
        std::process::exit(1);
    }
}

fn try_run(part: Part, workspace: &str) -> Result<(), String> {
    let out_dir = std::env::var("OUT_DIR").map_err(|_| "error: OUT_DIR is not set; run this through cargo")?;
    let manifest = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| "error: CARGO_MANIFEST_DIR is not set")?;
    let root = Path::new(&manifest).join(workspace);
    // Spec paths are read relative to the workspace root, as `generated/` records them.
    std::env::set_current_dir(&root).map_err(|e| format!("error: cannot enter {}: {e}", root.display()))?;
    // A rerun line turns off Cargo's "rerun on any change" default, so list every input: the
    // spec folder (new and removed files, and every edit: a crate cannot tell a new file of its
    // own from another's without reading the folder), the committed files, and the variables.
    println!("cargo::rerun-if-env-changed=CLOUD_TASK_APIS_SPEC_DIR");
    let specs = std::env::var("CLOUD_TASK_APIS_SPEC_DIR").unwrap_or_else(|_| "specs".to_owned());
    println!("cargo::rerun-if-changed={}", root.join(&specs).display());
    let reuse = PathBuf::from("generated").join(part.folder());
    println!("cargo::rerun-if-changed={}", root.join(&reuse).display());
    println!("cargo::rerun-if-env-changed=CLOUD_TASK_APIS_OPERATIONS");
    let selection = std::env::var("CLOUD_TASK_APIS_OPERATIONS").unwrap_or_default();
    let providers = ["alibaba", "huawei", "tencent"]
        .into_iter()
        .filter(|p| std::env::var_os(format!("CARGO_FEATURE_{}", p.to_uppercase())).is_some());
    // `generated/` is what this build would write (the freshness test checks it); its files
    // are taken when their recorded input hashes match, so unchanged specs cost no generation.
    // A file that has to be generated (a spec changed) is written compact: the compiler reads
    // the same tokens, and formatting was most of the cost.
    let compiled = Config::new()
        .providers(providers)
        .operations(Selection::parse(&selection))
        .part(part)
        .reuse_from("generated")
        .share_generated(shared_folder(&out_dir))
        .layout(Layout::Compact)
        .compile_specs(&specs, &out_dir)
        .map_err(|report| report.to_string())?;
    // Not a Cargo directive: a note in the build script's output (`cargo build -vv`).
    println!("reused from generated/: {}", compiled.reused.join(", "));
    if part == Part::Client {
        embed_specs(&root, &compiled.inputs, &out_dir)
            .map_err(|e| format!("error: cannot write the embedded spec list: {e}"))?;
        // Every crate reads the same specs; the client's build shows their warnings once.
        for line in compiled.warnings.lines().filter(|l| !l.trim().is_empty()) {
            println!("cargo::warning={line}");
        }
    }
    Ok(())
}

/// The folder the generated crates' build scripts share ([`Config::share_generated`]): beside
/// the crates' own build folders (`OUT_DIR` is `<target>/<profile>/build/<crate>-<hash>/out`).
fn shared_folder(out_dir: &str) -> PathBuf {
    let build = Path::new(out_dir).ancestors().nth(2).unwrap_or(Path::new(out_dir));
    build.join("cloud-task-apis-generated")
}

/// Writes `embedded_specs.rs`: every spec file as `(path, text)`.
fn embed_specs(root: &Path, inputs: &[PathBuf], out_dir: &str) -> std::io::Result<()> {
    let mut code = String::from("&[\n");
    for input in inputs {
        let display = input.to_string_lossy().replace('\\', "/");
        let absolute = root.join(input);
        let _ = writeln!(code, "    ({display:?}, include_str!({:?})),", absolute.to_string_lossy());
    }
    code.push_str("]\n");
    let path = Path::new(out_dir).join("embedded_specs.rs");
    if std::fs::read_to_string(&path).is_ok_and(|old| old == code) {
        return Ok(());
    }
    std::fs::write(path, code)
}

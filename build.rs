//! Generates the service code from `specs/` into `OUT_DIR`, for the enabled providers, or takes
//! the committed `generated/` files when they were made from the same inputs.
//! On a bad spec it prints the diagnostics and fails without a panic.

fn main() {
    let Ok(out_dir) = std::env::var("OUT_DIR") else {
        eprintln!("error: OUT_DIR is not set; run this through cargo");
        std::process::exit(1);
    };
    // A rerun line turns off Cargo's "rerun on any change" default, so list every input: the
    // folder (new and removed files), each spec read, and the variable that can name another
    // folder (the generator's tests compile the code of generated specs through it).
    println!("cargo::rerun-if-env-changed=CLOUD_TASK_APIS_SPEC_DIR");
    let specs = std::env::var("CLOUD_TASK_APIS_SPEC_DIR").unwrap_or_else(|_| "specs".to_owned());
    println!("cargo::rerun-if-changed={specs}");
    let providers = ["alibaba", "huawei", "tencent"]
        .into_iter()
        .filter(|p| std::env::var_os(format!("CARGO_FEATURE_{}", p.to_uppercase())).is_some());
    // `generated/` is what this build would write (tests/generated.rs checks it); its files are
    // taken when their recorded input hashes match, so unchanged specs cost no generation. A
    // file that has to be generated (a spec changed) is written compact: the compiler reads the
    // same tokens, and formatting was most of the cost. Once `generated/` is brought up to date
    // (`cargo test --test generated`), the build reruns and compiles its formatted files.
    println!("cargo::rerun-if-changed=generated");
    // Which operations to compile (README "Compiling only some operations"); unset: all.
    println!("cargo::rerun-if-env-changed=CLOUD_TASK_APIS_OPERATIONS");
    let selection = std::env::var("CLOUD_TASK_APIS_OPERATIONS").unwrap_or_default();
    let config = cloud_task_apis_codegen::Config::new()
        .providers(providers)
        .operations(cloud_task_apis_codegen::Selection::parse(&selection))
        .reuse_from("generated")
        .layout(cloud_task_apis_codegen::Layout::Compact);
    match config.compile_specs(&specs, &out_dir) {
        Ok(compiled) => {
            // Not a Cargo directive: a note in the build script's output (`cargo build -vv`).
            println!("reused from generated/: {}", compiled.reused.join(", "));
            for input in &compiled.inputs {
                println!("cargo::rerun-if-changed={}", input.display());
            }
            if let Err(e) = embed_specs(&compiled.inputs, &out_dir) {
                eprintln!("error: cannot write the embedded spec list: {e}");
                std::process::exit(1);
            }
            for line in compiled.warnings.lines().filter(|l| !l.trim().is_empty()) {
                println!("cargo::warning={line}");
            }
        }
        Err(report) => {
            eprintln!("{report}");
            std::process::exit(1);
        }
    }
}

/// Writes `embedded_specs.rs`: every spec file as `(path, text)`, for the simulator's default
/// specs (only compiled with the `simulator` feature).
fn embed_specs(inputs: &[std::path::PathBuf], out_dir: &str) -> std::io::Result<()> {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut code = String::from("&[\n");
    for input in inputs {
        let display = input.to_string_lossy().replace('\\', "/");
        let absolute = std::path::Path::new(&root).join(input);
        code.push_str(&format!("    ({display:?}, include_str!({:?})),\n", absolute.to_string_lossy()));
    }
    code.push_str("]\n");
    let path = std::path::Path::new(out_dir).join("embedded_specs.rs");
    if std::fs::read_to_string(&path).is_ok_and(|old| old == code) {
        return Ok(());
    }
    std::fs::write(path, code)
}

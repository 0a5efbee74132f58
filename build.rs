//! Generates the service code from `specs/` into `OUT_DIR`, for the enabled providers.
//! On a bad spec it prints the diagnostics and fails without a panic.

fn main() {
    let Ok(out_dir) = std::env::var("OUT_DIR") else {
        eprintln!("error: OUT_DIR is not set; run this through cargo");
        std::process::exit(1);
    };
    // A rerun line turns off Cargo's "rerun on any change" default, so list every input: the
    // folder (new and removed files) and each spec read.
    println!("cargo::rerun-if-changed=specs");
    let providers = ["alibaba", "huawei", "tencent"]
        .into_iter()
        .filter(|p| std::env::var_os(format!("CARGO_FEATURE_{}", p.to_uppercase())).is_some());
    match cloud_task_apis_codegen::Config::new().providers(providers).compile_specs("specs", &out_dir) {
        Ok(compiled) => {
            for input in &compiled.inputs {
                println!("cargo::rerun-if-changed={}", input.display());
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

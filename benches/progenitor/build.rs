//! Generates the client with progenitor from the OpenAPI document at `$PROGENITOR_SPEC`
//! (default `openapi.json` next to Cargo.toml) into `OUT_DIR/codegen.rs`, and writes the
//! seconds that generation took (parse, generate, format, write) to
//! `OUT_DIR/generation-seconds.txt`.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    println!("cargo:rerun-if-env-changed=PROGENITOR_SPEC");
    let spec_path = std::env::var_os("PROGENITOR_SPEC").map_or_else(
        || PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR")).join("openapi.json"),
        PathBuf::from,
    );
    println!("cargo:rerun-if-changed={}", spec_path.display());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));

    let start = Instant::now();
    let text =
        std::fs::read_to_string(&spec_path).unwrap_or_else(|e| panic!("cannot read {}: {e}", spec_path.display()));
    let spec = serde_json::from_str(&text).expect("an OpenAPI 3.0 document");
    let tokens = progenitor::Generator::default().generate_tokens(&spec).expect("progenitor generates the client");
    let ast = syn::parse2(tokens).expect("progenitor's output parses");
    let content = prettyplease::unparse(&ast);
    std::fs::write(out_dir.join("codegen.rs"), content).expect("write codegen.rs");
    let seconds = start.elapsed().as_secs_f64();

    std::fs::write(out_dir.join("generation-seconds.txt"), format!("{seconds:.3}\n"))
        .expect("write generation-seconds.txt");
}

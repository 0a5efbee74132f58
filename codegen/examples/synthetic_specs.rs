//! Writes a synthetic spec folder for benchmarks (the shape is described in
//! `cloud_task_apis_codegen::synthetic`).
//!
//! ```text
//! cargo run -p cloud-task-apis-codegen --example synthetic_specs -- OPERATIONS SPEC_DIR
//! ```
//!
//! `SPEC_DIR` gets `huawei/synthetic/service.yaml` and one file per operation.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(dir), 2) = (args.first().and_then(|n| n.parse::<usize>().ok()), args.get(1), args.len())
    else {
        eprintln!("usage: synthetic_specs OPERATIONS SPEC_DIR");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    match cloud_task_apis_codegen::synthetic::write(&dir, count) {
        Ok(()) => {
            println!("wrote {count} synthetic operations under {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write under {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

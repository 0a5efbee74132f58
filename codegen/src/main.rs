//! `cloud-task-apis-codegen`: check the specs, or generate the code into a folder.
//!
//! ```text
//! cloud-task-apis-codegen check [SPEC_DIR]              exit 1 on errors; prints a count last
//! cloud-task-apis-codegen generate [SPEC_DIR] [OUT_DIR] writes generated/ (default: specs -> generated)
//! ```
//!
//! Two commands with one optional argument each; a hand-written parser keeps the generator's
//! build free of an argument-parsing dependency that build scripts would also compile.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cloud-task-apis-codegen check [SPEC_DIR]\n       cloud-task-apis-codegen generate [SPEC_DIR] [OUT_DIR]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| PathBuf::from(args.get(i).map_or(default, String::as_str));
    match args.first().map(String::as_str) {
        Some("check") if args.len() <= 2 => check(&arg(1, "specs")),
        Some("generate") if args.len() <= 3 => generate(&arg(1, "specs"), &arg(2, "generated")),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn check(dir: &std::path::Path) -> ExitCode {
    let cloud_task_apis_codegen::SpecFiles { sources, warnings: skipped, .. } =
        match cloud_task_apis_codegen::read_specs(dir) {
            Ok(read) => read,
            Err(report) => {
                eprint!("{report}");
                return ExitCode::FAILURE;
            }
        };
    match cloud_task_apis_codegen::generate(&sources, &["alibaba", "huawei", "tencent"]) {
        Ok(mut output) => {
            output.warnings.extend(skipped);
            print!("{}", output.warnings.render(&sources));
            ExitCode::SUCCESS
        }
        Err(mut diagnostics) => {
            diagnostics.extend(skipped);
            eprint!("{}", diagnostics.render(&sources));
            ExitCode::FAILURE
        }
    }
}

fn generate(dir: &std::path::Path, out: &std::path::Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("error: cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    match cloud_task_apis_codegen::compile_specs(dir, out) {
        Ok(compiled) => {
            print!("{}", compiled.warnings);
            println!("{} files changed in {}", compiled.written.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprint!("{report}");
            ExitCode::FAILURE
        }
    }
}

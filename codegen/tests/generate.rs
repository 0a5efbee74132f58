//! Per-feature snapshots of generated code: each fixture under `fixtures/valid/` is one
//! operation (named for the feature it exercises) next to the shared `service.yaml`. A snapshot
//! holds the service's file of every crate that has one, as `generated/` would.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always` and `git diff`).

use std::path::Path;

use cloud_task_apis_codegen::{SourceMap, generate};

fn generate_fixture(path: &Path) -> String {
    let fixtures = path.parent().expect("fixture folder");
    let mut sources = SourceMap::new();
    let service = std::fs::read_to_string(fixtures.join("service.yaml")).expect("shared service.yaml");
    sources.add("specs/fixture/service.yaml", service);
    let name = path.file_name().expect("file name").to_string_lossy();
    sources.add(format!("specs/fixture/{name}"), std::fs::read_to_string(path).expect("fixture"));
    let output = generate(&sources, &["huawei"]).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    assert!(output.warnings.is_empty(), "{}", output.warnings.render(&sources));
    service_files(output)
}

/// The service's files of every crate that has one (shared, operations', client's), in that
/// order, each without its hash line.
fn service_files(output: cloud_task_apis_codegen::Output) -> String {
    let files: Vec<_> = output.files.into_iter().filter(|f| f.name.ends_with("huawei_fixture.rs")).collect();
    assert!(files.iter().any(|f| f.name == "huawei_fixture.rs"), "the client's file");
    files.iter().map(|f| without_hash_line(&f.contents)).collect()
}

/// The code without the header's hash line, which changes with every edit of the generator:
/// snapshots show the code.
fn without_hash_line(code: &str) -> String {
    code.lines().filter(|line| !line.starts_with("// inputs xxh3-128:")).map(|line| format!("{line}\n")).collect()
}

#[test]
fn valid_fixtures() {
    insta::glob!("fixtures/valid/*.yaml", |path| {
        if path.file_name().is_some_and(|n| n == "service.yaml") {
            return;
        }
        let code = generate_fixture(path);
        // Every fixture's output must be a valid Rust file, not only a stable text.
        syn::parse_file(&code).expect("generated code parses");
        insta::assert_snapshot!(code);
    });
}

/// Fixtures of whole service folders (`fixtures/services/NAME/`: service.yaml, types.yaml and
/// operations), one snapshot of the service's generated files each.
#[test]
fn service_fixtures() {
    insta::glob!("fixtures/services/*/service.yaml", |path| {
        let folder = path.parent().expect("service folder");
        let mut entries: Vec<_> =
            std::fs::read_dir(folder).expect("folder").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        let mut sources = SourceMap::new();
        for file in entries {
            let name = file.file_name().expect("file name").to_string_lossy().into_owned();
            sources.add(format!("specs/fixture/{name}"), std::fs::read_to_string(&file).expect("fixture"));
        }
        let output = generate(&sources, &["huawei"]).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
        assert!(output.warnings.is_empty(), "{}", output.warnings.render(&sources));
        let code = service_files(output);
        syn::parse_file(&code).expect("generated code parses");
        let name = folder.file_name().expect("folder name").to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("service_{name}"), code);
    });
}

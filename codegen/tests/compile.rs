//! The build-script entry point: every file read is reported (each becomes a
//! `cargo::rerun-if-changed` line), and unchanged output is not rewritten (so an unrelated
//! rebuild does not recompile the generated code).

use std::path::{Path, PathBuf};

use cloud_task_apis_codegen::Part;

fn copy_specs(to: &Path) -> Vec<PathBuf> {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut copied = Vec::new();
    for service in ["alibaba/actiontrail", "huawei/dis", "huawei/cbr", "tencent/cls"] {
        let dir = to.join(service);
        std::fs::create_dir_all(&dir).expect("create spec folder");
        for entry in std::fs::read_dir(from.join(service)).expect("spec folder") {
            let path = entry.expect("entry").path();
            let target = dir.join(path.file_name().expect("name"));
            std::fs::copy(&path, &target).expect("copy spec");
            copied.push(target);
        }
    }
    copied.sort();
    copied
}

#[test]
fn inputs_are_every_spec_and_unchanged_output_is_not_rewritten() {
    let scratch = std::env::temp_dir().join(format!("cta-compile-{}", std::process::id()));
    let specs = scratch.join("specs");
    let out = scratch.join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    let copied = copy_specs(&specs);

    let client = || cloud_task_apis_codegen::Config::new().part(Part::Client);
    let first = client().compile_specs(&specs, &out).expect("valid specs");
    assert_eq!(first.inputs, copied, "every spec file is an input, in a stable order");
    assert_eq!(first.written.len(), 5, "four services and the index: {:?}", first.written);

    let second = client().compile_specs(&specs, &out).expect("valid specs");
    assert!(second.written.is_empty(), "nothing changed, nothing rewritten: {:?}", second.written);

    // Every crate's files, each crate's in its folder, with an index each.
    let every = cloud_task_apis_codegen::Config::new().compile_specs(&specs, &out).expect("valid specs");
    let indexes: Vec<_> = every.written.iter().filter(|p| p.ends_with("services.rs")).collect();
    assert_eq!(indexes.len(), Part::all().len() - 1, "the client's index is unchanged: {indexes:?}");
    assert!(every.written.iter().all(|p| p.parent() != Some(out.as_path())), "{:?}", every.written);

    // Only the providers asked for are generated; the index still names every provider.
    let only = scratch.join("only-tencent");
    std::fs::create_dir_all(&only).expect("out dir");
    let third = client().providers(["tencent"]).compile_specs(&specs, &only).expect("valid specs");
    let names: Vec<_> =
        third.written.iter().map(|p| p.file_name().expect("name").to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["tencent_cls.rs", "services.rs"]);

    std::fs::remove_dir_all(&scratch).ok();
}

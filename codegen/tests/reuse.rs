//! Reusing earlier generated files: taken only when intact and made from exactly the inputs of
//! this run (spec bytes and names, generator, providers); everything else is generated again,
//! and either way the output is what a run from scratch gives.

use std::path::{Path, PathBuf};

use cloud_task_apis_codegen::part::operation_crate;
use cloud_task_apis_codegen::{Config, Output, Part, Previous, SourceMap, generate, generate_reusing, read_specs};

const ALL: [&str; 3] = ["alibaba", "huawei", "tencent"];

fn project_specs() -> SourceMap {
    read_specs(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"))).unwrap_or_else(|r| panic!("{r}")).sources
}

fn cold(sources: &SourceMap, providers: &[&str]) -> Output {
    generate(sources, providers).unwrap_or_else(|d| panic!("{}", d.render(sources)))
}

fn names(output: &Output) -> Vec<String> {
    output.files.iter().map(|f| f.name.clone()).collect()
}

/// `sources` with `edit` applied to the text of the file whose path ends with `suffix`.
fn edited(sources: &SourceMap, suffix: &str, edit: impl Fn(&str) -> String) -> SourceMap {
    let mut out = SourceMap::new();
    let mut hit = false;
    for (_, file) in sources.iter() {
        if file.path.ends_with(suffix) {
            hit = true;
            out.add(file.path.clone(), edit(&file.text));
        } else {
            out.add(file.path.clone(), file.text.clone());
        }
    }
    assert!(hit, "no spec file ends with {suffix}");
    out
}

#[test]
fn unchanged_inputs_reuse_every_file() {
    let sources = project_specs();
    let first = cold(&sources, &ALL);
    assert!(first.reused.is_empty());
    let previous = Previous::from_files(first.files.clone());
    assert_eq!(previous.len(), first.files.len(), "every generated file is intact");
    let again = generate_reusing(&sources, &ALL, &previous).expect("valid specs");
    assert_eq!(again.reused, names(&first));
    assert_eq!(again.files, first.files);
}

#[test]
fn a_changed_spec_byte_regenerates_its_service_and_the_index() {
    let sources = project_specs();
    let previous = Previous::from_files(cold(&sources, &ALL).files);
    // One byte of one operation's summary.
    let changed =
        edited(&sources, "huawei/dis/ShowTransferTaskLog.yaml", |text| text.replacen("summary: ", "summary: X", 1));
    let expected = cold(&changed, &ALL);
    let output = generate_reusing(&changed, &ALL, &previous).expect("valid specs");
    assert_eq!(output.files, expected.files, "the same files as generating from scratch");
    // The crate holding the operation and the client's crate: the service's file and the index.
    let holder = Part::Operations(operation_crate("ShowTransferTaskLog.yaml")).folder();
    let regenerated = [
        format!("{holder}huawei_dis.rs"),
        format!("{holder}services.rs"),
        "huawei_dis.rs".into(),
        "services.rs".into(),
    ];
    for name in &regenerated {
        assert!(!output.reused.contains(name), "{name}: {:?}", output.reused);
    }
    for name in ["huawei_cbr.rs", "shared/huawei_dis.rs", "shared/services.rs"] {
        assert!(output.reused.contains(&name.to_owned()), "{name}: {:?}", output.reused);
    }
    assert_eq!(output.reused.len(), expected.files.len() - regenerated.len());
}

#[test]
fn a_renamed_spec_file_regenerates() {
    let sources = project_specs();
    let previous = Previous::from_files(cold(&sources, &ALL).files);
    let mut renamed = SourceMap::new();
    for (_, file) in sources.iter() {
        // Same bytes, one operation file under another name (files are sorted by path anyway).
        let path = file.path.replace("ShowOpLog.yaml", "ShowOpLog2.yaml");
        renamed.add(path, file.text.clone());
    }
    let output = generate_reusing(&renamed, &ALL, &previous).expect("valid specs");
    assert!(!output.reused.contains(&"huawei_cbr.rs".to_owned()), "{:?}", output.reused);
    assert_eq!(output.files, cold(&renamed, &ALL).files);
}

#[test]
fn a_hand_edited_generated_file_is_not_used() {
    let sources = project_specs();
    let first = cold(&sources, &ALL);
    let mut files = first.files.clone();
    let file = files.iter_mut().find(|f| f.name == "tencent_cls.rs").expect("generated");
    // An edit that still compiles and keeps the header.
    file.contents.push_str("// a note added by hand\n");
    let previous = Previous::from_files(files);
    assert_eq!(previous.len(), first.files.len() - 1, "the edited file is not offered");
    let output = generate_reusing(&sources, &ALL, &previous).expect("valid specs");
    assert_eq!(output.files, first.files, "regenerated, the edit is gone");
    assert!(!output.reused.contains(&"tencent_cls.rs".to_owned()), "{:?}", output.reused);
    assert_eq!(output.reused.len(), first.files.len() - 1);
}

#[test]
fn a_changed_provider_set_regenerates() {
    let sources = project_specs();
    let previous = Previous::from_files(cold(&sources, &ALL).files);
    let output = generate_reusing(&sources, &["huawei"], &previous).expect("valid specs");
    assert!(output.reused.is_empty(), "{:?}", output.reused);
    assert_eq!(output.files, cold(&sources, &["huawei"]).files);
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reuse").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn config_reuses_a_folder_of_generated_files() {
    let specs = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"));
    let committed = scratch("committed");
    let first = Config::new().compile_specs(specs, &committed).expect("valid specs");
    assert!(first.reused.is_empty());
    let out = scratch("out");
    let second = Config::new().reuse_from(&committed).compile_specs(specs, &out).expect("valid specs");
    let mut expected: Vec<String> = first
        .written
        .iter()
        .map(|p| p.strip_prefix(&committed).expect("below").to_string_lossy().replace('\\', "/"))
        .collect();
    expected.sort();
    let mut reused = second.reused.clone();
    reused.sort();
    assert_eq!(reused, expected);
    for name in &expected {
        let a = std::fs::read_to_string(committed.join(name)).expect("written");
        let b = std::fs::read_to_string(out.join(name)).expect("written");
        assert!(a == b, "{name} differs");
    }
    // A folder that does not exist offers nothing.
    let none = Config::new().reuse_from(committed.join("missing")).compile_specs(specs, &out).expect("valid specs");
    assert!(none.reused.is_empty());
}

#[test]
fn the_first_crate_to_generate_generates_for_every_crate() {
    let specs = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"));
    let share = scratch("share");
    let out = scratch("share-out");
    let first = Config::new().part(Part::Shared).share_generated(&share).compile_specs(specs, &out).expect("valid");
    assert!(first.reused.is_empty(), "{:?}", first.reused);
    assert!(share.join("services.rs").is_file() && share.join("ops-1/services.rs").is_file(), "every crate's files");
    for part in Part::all().into_iter().skip(1) {
        let next = Config::new().part(part).share_generated(&share).compile_specs(specs, &out).expect("valid");
        assert!(!next.reused.is_empty() && next.written.iter().all(|p| next.reused.iter().any(|r| p.ends_with(r))));
        let fresh = Config::new().part(part).compile_specs(specs, scratch("share-fresh")).expect("valid");
        assert_eq!(fresh.written.len(), next.written.len(), "{part:?}: the same files as generating it alone");
    }
    // A file of the shared folder edited by hand is not taken.
    let client = share.join("huawei_dis.rs");
    let text = std::fs::read_to_string(&client).expect("written") + "// edited\n";
    std::fs::write(&client, text).expect("writable");
    let again = Config::new().part(Part::Client).share_generated(&share).compile_specs(specs, &out).expect("valid");
    assert!(!again.reused.contains(&"huawei_dis.rs".to_owned()), "{:?}", again.reused);
}

/// Copies the folder `from` into `to`, subfolders included.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("scratch folder");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copied");
        }
    }
}

#[test]
fn an_operations_crate_with_reusable_files_reads_only_its_own_specs() {
    let specs = scratch("own-specs");
    copy_folder(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs")), &specs);
    let committed = scratch("own-committed");
    Config::new().compile_specs(&specs, &committed).expect("valid specs");
    // A spec file of another operations crate becomes unreadable (not UTF-8): a crate that
    // reads it would report it.
    let sources = read_specs(&specs).unwrap_or_else(|r| panic!("{r}")).sources;
    let mut paths: Vec<&str> = sources
        .iter()
        .map(|(_, f)| f.path.as_str())
        .filter(|p| !p.ends_with("service.yaml") && !p.ends_with("types.yaml"))
        .collect();
    paths.sort();
    let own = operation_crate(paths[0]);
    let other = paths.iter().find(|p| operation_crate(p) != own).expect("operations in two crates");
    std::fs::write(other, b"name: \xff\n").expect("writable");
    let reused =
        Config::new().part(Part::Operations(own)).reuse_from(&committed).compile_specs(&specs, scratch("own-out"));
    let reused = reused.unwrap_or_else(|r| panic!("{r}"));
    assert!(!reused.reused.is_empty() && reused.written.iter().all(|p| reused.reused.iter().any(|r| p.ends_with(r))));
    let client = Config::new().part(Part::Client).reuse_from(&committed).compile_specs(&specs, scratch("own-client"));
    let report = client.expect_err("the client crate reads every spec file").to_string();
    assert!(report.contains(other.rsplit('/').next().expect("a file name")), "{report}");
}

#[test]
fn build_scripts_running_at_the_same_time_generate_once() {
    let specs = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"));
    let share = scratch("together");
    let start = std::sync::Barrier::new(2);
    let runs: Vec<_> = std::thread::scope(|scope| {
        let run = |part: Part, out: &'static str| {
            let (share, start) = (&share, &start);
            scope.spawn(move || {
                start.wait();
                Config::new().part(part).share_generated(share).compile_specs(specs, scratch(out)).expect("valid")
            })
        };
        let first = run(Part::Client, "together-client");
        let second = run(Part::Shared, "together-shared");
        [first, second].map(|t| t.join().expect("no panic")).into()
    });
    let generated = runs.iter().filter(|run| run.reused.is_empty()).count();
    assert_eq!(
        generated,
        1,
        "one run generates, the other takes its files: {:?}",
        runs.iter().map(|r| &r.reused).collect::<Vec<_>>()
    );
}

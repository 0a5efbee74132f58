//! Reading a spec folder never hangs, never leaves the folder and never reads a file twice:
//! link cycles, links out of the folder and FIFOs named `*.yaml` are skipped with a warning that
//! names the path and why; a file that is not UTF-8 is an error at its first bad byte, a file
//! over the size limit is refused after reading no more than the limit, and a lone CR is a line
//! break as YAML reads it.
//!
//! Each case runs on its own thread with a generous guard, so a regression fails the test
//! instead of hanging the suite; the guard is far above the milliseconds a read takes.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use cloud_task_apis_codegen::{Report, Severity, SpecFiles, read_specs};

const SERVICE: &str = "format: 1
provider: huawei
service: things
title: Things
protocol: rest
endpoint: \"things.{region}.example.com\"
signing: [huawei_sdk_hmac_sha256]
error_envelope: huawei
request_id_header: X-Request-Id
";

const OPERATION: &str = "format: 1
operation: ShowThing
seed: fixture.txt
summary: Shows a thing.
http: { method: GET, path: /things }
idempotency: read
request:
  params: []
response:
  fields:
    - { name: id, type: string, required: true, description: Thing ID. }
examples:
  - name: ok
    response: { status: 200, body: { id: t-1 } }
";

/// A fresh folder `<tmp>/spec-folder-<name>` with `specs/things/` holding a valid service.
fn scratch(name: &str) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("spec-folder-{name}"));
    if root.exists() {
        std::fs::remove_dir_all(&root).expect("old test folder removed");
    }
    let service = root.join("specs/things");
    std::fs::create_dir_all(&service).expect("spec folder created");
    std::fs::write(service.join("service.yaml"), SERVICE).expect("service written");
    std::fs::write(service.join("ShowThing.yaml"), OPERATION).expect("operation written");
    (root.clone(), root.join("specs"))
}

/// `read_specs` on another thread; a hang becomes a failure after the guard.
fn read_guarded(dir: &Path) -> Result<SpecFiles, Report> {
    let (send, receive) = mpsc::channel();
    let dir = dir.to_owned();
    std::thread::spawn(move || send.send(read_specs(&dir)));
    receive.recv_timeout(Duration::from_secs(120)).expect("reading the spec folder finished (no hang)")
}

/// The messages of the skipped-entry warnings.
fn skipped(read: &SpecFiles) -> Vec<String> {
    assert!(read.warnings.items().iter().all(|d| d.severity == Severity::Warning && d.span.is_none()));
    read.warnings.items().iter().map(|d| d.message.clone()).collect()
}

fn input_names(read: &SpecFiles, specs: &Path) -> Vec<String> {
    read.inputs.iter().map(|p| p.strip_prefix(specs).expect("under specs").display().to_string()).collect()
}

#[test]
fn link_cycles_are_skipped_with_a_warning() {
    let (_, specs) = scratch("cycles");
    let things = specs.join("things");
    // Two links naming each other, one naming itself, two links to their own folder (a walk
    // that follows them branches twice per level) and a folder link back to an ancestor.
    symlink("loop-b.yaml", things.join("loop-a.yaml")).expect("link");
    symlink(".", things.join("here-1")).expect("link");
    symlink(".", things.join("here-2")).expect("link");
    symlink("loop-a.yaml", things.join("loop-b.yaml")).expect("link");
    symlink("self.yaml", things.join("self.yaml")).expect("link");
    symlink("..", things.join("up")).expect("link");
    let read = read_guarded(&specs).expect("the valid specs are read");
    assert_eq!(input_names(&read, &specs), ["things/ShowThing.yaml", "things/service.yaml"]);
    let messages = skipped(&read);
    assert_eq!(messages.len(), 6, "{messages:#?}");
    for name in ["loop-a.yaml", "loop-b.yaml", "self.yaml"] {
        let path = things.join(name).display().to_string();
        assert!(
            messages.iter().any(|m| m.starts_with(&format!("skipped {path}: it is a link that cannot be followed"))),
            "{name} in {messages:#?}"
        );
    }
    let up = format!(
        "skipped {}: it is a link to a folder already read as {} (links to folders are not followed)",
        things.join("up").display(),
        specs.display()
    );
    assert!(messages.contains(&up), "{up} in {messages:#?}");
    for name in ["here-1", "here-2"] {
        let here = format!(
            "skipped {}: it is a link to a folder already read as {} (links to folders are not followed)",
            things.join(name).display(),
            things.display()
        );
        assert!(messages.contains(&here), "{here} in {messages:#?}");
    }
    // The rest of the run works on what was read.
    cloud_task_apis_codegen::generate(&read.sources, &["huawei"]).expect("the specs read are valid");
}

#[test]
fn links_out_of_the_folder_are_skipped_and_links_inside_it_are_read_once() {
    let (root, specs) = scratch("outside");
    let things = specs.join("things");
    let elsewhere = root.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("folder");
    std::fs::write(elsewhere.join("Secret.yaml"), "format: 1\n").expect("file");
    symlink(elsewhere.join("Secret.yaml"), things.join("Secret.yaml")).expect("link");
    symlink(&elsewhere, specs.join("more")).expect("link");
    // A second name for a file inside the folder is not a second operation.
    symlink("ShowThing.yaml", things.join("Alias.yaml")).expect("link");
    let read = read_guarded(&specs).expect("the valid specs are read");
    assert_eq!(input_names(&read, &specs), ["things/ShowThing.yaml", "things/service.yaml"]);
    let messages = skipped(&read);
    let resolved = std::fs::canonicalize(&elsewhere).expect("canonical");
    let expected = [
        format!(
            "skipped {}: it is a link to {}, outside the spec folder",
            specs.join("more").display(),
            resolved.display()
        ),
        format!(
            "skipped {}: it is a link to {}, outside the spec folder",
            things.join("Secret.yaml").display(),
            resolved.join("Secret.yaml").display()
        ),
        format!(
            "skipped {}: it is the same file as {}",
            things.join("Alias.yaml").display(),
            things.join("ShowThing.yaml").display()
        ),
    ];
    for line in &expected {
        assert!(messages.contains(line), "{line} in {messages:#?}");
    }
    assert_eq!(messages.len(), expected.len(), "{messages:#?}");
}

#[test]
fn a_fifo_named_yaml_is_skipped_not_opened() {
    let (_, specs) = scratch("fifo");
    let fifo = specs.join("things/Pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    let read = read_guarded(&specs).expect("the valid specs are read");
    assert_eq!(input_names(&read, &specs), ["things/ShowThing.yaml", "things/service.yaml"]);
    assert_eq!(skipped(&read), [format!("skipped {}: it is a FIFO, not a regular file", fifo.display())]);
    // The build-script path reports the same warning with the generated files.
    let out = specs.parent().expect("root").join("out");
    std::fs::create_dir_all(&out).expect("out folder");
    let compiled = cloud_task_apis_codegen::compile_specs(&specs, &out).expect("valid specs compile");
    assert!(compiled.warnings.contains("it is a FIFO, not a regular file"), "{}", compiled.warnings);
}

#[test]
fn a_huge_file_is_refused_without_reading_it_whole() {
    let (_, specs) = scratch("huge");
    let path = specs.join("things/Huge.yaml");
    // Sparse: 64 GiB of zeros that take no disk, and would take minutes and all memory to read.
    std::fs::File::create(&path).and_then(|f| f.set_len(64 << 30)).expect("sparse file");
    let report = read_guarded(&specs).expect_err("too large");
    let rendered = report.to_string();
    assert!(rendered.contains(&format!("error: {} is larger than 1024 KiB; not read", path.display())), "{rendered}");
    assert_eq!(report.diagnostics.error_count(), 1, "{rendered}");
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_lone_cr_is_a_line_break_as_yaml_reads_it() {
    let (_, specs) = scratch("cr");
    let path = specs.join("things/ShowThing.yaml");
    // The summary's CR ends its line for YAML: `a thing.` is then line 5, a line without a key,
    // and the parser stops at the start of line 6 (`http:`), where lines counted by LF alone
    // would say line 5.
    std::fs::write(&path, OPERATION.replace("Shows a thing.", "Shows\ra thing.")).expect("file");
    let read = read_guarded(&specs).expect("read");
    let report = cloud_task_apis_codegen::generate(&read.sources, &["huawei"]).expect_err("not valid YAML");
    let rendered = report.render(&read.sources);
    assert!(rendered.contains(&format!("{}:6:1", path.display())), "{rendered}");
    assert!(rendered.contains("6 │ http:"), "{rendered}");
    assert!(!rendered.contains('\r'), "{rendered}");
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_at_its_first_bad_byte() {
    let (_, specs) = scratch("utf8");
    let path = specs.join("things/ShowThing.yaml");
    // Line 4, after `summary: Shows a ` (17 characters, one of them two bytes long): 0xFF.
    let text = "format: 1\r\noperation: ShowThing\nseed: fixture.txt\nsummary: Shows a \u{e9}";
    let mut bytes = text.as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff thing.\n");
    std::fs::write(&path, bytes).expect("file");
    let report = read_guarded(&specs).expect_err("not UTF-8");
    let rendered = report.to_string();
    let place = format!("{}:4:19", path.display());
    assert!(rendered.contains("is not UTF-8"), "{rendered}");
    assert!(rendered.contains(&place), "{place} in {rendered}");
    assert!(rendered.contains("byte 0xFF starts no UTF-8 character"), "{rendered}");
    assert!(rendered.contains("help: save the spec as UTF-8"), "{rendered}");
    assert_eq!(report.diagnostics.error_count(), 1, "{rendered}");
}

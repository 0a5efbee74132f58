//! The command-line front end on broken specs: it prints the same report the build script
//! prints (`Config::compile_specs` renders the same diagnostics), so these tests stand for the
//! build too without building a copy of the project. A broken spec must give a non-zero exit,
//! `file:line:col` with the message, the count as the last line, and no panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// `required` is a string on line 11, column 43.
const BROKEN: &str = "format: 1
operation: ShowThing
seed: fixture.txt
summary: Shows a thing.
http: { method: GET, path: /things }
idempotency: read
request:
  params: []
response:
  fields:
    - { name: id, type: string, required: \"yes\", description: Thing ID. }
examples:
  - name: ok
    response: { status: 200, body: { id: t-1 } }
";

const MESSAGE: &str = "error: `required` must be `true` or `false`, found a string";
const PLACE: &str = "specs/huawei/things/ShowThing.yaml:11:43";

/// A fresh folder under the target directory holding `files` (relative path, text).
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    if root.exists() {
        std::fs::remove_dir_all(&root).expect("old test folder removed");
    }
    std::fs::create_dir_all(&root).expect("test folder created");
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("file in a folder")).expect("spec folder created");
        std::fs::write(path, text).expect("spec written");
    }
    root
}

/// Runs the binary in `dir` with relative paths, so the report shows `specs/...` paths.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloud-task-apis-codegen"))
        .current_dir(dir)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the binary runs")
}

/// What a failed run must show on stderr.
fn assert_reported(output: &Output, place: &str, message: &str, count: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "exit status; stderr:\n{stderr}");
    assert!(stderr.contains(place), "no `{place}` in:\n{stderr}");
    assert!(stderr.contains(message), "no `{message}` in:\n{stderr}");
    assert_eq!(stderr.lines().last(), Some(count), "the count is not last in:\n{stderr}");
    for panic_sign in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!stderr.contains(panic_sign), "`{panic_sign}` in:\n{stderr}");
    }
}

#[test]
fn check_reports_a_broken_spec() {
    let dir = folder(
        "check",
        &[("specs/huawei/things/service.yaml", SERVICE), ("specs/huawei/things/ShowThing.yaml", BROKEN)],
    );
    let output = run(&dir, &["check", "specs"]);
    assert_reported(&output, PLACE, MESSAGE, "1 error, 0 warnings");
}

#[test]
fn generate_reports_a_broken_spec_and_writes_nothing() {
    let dir = folder(
        "generate",
        &[("specs/huawei/things/service.yaml", SERVICE), ("specs/huawei/things/ShowThing.yaml", BROKEN)],
    );
    let output = run(&dir, &["generate", "specs", "out"]);
    assert_reported(&output, PLACE, MESSAGE, "1 error, 0 warnings");
    let written = std::fs::read_dir(dir.join("out")).map(Iterator::count).unwrap_or(0);
    assert_eq!(written, 0, "files were generated from a broken spec");
}

#[test]
fn every_broken_file_is_reported_in_one_run() {
    let dir = folder(
        "several",
        &[
            ("specs/huawei/things/service.yaml", SERVICE),
            ("specs/huawei/things/ShowThing.yaml", BROKEN),
            ("specs/huawei/things/ListThings.yaml", "format: 1\noperation: ListThings\nsummary: \"unclosed\n"),
        ],
    );
    let output = run(&dir, &["check", "specs"]);
    assert_reported(&output, PLACE, MESSAGE, "2 errors, 0 warnings");
    assert_reported(&output, "specs/huawei/things/ListThings.yaml:3:10", "error: invalid YAML", "2 errors, 0 warnings");
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let dir = folder("binary", &[("specs/huawei/things/service.yaml", SERVICE)]);
    std::fs::write(dir.join("specs/huawei/things/Binary.yaml"), [0xff_u8, 0xfe, 0x00]).expect("written");
    let output = run(&dir, &["check", "specs"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Binary.yaml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_missing_folder_is_named() {
    let dir = folder("missing", &[]);
    let output = run(&dir, &["check", "no-such-specs"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no-such-specs"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_real_specs_pass() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let output = run(Path::new(env!("CARGO_MANIFEST_DIR")), &["check", &specs.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.lines().last().is_some_and(|l| l.starts_with("0 errors, ")), "{stdout}");
}

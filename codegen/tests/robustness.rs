//! No input makes the generator panic, hang or grow without bound: arbitrary text, YAML-ish
//! token soup and mutations of the real specs all end in output or diagnostics, and every
//! diagnostic points into its file.
//!
//! Run time: 512 cases per property keep this file at about 6 s in the debug profile on a
//! 2-core machine (`cargo test -p cloud-task-apis-codegen --test robustness`). The seed is fixed
//! and failures are not persisted, so every run (CI included) tries the same inputs; set
//! `PROPTEST_CASES` and `PROPTEST_RNG_SEED` to try more, or others, locally. A panic found
//! here becomes a fixture under `fixtures/invalid/` once fixed.

use std::path::Path;

use cloud_task_apis_codegen::{Diagnostics, SourceMap, generate};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

const PROVIDERS: &[&str] = &["alibaba", "huawei", "tencent"];

/// Cases per property; see the run time note at the top.
const CASES: u32 = 512;

fn runner(cases: u32, seed: u64) -> TestRunner {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let cases = env("PROPTEST_CASES").and_then(|c| u32::try_from(c).ok()).unwrap_or(cases);
    let seed = env("PROPTEST_RNG_SEED").unwrap_or(seed);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 2048,
        ..Config::default()
    })
}

const SERVICE: &str = "format: 1
provider: huawei
service: fuzz
title: Fuzz
protocol: rest
endpoint: \"fuzz.{region}.example.com\"
signing: [huawei_sdk_hmac_sha256]
error_envelope: huawei
request_id_header: X-Request-Id
";

const OPERATION: &str = "format: 1
operation: ShowThing
seed: fuzz.txt
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

/// Runs the generator and checks what every run must satisfy: generated files parse as Rust,
/// each diagnostic lies inside its file on character boundaries, and the report renders with
/// the count last.
fn run(sources: &SourceMap) -> Result<(), TestCaseError> {
    let diags = match generate(sources, PROVIDERS) {
        Ok(output) => {
            // Load -> check -> generate -> parse: what the generator accepts is Rust.
            for file in &output.files {
                prop_assert!(syn::parse_file(&file.contents).is_ok(), "{} does not parse", file.name);
            }
            output.warnings
        }
        Err(diags) => {
            prop_assert!(diags.has_errors(), "failed without an error");
            diags
        }
    };
    check_spans(sources, &diags)?;
    let rendered = diags.render(sources);
    let summary = diags.summary();
    prop_assert_eq!(rendered.lines().last(), Some(summary.as_str()));
    Ok(())
}

fn check_spans(sources: &SourceMap, diags: &Diagnostics) -> Result<(), TestCaseError> {
    for item in diags.items() {
        let spans = item.span.iter().chain(item.secondary.iter().map(|l| &l.span));
        for span in spans {
            let file = sources.get(span.file);
            prop_assert!(
                span.start <= span.end
                    && span.end <= file.text.len()
                    && file.text.is_char_boundary(span.start)
                    && file.text.is_char_boundary(span.end),
                "`{}` has span {}..{} outside {} ({} bytes)",
                item.message,
                span.start,
                span.end,
                file.path,
                file.text.len()
            );
        }
    }
    Ok(())
}

/// `text` as an operation file next to a valid service, and as a service file next to a valid
/// operation.
fn both_roles(text: &str) -> Result<(), TestCaseError> {
    let mut as_operation = SourceMap::new();
    as_operation.add("specs/fuzz/service.yaml", SERVICE);
    as_operation.add("specs/fuzz/Fuzz.yaml", text);
    run(&as_operation)?;
    let mut as_service = SourceMap::new();
    as_service.add("specs/fuzz/service.yaml", text);
    as_service.add("specs/fuzz/ShowThing.yaml", OPERATION);
    run(&as_service)
}

/// Pieces of YAML and of the spec format, to build inputs that get past the parser more often
/// than random text does.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "\t",
    "'",
    "\"",
    "&a ",
    "*a",
    "!!str ",
    "!t ",
    "# c",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "? ",
    "%YAML 1.2\n",
    "\r\n",
    "\u{feff}",
    "é",
    "日本",
    "\\",
    "~",
    "null",
    "true",
    "1",
    "-1",
    "0x10",
    "-0x8000000000000000",
    "-0x-8000000000000000",
    "0o7",
    "1e999",
    ".nan",
    "9223372036854775808",
    "format",
    "format: 1\n",
    "operation",
    "ShowThing",
    "name",
    "type",
    "string",
    "int32",
    "array",
    "items",
    "json",
    "required",
    "in",
    "path",
    "query",
    "header",
    "body",
    "enums",
    "types",
    "values",
    "value",
    "kind",
    "integer",
    "examples",
    "response",
    "request",
    "params",
    "fields",
    "status",
    "waiter",
    "pagination",
    "http",
    "method",
    "GET",
    "POST",
    "/things/{id}",
    "{id}",
    "constraints",
    "pattern",
    "(",
    "minimum",
    "maximum",
    "min_length",
    "shape",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..96).prop_map(|t| t.concat())
}

#[test]
fn arbitrary_text_never_panics() {
    let mut runner = runner(CASES, 1);
    let result = runner.run(&any::<String>(), |text| both_roles(&text));
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn yaml_fragments_never_panic() {
    let mut runner = runner(CASES, 2);
    let result = runner.run(&token_soup(), |text| both_roles(&text));
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn fragments_inside_a_valid_operation_never_panic() {
    let lines: Vec<&str> = OPERATION.lines().collect();
    let strategy = (0..lines.len(), token_soup());
    let mut runner = runner(CASES, 3);
    let result = runner.run(&strategy, |(at, fragment)| {
        let mut text: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        if let Some(line) = text.get_mut(at) {
            line.push_str(&fragment);
        }
        both_roles(&text.join("\n"))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// One edit of a spec file's text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Replaces what follows the first `: ` of a line.
    ReplaceScalar(usize, &'static str),
    /// Indents a line by two more spaces, or by two fewer.
    Indent(usize, bool),
    Truncate(usize),
}

const REPLACEMENTS: &[&str] = &[
    "",
    "[]",
    "{}",
    "0",
    "-7",
    "300",
    "true",
    "null",
    "\"x\"",
    "[a, b]",
    "{ a: 1 }",
    "0x7FFFFFFFFFFFFFFF",
    "1e999",
    "~",
    "string",
    "array",
    "Unknown",
    "\"{x}\"",
    "\"\"",
    "type",
    "self",
    "-0x-8000000000000000",
    "\"a\\rb\\u0000c\"",
    "\"\\u202Ex\"",
    "\"/x/{{id}}\"",
    "\"/x/../y\"",
    "\"/a?b#c\"",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let line = 0..10_000_usize;
    prop_oneof![
        line.clone().prop_map(Mutation::DeleteLine),
        line.clone().prop_map(Mutation::DuplicateLine),
        (line.clone(), line.clone()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (line.clone(), prop::sample::select(REPLACEMENTS)).prop_map(|(a, r)| Mutation::ReplaceScalar(a, r)),
        (line, any::<bool>()).prop_map(|(a, deeper)| Mutation::Indent(a, deeper)),
        (0..100_000_usize).prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len().max(1);
    match *mutation {
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
        Mutation::ReplaceScalar(i, with) if !lines.is_empty() => {
            let line = &mut lines[i % n];
            if let Some(at) = line.find(": ") {
                line.truncate(at + 2);
                line.push_str(with);
            }
        }
        Mutation::Indent(i, deeper) if !lines.is_empty() => {
            let line = &mut lines[i % n];
            if deeper {
                line.insert_str(0, "  ");
            } else if let Some(rest) = line.strip_prefix("  ") {
                *line = rest.to_owned();
            }
        }
        Mutation::Truncate(at) => {
            let mut cut = at % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return text[..cut].to_owned();
        }
        _ => {}
    }
    lines.join("\n")
}

/// The real specs: each service folder's files as (display path, text).
fn real_services() -> Vec<Vec<(String, String)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut services = Vec::new();
    let mut folders = Vec::new();
    for provider in std::fs::read_dir(&root).expect("specs folder").flatten() {
        if provider.path().is_dir() {
            folders.extend(std::fs::read_dir(provider.path()).expect("provider folder").flatten().map(|e| e.path()));
        }
    }
    folders.sort();
    for folder in folders.iter().filter(|f| f.is_dir()) {
        let mut files: Vec<_> = std::fs::read_dir(folder)
            .expect("service folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        let display = |p: &Path| p.strip_prefix(&root).map(|r| format!("specs/{}", r.display())).unwrap_or_default();
        services.push(
            files.iter().map(|p| (display(p), std::fs::read_to_string(p).expect("spec file"))).collect::<Vec<_>>(),
        );
    }
    services
}

#[test]
fn real_specs_are_valid_before_mutation() {
    for service in real_services() {
        let mut sources = SourceMap::new();
        for (path, text) in &service {
            sources.add(path.clone(), text.clone());
        }
        if let Err(d) = generate(&sources, PROVIDERS) {
            panic!("{}", d.render(&sources));
        }
    }
}

#[test]
fn mutated_real_specs_never_panic() {
    let services = real_services();
    let files: Vec<(usize, usize)> =
        services.iter().enumerate().flat_map(|(s, files)| (0..files.len()).map(move |f| (s, f))).collect();
    assert!(!files.is_empty(), "no specs under ../specs");
    let strategy = (prop::sample::select(files), prop::collection::vec(mutation(), 1..4));
    let mut runner = runner(CASES, 4);
    let result = runner.run(&strategy, |((service, file), mutations)| {
        let mut sources = SourceMap::new();
        for (i, (path, text)) in services[service].iter().enumerate() {
            let text = if i == file { mutations.iter().fold(text.clone(), |t, m| apply(&t, m)) } else { text.clone() };
            sources.add(path.clone(), text);
        }
        run(&sources)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Big specs cost time in proportion to their size: each of these would take minutes if a rule
/// compared every field with every other, or every example value with every declared field.
#[test]
fn large_specs_finish() {
    let n = 4000;
    let mut fields = String::new();
    let mut body = String::new();
    let mut types = String::new();
    let mut values = String::new();
    for i in 0..n {
        fields.push_str(&format!("    - {{ name: f{i}, type: T{i}, required: true, description: F. }}\n"));
        types.push_str(&format!("  - {{ name: T{i}, fields: [{{ name: v, type: E, required: true }}] }}\n"));
        values.push_str(&format!("      - {{ value: v{i}, description: V. }}\n"));
        body.push_str(&format!("{}f{i}: {{ v: v{} }}", if i == 0 { "" } else { ", " }, n - 1 - i));
    }
    let many = format!(
        "format: 1\noperation: ShowMany\nseed: x.txt\nsummary: Many.\nhttp: {{ method: GET, path: \"/m/{{a}}/{{b}}\" }}\n\
         idempotency: read\nrequest:\n  params: []\nresponse:\n  fields:\n{fields}types:\n{types}enums:\n  - name: E\n    \
         kind: string\n    values:\n{values}examples:\n  - name: ok\n    response: {{ status: 200, body: {{ {body} }} }}\n  \
         - name: empty\n    response: {{ status: 200, body: {{}} }}\n"
    );
    let mut sources = SourceMap::new();
    sources.add("specs/big/service.yaml", SERVICE);
    sources.add("specs/big/ShowMany.yaml", many);
    let diags = generate(&sources, PROVIDERS).expect_err("path placeholders are not declared");
    assert!(diags.error_count() >= 3, "{}", diags.summary());
    let keys: String = (0..20_000).map(|i| format!("k{i}: {i}\n")).collect();
    let mut sources = SourceMap::new();
    sources.add("specs/big/service.yaml", SERVICE);
    sources.add("specs/big/Keys.yaml", format!("format: 1\n{keys}"));
    let diags = generate(&sources, PROVIDERS).expect_err("unknown keys");
    assert!(diags.error_count() > 20_000, "{}", diags.summary());
    assert!(diags.items().len() <= 2 * cloud_task_apis_codegen::diagnostic::MAX_KEPT);
    let huge = "a".repeat(2 << 20);
    let mut sources = SourceMap::new();
    sources.add("specs/big/service.yaml", SERVICE);
    sources.add("specs/big/Huge.yaml", huge);
    let rendered = generate(&sources, PROVIDERS).expect_err("too large").render(&sources);
    assert!(rendered.contains("the file is larger than"), "{rendered}");
}

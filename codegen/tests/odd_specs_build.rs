//! What `check` accepts builds and calls the URL it checked: valid but odd specs (keyword and
//! punctuation names, texts with CR, tabs, control characters, Markdown and HTML, quotes and
//! comment markers, empty lists, every type in every place it may go, paths with many segments,
//! and structs of the most fields `check` allows)
//! are generated from a fixed seed, must pass `check` without errors, and their generated code
//! is compiled inside the client crate with warnings denied.
//!
//! All specs go into one spec folder that the client crate's build script reads
//! (`CLOUD_TASK_APIS_SPEC_DIR`), and `cargo check` runs once with `-D warnings`, in a target
//! folder of its own under the system temp folder. The first run there checks the crate's
//! dependencies (a few minutes on a loaded 2-core machine); later runs take about 10-30 s, most
//! of it checking the client crate itself. `ODD_SPECS` sets how many services, `ODD_SPECS_SEED`
//! the seed.

use std::path::{Path, PathBuf};
use std::process::Command;

use cloud_task_apis_codegen::{SourceMap, generate};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// Services per run (each with up to four operations); see the note at the top.
const SERVICES: usize = 24;

/// Names that need care: keywords (2024 edition included), leading digits, punctuation,
/// acronyms, non-ASCII, single characters and underscores.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "gen",
    "async",
    "r#x",
    "2fa",
    "@timestamp",
    "$ref",
    "user-id",
    "externalIPs",
    "IPv6Address",
    "MiB",
    "Tag.N.Key",
    "_",
    "__x",
    "a",
    "Z",
    "naïve",
    "日本",
    "meta",
    "writer",
    "check",
    "value",
    "build",
    "send",
    "Request",
    "Response",
    "Error",
    "Option",
    "None",
    "Some",
    "String",
    "Vec",
    "r#type",
    "x0",
    "unit",
    "u8",
];

/// Texts with characters that break generated code when passed through unchanged.
const TEXTS: &[&str] = &[
    "Plain.",
    "bare\rCR",
    "CR LF\r\nand LF\nlines",
    "tab\there",
    "nul \u{0} del \u{7f} bell \u{7}",
    "C1 \u{85} next line \u{9b} csi",
    "line\u{2028}separator",
    "*/ closes /* opens",
    "/** doc */ //! inner",
    "```rust\nfn main() { panic!() }\n```",
    "    indented code",
    "<script>alert(1)</script> <Region>",
    "[broken link] [x][y] ![img](z)",
    "# heading\n## two",
    "quotes \" ' ` and \\ backslash",
    "https://example.com/a_(b) and <https://x.y>",
    "{{tid}} {x} }{",
    "emoji 🦀 and right-to-left \u{5d0}\u{200f}\u{5d1}",
    "zero\u{200b}width",
    "",
    " ",
    "trailing backslash \\",
];

/// Error codes that need care as variant names: dotted, numeric, keyword, non-ASCII, dashes.
const CODES: &[&str] = &["Things.0409", "InvalidParameter.Value", "0", "self", "日本", "a-b_c.d", "Unknown.x", "ABC"];

const SCALARS: &[&str] =
    &["string", "int32", "int64", "float64", "boolean", "rfc3339", "epoch_millis", "local_datetime"];

/// A YAML double-quoted string for any text (a JSON string is one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string encodes")
}

#[derive(Clone, Debug)]
struct Param {
    name: &'static str,
    location: &'static str,
    ty: String,
    required: bool,
    text: &'static str,
}

#[derive(Clone, Debug)]
struct Op {
    post: bool,
    literals: Vec<&'static str>,
    params: Vec<Param>,
    fields: Vec<(&'static str, String, bool, &'static str)>,
    text: &'static str,
    with_types: bool,
    errors: Vec<(&'static str, &'static str)>,
}

fn text() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(TEXTS)
}

fn name() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(NAMES)
}

/// A field or body type: a scalar, the shared enums, the object type, or a list of one.
fn any_type() -> impl Strategy<Value = String> {
    let single = prop_oneof![
        proptest::sample::select(SCALARS).prop_map(str::to_owned),
        Just("json".to_owned()),
        Just("Mood".to_owned()),
        Just("Level".to_owned()),
        Just("Thing".to_owned()),
    ];
    (single, any::<bool>()).prop_map(|(t, list)| if list { format!("array:{t}") } else { t })
}

fn param(post: bool) -> impl Strategy<Value = Param> {
    let scalar = prop_oneof![proptest::sample::select(SCALARS).prop_map(str::to_owned), Just("Mood".to_owned())];
    let location = if post {
        proptest::sample::select(&["query", "header", "body", "body"][..]).boxed()
    } else {
        proptest::sample::select(&["query", "header"][..]).boxed()
    };
    (name(), location, scalar, any_type(), any::<bool>(), text()).prop_map(
        |(name, location, scalar, body_type, required, text)| Param {
            name,
            location,
            ty: if location == "body" { body_type } else { scalar },
            required,
            text,
        },
    )
}

fn operation() -> impl Strategy<Value = Op> {
    any::<bool>().prop_flat_map(|post| {
        (
            Just(post),
            proptest::collection::vec(proptest::sample::select(&["v1", "a.b", "c~d", "x-y", "_z", "9"][..]), 0..3),
            proptest::collection::vec(param(post), 0..6),
            proptest::collection::vec((name(), any_type(), any::<bool>(), text()), 0..5),
            text(),
            any::<bool>(),
            errors(),
        )
            .prop_map(|(post, literals, params, fields, text, with_types, errors)| Op {
                post,
                literals,
                params,
                fields,
                text,
                with_types,
                errors,
            })
    })
}

fn errors() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    proptest::collection::vec((proptest::sample::select(CODES), text()), 0..3)
}

/// `errors:` lines (two spaces deep) for codes with odd messages and descriptions, each code once.
fn errors_yaml(errors: &[(&str, &str)]) -> String {
    let errors = distinct(errors.to_vec(), |e| e.0);
    let lines: Vec<String> = errors
        .iter()
        .enumerate()
        .map(|(i, (code, text))| {
            format!(
                "  - {{ code: {}, status: {}, message: {}, description: {} }}",
                quoted(code),
                400 + i,
                quoted(text),
                quoted(text)
            )
        })
        .collect();
    if lines.is_empty() { "errors: []\n".to_owned() } else { format!("errors:\n{}\n", lines.join("\n")) }
}

/// Keeps the first of names that differ only in case or punctuation (one Rust name for two
/// wire names is an error `check` reports, not an odd-but-valid spec).
fn distinct<T>(items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    let key = |n: &str| n.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    items.into_iter().filter(|item| seen.insert(key(name(item)))).collect()
}

fn type_lines(ty: &str) -> String {
    match ty.strip_prefix("array:") {
        Some(item) => format!("type: array, items: {item}"),
        None => format!("type: {ty}"),
    }
}

/// The operation file of `op`, named `Op<index>`. In an RPC service every parameter travels in
/// the query of `POST /`.
fn operation_yaml(index: usize, op: &Op, rpc: bool) -> String {
    let mut op = op.clone();
    if rpc {
        op.post = true;
        op.literals.clear();
        for p in &mut op.params {
            if p.location != "query" {
                p.location = "query";
                p.ty = "string".to_owned();
            }
        }
    }
    let op = &op;
    let params = distinct(op.params.clone(), |p| p.name);
    let fields = distinct(op.fields.clone(), |f| f.0);
    let mut path = String::new();
    for literal in &op.literals {
        path.push('/');
        path.push_str(literal);
    }
    let mut lines = Vec::new();
    // One path parameter named oddly, when there is a literal to put it after.
    let path_param = !op.literals.is_empty();
    if path_param {
        path.push_str("/{id.x-y_z}");
        lines.push(format!(
            "    - {{ name: id.x-y_z, in: path, type: string, required: true, description: {} }}",
            quoted(op.text)
        ));
    }
    if path.is_empty() {
        path.push('/');
    }
    let mut header = false;
    for p in &params {
        // Header names are HTTP tokens (one header keeps them distinct); the others may be any name.
        let name = if p.location == "header" { "X-Odd_Header.1" } else { p.name };
        if p.location == "header" && std::mem::replace(&mut header, true) {
            continue;
        }
        // The builder's own methods need another Rust name (`check` says so).
        let rename = if ["build", "send", "meta"].contains(&name) { ", rust_name: odd_name" } else { "" };
        lines.push(format!(
            "    - {{ name: {}{rename}, in: {}, {}, required: {}, description: {} }}",
            quoted(name),
            p.location,
            type_lines(&p.ty),
            p.required,
            quoted(p.text)
        ));
    }
    let fields_yaml: Vec<String> = fields
        .iter()
        .map(|(name, ty, required, text)| {
            // `meta` is the response's own field (`check` says so).
            let rename = if *name == "meta" { ", rust_name: odd_meta" } else { "" };
            format!(
                "    - {{ name: {}{rename}, {}, required: {required}, description: {} }}",
                quoted(name),
                type_lines(ty),
                quoted(text)
            )
        })
        .collect();
    let list = |items: &[String]| if items.is_empty() { " []".to_owned() } else { format!("\n{}", items.join("\n")) };
    let method = if op.post { "POST" } else { "GET" };
    let idempotency = if op.post { "unsafe" } else { "read" };
    format!(
        "format: 1\noperation: Op{index}\nseed: odd.txt\nsummary: {summary}\ndescription: {description}\n\
         http: {{ method: {method}, path: {path} }}\nidempotency: {idempotency}\nrequest:\n  params:{params}\n\
         response:\n  description: {description}\n  fields:{fields}\n{types}{errors}examples: []\n",
        summary = quoted(op.text),
        description = quoted(op.text),
        path = quoted(&path),
        params = list(&lines),
        fields = list(&fields_yaml),
        types = shared_types(op.text, op.with_types),
        errors = errors_yaml(&op.errors),
    )
}

/// The object type and enums every operation may name, documented with `text`.
fn shared_types(text: &str, with_types: bool) -> String {
    let t = quoted(text);
    let thing = if with_types {
        format!(
            "    fields:\n      - {{ name: self, type: string, required: true, description: {t} }}\n      \
             - {{ name: \"@at\", type: array, items: rfc3339, required: false, description: {t} }}\n      \
             - {{ name: blob, type: json, required: false, description: {t} }}\n"
        )
    } else {
        "    fields: []\n".to_owned()
    };
    format!(
        "types:\n  - name: Thing\n    description: {t}\n{thing}enums:\n  - name: Mood\n    kind: string\n    description: {t}\n    \
         values:\n      - {{ value: {t0}, name: Odd, description: {t} }}\n      - {{ value: \"self\", name: SelfValue, description: {t} }}\n  \
         - name: Level\n    kind: integer\n    values:\n      - {{ value: 0, name: Zero, description: {t} }}\n      \
         - {{ value: -1, name: Minus, description: {t} }}\n",
        t0 = quoted(&format!("{text}!")),
    )
}

/// Codes of service-wide errors (apart from the operations' codes, which may not repeat them).
const SERVICE_CODES: &[&str] = &["Service.Busy", "InternalError", "Throttling.User"];

fn service_yaml(index: usize, text: &str, rpc: bool) -> String {
    let wire = if rpc {
        "provider: alibaba\napi_version: \"2020-07-06\"\nprotocol: rpc\nsigning: [acs3_hmac_sha256, rpc_hmac_sha1]\n\
         error_envelope: alibaba\nrequest_id_header: x-acs-request-id\n"
    } else {
        "provider: huawei\nprotocol: rest\nsigning: [huawei_sdk_hmac_sha256, huawei_token]\nerror_envelope: huawei\n\
         request_id_header: X-Request-Id\n"
    };
    let errors: Vec<(&str, &str)> = SERVICE_CODES.iter().map(|c| (*c, text)).collect();
    format!(
        "format: 1\nservice: odd{index}\ntitle: {t}\ndescription: {t}\n{wire}endpoint: \"odd{index}.{{region}}.example.com\"\n\
         time_zone: \"+08:00\"\n{errors}",
        t = quoted(text),
        errors = errors_yaml(&errors[..index % 4]),
    )
}

/// A service whose one operation has the most fields `check` accepts everywhere (256): body
/// parameters, response fields and the fields of a type, so the widest structs build too.
fn widest_specs() -> Vec<(String, String)> {
    let fields = |indent: &str, extra: &str| -> String {
        (0..256)
            .map(|i| {
                format!(
                    "{indent}- {{ name: f{i:03}, {extra}type: string, required: false, description: Field {i}. }}\n"
                )
            })
            .collect()
    };
    let service = "format: 1\nservice: widest\ntitle: Widest.\ndescription: The widest structs.\nprovider: huawei\n\
                   protocol: rest\nsigning: [huawei_sdk_hmac_sha256, huawei_token]\nerror_envelope: huawei\n\
                   request_id_header: X-Request-Id\nendpoint: \"widest.{region}.example.com\"\n";
    let operation = format!(
        "format: 1\noperation: UpdateWide\nseed: fixture.txt\nsummary: Updates a wide thing.\n\
         http: {{ method: POST, path: /wide }}\nidempotency: unsafe\nrequest:\n  params:\n{params}\
         response:\n  fields:\n{response}    - {{ name: wide, type: Wide, required: false, description: Wide. }}\n\
         types:\n  - name: Wide\n    description: The widest type.\n    fields:\n{wide}examples: []\n",
        params = fields("    ", "in: body, "),
        response = fields("    ", "").lines().take(255).map(|l| format!("{l}\n")).collect::<String>(),
        wide = fields("      ", ""),
    );
    vec![
        ("huawei/widest/service.yaml".to_owned(), service.to_owned()),
        ("huawei/widest/UpdateWide.yaml".to_owned(), operation),
    ]
}

/// The spec files of `count` odd services, from `seed`: (relative path, text).
fn odd_specs(count: usize, seed: u64) -> Vec<(String, String)> {
    let mut runner = TestRunner::new(Config { rng_seed: RngSeed::Fixed(seed), ..Config::default() });
    let strategy = (text(), proptest::collection::vec(operation(), 0..5));
    let mut files = Vec::new();
    for index in 0..count {
        let (text, ops) = strategy.new_tree(&mut runner).expect("a value").current();
        // Every third service is an Alibaba RPC service.
        let rpc = index % 3 == 2;
        let provider = if rpc { "alibaba" } else { "huawei" };
        files.push((format!("{provider}/odd{index}/service.yaml"), service_yaml(index, text, rpc)));
        for (i, op) in ops.iter().enumerate() {
            files.push((format!("{provider}/odd{index}/Op{i}.yaml"), operation_yaml(i, op, rpc)));
        }
    }
    files
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn odd_but_valid_specs_pass_check_and_their_code_builds_without_warnings() {
    let count = usize::try_from(env_number("ODD_SPECS", SERVICES as u64)).unwrap_or(SERVICES);
    let mut files = odd_specs(count, env_number("ODD_SPECS_SEED", 0x0dd5_9ec5));
    files.extend(widest_specs());
    let scratch = std::env::temp_dir().join("cloud-task-apis-odd-specs");
    let specs = scratch.join("specs");
    if specs.exists() {
        std::fs::remove_dir_all(&specs).expect("old specs removed");
    }
    let mut sources = SourceMap::new();
    for (path, text) in &files {
        sources.add(format!("specs/{path}"), text.clone());
        let target = specs.join(path);
        std::fs::create_dir_all(target.parent().expect("a folder")).expect("spec folder");
        std::fs::write(&target, text).expect("spec written");
    }
    // `check` accepts every one of them (warnings are fine: missing examples).
    let output = generate(&sources, &["alibaba", "huawei"]).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    for file in &output.files {
        syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{} does not parse: {e}", file.name));
    }
    if let Err(report) = cargo_check(&specs, &scratch.join("target")) {
        panic!("generated code of odd specs does not build:\n{report}");
    }
}

/// `cargo check` of the client crate (lib, all features: the command-line tables too) over the
/// specs in `specs`, with every warning an error.
fn cargo_check(specs: &Path, target: &Path) -> Result<(), String> {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--lib", "--all-features", "--offline", "--quiet", "--message-format=short", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .env("CLOUD_TASK_APIS_SPEC_DIR", specs)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo did not run: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

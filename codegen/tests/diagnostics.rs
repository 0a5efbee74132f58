//! Bad specs: every fixture under `fixtures/invalid/` holds one mistake (`several_*` fixtures
//! hold several) and must fail with diagnostics that say what is wrong and where. The rendered
//! text is what users read, so that is what is snapshotted. Fixtures under `fixtures/warnings/`
//! are valid but suspicious and must pass with warnings.
//!
//! A fixture is one file. Its header comment says what is wrong and may set options:
//!
//! - `# expect: TEXT`: the rendered diagnostics must contain TEXT (repeatable);
//! - `# with: FILE`: place FILE of `fixtures/invalid/` next to the fixture as well (repeatable);
//! - `# service: none`: no `service.yaml` in the fixture's folder.
//!
//! An operation fixture `NAME.yaml` is shown as `specs/fixture/NAME.yaml` next to the valid
//! `_service.yaml` (shown as `specs/fixture/service.yaml`). A service fixture, named
//! `service_*.yaml`, is shown as `specs/NAME/service.yaml` next to the valid `_operation.yaml`.
//!
//! Accept changed snapshots with `INSTA_UPDATE=always cargo test -p cloud-task-apis-codegen
//! --test diagnostics` (or `cargo insta review`), then read every changed `.snap` file.

use std::path::{Path, PathBuf};

use cloud_task_apis_codegen::{Diagnostics, SourceMap, generate};

const PROVIDERS: &[&str] = &["alibaba", "huawei", "tencent"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture file with the options of its header comment.
struct Fixture {
    name: String,
    text: String,
    about: String,
    expect: Vec<String>,
    with: Vec<String>,
    service: bool,
}

impl Fixture {
    fn read(path: &Path) -> Result<Self, String> {
        let name = path.file_name().and_then(|n| n.to_str()).ok_or("fixture name is not UTF-8")?.to_owned();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        let mut fixture = Self {
            name,
            text: text.clone(),
            about: String::new(),
            expect: Vec::new(),
            with: Vec::new(),
            service: true,
        };
        for line in text.lines().map_while(|l| l.strip_prefix('#')) {
            let line = line.trim();
            if let Some(expect) = line.strip_prefix("expect:") {
                fixture.expect.push(expect.trim().to_owned());
            } else if let Some(with) = line.strip_prefix("with:") {
                fixture.with.push(with.trim().to_owned());
            } else if line == "service: none" {
                fixture.service = false;
            } else {
                if !fixture.about.is_empty() {
                    fixture.about.push(' ');
                }
                fixture.about.push_str(line);
            }
        }
        Ok(fixture)
    }

    /// The fixture with its companions, under the display paths described at the top.
    fn sources(&self) -> Result<SourceMap, String> {
        let companion = |file: &str| {
            std::fs::read_to_string(fixtures().join("invalid").join(file))
                .map_err(|e| format!("{}: companion {file}: {e}", self.name))
        };
        let mut sources = SourceMap::new();
        if let Some(stem) = self.name.strip_prefix("service_").and_then(|n| n.strip_suffix(".yaml")) {
            sources.add(format!("specs/service_{stem}/service.yaml"), self.text.clone());
            sources.add(format!("specs/service_{stem}/ShowThing.yaml"), companion("_operation.yaml")?);
            return Ok(sources);
        }
        if self.service {
            sources.add("specs/fixture/service.yaml", companion("_service.yaml")?);
        }
        // Companions come first, so a duplicate is reported at the fixture.
        for file in &self.with {
            sources.add(format!("specs/fixture/{}", file.trim_start_matches('_')), companion(file)?);
        }
        sources.add(format!("specs/fixture/{}", self.name), self.text.clone());
        Ok(sources)
    }
}

/// Checks what every rendering must show: each located finding as `path:line:col`, the count
/// last, and the fixture's `expect` lines.
fn check_rendering(fixture: &Fixture, sources: &SourceMap, diags: &Diagnostics, rendered: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for item in diags.items() {
        match item.span {
            Some(span) if !rendered.contains(&format!("┌─ {}", sources.locate(span))) => {
                problems.push(format!("{}: `{}` is not shown at {}", fixture.name, item.message, sources.locate(span)));
            }
            Some(_) => {}
            None => problems.push(format!("{}: `{}` has no location", fixture.name, item.message)),
        }
    }
    if rendered.lines().last() != Some(diags.summary().as_str()) {
        problems.push(format!("{}: the count is not the last line", fixture.name));
    }
    for expect in &fixture.expect {
        if !rendered.contains(expect.as_str()) {
            problems.push(format!("{}: expected `{expect}` in\n{rendered}", fixture.name));
        }
    }
    problems
}

/// Snapshots as `diagnostics__{kind}@{fixture}.snap`, described by the fixture's header.
fn snapshot(kind: &str, fixture: &Fixture, rendered: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_description(fixture.about.clone());
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(kind, rendered));
}

#[test]
fn invalid_specs() {
    let mut problems = Vec::new();
    insta::glob!("fixtures/invalid", "[a-z]*.yaml", |path| {
        let fixture = match Fixture::read(path) {
            Ok(f) => f,
            Err(e) => return problems.push(e),
        };
        let sources = match fixture.sources() {
            Ok(s) => s,
            Err(e) => return problems.push(e),
        };
        let diags = match generate(&sources, PROVIDERS) {
            Ok(_) => return problems.push(format!("{}: generated code without an error", fixture.name)),
            Err(diags) => diags,
        };
        if !diags.has_errors() {
            problems.push(format!("{}: failed without an error", fixture.name));
        }
        let rendered = diags.render(&sources);
        problems.extend(check_rendering(&fixture, &sources, &diags, &rendered));
        snapshot("invalid", &fixture, &rendered);
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn suspicious_specs_pass_with_warnings() {
    let mut problems = Vec::new();
    insta::glob!("fixtures/warnings", "*.yaml", |path| {
        let fixture = match Fixture::read(path) {
            Ok(f) => f,
            Err(e) => return problems.push(e),
        };
        let sources = match fixture.sources() {
            Ok(s) => s,
            Err(e) => return problems.push(e),
        };
        let warnings = match generate(&sources, PROVIDERS) {
            Ok(output) => output.warnings,
            Err(diags) => return problems.push(format!("{}: failed:\n{}", fixture.name, diags.render(&sources))),
        };
        if warnings.warning_count() == 0 {
            problems.push(format!("{}: no warning", fixture.name));
        }
        let rendered = warnings.render(&sources);
        problems.extend(check_rendering(&fixture, &sources, &warnings, &rendered));
        snapshot("warning", &fixture, &rendered);
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The shared companions are valid on their own, so every finding in a fixture's report comes
/// from the fixture.
#[test]
fn companions_are_valid() {
    let mut sources = SourceMap::new();
    let read = |file: &str| std::fs::read_to_string(fixtures().join("invalid").join(file)).unwrap_or_default();
    sources.add("specs/fixture/service.yaml", read("_service.yaml"));
    sources.add("specs/fixture/ShowThing.yaml", read("_operation.yaml"));
    match generate(&sources, PROVIDERS) {
        Ok(output) => assert!(output.warnings.is_empty(), "{}", output.warnings.render(&sources)),
        Err(diags) => panic!("{}", diags.render(&sources)),
    }
}

/// Every key of a parameter, misspelled by swapping two neighbouring letters, is reported with
/// the key it was meant to be.
#[test]
fn misspelled_keys_get_the_intended_key_as_hint() {
    let entries = [
        ("name", "limit"),
        ("type", "int32"),
        ("required", "false"),
        ("description", "Size."),
        ("constraints", "{}"),
        ("default", "1"),
        ("example", "1"),
        ("source", "caller"),
        ("rust_name", "size"),
        ("correction", "{ page: p, fact: f, source: s }"),
    ];
    let service = std::fs::read_to_string(fixtures().join("invalid/_service.yaml")).unwrap_or_default();
    let mut problems = Vec::new();
    for (key, _) in entries {
        let mut letters: Vec<char> = key.chars().collect();
        letters.swap(1, 2);
        let typo: String = letters.into_iter().collect();
        let param: Vec<String> =
            entries.iter().map(|(k, v)| format!("{}: {v}", if *k == key { typo.as_str() } else { k })).collect();
        let text = format!(
            "format: 1\noperation: ShowThing\nseed: s.txt\nsummary: S.\nhttp: {{ method: GET, path: /things }}\n\
             idempotency: read\nrequest:\n  params:\n    - {{ in: query, {} }}\nresponse:\n  fields: []\n",
            param.join(", ")
        );
        let mut sources = SourceMap::new();
        sources.add("specs/fixture/service.yaml", service.clone());
        sources.add("specs/fixture/ShowThing.yaml", text);
        let rendered = generate(&sources, PROVIDERS).err().map(|d| d.render(&sources)).unwrap_or_default();
        if !rendered.contains(&format!("did you mean `{key}`?")) {
            problems.push(format!("`{typo}` does not suggest `{key}`:\n{rendered}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! Formatting gives the same bytes however it is done: item by item on several threads, on
//! one, and the whole file parsed and printed at once by `syn` and `prettyplease`.

use std::path::Path;

use cloud_task_apis_codegen::{Diagnostics, SourceMap, check, emit, ir, read_specs, render, spec, synthetic};
use proc_macro2::TokenStream;

/// Every file the generator emits for `sources`, as tokens, with its name.
fn emitted(sources: &SourceMap) -> Vec<(String, TokenStream)> {
    let mut diags = Diagnostics::new();
    let specs = spec::load(sources, &mut diags);
    check::check(&specs, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render(sources));
    let api = ir::lower(sources, &specs).unwrap_or_else(|d| panic!("{}", d.render(sources)));
    let mut files: Vec<_> = api.services.iter().map(|s| (emit::file_name(s), emit::service(s))).collect();
    files.push(("index".to_owned(), emit::index(&api)));
    files
}

fn assert_same_bytes(sources: &SourceMap) {
    for (name, tokens) in emitted(sources) {
        let whole = prettyplease::unparse(&syn::parse2(tokens.clone()).expect("emitted code parses"));
        for threads in [1, 2, 3, 8] {
            let formatted = render::format(tokens.clone(), threads).expect("emitted code formats");
            assert!(formatted == whole, "{name} with {threads} threads differs from formatting it whole");
        }
    }
}

#[test]
fn project_specs_format_the_same_in_parallel_sequentially_and_whole() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"));
    assert_same_bytes(&read_specs(dir).unwrap_or_else(|r| panic!("{r}")).sources);
}

#[test]
fn synthetic_specs_format_the_same_in_parallel_sequentially_and_whole() {
    for operations in [1, 2, 40] {
        assert_same_bytes(&synthetic::source_map(operations));
    }
}

#[test]
fn code_that_does_not_parse_is_reported() {
    let error = render::format(quote::quote!(pub mod m { fn }), 2).expect_err("not a file");
    assert!(error.contains("does not parse"), "{error}");
}

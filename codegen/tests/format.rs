//! Formatting gives the same bytes however it is done: item by item on several threads, on
//! one, and the whole file parsed and printed at once by `syn` and `prettyplease`.

use std::path::Path;

use cloud_task_apis_codegen::{Diagnostics, SourceMap, check, emit, ir, read_specs, render, synthetic};
use proc_macro2::TokenStream;

fn lowered(sources: &SourceMap) -> ir::Api {
    let mut diags = Diagnostics::new();
    let specs = cloud_task_apis_codegen::spec::load(sources, &mut diags);
    check::check(&specs, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render(sources));
    ir::lower(sources, &specs).unwrap_or_else(|d| panic!("{}", d.render(sources)))
}

fn assert_formats_like_whole(name: &str, emit: impl Fn() -> TokenStream + Sync) {
    let whole = prettyplease::unparse(&syn::parse2(emit()).expect("emitted code parses"));
    for threads in [1, 2, 3, 8] {
        let formatted = render::format(&emit, threads).expect("emitted code formats");
        assert!(formatted == whole, "{name} with {threads} threads differs from formatting it whole");
    }
}

fn assert_same_bytes(sources: &SourceMap) {
    let api = lowered(sources);
    for service in &api.services {
        assert_formats_like_whole(&service.module, || emit::service(service));
    }
    assert_formats_like_whole("index", || emit::index(&api));
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
    for threads in [1, 2] {
        let error = render::format(|| quote::quote!(pub mod m { fn }), threads).expect_err("not a file");
        assert!(error.contains("does not parse"), "{error}");
    }
}

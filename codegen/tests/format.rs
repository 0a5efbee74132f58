//! Formatting gives the same bytes however it is done: piece by piece on several threads, on
//! one, and the whole file parsed and printed at once by `syn` and `prettyplease`; the compact
//! layout holds the same tokens.

use std::path::Path;

use cloud_task_apis_codegen::render::Module;
use cloud_task_apis_codegen::{Diagnostics, Layout, Part, SourceMap, check, emit, ir, read_specs, render, synthetic};
use proc_macro2::TokenStream;

fn lowered(sources: &SourceMap) -> ir::Api {
    let mut diags = Diagnostics::new();
    let specs = cloud_task_apis_codegen::spec::load(sources, &mut diags);
    check::check(&specs, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render(sources));
    ir::lower(sources, &specs).unwrap_or_else(|d| panic!("{}", d.render(sources)))
}

fn assert_formats_like_whole(name: &str, module: &impl Module) {
    let whole = prettyplease::unparse(&syn::parse2(module.whole()).expect("emitted code parses"));
    for threads in [1, 2, 3, 8] {
        let formatted = render::format_module(module, threads).expect("emitted code formats");
        assert!(formatted == whole, "{name} with {threads} threads differs from formatting it whole");
    }
}

/// A rendered file's code (after the header), formatted.
fn formatted_code(text: &str) -> String {
    let code = text.splitn(5, '\n').nth(4).expect("a header and code");
    prettyplease::unparse(&syn::parse_str(code).expect("rendered code parses"))
}

fn assert_same_bytes(sources: &SourceMap) {
    let api = lowered(sources);
    for (service, part) in api.services.iter().flat_map(|s| Part::all().into_iter().map(move |p| (s, p))) {
        if !emit::has_items(service, part) {
            continue;
        }
        let module = emit::ServiceModule::new(service, part);
        assert_formats_like_whole(&service.module, &module);
        let [formatted, compact] = [Layout::Formatted, Layout::Compact]
            .map(|layout| render::render_module(&module, "f.rs", &[], "", layout).expect("emitted code renders"));
        assert!(formatted_code(&compact) == formatted_code(&formatted), "{}: compact layout", service.module);
        // The module's head, a line per piece that has items, and the closing brace.
        let lines = compact.lines().skip(4).count();
        let pieces = (0..module.pieces()).filter(|&i| !module.piece(i).is_empty()).count();
        assert_eq!(lines, pieces + 2, "{}: compact layout, a line per piece", service.module);
        let whole = prettyplease::unparse(&syn::parse2(emit::service(service, part)).expect("emitted code parses"));
        assert!(formatted_code(&formatted) == whole, "{}: rendered", service.module);
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

/// A module whose only piece is not an item.
struct Broken;

impl Module for Broken {
    fn head(&self) -> TokenStream {
        quote::quote!(pub mod m)
    }
    fn pieces(&self) -> usize {
        1
    }
    fn piece(&self, _: usize) -> TokenStream {
        quote::quote!(fn)
    }
}

#[test]
fn code_that_does_not_parse_is_reported() {
    for threads in [1, 2] {
        let error = render::format_module(&Broken, threads).expect_err("not a file");
        assert!(error.contains("does not parse"), "{error}");
    }
    let error = render::render(|| Broken.whole(), "f.rs", &[], "", Layout::Formatted).expect_err("not a file");
    assert!(error.contains("does not parse"), "{error}");
}

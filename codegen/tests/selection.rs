//! Compiling only some operations (`CLOUD_TASK_APIS_OPERATIONS`): only the selected services and
//! operations are generated, an entry that names nothing is an error listing the known names,
//! and files generated for another selection are never reused.

use std::path::Path;

use cloud_task_apis_codegen::{
    Layout, Output, Part, Previous, Selection, SourceMap, generate, generate_selected, part::operation_crate,
    read_specs,
};

const ALL: [&str; 3] = ["alibaba", "huawei", "tencent"];

fn project_specs() -> SourceMap {
    read_specs(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"))).unwrap_or_else(|r| panic!("{r}")).sources
}

fn selected(sources: &SourceMap, selection: &str) -> Output {
    generate_selected(sources, &ALL, &Selection::parse(selection), &Previous::none(), Layout::Formatted, &Part::all())
        .unwrap_or_else(|d| panic!("{}", d.render(sources)))
}

fn file<'a>(output: &'a Output, name: &str) -> &'a str {
    output.files.iter().find(|f| f.name == name).map_or("", |f| f.contents.as_str())
}

fn names(output: &Output) -> Vec<&str> {
    output.files.iter().map(|f| f.name.as_str()).collect()
}

#[test]
fn only_the_selected_operations_and_services_are_generated() {
    let sources = project_specs();
    let output = selected(&sources, "huawei/dis/ShowTransferTaskLog, tencent/cls");
    let client: Vec<&str> = names(&output).into_iter().filter(|n| !n.contains('/')).collect();
    assert_eq!(client, ["huawei_dis.rs", "tencent_cls.rs", "services.rs"]);
    let holder = Part::Operations(operation_crate("ShowTransferTaskLog.yaml")).folder();
    let dis = file(&output, &format!("{holder}huawei_dis.rs"));
    assert!(dis.contains("pub mod show_transfer_task_log {"), "{dis}");
    for generated in &output.files {
        assert!(
            !generated.contents.contains("pub mod list_transfer_tasks {"),
            "{}: an operation not selected",
            generated.name
        );
    }
    assert!(!file(&output, "huawei_dis.rs").contains("list_transfer_tasks"), "re-exported though not selected");
    let index = file(&output, "services.rs");
    assert!(index.contains("huawei_dis.rs") && !index.contains("huawei_cbr.rs"), "{index}");
    // A whole service is the same code as without a selection, under another inputs hash.
    let all = generate(&sources, &ALL).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let code =
        |text: &str| text.lines().filter(|l| !l.starts_with("// inputs xxh3-128:")).collect::<Vec<_>>().join("\n");
    assert_eq!(code(file(&output, "tencent_cls.rs")), code(file(&all, "tencent_cls.rs")));
    assert_ne!(file(&output, "tencent_cls.rs"), file(&all, "tencent_cls.rs"));
}

#[test]
fn an_entry_that_names_nothing_is_an_error_listing_the_known_names() {
    let sources = project_specs();
    let fail = |selection: &str| match generate_selected(
        &sources,
        &ALL,
        &Selection::parse(selection),
        &Previous::none(),
        Layout::Formatted,
        &Part::all(),
    ) {
        Ok(_) => panic!("{selection} was accepted"),
        Err(diagnostics) => diagnostics.render(&sources),
    };
    let unknown_operation = fail("huawei/dis/ShowTransferTaskLogs");
    assert!(
        unknown_operation.contains("`huawei/dis/ShowTransferTaskLogs`, which is no operation"),
        "{unknown_operation}"
    );
    assert!(unknown_operation.contains("known operations of huawei/dis: "), "{unknown_operation}");
    assert!(unknown_operation.contains("ShowTransferTaskLog,") || unknown_operation.contains("ShowTransferTaskLog\n"));
    let unknown_service = fail("huawei/dns");
    assert!(unknown_service.contains("`huawei/dns`, which is no service"), "{unknown_service}");
    assert!(
        unknown_service.contains("huawei/dis") && unknown_service.contains("alibaba/actiontrail"),
        "{unknown_service}"
    );
    // A service of a provider that is not enabled is not known either.
    let disabled = generate_selected(
        &sources,
        &["huawei"],
        &Selection::parse("tencent/cls"),
        &Previous::none(),
        Layout::Formatted,
        &Part::all(),
    );
    assert!(disabled.is_err());
}

#[test]
fn files_of_another_selection_are_not_reused() {
    let sources = project_specs();
    let all = generate(&sources, &ALL).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let previous = Previous::from_files(all.files.clone());
    let subset = generate_selected(
        &sources,
        &ALL,
        &Selection::parse("huawei/dis/ShowTransferTaskLog"),
        &previous,
        Layout::Formatted,
        &Part::all(),
    )
    .unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    assert!(subset.reused.is_empty(), "reused {:?}", subset.reused);
    // Its own files are reused by the same selection, in another order and spelling.
    let previous = Previous::from_files(subset.files.clone());
    let again = generate_selected(
        &sources,
        &ALL,
        &Selection::parse(" huawei/dis/ShowTransferTaskLog,"),
        &previous,
        Layout::Formatted,
        &Part::all(),
    )
    .unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    assert_eq!(again.files, subset.files);
    assert_eq!(again.reused.len(), subset.files.len());
    // No selection: every operation, and the committed files' hashes.
    assert!(Selection::parse(" ,\n").is_all());
    let none = generate_selected(
        &sources,
        &ALL,
        &Selection::parse(""),
        &Previous::from_files(all.files.clone()),
        Layout::Formatted,
        &Part::all(),
    )
    .unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    assert_eq!(none.files, all.files);
}

//! Generates this crate's part of the service code (see `cloud_task_apis_codegen::part`).

fn main() {
    cloud_task_apis_codegen::build_script::run(cloud_task_apis_codegen::Part::Shared, "../..");
}

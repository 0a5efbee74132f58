//! Generates this crate's part of the service code (each service's docs, client and re-exports;
//! see `cloud_task_apis_codegen::part`) from `specs/` into `OUT_DIR`, or takes the committed
//! `generated/` files made from the same inputs.

fn main() {
    cloud_task_apis_codegen::build_script::run(cloud_task_apis_codegen::Part::Client, ".");
}

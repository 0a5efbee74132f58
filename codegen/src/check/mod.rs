//! Stage 2, check: semantic rules over the loaded specs.
//!
//! Each rule is a function named for what it enforces, with a comment stating the rule. Rules
//! push to the shared [`Diagnostics`] and never stop early; the pipeline stops after this stage
//! if any error was found. Depends on `spec` only.

mod fields;
mod lifecycle;
mod params;
mod paths;
mod protocol;
mod resources;
mod service;
mod times;
mod values;

pub use service::parse_offset;

use crate::diagnostic::Diagnostics;
use crate::spec::model::{OperationDoc, ServiceSpec};

/// Runs every rule over every service.
pub fn check(services: &[ServiceSpec], diags: &mut Diagnostics) {
    service::check_unique_services(services, diags);
    for spec in services {
        service::check_service(spec, diags);
        service::check_unique_operations(spec, diags);
        protocol::check_tencent_api3_service(spec, diags);
        resources::check_resources(spec, diags);
        if let Some(shared) = &spec.shared {
            fields::check_shared(spec, shared, diags);
            values::check_examples(spec, shared, diags);
            fields::warn_missing_definition_docs(shared, diags);
        }
        // Each operation's rules read only the service and the operation, so operations are
        // checked on every core; their findings are taken in order.
        let found = crate::parallel::map(&spec.operations, crate::parallel::threads(), |op| {
            let mut found = Diagnostics::new();
            check_operation(spec, op, &mut found);
            found
        });
        for found in found {
            diags.extend(found);
        }
    }
}

/// The rules of one operation.
fn check_operation(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    fields::check_operation(spec, op, diags);
    paths::check_path_segments(op, diags);
    paths::check_content_type(op, diags);
    protocol::check_tencent_api3_operation(spec, op, diags);
    values::check_examples(spec, op, diags);
    lifecycle::check_waiter(op, diags);
    lifecycle::check_pagination(op, diags);
    fields::warn_missing_docs(op, diags);
}

//! A spec added only as YAML is served: requests are validated and authenticated from the spec,
//! and answered with its documented examples, with no Rust written for it. No generated client
//! exists for these operations, so the requests are signed by hand with `cloud_task_apis::sign`.

mod simulator_support;

use cloud_task_apis::sign::encode::{form, rfc3986};
use cloud_task_apis_simulator::{HUAWEI_INVALID_REQUEST_CODE, Simulator, SimulatorError};
use serde_json::json;
use simulator_support::{alibaba_request, huawei_request, keys, send, tencent_request};
use time::OffsetDateTime;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sim");

async fn with_fixture() -> Simulator {
    Simulator::builder().specs_from_dir(FIXTURES).start().await.expect("the fixture spec loads")
}

fn thing_path(sim: &Simulator, id: &str) -> String {
    format!("/v1/{}/things/{id}", sim.credentials().huawei_project_id)
}

#[tokio::test]
async fn a_spec_from_a_folder_is_served_from_its_examples() {
    let sim = with_fixture().await;
    assert!(sim.operations().contains(&"huawei/things/ShowThing".to_owned()), "{:?}", sim.operations());
    assert!(sim.operations().contains(&"huawei/cbr/ShowOpLog".to_owned()), "the embedded specs stay");
    let secret = sim.credentials().huawei_secret_key.clone();
    let now = OffsetDateTime::now_utc();
    let get =
        |id: &str, query: &[(&str, &str)]| huawei_request(&sim, "GET", &thing_path(&sim, id), query, "", &secret, now);

    // The example whose request matches.
    let raw = send(&sim, get("th-2", &[("limit", "5")]), rfc3986).await;
    assert_eq!((raw.status, raw.body.clone()), (200, json!({ "state": "busy", "parts": 7 })));
    assert!(raw.header("x-request-id").is_some_and(|id| id.len() == 32));
    // A documented error example.
    let raw = send(&sim, get("th-404", &[]), rfc3986).await;
    assert_eq!((raw.status, raw.body["error_code"].as_str()), (404, Some("Things.0404")));
    // No example matches: the first success example.
    let raw = send(&sim, get("th-77", &[]), rfc3986).await;
    assert_eq!((raw.status, raw.body.clone()), (200, json!({ "state": "ready", "parts": 3 })));

    let recorded = sim.requests_for("ShowThing");
    assert_eq!(recorded.len(), 3);
    assert_eq!(recorded[1].error_code.as_deref(), Some("Things.0404"));
}

#[tokio::test]
async fn a_spec_from_a_folder_is_validated_and_authenticated() {
    let sim = with_fixture().await;
    let secret = sim.credentials().huawei_secret_key.clone();
    let now = OffsetDateTime::now_utc();
    let get = |id: &str, query: &[(&str, &str)], secret: &str| {
        huawei_request(&sim, "GET", &thing_path(&sim, id), query, "", secret, now)
    };
    // Constraint (maximum) of a query parameter.
    let raw = send(&sim, get("th-1", &[("limit", "500")], &secret), rfc3986).await;
    assert_eq!(raw.status, 400);
    assert_eq!(keys(&raw.body), ["error_code", "error_msg", "request_id"]);
    assert_eq!(raw.body["error_code"], HUAWEI_INVALID_REQUEST_CODE);
    assert!(raw.body["error_msg"].as_str().is_some_and(|m| m.contains("limit") && m.contains("100")), "{}", raw.body);
    // Type of a query parameter.
    let raw = send(&sim, get("th-1", &[("limit", "many")], &secret), rfc3986).await;
    assert_eq!(raw.status, 400);
    // Pattern of a path parameter.
    let raw = send(&sim, get("thing-one", &[], &secret), rfc3986).await;
    assert_eq!(raw.status, 400);
    assert!(raw.body["error_msg"].as_str().is_some_and(|m| m.contains("thing_id")), "{}", raw.body);
    // Signature.
    let raw = send(&sim, get("th-1", &[], "not-the-secret"), rfc3986).await;
    assert_eq!((raw.status, raw.body["error_code"].as_str()), (401, Some("APIGW.0301")));
}

#[tokio::test]
async fn spec_files_can_add_a_service_or_an_operation_of_an_embedded_one() {
    let widgets_service = "format: 1
provider: tencent
service: widgets
title: Widgets
protocol: rest
endpoint: \"{region}.widgets.example.com\"
signing: [tencent_q_sign_sha1]
error_envelope: tencent_cls
request_id_header: x-cls-requestid
";
    let list_widgets = "format: 1
operation: ListWidgets
seed: 999_example.txt
summary: Lists widgets.
http: { method: GET, path: /widgets }
idempotency: read
request:
  params:
    - { name: name, in: query, type: string, required: true, description: Widget name., constraints: { pattern: \"[a-z]+\" } }
response:
  fields:
    - { name: count, type: int32, required: true, description: How many., example: 2 }
    - { name: names, type: array, items: string, required: true, description: Their names. }
    - { name: note, type: string, required: false, description: Not always there. }
";
    // An RPC operation added to the embedded ActionTrail service: routed by its action.
    let echo = "format: 1
operation: EchoTrail
seed: 999_example.txt
summary: Echoes a trail name.
http: { method: POST, path: / }
idempotency: read
request:
  params:
    - { name: TrailName, in: query, type: string, required: true, description: The trail. }
response:
  fields:
    - { name: RequestId, type: string, required: true, description: The request id. }
    - { name: TrailName, type: string, required: true, description: The trail. }
examples:
  - name: echo
    request: { TrailName: t1 }
    response:
      status: 200
      body: { RequestId: 00000000-0000-0000-0000-000000000000, TrailName: t1 }
";
    let sim = Simulator::builder()
        .spec_files([
            ("extra/tencent/widgets/service.yaml", widgets_service),
            ("extra/tencent/widgets/ListWidgets.yaml", list_widgets),
            ("specs/alibaba/actiontrail/EchoTrail.yaml", echo),
        ])
        .start()
        .await
        .expect("the added specs load");

    let secret = sim.credentials().tencent_secret_key.clone();
    let raw = send(&sim, tencent_request(&sim, "/widgets", &[("name", "gear")], &secret), form).await;
    // No example: built from the fields' examples, required fields without one empty.
    assert_eq!((raw.status, raw.body.clone()), (200, json!({ "count": 2, "names": [] })));
    let raw = send(&sim, tencent_request(&sim, "/widgets", &[("name", "Gear 2")], &secret), form).await;
    assert_eq!((raw.status, raw.body["errorcode"].as_str()), (400, Some("InvalidParam")));

    let secret = sim.credentials().alibaba_access_key_secret.clone();
    let raw = send(&sim, alibaba_request(&sim, "EchoTrail", &[("TrailName", "t1")], &secret), rfc3986).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
    assert_eq!(raw.body["TrailName"], "t1");
    // The body's RequestId is this answer's, the same as the header's.
    assert_eq!(raw.body["RequestId"].as_str(), raw.header("x-acs-request-id"));
    let raw = send(&sim, alibaba_request(&sim, "EchoTrail", &[], &secret), rfc3986).await;
    assert_eq!((raw.status, raw.body["Code"].as_str()), (400, Some("MissingParameter")));
}

#[tokio::test]
async fn an_invalid_spec_stops_the_start_with_its_location() {
    let broken = "format: 1\noperation: Broken\nseed: x\nsummary: s\nhttp: { method: GET, path: /x }\n\
                  idempotency: read\nrequest:\n  params:\n    - { name: a, in: query, type: strng, required: true }\n\
                  response: { fields: [] }\n";
    let result = Simulator::builder().spec_files([("specs/huawei/cbr/Broken.yaml", broken)]).start().await;
    match result {
        Err(SimulatorError::Specs(report)) => {
            assert!(report.contains("specs/huawei/cbr/Broken.yaml:9"), "{report}");
            assert!(report.contains("string"), "suggests the right type: {report}");
        }
        other => panic!("expected a spec error, got {other:?}"),
    }
}

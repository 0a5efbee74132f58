//! A resource declared only in a test fixture's service.yaml (`tests/fixtures/lifecycle`) is
//! served statefully: create -> list (paged and filtered) -> action -> wait -> delete, with its
//! idempotency token and limit, and no Rust written for the service. There is no generated
//! client for it, so requests are signed by hand with `cloud_task_apis::sign`.

mod simulator_support;

use std::time::Duration;

use cloud_task_apis::sign::encode::rfc3986;
use cloud_task_apis_simulator::{Simulator, TaskScript};
use serde_json::{Value, json};
use simulator_support::{Raw, huawei_request, send};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lifecycle");

struct Jobs {
    sim: Simulator,
}

impl Jobs {
    async fn start() -> Self {
        // Jobs stay queued for a minute unless a test gives them a shorter course.
        let sim = Simulator::builder()
            .specs_from_dir(FIXTURES)
            .phase_duration(Duration::from_secs(60))
            .start()
            .await
            .expect("the fixture spec loads");
        Self { sim }
    }

    fn path(&self, rest: &str) -> String {
        format!("/v1/{}/jobs{rest}", self.sim.credentials().huawei_project_id)
    }

    async fn call(&self, method: &str, rest: &str, query: &[(&str, &str)], body: &Value) -> Raw {
        let secret = self.sim.credentials().huawei_secret_key.clone();
        let body = if body.is_null() { String::new() } else { body.to_string() };
        let request =
            huawei_request(&self.sim, method, &self.path(rest), query, &body, &secret, OffsetDateTime::now_utc());
        send(&self.sim, request, rfc3986).await
    }

    async fn create(&self, body: Value) -> Raw {
        self.call("POST", "", &[], &body).await
    }

    async fn created(&self, name: &str, kind: &str) -> String {
        let raw = self.create(json!({ "name": name, "kind": kind })).await;
        assert_eq!(raw.status, 200, "{:?}", raw.body);
        raw.body["job_id"].as_str().expect("job id").to_owned()
    }

    async fn list(&self, query: &[(&str, &str)]) -> Raw {
        self.call("GET", "", query, &Value::Null).await
    }

    async fn show(&self, id: &str) -> Raw {
        self.call("GET", &format!("/{id}"), &[], &Value::Null).await
    }
}

fn ids(raw: &Raw) -> Vec<String> {
    raw.body["jobs"].as_array().expect("jobs").iter().map(|j| j["id"].as_str().expect("id").to_owned()).collect()
}

#[tokio::test]
async fn a_fixture_resource_goes_through_its_whole_lifecycle() {
    let jobs = Jobs::start().await;
    assert!(jobs.sim.resources().contains(&"huawei/jobs/Job".to_owned()), "{:?}", jobs.sim.resources());

    // Create: ids minted as UUIDs, fields from the request, the rest from the example.
    let mut made = Vec::new();
    for (name, kind) in [("a", "copy"), ("b", "sync"), ("c", "copy"), ("d", "sync")] {
        made.push(jobs.created(name, kind).await);
    }
    assert!(made.iter().all(|id| id.len() == 36 && id.matches('-').count() == 4), "{made:?}");
    let shown = jobs.show(&made[1]).await;
    assert_eq!(shown.status, 200);
    let job = &shown.body["job"];
    assert_eq!(
        (job["name"].as_str(), job["kind"].as_str(), job["status"].as_str()),
        (Some("b"), Some("sync"), Some("queued"))
    );
    assert!(job.get("ended_at").is_none(), "no end time while it runs: {job}");
    let created_at = OffsetDateTime::parse(job["created_at"].as_str().expect("created_at"), &Rfc3339).expect("rfc3339");
    assert!((OffsetDateTime::now_utc() - created_at).abs() < time::Duration::minutes(1));

    // The idempotency token: the same job again, other parameters refused.
    let token = json!({ "name": "e", "kind": "copy", "client_token": "t-1" });
    let first = jobs.create(token.clone()).await;
    let again = jobs.create(token).await;
    assert_eq!(first.body["job_id"], again.body["job_id"]);
    let mismatch = jobs.create(json!({ "name": "other", "kind": "copy", "client_token": "t-1" })).await;
    assert_eq!((mismatch.status, mismatch.body["error_code"].as_str()), (400, Some("Jobs.0410")));
    made.push(first.body["job_id"].as_str().expect("id").to_owned());

    // The limit: five running jobs per account.
    let refused = jobs.create(json!({ "name": "f", "kind": "copy" })).await;
    assert_eq!((refused.status, refused.body["error_code"].as_str()), (429, Some("Jobs.0429")));

    // List, paged by offset and limit: every job once, in creation order, with the count.
    let mut listed = Vec::new();
    for offset in ["0", "2", "4"] {
        let page = jobs.list(&[("offset", offset), ("limit", "2")]).await;
        assert_eq!(page.body["count"], 5);
        listed.extend(ids(&page));
    }
    assert_eq!(listed, made);
    assert!(ids(&jobs.list(&[("offset", "5"), ("limit", "2")]).await).is_empty());

    // Filtered: by kind, by several states, by a creation time window.
    let copies = jobs.list(&[("kind", "copy")]).await;
    assert_eq!(ids(&copies), [made[0].clone(), made[2].clone(), made[4].clone()]);
    assert_eq!(copies.body["count"], 3);
    let stop = jobs.call("POST", "/stop", &[], &json!({ "job_ids": [made[0], made[1]] })).await;
    assert_eq!(stop.status, 200, "{:?}", stop.body);
    let running = jobs.list(&[("status", "queued,running")]).await;
    assert_eq!(ids(&running), made[2..]);
    let stopped = jobs.list(&[("status", "stopped")]).await;
    assert_eq!(ids(&stopped), made[..2]);
    let hour = |h: i64| (OffsetDateTime::now_utc() + time::Duration::hours(h)).format(&Rfc3339).expect("format");
    let (before, after) = (hour(-1), hour(1));
    let window = jobs.list(&[("created_after", before.as_str()), ("created_before", after.as_str())]).await;
    assert_eq!(window.body["count"], 5);
    assert_eq!(jobs.list(&[("created_after", after.as_str())]).await.body["count"], 0);
    let reversed = jobs.list(&[("created_after", after.as_str()), ("created_before", before.as_str())]).await;
    assert_eq!(reversed.status, 400, "a window that ends before it starts: {:?}", reversed.body);

    // Stopping a stopped job is the declared error; a stopped job no longer counts towards
    // the limit, so a new job can start.
    let again = jobs.call("POST", "/stop", &[], &json!({ "job_ids": [made[0]] })).await;
    assert_eq!((again.status, again.body["error_code"].as_str()), (409, Some("Jobs.0409")));

    // Wait: a job with a short course runs to its succeeded state, progress 100.
    jobs.sim
        .set_script(
            "Job",
            TaskScript::new()
                .then("queued", Duration::from_millis(50))
                .then("running", Duration::from_millis(50))
                .end("done"),
        )
        .expect("declared resource");
    let quick = jobs.created("quick", "copy").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let done = loop {
        let job = jobs.show(&quick).await.body["job"].clone();
        if job["status"] == "done" {
            break job;
        }
        assert!(["queued", "running"].contains(&job["status"].as_str().unwrap_or_default()), "{job}");
        assert!(std::time::Instant::now() < deadline, "the job never finished: {job}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(done["progress"], 100);
    assert!(done["ended_at"].is_string(), "{done}");

    // Delete: gone from read and list; deleting again is the declared error.
    let deleted = jobs.call("DELETE", &format!("/{quick}"), &[], &Value::Null).await;
    assert_eq!(deleted.status, 200);
    let gone = jobs.show(&quick).await;
    assert_eq!((gone.status, gone.body["error_code"].as_str()), (404, Some("Jobs.0404")));
    assert!(!ids(&jobs.list(&[("limit", "100")]).await).contains(&quick));
    let twice = jobs.call("DELETE", &format!("/{quick}"), &[], &Value::Null).await;
    assert_eq!((twice.status, twice.body["error_code"].as_str()), (404, Some("Jobs.0404")));
}

//! The call pipeline's own tests: how a request's URL is built.

use super::*;
use crate::wire::Envelope;

static SERVICE: ServiceSpec = ServiceSpec {
    provider: Provider::Huawei,
    name: "probe",
    api_version: None,
    protocol: Protocol::Rest,
    endpoint: "probe.{region}.example.com",
    endpoints: &[],
    signing: &[Signing::HuaweiToken],
    envelope: Envelope::Huawei,
    request_id_header: Some("X-Request-Id"),
    success_when: None,
};

fn handle(endpoint: &str) -> ClientHandle {
    let config = Config::new("r1").endpoint(endpoint).allow_http(true).credentials(Credentials::huawei_token("token"));
    ClientHandle::new(&SERVICE, config).expect("a client")
}

#[test]
fn the_url_is_the_parsed_base_with_the_path_and_query_set() {
    let req = SignableRequest {
        path: "/v1/a%2Fb%20c/x".into(),
        query: vec![("k y".into(), "v&w=é*".into()), ("empty".into(), String::new()), ("n".into(), "1".into())],
        ..SignableRequest::default()
    };
    let url = handle("http://Example.com:8080").url(&req).expect("the base parses");
    assert_eq!(url.as_str(), "http://example.com:8080/v1/a%2Fb%20c/x?k%20y=v%26w%3D%C3%A9%2A&empty=&n=1");
    let bare = SignableRequest { path: "/".into(), ..SignableRequest::default() };
    assert_eq!(handle("https://example.com").url(&bare).expect("parses").as_str(), "https://example.com/");
    // A base the URL parser refuses leaves the whole URL to the HTTP client, which refuses it
    // in turn (a request that cannot be built, never sent).
    let text = handle("http://127.0.0.1:99999").url(&req).expect_err("port out of range");
    assert_eq!(text, "http://127.0.0.1:99999/v1/a%2Fb%20c/x?k%20y=v%26w%3D%C3%A9%2A&empty=&n=1");
}

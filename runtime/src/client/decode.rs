//! Decoding a successful answer into the operation's response, recording the exchange's facts
//! (status, request id, attempts) in it.

use super::{Answer, Delivered, fail};
use crate::__private::{Operation, OperationError, ResponseBody};
use crate::error::{Cause, EXCERPT_BYTES, RequestErrorKind, ResponseMeta, bounded};
use crate::wire::{Envelope, OperationSpec};

/// The response of a one-pass decode, with the exchange's facts recorded.
pub(super) fn finish<T: ResponseBody>(decoded: crate::one_pass::Decoded<T>, delivered: Delivered) -> T {
    let crate::one_pass::Decoded { mut response, body_request_id } = decoded;
    let Delivered { answer: Answer { status, request_id: header_id, .. }, attempts } = delivered;
    let request_id = header_id.or_else(|| body_request_id.map(|id| bounded(id, EXCERPT_BYTES)));
    *response.meta_mut() = ResponseMeta { status, request_id, attempts };
    response
}

pub(super) fn decode<O: Operation>(spec: &OperationSpec, delivered: Delivered) -> Result<O::Response, O::Error> {
    let Delivered { answer: Answer { status, request_id: header_id, body, .. }, attempts } = delivered;
    let undecodable = |detail: &str| {
        fail(spec, RequestErrorKind::UnexpectedResponse, detail).with_response(status, header_id.clone(), &body)
    };
    let (mut response, body_id): (O::Response, Option<String>) = match spec.service.envelope {
        // Tencent Cloud API 3.0: the fields and the request id are inside `Response`.
        Envelope::TencentApi3 => {
            let (inner, id) = crate::api3::unwrap(&body)
                .map_err(|e| O::Error::from_request(undecodable("response body did not decode").with_source(e)))?;
            let response = serde_json::from_value(inner).map_err(|e| {
                O::Error::from_request(undecodable("response body did not decode").with_source(Cause::of(&e)))
            })?;
            (response, id)
        }
        envelope => {
            // A success documented without a body (DIS BatchStartTransferTask,
            // BatchStopTransferTask) reads as an empty object; a response with required fields
            // still fails to decode.
            let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &body };
            // The decoder's message may quote a value of the body whole; only its excerpt is kept.
            let response = serde_json::from_slice(json).map_err(|e| {
                O::Error::from_request(undecodable("response body did not decode").with_source(Cause::of(&e)))
            })?;
            (response, crate::envelope::body_request_id(envelope, &body))
        }
    };
    let request_id = header_id.or_else(|| body_id.map(|id| bounded(id, EXCERPT_BYTES)));
    *response.meta_mut() = ResponseMeta { status, request_id, attempts };
    Ok(response)
}

/// Decodes a 200 answer's `body` as a call does when the one-pass decode leaves it to the full
/// reading (the response fuzzing tests' way in).
#[cfg(any(test, feature = "example-tests"))]
pub(crate) fn decode_body<O: Operation>(body: &[u8]) -> Result<O::Response, O::Error> {
    decode::<O>(&O::SPEC, delivered_200(body))
}

/// Decodes a 200 answer's `body` in one pass as a call does first; `None` where a call would go
/// on to the full reading.
#[cfg(any(test, feature = "example-tests"))]
pub(crate) fn decode_body_one_pass<O: Operation>(body: &[u8]) -> Option<O::Response> {
    let decoded = crate::one_pass::decode::<O::Response>(O::SPEC.service, body, true)?;
    Some(finish(decoded, delivered_200(body)))
}

#[cfg(any(test, feature = "example-tests"))]
fn delivered_200(body: &[u8]) -> Delivered {
    let answer = Answer {
        status: 200,
        request_id: None,
        headers: reqwest::header::HeaderMap::new(),
        body: bytes::Bytes::copy_from_slice(body),
    };
    Delivered { answer, attempts: 1 }
}

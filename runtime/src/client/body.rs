//! Reading an answer's body within the configured size limit.

use super::{ClientHandle, fail};
use crate::error::{RequestError, RequestErrorKind};
use crate::retry::Failure;
use crate::wire::OperationSpec;

/// How reading a body failed: the connection, or the size limit.
pub(super) enum BodyError {
    Http(reqwest::Error),
    TooLarge(RequestError),
}

impl ClientHandle {
    /// Reads the body, refusing it when it would pass the configured limit: a declared length
    /// over the limit before reading, any body as soon as it passes (at most the limit plus one
    /// chunk is ever held). The response is borrowed, so that the call's future holds it once.
    pub(super) async fn read_body(
        &self,
        spec: &OperationSpec,
        response: &mut reqwest::Response,
    ) -> Result<bytes::Bytes, (Failure<'static>, BodyError)> {
        let limit = self.inner.config.max_response_bytes;
        let too_large = |size: String| {
            let detail = format!(
                "the response body is {size} the limit of {limit} bytes; raise it with \
                 Config::max_response_bytes if the provider's answers are really this large"
            );
            (Failure::Final, BodyError::TooLarge(fail(spec, RequestErrorKind::ResponseTooLarge, detail)))
        };
        let http_failure = |e: reqwest::Error| {
            let failure = if e.is_timeout() { Failure::Timeout } else { Failure::Transport };
            (failure, BodyError::Http(e))
        };
        if let Some(length) = response.content_length().filter(|&length| length > limit) {
            return Err(too_large(format!("{length} bytes (Content-Length), over")));
        }
        // The body is read chunk by chunk (the HTTP stack reads no more than a declared length),
        // and refused as soon as it passes the limit. One chunk is kept as it came, without a
        // copy; a second one starts a buffer that collects them all.
        let mut first = bytes::Bytes::new();
        let mut collected: Option<bytes::BytesMut> = None;
        let mut size = 0_u64;
        while let Some(chunk) = response.chunk().await.map_err(http_failure)? {
            size += chunk.len() as u64;
            if size > limit {
                return Err(too_large("larger than".to_owned()));
            }
            match &mut collected {
                _ if chunk.is_empty() => {}
                Some(buffer) => buffer.extend_from_slice(&chunk),
                None if first.is_empty() => first = chunk,
                None => {
                    // Sized by what came, not by the declared length: a server that declares
                    // the limit and sends a trickle does not get the limit allocated.
                    let mut buffer = bytes::BytesMut::with_capacity(usize::try_from(size).unwrap_or(0));
                    buffer.extend_from_slice(&first);
                    buffer.extend_from_slice(&chunk);
                    collected = Some(buffer);
                }
            }
        }
        Ok(collected.map_or(first, bytes::BytesMut::freeze))
    }
}

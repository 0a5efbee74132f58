//! Paging through listings as a stream of pages or of items, in the four styles a spec
//! declares: page numbers, offsets, markers (the last item sent back) and next tokens.
//!
//! Every style is exact: each page is asked for once, from where the previous one ended, so no
//! item is listed twice or skipped while the provider keeps its order. A provider that does not
//! move on (the same page again, a marker or token seen before) ends the stream with a
//! [`RequestErrorKind::Pagination`] error instead of a loop.

use std::collections::HashSet;

use futures_util::stream::{self, Stream, StreamExt};

use crate::__private::{Cursor, OperationError, PageStyle, Paged, ResponseBody, validation_error};
use crate::client::{ClientHandle, send_operation};
use crate::error::{RequestError, RequestErrorKind, ValidationError};

/// Fetches the pages of a listing one request at a time. Made by a builder's `paginate()`.
#[derive(Debug)]
#[must_use]
pub struct Paginator<O> {
    client: ClientHandle,
    request: Result<O, ValidationError>,
}

/// Where the next request starts and what the listing has shown so far.
struct State<O: Paged> {
    client: ClientHandle,
    request: O,
    /// The page number, offset, marker or token of the next request (`None`: the first page of
    /// a marker or token listing, asked for without one).
    cursor: Option<Cursor>,
    /// The page size sent with every request, when known.
    size: Option<i64>,
    /// Items listed so far, counting those before a starting page or offset.
    fetched: i64,
    /// The items of the previous page, to notice a provider that repeats a page.
    previous: Vec<O::Item>,
    /// Markers and tokens sent so far.
    sent: HashSet<String>,
}

/// What the stream does next.
enum Step<O: Paged> {
    Fetch(Box<State<O>>),
    Fail(O::Error),
    Done,
}

impl<O: Paged> Paginator<O> {
    /// A paginator over `request`, starting where it points (its page number, offset, marker or
    /// token, or the first page) with its page size (or the provider's default).
    pub fn new(client: ClientHandle, request: Result<O, ValidationError>) -> Self {
        Self { client, request }
    }

    /// Every page's response, in order; stops after the first error.
    ///
    /// The listing ends at an empty page; where it reports a total, once the items listed
    /// (counting those before a starting page or offset) reach it; without a total, after a
    /// page shorter than the page size; with tokens, when the response has no next token.
    pub fn pages(self) -> impl Stream<Item = Result<O::Response, O::Error>> {
        let first = match self.request {
            Err(error) => Step::Fail(validation_error::<O>(error)),
            Ok(request) => Step::Fetch(Box::new(State::start(self.client, request))),
        };
        stream::unfold(first, |step| async move {
            match step {
                Step::Done => None,
                Step::Fail(error) => Some((Err(error), Step::Done)),
                Step::Fetch(mut state) => {
                    let request = state.request_for_page();
                    match send_operation(&state.client, request).await {
                        Err(error) => Some((Err(error), Step::Done)),
                        Ok(response) => match state.advance(&response) {
                            Err(problem) => Some((Err(O::Error::from_request(problem)), Step::Done)),
                            Ok(Some(next)) => Some((Ok(response), next)),
                            Ok(None) => Some((Ok(response), Step::Fetch(state))),
                        },
                    }
                }
            }
        })
    }

    /// Every item of every page, in order.
    pub fn items(self) -> impl Stream<Item = Result<O::Item, O::Error>> {
        self.pages().flat_map(|page| {
            let items: Vec<Result<O::Item, O::Error>> = match page {
                Ok(response) => O::items(&response).iter().cloned().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        })
    }
}

impl<O: Paged> State<O> {
    fn start(client: ClientHandle, request: O) -> Self {
        let size =
            request.page_size().filter(|s| *s > 0).or((O::DEFAULT_PAGE_SIZE > 0).then_some(O::DEFAULT_PAGE_SIZE));
        let given = request.cursor();
        let (cursor, fetched) = match O::STYLE {
            PageStyle::PageNumber { first } => {
                let number = match given {
                    Some(Cursor::Number(n)) => n,
                    _ => first,
                };
                // The pages before the starting one count as full, for comparing with the total.
                let skipped = number.saturating_sub(first).max(0).saturating_mul(size.unwrap_or(0));
                (Some(Cursor::Number(number)), skipped)
            }
            PageStyle::Offset { first } => {
                let offset = match given {
                    Some(Cursor::Number(n)) => n,
                    _ => first,
                };
                (Some(Cursor::Number(offset)), offset.saturating_sub(first).max(0))
            }
            PageStyle::Marker | PageStyle::Token => (given.filter(|c| *c != Cursor::Text(String::new())), 0),
        };
        Self { client, request, cursor, size, fetched, previous: Vec::new(), sent: HashSet::new() }
    }

    /// The request of the next page.
    fn request_for_page(&mut self) -> O {
        let mut request = self.request.clone();
        if let Some(size) = self.size {
            request.set_page_size(size);
        }
        if let Some(cursor) = &self.cursor {
            if let Cursor::Text(text) = cursor {
                self.sent.insert(text.clone());
            }
            request.set_cursor(cursor.clone());
        }
        request
    }

    /// Takes in one page: `Ok(None)` to fetch the next, `Ok(Some(Done))` when this was the last,
    /// or the error of a provider that does not move on.
    fn advance(&mut self, response: &O::Response) -> Result<Option<Step<O>>, RequestError> {
        let items = O::items(response);
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        if count > 0 && items == self.previous.as_slice() {
            return Err(self.stuck(response, format!("the provider sent the same page again ({})", self.position())));
        }
        self.fetched = self.fetched.saturating_add(count);
        let short = self.size.is_some_and(|size| count < size);
        let complete = match O::total(response) {
            Some(total) => self.fetched >= total,
            None => short,
        };
        let last = match O::STYLE {
            PageStyle::PageNumber { .. } | PageStyle::Offset { .. } | PageStyle::Marker => count == 0 || complete,
            // Tokens alone say where the listing ends.
            PageStyle::Token => false,
        };
        let next = if last { None } else { self.next_cursor(response, items, count)? };
        self.previous = items.to_vec();
        match next {
            None => Ok(Some(Step::Done)),
            Some(cursor) => {
                self.cursor = Some(cursor);
                Ok(None)
            }
        }
    }

    /// Where the page after this one starts; `None` when a token listing has no next page.
    fn next_cursor(
        &self,
        response: &O::Response,
        items: &[O::Item],
        count: i64,
    ) -> Result<Option<Cursor>, RequestError> {
        let current = match &self.cursor {
            Some(Cursor::Number(n)) => *n,
            _ => 0,
        };
        match O::STYLE {
            PageStyle::PageNumber { .. } => Ok(Some(Cursor::Number(current.saturating_add(1)))),
            PageStyle::Offset { .. } => Ok(Some(Cursor::Number(current.saturating_add(count)))),
            PageStyle::Marker => {
                let Some(marker) = items.last().and_then(O::marker).filter(|m| !m.is_empty()) else {
                    return Err(self.stuck(response, "the last item of the page has no marker".to_owned()));
                };
                self.fresh(response, marker, "marker").map(Some)
            }
            PageStyle::Token => match O::next_token(response).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(token) => self.fresh(response, token.to_owned(), "token").map(Some),
            },
        }
    }

    /// A marker or token not sent before, as the next cursor.
    fn fresh(&self, response: &O::Response, text: String, what: &str) -> Result<Cursor, RequestError> {
        if self.sent.contains(&text) {
            return Err(self.stuck(response, format!("the provider gave the {what} {text:?} again")));
        }
        Ok(Cursor::Text(text))
    }

    /// The page asked for, for messages.
    fn position(&self) -> String {
        let shown = match &self.cursor {
            None => "the first page".to_owned(),
            Some(Cursor::Number(n)) => n.to_string(),
            Some(Cursor::Text(t)) => format!("{t:?}"),
        };
        match O::STYLE {
            PageStyle::PageNumber { .. } => format!("page {shown}"),
            PageStyle::Offset { .. } => format!("offset {shown}"),
            PageStyle::Marker => format!("marker {shown}"),
            PageStyle::Token => format!("token {shown}"),
        }
    }

    fn stuck(&self, response: &O::Response, detail: String) -> RequestError {
        RequestError::new(RequestErrorKind::Pagination, O::SPEC.name, format!("paging stopped: {detail}"))
            .with_meta(response.meta())
    }
}

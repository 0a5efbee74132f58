//! Paging through page-numbered listings as a stream of pages or of items.

use futures_util::stream::{self, Stream, StreamExt};

use crate::__private::{Paged, validation_error};
use crate::client::{ClientHandle, send_operation};
use crate::error::ValidationError;

/// Fetches the pages of a listing one request at a time. Made by a builder's `paginate()`.
#[derive(Debug)]
#[must_use]
pub struct Paginator<O> {
    client: ClientHandle,
    request: Result<O, ValidationError>,
}

struct State<O> {
    client: ClientHandle,
    request: O,
    next: i64,
    size: i64,
    fetched: i64,
    done: bool,
}

impl<O: Paged> Paginator<O> {
    /// A paginator over `request`, starting at its page number (or the first page) with its
    /// page size (or the provider's default).
    pub fn new(client: ClientHandle, request: Result<O, ValidationError>) -> Self {
        Self { client, request }
    }

    /// Every page's response, in order; stops after the first error.
    ///
    /// Where the listing reports a total, it stops once the items fetched (counting the pages
    /// before a starting page as full) reach it, or at an empty page; a page shorter than asked
    /// for does not end it then, since a service may cap the page size. Without a total it
    /// stops after a page shorter than the page size.
    pub fn pages(self) -> impl Stream<Item = Result<O::Response, O::Error>> {
        let start = match self.request {
            Err(error) => Err(error),
            Ok(request) => {
                let (number, size) = request.page();
                let size = size.filter(|s| *s > 0).unwrap_or(O::DEFAULT_PAGE_SIZE);
                let next = number.unwrap_or(O::FIRST_PAGE);
                // Items on the pages before the starting one, for comparing with the total.
                let skipped = next.saturating_sub(O::FIRST_PAGE).max(0).saturating_mul(size);
                Ok(State { client: self.client, request, next, size, fetched: skipped, done: false })
            }
        };
        stream::unfold(Some(start), |state| async move {
            match state? {
                Err(error) => Some((Err(validation_error::<O>(error)), None)),
                Ok(mut state) if !state.done => {
                    state.request.set_page(state.next, state.size);
                    match send_operation(&state.client, state.request.clone()).await {
                        Err(error) => Some((Err(error), None)),
                        Ok(response) => {
                            let count = i64::try_from(O::items(&response).len()).unwrap_or(i64::MAX);
                            state.fetched = state.fetched.saturating_add(count);
                            state.done = match O::total(&response) {
                                Some(total) => count == 0 || state.fetched >= total,
                                None => count < state.size,
                            };
                            state.next = state.next.saturating_add(1);
                            Some((Ok(response), Some(Ok(state))))
                        }
                    }
                }
                Ok(_) => None,
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

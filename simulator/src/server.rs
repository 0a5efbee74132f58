//! The HTTP/1.1 server: hyper on `127.0.0.1` with a port chosen by the system, one task per
//! connection, and a graceful shutdown (open connections finish their current exchange) when
//! the simulator is dropped or shut down.

use std::net::SocketAddr;
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::Shared;
use super::dispatch::serve;

/// A running server.
#[derive(Debug)]
pub(crate) struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:0` and starts accepting on the current Tokio runtime.
    pub(crate) async fn start(shared: Arc<Shared>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let accept = tokio::spawn(accept_loop(listener, shared, stopped));
        Ok(Self { addr, stop, accept: Some(accept) })
    }

    /// Stops accepting and asks open connections to close after their current exchange.
    pub(crate) fn stop(&self) {
        // Fails only when every receiver is gone, that is when everything has stopped already.
        let _ = self.stop.send(true);
    }

    /// Stops, and waits until the listener is closed.
    pub(crate) async fn stop_and_wait(mut self) {
        self.stop();
        if let Some(accept) = self.accept.take() {
            // A join error means the task was cancelled with its runtime: it stopped either way.
            let _ = accept.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(connection(stream, shared.clone(), stopped.clone()));
                }
                Err(error) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::debug!("simulator accept failed: {error}");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            },
        }
    }
}

async fn connection(stream: tokio::net::TcpStream, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let service = service_fn(move |request| serve(shared.clone(), request));
    let conn = http1::Builder::new().timer(TokioTimer::new()).serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(error) = result {
                tracing::debug!("simulator connection ended: {error}");
            }
        }
        _ = stopped.changed() => {
            conn.as_mut().graceful_shutdown();
            if let Err(error) = conn.await {
                tracing::debug!("simulator connection ended during shutdown: {error}");
            }
        }
    }
}

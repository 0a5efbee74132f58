//! [`SimulatorBuilder`]: the options of a simulator, and starting it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::catalog::{self, Catalog};
use super::store::Store;
use super::{Shared, Simulator, SimulatorError, TestCredentials, auth, faults, server};

/// Options of a [`Simulator`]. Made by [`Simulator::builder`].
#[derive(Debug)]
#[must_use]
pub struct SimulatorBuilder {
    credentials: TestCredentials,
    phase: Duration,
    files: Vec<(String, String)>,
    dirs: Vec<PathBuf>,
    embedded: bool,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        Self {
            credentials: TestCredentials::default(),
            phase: Duration::from_secs(2),
            files: Vec::new(),
            dirs: Vec::new(),
            embedded: true,
        }
    }
}

impl SimulatorBuilder {
    /// The credentials to accept (default: [`TestCredentials::default`]).
    pub fn credentials(mut self, credentials: TestCredentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// How long an item stays in each running state of its declared course (default 2 s).
    pub fn phase_duration(mut self, phase: Duration) -> Self {
        self.phase = phase;
        self
    }

    /// Adds spec files as `(path, text)`; the files of one folder form a service
    /// (`<folder>/service.yaml` plus one file per operation), in the format of `specs/README.md`.
    /// A file in the folder of an embedded service (`specs/huawei/cbr/NewOp.yaml`) adds an
    /// operation to it.
    pub fn spec_files<P: Into<String>, T: Into<String>>(mut self, files: impl IntoIterator<Item = (P, T)>) -> Self {
        self.files.extend(files.into_iter().map(|(p, t)| (p.into(), t.into())));
        self
    }

    /// Adds every `*.yaml` under `dir` (read at [`SimulatorBuilder::start`]), as
    /// [`SimulatorBuilder::spec_files`] does.
    pub fn specs_from_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dirs.push(dir.as_ref().to_owned());
        self
    }

    /// Serves only the added specs, not the embedded ones.
    pub fn without_embedded_specs(mut self) -> Self {
        self.embedded = false;
        self
    }

    /// Loads the specs and starts serving on `127.0.0.1` (on the current Tokio runtime).
    ///
    /// # Errors
    /// [`SimulatorError::Specs`] with every problem of the specs, [`SimulatorError::Io`] when
    /// the port cannot be opened.
    pub async fn start(self) -> Result<Simulator, SimulatorError> {
        let mut files = if self.embedded { catalog::embedded() } else { Vec::new() };
        for dir in &self.dirs {
            let read =
                cloud_task_apis_codegen::read_specs(dir).map_err(|report| SimulatorError::Specs(report.to_string()))?;
            for skipped in read.warnings.items() {
                tracing::warn!("{}", skipped.message);
            }
            let sources = read.sources;
            files.extend(sources.iter().map(|(_, f)| (f.path.clone(), f.text.clone())));
        }
        files.extend(self.files);
        let catalog = Catalog::load(files)?;
        let store = Store { phase: self.phase, ..Store::default() };
        let shared = Arc::new(Shared {
            catalog,
            credentials: self.credentials,
            store: Mutex::new(store),
            faults: Mutex::new(faults::Faults::default()),
            nonces: Mutex::new(auth::Nonces::default()),
            log: Mutex::new(Vec::new()),
        });
        let server = server::Server::start(shared.clone()).await?;
        let sim = Simulator { shared, server };
        sim.seed_examples();
        Ok(sim)
    }
}

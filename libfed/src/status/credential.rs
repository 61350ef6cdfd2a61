//! The checks of a stored credential against its remote, made once per distinct credential and
//! shared by every link that stores it. In a mesh of N clusters each remote's credential is
//! minted once and stored by N−1 locals, so `status -A` asks each remote once, not N−1 times.
//!
//! Two links share an answer only when their stored kubeconfigs are the same text: the same
//! server, CA, token and every other setting, so a client built from either behaves the same and
//! the remote's answer is the same. The per-link checks (Secret, kubeconfig, token, server, Typha)
//! stay per link; only the answer is shared, and each link words its own checks and hints.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{BoxFuture, FutureExt, Shared};
use tokio::time::Instant;

use super::access::{Access, forbidden_access, required_access};
use super::checks::Failure;
use super::fetch;
use crate::stored::SafeKubeconfig;

/// What a remote answered to one stored credential.
#[derive(Debug, Clone)]
pub struct Answer {
    /// A message when no client could be built from the kubeconfig.
    pub client_error: Option<String>,
    /// `/version` (the git version), when a client was built.
    pub version: Option<Result<String, Failure>>,
    /// Every access of [`required_access`] then [`forbidden_access`], when `/version` answered.
    pub access: Option<Vec<(Access, Result<bool, Failure>)>>,
}

type Pending = Shared<BoxFuture<'static, Arc<Answer>>>;

/// The answers of one `status` run, by stored kubeconfig text.
#[derive(Default)]
pub struct Credentials {
    answers: Mutex<HashMap<String, Pending>>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.answers.lock().map_or(0, |m| m.len());
        f.debug_struct("Credentials").field("distinct", &n).finish()
    }
}

impl Credentials {
    /// The remote's answer to the credential in `text` (validated as `safe`): asked by the first
    /// link that stores it, awaited by the others.
    pub async fn answer(&self, text: &str, safe: &SafeKubeconfig, timeouts: crate::cluster::Timeouts) -> Arc<Answer> {
        let pending = {
            let mut answers = self.answers.lock().unwrap_or_else(|e| e.into_inner());
            answers.entry(text.to_string()).or_insert_with(|| ask(safe.clone(), timeouts).boxed().shared()).clone()
        };
        pending.await
    }

    /// How many distinct credentials were asked about.
    pub fn distinct(&self) -> usize {
        self.answers.lock().map_or(0, |m| m.len())
    }
}

/// `/version` and the access reviews, concurrently, within one request timeout.
async fn ask(safe: SafeKubeconfig, timeouts: crate::cluster::Timeouts) -> Arc<Answer> {
    // No budget (a zero --request-timeout) is a day, not an overflow.
    let deadline = Instant::now() + timeouts.request.unwrap_or(Duration::from_secs(86_400));
    let client = match fetch::stored_client(&safe, timeouts) {
        Ok(c) => c,
        Err(e) => return Arc::new(Answer { client_error: Some(e), version: None, access: None }),
    };
    let all: Vec<Access> = required_access().into_iter().chain(forbidden_access()).collect();
    let (version, access) =
        tokio::join!(fetch::version(&client, deadline), fetch::access_reviews(&client, &all, deadline));
    let access = version.is_ok().then_some(access);
    Arc::new(Answer { client_error: None, version: Some(version), access })
}

//! A `Plan`: what would change, object by object. Planning only reads; applying writes exactly the
//! planned creates, updates and deletes and nothing else, so `--dry-run` output and what apply does
//! cannot disagree. Objects whose content is already right are `Unchanged` and never written
//! (rewriting an RCC or its Secret restarts Calico's Typha).
//!
//! A [`Plan`] is the ordered list of actions an operation would take, across clusters. Every
//! mutating operation plans first (reading only) and returns the plan; `--dry-run=client` prints
//! it, and [`Plan::apply`] executes that same value with one [`Execution`].

mod action;
mod apply;
mod decide;
mod read;
#[cfg(test)]
mod tests;

pub use action::{Action, LiveRef, Op};
pub(crate) use apply::apply_action;
pub use decide::{decide, decide_owned, is_subset, plan_against};
pub use read::{plan_object, read};

use serde::Serialize;

use crate::cluster::Cluster;
use crate::{Error, Result};

/// How an operation executes its plan: the one dry-run switch of every mutating operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Execution {
    /// Write.
    #[default]
    Apply,
    /// Plan only; write nothing anywhere (`--dry-run=client`).
    DryRunClient,
    /// Send every write with `dryRun=All`: the servers validate and admit, nothing persists
    /// (`--dry-run=server`).
    DryRunServer,
}

impl Execution {
    /// Whether anything persists.
    pub fn writes(self) -> bool {
        self == Execution::Apply
    }

    /// Whether requests are sent at all.
    pub fn sends(self) -> bool {
        self != Execution::DryRunClient
    }
}

/// What an operation would do, in order, across clusters. Planning only reads; [`Plan::apply`]
/// writes exactly the planned creates, updates and deletes and nothing else, so a dry run's output
/// and what apply does cannot disagree.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Plan {
    actions: Vec<Action>,
}

impl Plan {
    /// An empty plan.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an action at the end.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Adds another plan's actions at the end.
    pub fn append(&mut self, other: Plan) {
        self.actions.extend(other.actions);
    }

    /// The actions, in the order they are applied.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The actions, consuming the plan.
    pub fn into_actions(self) -> Vec<Action> {
        self.actions
    }

    /// Whether there is no action at all.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Whether applying would send any write (creates, updates, deletes).
    pub fn changes(&self) -> bool {
        self.actions.iter().any(|a| matches!(a.op, Op::Create | Op::Update | Op::Delete))
    }

    /// Executes the plan in order: each action against the cluster it names (one of `clusters`,
    /// by context). Nothing is sent in a client dry run.
    ///
    /// # Errors
    /// The first write that fails (the rest are not attempted), naming the cluster and object;
    /// [`Error::Changed`] when an object changed since it was planned (plan again);
    /// [`Error::NoClient`] when an action names a cluster not in `clusters` (nothing is written).
    pub async fn apply(&self, clusters: &[&Cluster], exec: Execution) -> Result<()> {
        if !exec.sends() {
            return Ok(());
        }
        let client = |name: &str| clusters.iter().find(|c| c.context == name).map(|c| &c.client);
        if let Some(a) = self.actions.iter().find(|a| client(&a.cluster).is_none()) {
            return Err(Error::NoClient { cluster: a.cluster.clone(), object: a.object() });
        }
        for a in &self.actions {
            if let Some(c) = client(&a.cluster) {
                apply_action(c, a, exec).await?;
            }
        }
        Ok(())
    }
}

impl From<Vec<Action>> for Plan {
    fn from(actions: Vec<Action>) -> Self {
        Self { actions }
    }
}

impl FromIterator<Action> for Plan {
    fn from_iter<I: IntoIterator<Item = Action>>(iter: I) -> Self {
        Self { actions: iter.into_iter().collect() }
    }
}

impl<'a> IntoIterator for &'a Plan {
    type Item = &'a Action;
    type IntoIter = std::slice::Iter<'a, Action>;
    fn into_iter(self) -> Self::IntoIter {
        self.actions.iter()
    }
}

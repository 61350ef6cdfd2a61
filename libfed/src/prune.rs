//! `mesh --prune`: remove the links the tool made from each member to clusters no longer in the
//! list, with their remote bookkeeping: the `used-by` record of the local on the remote objects,
//! and the remote objects themselves once no one uses them (only those the tool created). A pruned
//! remote whose context is gone or that does not answer is skipped with the command to finish it.
//!
//! Links *from* clusters not in the list are left alone: they are not in the list, so they are not
//! this command's to touch (`unjoin --context THAT-CLUSTER` removes them).

use kube::config::Kubeconfig;

use crate::cluster::Cluster;
use crate::link::{LinkReport, Outcome};
use crate::unjoin::{LinkRef, UnjoinOptions, UnjoinResult, context_infos, local_links, resolve, unjoin_one};

/// The names of the links to prune from a local cluster: those the tool created whose name is not
/// kept (pure).
pub fn stale_links<'a>(links: &'a [crate::unjoin::LinkInfo], keep: &[&str]) -> Vec<&'a str> {
    links.iter().filter(|l| l.created_by_tool && !keep.contains(&l.name.as_str())).map(|l| l.name.as_str()).collect()
}

/// Prunes, from each member, the links the tool made to clusters not named in `keep`, cleaning the
/// remote side as `unjoin --remote-cleanup` does (`opts.remote_cleanup` is ignored: prune always
/// cleans). A member that cannot be read is skipped (its links are reported failed by the mesh).
pub async fn prune(kc: &Kubeconfig, members: &[Cluster], keep: &[&str], opts: &UnjoinOptions) -> Vec<UnjoinResult> {
    let opts = UnjoinOptions { remote_cleanup: true, ..opts.clone() };
    let contexts = context_infos(kc);
    let mut out = Vec::new();
    for local in members {
        let Ok(links) = local_links(local).await else { continue };
        for name in stale_links(&links, keep) {
            match resolve(&LinkRef::Bare(name.to_string()), &links, &contexts) {
                Ok(resolved) => out.push(unjoin_one(kc, local, &resolved, &opts).await),
                Err(e) => out.push(UnjoinResult {
                    link: LinkReport {
                        local: local.context.clone(),
                        remote: "-".into(),
                        name: name.to_string(),
                        outcome: Outcome::Failed,
                        reason: Some(e.clone()),
                        actions: vec![],
                    },
                    warning: Some(format!("{name}: {e}")),
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unjoin::LinkInfo;

    #[test]
    fn only_links_the_tool_made_to_clusters_not_kept_are_stale() {
        let l = |n: &str, ours: bool| LinkInfo { name: n.into(), created_by_tool: ours, server: None };
        let links = [l("cluster-b", true), l("cluster-c", true), l("hand-made", false)];
        assert_eq!(stale_links(&links, &["cluster-a", "cluster-b"]), ["cluster-c"]);
    }
}

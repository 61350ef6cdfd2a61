//! `kubectl federate join REMOTE... [--context LOCAL]`: give LOCAL read access to each REMOTE.

use std::io::Write;

use libfed::federate::{check_local, federate};

use crate::cli::GlobalFlags;
use crate::cli::join::JoinArgs;
use crate::clusters::{ClusterSpec, check_contexts, load_kubeconfig, local_spec, parse_spec};
use crate::exit::ExitStatus;
use crate::links_view;
use crate::members::members;
use crate::report_error::Hinted;

pub async fn run(args: JoinArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let kc = load_kubeconfig(global)?;
    let local = local_spec(&kc, global)?;
    let remotes: Vec<ClusterSpec> = args.remotes.iter().map(|r| parse_spec(r)).collect::<anyhow::Result<_>>()?;
    if remotes.iter().any(|r| r.context == local.context) {
        return Err(Hinted::usage(
            format!("{} is the local cluster; a cluster is not joined to itself", local.context),
            "name other contexts as REMOTE",
        ));
    }
    let mut specs = vec![local];
    specs.extend(remotes);
    check_contexts(&kc, &specs)?;
    let members = members(&kc, &specs, &args.flags, global, if args.bidirectional { 0 } else { 1 }).await?;
    let (display, sink) = crate::progress::Display::start(global);
    // Before anything is written anywhere: the local cluster must serve the RCC API.
    let local = &members[0].cluster;
    let checked = sink.waiting(&local.context, "checking the RCC API", check_local(local)).await;
    checked.map_err(|e| {
        Hinted::failed(libfed::federate::error_chain(&e), "install Calico Enterprise (or, on a local test cluster, `kubectl apply -f manifests/dev/`) and run join again")
    })?;
    let mut links: Vec<(usize, usize)> = (1..members.len()).map(|r| (0, r)).collect();
    if args.bidirectional {
        links.extend((1..members.len()).map(|r| (r, 0)));
    }
    let mut opts = args.flags.options();
    opts.progress = sink;
    let report = federate(&members, &links, &opts).await;
    display.finish();
    links_view::render(out, global, &report, args.flags.dry_run_name(), args.flags.show_secrets)
}

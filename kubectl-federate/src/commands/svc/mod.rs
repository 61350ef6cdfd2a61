//! `kubectl federate svc create|list|show|delete|sync`: federated Services (spec/federation.md
//! §4), one file per subcommand over `libfed::federated`.

mod create;
mod delete;
mod list;
mod show;
mod sync;

use std::io::Write;

use clap::{Args, Subcommand};
use kube::config::Kubeconfig;
use libfed::calico::selector::ParseError;
use libfed::cluster::Cluster;
use libfed::remotes::ClientTimeouts;

use crate::cli::GlobalFlags;
use crate::clusters::{ClusterSpec, all_contexts, check_contexts, connect, load_kubeconfig, local_spec, parse_spec};
use crate::report_error::Hinted;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate svc create my-app-federated --selector \"run == 'my-app'\" --port http:8080 --all-contexts\n  \
    kubectl federate svc list -A --all-contexts\n  \
    kubectl federate svc show my-app-federated --context cluster-a\n  \
    kubectl federate svc sync --once --all-contexts       # write the Endpoints now\n  \
    kubectl federate svc delete my-app-federated --all-contexts --dry-run")]
pub struct SvcArgs {
    #[command(subcommand)]
    pub command: SvcCommand,
}

#[derive(Debug, Subcommand)]
pub enum SvcCommand {
    /// Create (or update) a federated Service in each named cluster: no spec.selector, the
    /// federation.tigera.io/serviceSelector annotation, the given ports.
    Create(create::CreateArgs),
    /// List the federated Services of each cluster, with endpoint counts and backing Services.
    List(list::ListArgs),
    /// Show a federated Service's computed endpoints beside its Endpoints object, and the drift.
    Show(show::ShowArgs),
    /// Delete a federated Service and the Endpoints and EndpointSlices written for it.
    Delete(delete::DeleteArgs),
    /// Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s):
    /// once, or continuously from watches (the federated-services controller).
    Sync(sync::SyncArgs),
}

pub async fn run(args: SvcArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    match args.command {
        SvcCommand::Create(a) => create::run(a, global, out).await,
        SvcCommand::List(a) => list::run(a, global, out).await,
        SvcCommand::Show(a) => show::run(a, global, out).await,
        SvcCommand::Delete(a) => delete::run(a, global, out).await,
        SvcCommand::Sync(a) => sync::run(a, global, out).await,
    }
}

/// `--contexts a,b` / `--all-contexts`: the clusters a command acts on (default: --context, else
/// the current context).
#[derive(Debug, Clone, Args)]
pub struct Targets {
    /// Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default: --context, else
    /// the current context.
    #[arg(long, value_name = "CONTEXT", value_delimiter = ',', conflicts_with = "all_contexts", add = crate::cli::CompletesContexts)]
    pub contexts: Vec<String>,
    /// Every context of the kubeconfig.
    #[arg(long)]
    pub all_contexts: bool,
}

impl Targets {
    /// The cluster specs, checked against the kubeconfig.
    pub fn specs(&self, kc: &Kubeconfig, global: &GlobalFlags) -> anyhow::Result<Vec<ClusterSpec>> {
        let specs = if self.all_contexts {
            all_contexts(kc)
        } else if !self.contexts.is_empty() {
            self.contexts.iter().map(|c| parse_spec(c)).collect::<anyhow::Result<_>>()?
        } else {
            vec![local_spec(kc, global)?]
        };
        check_contexts(kc, &specs)?;
        Ok(specs)
    }
}

/// The namespace: `-n`, else the context's namespace, else `default` (as kubectl). `-n` was
/// checked by its value parser; the context's namespace is checked here, before it reaches a
/// request path.
///
/// # Errors
/// A usage error naming the context when its namespace is not a DNS-1123 label.
pub fn namespace(kc: &Kubeconfig, context: &str, flag: Option<&str>) -> anyhow::Result<String> {
    if let Some(flag) = flag {
        return Ok(flag.to_owned());
    }
    let from_context = kc
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.namespace.clone());
    match from_context {
        None => Ok("default".to_owned()),
        Some(ns) => match libfed::names::validate_namespace(&ns) {
            Ok(()) => Ok(ns),
            Err(e) => Err(Hinted::usage(
                format!("context {context}: {e}"),
                format!(
                    "fix the context's namespace (kubectl config set-context {context} --namespace=NS) or pass -n; {}",
                    e.hint()
                ),
            )),
        },
    }
}

/// Ends a per-cluster command whose rows have failures: says how many on stderr with a hint for the
/// most common cause, and gives the exit code (1).
pub fn rows_failed(failed: usize, total: usize, reasons: &[&str]) -> u8 {
    let hint = if reasons.iter().any(|r| r.contains("namespaces") && r.contains("not found")) {
        "the namespace does not exist in that cluster: create it (`kubectl --context CLUSTER create namespace NS`) or pass -n"
    } else if reasons.iter().any(|r| r.contains("not found")) {
        "`kubectl federate svc list -A` lists the federated services of each cluster"
    } else {
        "fix the cause named in the REASON column, then re-run the same command"
    };
    eprintln!("error: {failed} of {total} clusters failed");
    eprintln!("hint: {hint}");
    crate::exit::FAILED
}

/// Loads the kubeconfig and connects to every target.
pub async fn connect_targets(targets: &Targets, global: &GlobalFlags) -> anyhow::Result<(Kubeconfig, Vec<Cluster>)> {
    let kc = load_kubeconfig(global)?;
    let mut clusters = Vec::new();
    for spec in targets.specs(&kc, global)? {
        clusters.push(connect(&kc, &spec, global).await?);
    }
    Ok((kc, clusters))
}

/// Client timeouts for one-shot reads of remotes, from `--request-timeout`.
pub fn timeouts(global: &GlobalFlags) -> ClientTimeouts {
    ClientTimeouts::all(Some(global.request_timeout))
}

/// A usage error for an invalid selector, with a caret under the bad token.
pub fn selector_error(flag: &str, e: &ParseError) -> anyhow::Error {
    let caret: Vec<String> = e.caret().lines().map(|l| format!("    {l}")).collect();
    Hinted::usage(
        format!("invalid {flag}: {e}\n{}", caret.join("\n")),
        "Calico selectors look like: run == 'my-app', has(k), k in {'a','b'}, !, &&, || (spec: kubectl federate eval --help)",
    )
}

/// `http:80/TCP`, `:53/UDP` for unnamed ports.
pub fn port_text(name: Option<&str>, port: i32, protocol: Option<&str>) -> String {
    format!("{}:{port}/{}", name.unwrap_or(""), protocol.unwrap_or("TCP"))
}

/// Prints remote problems on stderr (never Secret content: the messages come from libfed).
/// They explain an exit code of 1, so `-q` does not hide them.
pub fn warn_problems(context: &str, problems: &[libfed::federated::sync::RemoteProblem]) {
    for p in problems {
        eprintln!("warning: {context}: remote {} could not be read, its endpoints are left out: {}", p.name, p.message);
    }
}

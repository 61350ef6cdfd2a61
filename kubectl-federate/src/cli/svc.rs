//! The command line of `svc`: its clap types.

use std::time::Duration;

use clap::{Args, Subcommand};

use crate::cli::federation::DryRun;
use crate::cli::parse::{check_bind_address, parse_duration, parse_watch_timeout};
use libfed::federated::DEFAULT_LEASE_NAME;

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
    Create(CreateArgs),
    /// List the federated Services of each cluster, with endpoint counts and backing Services.
    List(ListArgs),
    /// Show a federated Service's computed endpoints beside its Endpoints object, and the drift.
    Show(ShowArgs),
    /// Delete a federated Service and the Endpoints and EndpointSlices written for it.
    Delete(DeleteArgs),
    /// Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s):
    /// once, or continuously from watches (the federated-services controller).
    Sync(SyncArgs),
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

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate svc create my-app-federated --selector \"run == 'my-app'\" --port http:8080 --all-contexts\n  \
    kubectl federate svc create dns --selector \"k8s-app == 'dns'\" --port dns:53/UDP --port dns-tcp:53 -n kube-system\n  \
    kubectl federate svc create web --selector \"app == 'web'\" --port http:80 --dry-run -o yaml")]
pub struct CreateArgs {
    /// The Service name (a DNS-1035 label).
    #[arg(value_parser = crate::cli::parse::parse_service_name)]
    pub name: String,
    /// Calico selector over Services' labels, e.g. 'run == "my-app"' (same namespace only).
    #[arg(long, allow_hyphen_values = true)]
    pub selector: String,
    /// A port: [NAME:]PORT[/PROTO], e.g. http:80, 53/UDP (repeat, or separate with commas).
    #[arg(long = "port", value_name = "[NAME:]PORT[/PROTO]", required = true, value_delimiter = ',')]
    pub ports: Vec<String>,
    /// Namespace (default: the context's, else `default`).
    #[arg(short = 'n', long, value_parser = crate::cli::parse::parse_namespace)]
    pub namespace: Option<String>,
    #[command(flatten)]
    pub targets: Targets,
    /// Print the Service (client) or send it with dryRun=All (server); nothing is changed.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<DryRun>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate svc sync --once --all-contexts          # write every federated Service once\n  \
    kubectl federate svc sync --context cluster-a            # the controller, from watches\n  \
    kubectl federate svc sync --leader-elect --health-probe-bind-address :8081 --metrics-bind-address :8080")]
pub struct SyncArgs {
    /// Sync once and exit (exit 1 if a remote could not be read or a write failed).
    #[arg(long)]
    pub once: bool,
    #[command(flatten)]
    pub targets: Targets,
    /// Elect a leader through a coordination.k8s.io/v1 Lease in the (first) local cluster; only
    /// the leader writes.
    #[arg(long, conflicts_with = "once")]
    pub leader_elect: bool,
    /// Name of the Lease.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_LEASE_NAME, value_parser = crate::cli::parse::parse_object_name)]
    pub lease_name: String,
    /// Namespace of the Lease (default: POD_NAMESPACE, else kube-system).
    #[arg(long, value_name = "NS", value_parser = crate::cli::parse::parse_namespace)]
    pub lease_namespace: Option<String>,
    /// How long a leader's lease lasts without renewal.
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = parse_duration)]
    pub lease_duration: Duration,
    /// How long a leader keeps writing without a successful renewal (less than --lease-duration).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub renew_deadline: Duration,
    /// How often the lease is renewed or tried.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub retry_period: Duration,
    /// This replica's identity in the Lease (default: POD_NAME or the host name, and the pid).
    #[arg(long, value_name = "ID")]
    pub identity: Option<String>,
    /// Check every federated Service against the cluster this often, whatever changed.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub resync: Duration,
    /// Re-read the RemoteClusterConfigurations and their Secrets this often.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub remotes_refresh: Duration,
    /// How long a remote whose watches fail keeps its endpoints before they are withdrawn (as
    /// Calico Enterprise: 60s); they are restored when it answers again.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration, conflicts_with = "once")]
    pub remote_grace_period: Duration,
    /// Server-side timeout of each watch call: a hung or silently gone API server is noticed
    /// after this plus 5s (then the grace period starts).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_watch_timeout, conflicts_with = "once")]
    pub watch_timeout: u32,
    /// Serve /healthz and /readyz on this address (HOST:PORT, :PORT; 0: off).
    #[arg(long, value_name = "ADDR", default_value = "0", value_parser = check_bind_address, conflicts_with = "once")]
    pub health_probe_bind_address: String,
    /// Serve Prometheus metrics on /metrics at this address (HOST:PORT, :PORT; 0: off).
    #[arg(long, value_name = "ADDR", default_value = "0", value_parser = check_bind_address, conflicts_with = "once")]
    pub metrics_bind_address: String,
    /// Publish Kubernetes Events on federated Services (endpoints changing materially, a remote
    /// failing); needs `create` and `patch` on events.k8s.io events.
    #[arg(long, conflicts_with = "once")]
    pub events: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate svc list                    # the current context's namespace\n  \
    kubectl federate svc list -A --all-contexts  # every namespace of every cluster\n  \
    kubectl federate svc list -o wide            # computed endpoints and drift too")]
pub struct ListArgs {
    /// Namespace (default: the context's, else `default`).
    #[arg(short = 'n', long, conflicts_with = "all_namespaces", value_parser = crate::cli::parse::parse_namespace)]
    pub namespace: Option<String>,
    /// Every namespace.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    #[command(flatten)]
    pub targets: Targets,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate svc delete my-app-federated --all-contexts\n  \
    kubectl federate svc delete my-app-federated --context cluster-a --dry-run=server")]
pub struct DeleteArgs {
    /// The federated Service.
    #[arg(value_parser = crate::cli::parse::parse_service_name)]
    pub name: String,
    /// Namespace (default: the context's, else `default`).
    #[arg(short = 'n', long, value_parser = crate::cli::parse::parse_namespace)]
    pub namespace: Option<String>,
    /// A cluster without the Service is not an error.
    #[arg(long)]
    pub ignore_not_found: bool,
    #[command(flatten)]
    pub targets: Targets,
    /// Check what would be deleted (client) or send the delete with dryRun=All (server); nothing
    /// is changed.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<DryRun>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate svc show my-app-federated --context cluster-a\n  \
    kubectl federate svc show my-app-federated -n shop -o json")]
pub struct ShowArgs {
    /// The federated Service.
    #[arg(value_parser = crate::cli::parse::parse_service_name)]
    pub name: String,
    /// Namespace (default: the context's, else `default`).
    #[arg(short = 'n', long, value_parser = crate::cli::parse::parse_namespace)]
    pub namespace: Option<String>,
}

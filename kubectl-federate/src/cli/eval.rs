//! The command line of `eval`: its clap types.

use clap::Args;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate eval 'all()' --context cluster-a\n  \
    kubectl federate eval \"app == 'web' && projectcalico.org/namespace == 'shop'\"\n  \
    kubectl federate eval \"pcns.team == 'payments'\" -o json   # calicoq's JSON")]
pub struct EvalArgs {
    /// A Calico selector, e.g. 'all()' or "app == 'web' && has(projectcalico.org/namespace)".
    #[arg(value_name = "SELECTOR", allow_hyphen_values = true)]
    pub selector: String,
}

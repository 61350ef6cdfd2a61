//! The command line of `completion`: its clap types.

use std::ffi::OsString;

use clap::{Args, ValueEnum};

/// Arguments of `completion`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl-federate completion bash > /etc/bash_completion.d/kubectl-federate\n  \
    kubectl-federate completion zsh > \"${fpath[1]}/_kubectl-federate\"\n  \
    kubectl-federate completion fish > ~/.config/fish/completions/kubectl-federate.fish\n\n\
    These complete the command `kubectl-federate`. For `kubectl federate <TAB>` (kubectl >= 1.26), put\n\
    completions/kubectl_complete-federate on PATH next to kubectl-federate.")]
pub struct CompletionArgs {
    /// The shell to print a completion script for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells `completion` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

/// Arguments of the hidden `__complete`: the words after `federate` on kubectl's command line, the
/// last one being the (possibly empty) word under the cursor.
#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// The words after `kubectl federate`, last one partial.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub words: Vec<OsString>,
}

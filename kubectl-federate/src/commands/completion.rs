//! `kubectl federate completion bash|zsh|fish`, and the hidden `__complete` that kubectl (≥ 1.26)
//! runs through `kubectl_complete-federate` when a user presses TAB after `kubectl federate`.
//!
//! The shell scripts are generated for the binary name `kubectl-federate`, not for clap's bin_name
//! `kubectl federate`: a shell completes a command word, and a name with a space is not one (the
//! generated functions would not even parse). Users of `kubectl federate` get completion from
//! kubectl itself, which asks `kubectl_complete-federate` → `kubectl-federate __complete`.

use std::io::Write;

use clap::{ArgAction, CommandFactory};
use clap_complete::Shell;

use crate::cli::completion::{CompleteArgs, CompletionArgs, CompletionShell};
use crate::cli::{Cli, CompletesContexts, GlobalFlags};
use crate::exit::ExitStatus;

/// The binary name the shell scripts complete.
pub const BIN_NAME: &str = "kubectl-federate";

/// Cobra's `ShellCompDirectiveNoFileComp`: complete only the candidates given, never file names.
const NO_FILE_COMP: u8 = 4;
/// Cobra's `ShellCompDirectiveDefault`: the shell may fall back to file names.
const DEFAULT: u8 = 0;

impl From<CompletionShell> for Shell {
    fn from(s: CompletionShell) -> Self {
        match s {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
        }
    }
}

/// Prints the completion script for `args.shell`.
pub fn run(args: &CompletionArgs, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    out.write_all(script(args.shell).as_bytes())?;
    out.flush()?;
    Ok(ExitStatus::Ok)
}

/// The completion script for `shell`, for the command `kubectl-federate`.
fn script(shell: CompletionShell) -> String {
    let mut buf = Vec::new();
    if shell == CompletionShell::Bash {
        // clap_complete's bash generator turns a `-` in the bin name into `__` in one place and
        // into `__subcmd__` in another, so no subcommand of `kubectl-federate` would ever
        // complete. Generate for a name without `-` and bind the function to the real name.
        clap_complete::generate(Shell::Bash, &mut script_command(), BASH_FN_NAME, &mut buf);
        let text = String::from_utf8_lossy(&buf);
        return text
            .lines()
            .map(|l| match l.strip_suffix(&format!(" {BASH_FN_NAME}")) {
                Some(head) if l.trim_start().starts_with("complete ") => format!("{head} {BIN_NAME}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
    }
    clap_complete::generate(Shell::from(shell), &mut script_command(), BIN_NAME, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The name the bash script's functions are derived from (see [`script`]).
const BASH_FN_NAME: &str = "kubectl_federate";

/// The command tree the scripts describe: the real one without hidden subcommands, which
/// clap_complete would otherwise offer (`__complete` is for kubectl, not for people).
fn script_command() -> clap::Command {
    let cli = Cli::command();
    let mut cmd = clap::Command::new(BIN_NAME)
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .about(cli.get_about().cloned().unwrap_or_default());
    for arg in cli.get_arguments() {
        cmd = cmd.arg(arg.clone());
    }
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        cmd = cmd.subcommand(sub.clone());
    }
    cmd
}

/// Prints Cobra-format candidates for the word under the cursor, then the directive line.
///
/// `kubectl_complete-federate` passes the words after a `--`, so that clap takes none of them
/// as a global flag (`-o ""` would be a usage error before this code runs). Without that `--` a
/// word like `--context` right after `__complete` has already been taken as the global flag, so
/// the words are read again from the process arguments, after `__complete` (and its `--`).
pub fn run_complete(args: &CompleteArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let mut raw: Vec<String> = std::env::args_os()
        .skip_while(|a| a != "__complete")
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if raw.first().is_some_and(|w| w == "--") {
        raw.remove(0);
    }
    let words =
        if raw.is_empty() { args.words.iter().map(|a| a.to_string_lossy().into_owned()).collect() } else { raw };
    // A `--kubeconfig` among the words wins; else the one given before `__complete`.
    let before = global.kubeconfig.as_ref().map(|p| p.to_string_lossy().into_owned());
    let (candidates, directive) = complete(&words, &|path| load_contexts(path.or(before.as_deref())));
    for c in candidates {
        writeln!(out, "{c}")?;
    }
    writeln!(out, ":{directive}")?;
    out.flush()?;
    Ok(ExitStatus::Ok)
}

/// The context names of the kubeconfig kubectl would use (`--kubeconfig` if given).
/// A kubeconfig that cannot be read completes to nothing: completion must never print an error.
fn load_contexts(kubeconfig: Option<&str>) -> Vec<String> {
    libfed::kubeconfig::load(kubeconfig.map(std::path::Path::new))
        .map(|kc| kc.contexts.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

/// What an argument's values are, for completion.
enum Values {
    /// Kubeconfig context names.
    Contexts,
    /// A fixed set (a value enum).
    Fixed(Vec<(String, String)>),
    /// A path: let the shell complete files.
    File,
    /// Anything else: nothing to offer.
    Free,
}

/// What completes an argument's values, from its types only: the [`CompletesContexts`] mark, a
/// value enum's variants, a `PathBuf` parser. Never from a name, so a rename cannot break it.
fn values_of(arg: &clap::Arg) -> Values {
    if arg.get::<CompletesContexts>().is_some() {
        return Values::Contexts;
    }
    let fixed: Vec<(String, String)> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| (v.get_name().to_owned(), v.get_help().map(|h| h.to_string()).unwrap_or_default()))
        .collect();
    if !fixed.is_empty() {
        return Values::Fixed(fixed);
    }
    if arg.get_value_parser().type_id() == std::any::TypeId::of::<std::path::PathBuf>() {
        return Values::File;
    }
    Values::Free
}

fn takes_value(arg: &clap::Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

/// Whether `--flag VALUE` (a separate word) is how this flag takes its value.
fn takes_separate_value(arg: &clap::Arg) -> bool {
    takes_value(arg) && !arg.is_require_equals_set() && arg.get_num_args().is_none_or(|n| n.min_values() > 0)
}

/// One candidate line: the word, and its description after a tab when there is one.
fn line(word: &str, help: &str) -> String {
    let help = help.lines().next().unwrap_or("").trim();
    if help.is_empty() { word.to_owned() } else { format!("{word}\t{help}") }
}

/// Candidates for the last of `words` (the words after `federate`) and the Cobra directive.
/// `contexts` lists the kubeconfig's contexts, given the `--kubeconfig` value on the line.
fn complete(words: &[String], contexts: &dyn Fn(Option<&str>) -> Vec<String>) -> (Vec<String>, u8) {
    complete_in(Cli::command(), words, contexts)
}

/// [`complete`] over the command tree `root`.
fn complete_in(
    mut root: clap::Command,
    words: &[String],
    contexts: &dyn Fn(Option<&str>) -> Vec<String>,
) -> (Vec<String>, u8) {
    root.build();
    let (cur, done) = match words.split_last() {
        Some((cur, done)) => (cur.as_str(), done),
        None => ("", &[][..]),
    };

    // Walk the finished words: descend into subcommands, note the flag awaiting a value, count
    // positionals, and remember --kubeconfig.
    let mut cmd = &root;
    let mut pending: Option<clap::Arg> = None;
    let mut positionals = 0usize;
    let mut kubeconfig: Option<String> = None;
    let mut after_dashdash = false;
    for word in done {
        if let Some(arg) = pending.take() {
            if arg.get_long() == Some("kubeconfig") {
                kubeconfig = Some(word.clone());
            }
            continue;
        }
        if !after_dashdash && word == "--" {
            after_dashdash = true;
        } else if !after_dashdash && word.starts_with("--") {
            let (name, value) = match word[2..].split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (&word[2..], None),
            };
            let arg = cmd.get_arguments().find(|a| a.get_long() == Some(name));
            if let Some(arg) = arg {
                match value {
                    Some(v) if arg.get_long() == Some("kubeconfig") => kubeconfig = Some(v.to_owned()),
                    None if takes_separate_value(arg) => pending = Some(arg.clone()),
                    _ => {}
                }
            }
        } else if !after_dashdash && word.starts_with('-') && word.len() > 1 {
            // A cluster of short flags: the last one may take the next word as its value.
            let shorts: Vec<char> = word[1..].chars().collect();
            for (i, c) in shorts.iter().enumerate() {
                if let Some(arg) = cmd.get_arguments().find(|a| a.get_short() == Some(*c) && takes_value(a)) {
                    if i + 1 == shorts.len() && takes_separate_value(arg) {
                        pending = Some(arg.clone());
                    }
                    break;
                }
            }
        } else if let Some(sub) =
            (positionals == 0).then(|| cmd.find_subcommand(word)).flatten().filter(|_| cmd.has_subcommands())
        {
            cmd = sub;
        } else {
            positionals += 1;
        }
    }

    let contexts_with_prefix = |prefix: &str, partial: &str| -> Vec<String> {
        contexts(kubeconfig.as_deref())
            .into_iter()
            .filter(|c| c.starts_with(partial))
            .map(|c| format!("{prefix}{c}"))
            .collect()
    };
    // Values are lists (`a,b`) and remotes may be named (`NAME=CONTEXT`): complete the last item.
    let split_item = |word: &str| -> (String, String) {
        let (head, item) = match word.rfind(',') {
            Some(i) => (&word[..=i], &word[i + 1..]),
            None => ("", word),
        };
        match item.split_once('=') {
            Some((name, ctx)) => (format!("{head}{name}="), ctx.to_owned()),
            None => (head.to_owned(), item.to_owned()),
        }
    };
    let value_candidates = |arg: &clap::Arg, prefix: &str, word: &str| -> (Vec<String>, u8) {
        match values_of(arg) {
            Values::Contexts => {
                let (head, partial) = split_item(word);
                (contexts_with_prefix(&format!("{prefix}{head}"), &partial), NO_FILE_COMP)
            }
            Values::Fixed(values) => (
                values
                    .iter()
                    .filter(|(v, _)| v.starts_with(word))
                    .map(|(v, h)| line(&format!("{prefix}{v}"), h))
                    .collect(),
                NO_FILE_COMP,
            ),
            Values::File => (Vec::new(), DEFAULT),
            Values::Free => (Vec::new(), NO_FILE_COMP),
        }
    };

    if let Some(arg) = pending {
        return value_candidates(&arg, "", cur);
    }
    if !after_dashdash && cur.starts_with('-') {
        if let Some((name, value)) = cur.strip_prefix("--").and_then(|c| c.split_once('=')) {
            return match cmd.get_arguments().find(|a| a.get_long() == Some(name)) {
                Some(arg) if takes_value(arg) => value_candidates(arg, &format!("--{name}="), value),
                _ => (Vec::new(), NO_FILE_COMP),
            };
        }
        let mut flags: Vec<String> = cmd
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_positional())
            .filter_map(|a| {
                let long = a.get_long()?;
                let word = format!("--{long}");
                word.starts_with(cur).then(|| line(&word, &a.get_help().map(|h| h.to_string()).unwrap_or_default()))
            })
            .collect();
        flags.sort();
        return (flags, NO_FILE_COMP);
    }

    let mut out = Vec::new();
    if positionals == 0 && cmd.has_subcommands() {
        out.extend(
            cmd.get_subcommands()
                .filter(|s| !s.is_hide_set() && s.get_name().starts_with(cur))
                .map(|s| line(s.get_name(), &s.get_about().map(|h| h.to_string()).unwrap_or_default())),
        );
    }
    // The positional this word fills: the one at its index, or a trailing list that takes many.
    let positional = cmd
        .get_positionals()
        .filter(|a| !a.is_hide_set())
        .enumerate()
        .find(|(i, a)| *i == positionals || (*i < positionals && a.get_num_args().is_some_and(|n| n.max_values() > 1)))
        .map(|(_, a)| a.clone());
    if let Some(arg) = positional.filter(|a| matches!(values_of(a), Values::Contexts | Values::Fixed(_))) {
        let (more, _) = value_candidates(&arg, "", cur);
        out.extend(more);
    }
    (out, NO_FILE_COMP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        let mut w: Vec<String> = line.split(' ').map(str::to_owned).collect();
        if line.is_empty() {
            w = vec![String::new()];
        }
        w
    }

    fn names(line: &str) -> (Vec<String>, u8) {
        let ctx = |_: Option<&str>| vec!["cluster-a".to_owned(), "cluster-b".to_owned(), "prod".to_owned()];
        let (c, d) = complete(&words(line), &ctx);
        (c.into_iter().map(|l| l.split('\t').next().unwrap_or_default().to_owned()).collect(), d)
    }

    #[test]
    fn completes_subcommands_and_hides_internal_ones() {
        let (c, d) = names("");
        for want in ["join", "unjoin", "mesh", "status", "eval", "svc", "completion", "version"] {
            assert!(c.contains(&want.to_owned()), "{want} missing from {c:?}");
        }
        assert!(!c.iter().any(|s| s.starts_with("__")), "{c:?}");
        assert_eq!(d, NO_FILE_COMP);
        assert_eq!(names("st").0, vec!["status"]);
    }

    #[test]
    fn completes_long_flags_of_the_subcommand_including_global_ones() {
        let (c, _) = names("mesh --");
        assert!(c.contains(&"--context".to_owned()) && c.contains(&"--parallel".to_owned()), "{c:?}");
        assert_eq!(names("mesh --cont").0, vec!["--context"]);
    }

    #[test]
    fn completes_contexts_for_flags_positionals_lists_and_named_remotes() {
        let all = vec!["cluster-a", "cluster-b", "prod"];
        assert_eq!(names("status --context ").0, all);
        assert_eq!(names("--context c").0, vec!["cluster-a", "cluster-b"]);
        assert_eq!(names("status --context=p").0, vec!["--context=prod"]);
        assert_eq!(names("mesh cluster-a ").0, all);
        assert_eq!(names("join b=cluster-").0, vec!["b=cluster-a", "b=cluster-b"]);
        assert_eq!(names("status cluster-a,p").0, vec!["cluster-a,prod"]);
        // -o takes its value as the next word: it must not be read as a positional.
        assert_eq!(names("status -o ").0, vec!["table", "wide", "json", "yaml", "dot"]);
        assert_eq!(names("eval ").0, Vec::<String>::new());
    }

    #[test]
    fn kubeconfig_on_the_line_is_the_one_read() {
        let seen = std::cell::RefCell::new(None);
        let ctx = |p: Option<&str>| {
            *seen.borrow_mut() = p.map(str::to_owned);
            Vec::new()
        };
        complete(&words("status --kubeconfig /tmp/kc --context "), &ctx);
        assert_eq!(seen.borrow().as_deref(), Some("/tmp/kc"));
    }

    #[test]
    fn scripts_describe_every_visible_subcommand_and_no_hidden_one() {
        let cmd = script_command();
        let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
        let visible = Cli::command().get_subcommands().filter(|s| !s.is_hide_set()).count();
        assert_eq!(names.len(), visible, "{names:?}");
        assert!(!names.contains(&"__complete") && names.contains(&"mesh"), "{names:?}");
        assert!(cmd.get_arguments().any(|a| a.get_long() == Some("kubeconfig")));
    }

    #[test]
    fn completes_enum_values_after_equals() {
        assert_eq!(names("join --dry-run=s").0, vec!["--dry-run=server"]);
        assert_eq!(names("completion ").0, vec!["bash", "zsh", "fish"]);
    }

    /// Every argument of the tree, with the path of subcommands that holds it.
    fn all_args(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Arg)>) {
        for a in cmd.get_arguments() {
            out.push((path.to_owned(), a.clone()));
        }
        for sub in cmd.get_subcommands() {
            all_args(sub, format!("{path} {}", sub.get_name()).trim(), out);
        }
    }

    /// The regression this guards: completion once keyed on value names (`CONTEXT`, `REMOTE`,
    /// `FILE`), so renaming one silently stopped completion. Every argument whose help says it
    /// takes contexts (CONTEXT, or "kubeconfig context") must carry the typed mark, and every
    /// argument that takes a path must be parsed into a `PathBuf`.
    #[test]
    fn every_argument_taking_contexts_or_paths_says_so_by_type() {
        let mut root = Cli::command();
        root.build();
        let mut args = Vec::new();
        all_args(&root, "", &mut args);
        let mut missing = Vec::new();
        for (path, a) in &args {
            if !takes_value(a) || a.is_hide_set() {
                continue;
            }
            let help = format!(
                "{} {}",
                a.get_help().map(|h| h.to_string()).unwrap_or_default(),
                a.get_long_help().map(|h| h.to_string()).unwrap_or_default()
            );
            let wants_contexts = help.contains("CONTEXT") || help.to_lowercase().contains("kubeconfig context");
            let wants_path = help.to_lowercase().contains("path to") || help.contains("(`-` for stdin)");
            let id = a.get_id().as_str();
            match values_of(a) {
                Values::Contexts if wants_contexts => {}
                Values::File if wants_path => {}
                _ if wants_contexts => missing.push(format!("{path} {id}: contexts, without CompletesContexts")),
                _ if wants_path => missing.push(format!("{path} {id}: a path, not parsed into a PathBuf")),
                _ => {}
            }
        }
        assert!(missing.is_empty(), "arguments that would not complete: {missing:#?}");
        // The check finds the arguments it is about (it cannot pass on an empty tree).
        let marked = args.iter().filter(|(_, a)| a.get::<CompletesContexts>().is_some()).count();
        assert!(marked >= 7, "{marked} arguments complete contexts");
    }

    #[test]
    fn renaming_a_value_or_an_argument_keeps_completion() {
        let ctx = |_: Option<&str>| vec!["cluster-a".to_owned(), "prod".to_owned()];
        let renamed = Cli::command()
            .mut_subcommand("join", |s| s.mut_arg("remotes", |a| a.value_name("PEER").id("peers")))
            .mut_arg("context", |a| a.value_name("CTX"));
        let (c, _) = complete_in(renamed.clone(), &words("join "), &ctx);
        assert_eq!(c, vec!["cluster-a", "prod"]);
        let (c, _) = complete_in(renamed, &words("status --context p"), &ctx);
        assert_eq!(c, vec!["prod"]);
        // Neither a flag named `context` nor a value named CONTEXT completes anything without
        // the mark: the mark is what counts.
        let unmarked = clap::Arg::new("context").long("context").value_name("CONTEXT");
        assert!(matches!(values_of(&unmarked), Values::Free));
    }

    #[test]
    fn paths_let_the_shell_complete_files() {
        assert_eq!(names("status --kubeconfig ").1, DEFAULT);
        assert_eq!(names("mesh -f ").1, DEFAULT);
        assert_eq!(names("aws-auth apply --filename ").1, DEFAULT);
        assert_eq!(names("eval --context ").1, NO_FILE_COMP);
    }
}

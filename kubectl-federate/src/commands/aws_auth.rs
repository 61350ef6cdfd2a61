//! `kubectl federate aws-auth`: show and edit `kube-system/aws-auth` without losing entries, or
//! make the same mappings as EKS access entries (`--access-entries`).

use std::io::Write;

use libfed::ErrorKind;
use libfed::aws::access_entry_edits::{apply_plans, plan_edits};
use libfed::aws::aws_auth::{
    ACCOUNT_PLACEHOLDER, AwsAuthError, Edit, MapRole, MapUser, NODE_GROUPS, NODE_USERNAME, edits_from_manifest,
};
use libfed::aws::eks::AccessEntryPlan;
use serde::Serialize;

use super::federation_flags::{dry_run_name, execution};
use crate::aws_setup::{eks_hint, load_aws_config, with_hint};
use crate::cli::GlobalFlags;
use crate::cli::aws_auth::{AwsAuthArgs, AwsAuthCommand, WriteFlags};
use crate::clusters::{connect, load_kubeconfig, local_spec};
use crate::exit::ExitStatus;
use crate::output;
use crate::report_error::Hinted;

/// The kubeconfig and the chosen context (`--context`, else the current one).
struct Target {
    context: String,
    kubeconfig: kube::config::Kubeconfig,
}

fn load_target(global: &GlobalFlags) -> anyhow::Result<Target> {
    let kubeconfig = load_kubeconfig(global)?;
    let context = local_spec(&kubeconfig, global)?.context;
    Ok(Target { context, kubeconfig })
}

/// A client for the target's context, built as for every other command.
async fn client(target: &Target, global: &GlobalFlags) -> anyhow::Result<kube::Client> {
    let spec = local_spec(&target.kubeconfig, global)?;
    Ok(connect(&target.kubeconfig, &spec, global).await?.client)
}

/// The value after one of `flags` in the exec arguments of the context's user, which is how
/// `aws eks get-token --cluster-name X`, `aws-iam-authenticator token -i X` and
/// `kubectl-federate eks token --cluster X` name the cluster and region.
fn exec_arg(target: &Target, flags: &[&str]) -> Option<String> {
    let context = target.kubeconfig.contexts.iter().find(|c| c.name == target.context)?.context.as_ref()?;
    let user = context.user.as_ref()?;
    let auth = target.kubeconfig.auth_infos.iter().find(|a| &a.name == user)?.auth_info.as_ref()?;
    let args = auth.exec.as_ref()?.args.as_ref()?;
    args.windows(2).find(|w| flags.contains(&w[0].as_str())).map(|w| w[1].clone())
}

/// Runs an `aws-auth` subcommand.
pub async fn run(args: AwsAuthArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let target = load_target(global)?;
    let (edits, write, node) = match args.command {
        AwsAuthCommand::Show => return show(&target, global, out).await,
        AwsAuthCommand::AddRole { arn, mapping, write } => {
            let Some(username) = mapping.username else {
                return Err(Hinted::usage(
                    "add-role needs --username",
                    "e.g. --username 'admin:{{SessionName}}' --group system:masters (add-node-role sets the node mapping)",
                ));
            };
            let role = MapRole::new(arn, Some(username), mapping.groups);
            (vec![Edit::AddRole { role, replace: mapping.replace }], write, false)
        }
        AwsAuthCommand::AddNodeRole { arn, mapping, write } => {
            let groups = if mapping.groups.is_empty() {
                NODE_GROUPS.iter().map(|g| (*g).to_string()).collect()
            } else {
                mapping.groups
            };
            let username = mapping.username.unwrap_or_else(|| NODE_USERNAME.to_string());
            let role = MapRole::new(arn, Some(username), groups);
            (vec![Edit::AddRole { role, replace: mapping.replace }], write, true)
        }
        AwsAuthCommand::AddUser { arn, mapping, write } => {
            let username = mapping.username.or_else(|| arn.rsplit('/').next().map(str::to_string));
            let user = MapUser::new(arn, username, mapping.groups);
            (vec![Edit::AddUser { user, replace: mapping.replace }], write, false)
        }
        AwsAuthCommand::Remove { arn, write } => (vec![Edit::Remove(arn)], write, false),
        AwsAuthCommand::Apply { file, replace, write } => {
            let edits = manifest_edits(&file, replace, &write).await?;
            (edits, write, false)
        }
    };
    if write.access_entries {
        return access_entries(&target, &edits, &write, node, global, out).await;
    }
    edit_config_map(&target, &edits, &write, global, out).await
}

async fn manifest_edits(file: &std::path::Path, replace: bool, write: &WriteFlags) -> anyhow::Result<Vec<Edit>> {
    use libfed::input::{MAX_INPUT_BYTES, read_limited_from, read_text};
    let limit_hint = "aws-auth manifests are far below the 1 MiB limit; pass the ConfigMap manifest";
    let text = if file.as_os_str() == "-" {
        let bytes = read_limited_from(std::io::stdin().lock(), std::path::Path::new("stdin"), MAX_INPUT_BYTES)
            .map_err(|e| Hinted::usage(e.to_string(), limit_hint))?;
        String::from_utf8(bytes).map_err(|_| Hinted::usage("stdin is not UTF-8 text", limit_hint))?
    } else {
        read_text(file, MAX_INPUT_BYTES).map_err(|e| Hinted::usage(e.to_string(), limit_hint))?
    };
    let manifest_error = |e: AwsAuthError| {
        with_hint(
            e,
            usage_hint(
                format!("{} is not an aws-auth manifest this command can merge", file.display()),
                "it must be a ConfigMap kube-system/aws-auth whose data holds mapRoles, mapUsers or mapAccounts",
            ),
        )
    };
    match edits_from_manifest(&text, None, replace) {
        Ok(edits) => Ok(edits),
        // The placeholder is only resolved when the manifest uses it, so manifests without it
        // need no AWS credentials.
        Err(AwsAuthError::Manifest(m)) if m.contains(ACCOUNT_PLACEHOLDER) => {
            let config = load_aws_config(write.region.as_deref(), &write.aws).await;
            let caller = libfed::aws::sts::caller_identity(&config).await.map_err(|e| {
                with_hint(e, failed_hint(
                    format!("cannot fill in {ACCOUNT_PLACEHOLDER}: STS GetCallerIdentity failed"),
                    "check the AWS credentials (`aws sts get-caller-identity`), or replace ACCOUNTID in the file yourself",
                ))
            })?;
            tracing::info!(account = %caller.account, "filled in {ACCOUNT_PLACEHOLDER} from STS GetCallerIdentity");
            edits_from_manifest(&text, Some(&caller.account), replace).map_err(manifest_error)
        }
        Err(e) => Err(manifest_error(e)),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ShowReport {
    context: String,
    exists: bool,
    map_roles: Vec<MapRole>,
    map_users: Vec<MapUser>,
    map_accounts: Vec<String>,
}

async fn show(target: &Target, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let client = client(target, global).await?;
    let auth =
        libfed::aws::read_aws_auth(client, &target.context).await.map_err(|e| hinted_libfed(e, &target.context))?;
    let report = ShowReport {
        context: target.context.clone(),
        exists: auth.is_some(),
        map_roles: auth.as_ref().map(|a| a.roles()).unwrap_or_default(),
        map_users: auth.as_ref().map(|a| a.users()).unwrap_or_default(),
        map_accounts: auth.as_ref().map(|a| a.accounts()).unwrap_or_default(),
    };
    if output::write_document(out, global.output, "AwsAuthMappings", &report)? {
        return Ok(ExitStatus::Ok);
    }
    if !report.exists && !global.quiet {
        eprintln!("cluster {} has no configmap kube-system/aws-auth", target.context);
    }
    let mut rows = Vec::new();
    let username = |u: &Option<String>| u.clone().unwrap_or_default();
    for r in &report.map_roles {
        rows.push(vec!["role".into(), r.rolearn.clone(), username(&r.username), r.groups.join(",")]);
    }
    for u in &report.map_users {
        rows.push(vec!["user".into(), u.userarn.clone(), username(&u.username), u.groups.join(",")]);
    }
    for a in &report.map_accounts {
        rows.push(vec!["account".into(), a.clone(), String::new(), String::new()]);
    }
    if !rows.is_empty() {
        out.write_all(output::table(&["kind", "arn", "username", "groups"], rows).as_bytes())?;
    }
    Ok(ExitStatus::Ok)
}

/// Attaches the hint that fixes a libfed error of this command.
fn hinted_libfed(e: libfed::Error, context: &str) -> anyhow::Error {
    let (message, hint, code) = match &e {
        libfed::Error::AwsAuth { source, .. } => match source.as_ref() {
            AwsAuthError::Parse { key, .. } | AwsAuthError::Entry { key, .. } => (
                "aws-auth left unchanged: its content does not parse".to_string(),
                format!(
                    "fix data.{key} by hand (`kubectl --context {context} -n kube-system edit configmap aws-auth`); nothing was written"
                ),
                ExitStatus::Failed,
            ),
            AwsAuthError::Conflict { .. } => (
                "aws-auth left unchanged".to_string(),
                "pass --replace to overwrite the existing mapping".to_string(),
                ExitStatus::Failed,
            ),
            AwsAuthError::WouldLoseAccess { losses } => (
                "aws-auth left unchanged: the edit would lock identities out of the cluster".to_string(),
                format!(
                    "check the ARN; if {} should really lose access, repeat the command with --force",
                    losses.iter().map(|l| l.arn.as_str()).collect::<Vec<_>>().join(", ")
                ),
                ExitStatus::Failed,
            ),
            AwsAuthError::Invalid { .. } => (
                "aws-auth left unchanged".to_string(),
                "give the ARN as IAM reports it for the role or user itself".to_string(),
                ExitStatus::Usage,
            ),
            _ => ("aws-auth left unchanged".to_string(), "nothing was written".to_string(), ExitStatus::Failed),
        },
        libfed::Error::Api { .. } => return anyhow::Error::new(e),
        _ => return anyhow::Error::new(e),
    };
    with_hint(e, Hinted { message, hint, code })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct EditReport {
    context: String,
    object: &'static str,
    /// Whether this was a dry run (a boolean since v1alpha1's first release: kept as it was).
    dry_run: bool,
    /// `client` or `server` in a dry run, as the other commands' `dryRun` says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    dry_run_mode: Option<&'static str>,
    #[serde(flatten)]
    update: libfed::aws::AwsAuthUpdate,
}

async fn edit_config_map(
    target: &Target,
    edits: &[Edit],
    write: &WriteFlags,
    global: &GlobalFlags,
    out: &mut impl Write,
) -> anyhow::Result<ExitStatus> {
    if write.cluster.is_some() || !write.access_policies.is_empty() {
        return Err(Hinted::usage("--cluster and --access-policy go with --access-entries", "add --access-entries"));
    }
    let client = client(target, global).await?;
    let exec = execution(write.dry_run);
    let dry = dry_run_name(exec);
    let update = libfed::aws::update_aws_auth(client, &target.context, edits, exec, write.force)
        .await
        .map_err(|e| hinted_libfed(e, &target.context))?;
    let report = EditReport {
        context: target.context.clone(),
        object: libfed::aws::aws_auth_configmap::OBJECT,
        dry_run: dry.is_some(),
        dry_run_mode: dry,
        update,
    };
    if output::write_document(out, global.output, "AwsAuthChange", &report)? {
        return Ok(ExitStatus::Ok);
    }
    let update = &report.update;
    if dry.is_some() {
        // The diff is the data of a dry run.
        out.write_all(update.diff.as_bytes())?;
    }
    if !global.quiet {
        for change in &update.changes {
            eprintln!("{change}");
        }
    }
    let any_change = !update.diff.is_empty();
    let verb = match (any_change, update.create) {
        (false, _) => "unchanged",
        (true, true) => "created",
        (true, false) => "configured",
    };
    let suffix = dry.filter(|_| any_change).map(crate::links_view::dry_run_suffix).unwrap_or_default();
    if dry.is_none() {
        writeln!(out, "configmap/aws-auth {verb}")?;
    } else if !global.quiet {
        eprintln!("configmap/aws-auth {verb}{suffix}");
    }
    Ok(ExitStatus::Ok)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AccessEntriesReport {
    cluster: String,
    authentication_mode: String,
    /// Whether this was a dry run (a boolean since v1alpha1's first release: kept as it was).
    dry_run: bool,
    /// `client` or `server` in a dry run, as the other commands' `dryRun` says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    dry_run_mode: Option<&'static str>,
    plans: Vec<AccessEntryPlan>,
}

async fn access_entries(
    target: &Target,
    edits: &[Edit],
    write: &WriteFlags,
    node: bool,
    global: &GlobalFlags,
    out: &mut impl Write,
) -> anyhow::Result<ExitStatus> {
    let Some(cluster_name) =
        write.cluster.clone().or_else(|| exec_arg(target, &["--cluster-name", "--cluster", "-i", "--cluster-id"]))
    else {
        return Err(Hinted::usage(
            format!("--access-entries needs the EKS cluster name, and context {} does not say it", target.context),
            "pass --cluster NAME",
        ));
    };
    let region = write.region.clone().or_else(|| exec_arg(target, &["--region"]));
    let config = load_aws_config(region.as_deref(), &write.aws).await;
    let cluster = libfed::aws::describe_cluster(&config, &cluster_name).await.map_err(|e| {
        with_hint(e, failed_hint(format!("cannot describe EKS cluster {cluster_name}"), eks_hint(&cluster_name)))
    })?;
    if let Err(e) = libfed::aws::eks::ensure_access_entries_allowed(&cluster) {
        return Err(with_hint(
            e,
            failed_hint(
                format!("EKS cluster {cluster_name} does not use access entries"),
                format!(
                    "run `{}` (one way: it cannot be switched back), or drop --access-entries to edit aws-auth",
                    libfed::aws::eks::enable_access_entries_command(&cluster_name)
                ),
            ),
        ));
    }
    let plans = plan_edits(&config, &cluster, edits, node, &write.access_policies).await.map_err(|e| {
        let hint = match e.kind() {
            ErrorKind::InvalidInput => {
                "adjust --group/--username, or drop --access-entries to edit aws-auth instead".to_string()
            }
            ErrorKind::Conflict => "pass --replace to update the existing access entry".to_string(),
            _ => eks_hint(&cluster_name),
        };
        let code = if e.kind() == ErrorKind::InvalidInput { ExitStatus::Usage } else { ExitStatus::Failed };
        with_hint(e, Hinted { message: "access entries left unchanged".into(), hint, code })
    })?;
    let exec = execution(write.dry_run);
    let dry = dry_run_name(exec);
    apply_plans(&config, &plans, exec).await.map_err(|e| {
        with_hint(
            e,
            failed_hint(
                "an EKS access-entry call failed",
                "the calls listed before it were made; re-running continues from there",
            ),
        )
    })?;
    let report = AccessEntriesReport {
        cluster: cluster_name,
        authentication_mode: cluster.auth_mode.to_string(),
        dry_run: dry.is_some(),
        dry_run_mode: dry,
        plans,
    };
    if output::write_document(out, global.output, "AccessEntryChange", &report)? {
        return Ok(ExitStatus::Ok);
    }
    let prefix = if dry.is_some() { "would " } else { "" };
    for step in report.plans.iter().flat_map(|p| &p.steps) {
        if step.is_write() {
            writeln!(out, "{prefix}{step}")?;
        } else {
            writeln!(out, "{step}")?;
        }
    }
    Ok(ExitStatus::Ok)
}

/// A usage error's message and hint, to attach with `context`.
fn usage_hint(message: impl Into<String>, hint: impl Into<String>) -> Hinted {
    Hinted { message: message.into(), hint: hint.into(), code: ExitStatus::Usage }
}

/// A failed operation's message and hint, to attach with `context`.
fn failed_hint(message: impl Into<String>, hint: impl Into<String>) -> Hinted {
    Hinted { message: message.into(), hint: hint.into(), code: ExitStatus::Failed }
}

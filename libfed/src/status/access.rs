//! The RBAC checks of a link: with the stored credential, every verb Calico needs allowed and
//! reading Secrets denied (SelfSubjectAccessReviews); in the local cluster, Typha allowed to read
//! the Secret (SubjectAccessReviews). Pure: `fetch.rs` asks the clusters.

use k8s_openapi::api::authorization::v1::{ResourceRule, SubjectRulesReviewStatus};

use super::checks::Failure;
use super::hint::{LinkContext, shell_word};
use super::report::{Check, CheckName};
use crate::calico::rcc::SecretReference;
use crate::names::{DEFAULT_REMOTE_NAMESPACE, FEDERATION_REMOTE};

/// One `(verb, resource)` a credential may or may not have.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Access {
    /// API group (`""` for core).
    pub group: String,
    /// Resource (plural).
    pub resource: String,
    /// Verb.
    pub verb: String,
}

impl std::fmt::Display for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.group.is_empty() {
            write!(f, "{} {}", self.verb, self.resource)
        } else {
            write!(f, "{} {}.{}", self.verb, self.resource, self.group)
        }
    }
}

/// Every access Calico needs in a remote: the rules of the `tigera-federation-remote-cluster`
/// ClusterRole that `join` applies (spec/federation.md §1), so the two cannot drift apart.
pub fn required_access() -> Vec<Access> {
    let objects = crate::remote::remote_objects(DEFAULT_REMOTE_NAMESPACE).unwrap_or_default();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
    };
    let mut out = Vec::new();
    for (kind, obj) in objects {
        if kind != crate::resource::Kind::ClusterRole {
            continue;
        }
        for rule in obj["rules"].as_array().into_iter().flatten() {
            for group in strings(&rule["apiGroups"]) {
                for resource in strings(&rule["resources"]) {
                    for verb in strings(&rule["verbs"]) {
                        out.push(Access { group: group.clone(), resource: resource.clone(), verb });
                    }
                }
            }
        }
    }
    out
}

/// What the credential must not have: reading Secrets, cluster-wide.
pub fn forbidden_access() -> Vec<Access> {
    ["get", "list"]
        .iter()
        .map(|v| Access { group: String::new(), resource: "secrets".into(), verb: (*v).into() })
        .collect()
}

/// The namespace a SelfSubjectRulesReview is asked about. The review requires one and lists the
/// rules of the ClusterRoleBindings plus those of the RoleBindings in that namespace; a name with
/// a dot can never be a namespace, so no RoleBinding is in it and the rules listed are exactly the
/// cluster-wide ones a cluster-wide SelfSubjectAccessReview is judged by.
pub const RULES_NAMESPACE: &str = "kubectl-federate.cluster-wide";

/// Whether an RBAC rule allows a cluster-wide access (no name, no subresource): Kubernetes'
/// `RuleAllows` (pkg/apis/rbac/v1/evaluation_helpers.go) for such a request.
pub fn rule_allows(rule: &ResourceRule, access: &Access) -> bool {
    let has = |list: &[String], want: &str| list.iter().any(|x| x == "*" || x == want);
    has(&rule.verbs, &access.verb)
        && has(rule.api_groups.as_deref().unwrap_or_default(), &access.group)
        && has(rule.resources.as_deref().unwrap_or_default(), &access.resource)
        && rule.resource_names.as_ref().is_none_or(|names| names.is_empty() || names.iter().any(String::is_empty))
}

/// Each access decided from one SelfSubjectRulesReview, or `None` when the review cannot decide
/// with the certainty of one SelfSubjectAccessReview per access: the server says the rules are
/// incomplete (an authorizer such as a webhook cannot list what it allows, as on EKS).
pub fn decide_by_rules(
    status: &SubjectRulesReviewStatus,
    access: &[Access],
) -> Option<Vec<(Access, Result<bool, Failure>)>> {
    if status.incomplete {
        return None;
    }
    Some(access.iter().map(|a| (a.clone(), Ok(status.resource_rules.iter().any(|r| rule_allows(r, a))))).collect())
}

fn first_failure(results: &[(Access, Result<bool, Failure>)]) -> Option<&Failure> {
    results.iter().find_map(|(_, r)| r.as_ref().err())
}

/// SelfSubjectAccessReviews: every access in `results` must be allowed.
pub fn check_permissions(ctx: &LinkContext, results: &[(Access, Result<bool, Failure>)]) -> Check {
    if let Some(f) = first_failure(results) {
        return Check::error(
            CheckName::Permissions,
            format!("cannot review the stored credential's permissions: {}: {f}", ctx.name),
            format!("check the remote API server: `kubectl --context {} get --raw /version`", ctx.remote()),
        );
    }
    let missing: Vec<String> =
        results.iter().filter(|(_, r)| matches!(r, Ok(false))).map(|(a, _)| a.to_string()).collect();
    if missing.is_empty() {
        return Check::ok(CheckName::Permissions, format!("all {} verbs Calico needs are allowed", results.len()));
    }
    let ns = ctx.remote_namespace.as_deref().unwrap_or(DEFAULT_REMOTE_NAMESPACE);
    Check::error(
        CheckName::Permissions,
        format!(
            "the stored credential cannot {} (ClusterRole or ClusterRoleBinding {FEDERATION_REMOTE} missing or changed in the remote; subject {ns}/{FEDERATION_REMOTE})",
            missing.join(", ")
        ),
        format!("restore the remote RBAC: {}", ctx.rejoin()),
    )
}

/// SelfSubjectAccessReviews: reading Secrets must be denied; when allowed it is a warning.
pub fn check_least_privilege(ctx: &LinkContext, results: &[(Access, Result<bool, Failure>)]) -> Check {
    if let Some(f) = first_failure(results) {
        return Check::warning(
            CheckName::LeastPrivilege,
            format!("cannot review whether the credential reads secrets: {f}"),
            format!("check the remote API server: `kubectl --context {} get --raw /version`", ctx.remote()),
        );
    }
    let allowed: Vec<String> =
        results.iter().filter(|(_, r)| matches!(r, Ok(true))).map(|(a, _)| a.to_string()).collect();
    if allowed.is_empty() {
        return Check::ok(CheckName::LeastPrivilege, "cannot read secrets, as it should be");
    }
    let ns = ctx.remote_namespace.as_deref().unwrap_or(DEFAULT_REMOTE_NAMESPACE);
    Check::warning(
        CheckName::LeastPrivilege,
        format!("the stored credential can {} cluster-wide: more than Calico needs", allowed.join(", ")),
        format!(
            "find the extra binding with `kubectl --context {} get clusterrolebindings,rolebindings -A -o wide | grep {ns}/{FEDERATION_REMOTE}` and delete all but {FEDERATION_REMOTE}",
            ctx.remote()
        ),
    )
}

/// SubjectAccessReviews (as the local admin): Typha may get, list and watch the Secret.
pub fn check_typha(
    ctx: &LinkContext,
    reference: &SecretReference,
    typha: (&str, &str),
    results: &[(String, Result<bool, Failure>)],
) -> Check {
    let who = format!("system:serviceaccount:{}:{}", typha.0, typha.1);
    let object = format!("secret {}/{}", reference.namespace, reference.name);
    if let Some(f) = results.iter().find_map(|(_, r)| r.as_ref().err()).filter(|f| !f.answered()) {
        return Check::error(
            CheckName::TyphaAccess,
            format!("{}: {f}", ctx.local_context),
            super::checks::unanswered_hint(&ctx.local_context),
        );
    }
    if let Some(f) = results.iter().find_map(|(_, r)| r.as_ref().err()) {
        return Check::error(
            CheckName::TyphaAccess,
            format!("cannot review {who}'s access to {object}: {f}"),
            format!(
                "check your access: `kubectl --context {} auth can-i create subjectaccessreviews`",
                shell_word(&ctx.local_context)
            ),
        );
    }
    let denied: Vec<&str> = results.iter().filter(|(_, r)| matches!(r, Ok(false))).map(|(v, _)| v.as_str()).collect();
    if denied.is_empty() {
        return Check::ok(CheckName::TyphaAccess, format!("{who} may get, list and watch {object}"));
    }
    Check::error(
        CheckName::TyphaAccess,
        format!(
            "{who} cannot {} {object} (Role or RoleBinding {}/remote-cluster-secret-access-{} missing or changed)",
            denied.join(", "),
            reference.namespace,
            ctx.name
        ),
        format!("restore them: {}", ctx.rejoin()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::report::Outcome;

    fn ctx() -> LinkContext {
        LinkContext {
            local_context: "cluster-a".into(),
            name: "cluster-b".into(),
            remote_context: Some("cluster-b".into()),
            secret_namespace: "calico-system".into(),
            remote_namespace: Some("calico-system".into()),
        }
    }

    fn reference() -> SecretReference {
        SecretReference {
            name: "remote-cluster-secret-cluster-b".into(),
            namespace: "calico-system".into(),
            kind: None,
        }
    }

    #[test]
    fn required_access_is_the_cluster_role_join_applies() {
        let access = required_access();
        let words: Vec<String> = access.iter().map(ToString::to_string).collect();
        for needed in [
            "get namespaces",
            "watch serviceaccounts",
            "list services",
            "list endpoints",
            "watch pods",
            "get nodes",
            "list ippools.crd.projectcalico.org",
        ] {
            assert!(words.iter().any(|w| w == needed), "{needed} missing from {words:?}");
        }
        assert_eq!(access.len(), 6 * 3 + 3 * 3);
        assert!(!words.iter().any(|w| w.contains("secrets")));
    }

    #[test]
    fn missing_permissions_are_named_and_over_privilege_is_a_warning() {
        let c = ctx();
        let mut results: Vec<(Access, Result<bool, Failure>)> =
            required_access().into_iter().map(|a| (a, Ok(true))).collect();
        assert_eq!(check_permissions(&c, &results).outcome, Outcome::Ok);
        for (a, r) in &mut results {
            if a.resource == "pods" && a.verb != "get" {
                *r = Ok(false);
            }
        }
        let missing = check_permissions(&c, &results);
        assert_eq!(missing.outcome, Outcome::Error);
        assert!(missing.message.contains("cannot list pods, watch pods ("), "{}", missing.message);
        assert!(missing.hint.expect("hint").contains("kubectl federate join cluster-b --context cluster-a"));
        results[0].1 = Err(Failure::Unreachable("reset".into()));
        assert_eq!(check_permissions(&c, &results).outcome, Outcome::Error);

        let denied: Vec<(Access, Result<bool, Failure>)> =
            forbidden_access().into_iter().map(|a| (a, Ok(false))).collect();
        assert_eq!(check_least_privilege(&c, &denied).outcome, Outcome::Ok);
        let allowed: Vec<(Access, Result<bool, Failure>)> =
            forbidden_access().into_iter().map(|a| (a, Ok(true))).collect();
        let over = check_least_privilege(&c, &allowed);
        assert_eq!(over.outcome, Outcome::Warning);
        assert!(over.message.contains("get secrets, list secrets"), "{}", over.message);
        assert!(over.hint.expect("hint").contains("grep calico-system/tigera-federation-remote-cluster"));
    }

    fn rule(groups: &[&str], resources: &[&str], verbs: &[&str], names: &[&str]) -> ResourceRule {
        let v = |x: &[&str]| x.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        ResourceRule {
            api_groups: Some(v(groups)),
            resources: Some(v(resources)),
            verbs: v(verbs),
            resource_names: (!names.is_empty()).then(|| v(names)),
        }
    }

    fn access(group: &str, resource: &str, verb: &str) -> Access {
        Access { group: group.into(), resource: resource.into(), verb: verb.into() }
    }

    #[test]
    fn rules_allow_as_rbac_does() {
        let pods = access("", "pods", "list");
        assert!(rule_allows(&rule(&[""], &["pods"], &["get", "list"], &[]), &pods));
        assert!(rule_allows(&rule(&["*"], &["*"], &["*"], &[]), &pods));
        assert!(!rule_allows(&rule(&["apps"], &["pods"], &["list"], &[]), &pods), "another group");
        assert!(!rule_allows(&rule(&[""], &["pods/log"], &["list"], &[]), &pods), "a subresource");
        assert!(!rule_allows(&rule(&[""], &["*/status"], &["list"], &[]), &pods), "any resource's subresource");
        assert!(!rule_allows(&rule(&[""], &["pods"], &["get"], &[]), &pods), "another verb");
        assert!(!rule_allows(&rule(&[""], &["pods"], &["list"], &["one-pod"]), &pods), "named objects only");
    }

    #[test]
    fn a_complete_rules_review_decides_and_an_incomplete_one_does_not() {
        let wanted = vec![access("", "pods", "list"), access("", "secrets", "get")];
        let mut status = SubjectRulesReviewStatus {
            incomplete: false,
            resource_rules: vec![rule(&[""], &["pods"], &["list", "watch"], &[])],
            ..Default::default()
        };
        let decided = decide_by_rules(&status, &wanted).expect("complete");
        assert_eq!(decided[0].1, Ok(true));
        assert_eq!(decided[1].1, Ok(false));
        status.incomplete = true;
        assert!(decide_by_rules(&status, &wanted).is_none());
    }

    #[test]
    fn typha_must_get_list_and_watch_the_secret() {
        let c = ctx();
        let typha = ("calico-system", "calico-typha");
        let all = |v: bool| -> Vec<(String, Result<bool, Failure>)> {
            ["get", "list", "watch"].iter().map(|verb| ((*verb).to_string(), Ok(v))).collect()
        };
        assert_eq!(check_typha(&c, &reference(), typha, &all(true)).outcome, Outcome::Ok);
        let denied = check_typha(&c, &reference(), typha, &all(false));
        assert_eq!(denied.outcome, Outcome::Error);
        assert!(
            denied.message.contains("system:serviceaccount:calico-system:calico-typha cannot get, list, watch"),
            "{}",
            denied.message
        );
        assert!(denied.message.contains("calico-system/remote-cluster-secret-access-cluster-b"), "{}", denied.message);
    }
}

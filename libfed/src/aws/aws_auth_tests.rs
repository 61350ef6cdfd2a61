//! Tests of the pure aws-auth edits: table-driven cases, then properties over generated
//! ConfigMaps in several YAML layouts.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::aws::aws_auth_seq::{indent_lines, render_entry};

const SPEC_ROLES: &str = "- rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n";
const SPEC_USERS: &str =
    "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [system:masters]\n";
const SPEC_ACCOUNTS: &str = "- \"012345678901\"\n";

fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
}

fn spec_data() -> BTreeMap<String, String> {
    data(&[
        (MAP_ROLES, SPEC_ROLES),
        (MAP_USERS, SPEC_USERS),
        (MAP_ACCOUNTS, SPEC_ACCOUNTS),
        ("other", "  kept: {as: is}\n"),
    ])
}

fn role(arn: &str, username: &str, groups: &[&str]) -> MapRole {
    MapRole::new(arn, Some(username.to_string()), groups.iter().map(|g| (*g).to_string()).collect())
}

fn edited(start: &BTreeMap<String, String>, edits: &[Edit]) -> (Vec<Change>, BTreeMap<String, String>) {
    let mut auth = AwsAuth::parse(start).expect("parse");
    let changes = auth.apply_all(edits).expect("edit");
    (changes, auth.to_data().expect("render"))
}

#[test]
fn parses_the_spec_example() {
    let auth = AwsAuth::parse(&spec_data()).expect("parse");
    assert_eq!(auth.roles(), vec![MapRole::node("arn:aws:iam::111122223333:role/NodeInstanceRole")]);
    assert_eq!(
        auth.users(),
        vec![MapUser::new("arn:aws:iam::111122223333:user/alice", Some("alice".into()), vec!["system:masters".into()])]
    );
    assert_eq!(auth.accounts(), vec!["012345678901".to_string()]);
}

#[test]
fn unquoted_account_ids_keep_their_leading_zeros() {
    let auth = AwsAuth::parse(&data(&[(MAP_ACCOUNTS, "- 012345678901\n- 111122223333\n")])).expect("parse");
    assert_eq!(auth.accounts(), vec!["012345678901".to_string(), "111122223333".to_string()]);
}

#[test]
fn values_the_authenticator_treats_as_empty_are_empty() {
    for empty in ["", "  \n", "\"\"", "''", "``", "[]"] {
        let auth = AwsAuth::parse(&data(&[(MAP_ROLES, empty)])).expect(empty);
        assert!(auth.roles().is_empty(), "{empty:?}");
    }
}

#[test]
fn unknown_entry_fields_survive_a_rewrite_of_their_key() {
    let roles = "[{rolearn: 'arn:aws:iam::111122223333:role/Sso', username: sso, sso: {permissionSetName: Admin, accountID: '111122223333'}}]";
    let start = data(&[(MAP_ROLES, roles)]);
    let (_, out) = edited(
        &start,
        &[Edit::AddRole { role: role("arn:aws:iam::111122223333:role/New", "new", &[]), replace: false }],
    );
    let after = AwsAuth::parse(&out).expect("parse");
    assert_eq!(after.roles()[0].extra["sso"]["permissionSetName"], "Admin");
    assert_eq!(after.roles().len(), 2);
}

#[test]
fn adding_keeps_existing_text_and_other_keys_byte_for_byte() {
    let start = spec_data();
    let new = role("arn:aws:iam::111122223333:role/Admin", "admin:{{SessionName}}", &["system:masters"]);
    let (changes, out) = edited(&start, &[Edit::AddRole { role: new.clone(), replace: false }]);
    assert_eq!(changes[0].action, ChangeAction::Added);
    assert!(out[MAP_ROLES].starts_with(SPEC_ROLES), "existing entries keep their text:\n{}", out[MAP_ROLES]);
    for key in [MAP_USERS, MAP_ACCOUNTS, "other"] {
        assert_eq!(out[key], start[key], "{key} untouched");
    }
    assert_eq!(AwsAuth::parse(&out).expect("parse").roles()[1], new);
}

#[test]
fn comments_and_indentation_of_untouched_entries_are_kept() {
    let roles = "# nodes\n  - rolearn: arn:aws:iam::111122223333:role/A # first\n    username: a\n  # between\n  - rolearn: arn:aws:iam::111122223333:role/B\n    username: b\n";
    let start = data(&[(MAP_ROLES, roles)]);
    let (_, out) = edited(&start, &[Edit::Remove("arn:aws:iam::111122223333:role/A".into())]);
    assert_eq!(out[MAP_ROLES], "# nodes\n  - rolearn: arn:aws:iam::111122223333:role/B\n    username: b\n");
    let (_, out) =
        edited(&start, &[Edit::AddRole { role: role("arn:aws:iam::111122223333:role/C", "c", &[]), replace: false }]);
    assert!(out[MAP_ROLES].starts_with(roles));
    assert!(
        out[MAP_ROLES].contains("\n  - rolearn: arn:aws:iam::111122223333:role/C\n    username: c\n"),
        "{}",
        out[MAP_ROLES]
    );
}

#[test]
fn an_identical_mapping_is_no_change_even_with_groups_reordered() {
    let start = spec_data();
    let same = role(
        "arn:aws:iam::111122223333:role/NodeInstanceRole",
        NODE_USERNAME,
        &["system:nodes", "system:bootstrappers"],
    );
    let (changes, out) = edited(&start, &[Edit::AddRole { role: same, replace: false }]);
    assert_eq!(changes[0].action, ChangeAction::Unchanged);
    assert_eq!(out, start);
}

#[test]
fn role_arns_match_case_insensitively_like_the_authenticator() {
    let start = spec_data();
    let same = MapRole::node("arn:aws:iam::111122223333:role/nodeinstancerole");
    let (changes, out) = edited(&start, &[Edit::AddRole { role: same, replace: false }]);
    assert_eq!(changes[0].action, ChangeAction::Unchanged);
    assert_eq!(out, start);
}

#[test]
fn same_arn_with_a_different_mapping_is_refused_unless_replace() {
    let start = spec_data();
    let other = role("arn:aws:iam::111122223333:role/NodeInstanceRole", "admin", &["system:masters"]);
    let mut auth = AwsAuth::parse(&start).expect("parse");
    let err = auth.apply(&Edit::AddRole { role: other.clone(), replace: false }).expect_err("conflict");
    let msg = err.to_string();
    assert!(
        msg.contains("NodeInstanceRole") && msg.contains("system:nodes") && msg.contains("system:masters"),
        "{msg}"
    );
    assert_eq!(auth.to_data().expect("render"), start, "a refused edit changes nothing");

    let (changes, out) = edited(&start, &[Edit::AddRole { role: other.clone(), replace: true }]);
    assert_eq!(changes[0].action, ChangeAction::Replaced);
    assert_eq!(AwsAuth::parse(&out).expect("parse").roles(), vec![other]);
    assert_eq!(out[MAP_USERS], start[MAP_USERS]);
}

#[test]
fn replace_collapses_shadowed_duplicates_into_one_entry() {
    let roles = "- rolearn: arn:aws:iam::111122223333:role/A\n  username: one\n- rolearn: arn:aws:iam::111122223333:role/B\n  username: b\n- rolearn: arn:aws:iam::111122223333:role/A\n  username: two\n";
    let start = data(&[(MAP_ROLES, roles)]);
    let new = role("arn:aws:iam::111122223333:role/A", "three", &[]);
    assert!(
        AwsAuth::parse(&start).expect("parse").apply(&Edit::AddRole { role: new.clone(), replace: false }).is_err()
    );
    let (_, out) = edited(&start, &[Edit::AddRole { role: new.clone(), replace: true }]);
    let roles = AwsAuth::parse(&out).expect("parse").roles();
    assert_eq!(roles, vec![new, role("arn:aws:iam::111122223333:role/B", "b", &[])]);
}

#[test]
fn removing_something_absent_is_no_change() {
    let start = spec_data();
    let (changes, out) = edited(&start, &[Edit::Remove("arn:aws:iam::111122223333:role/Nope".into())]);
    assert_eq!(changes[0].action, ChangeAction::NotFound);
    assert_eq!(out, start);
}

#[test]
fn remove_finds_users_and_accounts() {
    let start = spec_data();
    let (changes, out) = edited(
        &start,
        &[Edit::Remove("arn:aws:iam::111122223333:user/alice".into()), Edit::Remove("012345678901".into())],
    );
    assert_eq!((changes[0].kind, changes[0].action), ("user", ChangeAction::Removed));
    assert_eq!((changes[1].kind, changes[1].action), ("account", ChangeAction::Removed));
    let after = AwsAuth::parse(&out).expect("parse");
    assert!(after.users().is_empty() && after.accounts().is_empty());
    assert_eq!(out[MAP_ROLES], start[MAP_ROLES]);
}

#[test]
fn accounts_are_added_once() {
    let start = spec_data();
    let (changes, out) =
        edited(&start, &[Edit::AddAccount("111122223333".into()), Edit::AddAccount("111122223333".into())]);
    assert_eq!(changes[0].action, ChangeAction::Added);
    assert_eq!(changes[1].action, ChangeAction::Unchanged);
    assert_eq!(
        AwsAuth::parse(&out).expect("parse").accounts(),
        vec!["012345678901".to_string(), "111122223333".to_string()]
    );
}

#[test]
fn a_key_that_cannot_be_split_is_rewritten_with_every_entry() {
    let roles = r#"[{"rolearn": "arn:aws:iam::111122223333:role/A", "username": "a"}, {"rolearn": "arn:aws:iam::111122223333:role/B", "groups": ["g"]}]"#;
    let start = data(&[(MAP_ROLES, roles)]);
    let (_, out) =
        edited(&start, &[Edit::AddRole { role: role("arn:aws:iam::111122223333:role/C", "c", &[]), replace: false }]);
    let arns: Vec<String> = AwsAuth::parse(&out).expect("parse").roles().into_iter().map(|r| r.rolearn).collect();
    assert_eq!(arns, ["A", "B", "C"].map(|n| format!("arn:aws:iam::111122223333:role/{n}")));
}

#[test]
fn malformed_keys_are_refused_with_the_key_and_the_yaml_error() {
    for (key, text) in [
        (MAP_ROLES, "- rolearn: a\n  groups: [unclosed\n"),
        (MAP_ROLES, "rolearn: not-a-list\n"),
        (MAP_ROLES, "- username: no-arn\n"),
        (MAP_USERS, "- userarn: [1, 2]\n"),
        (MAP_ACCOUNTS, "- {a: b}\n"),
    ] {
        let err = AwsAuth::parse(&data(&[(key, text)])).expect_err(text);
        assert!(err.to_string().contains(key), "{err}");
        let cause = std::error::Error::source(&err).expect("the YAML error is the source").to_string();
        assert!(!cause.is_empty(), "{text}");
    }
}

#[test]
fn role_arns_that_can_never_match_are_refused_with_the_fix() {
    let cases = [
        ("arn:aws:iam::111122223333:role/team/Admin", "use arn:aws:iam::111122223333:role/Admin"),
        ("arn:aws:sts::111122223333:assumed-role/Admin/alice", "arn:aws:iam::111122223333:role/Admin"),
        ("arn:aws:iam::ACCOUNTID:role/NodeInstanceRole", "12-digit"),
        ("arn:aws:iam::111122223333:user/alice", "user ARN, not a role"),
        ("NodeInstanceRole", "expected arn:aws:iam::ACCOUNT:role/NAME"),
    ];
    for (arn, hint) in cases {
        let err = validate_role_arn(arn).expect_err(arn).to_string();
        assert!(err.contains(hint), "{arn}: {err}");
    }
    validate_role_arn("arn:aws-cn:iam::111122223333:role/NodeInstanceRole").expect("China partition");
    validate_user_arn("arn:aws:iam::111122223333:user/people/alice").expect("user paths are fine");
    assert!(validate_user_arn("arn:aws:iam::111122223333:role/alice").is_err());
    assert!(validate_account("12345").is_err());
}

#[test]
fn apply_all_is_all_or_nothing() {
    let start = spec_data();
    let mut auth = AwsAuth::parse(&start).expect("parse");
    let edits = [
        Edit::AddRole { role: role("arn:aws:iam::111122223333:role/New", "new", &[]), replace: false },
        Edit::AddRole { role: role("arn:aws:iam::111122223333:role/NodeInstanceRole", "x", &[]), replace: false },
    ];
    assert!(auth.apply_all(&edits).is_err());
    assert_eq!(auth.to_data().expect("render"), start);
}

#[test]
fn the_shipped_manifest_merges_once_its_account_is_filled_in() {
    let text = include_str!("../../../manifests/aws-auth-cm.yaml");
    assert!(text.contains("ACCOUNTID"));
    let err = edits_from_manifest(text, None, false).expect_err("placeholder left");
    assert!(err.to_string().contains("ACCOUNTID"), "{err}");
    let edits = edits_from_manifest(text, Some("444455556666"), false).expect("edits");
    assert_eq!(
        edits,
        vec![Edit::AddRole { role: MapRole::node("arn:aws:iam::444455556666:role/NodeInstanceRole"), replace: false }]
    );
    let (changes, out) = edited(&spec_data(), &edits);
    assert_eq!(changes[0].action, ChangeAction::Added);
    assert!(out[MAP_ROLES].starts_with(SPEC_ROLES));
}

#[test]
fn manifests_for_other_objects_are_refused() {
    for text in [
        "kind: Secret\nmetadata: {name: aws-auth, namespace: kube-system}\n",
        "kind: ConfigMap\nmetadata: {name: other, namespace: kube-system}\n",
        "kind: ConfigMap\nmetadata: {name: aws-auth, namespace: default}\n",
        "- not a manifest\n",
    ] {
        assert!(matches!(edits_from_manifest(text, None, false), Err(AwsAuthError::Manifest(_))), "{text}");
    }
}

#[test]
fn diff_shows_only_changed_keys() {
    let start = spec_data();
    let (_, out) = edited(&start, &[Edit::Remove("arn:aws:iam::111122223333:user/alice".into())]);
    let diff = diff_data(&start, &out);
    assert!(diff.starts_with("--- data.mapUsers\n+++ data.mapUsers\n@@"), "{diff}");
    assert!(diff.contains("-- userarn: arn:aws:iam::111122223333:user/alice\n"), "{diff}");
    assert!(!diff.contains("mapRoles"), "{diff}");
    assert_eq!(diff_data(&start, &start), "");
}

// ---- properties ----

fn arb_role_arn() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["111122223333", "444455556666"]),
        prop::sample::select(vec!["A", "a", "Node", "NODE", "Admin"]),
    )
        .prop_map(|(acct, name)| format!("arn:aws:iam::{acct}:role/{name}"))
}

fn arb_user_arn() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["alice", "bob", "Alice"]).prop_map(|n| format!("arn:aws:iam::111122223333:user/{n}"))
}

fn arb_username() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::sample::select(vec!["admin", "system:node:{{EC2PrivateDNSName}}", "dev:{{SessionName}}", "x y"])
            .prop_map(String::from),
    )
}

fn arb_groups() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::sample::select(vec!["system:masters", "system:nodes", "devs", "ops"]).prop_map(String::from),
        0..3,
    )
}

fn arb_role() -> impl Strategy<Value = MapRole> {
    (arb_role_arn(), arb_username(), arb_groups()).prop_map(|(a, u, g)| MapRole::new(a, u, g))
}

fn arb_user() -> impl Strategy<Value = MapUser> {
    (arb_user_arn(), arb_username(), arb_groups()).prop_map(|(a, u, g)| MapUser::new(a, u, g))
}

fn arb_account() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["012345678901", "111122223333"]).prop_map(String::from)
}

/// Ways an existing key can be written: the examples' block style, indented with comments,
/// and JSON flow style (which cannot be split per entry).
#[derive(Debug, Clone, Copy)]
enum Layout {
    Block,
    Commented,
    Flow,
}

fn write_key<T: Serialize>(entries: &[T], layout: Layout) -> String {
    match layout {
        Layout::Flow => serde_json::to_string(entries).expect("json"),
        Layout::Block => entries.iter().map(|e| render_entry("test", e).expect("render")).collect(),
        Layout::Commented => {
            let body: String = entries
                .iter()
                .map(|e| indent_lines(&render_entry("test", e).expect("render"), 2) + "  # kept\n")
                .collect();
            format!("# header\n{body}")
        }
    }
}

fn arb_data() -> impl Strategy<Value = BTreeMap<String, String>> {
    let layout = prop::sample::select(vec![Layout::Block, Layout::Commented, Layout::Flow]);
    (
        prop::collection::vec(arb_role(), 0..5),
        prop::collection::vec(arb_user(), 0..4),
        prop::collection::vec(arb_account(), 0..3),
        layout.clone(),
        layout,
        any::<bool>(),
    )
        .prop_map(|(roles, users, accounts, l1, l2, other)| {
            let mut d = BTreeMap::new();
            if !roles.is_empty() {
                d.insert(MAP_ROLES.to_string(), write_key(&roles, l1));
            }
            if !users.is_empty() {
                d.insert(MAP_USERS.to_string(), write_key(&users, l2));
            }
            if !accounts.is_empty() {
                d.insert(MAP_ACCOUNTS.to_string(), write_key(&accounts, Layout::Block));
            }
            if other {
                d.insert("unrelated".to_string(), "{ not: [parsed\n".to_string());
            }
            d
        })
}

fn arb_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (arb_role(), any::<bool>()).prop_map(|(role, replace)| Edit::AddRole { role, replace }),
        (arb_user(), any::<bool>()).prop_map(|(user, replace)| Edit::AddUser { user, replace }),
        arb_account().prop_map(Edit::AddAccount),
        prop_oneof![arb_role_arn(), arb_user_arn(), arb_account()].prop_map(Edit::Remove),
    ]
}

/// Whether an entry is one the edit is about (and so may be changed or removed).
fn targets_role(edit: &Edit, r: &MapRole) -> bool {
    match edit {
        Edit::AddRole { role, .. } => role.rolearn.eq_ignore_ascii_case(&r.rolearn),
        Edit::Remove(arn) => arn.eq_ignore_ascii_case(&r.rolearn),
        _ => false,
    }
}

fn targets_user(edit: &Edit, u: &MapUser) -> bool {
    match edit {
        Edit::AddUser { user, .. } => user.userarn == u.userarn,
        Edit::Remove(arn) => *arn == u.userarn,
        _ => false,
    }
}

fn targets_account(edit: &Edit, a: &str) -> bool {
    matches!(edit, Edit::AddAccount(x) | Edit::Remove(x) if x == a)
}

fn untouched<T: Clone>(items: Vec<T>, touched: impl Fn(&T) -> bool) -> Vec<T> {
    items.into_iter().filter(|i| !touched(i)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_edit_loses_an_entry_it_was_not_asked_to_remove(start in arb_data(), edit in arb_edit()) {
        let before = AwsAuth::parse(&start).expect("generated data parses");
        let mut auth = before.clone();
        let Ok(change) = auth.apply(&edit) else {
            prop_assert_eq!(auth.to_data().expect("render"), start, "a refused edit changes nothing");
            return Ok(());
        };
        let out = auth.to_data().expect("render");
        let after = AwsAuth::parse(&out).expect("output parses");
        prop_assert_eq!(untouched(after.roles(), |r| targets_role(&edit, r)), untouched(before.roles(), |r| targets_role(&edit, r)));
        prop_assert_eq!(untouched(after.users(), |u| targets_user(&edit, u)), untouched(before.users(), |u| targets_user(&edit, u)));
        prop_assert_eq!(untouched(after.accounts(), |a| targets_account(&edit, a)), untouched(before.accounts(), |a| targets_account(&edit, a)));
        // Keys the edit did not change are byte for byte what they were; other keys too.
        for (key, value) in &start {
            if out.get(key) != Some(value) {
                prop_assert!(change.is_write() && [MAP_ROLES, MAP_USERS, MAP_ACCOUNTS].contains(&key.as_str()), "{} changed by {:?}", key, change);
            }
        }
        // What was asked for is in effect.
        match &edit {
            Edit::AddRole { role, .. } => prop_assert!(after.roles().iter().filter(|r| r.rolearn.eq_ignore_ascii_case(&role.rolearn)).all(|r| same_mapping(r.mapping(), role.mapping()))),
            Edit::AddUser { user, .. } => prop_assert!(after.users().iter().filter(|u| u.userarn == user.userarn).all(|u| same_mapping(u.mapping(), user.mapping()))),
            Edit::AddAccount(a) => prop_assert!(after.accounts().contains(a)),
            Edit::Remove(arn) => {
                prop_assert!(!after.roles().iter().any(|r| r.rolearn.eq_ignore_ascii_case(arn)));
                prop_assert!(!after.users().iter().any(|u| u.userarn == *arn));
                prop_assert!(!after.accounts().contains(arn));
            }
        }
        if !change.is_write() {
            prop_assert_eq!(&out, &start);
        }
    }

    #[test]
    fn applying_an_edit_twice_equals_applying_it_once(start in arb_data(), edit in arb_edit()) {
        let mut once = AwsAuth::parse(&start).expect("parse");
        if once.apply(&edit).is_err() {
            return Ok(());
        }
        let once = once.to_data().expect("render");
        let mut twice = AwsAuth::parse(&once).expect("output parses");
        let second = twice.apply(&edit).expect("a repeated edit succeeds");
        prop_assert!(!second.is_write(), "second application changed something: {:?}", second);
        prop_assert_eq!(twice.to_data().expect("render"), once);
    }
}

#[test]
fn new_entries_are_written_like_the_aws_auth_examples() {
    let edits = [
        Edit::AddRole { role: MapRole::node("arn:aws:iam::111122223333:role/N"), replace: false },
        Edit::AddUser {
            user: MapUser::new("arn:aws:iam::111122223333:user/a", Some("a".into()), vec!["x y".into(), "true".into()]),
            replace: false,
        },
        Edit::AddAccount("012345678901".into()),
    ];
    let (_, out) = edited(&BTreeMap::new(), &edits);
    assert_eq!(
        out[MAP_ROLES],
        "- rolearn: arn:aws:iam::111122223333:role/N\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n"
    );
    // Strings YAML would read as something else are quoted, and account IDs always are (IAMAUTH).
    assert_eq!(
        out[MAP_USERS],
        "- userarn: arn:aws:iam::111122223333:user/a\n  username: a\n  groups:\n  - x y\n  - \"true\"\n"
    );
    assert_eq!(out[MAP_ACCOUNTS], "- \"012345678901\"\n");
}

//! Deciding what to do with one object (pure): create, update, leave unchanged, adopt or refuse.

use serde_json::Value;

use super::action::{Action, LiveRef, Op};
use crate::ownership::{check_compatible, created_by_tool, refusal_hint};
use crate::resource::{Kind, describe};
use crate::{Error, Result};

/// Decides the action for a desired object given the live one: absent → create; every field the
/// desired object sets already has that value → unchanged; else update. Ownership is not looked at;
/// see [`decide_owned`].
pub fn decide(desired: &Value, live: Option<&Value>) -> Op {
    match live {
        None => Op::Create,
        Some(live) if is_subset(desired, live) => Op::Unchanged,
        Some(_) => Op::Update,
    }
}

/// Decides the action with ownership: an object the tool created is created, updated or left
/// unchanged as [`decide`] says; one it did not create is adopted when its content is usable, and
/// refused (`Err`, the reason) when not. A found object is never relabelled or rewritten.
///
/// # Errors
/// Why an object the tool did not create cannot be used.
pub fn decide_owned(kind: Kind, desired: &Value, live: Option<&Value>) -> std::result::Result<Op, String> {
    match live {
        None => Ok(Op::Create),
        Some(live) if created_by_tool(live) => Ok(decide(desired, Some(live))),
        Some(live) => check_compatible(kind, desired, live).map(|()| Op::Adopted),
    }
}

/// Whether every field set in `want` has the same value in `have` (arrays must match element for
/// element; maps may hold more keys).
pub fn is_subset(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => w.iter().all(|(k, v)| match h.get(k) {
            Some(hv) => is_subset(v, hv),
            None => v.is_null(),
        }),
        (Value::Array(w), Value::Array(h)) => w.len() == h.len() && w.iter().zip(h).all(|(a, b)| is_subset(a, b)),
        _ => want == have,
    }
}

/// Plans one desired object against an already read live object (pure).
///
/// # Errors
/// An object the tool did not create that cannot be used ([`Error::NotOurs`]).
pub fn plan_against(cluster: &str, kind: Kind, desired: Value, live: Option<&Value>) -> Result<Action> {
    let namespace = desired.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_string);
    let name = desired.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    let object = describe(kind, namespace.as_deref(), &name);
    let op = decide_owned(kind, &desired, live).map_err(|problem| Error::NotOurs {
        cluster: cluster.into(),
        hint: refusal_hint(
            kind,
            &object,
            &format!(
                "--remote-namespace {}",
                namespace
                    .as_deref()
                    .or_else(|| desired.pointer("/subjects/0/namespace").and_then(Value::as_str))
                    .unwrap_or(crate::names::DEFAULT_REMOTE_NAMESPACE)
            ),
        ),
        object: object.clone(),
        problem,
    })?;
    Ok(Action {
        cluster: cluster.into(),
        op,
        kind,
        namespace,
        name,
        desired: Some(desired),
        merge_patch: None,
        live: live.map(LiveRef::of),
    })
}

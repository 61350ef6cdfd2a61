//! One planned write: an [`Action`] on one object in one cluster, and what it does ([`Op`]).

use serde::Serialize;
use serde_json::Value;

use crate::redact::REDACTED;
use crate::resource::{Kind, describe};

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// The object does not exist and will be created.
    Create,
    /// The object exists with other content and will be updated.
    Update,
    /// The object is already right; nothing is sent.
    Unchanged,
    /// The object will be deleted.
    Delete,
    /// An object of that name exists that the tool did not create; its content is usable, so it is
    /// used as it is and never written or deleted ("adopted: not managed").
    Adopted,
}

/// The identity and version of the live object an action was planned against: updates carry the
/// uid (so a deleted-and-recreated object is not overwritten), deletes both (so an object changed
/// since it was read is not deleted).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveRef {
    /// `metadata.uid`.
    pub uid: Option<String>,
    /// `metadata.resourceVersion`.
    pub resource_version: Option<String>,
}

impl LiveRef {
    /// The uid and resourceVersion of a live object.
    pub fn of(obj: &Value) -> LiveRef {
        let get = |p: &str| obj.pointer(p).and_then(Value::as_str).map(str::to_string);
        LiveRef { uid: get("/metadata/uid"), resource_version: get("/metadata/resourceVersion") }
    }
}

/// One object in one cluster.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// The kubeconfig context of the cluster.
    pub cluster: String,
    /// What happens.
    pub op: Op,
    /// The object's kind.
    pub kind: Kind,
    /// Its namespace, for namespaced kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Its name.
    pub name: String,
    /// The desired object (creates and updates). Secret data is redacted when serialised; see
    /// [`Action::redacted_object`].
    #[serde(skip)]
    pub desired: Option<Value>,
    /// When set, the write is this JSON merge patch instead of a server-side apply of `desired`
    /// (for a single annotation that other managers' applies must not remove).
    #[serde(skip)]
    pub merge_patch: Option<Value>,
    /// The live object this action was planned against (preconditions of the write).
    #[serde(skip)]
    pub live: Option<LiveRef>,
}

impl Action {
    /// `kind ns/name`.
    pub fn object(&self) -> String {
        describe(self.kind, self.namespace.as_deref(), &self.name)
    }

    /// The desired object with Secret values replaced by `<redacted>` unless `show_secrets`.
    pub fn redacted_object(&self, show_secrets: bool) -> Option<Value> {
        let mut obj = self.desired.clone()?;
        if self.kind == Kind::Secret && !show_secrets {
            for key in ["data", "stringData"] {
                if let Some(Value::Object(map)) = obj.get_mut(key) {
                    for v in map.values_mut() {
                        *v = Value::String(REDACTED.into());
                    }
                }
            }
        } else if self.kind == Kind::Secret {
            // Shown on request: decode `data` so the kubeconfig can be read (and used) as text.
            if let Some(Value::Object(map)) = obj.get("data").cloned() {
                let decoded: serde_json::Map<String, Value> = map
                    .into_iter()
                    .map(|(k, v)| {
                        let text = v.as_str().and_then(|s| {
                            use base64::Engine;
                            base64::engine::general_purpose::STANDARD
                                .decode(s)
                                .ok()
                                .and_then(|b| String::from_utf8(b).ok())
                        });
                        (k, text.map_or(v, Value::String))
                    })
                    .collect();
                if let Some(o) = obj.as_object_mut() {
                    o.remove("data");
                    o.insert("stringData".into(), Value::Object(decoded));
                }
            }
        }
        Some(obj)
    }
}

//! Planning `svc create` and `svc delete` (reads only; [`Plan::apply`] writes): the federated
//! Service applied to one cluster, and a federated Service removed with the Endpoints and the
//! EndpointSlices written for it.

use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Api;
use kube::api::ListParams;
use serde_json::Value;

use super::SERVICE_SELECTOR_ANNOTATION;
use super::slices::slice_selector;
use crate::cluster::Cluster;
use crate::names::{MANAGED_BY, MANAGED_BY_LABEL};
use crate::plan::{Action, LiveRef, Op, Plan, decide, read};
use crate::resource::{Kind, describe};
use crate::{Error, Result};

fn annotated(obj: &Value) -> bool {
    obj.pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .is_some_and(|a| a.contains_key(SERVICE_SELECTOR_ANNOTATION))
}

fn labelled_ours(obj: &Value) -> bool {
    obj.pointer("/metadata/labels").and_then(|l| l.get(MANAGED_BY_LABEL)).and_then(Value::as_str) == Some(MANAGED_BY)
}

fn refused(cluster: &str, object: &str, problem: &str, hint: &str) -> Error {
    Error::NotOurs { cluster: cluster.into(), object: object.into(), problem: problem.into(), hint: hint.into() }
}

/// Decides what applying the federated Service `desired` (a selector-less Service with the
/// selector annotation) does to a cluster holding `live` (pure): create it, update it, or
/// nothing. A live Service that is neither labelled by this tool nor annotated is another
/// Service of that name and is refused, as is one with a `spec.selector` (Kubernetes' endpoints
/// controller would fight the federated Endpoints).
///
/// # Errors
/// [`Error::NotOurs`] for a Service that cannot become this federated Service.
pub fn decide_service(cluster: &str, desired: Value, live: Option<&Value>) -> Result<Action> {
    let namespace = desired.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_owned);
    let name = desired.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_owned();
    let object = describe(Kind::Service, namespace.as_deref(), &name);
    if let Some(l) = live {
        if !labelled_ours(l) && !annotated(l) {
            return Err(refused(
                cluster,
                &object,
                "it is not a federated service",
                "choose another name, or delete it first (kubectl delete service)",
            ));
        }
        if l.pointer("/spec/selector").and_then(Value::as_object).is_some_and(|s| !s.is_empty()) {
            return Err(refused(
                cluster,
                &object,
                "it has a spec.selector, which a federated service must not have",
                "delete it first (kubectl delete service), then create the federated service",
            ));
        }
    }
    Ok(Action {
        cluster: cluster.into(),
        op: decide(&desired, live),
        kind: Kind::Service,
        namespace,
        name,
        desired: Some(desired),
        merge_patch: None,
        live: live.map(LiveRef::of),
    })
}

/// Plans applying the federated Service `desired` to `cluster`; see [`decide_service`].
///
/// # Errors
/// Reading the live Service failing; [`Error::NotOurs`] as [`decide_service`] says.
pub async fn plan_service(cluster: &Cluster, desired: Value) -> Result<Plan> {
    let namespace = desired.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_owned);
    let name = desired.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_owned();
    let live = read(&cluster.client, &cluster.context, Kind::Service, namespace.as_deref(), &name).await?;
    Ok(Plan::from(vec![decide_service(&cluster.context, desired, live.as_ref())?]))
}

fn delete(cluster: &str, kind: Kind, namespace: &str, live: &Value) -> Action {
    Action {
        cluster: cluster.into(),
        op: Op::Delete,
        kind,
        namespace: Some(namespace.into()),
        name: live.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().into(),
        desired: None,
        merge_patch: None,
        live: Some(LiveRef::of(live)),
    }
}

/// Decides removing a federated Service (pure): the Service, then its Endpoints object when it
/// carries the selector annotation (as Calico Enterprise's controller writes it), then the
/// EndpointSlices this tool wrote for it (`slices`, found by their labels). A Service without the
/// annotation is not a federated one and is refused; `None` when there is no Service.
///
/// # Errors
/// [`Error::NotOurs`] for a Service that is not federated.
pub fn decide_removal(
    cluster: &str,
    namespace: &str,
    service: Option<&Value>,
    endpoints: Option<&Value>,
    slices: &[Value],
) -> Result<Option<Plan>> {
    let Some(service) = service else { return Ok(None) };
    if !annotated(service) {
        let name = service.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        return Err(refused(
            cluster,
            &describe(Kind::Service, Some(namespace), name),
            &format!("it is not a federated service (no {SERVICE_SELECTOR_ANNOTATION} annotation)"),
            "use kubectl delete service",
        ));
    }
    let mut plan = Plan::from(vec![delete(cluster, Kind::Service, namespace, service)]);
    if let Some(e) = endpoints.filter(|e| annotated(e)) {
        plan.push(delete(cluster, Kind::Endpoints, namespace, e));
    }
    for s in slices {
        plan.push(delete(cluster, Kind::EndpointSlice, namespace, s));
    }
    Ok(Some(plan))
}

/// Plans removing the federated Service `namespace/name` from `cluster`; see [`decide_removal`].
///
/// # Errors
/// Reads failing; [`Error::NotOurs`] for a Service that is not federated.
pub async fn plan_removal(cluster: &Cluster, namespace: &str, name: &str) -> Result<Option<Plan>> {
    let ctx = &cluster.context;
    let service = read(&cluster.client, ctx, Kind::Service, Some(namespace), name).await?;
    if service.is_none() {
        return Ok(None);
    }
    let endpoints = read(&cluster.client, ctx, Kind::Endpoints, Some(namespace), name).await?;
    let slices: Api<EndpointSlice> = Api::namespaced(cluster.client.clone(), namespace);
    let listed = slices
        .list(&ListParams::default().labels(&slice_selector(name)))
        .await
        .map_err(|e| Error::api(ctx.as_str(), "list", format!("endpointslices {namespace}"), e))?;
    let slices: Vec<Value> = listed.items.iter().filter_map(|s| serde_json::to_value(s).ok()).collect();
    decide_removal(ctx, namespace, service.as_ref(), endpoints.as_ref(), &slices)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn service(labels: Value, annotations: Value, selector: Option<Value>) -> Value {
        let mut s = json!({"metadata": {"name": "web", "namespace": "ns", "uid": "u1", "resourceVersion": "5",
            "labels": labels, "annotations": annotations}, "spec": {"ports": [{"port": 80}]}});
        if let Some(sel) = selector {
            s["spec"]["selector"] = sel;
        }
        s
    }

    fn desired() -> Value {
        json!({"metadata": {"name": "web", "namespace": "ns", "labels": {MANAGED_BY_LABEL: MANAGED_BY},
            "annotations": {SERVICE_SELECTOR_ANNOTATION: "app == 'web'"}}, "spec": {"ports": [{"port": 80}]}})
    }

    #[test]
    fn a_federated_service_is_created_updated_or_left_alone() {
        assert_eq!(decide_service("a", desired(), None).expect("plan").op, Op::Create);
        let same = desired();
        assert_eq!(decide_service("a", desired(), Some(&same)).expect("plan").op, Op::Unchanged);
        let hand_made = service(json!({}), json!({SERVICE_SELECTOR_ANNOTATION: "app == 'old'"}), None);
        let a = decide_service("a", desired(), Some(&hand_made)).expect("an annotated service is federated");
        assert_eq!((a.op, a.live.and_then(|l| l.uid)), (Op::Update, Some("u1".to_owned())));
    }

    #[test]
    fn other_services_of_that_name_are_refused() {
        let plain = service(json!({"app": "web"}), json!({}), None);
        let err = decide_service("a", desired(), Some(&plain)).expect_err("not federated").to_string();
        assert!(err.contains("cluster a") && err.contains("service ns/web") && err.contains("hint:"), "{err}");
        let selected = service(json!({MANAGED_BY_LABEL: MANAGED_BY}), json!({}), Some(json!({"app": "web"})));
        let err = decide_service("a", desired(), Some(&selected)).expect_err("selector").to_string();
        assert!(err.contains("spec.selector"), "{err}");
    }

    #[test]
    fn removal_takes_the_service_its_annotated_endpoints_and_our_slices_in_that_order() {
        let svc = service(json!({}), json!({SERVICE_SELECTOR_ANNOTATION: "x == 'y'"}), None);
        let eps =
            json!({"metadata": {"name": "web", "uid": "e1", "annotations": {SERVICE_SELECTOR_ANNOTATION: "x == 'y'"}}});
        let slice = json!({"metadata": {"name": "web-abc", "uid": "s1"}});
        let plan =
            decide_removal("a", "ns", Some(&svc), Some(&eps), std::slice::from_ref(&slice)).expect("ok").expect("plan");
        let kinds: Vec<(Kind, &str, Op)> = plan.actions().iter().map(|a| (a.kind, a.name.as_str(), a.op)).collect();
        assert_eq!(
            kinds,
            [
                (Kind::Service, "web", Op::Delete),
                (Kind::Endpoints, "web", Op::Delete),
                (Kind::EndpointSlice, "web-abc", Op::Delete)
            ]
        );
        assert_eq!(plan.actions()[0].live.as_ref().and_then(|l| l.uid.as_deref()), Some("u1"), "deleted by uid");
        let plain_eps = json!({"metadata": {"name": "web"}});
        let plan = decide_removal("a", "ns", Some(&svc), Some(&plain_eps), &[]).expect("ok").expect("plan");
        assert_eq!(plan.actions().len(), 1, "Endpoints without the annotation are not ours");
        assert!(decide_removal("a", "ns", None, None, &[]).expect("ok").is_none());
        let plain = service(json!({}), json!({}), None);
        let err = decide_removal("a", "ns", Some(&plain), None, &[]).expect_err("refused").to_string();
        assert!(err.contains("kubectl delete service"), "{err}");
    }
}

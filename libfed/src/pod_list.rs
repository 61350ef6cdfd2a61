//! Listing a cluster's pods as [`PodInfo`]s (all of them, or those a [`PodFilter`] lets the API
//! server pick): in Kubernetes' protobuf where the server speaks it (`pod_list_proto`), else
//! JSON, page by page from the watch cache.

use kube::api::ListParams;

use crate::pod_filter::PodFilter;
use crate::pod_list_proto;
use crate::workload::PodInfo;

/// Objects per list request: a large cluster is read in pages, so only one page of JSON is held
/// at a time.
pub(crate) const LIST_PAGE: u32 = 500;

/// One page of a pod list, as [`PodInfo`]s.
#[derive(serde::Deserialize)]
struct PodPage {
    #[serde(default)]
    metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ListMeta,
    #[serde(default)]
    items: Vec<PodInfo>,
}

/// How pods are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodEncoding {
    /// Kubernetes' protobuf, falling back to JSON when the server answers otherwise (the default:
    /// a Kubernetes API server serves pods as protobuf several times faster than as JSON).
    Protobuf,
    /// JSON only.
    Json,
}

/// The first request's parameters: `resourceVersion=0`, served from the API server's watch
/// cache, as Calico's own informers list, instead of a consistent read of every page from etcd.
/// Without a limit: kube leaves `resourceVersion=0` out of a request with one (the watch cache of
/// the Kubernetes the tests run, 1.34, answers it whole anyway), which made a 10,000-pod list 20
/// pages read from etcd.
fn first_page(labels: &str) -> ListParams {
    with_labels(ListParams::default().match_any(), labels)
}

/// A continued list carries its snapshot in the token, and no resourceVersion; the label
/// selector must be the first page's.
fn next_page(token: &str, labels: &str) -> ListParams {
    with_labels(ListParams::default().limit(LIST_PAGE).continue_token(token), labels)
}

fn with_labels(params: ListParams, labels: &str) -> ListParams {
    if labels.is_empty() { params } else { params.labels(labels) }
}

/// Every pod `filter` lets through, page by page, each read as a [`PodInfo`] (only the fields
/// Calico uses). With namespaces in the filter, one list per namespace, all at once.
///
/// # Errors
/// A list failing.
pub async fn list_pods(
    client: &kube::Client,
    encoding: PodEncoding,
    filter: &PodFilter,
) -> std::result::Result<Vec<PodInfo>, kube::Error> {
    let lists = filter.paths().into_iter().map(|path| async move {
        if encoding == PodEncoding::Protobuf
            && let Some(pods) = list_path(client, &path, &filter.label_selector, PodEncoding::Protobuf).await?
        {
            return Ok(pods);
        }
        Ok(list_path(client, &path, &filter.label_selector, PodEncoding::Json).await?.unwrap_or_default())
    });
    Ok(gather(filter, lists).await?.into_iter().flatten().collect())
}

/// [`list_pods`] in protobuf only; `Ok(None)` when the server answers a page with anything but a
/// protobuf pod list (an error status included): [`list_pods`] then asks again in JSON, which
/// reports errors as usual. A server that does not answer at all (refused, timed out) is an
/// error at once: a hung cluster costs one timeout, not two.
///
/// # Errors
/// The request or the reading of the answer failing.
pub async fn list_pods_protobuf(
    client: &kube::Client,
    filter: &PodFilter,
) -> std::result::Result<Option<Vec<PodInfo>>, kube::Error> {
    let lists = filter
        .paths()
        .into_iter()
        .map(|path| async move { list_path(client, &path, &filter.label_selector, PodEncoding::Protobuf).await });
    let lists: Vec<Option<Vec<PodInfo>>> = gather(filter, lists).await?;
    Ok(lists.into_iter().collect::<Option<Vec<Vec<PodInfo>>>>().map(|l| l.into_iter().flatten().collect()))
}

/// The lists of `filter`'s paths, run at once, in order (none when it selects nothing).
async fn gather<T, F>(filter: &PodFilter, lists: impl Iterator<Item = F>) -> std::result::Result<Vec<T>, kube::Error>
where
    F: Future<Output = std::result::Result<T, kube::Error>>,
{
    if filter.selects_nothing() {
        return Ok(Vec::new());
    }
    futures::future::try_join_all(lists).await
}

/// Every pod under `path` meeting `labels` (a Kubernetes label selector, empty for none) in
/// `encoding`, page by page; `None` when protobuf was asked for and the server answered otherwise.
async fn list_path(
    client: &kube::Client,
    path: &str,
    labels: &str,
    encoding: PodEncoding,
) -> std::result::Result<Option<Vec<PodInfo>>, kube::Error> {
    let request = kube::core::Request::new(path);
    let mut items = Vec::new();
    let mut params = first_page(labels);
    loop {
        let http = request.list(&params).map_err(kube::Error::BuildRequest)?;
        let (pods, token) = match encoding {
            PodEncoding::Protobuf => match protobuf_page(client, http).await? {
                Some(page) => page,
                None => return Ok(None),
            },
            PodEncoding::Json => {
                let page: PodPage = client.request(http).await?;
                (page.items, page.metadata.continue_.filter(|token| !token.is_empty()))
            }
        };
        items.extend(pods);
        match token {
            Some(token) => params = next_page(&token, labels),
            None => return Ok(Some(items)),
        }
    }
}

/// One page asked for as protobuf: its pods and continue token, or `None` when the answer is not
/// a protobuf pod list.
async fn protobuf_page(
    client: &kube::Client,
    mut http: http::Request<Vec<u8>>,
) -> std::result::Result<Option<(Vec<PodInfo>, Option<String>)>, kube::Error> {
    http.headers_mut().insert(http::header::ACCEPT, http::HeaderValue::from_static(pod_list_proto::PROTOBUF));
    let response = client.send(http.map(kube::client::Body::from)).await?;
    if !response.status().is_success() {
        return Ok(None);
    }
    let body = response.into_body().collect_bytes().await?;
    match pod_list_proto::decode_pod_page(body) {
        Ok(page) => Ok(Some(page)),
        Err(e) => {
            tracing::debug!("pods as protobuf: {e}; listing them as JSON");
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_request_reads_the_watch_cache() {
        let request = kube::core::Request::new("/api/v1/pods").list(&first_page("")).expect("request");
        let query = request.uri().query().unwrap_or_default();
        assert!(query.split('&').any(|p| p == "resourceVersion=0"), "{query}");
        assert!(!query.contains("limit="), "{query}");
        assert!(!query.contains("labelSelector"), "{query}");
        let next = kube::core::Request::new("/api/v1/pods").list(&next_page("token", "")).expect("request");
        assert!(next.uri().query().unwrap_or_default().contains("continue=token"));
    }

    #[test]
    fn every_page_carries_the_label_selector() {
        for params in [first_page("app=web,!canary"), next_page("token", "app=web,!canary")] {
            let request = kube::core::Request::new("/api/v1/pods").list(&params).expect("request");
            let query = request.uri().query().unwrap_or_default();
            assert!(query.contains("labelSelector=app%3Dweb%2C%21canary"), "{query}");
        }
    }
}

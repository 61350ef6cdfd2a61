//! Listing every pod of a cluster as [`PodInfo`]s: in Kubernetes' protobuf where the server
//! speaks it (`pod_list_proto`), else JSON, page by page from the watch cache.

use kube::api::ListParams;

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

/// Every pod, page by page, each read as a [`PodInfo`] (only the fields Calico uses).
///
/// # Errors
/// The list failing.
pub async fn list_pods(client: &kube::Client, encoding: PodEncoding) -> std::result::Result<Vec<PodInfo>, kube::Error> {
    if encoding == PodEncoding::Protobuf
        && let Some(pods) = list_pods_protobuf(client).await?
    {
        return Ok(pods);
    }
    list_pods_json(client).await
}

/// The first request's parameters: `resourceVersion=0`, served from the API server's watch
/// cache, as Calico's own informers list, instead of a consistent read of every page from etcd.
/// Without a limit: kube leaves `resourceVersion=0` out of a request with one (the watch cache of the
/// Kubernetes the tests run, 1.34, answers it whole anyway), which made a 10,000-pod list 20 pages read from etcd.
fn first_page() -> ListParams {
    ListParams::default().match_any()
}

/// A continued list carries its snapshot in the token, and no resourceVersion.
fn next_page(token: &str) -> ListParams {
    ListParams::default().limit(LIST_PAGE).continue_token(token)
}

/// [`list_pods`] in protobuf only; `Ok(None)` when the server answers a page with anything but a
/// protobuf pod list (an error status included): [`list_pods`] then asks again in JSON, which
/// reports errors as usual. A server that does not answer at all (refused, timed out) is an
/// error at once: a hung cluster costs one timeout, not two.
///
/// # Errors
/// The request or the reading of the answer failing.
pub async fn list_pods_protobuf(client: &kube::Client) -> std::result::Result<Option<Vec<PodInfo>>, kube::Error> {
    let request = kube::core::Request::new("/api/v1/pods");
    let mut items = Vec::new();
    let mut params = first_page();
    loop {
        let mut http = request.list(&params).map_err(kube::Error::BuildRequest)?;
        http.headers_mut().insert(http::header::ACCEPT, http::HeaderValue::from_static(pod_list_proto::PROTOBUF));
        let response = client.send(http.map(kube::client::Body::from)).await?;
        if !response.status().is_success() {
            return Ok(None);
        }
        let body = response.into_body().collect_bytes().await?;
        match pod_list_proto::decode_pod_page(body) {
            Ok((pods, token)) => {
                items.extend(pods);
                match token {
                    Some(token) => params = next_page(&token),
                    None => return Ok(Some(items)),
                }
            }
            Err(e) => {
                tracing::debug!("pods as protobuf: {e}; listing them as JSON");
                return Ok(None);
            }
        }
    }
}

/// [`list_pods`] in JSON, each pod read straight into a [`PodInfo`].
async fn list_pods_json(client: &kube::Client) -> std::result::Result<Vec<PodInfo>, kube::Error> {
    let request = kube::core::Request::new("/api/v1/pods");
    let mut items = Vec::new();
    let mut params = first_page();
    loop {
        let http = request.list(&params).map_err(kube::Error::BuildRequest)?;
        let page: PodPage = client.request(http).await?;
        items.extend(page.items);
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => params = next_page(&token),
            None => return Ok(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_request_reads_the_watch_cache() {
        let request = kube::core::Request::new("/api/v1/pods").list(&first_page()).expect("request");
        let query = request.uri().query().unwrap_or_default();
        assert!(query.split('&').any(|p| p == "resourceVersion=0"), "{query}");
        assert!(!query.contains("limit="), "{query}");
        let next = kube::core::Request::new("/api/v1/pods").list(&next_page("token")).expect("request");
        assert!(next.uri().query().unwrap_or_default().contains("continue=token"));
    }
}

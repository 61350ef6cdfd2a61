//! `svc create NAME --selector SEL --port [NAME:]PORT[/PROTO]... [-n NS] [--contexts a,b|--all-contexts]`

use std::io::Write;

use libfed::calico::selector::Selector;
use libfed::federated::SERVICE_SELECTOR_ANNOTATION;
use libfed::federated::config::FederationConfig;
use libfed::federated::service_plan::plan_service;
use libfed::names::{MANAGED_BY, MANAGED_BY_LABEL};
use libfed::plan::Op;
use serde::Serialize;
use serde_json::{Value, json};

use super::{connect_targets, namespace, selector_error};
use crate::cli::GlobalFlags;
use crate::cli::federation::DryRun;
use crate::cli::svc::CreateArgs;
use crate::commands::federation_flags::execution;
use crate::exit::ExitStatus;
use crate::output;
use crate::report_error::Hinted;

/// A parsed `--port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    name: Option<String>,
    port: u16,
    protocol: String,
}

/// Parses `[NAME:]PORT[/PROTO]`.
fn parse_port(text: &str) -> Result<PortSpec, String> {
    let (rest, protocol) = match text.rsplit_once('/') {
        Some((r, p)) => (r, p.to_ascii_uppercase()),
        None => (text, "TCP".to_owned()),
    };
    if !matches!(protocol.as_str(), "TCP" | "UDP" | "SCTP") {
        return Err(format!("--port {text:?}: protocol must be TCP, UDP or SCTP"));
    }
    let (name, number) = match rest.split_once(':') {
        Some((n, p)) => (Some(n.to_owned()), p),
        None => (None, rest),
    };
    let port: u16 = number
        .parse()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("--port {text:?}: {number:?} is not a port number (1-65535)"))?;
    if let Some(n) = &name {
        validate_port_name(n).map_err(|e| format!("--port {text:?}: {e}"))?;
    }
    Ok(PortSpec { name, port, protocol })
}

/// Kubernetes' IANA_SVC_NAME rule for port names.
fn validate_port_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 15
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.chars().any(|c| c.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "port name {name:?} must be 1-15 lowercase letters, digits and '-', with a letter, no leading, trailing or double '-'"
        ))
    }
}

/// Kubernetes' DNS-1035 rule for Service names.
fn validate_service_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "service name {name:?} is not a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, at most 63)"
        ))
    }
}

/// Checks the ports together as the API server would: several ports must all be named, and
/// names and (port, protocol) pairs must be unique.
fn validate_ports(ports: &[PortSpec]) -> Result<(), String> {
    if ports.len() > 1 && ports.iter().any(|p| p.name.is_none()) {
        return Err("with several ports, every port needs a name (NAME:PORT)".into());
    }
    for (i, a) in ports.iter().enumerate() {
        for b in &ports[i + 1..] {
            if a.name.is_some() && a.name == b.name {
                return Err(format!("port name {:?} is used twice", a.name.as_deref().unwrap_or_default()));
            }
            if a.port == b.port && a.protocol == b.protocol {
                return Err(format!("port {}/{} is given twice", a.port, a.protocol));
            }
        }
    }
    Ok(())
}

/// The federated Service object (pure).
pub fn service_object(name: &str, namespace: &str, selector: &str, ports: &[PortSpec]) -> Value {
    let ports: Vec<Value> = ports
        .iter()
        .map(|p| {
            let mut v = json!({"port": p.port, "protocol": p.protocol});
            if let Some(n) = &p.name {
                v["name"] = json!(n);
            }
            v
        })
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {MANAGED_BY_LABEL: MANAGED_BY},
            "annotations": {SERVICE_SELECTOR_ANNOTATION: selector},
        },
        "spec": {"type": "ClusterIP", "ports": ports},
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    cluster: String,
    namespace: String,
    name: String,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

pub async fn run(args: CreateArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    validate_service_name(&args.name).map_err(|e| Hinted::usage(e, "name the Service like my-app-federated"))?;
    // The selector first, with a caret under the bad token; then as the controller will scope it.
    Selector::parse(&args.selector).map_err(|e| selector_error("--selector", &e))?;
    let ports: Vec<PortSpec> = args
        .ports
        .iter()
        .map(|p| parse_port(p))
        .collect::<Result<_, _>>()
        .map_err(|e| Hinted::usage(e, "write ports as http:80, 80, 53/UDP or dns:53/UDP"))?;
    validate_ports(&ports).map_err(|e| Hinted::usage(e, "name each port: --port http:80 --port https:443"))?;
    let (kc, clusters) = connect_targets(&args.targets, global).await?;
    let mut rows = Vec::new();
    let mut objects = Vec::new();
    for cluster in &clusters {
        let ns = namespace(&kc, &cluster.context, args.namespace.as_deref())?;
        FederationConfig::parse(&ns, &args.selector).map_err(|e| selector_error("--selector", &e))?;
        let object = service_object(&args.name, &ns, &args.selector, &ports);
        let mut row = Row {
            cluster: cluster.context.clone(),
            namespace: ns.clone(),
            name: args.name.clone(),
            outcome: "",
            reason: None,
        };
        match apply(cluster, &object, args.dry_run).await {
            Ok(outcome) => row.outcome = outcome,
            Err(reason) => {
                row.outcome = "failed";
                row.reason = Some(reason);
            }
        }
        objects.push(object);
        rows.push(row);
    }
    let failed = rows.iter().any(|r| r.outcome == "failed");
    if args.dry_run == Some(DryRun::Client)
        && global.output != crate::cli::OutputFormat::Table
        && global.output != crate::cli::OutputFormat::Wide
    {
        output::write_structured(out, global.output, &objects)?;
    } else if !output::write_document(out, global.output, "ServiceChangeList", &json!({"services": rows}))? {
        let suffix = match args.dry_run {
            Some(DryRun::Client) => " (dry run)",
            Some(DryRun::Server) => " (server dry run)",
            _ => "",
        };
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.cluster.clone(),
                    r.namespace.clone(),
                    r.name.clone(),
                    format!("{}{suffix}", r.outcome),
                    r.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.write_all(output::table(&["cluster", "namespace", "name", "outcome", "reason"], table).as_bytes())?;
    }
    out.flush()?;
    if failed {
        let reasons: Vec<&str> = rows.iter().filter_map(|r| r.reason.as_deref()).collect();
        return Ok(super::rows_failed(rows.iter().filter(|r| r.outcome == "failed").count(), rows.len(), &reasons));
    }
    Ok(ExitStatus::Ok)
}

/// Plans the Service against the cluster (libfed refuses a Service of that name that is not a
/// federated one) and applies that plan; the outcome in kubectl's words.
async fn apply(
    cluster: &libfed::cluster::Cluster,
    object: &Value,
    dry_run: Option<DryRun>,
) -> Result<&'static str, String> {
    let chain = |e: libfed::Error| libfed::federate::error_chain(&e);
    let plan = plan_service(cluster, object.clone()).await.map_err(chain)?;
    plan.apply(&[cluster], execution(dry_run)).await.map_err(chain)?;
    Ok(match plan.actions().first().map(|a| a.op) {
        Some(Op::Create) => "created",
        Some(Op::Update) => "configured",
        _ => "unchanged",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_parse_like_the_flag_says() {
        let p = |name: Option<&str>, port, proto: &str| PortSpec {
            name: name.map(str::to_owned),
            port,
            protocol: proto.into(),
        };
        let cases = [
            ("80", p(None, 80, "TCP")),
            ("http:80", p(Some("http"), 80, "TCP")),
            ("53/udp", p(None, 53, "UDP")),
            ("dns:53/UDP", p(Some("dns"), 53, "UDP")),
            ("x:1/SCTP", p(Some("x"), 1, "SCTP")),
        ];
        for (text, want) in cases {
            assert_eq!(parse_port(text), Ok(want), "{text}");
        }
        for bad in [
            "",
            "0",
            "70000",
            "http:",
            "http:80/ICMP",
            "Http:80",
            "1234:80",
            "a--b:80",
            "verylongportname1:80",
            "-a:80",
        ] {
            assert!(parse_port(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn port_sets_and_names_are_checked_as_the_api_server_would() {
        let ports = |list: &[&str]| list.iter().map(|p| parse_port(p).expect("port")).collect::<Vec<_>>();
        assert!(validate_ports(&ports(&["80"])).is_ok());
        assert!(validate_ports(&ports(&["http:80", "https:443"])).is_ok());
        assert!(validate_ports(&ports(&["dns:53", "dns-udp:53/UDP"])).is_ok());
        assert!(validate_ports(&ports(&["80", "https:443"])).is_err());
        assert!(validate_ports(&ports(&["a:80", "a:81"])).is_err());
        assert!(validate_ports(&ports(&["a:80", "b:80"])).is_err());
        assert!(validate_service_name("my-app-federated").is_ok());
        for bad in ["", "1app", "App", "app-", "a_b", &"a".repeat(64)] {
            assert!(validate_service_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_service_is_selectorless_annotated_and_labelled() {
        let v =
            service_object("my-app-federated", "default", "run == \"my-app\"", &[parse_port("http:80").expect("port")]);
        assert_eq!(v["metadata"]["annotations"][SERVICE_SELECTOR_ANNOTATION], "run == \"my-app\"");
        assert_eq!(v["metadata"]["labels"][MANAGED_BY_LABEL], "kubectl-federate");
        assert!(v["spec"].get("selector").is_none());
        assert_eq!(v["spec"]["ports"], json!([{"name": "http", "port": 80, "protocol": "TCP"}]));
    }
}

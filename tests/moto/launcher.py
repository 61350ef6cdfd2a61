#!/usr/bin/env python3
"""Start a moto server on loopback for the AWS tests of kubectl-federate, with what moto lacks.

Usage: python3 tests/moto/launcher.py [--port N]   (0, the default, picks a free port)

Prints one line `ready http://127.0.0.1:PORT` on stdout once the server accepts requests, then
serves until it is killed or its stdin closes (so a test harness that dies takes it along).

moto 5.2.1 (pinned in tests/python/requirements.txt) is EXTENDED here, because the tests need
EKS behaviour it does not implement:

1. EKS access entries (moto has none; the routes return werkzeug's 404 page):
   CreateAccessEntry, DescribeAccessEntry, ListAccessEntries, UpdateAccessEntry,
   DeleteAccessEntry, AssociateAccessPolicy, DisassociateAccessPolicy,
   ListAssociatedAccessPolicies. State lives on moto's EKS backend, so `POST /moto-api/reset`
   clears it. Validation follows the AWS API reference as far as the tests need: the cluster must
   exist and its authentication mode must be API or API_AND_CONFIG_MAP (real EKS answers
   InvalidRequestException otherwise), one entry per principal (ResourceInUseException), no
   `system:` groups, no username or groups on node types.
2. `accessConfig.authenticationMode` in DescribeCluster (moto leaves accessConfig out). It is
   taken, in this order, from the cluster's entry in MOTO_EKS_CLUSTERS (below), from a
   `kubectl-federate/authentication-mode` tag given to CreateCluster, from CreateCluster's own
   `accessConfig`, else CONFIG_MAP (the API default). UpdateClusterConfig with `accessConfig`
   changes it, one way only (CONFIG_MAP -> API_AND_CONFIG_MAP -> API), as EKS does.
3. A real endpoint and CA per cluster name: moto invents a hostname and 1400 random characters
   as `certificateAuthority.data`. The environment variable MOTO_EKS_CLUSTERS holds JSON
   `{"NAME": {"endpoint": "https://127.0.0.1:6443", "caData": "<base64 PEM>",
   "authenticationMode": "API_AND_CONFIG_MAP"}}` (each field optional), so that DescribeCluster
   can point at a local kube-apiserver. MOTO_EKS_CLUSTERS_FILE names a file holding the same.
   Each cluster named there is also created at startup (in its "region", default us-east-1, of
   the default account, which MOTO_ACCOUNT_ID sets) unless it says "create": false, so tests
   need no CreateCluster call of their own.

Everything else (STS GetCallerIdentity, CreateCluster, …) is moto's own.
"""

import argparse
import json
import logging
import os
import sys
import threading
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.eks import models as eks_models
from moto.eks import urls as eks_urls
from moto.eks.exceptions import (
    InvalidParameterException,
    InvalidRequestException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from moto.eks.responses import EKSResponse
from moto.server import ThreadedMotoServer

MODE_TAG = "kubectl-federate/authentication-mode"
MODES = ["CONFIG_MAP", "API_AND_CONFIG_MAP", "API"]
NODE_TYPES = {"EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"}


def cluster_overrides() -> dict[str, Any]:
    """The per-cluster JSON of MOTO_EKS_CLUSTERS / MOTO_EKS_CLUSTERS_FILE, read on each creation
    so a test can change it between clusters."""
    text = os.environ.get("MOTO_EKS_CLUSTERS")
    path = os.environ.get("MOTO_EKS_CLUSTERS_FILE")
    if not text and path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
    return json.loads(text) if text else {}


def not_found(message: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(
        clusterName=None, nodegroupName=None, fargateProfileName=None, addonName=None, message=message
    )


# --- 2 and 3: endpoint, CA and authentication mode per cluster -------------------------------

_original_cluster_init = eks_models.Cluster.__init__


def _cluster_init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_cluster_init(self, *args, **kwargs)
    override = cluster_overrides().get(self.name, {})
    if override.get("endpoint"):
        self.endpoint = override["endpoint"]
    if override.get("caData"):
        self.certificate_authority = {"data": override["caData"]}
    mode = override.get("authenticationMode") or (self.tags or {}).get(MODE_TAG) or "CONFIG_MAP"
    self.access_config = {"authenticationMode": mode, "bootstrapClusterCreatorAdminPermissions": True}
    self.access_entries = {}  # principal ARN -> entry dict
    self.access_policies = {}  # principal ARN -> {policy ARN -> association dict}


eks_models.Cluster.__init__ = _cluster_init  # type: ignore[method-assign]

_original_create_cluster = EKSResponse.create_cluster


def _create_cluster(self: EKSResponse) -> ActionResult:
    result = _original_create_cluster(self)
    requested = (self._get_param("accessConfig") or {}).get("authenticationMode")
    name = self._get_param("name")
    cluster = self.eks_backend.clusters[name]
    overridden = cluster_overrides().get(name, {}).get("authenticationMode") or (cluster.tags or {}).get(MODE_TAG)
    if requested and not overridden:
        cluster.access_config["authenticationMode"] = requested
    return result


EKSResponse.create_cluster = _create_cluster  # type: ignore[method-assign]

_original_update_cluster_config = EKSResponse.update_cluster_config


def _update_cluster_config(self: EKSResponse) -> Any:
    requested = (self._get_param("accessConfig") or {}).get("authenticationMode")
    if requested:
        cluster = _cluster(self)
        current = cluster.access_config["authenticationMode"]
        if requested not in MODES or MODES.index(requested) < MODES.index(current):
            raise InvalidParameterException(
                clusterName=cluster.name,
                nodegroupName=None,
                fargateProfileName=None,
                addonName=None,
                message=f"Unsupported authentication mode update from {current} to {requested}",
            )
        cluster.access_config["authenticationMode"] = requested
    return _original_update_cluster_config(self)


EKSResponse.update_cluster_config = _update_cluster_config  # type: ignore[method-assign]


# --- 1: access entries ----------------------------------------------------------------------


def _cluster(self: EKSResponse) -> Any:
    name = self._get_param("name") or self._get_param("clusterName")
    cluster = self.eks_backend.clusters.get(name)
    if cluster is None:
        raise not_found(f"No cluster found for name: {name}.")
    return cluster


def _entries_cluster(self: EKSResponse) -> Any:
    cluster = _cluster(self)
    if cluster.access_config["authenticationMode"] not in ("API", "API_AND_CONFIG_MAP"):
        raise InvalidRequestException(
            clusterName=cluster.name,
            nodegroupName=None,
            fargateProfileName=None,
            addonName=None,
            message="The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        )
    return cluster


def _entry(cluster: Any, principal: str) -> dict[str, Any]:
    entry = cluster.access_entries.get(principal)
    if entry is None:
        raise not_found("The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.")
    return entry


def _validate(cluster: Any, entry_type: str, groups: list[str], username: str | None) -> None:
    def invalid(message: str) -> InvalidParameterException:
        return InvalidParameterException(
            clusterName=cluster.name, nodegroupName=None, fargateProfileName=None, addonName=None, message=message
        )

    if entry_type in NODE_TYPES and (groups or username):
        raise invalid(f"The kubernetesGroups and username parameters can't be specified for type {entry_type}.")
    for group in groups:
        if group.startswith("system:"):
            raise invalid(f"The kubernetes group name {group} is invalid, it cannot start with system:")


def _now() -> Any:
    return eks_models.utcnow()


def create_access_entry(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    principal = self._get_param("principalArn")
    if principal in cluster.access_entries:
        raise ResourceInUseException(
            clusterName=cluster.name, nodegroupName=None, fargateProfileName=None, addonName=None,
            message="The specified access entry resource is already in use on this cluster.",
        )
    entry_type = self._get_param("type") or "STANDARD"
    groups = self._get_param("kubernetesGroups") or []
    username = self._get_param("username")
    _validate(cluster, entry_type, groups, username)
    if not username:
        # EKS generates a username when none is given.
        kind = "node" if entry_type in NODE_TYPES else "session"
        username = "system:node:{{EC2PrivateDNSName}}" if kind == "node" else f"{principal}/{{{{SessionName}}}}"
    account = cluster.arn.split(":")[4]
    entry = {
        "clusterName": cluster.name,
        "principalArn": principal,
        "kubernetesGroups": groups,
        "accessEntryArn": f"arn:aws:eks:{self.region}:{account}:access-entry/{cluster.name}/{len(cluster.access_entries)}",
        "createdAt": _now(),
        "modifiedAt": _now(),
        "tags": self._get_param("tags") or {},
        "username": username,
        "type": entry_type,
    }
    cluster.access_entries[principal] = entry
    return ActionResult({"accessEntry": entry})


def describe_access_entry(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    return ActionResult({"accessEntry": _entry(cluster, self._get_param("principalArn"))})


def list_access_entries(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    policy = self._get_param("associatedPolicyArn")
    principals = [
        p for p in cluster.access_entries if not policy or policy in cluster.access_policies.get(p, {})
    ]
    return ActionResult({"accessEntries": principals})


def update_access_entry(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    entry = _entry(cluster, self._get_param("principalArn"))
    groups = self._get_param("kubernetesGroups")
    username = self._get_param("username")
    _validate(cluster, entry["type"], groups or [], username)
    if groups is not None:
        entry["kubernetesGroups"] = groups
    if username:
        entry["username"] = username
    entry["modifiedAt"] = _now()
    return ActionResult({"accessEntry": entry})


def delete_access_entry(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    principal = self._get_param("principalArn")
    _entry(cluster, principal)
    del cluster.access_entries[principal]
    cluster.access_policies.pop(principal, None)
    return EmptyResult()


def associate_access_policy(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    principal = self._get_param("principalArn")
    _entry(cluster, principal)
    policy = self._get_param("policyArn")
    if not policy or not policy.startswith("arn:aws:eks::aws:cluster-access-policy/"):
        raise InvalidParameterException(
            clusterName=cluster.name, nodegroupName=None, fargateProfileName=None, addonName=None,
            message=f"The policyArn {policy} is not a cluster access policy.",
        )
    scope = self._get_param("accessScope") or {"type": "cluster"}
    association = {"policyArn": policy, "accessScope": scope, "associatedAt": _now(), "modifiedAt": _now()}
    cluster.access_policies.setdefault(principal, {})[policy] = association
    return ActionResult({"clusterName": cluster.name, "principalArn": principal, "associatedAccessPolicy": association})


def disassociate_access_policy(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    principal = self._get_param("principalArn")
    _entry(cluster, principal)
    cluster.access_policies.get(principal, {}).pop(self._get_param("policyArn"), None)
    return EmptyResult()


def list_associated_access_policies(self: EKSResponse) -> ActionResult:
    cluster = _entries_cluster(self)
    principal = self._get_param("principalArn")
    _entry(cluster, principal)
    policies = list(cluster.access_policies.get(principal, {}).values())
    return ActionResult({"clusterName": cluster.name, "principalArn": principal, "associatedAccessPolicies": policies})


for _operation in (
    create_access_entry,
    describe_access_entry,
    list_access_entries,
    update_access_entry,
    delete_access_entry,
    associate_access_policy,
    disassociate_access_policy,
    list_associated_access_policies,
):
    setattr(EKSResponse, _operation.__name__, _operation)

# moto dispatches restJson operations by matching the raw path against the botocore model, so
# the routes only need to reach EKSResponse.dispatch. The principal ARN arrives URL-encoded.
eks_urls.url_paths.update(
    {
        "{0}/clusters/(?P<name>[^/]+)/access-entries$": eks_urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)$": eks_urls.response.dispatch,
    }
)


def create_configured_clusters() -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.eks.models import eks_backends

    account = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
    for name, spec in cluster_overrides().items():
        if spec.get("create", True):
            backend = eks_backends[account][spec.get("region", "us-east-1")]
            backend.create_cluster(
                name=name,
                role_arn=f"arn:aws:iam::{account}:role/eks-cluster",
                resources_vpc_config={"subnetIds": [], "securityGroupIds": []},
                version=spec.get("version", "1.33"),
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("MOTO_PORT", "0")))
    parser.add_argument("--host", default="127.0.0.1", help="loopback only: the tests never listen elsewhere")
    args = parser.parse_args()
    # One line per request on stderr drowns test output; errors still show.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    create_configured_clusters()
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"ready http://{host}:{port}", flush=True)
    # Serve until killed, or until the parent closes our stdin (it died without killing us).
    done = threading.Event()

    def watch_stdin() -> None:
        try:
            while sys.stdin.read(1):
                pass
        except (OSError, ValueError):
            pass
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()

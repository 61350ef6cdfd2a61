"""Tests of the walkthrough's CloudFormation templates in manifests/aws/.

Two kinds of check: cfn-lint (the pinned version) on both templates, and deployments to a moto
server running in this process on 127.0.0.1, never to real AWS.

moto 5.2.1 (pinned in requirements.txt) cannot run all of these templates. These are the gaps,
each named again in the test it affects, so that nothing here claims more than actually ran:

- Its CloudFormation has no `Fn::Cidr`. The moto_endpoint fixture adds that one intrinsic to the
  in-process server (`fn_cidr`, checked against the AWS documentation's examples below). Nothing
  else in moto is changed.
- It has no CloudFormation model for `AWS::EC2::VPCCidrBlock`, `AWS::EC2::SubnetCidrBlock` or
  `AWS::EC2::EgressOnlyInternetGateway`. It skips those resources, so the IPv6 half of the VPC
  never exists in moto. `test_ipv6_layout` checks that half statically; cfn-lint checks it too.
- It has no CloudFormation model for `AWS::EKS::Cluster`, and it fails (HTTP 500) on the
  template's `!GetAtt Cluster.Endpoint` output (test_moto_refuses_the_whole_eks_template). The
  EKS template is therefore deployed with the cluster removed: the launch template, the Auto
  Scaling group and its instances, and the imports from the infra stack do run. The cluster
  resource is checked statically and by cfn-lint.
- It ignores a role's `ManagedPolicyArns`, the VPC's DNS attributes, a subnet's
  `MapPublicIpOnLaunch` and a security group's IPv6 egress. It keeps subnet-route table
  associations where describe_route_tables cannot see them. It exports an output whose Condition
  is false. It does not apply a launch template's instance profile or metadata options to the
  instances it launches. Those values are checked in the template, or in the launch template
  that moto stores.
"""

import base64
import contextlib
import ipaddress
import itertools
import json
import re
import socket
import subprocess
import shutil
import sysconfig
from pathlib import Path

import boto3
import botocore.config
import botocore.parsers
import moto.cloudformation.parsing as moto_cfn_parsing
import pytest
from cfnlint.decode import decode_str
from moto.server import ThreadedMotoServer

REPO = Path(__file__).resolve().parents[2]
AWS_DIR = REPO / "manifests" / "aws"
INFRA = AWS_DIR / "cloudformation-infra.yaml"
EKS = AWS_DIR / "cloudformation-eks.yaml"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"

REGION = "us-east-1"
# Static fake credentials: the clients only ever talk to the moto server on 127.0.0.1.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

PUBLIC_STACK = "fed-public"  # CreatePrivateNetworks left at its default, "false"
PRIVATE_STACK = "fed-private"  # CreatePrivateNetworks=true, with a non-default VpcCidrBlock
EKS_STACK = "cluster-a"

# moto warns once for each resource it skips; the module doc lists those, and
# test_moto_cannot_create_exactly asserts them.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS.* not supported by moto:UserWarning")

INFRA_EXPORTS = {
    "VpcId",
    "PublicSubnetIds",
    "ControlPlaneSecurityGroupId",
    "NodeSecurityGroupId",
    "ClusterRoleArn",
    "NodeRoleName",
    "NodeRoleArn",
    "NodeInstanceProfileArn",
}
# moto's own resolver of intrinsics, before moto_with_fn_cidr wraps it.
MOTO_CLEAN_JSON = moto_cfn_parsing.clean_json

ROUTE_TABLES = {"PublicRouteTable", "PrivateRouteTable1", "PrivateRouteTable2", "PrivateRouteTable3"}


# --- helpers -------------------------------------------------------------------------------------


def load_template(path):
    """The template as plain JSON data, with short-form tags (`!Ref`) expanded to `Ref`/`Fn::*`."""
    template, problems = decode_str(path.read_text())
    assert not problems, f"{path.name} does not parse: {problems}"
    return json.loads(json.dumps(template))


def walk(node):
    """Every dict and list inside a template fragment, depth first."""
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from walk(child)


def imported_names(template):
    """The X of every `!ImportValue !Sub "${EnvironmentName}-X"` in the EKS template."""
    names = set()
    for node in walk(template):
        if isinstance(node, dict) and "Fn::ImportValue" in node:
            value = node["Fn::ImportValue"]
            match = re.fullmatch(r"\$\{EnvironmentName\}-(\w+)", value.get("Fn::Sub", ""))
            assert match, f"import of an unexpected shape: {value}"
            names.add(match.group(1))
    return names


def references(node, logical_id):
    """Whether a template fragment refers to a resource by Ref, GetAtt or Sub."""
    for item in walk(node):
        if not isinstance(item, dict):
            continue
        if item.get("Ref") == logical_id:
            return True
        if "Fn::GetAtt" in item and item["Fn::GetAtt"][0] == logical_id:
            return True
        sub = item.get("Fn::Sub")
        text = sub[0] if isinstance(sub, list) else sub
        if isinstance(text, str) and re.search(r"\$\{" + re.escape(logical_id) + r"[.}]", text):
            return True
    return False


def without_resources_of_types(template, types):
    """The template without the resources of `types`, the DependsOn on them, and the outputs
    that read them. Returns it with the names of the removed outputs. It fails if any other
    resource still uses a removed one, because then the result would not be the same template
    minus those resources.
    """
    template = json.loads(json.dumps(template))
    removed = {lid for lid, r in template["Resources"].items() if r["Type"] in types}
    for lid in removed:
        del template["Resources"][lid]
    for lid, resource in template["Resources"].items():
        depends = resource.get("DependsOn")
        if depends is not None:
            depends = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in removed]
            if depends:
                resource["DependsOn"] = depends
            else:
                del resource["DependsOn"]
        still_used = [r for r in removed if references(resource, r)]
        assert not still_used, f"{lid} still uses {still_used}"
    dropped = {k for k, out in template["Outputs"].items() if any(references(out, r) for r in removed)}
    for key in dropped:
        del template["Outputs"][key]
    return template, dropped


def types_moto_cannot_create(template):
    """The resource types in a template that moto's CloudFormation has no model for."""
    supported = set(moto_cfn_parsing.get_model_map()) | set(moto_cfn_parsing.NULL_MODELS)
    return {r["Type"] for r in template["Resources"].values()} - supported


def fn_cidr(ip_block, count, cidr_bits):
    """`Fn::Cidr` as AWS documents it: `count` consecutive blocks of `cidr_bits` host bits each,
    taken from the start of `ip_block`."""
    network = ipaddress.ip_network(ip_block)
    new_prefix = network.max_prefixlen - int(cidr_bits)
    blocks = [str(block) for block in itertools.islice(network.subnets(new_prefix=new_prefix), int(count))]
    if len(blocks) < int(count):
        raise ValueError(f"{ip_block} holds fewer than {count} blocks of {cidr_bits} host bits")
    return blocks


@contextlib.contextmanager
def moto_with_fn_cidr():
    """Add `Fn::Cidr` to moto's CloudFormation while the block runs.

    moto resolves every intrinsic through the module-level `clean_json`, and that function calls
    itself through the module global. So wrapping it also covers an `Fn::Cidr` nested inside
    `Fn::Select`, which is how the templates use it.
    """
    original = moto_cfn_parsing.clean_json

    def clean_json(resource_json, resources_map):
        if isinstance(resource_json, dict) and "Fn::Cidr" in resource_json:
            return fn_cidr(*original(resource_json["Fn::Cidr"], resources_map))
        return original(resource_json, resources_map)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(moto_cfn_parsing, "clean_json", clean_json)
        yield


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deploy(aws, stack_name, template_body, parameters=None):
    """Create a stack and return its outputs. moto creates stacks synchronously."""
    cfn = aws("cloudformation")
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=template_body,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def exports_of(aws, stack_name):
    stack_id = aws("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]["StackId"]
    exports = aws("cloudformation").list_exports()["Exports"]
    return {e["Name"]: e["Value"] for e in exports if e["ExportingStackId"] == stack_id}


def subnets_by_cidr(aws, vpc_id):
    subnets = aws("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    return {s["CidrBlock"]: s for s in subnets}


def route_tables_by_logical_id(aws, vpc_id):
    """The VPC's route tables that the stack created, by logical ID (from CloudFormation's tag)."""
    tables = aws("ec2").describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]
    by_id = {}
    for table in tables:
        tags = {t["Key"]: t["Value"] for t in table.get("Tags", [])}
        if "aws:cloudformation:logical-id" in tags:
            by_id[tags["aws:cloudformation:logical-id"]] = table
    return by_id


def default_route_target(route_table):
    """What a route table's IPv4 default route points at."""
    routes = [r for r in route_table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
    assert len(routes) == 1, route_table["Routes"]
    return routes[0].get("GatewayId") or routes[0].get("NatGatewayId")


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_endpoint():
    with moto_with_fn_cidr():
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture(scope="module")
def aws(moto_endpoint):
    def client(service):
        return boto3.client(service, endpoint_url=moto_endpoint, region_name=REGION, **FAKE_CREDENTIALS)

    return client


@pytest.fixture(scope="module")
def public_infra(aws):
    return deploy(aws, PUBLIC_STACK, INFRA.read_text())


@pytest.fixture(scope="module")
def private_infra(aws):
    return deploy(
        aws,
        PRIVATE_STACK,
        INFRA.read_text(),
        {"VpcCidrBlock": "10.20.0.0/16", "CreatePrivateNetworks": "true"},
    )


@pytest.fixture(scope="module")
def eks_nodes(aws, public_infra):
    """The EKS stack in the public infra stack's VPC, without the cluster (see the module doc)."""
    template, dropped_outputs = without_resources_of_types(load_template(EKS), {"AWS::EKS::Cluster"})
    image_id = aws("ec2").describe_images()["Images"][0]["ImageId"]
    aws("ec2").create_key_pair(KeyName=f"{EKS_STACK}-key")
    outputs = deploy(
        aws,
        EKS_STACK,
        json.dumps(template),
        {
            "EnvironmentName": PUBLIC_STACK,
            "KeyName": f"{EKS_STACK}-key",
            "ImageId": image_id,
            "WorkerNodeCount": "3",
            "KubernetesVersion": "1.32",
        },
    )
    return {"outputs": outputs, "dropped_outputs": dropped_outputs, "image_id": image_id}


# --- cfn-lint ------------------------------------------------------------------------------------


def cfn_lint_executable():
    """The cfn-lint that `pip install -r requirements.txt` put beside this Python, else PATH's."""
    beside = Path(sysconfig.get_path("scripts")) / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed: pip install -r tests/python/requirements.txt"
    return found


def test_cfn_lint_is_the_pinned_version():
    pinned = re.search(r"^cfn-lint==(\S+)$", REQUIREMENTS.read_text(), re.MULTILINE).group(1)
    version = subprocess.run(
        [cfn_lint_executable(), "--version"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert version == ["cfn-lint", pinned]


@pytest.mark.parametrize("template", [INFRA, EKS], ids=lambda p: p.name)
def test_cfn_lint_passes(template):
    # Exit code 0 means no errors, no warnings and no informational findings. cfn-lint sets bit 2
    # for errors, 4 for warnings and 8 for informational findings.
    result = subprocess.run(
        [cfn_lint_executable(), "--regions", REGION, "--", str(template)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the templates' interface --------------------------------------------------------------------


def test_parameters_are_the_walkthroughs():
    infra = load_template(INFRA)["Parameters"]
    assert set(infra) == {"VpcCidrBlock", "CreatePrivateNetworks"}
    assert infra["VpcCidrBlock"]["Default"] == "10.0.0.0/16"
    assert infra["CreatePrivateNetworks"]["Default"] == "false"
    assert infra["CreatePrivateNetworks"]["AllowedValues"] == ["true", "false"]

    eks = load_template(EKS)["Parameters"]
    assert set(eks) == {
        "EnvironmentName",
        "KeyName",
        "ImageId",
        "InstanceType",
        "WorkerNodeCount",
        "KubernetesVersion",
    }
    assert eks["InstanceType"]["Default"] == "t3.2xlarge"
    assert eks["WorkerNodeCount"]["Default"] == 2
    # The walkthrough passes these, and nothing sensible could be a default for them.
    assert not {"Default"} & (eks["EnvironmentName"].keys() | eks["KeyName"].keys() | eks["ImageId"].keys())


def test_eks_imports_only_what_the_infra_stack_exports():
    assert imported_names(load_template(EKS)) <= INFRA_EXPORTS


def test_node_role_name_is_the_one_aws_auth_maps():
    # manifests/aws-auth-cm.yaml maps arn:aws:iam::ACCOUNTID:role/<infra stack>-node-role, and an
    # aws-auth role ARN cannot carry an IAM path. So the name is fixed and the path stays "/".
    node_role = load_template(INFRA)["Resources"]["NodeRole"]["Properties"]
    assert node_role["RoleName"] == {"Fn::Sub": "${AWS::StackName}-node-role"}
    assert node_role.get("Path", "/") == "/"
    node_role_arn = load_template(EKS)["Outputs"]["NodeRoleArn"]["Value"]
    assert node_role_arn == {
        "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${EnvironmentName}-node-role"
    }


def test_ipv6_layout():
    # moto cannot create any of this (see the module doc), so the IPv6 half is checked here.
    resources = load_template(INFRA)["Resources"]
    assert resources["VpcIpv6CidrBlock"]["Type"] == "AWS::EC2::VPCCidrBlock"
    assert resources["VpcIpv6CidrBlock"]["Properties"] == {
        "VpcId": {"Ref": "Vpc"},
        "AmazonProvidedIpv6CidrBlock": True,
    }
    vpc_ipv6 = {"Fn::Select": [0, {"Fn::GetAtt": ["Vpc", "Ipv6CidrBlocks"]}]}
    # The /64 of subnet i is block i of the VPC's /56, the same index as its IPv4 /20.
    subnets = [f"{kind}Subnet{n}" for kind in ("Public", "Private") for n in (1, 2, 3)]
    for index, subnet in enumerate(subnets):
        ipv4 = resources[subnet]["Properties"]["CidrBlock"]
        assert ipv4 == {"Fn::Select": [index, {"Fn::Cidr": [{"Ref": "VpcCidrBlock"}, 6, 12]}]}, subnet
        block = resources[f"{subnet}Ipv6CidrBlock"]
        assert block["Type"] == "AWS::EC2::SubnetCidrBlock"
        # The VPC's block must be associated before a subnet can take a piece of it.
        assert block["DependsOn"] == "VpcIpv6CidrBlock", subnet
        assert block.get("Condition") == resources[subnet].get("Condition"), subnet
        assert block["Properties"] == {
            "SubnetId": {"Ref": subnet},
            "Ipv6CidrBlock": {"Fn::Select": [index, {"Fn::Cidr": [vpc_ipv6, 6, 64]}]},
        }, subnet
    # IPv6 leaves every subnet through the egress-only gateway.
    ipv6_routes = {
        lid: r
        for lid, r in resources.items()
        if r["Type"] == "AWS::EC2::Route" and "DestinationIpv6CidrBlock" in r["Properties"]
    }
    route_tables = {r["Properties"]["RouteTableId"]["Ref"] for r in ipv6_routes.values()}
    assert route_tables == ROUTE_TABLES
    for lid, route in ipv6_routes.items():
        assert route["DependsOn"] == "VpcIpv6CidrBlock", lid
        assert route["Properties"]["DestinationIpv6CidrBlock"] == "::/0", lid
        assert route["Properties"]["EgressOnlyInternetGatewayId"] == {"Ref": "EgressOnlyInternetGateway"}, lid


def test_vpc_has_dns_for_the_private_cluster_endpoint():
    # moto ignores these two properties, so they are checked in the template.
    vpc = load_template(INFRA)["Resources"]["Vpc"]["Properties"]
    assert vpc["EnableDnsSupport"] is True
    assert vpc["EnableDnsHostnames"] is True


def test_role_policies():
    # moto ignores ManagedPolicyArns (see test_iam_roles_and_instance_profile), so they are checked here.
    resources = load_template(INFRA)["Resources"]

    def policies(role):
        arns = resources[role]["Properties"]["ManagedPolicyArns"]
        return {arn["Fn::Sub"].removeprefix("arn:${AWS::Partition}:iam::aws:policy/") for arn in arns}

    assert policies("ClusterRole") == {"AmazonEKSClusterPolicy"}
    # AmazonEKSWorkerNodePolicy also grants the eks:DescribeCluster that bootstrap.sh needs.
    assert policies("NodeRole") == {
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonEC2ContainerRegistryReadOnly",
    }


def test_eks_cluster_resource():
    # moto has no CloudFormation model for AWS::EKS::Cluster, so the cluster is checked here.
    template = load_template(EKS)
    cluster = template["Resources"]["Cluster"]
    assert cluster["Type"] == "AWS::EKS::Cluster"
    props = cluster["Properties"]
    # The cluster is named after the stack: that is the NAME of `kubectl federate eks kubeconfig`.
    assert props["Name"] == {"Ref": "AWS::StackName"}
    assert props["Version"] == {"Ref": "KubernetesVersion"}
    assert props["RoleArn"] == {"Fn::ImportValue": {"Fn::Sub": "${EnvironmentName}-ClusterRoleArn"}}
    vpc_config = props["ResourcesVpcConfig"]
    assert vpc_config["SubnetIds"] == {
        "Fn::Split": [",", {"Fn::ImportValue": {"Fn::Sub": "${EnvironmentName}-PublicSubnetIds"}}]
    }
    assert vpc_config["SecurityGroupIds"] == [
        {"Fn::ImportValue": {"Fn::Sub": "${EnvironmentName}-ControlPlaneSecurityGroupId"}}
    ]
    assert vpc_config["EndpointPublicAccess"] is True
    # aws-auth (the walkthrough) must keep working. CloudFormation's default would be CONFIG_MAP,
    # which rules out access entries.
    assert props["AccessConfig"]["AuthenticationMode"] == "API_AND_CONFIG_MAP"
    # The nodes' bootstrap.sh calls eks:DescribeCluster, so they must not start before the cluster.
    assert template["Resources"]["NodeGroup"]["DependsOn"] == "Cluster"
    assert template["Outputs"]["ClusterName"]["Value"] == {"Ref": "Cluster"}
    assert template["Outputs"]["ClusterEndpoint"]["Value"] == {"Fn::GetAtt": ["Cluster", "Endpoint"]}


# --- what moto can and cannot run -----------------------------------------------------------------


def test_fn_cidr_matches_the_aws_documentation():
    # The examples on the Fn::Cidr page of the CloudFormation user guide.
    assert fn_cidr("192.168.0.0/24", 6, 5) == [
        "192.168.0.0/27",
        "192.168.0.32/27",
        "192.168.0.64/27",
        "192.168.0.96/27",
        "192.168.0.128/27",
        "192.168.0.160/27",
    ]
    assert fn_cidr("2600:1f16:ab:cd00::/56", 2, 64) == ["2600:1f16:ab:cd00::/64", "2600:1f16:ab:cd01::/64"]
    with pytest.raises(ValueError):
        fn_cidr("10.0.0.0/24", 1, 12)  # a /20 does not fit in a /24
    with pytest.raises(ValueError):
        fn_cidr("10.0.0.0/24", 9, 5)  # a /24 holds eight /27s


def test_moto_still_lacks_fn_cidr():
    # If this fails, moto implements Fn::Cidr itself and moto_with_fn_cidr should go.
    cidr = {"Fn::Cidr": ["10.0.0.0/16", 2, 12]}
    assert MOTO_CLEAN_JSON(cidr, {}) == cidr


@pytest.mark.parametrize(
    "template, unsupported",
    [
        pytest.param(
            INFRA,
            {"AWS::EC2::VPCCidrBlock", "AWS::EC2::SubnetCidrBlock", "AWS::EC2::EgressOnlyInternetGateway"},
            id=INFRA.name,
        ),
        pytest.param(EKS, {"AWS::EKS::Cluster"}, id=EKS.name),
    ],
)
def test_moto_cannot_create_exactly(template, unsupported):
    # The deployments below rely on these lists. If moto gains a model, or a template gains a type
    # moto lacks, this fails, and the checks that replace the deployment need another look.
    # The EKS template's other types, AWS::EC2::LaunchTemplate and AWS::AutoScaling::AutoScalingGroup,
    # are created by moto.
    assert types_moto_cannot_create(load_template(template)) == unsupported


def test_moto_refuses_the_whole_eks_template(moto_endpoint, public_infra):
    # moto validates the outputs before it creates anything. For `!GetAtt Cluster.Endpoint` it
    # looks up the model of AWS::EKS::Cluster, finds none, and answers 500. So the EKS stack is
    # deployed without the cluster (the eks_nodes fixture). No retries: the answer cannot change.
    cfn = boto3.client(
        "cloudformation",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 1}),
        **FAKE_CREDENTIALS,
    )
    with pytest.raises(botocore.parsers.ResponseParserError, match="500 Internal Server Error"):
        cfn.create_stack(
            StackName="whole-eks-template",
            TemplateBody=EKS.read_text(),
            Parameters=[
                {"ParameterKey": "EnvironmentName", "ParameterValue": PUBLIC_STACK},
                {"ParameterKey": "KeyName", "ParameterValue": "unused"},
                {"ParameterKey": "ImageId", "ParameterValue": "ami-12c6146b"},
                {"ParameterKey": "KubernetesVersion", "ParameterValue": "1.32"},
            ],
        )
    assert "whole-eks-template" not in {s["StackName"] for s in cfn.describe_stacks()["Stacks"]}


def test_vpc(aws, public_infra, private_infra):
    for outputs, cidr in ((public_infra, "10.0.0.0/16"), (private_infra, "10.20.0.0/16")):
        (vpc,) = aws("ec2").describe_vpcs(VpcIds=[outputs["VpcId"]])["Vpcs"]
        assert vpc["CidrBlock"] == cidr
        # moto skips AWS::EC2::VPCCidrBlock, so the VPC has no IPv6 block here. On AWS it gets an
        # Amazon-provided /56 (test_ipv6_layout). If moto starts modelling it, assert the /56.
        assert vpc.get("Ipv6CidrBlockAssociationSet", []) == []


def test_without_private_networks_three_public_subnets_and_no_nat(aws, public_infra):
    vpc_id = public_infra["VpcId"]
    subnets = subnets_by_cidr(aws, vpc_id)
    public = ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    assert sorted(subnets) == public
    assert [subnets[c]["AvailabilityZone"] for c in public] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    assert public_infra["PublicSubnetIds"].split(",") == [subnets[c]["SubnetId"] for c in public]

    (igw,) = aws("ec2").describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
    )["InternetGateways"]
    tables = route_tables_by_logical_id(aws, vpc_id)
    assert set(tables) == {"PublicRouteTable"}
    assert default_route_target(tables["PublicRouteTable"]) == igw["InternetGatewayId"]

    nat = aws("ec2").describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NatGateways"]
    assert nat == []


def test_with_private_networks_six_subnets_and_a_nat_gateway_per_zone(aws, private_infra):
    vpc_id = private_infra["VpcId"]
    subnets = subnets_by_cidr(aws, vpc_id)
    public = ["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]
    private = ["10.20.48.0/20", "10.20.64.0/20", "10.20.80.0/20"]
    assert sorted(subnets) == public + private
    assert private_infra["PublicSubnetIds"].split(",") == [subnets[c]["SubnetId"] for c in public]
    assert private_infra["PrivateSubnetIds"].split(",") == [subnets[c]["SubnetId"] for c in private]

    nat_gateways = aws("ec2").describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "NatGateways"
    ]
    assert len(nat_gateways) == 3
    assert len({n["NatGatewayAddresses"][0]["AllocationId"] for n in nat_gateways}) == 3
    nat_by_id = {n["NatGatewayId"]: n for n in nat_gateways}
    tables = route_tables_by_logical_id(aws, vpc_id)
    assert set(tables) == ROUTE_TABLES
    for zone, (public_cidr, private_cidr) in enumerate(zip(public, private), start=1):
        public_subnet, private_subnet = subnets[public_cidr], subnets[private_cidr]
        assert private_subnet["AvailabilityZone"] == public_subnet["AvailabilityZone"]
        # Zone n's private route table leaves through the NAT gateway in zone n's public subnet
        # (test_route_table_associations checks which subnets use which table).
        nat = nat_by_id[default_route_target(tables[f"PrivateRouteTable{zone}"])]
        assert nat["SubnetId"] == public_subnet["SubnetId"]
        assert nat["NatGatewayAddresses"][0]["AllocationId"].startswith("eipalloc-")


def test_route_table_associations():
    # moto records CloudFormation's subnet-route table associations apart from the route tables,
    # so describe_route_tables does not show them. They are checked in the template.
    resources = load_template(INFRA)["Resources"]
    associations = {
        r["Properties"]["SubnetId"]["Ref"]: (r["Properties"]["RouteTableId"]["Ref"], r.get("Condition"))
        for r in resources.values()
        if r["Type"] == "AWS::EC2::SubnetRouteTableAssociation"
    }
    assert associations == {
        **{f"PublicSubnet{n}": ("PublicRouteTable", None) for n in (1, 2, 3)},
        **{f"PrivateSubnet{n}": (f"PrivateRouteTable{n}", "CreatePrivateNetworks") for n in (1, 2, 3)},
    }


def test_public_subnets_give_instances_public_ipv4_addresses():
    # moto ignores MapPublicIpOnLaunch, so it is checked in the template.
    resources = load_template(INFRA)["Resources"]
    for n in (1, 2, 3):
        assert resources[f"PublicSubnet{n}"]["Properties"]["MapPublicIpOnLaunch"] is True
        assert "MapPublicIpOnLaunch" not in resources[f"PrivateSubnet{n}"]["Properties"]


def test_iam_roles_and_instance_profile(aws, public_infra):
    iam = aws("iam")
    for role_name, service in (
        (f"{PUBLIC_STACK}-cluster-role", "eks.amazonaws.com"),
        (f"{PUBLIC_STACK}-node-role", "ec2.amazonaws.com"),
    ):
        role = iam.get_role(RoleName=role_name)["Role"]
        assert role["Path"] == "/"
        (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"Service": service}
        assert statement["Effect"] == "Allow"
        # moto ignores ManagedPolicyArns (test_role_policies checks them in the template). If this
        # fails, moto attaches them, and the policy names can be checked here.
        assert iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"] == []

    node_role_arn = f"arn:aws:iam::123456789012:role/{PUBLIC_STACK}-node-role"
    assert public_infra["NodeRoleName"] == f"{PUBLIC_STACK}-node-role"
    assert public_infra["NodeRoleArn"] == node_role_arn
    assert public_infra["ClusterRoleArn"] == f"arn:aws:iam::123456789012:role/{PUBLIC_STACK}-cluster-role"
    profile = iam.get_instance_profile(InstanceProfileName=f"{PUBLIC_STACK}-node-instance-profile")
    assert profile["InstanceProfile"]["Arn"] == public_infra["NodeInstanceProfileArn"]
    assert [r["Arn"] for r in profile["InstanceProfile"]["Roles"]] == [node_role_arn]


def test_security_groups(aws, public_infra):
    node_sg = public_infra["NodeSecurityGroupId"]
    control_plane_sg = public_infra["ControlPlaneSecurityGroupId"]
    groups = aws("ec2").describe_security_groups(GroupIds=[node_sg, control_plane_sg])["SecurityGroups"]
    by_id = {g["GroupId"]: g for g in groups}
    assert {g["VpcId"] for g in groups} == {public_infra["VpcId"]}

    def ingress(group_id):
        return {
            (p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), pair["GroupId"])
            for p in by_id[group_id]["IpPermissions"]
            for pair in p["UserIdGroupPairs"]
        }

    assert ingress(node_sg) == {
        ("-1", None, None, node_sg),  # every node of every cluster: Calico, federation
        ("tcp", 443, 443, control_plane_sg),
        ("tcp", 1025, 65535, control_plane_sg),
    }
    assert ingress(control_plane_sg) == {("tcp", 443, 443, node_sg)}
    egress = by_id[node_sg]["IpPermissionsEgress"]
    assert {r["CidrIp"] for p in egress if p["IpProtocol"] == "-1" for r in p["IpRanges"]} == {"0.0.0.0/0"}
    # The template also allows all IPv6 egress (CidrIpv6 ::/0), which moto drops. If this fails,
    # moto keeps it, and this should assert {"::/0"}.
    assert [r for p in egress for r in p.get("Ipv6Ranges", [])] == []


@pytest.mark.parametrize("stack", [PUBLIC_STACK, PRIVATE_STACK])
def test_exports_are_prefixed_with_the_stack_name(aws, public_infra, private_infra, stack):
    outputs = {PUBLIC_STACK: public_infra, PRIVATE_STACK: private_infra}[stack]
    exports = exports_of(aws, stack)
    if stack == PUBLIC_STACK:
        # moto exports an output whose Condition is false; AWS does not. The Nones show that the
        # private subnets were not created. If this fails, moto got it right: drop these lines.
        assert exports.pop(f"{stack}-PrivateSubnetIds") == "None,None,None"
        assert "PrivateSubnetIds" not in outputs
    expected = INFRA_EXPORTS | ({"PrivateSubnetIds"} if stack == PRIVATE_STACK else set())
    assert exports == {f"{stack}-{key}": outputs[key] for key in expected}


# --- the EKS stack after the infra stack ----------------------------------------------------------


def test_eks_stack_imports_resolve_and_outputs_the_node_role(aws, public_infra, eks_nodes):
    # Only the outputs that read the (removed) cluster are missing.
    assert eks_nodes["dropped_outputs"] == {"ClusterName", "ClusterEndpoint"}
    # The role the aws-auth mapping names: the same ARN as the infra stack's role.
    assert eks_nodes["outputs"] == {
        "NodeRoleArn": public_infra["NodeRoleArn"],
        "NodeAutoScalingGroupName": f"{EKS_STACK}-nodes",
    }


def test_eks_launch_template(aws, public_infra, eks_nodes):
    ec2 = aws("ec2")
    (template,) = ec2.describe_launch_templates(LaunchTemplateNames=[f"{EKS_STACK}-nodes"])["LaunchTemplates"]
    (version,) = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"])[
        "LaunchTemplateVersions"
    ]
    data = version["LaunchTemplateData"]
    assert data["ImageId"] == eks_nodes["image_id"]
    assert data["InstanceType"] == "t3.2xlarge"
    assert data["KeyName"] == f"{EKS_STACK}-key"
    assert data["IamInstanceProfile"] == {"Arn": public_infra["NodeInstanceProfileArn"]}
    assert data["SecurityGroupIds"] == [public_infra["NodeSecurityGroupId"]]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    user_data = base64.b64decode(data["UserData"]).decode()
    assert user_data.startswith("#!/bin/bash\n")
    # The node joins the cluster named after the stack (EKS-optimized Amazon Linux 2 AMI).
    assert f"/etc/eks/bootstrap.sh '{EKS_STACK}'\n" in user_data


def test_eks_auto_scaling_group_starts_the_nodes_in_the_public_subnets(aws, public_infra, eks_nodes):
    (group,) = aws("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[f"{EKS_STACK}-nodes"])[
        "AutoScalingGroups"
    ]
    assert (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]) == (3, 3, 3)
    assert group["LaunchTemplate"]["LaunchTemplateName"] == f"{EKS_STACK}-nodes"
    public_subnets = public_infra["PublicSubnetIds"].split(",")
    assert sorted(group["VPCZoneIdentifier"].split(",")) == sorted(public_subnets)
    cluster_tag = {t["Key"]: (t["Value"], t["PropagateAtLaunch"]) for t in group["Tags"]}
    assert cluster_tag[f"kubernetes.io/cluster/{EKS_STACK}"] == ("owned", True)

    reservations = aws("ec2").describe_instances(
        Filters=[{"Name": "tag:aws:autoscaling:groupName", "Values": [f"{EKS_STACK}-nodes"]}]
    )["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]
    assert len(instances) == 3
    for instance in instances:
        assert instance["ImageId"] == eks_nodes["image_id"]
        assert instance["InstanceType"] == "t3.2xlarge"
        assert instance["SubnetId"] in public_subnets
        assert [g["GroupId"] for g in instance["SecurityGroups"]] == [public_infra["NodeSecurityGroupId"]]
        tags = {t["Key"]: t["Value"] for t in instance["Tags"]}
        assert tags[f"kubernetes.io/cluster/{EKS_STACK}"] == "owned"

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_federate_global_optspecs
    string join \n kubeconfig= context= o/output= request-timeout= connect-timeout= v/verbose q/quiet no-color log-format= h/help V/version
end

function __fish_kubectl_federate_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_federate_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_federate_using_subcommand
    set -l cmd (__fish_kubectl_federate_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "join" -d 'Give the local cluster (--context) read access to each REMOTE: RBAC and a token in REMOTE, a Secret and RemoteClusterConfiguration in LOCAL'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "unjoin" -d 'Remove the links to each REMOTE that join or mesh made'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "mesh" -d 'Federate every listed cluster with every other, both ways, concurrently'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "rotate" -d 'Renew the listed clusters\' credentials: a new token stored in every linked cluster, verified, then the old one revoked'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "aws-auth" -d 'Show or edit kube-system/aws-auth (or EKS access entries) without losing entries'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "eks" -d 'EKS bearer tokens and kubeconfig contexts, without the aws CLI'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "eval" -d 'Workload endpoints of the local cluster and its remotes matching a Calico selector (like calicoq eval)'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "status" -d 'Prove every federation link works, with the credential Calico will use; --wait polls until healthy'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "svc" -d 'Federated services: create, list, show, delete, and sync their endpoints across clusters'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "version" -d 'Print the version of kubectl-federate'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh or fish) for kubectl-federate'
complete -c kubectl-federate -n "__fish_kubectl_federate_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l token -d 'How the remote credential is made [default: what the remote records; secret for a new link]. Changing the recorded mode needs this flag, and the report says so' -r -f -a "secret\t'A service-account-token Secret (no expiry; revoked by deleting the Secret)'
request\t'A TokenRequest token valid for --token-ttl'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l token-ttl -d 'Lifetime of a --token request token [default: what the remote records, else 8760h]' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l token-wait -d 'How long to wait for the token controller to fill the token Secret' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l server -d 'API server URL to put in the kubeconfig minted for cluster NAME (repeatable)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l remote-namespace -d 'Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l secret-namespace -d 'Namespace of the local Secret, Role and RoleBinding' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l overlay-routing -d 'Set the RCC\'s spec.syncOptions.overlayRoutingMode' -r -f -a "enabled\t''
disabled\t''"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l dry-run -d 'Print the plan (client) or send writes with dryRun=All (server); nothing is changed' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l parallel -d 'How many links do their own work at once (a link waiting for a cluster takes no slot)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l bidirectional -d 'Also join each REMOTE to LOCAL (both directions)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l show-secrets -d 'Show tokens and kubeconfigs in --dry-run -o yaml|json output'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l eks -d 'Take the server URL and CA of minted kubeconfigs from EKS DescribeCluster (the EKS cluster name and region come from the context\'s ARN, else the cluster NAME and the AWS config)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l allow-loopback -d 'Every cluster runs on this machine (e.g. the test environment): a loopback server URL in a minted kubeconfig is no warning'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l insecure-allow-http-server -d 'DANGEROUS: accept plain http:// server URLs, so that Calico sends the stored token unencrypted. Only for a test cluster on a private network'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand join" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l secret-namespace -d 'Namespace of the local Secret, Role and RoleBinding' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l remote-namespace -d 'Namespace of the remote ServiceAccount and token' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l dry-run -d 'Print the plan (client) or send deletes with dryRun=All (server); nothing is changed' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l remote-cleanup -d 'Also remove the remote ServiceAccount, token Secret and RBAC once no other cluster uses them'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand unjoin" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -s f -l file -d 'A file listing the clusters: `clusters: [{name, context, server}]`' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l token -d 'How the remote credential is made [default: what the remote records; secret for a new link]. Changing the recorded mode needs this flag, and the report says so' -r -f -a "secret\t'A service-account-token Secret (no expiry; revoked by deleting the Secret)'
request\t'A TokenRequest token valid for --token-ttl'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l token-ttl -d 'Lifetime of a --token request token [default: what the remote records, else 8760h]' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l token-wait -d 'How long to wait for the token controller to fill the token Secret' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l server -d 'API server URL to put in the kubeconfig minted for cluster NAME (repeatable)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l remote-namespace -d 'Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l secret-namespace -d 'Namespace of the local Secret, Role and RoleBinding' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l overlay-routing -d 'Set the RCC\'s spec.syncOptions.overlayRoutingMode' -r -f -a "enabled\t''
disabled\t''"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l dry-run -d 'Print the plan (client) or send writes with dryRun=All (server); nothing is changed' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l parallel -d 'How many links do their own work at once (a link waiting for a cluster takes no slot)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -s A -l all-contexts -d 'Every context of the kubeconfig'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l prune -d 'Remove links this tool made to clusters not in the list'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l show-secrets -d 'Show tokens and kubeconfigs in --dry-run -o yaml|json output'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l eks -d 'Take the server URL and CA of minted kubeconfigs from EKS DescribeCluster (the EKS cluster name and region come from the context\'s ARN, else the cluster NAME and the AWS config)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l allow-loopback -d 'Every cluster runs on this machine (e.g. the test environment): a loopback server URL in a minted kubeconfig is no warning'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l insecure-allow-http-server -d 'DANGEROUS: accept plain http:// server URLs, so that Calico sends the stored token unencrypted. Only for a test cluster on a private network'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand mesh" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -s f -l file -d 'A file listing the clusters: `clusters: [{name, context, server}]`' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l remote-namespace -d 'Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l token-wait -d 'How long to wait for the token controller to fill a new token Secret' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l parallel -d 'How many remotes rotate at once' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -s A -l all-contexts -d 'Every context of the kubeconfig'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l dry-run -d 'Print what would change; write nothing anywhere'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand rotate" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -f -a "show" -d 'Print the role, user and account mappings'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -f -a "add-role" -d 'Map an IAM role to a Kubernetes username and groups'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -f -a "add-node-role" -d 'Map a node group\'s instance role (username system:node:{{EC2PrivateDNSName}}, groups system:bootstrappers, system:nodes)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -f -a "add-user" -d 'Map an IAM user to a Kubernetes username (default: the IAM user name) and groups'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -f -a "remove" -d 'Remove every mapping of a role ARN, user ARN or account ID (absent: no change)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -f -a "apply" -d 'Merge an aws-auth manifest (such as manifests/aws-auth-cm.yaml) into the ConfigMap, filling in ACCOUNTID from STS GetCallerIdentity'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and not __fish_seen_subcommand_from show add-role add-node-role add-user remove apply help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l username -d 'The Kubernetes username (templates such as {{SessionName}} allowed)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l group -d 'A Kubernetes group (repeat, or separate with commas)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l dry-run -d 'Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l cluster -d 'The EKS cluster name for --access-entries (default: read from the context\'s `aws eks get-token` / `kubectl-federate eks token` exec arguments)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l region -d 'The AWS region (default: the context\'s exec arguments, else the AWS config\'s)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l access-policy -d 'An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l replace -d 'Overwrite an existing, different mapping of the same ARN'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l force -d 'Make an edit that would lock nodes (system:nodes, system:bootstrappers) or the last system:masters mapping out of the cluster'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l access-entries -d 'Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-role" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l username -d 'The Kubernetes username (templates such as {{SessionName}} allowed)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l group -d 'A Kubernetes group (repeat, or separate with commas)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l dry-run -d 'Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l cluster -d 'The EKS cluster name for --access-entries (default: read from the context\'s `aws eks get-token` / `kubectl-federate eks token` exec arguments)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l region -d 'The AWS region (default: the context\'s exec arguments, else the AWS config\'s)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l access-policy -d 'An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l replace -d 'Overwrite an existing, different mapping of the same ARN'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l force -d 'Make an edit that would lock nodes (system:nodes, system:bootstrappers) or the last system:masters mapping out of the cluster'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l access-entries -d 'Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-node-role" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l username -d 'The Kubernetes username (templates such as {{SessionName}} allowed)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l group -d 'A Kubernetes group (repeat, or separate with commas)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l dry-run -d 'Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l cluster -d 'The EKS cluster name for --access-entries (default: read from the context\'s `aws eks get-token` / `kubectl-federate eks token` exec arguments)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l region -d 'The AWS region (default: the context\'s exec arguments, else the AWS config\'s)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l access-policy -d 'An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l replace -d 'Overwrite an existing, different mapping of the same ARN'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l force -d 'Make an edit that would lock nodes (system:nodes, system:bootstrappers) or the last system:masters mapping out of the cluster'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l access-entries -d 'Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from add-user" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l dry-run -d 'Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l cluster -d 'The EKS cluster name for --access-entries (default: read from the context\'s `aws eks get-token` / `kubectl-federate eks token` exec arguments)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l region -d 'The AWS region (default: the context\'s exec arguments, else the AWS config\'s)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l access-policy -d 'An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l force -d 'Make an edit that would lock nodes (system:nodes, system:bootstrappers) or the last system:masters mapping out of the cluster'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l access-entries -d 'Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -s f -l filename -d 'The manifest (`-` for stdin)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l dry-run -d 'Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l cluster -d 'The EKS cluster name for --access-entries (default: read from the context\'s `aws eks get-token` / `kubectl-federate eks token` exec arguments)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l region -d 'The AWS region (default: the context\'s exec arguments, else the AWS config\'s)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l access-policy -d 'An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l replace -d 'Overwrite existing mappings of the same ARNs that differ'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l force -d 'Make an edit that would lock nodes (system:nodes, system:bootstrappers) or the last system:masters mapping out of the cluster'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l access-entries -d 'Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the role, user and account mappings'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from help" -f -a "add-role" -d 'Map an IAM role to a Kubernetes username and groups'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from help" -f -a "add-node-role" -d 'Map a node group\'s instance role (username system:node:{{EC2PrivateDNSName}}, groups system:bootstrappers, system:nodes)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from help" -f -a "add-user" -d 'Map an IAM user to a Kubernetes username (default: the IAM user name) and groups'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove every mapping of a role ARN, user ARN or account ID (absent: no change)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Merge an aws-auth manifest (such as manifests/aws-auth-cm.yaml) into the ConfigMap, filling in ACCOUNTID from STS GetCallerIdentity'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand aws-auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -f -a "token" -d 'Print an ExecCredential with an EKS bearer token (what a kubeconfig exec user runs)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -f -a "kubeconfig" -d 'Add or update a kubeconfig context for an EKS cluster whose user runs `eks token`'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and not __fish_seen_subcommand_from token kubeconfig help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l cluster -d 'The EKS cluster name (signed into the token as x-k8s-aws-id)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l region -d 'The AWS region whose STS endpoint the token is signed for (default: the AWS config\'s)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l cluster -d 'The EKS cluster name' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l alias -d 'The context name (default: the cluster ARN, as `aws eks update-kubeconfig` names it)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l region -d 'The AWS region of the cluster (default: the AWS config\'s); written into the token command' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l profile -d 'The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l role-arn -d 'Assume this IAM role (STS AssumeRole) with the profile\'s credentials, and call AWS as it' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from kubeconfig" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print an ExecCredential with an EKS bearer token (what a kubeconfig exec user runs)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from help" -f -a "kubeconfig" -d 'Add or update a kubeconfig context for an EKS cluster whose user runs `eks token`'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand eval" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l expiry-warning -d 'A token expiring within this is a warning' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l timeout -d 'How long --wait waits' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l parallel -d 'How many links are checked at once' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -s A -l all-contexts -d 'Check every context of the kubeconfig'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l wait -d 'Check again until every link is healthy, or --timeout passes'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l allow-loopback -d 'Treat loopback server URLs as fine: every cluster runs on this machine (e.g. the test environment)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand status" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -f -a "create" -d 'Create (or update) a federated Service in each named cluster: no spec.selector, the federation.tigera.io/serviceSelector annotation, the given ports'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -f -a "list" -d 'List the federated Services of each cluster, with endpoint counts and backing Services'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -f -a "show" -d 'Show a federated Service\'s computed endpoints beside its Endpoints object, and the drift'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -f -a "delete" -d 'Delete a federated Service and the Endpoints and EndpointSlices written for it'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -f -a "sync" -d 'Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s): once, or continuously from watches (the federated-services controller)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and not __fish_seen_subcommand_from create list show delete sync help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l selector -d 'Calico selector over Services\' labels, e.g. \'run == "my-app"\' (same namespace only)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l port -d 'A port: [NAME:]PORT[/PROTO], e.g. http:80, 53/UDP (repeat, or separate with commas)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -s n -l namespace -d 'Namespace (default: the context\'s, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l contexts -d 'Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default: --context, else the current context' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the Service (client) or send it with dryRun=All (server); nothing is changed' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l all-contexts -d 'Every context of the kubeconfig'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -s n -l namespace -d 'Namespace (default: the context\'s, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l contexts -d 'Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default: --context, else the current context' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -s A -l all-namespaces -d 'Every namespace'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l all-contexts -d 'Every context of the kubeconfig'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -s n -l namespace -d 'Namespace (default: the context\'s, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -s n -l namespace -d 'Namespace (default: the context\'s, else `default`)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l contexts -d 'Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default: --context, else the current context' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l dry-run -d 'Check what would be deleted (client) or send the delete with dryRun=All (server); nothing is changed' -r -f -a "client\t'Print the plan; send nothing'
server\t'Send every write with dryRun=All'
none\t'Really write (same as omitting the flag)'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l ignore-not-found -d 'A cluster without the Service is not an error'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l all-contexts -d 'Every context of the kubeconfig'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l contexts -d 'Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default: --context, else the current context' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l lease-name -d 'Name of the Lease' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l lease-namespace -d 'Namespace of the Lease (default: POD_NAMESPACE, else kube-system)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l lease-duration -d 'How long a leader\'s lease lasts without renewal' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l renew-deadline -d 'How long a leader keeps writing without a successful renewal (less than --lease-duration)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l retry-period -d 'How often the lease is renewed or tried' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l identity -d 'This replica\'s identity in the Lease (default: POD_NAME or the host name, and the pid)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l resync -d 'Check every federated Service against the cluster this often, whatever changed' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l remotes-refresh -d 'Re-read the RemoteClusterConfigurations and their Secrets this often' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l remote-grace-period -d 'How long a remote whose watches fail keeps its endpoints before they are withdrawn (as Calico Enterprise: 60s); they are restored when it answers again' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l watch-timeout -d 'Server-side timeout of each watch call: a hung or silently gone API server is noticed after this plus 5s (then the grace period starts)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l health-probe-bind-address -d 'Serve /healthz and /readyz on this address (HOST:PORT, :PORT; 0: off)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l metrics-bind-address -d 'Serve Prometheus metrics on /metrics at this address (HOST:PORT, :PORT; 0: off)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l once -d 'Sync once and exit (exit 1 if a remote could not be read or a write failed)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l all-contexts -d 'Every context of the kubeconfig'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l leader-elect -d 'Elect a leader through a coordination.k8s.io/v1 Lease in the (first) local cluster; only the leader writes'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l events -d 'Publish Kubernetes Events on federated Services (endpoints changing materially, a remote failing); needs `create` and `patch` on events.k8s.io events'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from sync" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create (or update) a federated Service in each named cluster: no spec.selector, the federation.tigera.io/serviceSelector annotation, the given ports'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the federated Services of each cluster, with endpoint counts and backing Services'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a federated Service\'s computed endpoints beside its Endpoints object, and the drift'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a federated Service and the Endpoints and EndpointSlices written for it'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s): once, or continuously from watches (the federated-services controller)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand svc; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand version" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)' -r -F
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -l context -d 'The kubeconfig context of the local cluster (default: the current context)' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -s o -l output -d 'Output format' -r -f -a "table\t'A table for people'
wide\t'A table with more columns'
json\t'JSON: the stable contract'
yaml\t'YAML'
dot\t'Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -l connect-timeout -d 'How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own' -r
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -l log-format -d 'Format of the logs on stderr: text for people, json (one object a line, with a timestamp) for log collectors' -r -f -a "text\t'Plain lines'
json\t'One JSON object per line'"
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -s v -l verbose -d 'More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl\'s -v=N, -v N and -vN work'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -s q -l quiet -d 'Print only data and errors'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -l no-color -d 'Never colour output (also: the NO_COLOR environment variable)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "join" -d 'Give the local cluster (--context) read access to each REMOTE: RBAC and a token in REMOTE, a Secret and RemoteClusterConfiguration in LOCAL'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "unjoin" -d 'Remove the links to each REMOTE that join or mesh made'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "mesh" -d 'Federate every listed cluster with every other, both ways, concurrently'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "rotate" -d 'Renew the listed clusters\' credentials: a new token stored in every linked cluster, verified, then the old one revoked'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "aws-auth" -d 'Show or edit kube-system/aws-auth (or EKS access entries) without losing entries'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "eks" -d 'EKS bearer tokens and kubeconfig contexts, without the aws CLI'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "eval" -d 'Workload endpoints of the local cluster and its remotes matching a Calico selector (like calicoq eval)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "status" -d 'Prove every federation link works, with the credential Calico will use; --wait polls until healthy'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "svc" -d 'Federated services: create, list, show, delete, and sync their endpoints across clusters'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "version" -d 'Print the version of kubectl-federate'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "completion" -d 'Print a shell completion script (bash, zsh or fish) for kubectl-federate'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and not __fish_seen_subcommand_from join unjoin mesh rotate aws-auth eks eval status svc version completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from aws-auth" -f -a "show" -d 'Print the role, user and account mappings'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from aws-auth" -f -a "add-role" -d 'Map an IAM role to a Kubernetes username and groups'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from aws-auth" -f -a "add-node-role" -d 'Map a node group\'s instance role (username system:node:{{EC2PrivateDNSName}}, groups system:bootstrappers, system:nodes)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from aws-auth" -f -a "add-user" -d 'Map an IAM user to a Kubernetes username (default: the IAM user name) and groups'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from aws-auth" -f -a "remove" -d 'Remove every mapping of a role ARN, user ARN or account ID (absent: no change)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from aws-auth" -f -a "apply" -d 'Merge an aws-auth manifest (such as manifests/aws-auth-cm.yaml) into the ConfigMap, filling in ACCOUNTID from STS GetCallerIdentity'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from eks" -f -a "token" -d 'Print an ExecCredential with an EKS bearer token (what a kubeconfig exec user runs)'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from eks" -f -a "kubeconfig" -d 'Add or update a kubeconfig context for an EKS cluster whose user runs `eks token`'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from svc" -f -a "create" -d 'Create (or update) a federated Service in each named cluster: no spec.selector, the federation.tigera.io/serviceSelector annotation, the given ports'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from svc" -f -a "list" -d 'List the federated Services of each cluster, with endpoint counts and backing Services'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from svc" -f -a "show" -d 'Show a federated Service\'s computed endpoints beside its Endpoints object, and the drift'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from svc" -f -a "delete" -d 'Delete a federated Service and the Endpoints and EndpointSlices written for it'
complete -c kubectl-federate -n "__fish_kubectl_federate_using_subcommand help; and __fish_seen_subcommand_from svc" -f -a "sync" -d 'Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s): once, or continuously from watches (the federated-services controller)'

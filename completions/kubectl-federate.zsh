#compdef kubectl-federate

autoload -U is-at-least

_kubectl-federate() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_kubectl-federate_commands" \
"*::: :->kubectl-federate" \
&& ret=0
    case $state in
    (kubectl-federate)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-command-$line[1]:"
        case $line[1] in
            (join)
_arguments "${_arguments_options[@]}" : \
'--token=[How the remote credential is made \[default\: what the remote records; secret for a new link\]. Changing the recorded mode needs this flag, and the report says so]:TOKEN:((secret\:"A service-account-token Secret (no expiry; revoked by deleting the Secret)"
request\:"A TokenRequest token valid for --token-ttl"))' \
'--token-ttl=[Lifetime of a --token request token \[default\: what the remote records, else 8760h\]]:DURATION:_default' \
'--token-wait=[How long to wait for the token controller to fill the token Secret]:DURATION:_default' \
'*--server=[API server URL to put in the kubeconfig minted for cluster NAME (repeatable)]:NAME=URL:_default' \
'--remote-namespace=[Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20)]:NS:_default' \
'--secret-namespace=[Namespace of the local Secret, Role and RoleBinding]:NS:_default' \
'--overlay-routing=[Set the RCC'\''s spec.syncOptions.overlayRoutingMode]:OVERLAY_ROUTING:(enabled disabled)' \
'--dry-run=[Print the plan (client) or send writes with dryRun=All (server); nothing is changed]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--parallel=[How many links do their own work at once (a link waiting for a cluster takes no slot)]:N:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--bidirectional[Also join each REMOTE to LOCAL (both directions)]' \
'--show-secrets[Show tokens and kubeconfigs in --dry-run -o yaml|json output]' \
'--eks[Take the server URL and CA of minted kubeconfigs from EKS DescribeCluster (the EKS cluster name and region come from the context'\''s ARN, else the cluster NAME and the AWS config)]' \
'--allow-loopback[Every cluster runs on this machine (e.g. the test environment)\: a loopback server URL in a minted kubeconfig is no warning]' \
'--insecure-allow-http-server[DANGEROUS\: accept plain http\:// server URLs, so that Calico sends the stored token unencrypted. Only for a test cluster on a private network]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::remotes -- Remote clusters\: CONTEXT or NAME=CONTEXT (NAME is the RCC name and endpoint prefix):_default' \
&& ret=0
;;
(unjoin)
_arguments "${_arguments_options[@]}" : \
'--secret-namespace=[Namespace of the local Secret, Role and RoleBinding]:NS:_default' \
'--remote-namespace=[Namespace of the remote ServiceAccount and token]:NS:_default' \
'--dry-run=[Print the plan (client) or send deletes with dryRun=All (server); nothing is changed]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--remote-cleanup[Also remove the remote ServiceAccount, token Secret and RBAC once no other cluster uses them]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::remotes -- Links to remove\: the RCC NAME, NAME=CONTEXT, or the CONTEXT of the remote:_default' \
&& ret=0
;;
(mesh)
_arguments "${_arguments_options[@]}" : \
'-f+[A file listing the clusters\: \`clusters\: \[{name, context, server}\]\`]:FILE:_files' \
'--file=[A file listing the clusters\: \`clusters\: \[{name, context, server}\]\`]:FILE:_files' \
'--token=[How the remote credential is made \[default\: what the remote records; secret for a new link\]. Changing the recorded mode needs this flag, and the report says so]:TOKEN:((secret\:"A service-account-token Secret (no expiry; revoked by deleting the Secret)"
request\:"A TokenRequest token valid for --token-ttl"))' \
'--token-ttl=[Lifetime of a --token request token \[default\: what the remote records, else 8760h\]]:DURATION:_default' \
'--token-wait=[How long to wait for the token controller to fill the token Secret]:DURATION:_default' \
'*--server=[API server URL to put in the kubeconfig minted for cluster NAME (repeatable)]:NAME=URL:_default' \
'--remote-namespace=[Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20)]:NS:_default' \
'--secret-namespace=[Namespace of the local Secret, Role and RoleBinding]:NS:_default' \
'--overlay-routing=[Set the RCC'\''s spec.syncOptions.overlayRoutingMode]:OVERLAY_ROUTING:(enabled disabled)' \
'--dry-run=[Print the plan (client) or send writes with dryRun=All (server); nothing is changed]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--parallel=[How many links do their own work at once (a link waiting for a cluster takes no slot)]:N:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'(-f --file)-A[Every context of the kubeconfig]' \
'(-f --file)--all-contexts[Every context of the kubeconfig]' \
'--prune[Remove links this tool made to clusters not in the list]' \
'--show-secrets[Show tokens and kubeconfigs in --dry-run -o yaml|json output]' \
'--eks[Take the server URL and CA of minted kubeconfigs from EKS DescribeCluster (the EKS cluster name and region come from the context'\''s ARN, else the cluster NAME and the AWS config)]' \
'--allow-loopback[Every cluster runs on this machine (e.g. the test environment)\: a loopback server URL in a minted kubeconfig is no warning]' \
'--insecure-allow-http-server[DANGEROUS\: accept plain http\:// server URLs, so that Calico sends the stored token unencrypted. Only for a test cluster on a private network]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::contexts -- Clusters\: CONTEXT or NAME=CONTEXT:_default' \
&& ret=0
;;
(rotate)
_arguments "${_arguments_options[@]}" : \
'-f+[A file listing the clusters\: \`clusters\: \[{name, context, server}\]\`]:FILE:_files' \
'--file=[A file listing the clusters\: \`clusters\: \[{name, context, server}\]\`]:FILE:_files' \
'--remote-namespace=[Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20)]:NS:_default' \
'--token-wait=[How long to wait for the token controller to fill a new token Secret]:DURATION:_default' \
'--parallel=[How many remotes rotate at once]:N:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'(-f --file)-A[Every context of the kubeconfig]' \
'(-f --file)--all-contexts[Every context of the kubeconfig]' \
'--dry-run[Print what would change; write nothing anywhere]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::contexts -- Clusters\: CONTEXT or NAME=CONTEXT:_default' \
&& ret=0
;;
(aws-auth)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_kubectl-federate__subcmd__aws-auth_commands" \
"*::: :->aws-auth" \
&& ret=0

    case $state in
    (aws-auth)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-aws-auth-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(add-role)
_arguments "${_arguments_options[@]}" : \
'--username=[The Kubernetes username (templates such as {{SessionName}} allowed)]:NAME:_default' \
'*--group=[A Kubernetes group (repeat, or separate with commas)]:GROUP:_default' \
'--dry-run=[Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--cluster=[The EKS cluster name for --access-entries (default\: read from the context'\''s \`aws eks get-token\` / \`kubectl-federate eks token\` exec arguments)]:NAME:_default' \
'--region=[The AWS region (default\: the context'\''s exec arguments, else the AWS config'\''s)]:REGION:_default' \
'*--access-policy=[An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy]:POLICY:_default' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--replace[Overwrite an existing, different mapping of the same ARN]' \
'--force[Make an edit that would lock nodes (system\:nodes, system\:bootstrappers) or the last system\:masters mapping out of the cluster]' \
'--access-entries[Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':arn -- The role ARN, without an IAM path (arn\:aws\:iam\:\:ACCOUNT\:role/NAME):_default' \
&& ret=0
;;
(add-node-role)
_arguments "${_arguments_options[@]}" : \
'--username=[The Kubernetes username (templates such as {{SessionName}} allowed)]:NAME:_default' \
'*--group=[A Kubernetes group (repeat, or separate with commas)]:GROUP:_default' \
'--dry-run=[Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--cluster=[The EKS cluster name for --access-entries (default\: read from the context'\''s \`aws eks get-token\` / \`kubectl-federate eks token\` exec arguments)]:NAME:_default' \
'--region=[The AWS region (default\: the context'\''s exec arguments, else the AWS config'\''s)]:REGION:_default' \
'*--access-policy=[An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy]:POLICY:_default' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--replace[Overwrite an existing, different mapping of the same ARN]' \
'--force[Make an edit that would lock nodes (system\:nodes, system\:bootstrappers) or the last system\:masters mapping out of the cluster]' \
'--access-entries[Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':arn -- The instance role ARN (not the instance profile):_default' \
&& ret=0
;;
(add-user)
_arguments "${_arguments_options[@]}" : \
'--username=[The Kubernetes username (templates such as {{SessionName}} allowed)]:NAME:_default' \
'*--group=[A Kubernetes group (repeat, or separate with commas)]:GROUP:_default' \
'--dry-run=[Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--cluster=[The EKS cluster name for --access-entries (default\: read from the context'\''s \`aws eks get-token\` / \`kubectl-federate eks token\` exec arguments)]:NAME:_default' \
'--region=[The AWS region (default\: the context'\''s exec arguments, else the AWS config'\''s)]:REGION:_default' \
'*--access-policy=[An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy]:POLICY:_default' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--replace[Overwrite an existing, different mapping of the same ARN]' \
'--force[Make an edit that would lock nodes (system\:nodes, system\:bootstrappers) or the last system\:masters mapping out of the cluster]' \
'--access-entries[Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':arn -- The user ARN:_default' \
&& ret=0
;;
(remove)
_arguments "${_arguments_options[@]}" : \
'--dry-run=[Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--cluster=[The EKS cluster name for --access-entries (default\: read from the context'\''s \`aws eks get-token\` / \`kubectl-federate eks token\` exec arguments)]:NAME:_default' \
'--region=[The AWS region (default\: the context'\''s exec arguments, else the AWS config'\''s)]:REGION:_default' \
'*--access-policy=[An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy]:POLICY:_default' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--force[Make an edit that would lock nodes (system\:nodes, system\:bootstrappers) or the last system\:masters mapping out of the cluster]' \
'--access-entries[Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':arn -- The role ARN, user ARN or 12-digit account ID:_default' \
&& ret=0
;;
(apply)
_arguments "${_arguments_options[@]}" : \
'-f+[The manifest (\`-\` for stdin)]:FILE:_files' \
'--filename=[The manifest (\`-\` for stdin)]:FILE:_files' \
'--dry-run=[Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are never sent in a dry run)]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--cluster=[The EKS cluster name for --access-entries (default\: read from the context'\''s \`aws eks get-token\` / \`kubectl-federate eks token\` exec arguments)]:NAME:_default' \
'--region=[The AWS region (default\: the context'\''s exec arguments, else the AWS config'\''s)]:REGION:_default' \
'*--access-policy=[An EKS access policy to associate with --access-entries, cluster-wide (name or ARN, repeatable), e.g. AmazonEKSViewPolicy]:POLICY:_default' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--replace[Overwrite existing mappings of the same ARNs that differ]' \
'--force[Make an edit that would lock nodes (system\:nodes, system\:bootstrappers) or the last system\:masters mapping out of the cluster]' \
'--access-entries[Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-federate__subcmd__aws-auth__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-aws-auth-help-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add-role)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add-node-role)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add-user)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(remove)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(apply)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(eks)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_kubectl-federate__subcmd__eks_commands" \
"*::: :->eks" \
&& ret=0

    case $state in
    (eks)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-eks-command-$line[1]:"
        case $line[1] in
            (token)
_arguments "${_arguments_options[@]}" : \
'--cluster=[The EKS cluster name (signed into the token as x-k8s-aws-id)]:NAME:_default' \
'--region=[The AWS region whose STS endpoint the token is signed for (default\: the AWS config'\''s)]:REGION:_default' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(kubeconfig)
_arguments "${_arguments_options[@]}" : \
'--cluster=[The EKS cluster name]:NAME:_default' \
'--alias=[The context name (default\: the cluster ARN, as \`aws eks update-kubeconfig\` names it)]:NAME:_default' \
'--region=[The AWS region of the cluster (default\: the AWS config'\''s); written into the token command]:REGION:_default' \
'--profile=[The AWS profile (as \`aws --profile\`; default\: AWS_PROFILE, else \`default\`)]:NAME:_default' \
'--role-arn=[Assume this IAM role (STS AssumeRole) with the profile'\''s credentials, and call AWS as it]:ARN:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-federate__subcmd__eks__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-eks-help-command-$line[1]:"
        case $line[1] in
            (token)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(kubeconfig)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(eval)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':selector -- A Calico selector, e.g. '\''all()'\'' or "app == '\''web'\'' && has(projectcalico.org/namespace)":_default' \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
'--expiry-warning=[A token expiring within this is a warning]:DURATION:_default' \
'--timeout=[How long --wait waits]:DURATION:_default' \
'--parallel=[How many links are checked at once]:N:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'-A[Check every context of the kubeconfig]' \
'--all-contexts[Check every context of the kubeconfig]' \
'--wait[Check again until every link is healthy, or --timeout passes]' \
'--allow-loopback[Treat loopback server URLs as fine\: every cluster runs on this machine (e.g. the test environment)]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::contexts -- Local clusters to check\: CONTEXT or NAME=CONTEXT (default\: --context, else the current context):_default' \
&& ret=0
;;
(svc)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_kubectl-federate__subcmd__svc_commands" \
"*::: :->svc" \
&& ret=0

    case $state in
    (svc)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-svc-command-$line[1]:"
        case $line[1] in
            (create)
_arguments "${_arguments_options[@]}" : \
'--selector=[Calico selector over Services'\'' labels, e.g. '\''run == "my-app"'\'' (same namespace only)]:SELECTOR:_default' \
'*--port=[A port\: \[NAME\:\]PORT\[/PROTO\], e.g. http\:80, 53/UDP (repeat, or separate with commas)]:[NAME:]PORT[/PROTO]:_default' \
'-n+[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'--namespace=[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'(--all-contexts)*--contexts=[Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default\: --context, else the current context]:CONTEXT:_default' \
'--dry-run=[Print the Service (client) or send it with dryRun=All (server); nothing is changed]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--all-contexts[Every context of the kubeconfig]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name -- The Service name (a DNS-1035 label):_default' \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
'(-A --all-namespaces)-n+[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'(-A --all-namespaces)--namespace=[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'(--all-contexts)*--contexts=[Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default\: --context, else the current context]:CONTEXT:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'-A[Every namespace]' \
'--all-namespaces[Every namespace]' \
'--all-contexts[Every context of the kubeconfig]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'-n+[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'--namespace=[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name -- The federated Service:_default' \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
'-n+[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'--namespace=[Namespace (default\: the context'\''s, else \`default\`)]:NAMESPACE:_default' \
'(--all-contexts)*--contexts=[Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default\: --context, else the current context]:CONTEXT:_default' \
'--dry-run=[Check what would be deleted (client) or send the delete with dryRun=All (server); nothing is changed]::DRY_RUN:((client\:"Print the plan; send nothing"
server\:"Send every write with dryRun=All"
none\:"Really write (same as omitting the flag)"))' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--ignore-not-found[A cluster without the Service is not an error]' \
'--all-contexts[Every context of the kubeconfig]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name -- The federated Service:_default' \
&& ret=0
;;
(sync)
_arguments "${_arguments_options[@]}" : \
'(--all-contexts)*--contexts=[Clusters to act on (CONTEXT or NAME=CONTEXT; commas or repetition). Default\: --context, else the current context]:CONTEXT:_default' \
'--lease-name=[Name of the Lease]:NAME:_default' \
'--lease-namespace=[Namespace of the Lease (default\: POD_NAMESPACE, else kube-system)]:NS:_default' \
'--lease-duration=[How long a leader'\''s lease lasts without renewal]:DURATION:_default' \
'--renew-deadline=[How long a leader keeps writing without a successful renewal (less than --lease-duration)]:DURATION:_default' \
'--retry-period=[How often the lease is renewed or tried]:DURATION:_default' \
'--identity=[This replica'\''s identity in the Lease (default\: POD_NAME or the host name, and the pid)]:ID:_default' \
'--resync=[Check every federated Service against the cluster this often, whatever changed]:DURATION:_default' \
'--remotes-refresh=[Re-read the RemoteClusterConfigurations and their Secrets this often]:DURATION:_default' \
'(--once)--remote-grace-period=[How long a remote whose watches fail keeps its endpoints before they are withdrawn (as Calico Enterprise\: 60s); they are restored when it answers again]:DURATION:_default' \
'(--once)--watch-timeout=[Server-side timeout of each watch call\: a hung or silently gone API server is noticed after this plus 5s (then the grace period starts)]:DURATION:_default' \
'(--once)--health-probe-bind-address=[Serve /healthz and /readyz on this address (HOST\:PORT, \:PORT; 0\: off)]:ADDR:_default' \
'(--once)--metrics-bind-address=[Serve Prometheus metrics on /metrics at this address (HOST\:PORT, \:PORT; 0\: off)]:ADDR:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'--once[Sync once and exit (exit 1 if a remote could not be read or a write failed)]' \
'--all-contexts[Every context of the kubeconfig]' \
'(--once)--leader-elect[Elect a leader through a coordination.k8s.io/v1 Lease in the (first) local cluster; only the leader writes]' \
'(--once)--events[Publish Kubernetes Events on federated Services (endpoints changing materially, a remote failing); needs \`create\` and \`patch\` on events.k8s.io events]' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-federate__subcmd__svc__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-svc-help-command-$line[1]:"
        case $line[1] in
            (create)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(sync)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(version)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: KUBECONFIG, several files merged like kubectl, else ~/.kube/config)]:PATH:_files' \
'--context=[The kubeconfig context of the local cluster (default\: the current context)]:NAME:_default' \
'-o+[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--output=[Output format]:OUTPUT:((table\:"A table for people"
wide\:"A table with more columns"
json\:"JSON\: the stable contract"
yaml\:"YAML"
dot\:"Graphviz DOT (status only)\: \`status -A -o dot | dot -Tsvg > federation.svg\`"))' \
'--request-timeout=[How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit]:DURATION:_default' \
'--connect-timeout=[How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own]:DURATION:_default' \
'--log-format=[Format of the logs on stderr\: text for people, json (one object a line, with a timestamp) for log collectors]:LOG_FORMAT:((text\:"Plain lines"
json\:"One JSON object per line"))' \
'*-v[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'*--verbose[More logs on stderr\: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl'\''s -v=N, -v N and -vN work]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'--no-color[Never colour output (also\: the NO_COLOR environment variable)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- The shell to print a completion script for:((bash\:"Bash"
zsh\:"Zsh"
fish\:"Fish"))' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-federate__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-help-command-$line[1]:"
        case $line[1] in
            (join)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(unjoin)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(mesh)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(rotate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(aws-auth)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-federate__subcmd__help__subcmd__aws-auth_commands" \
"*::: :->aws-auth" \
&& ret=0

    case $state in
    (aws-auth)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-help-aws-auth-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add-role)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add-node-role)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add-user)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(remove)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(apply)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(eks)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-federate__subcmd__help__subcmd__eks_commands" \
"*::: :->eks" \
&& ret=0

    case $state in
    (eks)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-help-eks-command-$line[1]:"
        case $line[1] in
            (token)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(kubeconfig)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(eval)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(svc)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-federate__subcmd__help__subcmd__svc_commands" \
"*::: :->svc" \
&& ret=0

    case $state in
    (svc)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-federate-help-svc-command-$line[1]:"
        case $line[1] in
            (create)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(delete)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(sync)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(version)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_kubectl-federate_commands] )) ||
_kubectl-federate_commands() {
    local commands; commands=(
'join:Give the local cluster (--context) read access to each REMOTE\: RBAC and a token in REMOTE, a Secret and RemoteClusterConfiguration in LOCAL' \
'unjoin:Remove the links to each REMOTE that join or mesh made' \
'mesh:Federate every listed cluster with every other, both ways, concurrently' \
'rotate:Renew the listed clusters'\'' credentials\: a new token stored in every linked cluster, verified, then the old one revoked' \
'aws-auth:Show or edit kube-system/aws-auth (or EKS access entries) without losing entries' \
'eks:EKS bearer tokens and kubeconfig contexts, without the aws CLI' \
'eval:Workload endpoints of the local cluster and its remotes matching a Calico selector (like calicoq eval)' \
'status:Prove every federation link works, with the credential Calico will use; --wait polls until healthy' \
'svc:Federated services\: create, list, show, delete, and sync their endpoints across clusters' \
'version:Print the version of kubectl-federate' \
'completion:Print a shell completion script (bash, zsh or fish) for kubectl-federate' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth_commands] )) ||
_kubectl-federate__subcmd__aws-auth_commands() {
    local commands; commands=(
'show:Print the role, user and account mappings' \
'add-role:Map an IAM role to a Kubernetes username and groups' \
'add-node-role:Map a node group'\''s instance role (username system\:node\:{{EC2PrivateDNSName}}, groups system\:bootstrappers, system\:nodes)' \
'add-user:Map an IAM user to a Kubernetes username (default\: the IAM user name) and groups' \
'remove:Remove every mapping of a role ARN, user ARN or account ID (absent\: no change)' \
'apply:Merge an aws-auth manifest (such as manifests/aws-auth-cm.yaml) into the ConfigMap, filling in ACCOUNTID from STS GetCallerIdentity' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate aws-auth commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__add-node-role_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__add-node-role_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth add-node-role commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__add-role_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__add-role_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth add-role commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__add-user_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__add-user_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth add-user commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__apply_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__apply_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth apply commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help_commands() {
    local commands; commands=(
'show:Print the role, user and account mappings' \
'add-role:Map an IAM role to a Kubernetes username and groups' \
'add-node-role:Map a node group'\''s instance role (username system\:node\:{{EC2PrivateDNSName}}, groups system\:bootstrappers, system\:nodes)' \
'add-user:Map an IAM user to a Kubernetes username (default\: the IAM user name) and groups' \
'remove:Remove every mapping of a role ARN, user ARN or account ID (absent\: no change)' \
'apply:Merge an aws-auth manifest (such as manifests/aws-auth-cm.yaml) into the ConfigMap, filling in ACCOUNTID from STS GetCallerIdentity' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate aws-auth help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__add-node-role_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__add-node-role_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth help add-node-role commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__add-role_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__add-role_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth help add-role commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__add-user_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__add-user_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth help add-user commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__apply_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__apply_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth help apply commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth help help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__remove_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__remove_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth help remove commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__show_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth help show commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__remove_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__remove_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth remove commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__aws-auth__subcmd__show_commands] )) ||
_kubectl-federate__subcmd__aws-auth__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate aws-auth show commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__completion_commands] )) ||
_kubectl-federate__subcmd__completion_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate completion commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eks_commands] )) ||
_kubectl-federate__subcmd__eks_commands() {
    local commands; commands=(
'token:Print an ExecCredential with an EKS bearer token (what a kubeconfig exec user runs)' \
'kubeconfig:Add or update a kubeconfig context for an EKS cluster whose user runs \`eks token\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate eks commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eks__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__eks__subcmd__help_commands() {
    local commands; commands=(
'token:Print an ExecCredential with an EKS bearer token (what a kubeconfig exec user runs)' \
'kubeconfig:Add or update a kubeconfig context for an EKS cluster whose user runs \`eks token\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate eks help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eks__subcmd__help__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__eks__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate eks help help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eks__subcmd__help__subcmd__kubeconfig_commands] )) ||
_kubectl-federate__subcmd__eks__subcmd__help__subcmd__kubeconfig_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate eks help kubeconfig commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eks__subcmd__help__subcmd__token_commands] )) ||
_kubectl-federate__subcmd__eks__subcmd__help__subcmd__token_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate eks help token commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eks__subcmd__kubeconfig_commands] )) ||
_kubectl-federate__subcmd__eks__subcmd__kubeconfig_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate eks kubeconfig commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eks__subcmd__token_commands] )) ||
_kubectl-federate__subcmd__eks__subcmd__token_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate eks token commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__eval_commands] )) ||
_kubectl-federate__subcmd__eval_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate eval commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__help_commands() {
    local commands; commands=(
'join:Give the local cluster (--context) read access to each REMOTE\: RBAC and a token in REMOTE, a Secret and RemoteClusterConfiguration in LOCAL' \
'unjoin:Remove the links to each REMOTE that join or mesh made' \
'mesh:Federate every listed cluster with every other, both ways, concurrently' \
'rotate:Renew the listed clusters'\'' credentials\: a new token stored in every linked cluster, verified, then the old one revoked' \
'aws-auth:Show or edit kube-system/aws-auth (or EKS access entries) without losing entries' \
'eks:EKS bearer tokens and kubeconfig contexts, without the aws CLI' \
'eval:Workload endpoints of the local cluster and its remotes matching a Calico selector (like calicoq eval)' \
'status:Prove every federation link works, with the credential Calico will use; --wait polls until healthy' \
'svc:Federated services\: create, list, show, delete, and sync their endpoints across clusters' \
'version:Print the version of kubectl-federate' \
'completion:Print a shell completion script (bash, zsh or fish) for kubectl-federate' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__aws-auth_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__aws-auth_commands() {
    local commands; commands=(
'show:Print the role, user and account mappings' \
'add-role:Map an IAM role to a Kubernetes username and groups' \
'add-node-role:Map a node group'\''s instance role (username system\:node\:{{EC2PrivateDNSName}}, groups system\:bootstrappers, system\:nodes)' \
'add-user:Map an IAM user to a Kubernetes username (default\: the IAM user name) and groups' \
'remove:Remove every mapping of a role ARN, user ARN or account ID (absent\: no change)' \
'apply:Merge an aws-auth manifest (such as manifests/aws-auth-cm.yaml) into the ConfigMap, filling in ACCOUNTID from STS GetCallerIdentity' \
    )
    _describe -t commands 'kubectl-federate help aws-auth commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__add-node-role_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__add-node-role_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help aws-auth add-node-role commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__add-role_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__add-role_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help aws-auth add-role commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__add-user_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__add-user_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help aws-auth add-user commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__apply_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__apply_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help aws-auth apply commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__remove_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__remove_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help aws-auth remove commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__show_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__aws-auth__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help aws-auth show commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__completion_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__completion_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help completion commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__eks_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__eks_commands() {
    local commands; commands=(
'token:Print an ExecCredential with an EKS bearer token (what a kubeconfig exec user runs)' \
'kubeconfig:Add or update a kubeconfig context for an EKS cluster whose user runs \`eks token\`' \
    )
    _describe -t commands 'kubectl-federate help eks commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__eks__subcmd__kubeconfig_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__eks__subcmd__kubeconfig_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help eks kubeconfig commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__eks__subcmd__token_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__eks__subcmd__token_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help eks token commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__eval_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__eval_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help eval commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__join_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__join_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help join commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__mesh_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__mesh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help mesh commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__rotate_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__rotate_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help rotate commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__status_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help status commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__svc_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__svc_commands() {
    local commands; commands=(
'create:Create (or update) a federated Service in each named cluster\: no spec.selector, the federation.tigera.io/serviceSelector annotation, the given ports' \
'list:List the federated Services of each cluster, with endpoint counts and backing Services' \
'show:Show a federated Service'\''s computed endpoints beside its Endpoints object, and the drift' \
'delete:Delete a federated Service and the Endpoints and EndpointSlices written for it' \
'sync:Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s)\: once, or continuously from watches (the federated-services controller)' \
    )
    _describe -t commands 'kubectl-federate help svc commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__svc__subcmd__create_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__svc__subcmd__create_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help svc create commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__svc__subcmd__delete_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__svc__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help svc delete commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__svc__subcmd__list_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__svc__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help svc list commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__svc__subcmd__show_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__svc__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help svc show commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__svc__subcmd__sync_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__svc__subcmd__sync_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help svc sync commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__unjoin_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__unjoin_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help unjoin commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__help__subcmd__version_commands] )) ||
_kubectl-federate__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate help version commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__join_commands] )) ||
_kubectl-federate__subcmd__join_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate join commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__mesh_commands] )) ||
_kubectl-federate__subcmd__mesh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate mesh commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__rotate_commands] )) ||
_kubectl-federate__subcmd__rotate_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate rotate commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__status_commands] )) ||
_kubectl-federate__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate status commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc_commands] )) ||
_kubectl-federate__subcmd__svc_commands() {
    local commands; commands=(
'create:Create (or update) a federated Service in each named cluster\: no spec.selector, the federation.tigera.io/serviceSelector annotation, the given ports' \
'list:List the federated Services of each cluster, with endpoint counts and backing Services' \
'show:Show a federated Service'\''s computed endpoints beside its Endpoints object, and the drift' \
'delete:Delete a federated Service and the Endpoints and EndpointSlices written for it' \
'sync:Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s)\: once, or continuously from watches (the federated-services controller)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate svc commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__create_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__create_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc create commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__delete_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc delete commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__help_commands() {
    local commands; commands=(
'create:Create (or update) a federated Service in each named cluster\: no spec.selector, the federation.tigera.io/serviceSelector annotation, the given ports' \
'list:List the federated Services of each cluster, with endpoint counts and backing Services' \
'show:Show a federated Service'\''s computed endpoints beside its Endpoints object, and the drift' \
'delete:Delete a federated Service and the Endpoints and EndpointSlices written for it' \
'sync:Write the Endpoints and EndpointSlices of every federated Service of the local cluster(s)\: once, or continuously from watches (the federated-services controller)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-federate svc help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__help__subcmd__create_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__help__subcmd__create_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc help create commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__help__subcmd__delete_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__help__subcmd__delete_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc help delete commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__help__subcmd__help_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc help help commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__help__subcmd__list_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc help list commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__help__subcmd__show_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc help show commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__help__subcmd__sync_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__help__subcmd__sync_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc help sync commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__list_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc list commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__show_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc show commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__svc__subcmd__sync_commands] )) ||
_kubectl-federate__subcmd__svc__subcmd__sync_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate svc sync commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__unjoin_commands] )) ||
_kubectl-federate__subcmd__unjoin_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate unjoin commands' commands "$@"
}
(( $+functions[_kubectl-federate__subcmd__version_commands] )) ||
_kubectl-federate__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-federate version commands' commands "$@"
}

if [ "$funcstack[1]" = "_kubectl-federate" ]; then
    _kubectl-federate "$@"
else
    compdef _kubectl-federate kubectl-federate
fi

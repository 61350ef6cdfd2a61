//go:build tools

// Package tools pins the krew command that tests/gobin/krew.sh builds.
package tools

import _ "sigs.k8s.io/krew/cmd/krew"

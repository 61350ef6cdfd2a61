module kubectl-federate.invalid/calico-selector

go 1.24.0

require (
	github.com/projectcalico/calico v1.11.0-cni-plugin.0.20250813170300-a0db560f0520
	github.com/sirupsen/logrus v1.10.2
)

require golang.org/x/sys v0.33.0 // indirect

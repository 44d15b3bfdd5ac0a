// Package k8s holds the Kubernetes Indexed Job example (indexed-job.yaml,
// README.md) that runs 'biogate check' over an archive in parts; its test
// checks the YAML's shape. It has no code.
package k8s

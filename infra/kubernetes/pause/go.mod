module github.com/computeops/testbed/infra/kubernetes/pause

go 1.25.0

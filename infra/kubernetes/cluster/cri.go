package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.opentelemetry.io/otel/trace/noop"
	criclient "k8s.io/cri-client/pkg"
)

// criCleanup stops and removes every pod sandbox (and so every container) on a CRI endpoint,
// through the CRI itself so that the CNI plugins release the pods' addresses and interfaces.
// down.sh runs it after stopping the kubelet: `kcluster cri-cleanup unix:///path/containerd.sock`.
func criCleanup(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: kcluster cri-cleanup unix:///path/to/containerd.sock")
		return 2
	}
	rs, err := criclient.NewRemoteRuntimeService(args[0], 10*time.Second, noop.NewTracerProvider(), nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cri-cleanup: cannot connect to %s: %v\n", args[0], err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sandboxes, err := rs.ListPodSandbox(ctx, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cri-cleanup: listing pod sandboxes: %v\n", err)
		return 1
	}
	failed := 0
	for _, sb := range sandboxes {
		name := sb.GetMetadata().GetNamespace() + "/" + sb.GetMetadata().GetName()
		if err := rs.StopPodSandbox(ctx, sb.Id); err != nil {
			fmt.Fprintf(os.Stderr, "cri-cleanup: stopping %s: %v\n", name, err)
		}
		if err := rs.RemovePodSandbox(ctx, sb.Id); err != nil {
			fmt.Fprintf(os.Stderr, "cri-cleanup: removing %s: %v\n", name, err)
			failed++
			continue
		}
	}
	fmt.Printf("cri-cleanup: removed %d of %d pod sandboxes\n", len(sandboxes)-failed, len(sandboxes))
	if failed > 0 {
		return 1
	}
	return 0
}

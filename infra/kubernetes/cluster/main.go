// Command kcluster is a multi-call binary holding the Kubernetes control plane, the kubelet,
// kube-proxy and etcd, built from the published Go modules (see go.mod). It picks the component from
// the name it was called by (symlinks) or from its first argument:
//
//	kcluster kube-apiserver --flags...     or     ln -s kcluster kube-apiserver; ./kube-apiserver ...
//
// Each component still runs as its own process: the apiserver's signal handler and the
// process-global feature-gate and metrics registries forbid two components in one process.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	_ "time/tzdata" // CronJob time zones (kube-apiserver, kube-controller-manager)

	"github.com/spf13/cobra"
	"go.etcd.io/etcd/server/v3/etcdmain"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // JSON log format
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
)

var components = map[string]func() *cobra.Command{
	"kube-apiserver":          apiserver.NewAPIServerCommand,
	"kube-controller-manager": controllermanager.NewControllerManagerCommand,
	"kube-proxy":              proxy.NewProxyCommand,
	"kube-scheduler":          func() *cobra.Command { return scheduler.NewSchedulerCommand() },
	"kubelet":                 func() *cobra.Command { return kubelet.NewKubeletCommand(context.Background()) },
}

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args
	if name == "kcluster" {
		if len(os.Args) < 2 {
			usage()
			os.Exit(2)
		}
		name = os.Args[1]
		args = os.Args[1:]
	}
	if name == "cri-cleanup" {
		os.Exit(criCleanup(args[1:]))
	}
	if name == "etcd" {
		etcdmain.Main(args) // exits by itself
		return
	}
	newCmd, ok := components[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "kcluster: unknown component %q\n", name)
		usage()
		os.Exit(2)
	}
	cmd := newCmd()
	cmd.SetArgs(args[1:])
	os.Exit(cli.Run(cmd))
}

func usage() {
	names := []string{"cri-cleanup", "etcd"}
	for n := range components {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "usage: kcluster <component> [flags]\ncomponents: %v\n", names)
}

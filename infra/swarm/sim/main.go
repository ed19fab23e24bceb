// swarmsim runs N simulated Docker Swarm worker nodes in one process: each is a SwarmKit agent
// (node.New with its own state dir) whose executor runs no containers and only reports task
// states to the manager's dispatcher. The nodes dial the manager; none opens a port.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/moby/swarmkit/v2/api"
	"github.com/moby/swarmkit/v2/node"
	"github.com/sirupsen/logrus"
	"google.golang.org/grpc/grpclog"
)

type options struct {
	manager       string
	token         string
	tokenFile     string
	nodes         int
	firstIndex    int
	gpuNodes      int
	prefix        string
	stateDir      string
	gpuShare      float64
	gpusPerNode   int
	cpus          float64
	memoryMiB     int64
	engineVersion string
	timing        Timing
	joinInterval  time.Duration
	stopTimeout   time.Duration
	controlDir    string
	logLevel      string
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("swarmsim", flag.ContinueOnError)
	fs.StringVar(&o.manager, "manager", "", "manager address host:port (the swarm's advertise address, port 2377)")
	fs.StringVar(&o.token, "token", "", "worker join token (or -token-file)")
	fs.StringVar(&o.tokenFile, "token-file", "", "file holding the worker join token")
	fs.IntVar(&o.nodes, "nodes", 1, "number of simulated nodes")
	fs.IntVar(&o.firstIndex, "first-index", 0, "index of the first node (a second process adds nodes FIRST.. to a running set)")
	fs.IntVar(&o.gpuNodes, "gpu-nodes", -1, "number of GPU nodes: those with index < N (as the Kubernetes tier's first K8S_SIM_GPU_NODES); overrides -gpu-share")
	fs.StringVar(&o.prefix, "prefix", "sim", "hostname prefix: nodes are PREFIX-00000, PREFIX-00001, ...")
	fs.StringVar(&o.stateDir, "state-dir", "", "directory for the nodes' state (one sub-directory per node; keeps node IDs across restarts)")
	fs.Float64Var(&o.gpuShare, "gpu-share", 0, "share of nodes (0..1) that advertise GPUs, spread evenly over the node indices")
	fs.IntVar(&o.gpusPerNode, "gpus", 2, "named GPUs (gpu=GPU-fake-0..N-1) on each GPU node")
	fs.Float64Var(&o.cpus, "cpus", 4, "CPUs each node advertises")
	fs.Int64Var(&o.memoryMiB, "memory-mib", 8192, "memory (MiB) each node advertises")
	fs.StringVar(&o.engineVersion, "engine-version", "swarmsim (swarmkit v2.1.1)", "engine version each node reports")
	fs.DurationVar(&o.timing.Prepare, "prepare-delay", 100*time.Millisecond, "time a task spends preparing")
	fs.DurationVar(&o.timing.Start, "start-delay", 100*time.Millisecond, "time a task spends starting")
	fs.DurationVar(&o.timing.JobRun, "job-run", 5*time.Second, "run time of a job task before it completes")
	fs.DurationVar(&o.joinInterval, "join-interval", 20*time.Millisecond, "pause between starting two nodes (the manager signs one certificate per join)")
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 20*time.Second, "how long SIGTERM waits for the nodes to stop")
	fs.StringVar(&o.controlDir, "control-dir", "", "a node whose name is a file here is switched off (default STATE_DIR/control)")
	fs.StringVar(&o.logLevel, "log-level", "warning", "logrus level: debug, info, warning, error")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.manager == "" {
		return nil, errors.New("-manager is required")
	}
	if o.token == "" && o.tokenFile != "" {
		b, err := os.ReadFile(o.tokenFile)
		if err != nil {
			return nil, err
		}
		o.token = strings.TrimSpace(string(b))
	}
	if o.token == "" {
		return nil, errors.New("-token or -token-file is required")
	}
	if o.stateDir == "" {
		return nil, errors.New("-state-dir is required")
	}
	if o.controlDir == "" {
		o.controlDir = filepath.Join(o.stateDir, "control")
	}
	if o.nodes < 1 || o.firstIndex < 0 || o.gpuShare < 0 || o.gpuShare > 1 || o.gpusPerNode < 0 || o.cpus <= 0 || o.memoryMiB <= 0 {
		return nil, errors.New("need -nodes >= 1, 0 <= -gpu-share <= 1, -gpus >= 0, -cpus > 0, -memory-mib > 0")
	}
	return o, nil
}

// hasGPUs spreads the GPU nodes evenly: node i has GPUs when floor((i+1)*share) > floor(i*share),
// so share 0.1 gives nodes 9, 19, 29, ... and the count is floor(N*share) for every N.
func hasGPUs(i int, share float64) bool {
	return math.Floor(float64(i+1)*share+1e-9) > math.Floor(float64(i)*share+1e-9)
}

func (o *options) gpuNode(i int) bool {
	if o.gpuNodes >= 0 {
		return i < o.gpuNodes
	}
	return hasGPUs(i, o.gpuShare)
}

func (o *options) profile(i int) NodeProfile {
	p := NodeProfile{
		Hostname:      fmt.Sprintf("%s-%05d", o.prefix, i),
		NanoCPUs:      int64(o.cpus * 1e9),
		MemoryBytes:   o.memoryMiB << 20,
		EngineVersion: o.engineVersion,
		Labels:        map[string]string{"computeops.io/sim-prefix": o.prefix},
	}
	if o.gpusPerNode > 0 && o.gpuNode(i) {
		for g := 0; g < o.gpusPerNode; g++ {
			p.GPUs = append(p.GPUs, fmt.Sprintf("GPU-fake-%d", g))
		}
	}
	return p
}

// raiseNoFile: every node holds a TLS connection plus its bbolt file.
func raiseNoFile() {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

type fleet struct {
	o      *options
	ready  atomic.Int64 // nodes whose agent is registered with the dispatcher now
	failed atomic.Int64 // nodes that did not stop within -stop-timeout
	t0     time.Time
	power  []*powerSwitch // by index - first index
}

// runNode keeps node i joined until ctx ends, then stops it. A node whose agent fails (manager
// away, join refused) is started again after a back-off, with the same state dir and so the
// same node ID. A node switched off in the control dir is stopped, and started again (same ID)
// when switched on: a crash and a restart, as the manager sees them (heartbeats stop).
func (f *fleet) runNode(ctx context.Context, i int) {
	p := f.o.profile(i)
	power := f.power[i-f.o.firstIndex]
	backoff := time.Second
	for ctx.Err() == nil {
		if power.off.Load() {
			select {
			case <-power.changed:
				continue
			case <-ctx.Done():
				return
			}
		}
		n, err := node.New(&node.Config{
			Hostname:     p.Hostname,
			JoinAddr:     f.o.manager,
			StateDir:     filepath.Join(f.o.stateDir, p.Hostname),
			JoinToken:    f.o.token,
			Executor:     NewExecutor(p, f.o.timing),
			Availability: api.NodeAvailabilityActive,
		})
		if err != nil {
			logrus.WithError(err).WithField("node", p.Hostname).Error("node.New failed")
			return
		}
		// Not ctx: the node must still be able to leave cleanly after ctx ends.
		if err := n.Start(context.Background()); err != nil {
			logrus.WithError(err).WithField("node", p.Hostname).Error("start failed")
			return
		}
		exited := make(chan struct{})
		go func() { err = n.Err(context.Background()); close(exited) }()
		counted, switchedOff := false, false
		ready := n.Ready()
	wait:
		for {
			select {
			case <-ready:
				ready = nil
				if f.ready.Add(1) == int64(f.o.nodes) {
					logrus.Warnf("swarmsim: all %d nodes ready %.1f s after the first start", f.o.nodes, time.Since(f.t0).Seconds())
				}
				counted = true
				backoff = time.Second
			case <-power.changed:
				if power.off.Load() {
					switchedOff = true
					break wait
				}
			case <-exited:
				break wait
			case <-ctx.Done():
				break wait
			}
		}
		if counted {
			f.ready.Add(-1)
		}
		if ctx.Err() != nil || switchedOff {
			sctx, cancel := context.WithTimeout(context.Background(), f.o.stopTimeout)
			serr := n.Stop(sctx)
			cancel()
			if ctx.Err() != nil {
				if serr != nil {
					f.failed.Add(1)
				}
				return
			}
			logrus.WithField("node", p.Hostname).Warn("node switched off")
			continue
		}
		logrus.WithError(err).WithField("node", p.Hostname).Warnf("node exited; restarting in %s", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return
		}
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}

// powerSwitch is one node's power state, read from the control dir.
type powerSwitch struct {
	off     atomic.Bool
	changed chan struct{} // a token when off changes
}

// scanControl switches node NAME off while the file CONTROL_DIR/NAME exists.
func (f *fleet) scanControl() {
	off := map[string]bool{}
	if entries, err := os.ReadDir(f.o.controlDir); err == nil {
		for _, e := range entries {
			off[e.Name()] = true
		}
	}
	for k, sw := range f.power {
		want := off[fmt.Sprintf("%s-%05d", f.o.prefix, f.o.firstIndex+k)]
		if sw.off.Swap(want) != want {
			select {
			case sw.changed <- struct{}{}:
			default:
			}
		}
	}
}

func (f *fleet) watchControl(ctx context.Context) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			f.scanControl()
		case <-ctx.Done():
			return
		}
	}
}

// status is written to STATE_DIR/status-FIRST.json every 2 s, for sim.sh status.
type status struct {
	PID     int       `json:"pid"`
	First   int       `json:"first_index"`
	Nodes   int       `json:"nodes"`
	Ready   int64     `json:"ready"`
	Started int       `json:"started"`
	Time    time.Time `json:"time"`
}

// statusFile: one per process, so that several processes can share a state dir.
func (f *fleet) statusFile() string {
	return filepath.Join(f.o.stateDir, fmt.Sprintf("status-%05d.json", f.o.firstIndex))
}

func (f *fleet) writeStatus(started int) {
	s := status{PID: os.Getpid(), First: f.o.firstIndex, Nodes: f.o.nodes, Ready: f.ready.Load(), Started: started, Time: time.Now().UTC()}
	b, _ := json.Marshal(s)
	tmp := f.statusFile() + ".tmp"
	if os.WriteFile(tmp, append(b, '\n'), 0o644) == nil {
		_ = os.Rename(tmp, f.statusFile())
	}
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "swarmsim:", err)
		os.Exit(2)
	}
	level, err := logrus.ParseLevel(o.logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "swarmsim:", err)
		os.Exit(2)
	}
	logrus.SetLevel(level)
	logrus.SetFormatter(&logrus.TextFormatter{FullTimestamp: true})
	// swarmkit's log package routes grpc's internal logs into logrus at init; with N nodes its
	// connection chatter drowns everything else.
	grpclog.SetLoggerV2(grpclog.NewLoggerV2(io.Discard, io.Discard, io.Discard))
	raiseNoFile()
	if err := os.MkdirAll(o.stateDir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "swarmsim:", err)
		os.Exit(1)
	}

	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)

	f := &fleet{o: o, t0: time.Now()}
	for i := 0; i < o.nodes; i++ {
		f.power = append(f.power, &powerSwitch{changed: make(chan struct{}, 1)})
	}
	f.scanControl() // before any node starts: a node switched off stays off across restarts
	go f.watchControl(ctx)
	var wg sync.WaitGroup
	var started atomic.Int64
	wg.Add(1) // the launcher: wg must not reach zero while it still adds nodes
	go func() {
		defer wg.Done()
		// Stagger the joins: each one costs the manager a certificate signature.
		for i := 0; i < o.nodes && ctx.Err() == nil; i++ {
			wg.Add(1)
			started.Add(1)
			go func(i int) { defer wg.Done(); f.runNode(ctx, i) }(o.firstIndex + i)
			select {
			case <-time.After(o.joinInterval):
			case <-ctx.Done():
			}
		}
	}()
	logrus.Warnf("swarmsim: starting %d nodes (%s-%05d..) joining %s, state in %s", o.nodes, o.prefix, o.firstIndex, o.manager, o.stateDir)

	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			f.writeStatus(int(started.Load()))
		case s := <-sigs:
			logrus.Warnf("swarmsim: %s: stopping %d nodes", s, o.nodes)
			cancel()
			wg.Wait() // each node stops itself within -stop-timeout
			failed := f.failed.Load()
			_ = os.Remove(f.statusFile())
			if failed > 0 {
				logrus.Errorf("swarmsim: %d nodes did not stop within %s", failed, o.stopTimeout)
				os.Exit(1)
			}
			logrus.Warnf("swarmsim: stopped")
			return
		}
	}
}

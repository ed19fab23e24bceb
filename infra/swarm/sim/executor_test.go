package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/moby/swarmkit/v2/agent/exec"
	"github.com/moby/swarmkit/v2/api"
	"github.com/moby/swarmkit/v2/manager/constraint"
)

const (
	prepareDelay = 60 * time.Millisecond
	startDelay   = 40 * time.Millisecond
	jobRun       = 150 * time.Millisecond
)

func testExecutor() *Executor {
	return NewExecutor(NodeProfile{
		Hostname: "sim-00001", NanoCPUs: 4e9, MemoryBytes: 8 << 30,
		GPUs: []string{"GPU-fake-0", "GPU-fake-1"}, EngineVersion: "test",
		Labels: map[string]string{"computeops.io/sim-prefix": "sim"},
	}, Timing{Prepare: prepareDelay, Start: startDelay, JobRun: jobRun})
}

func newTask(job bool) *api.Task {
	t := &api.Task{ID: "task1", DesiredState: api.TaskStateRunning, Status: api.TaskStatus{State: api.TaskStateAssigned}}
	if job {
		t.JobIteration = &api.Version{Index: 1}
	}
	return t
}

// step runs one exec.Do as the agent's task manager does and applies the status it returns.
func step(t *testing.T, ctx context.Context, task *api.Task, c exec.Controller) error {
	t.Helper()
	st, err := exec.Do(ctx, task, c)
	if st != nil {
		task.Status = *st
	}
	return err
}

// runTo drives the task until it reaches want, recording every state it passes.
func runTo(t *testing.T, task *api.Task, c exec.Controller, want api.TaskState) []api.TaskState {
	t.Helper()
	var seen []api.TaskState
	for i := 0; task.Status.State != want; i++ {
		if i > 10 {
			t.Fatalf("task stuck in %s, wanted %s (seen %v)", task.Status.State, want, seen)
		}
		if err := step(t, context.Background(), task, c); err != nil && err != exec.ErrTaskNoop {
			t.Fatalf("Do in %s: %v", task.Status.State, err)
		}
		seen = append(seen, task.Status.State)
	}
	return seen
}

func TestServiceTaskRunsUntilShutdown(t *testing.T) {
	e := testExecutor()
	task := newTask(false)
	c, err := e.Controller(task)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	seen := runTo(t, task, c, api.TaskStateRunning)
	want := []api.TaskState{api.TaskStateAccepted, api.TaskStatePreparing, api.TaskStateReady, api.TaskStateStarting, api.TaskStateRunning}
	if !reflect.DeepEqual(seen, want) {
		t.Fatalf("states %v, want %v", seen, want)
	}
	if d := time.Since(t0); d < prepareDelay+startDelay {
		t.Fatalf("reached running after %s, before the prepare and start delays (%s)", d, prepareDelay+startDelay)
	}
	if task.Status.Timestamp == nil {
		t.Fatal("exec.Do stamped no time on the status")
	}

	// A service's Wait blocks well past the job run time; the agent cancels it on a task update.
	ctx, cancel := context.WithTimeout(context.Background(), 3*jobRun)
	err = step(t, ctx, task, c)
	cancel()
	if err != exec.ErrTaskRetry || task.Status.State != api.TaskStateRunning {
		t.Fatalf("cancelled wait: err %v state %s, want a retry in running", err, task.Status.State)
	}

	task.DesiredState = api.TaskStateShutdown
	if err := step(t, context.Background(), task, c); err != nil {
		t.Fatal(err)
	}
	if task.Status.State != api.TaskStateShutdown {
		t.Fatalf("after shutdown: %s", task.Status.State)
	}
	if err := step(t, context.Background(), task, c); err != exec.ErrTaskNoop {
		t.Fatalf("Do after shutdown: %v, want noop", err)
	}
	cs, _ := c.(exec.ContainerStatuser).ContainerStatus(context.Background())
	if cs.ContainerID != "simulated-task1" {
		t.Fatalf("container ID %q", cs.ContainerID)
	}
}

func TestJobTaskCompletesAfterRunTime(t *testing.T) {
	e := testExecutor()
	task := newTask(true)
	c, _ := e.Controller(task)
	runTo(t, task, c, api.TaskStateRunning)
	t0 := time.Now()
	if err := step(t, context.Background(), task, c); err != nil {
		t.Fatal(err)
	}
	if task.Status.State != api.TaskStateCompleted || task.Status.Message != "finished" {
		t.Fatalf("job ended in %s (%q), want completed", task.Status.State, task.Status.Message)
	}
	// The run time counts from the end of Start, so Wait itself takes at most jobRun.
	if d := time.Since(t0); d > jobRun+100*time.Millisecond {
		t.Fatalf("job took %s to complete, run time is %s", d, jobRun)
	}
}

func TestInterruptedWaitKeepsTheJobDeadline(t *testing.T) {
	task := newTask(true)
	c, _ := testExecutor().Controller(task)
	runTo(t, task, c, api.TaskStateRunning)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), jobRun/3)
	if err := step(t, ctx, task, c); err != exec.ErrTaskRetry {
		t.Fatalf("cancelled job wait: %v", err)
	}
	cancel()
	if err := step(t, context.Background(), task, c); err != nil || task.Status.State != api.TaskStateCompleted {
		t.Fatalf("second wait: %v %s", err, task.Status.State)
	}
	if d := time.Since(started); d > jobRun+100*time.Millisecond {
		t.Fatalf("a cancelled wait restarted the run time: completed %s after start", d)
	}
}

func TestCancelledPrepareIsRetriedAndDelaysOnce(t *testing.T) {
	task := newTask(false)
	c, _ := testExecutor().Controller(task)
	runTo(t, task, c, api.TaskStatePreparing)
	ctx, cancel := context.WithTimeout(context.Background(), prepareDelay/4)
	err := step(t, ctx, task, c)
	cancel()
	if err != exec.ErrTaskRetry || task.Status.State != api.TaskStatePreparing {
		t.Fatalf("cancelled prepare: %v %s", err, task.Status.State)
	}
	runTo(t, task, c, api.TaskStateReady)
	// Once prepared, the controller says so instead of sleeping again.
	t0 := time.Now()
	if err := c.Prepare(context.Background()); err != exec.ErrTaskPrepared {
		t.Fatalf("second Prepare: %v", err)
	}
	if time.Since(t0) >= prepareDelay {
		t.Fatal("second Prepare slept again")
	}
	runTo(t, task, c, api.TaskStateRunning)
	if err := c.Start(context.Background()); err != exec.ErrTaskStarted {
		t.Fatalf("second Start: %v", err)
	}
}

func TestTerminateRemoveAndCloseEndABlockedWait(t *testing.T) {
	for _, name := range []string{"terminate", "remove", "close"} {
		t.Run(name, func(t *testing.T) {
			task := newTask(false)
			ctl, _ := testExecutor().Controller(task)
			runTo(t, task, ctl, api.TaskStateRunning)
			c := ctl.(*Controller)
			done := make(chan error, 1)
			go func() { done <- c.Wait(context.Background()) }()
			time.Sleep(20 * time.Millisecond)
			var err error
			switch name {
			case "terminate":
				err = c.Terminate(context.Background())
			case "remove":
				err = c.Remove(context.Background())
			case "close":
				err = c.Close()
			}
			if err != nil {
				t.Fatal(err)
			}
			select {
			case werr := <-done:
				// context.Canceled: exec.Do retries instead of reporting the task failed.
				if !errors.Is(werr, context.Canceled) {
					t.Fatalf("Wait returned %v", werr)
				}
			case <-time.After(time.Second):
				t.Fatal("Wait still blocked")
			}
			// Repeated stops must not panic (closing a closed channel).
			if c.Shutdown(context.Background()) != nil || c.Terminate(context.Background()) != nil || c.Close() != nil {
				t.Fatal("repeated stop failed")
			}
			if name == "remove" && !c.removed {
				t.Fatal("Remove did not record the removal")
			}
		})
	}
}

func TestShutdownBeforeStartNeverRuns(t *testing.T) {
	task := newTask(false)
	c, _ := testExecutor().Controller(task)
	runTo(t, task, c, api.TaskStateReady)
	task.DesiredState = api.TaskStateShutdown
	if err := step(t, context.Background(), task, c); err != nil || task.Status.State != api.TaskStateShutdown {
		t.Fatalf("shutdown from ready: %v %s", err, task.Status.State)
	}
	if err := c.Start(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start after shutdown: %v", err)
	}
}

func TestDescribeIsStableAndAdvertisesTheSimulatedNode(t *testing.T) {
	e := testExecutor()
	a, _ := e.Describe(context.Background())
	a.Engine.Labels["x"] = "changed by the caller"
	a.Resources.NanoCPUs = 1
	b, _ := e.Describe(context.Background())
	c, _ := e.Describe(context.Background())
	if !reflect.DeepEqual(b, c) {
		t.Fatal("two descriptions differ: the agent would restart its session every 20 s")
	}
	if _, ok := b.Engine.Labels["x"]; ok || b.Resources.NanoCPUs != 4e9 {
		t.Fatal("a caller's change leaked into the stored description")
	}
	if b.Engine.Labels[NodeKindLabel] != NodeKindSim || b.Engine.Labels["computeops.node-kind"] != NodeKindSim ||
		b.Engine.Labels["computeops.io/sim-prefix"] != "sim" {
		t.Fatalf("labels %v", b.Engine.Labels)
	}
	if b.Hostname != "sim-00001" || b.Resources.MemoryBytes != 8<<30 || b.Platform.OS != "linux" {
		t.Fatalf("description %+v", b)
	}
	var gpus []string
	for _, g := range b.Resources.Generic {
		n := g.GetNamedResourceSpec()
		if n == nil || n.Kind != "gpu" {
			t.Fatalf("generic resource %v is not a named gpu", g)
		}
		gpus = append(gpus, n.Value)
	}
	if !reflect.DeepEqual(gpus, []string{"GPU-fake-0", "GPU-fake-1"}) {
		t.Fatalf("gpus %v", gpus)
	}
	ok := sort.SliceIsSorted(b.Engine.Plugins, func(i, j int) bool {
		pi, pj := b.Engine.Plugins[i], b.Engine.Plugins[j]
		return pi.Type < pj.Type || pi.Type == pj.Type && pi.Name < pj.Name
	})
	if !ok {
		t.Fatalf("plugins not sorted: %v", b.Engine.Plugins)
	}
	have := map[string]bool{}
	for _, p := range b.Engine.Plugins {
		have[p.Type+"/"+p.Name] = true
	}
	for _, need := range []string{"Network/overlay", "Volume/local", "Log/json-file"} {
		if !have[need] {
			t.Fatalf("plugin %s missing: the scheduler's plugin filter would reject the node", need)
		}
	}
	// A node without GPUs advertises no generic resources at all.
	plain := NewExecutor(NodeProfile{Hostname: "p", NanoCPUs: 1e9, MemoryBytes: 1 << 30}, Timing{})
	d, _ := plain.Describe(context.Background())
	if len(d.Resources.Generic) != 0 || d.Engine.Labels[NodeKindLabel] != NodeKindSim {
		t.Fatalf("plain node %+v", d)
	}
}

// The alias must work in a placement constraint, as SwarmKit's scheduler parses and matches it.
func TestConstraintLabelPicksSimulatedNodes(t *testing.T) {
	if _, err := constraint.Parse([]string{"engine.labels." + NodeKindLabel + "==" + NodeKindSim}); err == nil {
		t.Fatal("SwarmKit now accepts '/' in constraint keys: the alias may be unnecessary")
	}
	sim, err := constraint.Parse([]string{"engine.labels." + NodeKindConstraintLabel + "==" + NodeKindSim})
	if err != nil {
		t.Fatal(err)
	}
	notSim, err := constraint.Parse([]string{"engine.labels." + NodeKindConstraintLabel + "!=" + NodeKindSim})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := testExecutor().Describe(context.Background())
	simNode := &api.Node{Description: d}
	realNode := &api.Node{Description: &api.NodeDescription{Engine: &api.EngineDescription{Labels: map[string]string{NodeKindLabel: "real"}}}}
	if !constraint.NodeMatches(sim, simNode) || constraint.NodeMatches(sim, realNode) {
		t.Fatal("==simulated does not pick exactly the simulated node")
	}
	if constraint.NodeMatches(notSim, simNode) || !constraint.NodeMatches(notSim, realNode) {
		t.Fatal("!=simulated does not pick exactly the real node")
	}
}

func TestGPUNodesAreSpreadEvenly(t *testing.T) {
	for _, tc := range []struct {
		n     int
		share float64
		want  int
	}{{10, 0, 0}, {10, 1, 10}, {10, 0.1, 1}, {1000, 0.1, 100}, {7, 0.5, 3}, {1000, 0.25, 250}, {3, 0.34, 1}} {
		got, first := 0, -1
		for i := 0; i < tc.n; i++ {
			if hasGPUs(i, tc.share) {
				if first < 0 {
					first = i
				}
				got++
			}
		}
		if got != tc.want {
			t.Errorf("%d nodes, share %g: %d GPU nodes, want %d", tc.n, tc.share, got, tc.want)
		}
	}
	o := &options{prefix: "sim", cpus: 2, memoryMiB: 1024, gpuShare: 0.5, gpusPerNode: 3, gpuNodes: -1}
	if p := o.profile(1); len(p.GPUs) != 3 || p.GPUs[2] != "GPU-fake-2" || p.Hostname != "sim-00001" || p.NanoCPUs != 2e9 || p.MemoryBytes != 1<<30 {
		t.Fatalf("profile(1) %+v", p)
	}
	if p := o.profile(0); len(p.GPUs) != 0 {
		t.Fatalf("profile(0) has GPUs %v", p.GPUs)
	}
	// -gpu-nodes K: the first K indices, whatever the share says.
	o.gpuNodes = 2
	for i, want := range []bool{true, true, false, false} {
		if got := len(o.profile(i).GPUs) > 0; got != want {
			t.Errorf("-gpu-nodes 2: node %d has GPUs %v", i, got)
		}
	}
}

func TestFlags(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	if err := os.WriteFile(tok, []byte("SWMTKN-1-abc-def\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := parseFlags([]string{"-manager", "10.0.0.1:2377", "-token-file", tok, "-state-dir", dir, "-nodes", "5", "-job-run", "2s"})
	if err != nil {
		t.Fatal(err)
	}
	if o.token != "SWMTKN-1-abc-def" || o.nodes != 5 || o.timing.JobRun != 2*time.Second || o.gpuNodes != -1 || o.firstIndex != 0 {
		t.Fatalf("options %+v", o)
	}
	for _, bad := range [][]string{
		{"-token", "x", "-state-dir", dir},                                      // no manager
		{"-manager", "m:2377", "-state-dir", dir},                               // no token
		{"-manager", "m:2377", "-token", "x"},                                   // no state dir
		{"-manager", "m:2377", "-token", "x", "-state-dir", dir, "-nodes", "0"}, // no nodes
		{"-manager", "m:2377", "-token", "x", "-state-dir", dir, "-gpu-share", "1.5"},
	} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%v) accepted", bad)
		}
	}
}

func TestControlDirSwitchesNodesOffAndOn(t *testing.T) {
	dir := t.TempDir()
	f := &fleet{o: &options{prefix: "sim", firstIndex: 5, nodes: 3, controlDir: dir}}
	for i := 0; i < 3; i++ {
		f.power = append(f.power, &powerSwitch{changed: make(chan struct{}, 1)})
	}
	tokens := func() []bool {
		var got []bool
		for _, sw := range f.power {
			select {
			case <-sw.changed:
				got = append(got, true)
			default:
				got = append(got, false)
			}
		}
		return got
	}
	// sim-00009 is another process's node: ignored here.
	for _, name := range []string{"sim-00006", "sim-00009"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f.scanControl()
	if !f.power[1].off.Load() || f.power[0].off.Load() || f.power[2].off.Load() {
		t.Fatal("only sim-00006 (index 1 of this process) should be off")
	}
	if got := tokens(); !reflect.DeepEqual(got, []bool{false, true, false}) {
		t.Fatalf("change tokens %v", got)
	}
	f.scanControl()
	if got := tokens(); !reflect.DeepEqual(got, []bool{false, false, false}) {
		t.Fatalf("a scan without change signalled %v", got)
	}
	if err := os.Remove(filepath.Join(dir, "sim-00006")); err != nil {
		t.Fatal(err)
	}
	f.scanControl()
	if f.power[1].off.Load() || !reflect.DeepEqual(tokens(), []bool{false, true, false}) {
		t.Fatal("removing the file did not switch sim-00006 on")
	}
}

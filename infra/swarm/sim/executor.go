package main

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/moby/swarmkit/v2/agent/exec"
	"github.com/moby/swarmkit/v2/api"
	"github.com/moby/swarmkit/v2/api/genericresource"
)

// NodeKindLabel is the engine label that tells simulated from real Swarm nodes. The real
// testbed's engines carry computeops.io/node-kind=real (infra/swarm/nodes.sh); the Java
// adapter reads Description.Engine.Labels, as it does for the real ones.
//
// A placement constraint cannot name that key: SwarmKit's constraint keys must match
// ^[a-z_][a-z0-9-_.]+$ (no "/"). NodeKindConstraintLabel carries the same value under a key that
// can: engine.labels.computeops.node-kind==simulated picks simulated nodes, and !=simulated the
// real ones (a node without the label matches !=).
const (
	NodeKindLabel           = "computeops.io/node-kind"
	NodeKindConstraintLabel = "computeops.node-kind"
	NodeKindSim             = "simulated"
)

// Timing is what a simulated task spends in each phase.
type Timing struct {
	Prepare time.Duration // PREPARING -> READY (an image pull and container create, in a real engine)
	Start   time.Duration // STARTING -> RUNNING
	JobRun  time.Duration // RUNNING -> COMPLETE for replicated/global job tasks; services run until shut down
}

// NodeProfile is what one simulated node advertises.
type NodeProfile struct {
	Hostname      string
	NanoCPUs      int64
	MemoryBytes   int64
	GPUs          []string // named generic resources of kind "gpu", like the real co-gpu engine's GPU-fake-N
	EngineVersion string
	Labels        map[string]string // engine labels, NodeKindLabel among them
}

// Executor runs no containers: it only walks tasks through their states.
type Executor struct {
	desc   *api.NodeDescription
	timing Timing
}

// NewExecutor builds the node description once: the agent re-describes the node every 20 s
// and restarts its session when the description differs (reflect.DeepEqual), so it must not change.
func NewExecutor(p NodeProfile, t Timing) *Executor {
	labels := map[string]string{}
	for k, v := range p.Labels {
		labels[k] = v
	}
	labels[NodeKindLabel] = NodeKindSim
	labels[NodeKindConstraintLabel] = NodeKindSim
	d := &api.NodeDescription{
		Hostname: p.Hostname,
		Platform: &api.Platform{Architecture: "x86_64", OS: "linux"},
		Resources: &api.Resources{
			NanoCPUs:    p.NanoCPUs,
			MemoryBytes: p.MemoryBytes,
		},
		Engine: &api.EngineDescription{
			EngineVersion: p.EngineVersion,
			Labels:        labels,
			Plugins:       enginePlugins(),
		},
	}
	if len(p.GPUs) > 0 {
		d.Resources.Generic = genericresource.NewSet("gpu", p.GPUs...)
	}
	return &Executor{desc: d, timing: t}
}

// enginePlugins lists what a stock Docker 20.10 engine reports, sorted by type then name as
// moby's executor does. The scheduler's plugin filter rejects nodes that lack a network or
// volume driver a task needs (overlay networks, local volumes, log drivers).
func enginePlugins() []api.PluginDescription {
	byType := map[string][]string{
		"Log":     {"awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "logentries", "splunk", "syslog"},
		"Network": {"bridge", "host", "ipvlan", "macvlan", "null", "overlay"},
		"Volume":  {"local"},
	}
	var out []api.PluginDescription
	for typ, names := range byType {
		for _, n := range names {
			out = append(out, api.PluginDescription{Type: typ, Name: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Describe returns a copy so that the agent cannot alter the stored description.
func (e *Executor) Describe(ctx context.Context) (*api.NodeDescription, error) {
	return e.desc.Copy(), nil
}

// Configure has nothing to set up: no networks, no attachments.
func (e *Executor) Configure(ctx context.Context, node *api.Node) error { return nil }

// SetNetworkBootstrapKeys: no overlay data plane here.
func (e *Executor) SetNetworkBootstrapKeys([]*api.EncryptionKey) error { return nil }

// Controller makes one controller per task; the agent keeps it until the task is removed.
func (e *Executor) Controller(t *api.Task) (exec.Controller, error) {
	return &Controller{
		taskID: t.ID,
		job:    t.JobIteration != nil,
		timing: e.timing,
		stop:   make(chan struct{}),
	}, nil
}

// Controller fakes one task's container. exec.Do calls it one operation at a time and stamps
// each state change; the agent cancels the context of a blocked operation on a task update.
type Controller struct {
	taskID string
	job    bool
	timing Timing

	mu        sync.Mutex
	prepared  bool
	started   bool
	startedAt time.Time
	removed   bool
	stopOnce  sync.Once
	stop      chan struct{} // closed by Shutdown, Terminate or Close
}

func (c *Controller) stopped() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}

// sleep waits d unless the operation is cancelled or the task stopped.
func (c *Controller) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errStopped
	}
}

// errStopped ends an operation whose controller was stopped under it. The agent removes and
// closes a controller while its task manager is still cancelling the operation; exec.Do treats
// context.Canceled as "retry", where any other error would report the deleted task as failed.
var errStopped = context.Canceled

// Update accepts any change: there is nothing to reconfigure.
func (c *Controller) Update(ctx context.Context, t *api.Task) error { return nil }

// Prepare spends the prepare delay once; a repeated call (after a cancelled one finished) says so.
func (c *Controller) Prepare(ctx context.Context) error {
	c.mu.Lock()
	done := c.prepared
	c.mu.Unlock()
	if done {
		return exec.ErrTaskPrepared
	}
	if c.stopped() {
		return errStopped
	}
	if err := c.sleep(ctx, c.timing.Prepare); err != nil {
		return err
	}
	c.mu.Lock()
	c.prepared = true
	c.mu.Unlock()
	return nil
}

// Start spends the start delay; the job's run time counts from its end.
func (c *Controller) Start(ctx context.Context) error {
	c.mu.Lock()
	done := c.started
	c.mu.Unlock()
	if done {
		return exec.ErrTaskStarted
	}
	if c.stopped() {
		return errStopped
	}
	if err := c.sleep(ctx, c.timing.Start); err != nil {
		return err
	}
	c.mu.Lock()
	c.started, c.startedAt = true, time.Now()
	c.mu.Unlock()
	return nil
}

// Wait returns nil (-> COMPLETE) only when a job's run time is over. A cancelled wait returns the
// context's error, which exec.Do retries: returning nil there would report a service task as
// complete when it is being shut down. A service task waits until it is stopped.
func (c *Controller) Wait(ctx context.Context) error {
	c.mu.Lock()
	startedAt, started := c.startedAt, c.started
	c.mu.Unlock()
	if !started {
		// The agent restarted with a task it had running (state kept in its tasks.db):
		// the run time counts from now, the original start is not known here.
		c.mu.Lock()
		c.started, c.startedAt = true, time.Now()
		startedAt = c.startedAt
		c.mu.Unlock()
	}
	var done <-chan time.Time
	if c.job {
		t := time.NewTimer(time.Until(startedAt.Add(c.timing.JobRun)))
		defer t.Stop()
		done = t.C
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errStopped
	}
}

func (c *Controller) halt() { c.stopOnce.Do(func() { close(c.stop) }) }

// Shutdown stops the fake container at once.
func (c *Controller) Shutdown(ctx context.Context) error { c.halt(); return nil }

// Terminate is Shutdown without grace; the same here.
func (c *Controller) Terminate(ctx context.Context) error { c.halt(); return nil }

// Remove frees nothing: there is nothing allocated.
func (c *Controller) Remove(ctx context.Context) error {
	c.halt()
	c.mu.Lock()
	c.removed = true
	c.mu.Unlock()
	return nil
}

// Close ends any blocked operation.
func (c *Controller) Close() error { c.halt(); return nil }

// ContainerStatus gives the task a container ID, as a real engine's tasks have
// (Status.ContainerStatus.ContainerID); it names the task, so it is plainly not a real one.
func (c *Controller) ContainerStatus(ctx context.Context) (*api.ContainerStatus, error) {
	return &api.ContainerStatus{ContainerID: fmt.Sprintf("simulated-%s", c.taskID)}, nil
}

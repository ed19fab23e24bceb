package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON bodies of the v1 scheduler calls, field for field as in {@code mesos/v1/scheduler/scheduler.proto}
 * and {@code mesos/v1/mesos.proto} (JSON names are the proto field names; enums as their names;
 * bytes as base64).
 */
public final class MesosCalls {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MesosCalls() {
    }

    /** FrameworkInfo capabilities we declare; MULTI_ROLE because we use {@code roles}, not the deprecated {@code role}. */
    static final List<String> CAPABILITIES = List.of("MULTI_ROLE", "GPU_RESOURCES", "PARTITION_AWARE");

    public static ObjectNode subscribe(String user, String name, String role, double failoverTimeoutSeconds,
                                       String frameworkId, Map<String, String> labels) {
        ObjectNode info = JSON.objectNode();
        info.put("user", user);
        info.put("name", name);
        if (frameworkId != null) info.set("id", id(frameworkId));
        info.put("failover_timeout", failoverTimeoutSeconds);
        info.put("checkpoint", true); // tasks survive an agent restart, as on production frameworks
        info.putArray("roles").add(role);
        ArrayNode caps = info.putArray("capabilities");
        for (String c : CAPABILITIES) caps.addObject().put("type", c);
        info.set("labels", labels(labels));
        ObjectNode call = JSON.objectNode();
        // Never framework_id at the top level of a first SUBSCRIBE; on resubscribe it must match framework_info.id.
        if (frameworkId != null) call.set("framework_id", id(frameworkId));
        call.put("type", "SUBSCRIBE");
        call.putObject("subscribe").set("framework_info", info);
        return call;
    }

    public static ObjectNode accept(String frameworkId, Collection<String> offerIds, List<ObjectNode> taskInfos, double refuseSeconds) {
        ObjectNode call = base(frameworkId, "ACCEPT");
        ObjectNode accept = call.putObject("accept");
        ArrayNode ids = accept.putArray("offer_ids");
        for (String o : offerIds) ids.add(id(o));
        ObjectNode op = accept.putArray("operations").addObject();
        op.put("type", "LAUNCH");
        ArrayNode tasks = op.putObject("launch").putArray("task_infos");
        taskInfos.forEach(tasks::add);
        accept.putObject("filters").put("refuse_seconds", refuseSeconds);
        return call;
    }

    public static ObjectNode decline(String frameworkId, Collection<String> offerIds, double refuseSeconds) {
        ObjectNode call = base(frameworkId, "DECLINE");
        ObjectNode decline = call.putObject("decline");
        ArrayNode ids = decline.putArray("offer_ids");
        for (String o : offerIds) ids.add(id(o));
        decline.putObject("filters").put("refuse_seconds", refuseSeconds);
        return call;
    }

    public static ObjectNode acknowledge(String frameworkId, String agentId, String taskId, String uuidBase64) {
        ObjectNode call = base(frameworkId, "ACKNOWLEDGE");
        ObjectNode ack = call.putObject("acknowledge");
        ack.set("agent_id", id(agentId));
        ack.set("task_id", id(taskId));
        ack.put("uuid", uuidBase64);
        return call;
    }

    public static ObjectNode kill(String frameworkId, String taskId, String agentId) {
        ObjectNode call = base(frameworkId, "KILL");
        ObjectNode kill = call.putObject("kill");
        kill.set("task_id", id(taskId));
        if (agentId != null) kill.set("agent_id", id(agentId));
        return call;
    }

    /** Explicit reconciliation of the given task → agent (agent may be null); an empty map asks for all tasks. */
    public static ObjectNode reconcile(String frameworkId, Map<String, String> agentByTask) {
        ObjectNode call = base(frameworkId, "RECONCILE");
        ArrayNode tasks = call.putObject("reconcile").putArray("tasks");
        agentByTask.forEach((task, agent) -> {
            ObjectNode t = tasks.addObject();
            t.set("task_id", id(task));
            if (agent != null) t.set("agent_id", id(agent));
        });
        return call;
    }

    public static ObjectNode revive(String frameworkId) {
        return base(frameworkId, "REVIVE");
    }

    public static ObjectNode teardown(String frameworkId) {
        return base(frameworkId, "TEARDOWN");
    }

    /**
     * A command task on the Mesos containerizer with a Docker image (GPUs are supported only there).
     * An empty command leaves {@code value} unset with {@code shell=false}, so the image's Entrypoint/Cmd run.
     */
    public static ObjectNode taskInfo(String name, String taskId, String agentId, List<ObjectNode> resources,
                                      String image, List<String> command, Map<String, String> labels) {
        ObjectNode task = JSON.objectNode();
        task.put("name", name);
        task.set("task_id", id(taskId));
        task.set("agent_id", id(agentId));
        ArrayNode res = task.putArray("resources");
        resources.forEach(res::add);
        ObjectNode cmd = task.putObject("command");
        cmd.put("shell", false);
        if (!command.isEmpty()) {
            cmd.put("value", command.get(0));
            ArrayNode args = cmd.putArray("arguments");
            command.forEach(args::add); // argv, argv[0] included (execvp semantics)
        }
        ObjectNode container = task.putObject("container");
        container.put("type", "MESOS");
        ObjectNode img = container.putObject("mesos").putObject("image");
        img.put("type", "DOCKER");
        img.putObject("docker").put("name", image);
        task.set("labels", labels(labels));
        return task;
    }

    static ObjectNode labels(Map<String, String> labels) {
        ObjectNode node = JSON.objectNode();
        ArrayNode list = node.putArray("labels");
        labels.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
        return node;
    }

    static ObjectNode base(String frameworkId, String type) {
        ObjectNode call = JSON.objectNode();
        call.set("framework_id", id(frameworkId));
        call.put("type", type);
        return call;
    }

    static ObjectNode id(String value) {
        return JSON.objectNode().put("value", value);
    }

    static String value(JsonNode idNode) {
        JsonNode v = idNode.path("value");
        return v.isTextual() ? v.asText() : null;
    }
}

package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The part of {@code include/mesos/v1/scheduler/scheduler.proto} and {@code include/mesos/v1/mesos.proto}
 * that this adapter may send, transcribed field by field (name → type; "[]" repeated, "!" required).
 * A call with a field not listed here, of the wrong JSON type, or with an unknown enum value is a violation.
 */
final class ProtoSchema {

    private ProtoSchema() {
    }

    private static final String ID = "ID";

    static final Map<String, Map<String, String>> MESSAGES = Map.ofEntries(
            Map.entry("Call", Map.ofEntries(
                    Map.entry("framework_id", ID), Map.entry("type", "enum:UNKNOWN,SUBSCRIBE,TEARDOWN,ACCEPT,DECLINE,ACCEPT_INVERSE_OFFERS,"
                            + "DECLINE_INVERSE_OFFERS,REVIVE,KILL,SHUTDOWN,ACKNOWLEDGE,ACKNOWLEDGE_OPERATION_STATUS,RECONCILE,"
                            + "RECONCILE_OPERATIONS,MESSAGE,REQUEST,SUPPRESS,UPDATE_FRAMEWORK!"),
                    Map.entry("subscribe", "Subscribe"), Map.entry("accept", "Accept"), Map.entry("decline", "Decline"),
                    Map.entry("revive", "Revive"), Map.entry("suppress", "Revive"), Map.entry("kill", "Kill"),
                    Map.entry("acknowledge", "Acknowledge"), Map.entry("reconcile", "Reconcile"))),
            Map.entry("Subscribe", Map.of("framework_info", "FrameworkInfo!", "suppressed_roles", "[]string")),
            Map.entry("FrameworkInfo", Map.ofEntries(
                    Map.entry("user", "string!"), Map.entry("name", "string!"), Map.entry("id", ID),
                    Map.entry("failover_timeout", "double"), Map.entry("checkpoint", "bool"), Map.entry("role", "string"),
                    Map.entry("roles", "[]string"), Map.entry("hostname", "string"), Map.entry("principal", "string"),
                    Map.entry("webui_url", "string"), Map.entry("capabilities", "[]Capability"), Map.entry("labels", "Labels"))),
            Map.entry("Capability", Map.of("type", "enum:UNKNOWN,REVOCABLE_RESOURCES,TASK_KILLING_STATE,GPU_RESOURCES,"
                    + "SHARED_RESOURCES,PARTITION_AWARE,MULTI_ROLE,RESERVATION_REFINEMENT,REGION_AWARE")),
            Map.entry("Labels", Map.of("labels", "[]Label")),
            Map.entry("Label", Map.of("key", "string!", "value", "string")),
            Map.entry("Accept", Map.of("offer_ids", "[]ID", "operations", "[]Operation", "filters", "Filters")),
            Map.entry("Decline", Map.of("offer_ids", "[]ID", "filters", "Filters")),
            Map.entry("Filters", Map.of("refuse_seconds", "double")),
            Map.entry("Revive", Map.of("roles", "[]string")),
            Map.entry("Operation", Map.of("type", "enum:UNKNOWN,LAUNCH,LAUNCH_GROUP,RESERVE,UNRESERVE,CREATE,DESTROY,"
                    + "GROW_VOLUME,SHRINK_VOLUME,CREATE_DISK,DESTROY_DISK", "launch", "Launch")),
            Map.entry("Launch", Map.of("task_infos", "[]TaskInfo")),
            Map.entry("TaskInfo", Map.of("name", "string!", "task_id", ID + "!", "agent_id", ID + "!",
                    "resources", "[]Resource", "command", "CommandInfo", "container", "ContainerInfo", "labels", "Labels")),
            Map.entry("Resource", Map.of("name", "string!", "type", "enum:SCALAR,RANGES,SET,TEXT!", "scalar", "Scalar",
                    "role", "string", "allocation_info", "AllocationInfo")),
            Map.entry("Scalar", Map.of("value", "double!")),
            Map.entry("AllocationInfo", Map.of("role", "string")),
            Map.entry("CommandInfo", Map.of("shell", "bool", "value", "string", "arguments", "[]string", "user", "string")),
            Map.entry("ContainerInfo", Map.of("type", "enum:DOCKER,MESOS!", "mesos", "MesosInfo", "hostname", "string")),
            Map.entry("MesosInfo", Map.of("image", "Image")),
            Map.entry("Image", Map.of("type", "enum:APPC,DOCKER!", "docker", "DockerImage", "cached", "bool")),
            Map.entry("DockerImage", Map.of("name", "string!")),
            Map.entry("Kill", Map.of("task_id", ID + "!", "agent_id", ID)),
            Map.entry("Acknowledge", Map.of("agent_id", ID + "!", "task_id", ID + "!", "uuid", "bytes!")),
            Map.entry("Reconcile", Map.of("tasks", "[]ReconcileTask")),
            Map.entry("ReconcileTask", Map.of("task_id", ID + "!", "agent_id", ID)),
            Map.entry(ID, Map.of("value", "string!")));

    static List<String> validateCall(JsonNode call) {
        List<String> errors = new ArrayList<>();
        validate(call, "Call", "Call", errors);
        return errors;
    }

    static void validate(JsonNode node, String message, String path, List<String> errors) {
        Map<String, String> fields = MESSAGES.get(message);
        if (!node.isObject()) {
            errors.add(path + ": expected a " + message + " object");
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.containsKey(f)) errors.add(path + "." + f + ": no such field in " + message);
        }
        fields.forEach((name, spec) -> {
            boolean required = spec.endsWith("!");
            String type = required ? spec.substring(0, spec.length() - 1) : spec;
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (required) errors.add(path + "." + name + ": required field missing");
                return;
            }
            if (type.startsWith("[]")) {
                if (!value.isArray()) {
                    errors.add(path + "." + name + ": repeated field must be an array");
                    return;
                }
                int i = 0;
                for (JsonNode v : value) check(v, type.substring(2), path + "." + name + "[" + i++ + "]", errors);
            } else {
                check(value, type, path + "." + name, errors);
            }
        });
    }

    private static void check(JsonNode v, String type, String path, List<String> errors) {
        switch (type) {
            case "string" -> {
                if (!v.isTextual()) errors.add(path + ": must be a string");
            }
            case "double" -> {
                if (!v.isNumber()) errors.add(path + ": must be a number");
            }
            case "bool" -> {
                if (!v.isBoolean()) errors.add(path + ": must be a boolean");
            }
            case "bytes" -> {
                try {
                    Base64.getDecoder().decode(v.asText());
                } catch (IllegalArgumentException e) {
                    errors.add(path + ": bytes must be base64");
                }
            }
            default -> {
                if (type.startsWith("enum:")) {
                    if (!v.isTextual() || !List.of(type.substring(5).split(",")).contains(v.asText())) {
                        errors.add(path + ": '" + v.asText() + "' is not one of " + type.substring(5));
                    }
                } else {
                    validate(v, type, path, errors);
                }
            }
        }
    }
}

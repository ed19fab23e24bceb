package org.computeops.submit;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Workload;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a job file (YAML, or JSON when the name ends in .json) and maps it to a {@link BatchJob}.
 * Every problem is one line naming the file, the field and what is accepted, raised as
 * {@link BadInputException} before anything is submitted.
 */
public final class JobFileReader {

    /**
     * Longest job name that works everywhere: Swarm names the service co-RUNID-NAME and allows 63
     * characters; the CLI's run ids have {@value SubmitCli#RUN_ID_LENGTH}.
     */
    static final int MAX_NAME = 63 - "co-".length() - SubmitCli.RUN_ID_LENGTH - "-".length();

    /** What each field accepts, in the words of the messages. */
    static final Map<String, String> ACCEPTED = Map.of(
            "name", "1-" + JobFileReader.MAX_NAME + " lower-case letters, digits or '-', starting and ending with a letter or digit",
            "image", "an image name, e.g. computeops/batch:1.0",
            "command", "a list of strings, e.g. [sh, -c, \"sleep 1; echo done\"]",
            "tasks", "a whole number >= 1 (default 1)",
            "parallelism", "a whole number from 1 to tasks (default: tasks)",
            "cpus", "cores per task, a number >= 0 with at most 3 decimals, e.g. 0.5 or 2 (default 0: no reservation)",
            "memory", "MiB per task, a whole number >= 0 (default 0: no reservation)",
            "gpus", "whole GPUs per task, a number >= 0 (default 0)",
            "priority", "low or high, the job's priority class where the orchestrator has them (default: none)");

    private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();
    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

    private JobFileReader() {
    }

    // Strict on purpose: a typo or a truncated number must not turn into a silently different job.
    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B builder) {
        return builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Reads and checks the file; {@code shownAs} is how messages name it (the path as the user typed it). */
    public static BatchJob read(Path file, String shownAs) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(shownAs + ": cannot read the job file (" + reason(e) + ")");
        }
        boolean json = file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(text, json, shownAs);
    }

    static BatchJob parse(String text, boolean json, String shownAs) {
        if (text.isBlank()) {
            throw new BadInputException(shownAs + ": the job file is empty; expected the fields " + String.join(", ", JobFile.FIELDS));
        }
        JobFile raw;
        try (Reader in = new java.io.StringReader(text)) {
            raw = (json ? JSON : YAML).readValue(in, JobFile.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(shownAs + ": " + describe(e, json));
        } catch (IOException e) {
            throw new BadInputException(shownAs + ": cannot read the job file (" + reason(e) + ")");
        }
        if (raw == null) {
            throw new BadInputException(shownAs + ": the job file holds no fields; expected " + String.join(", ", JobFile.FIELDS));
        }
        return toBatchJob(raw, shownAs);
    }

    static BatchJob toBatchJob(JobFile f, String shownAs) {
        String name = require(f.name, "name", shownAs);
        if (!Workload.NAME.matcher(name).matches() || name.length() > MAX_NAME) {
            bad(shownAs, "name", "'" + name + "'" + (name.length() > MAX_NAME ? " (" + name.length() + " characters)" : ""));
        }
        String image = require(f.image, "image", shownAs);
        if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) bad(shownAs, "image", "'" + image + "'");
        if (f.command == null || f.command.isEmpty()) {
            // Slurm runs the command inside the image's OCI bundle, which keeps no entry point:
            // a file that leaves it out would not work unchanged on every orchestrator.
            throw new BadInputException(shownAs + ": command is missing; expected " + ACCEPTED.get("command")
                    + " (the image's own entry point is not used, so the file runs the same on every orchestrator)");
        }
        for (int i = 0; i < f.command.size(); i++) {
            if (f.command.get(i) == null) bad(shownAs, "command", "an empty element at position " + (i + 1));
        }
        int tasks = f.tasks == null ? 1 : f.tasks;
        if (tasks < 1) bad(shownAs, "tasks", Integer.toString(tasks));
        int parallelism = f.parallelism == null ? tasks : f.parallelism;
        if (parallelism < 1 || parallelism > tasks) {
            throw new BadInputException(shownAs + ": parallelism must be a whole number from 1 to tasks (" + tasks + "), was " + parallelism);
        }
        long cpuMillis = 0;
        if (f.cpus != null) {
            BigDecimal millis = f.cpus.movePointRight(3);
            if (f.cpus.signum() < 0 || millis.stripTrailingZeros().scale() > 0) bad(shownAs, "cpus", f.cpus.toPlainString());
            try {
                cpuMillis = millis.longValueExact();
            } catch (ArithmeticException e) {
                bad(shownAs, "cpus", f.cpus.toPlainString());
            }
        }
        long memory = f.memory == null ? 0 : f.memory;
        if (memory < 0) bad(shownAs, "memory", Long.toString(memory));
        int gpus = f.gpus == null ? 0 : f.gpus;
        if (gpus < 0) bad(shownAs, "gpus", Integer.toString(gpus));
        Priority priority = Priority.NORMAL;
        if (f.priority != null) {
            switch (f.priority) {
                case "low" -> priority = Priority.LOW;
                case "high" -> priority = Priority.HIGH;
                default -> bad(shownAs, "priority", "'" + f.priority + "'");
            }
        }
        try {
            // a submitted job is meant to run: never on a simulated node (KWOK, simulated Swarm workers), which starts nothing
            return new BatchJob(name, image, f.command, tasks, parallelism, new Resources(cpuMillis, memory, gpus), Placement.REAL_NODES, priority);
        } catch (IllegalArgumentException e) {
            // the SPI's own checks, should they be stricter than the ones above
            throw new BadInputException(shownAs + ": " + e.getMessage());
        }
    }

    private static String require(String value, String field, String shownAs) {
        if (value == null) throw new BadInputException(shownAs + ": " + field + " is missing; expected " + ACCEPTED.get(field));
        return value;
    }

    private static void bad(String shownAs, String field, String was) {
        throw new BadInputException(shownAs + ": " + field + " must be " + ACCEPTED.get(field) + "; was " + was);
    }

    /** One line for what Jackson (or the YAML parser under it) refused. */
    static String describe(JsonProcessingException e, boolean json) {
        String at = at(e.getLocation());
        if (e instanceof UnrecognizedPropertyException u) {
            // the parser stands at the field's value by now: its column would mislead
            String line = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " (line " + e.getLocation().getLineNr() + ")";
            return "unknown field '" + u.getPropertyName() + "'" + line + "; accepted fields: " + String.join(", ", JobFile.FIELDS);
        }
        if (e instanceof JsonMappingException m) {
            String field = field(m.getPath());
            String message = oneLine(m.getOriginalMessage());
            if (message.startsWith("Duplicate field")) {
                return "a field is given twice" + at + " (" + message + ")";
            }
            if (field.isEmpty()) {
                if (message.startsWith("No content")) return "the job file holds no fields; expected " + String.join(", ", JobFile.FIELDS);
                if (message.contains("Trailing token")) {
                    return "more than one document" + at + "; a job file describes one job";
                }
                return "the top level must be a mapping of the fields " + String.join(", ", JobFile.FIELDS) + at;
            }
            String top = field.replaceAll("\\[.*", "");
            if (m instanceof MismatchedInputException || m.getCause() instanceof InputCoercionException) {
                return field + " must be " + ACCEPTED.getOrDefault(top, "of another type") + at + " (" + shortJackson(message) + ")";
            }
            return field + at + ": " + shortJackson(message);
        }
        String message = oneLine(e.getOriginalMessage());
        if (message.startsWith("Duplicate field")) return "a field is given twice" + at + " (" + message + ")";
        return "not valid " + (json ? "JSON" : "YAML") + at + ": " + message;
    }

    /** "tasks", "command[2]" from Jackson's path. */
    static String field(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) b.append('.');
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex() + 1).append(']');
            }
        }
        return b.toString();
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) return "";
        return " (line " + location.getLineNr() + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "") + ")";
    }

    /** Jackson's message without the Java type names a site engineer need not read. */
    private static String shortJackson(String message) {
        return message.replaceAll("`?java\\.(lang|util|math)\\.", "").replaceAll("`?org\\.computeops\\.submit\\.", "")
                .replace("`", "");
    }

    private static String oneLine(String message) {
        if (message == null) return "";
        return message.replaceAll("\\s+", " ").trim();
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.charset.CharacterCodingException || e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return m == null ? e.getClass().getSimpleName() : oneLine(m);
    }
}

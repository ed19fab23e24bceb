package org.computeops.submit;

import java.math.BigDecimal;
import java.util.List;

/**
 * A job file as written, before any check: every field may be missing (null). Field names are the
 * file's own; {@link JobFileReader} checks them and maps them to the SPI's {@code BatchJob}.
 * A class with fields rather than a record: Jackson binds a record through its constructor after
 * buffering the whole mapping, and then reports an unknown field at the end of the file, not at its line.
 */
public final class JobFile {

    /** The accepted fields in the order of the documentation, for messages. */
    public static final List<String> FIELDS = List.of("name", "image", "command", "tasks", "parallelism", "cpus", "memory", "gpus", "priority");

    public String name;
    public String image;
    public List<String> command;
    public Integer tasks;
    public Integer parallelism;
    /** Cores per task, a decimal number (0.5 = half a core); sent to the adapters as millicores. */
    public BigDecimal cpus;
    /** MiB per task. */
    public Long memory;
    public Integer gpus;
    /** Priority class: low or high (none: the orchestrator's default order). */
    public String priority;
}

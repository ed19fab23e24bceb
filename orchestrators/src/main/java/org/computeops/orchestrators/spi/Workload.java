package org.computeops.orchestrators.spi;

import java.util.List;
import java.util.regex.Pattern;

/** A unit of work deployed the same way onto every orchestrator. */
public sealed interface Workload permits BatchJob, Service {

    /** DNS-label-like, so every orchestrator accepts it as part of an object name. */
    Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    String name();

    String image();

    /** The command and its arguments; empty means the image's own entry point. */
    List<String> command();

    Resources resources();

    Placement placement();

    /** How many tasks the workload asks for: completions of a job, replicas of a service. */
    int taskCount();

    static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    static void checkCommon(String name, String image, List<String> command, Resources resources, Placement placement) {
        check(name != null && NAME.matcher(name).matches(),
                "workload name must be 1-40 lower-case letters, digits or '-', was '" + name + "'");
        check(image != null && !image.isBlank(), "workload '" + name + "': image must not be empty");
        check(command != null, "workload '" + name + "': command must not be null (use an empty list)");
        check(resources != null, "workload '" + name + "': resources must not be null");
        check(placement != null, "workload '" + name + "': placement must not be null");
    }
}

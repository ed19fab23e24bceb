package org.computeops.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Small /proc readers (Linux only). */
public final class Procs {

    private Procs() {}

    public static Optional<String> comm(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Real uid of a process as the host sees it (first field of the Uid line), or -1. */
    public static int hostUid(long pid) {
        return statusField(pid, "Uid:").map(v -> Integer.parseInt(v.split("\\s+")[0])).orElse(-1);
    }

    public static long parentPid(long pid) {
        return statusField(pid, "PPid:").map(Long::parseLong).orElse(-1L);
    }

    /** Resident set size in KiB (VmRSS), 0 if the process is gone or a kernel thread. */
    public static long rssKib(long pid) {
        return statusField(pid, "VmRSS:").map(v -> Long.parseLong(v.split("\\s+")[0])).orElse(0L);
    }

    /** Proportional set size in KiB from smaps_rollup: shared pages divided among their users, so sums are fair. */
    public static long pssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** The pid and all its descendants that exist now. */
    public static Set<Long> withDescendants(long pid) {
        Set<Long> s = new LinkedHashSet<>();
        ProcessHandle.of(pid).ifPresent(h -> {
            s.add(h.pid());
            h.descendants().forEach(d -> s.add(d.pid()));
        });
        return s;
    }

    /** The first of the pids (or their descendants) whose comm equals {@code name}; -1 if none. */
    public static long find(Set<Long> pids, String name) {
        for (long p : pids) {
            for (long q : withDescendants(p)) {
                if (comm(q).filter(name::equals).isPresent()) return q;
            }
        }
        return -1;
    }

    public static Optional<String> statusField(long pid, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String l : lines) if (l.startsWith(key)) return Optional.of(l.substring(key.length()).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The namespace link of this JVM (the host's), e.g. "pid:[4026531836]". */
    public static String hostNamespace(String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns", kind)).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}

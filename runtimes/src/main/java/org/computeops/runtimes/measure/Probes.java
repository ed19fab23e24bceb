package org.computeops.runtimes.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands run inside every runtime and the parsers of their output. All use only the image's busybox-static
 * applets (sh, sha256sum, uname, id, readlink, adjtimex, dd), so the host baseline runs the very same binary.
 * adjtimex (read-only, no capability needed) is busybox's only microsecond clock: `date` has no %N here.
 */
public final class Probes {

    private Probes() {}

    /** Start-up probe: busybox `true`, run call → exit (it writes nothing, so it has no first output). */
    public static final List<String> TRUE = List.of("true");

    /** Start-up probe for first output: busybox `echo ready`, one applet that writes one line. */
    public static final List<String> ECHO = List.of("echo", "ready");

    /** Interoperability: outputs that must be byte-identical everywhere (generated stream, image file, arch). */
    public static List<String> interop(String blob) {
        return sh("yes computeops | head -c 1048576 | sha256sum; sha256sum " + blob + " | cut -c1-64; uname -m");
    }

    /** Isolation view from inside: uid, effective capabilities, namespaces, uid map, visible processes. */
    public static List<String> isolation() {
        return sh("echo uid=$(id -u); grep CapEff /proc/self/status; echo pidns=$(readlink /proc/self/ns/pid);"
                + " echo netns=$(readlink /proc/self/ns/net); echo userns=$(readlink /proc/self/ns/user);"
                + " echo uidmap=$(head -1 /proc/self/uid_map); echo procs=$(ls /proc | grep -c '^[0-9]')");
    }

    /** Compute kernel: sha256 of the image's fixed file, {@code reps} times, timed inside (one warm-up pass first). */
    public static List<String> kernel(String blob, int reps) {
        return sh("sha256sum " + blob + " >/dev/null; adjtimex | grep tv_; i=0; while [ $i -lt " + reps
                + " ]; do sha256sum " + blob + " >/dev/null; i=$((i+1)); done; adjtimex | grep tv_");
    }

    /** File read from the image: dd of the fixed file to /dev/null, timed inside. */
    public static List<String> read(String blob) {
        return sh("adjtimex | grep tv_; dd if=" + blob + " of=/dev/null bs=1048576 2>/dev/null; adjtimex | grep tv_");
    }

    private static List<String> sh(String script) { return List.of("sh", "-c", script); }

    private static final Pattern SEC = Pattern.compile("time\\.tv_sec:\\s+(\\d+)");
    private static final Pattern USEC = Pattern.compile("time\\.tv_usec:\\s+(\\d+)");

    /** Seconds between the first and the last adjtimex reading in the output. */
    public static double elapsedSeconds(String out) {
        List<Long> s = all(SEC, out);
        List<Long> u = all(USEC, out);
        if (s.size() < 2 || u.size() != s.size()) {
            throw new IllegalArgumentException("expected two adjtimex readings, got: " + out);
        }
        int last = s.size() - 1;
        return (s.get(last) - s.get(0)) + (u.get(last) - u.get(0)) / 1e6;
    }

    private static List<Long> all(Pattern p, String out) {
        List<Long> l = new ArrayList<>();
        Matcher m = p.matcher(out);
        while (m.find()) l.add(Long.parseLong(m.group(1)));
        return l;
    }

    /** key=value lines of the isolation probe. */
    public static java.util.Map<String, String> keyValues(String out) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String l = line.strip();
            if (l.startsWith("CapEff:")) m.put("capeff", l.substring(7).strip());
            int eq = l.indexOf('=');
            if (eq > 0 && !l.startsWith("CapEff")) m.put(l.substring(0, eq), l.substring(eq + 1).strip());
        }
        return m;
    }

    /** Number of capabilities set in a CapEff hex mask. */
    public static int capabilityCount(String hex) { return Long.bitCount(Long.parseUnsignedLong(hex, 16)); }

    /**
     * The host uid of an inside uid through a uid_map line "inside outside count"; the identity map (or none) gives
     * the inside uid itself. Note proot fakes uid 0 without any map: the host uid of the payload process is
     * therefore read from the host as well (Isolation), this is only the namespace's view.
     */
    public static long hostUidFromMap(long insideUid, String uidMapLine) {
        String[] f = uidMapLine.strip().split("\\s+");
        if (f.length < 3) return insideUid;
        long in = Long.parseLong(f[0]);
        long out = Long.parseLong(f[1]);
        long count = Long.parseLong(f[2]);
        return insideUid >= in && insideUid < in + count ? out + (insideUid - in) : -1;
    }
}

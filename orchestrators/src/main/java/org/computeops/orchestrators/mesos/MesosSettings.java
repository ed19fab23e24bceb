package org.computeops.orchestrators.mesos;

import okhttp3.HttpUrl;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;

import java.time.Duration;

/** The {@code testbed.mesos.*} settings, checked once. */
public record MesosSettings(HttpUrl master, String role, String user, String frameworkName,
                           Duration connectTimeout, Duration callTimeout, Duration subscribeTimeout,
                           Duration offerTimeout, int missedHeartbeats, Duration backoffMin, Duration backoffMax,
                           double failoverTimeoutSeconds, double refuseSeconds, double idleRefuseSeconds,
                           int batchMaxRetries, long defaultMilliCpus, long defaultMemMiB, boolean gpuAgentsOnlyForGpuTasks) {

    public static final String MASTER = "testbed.mesos.master";

    public static MesosSettings from(AdapterSettings s) {
        String raw = s.get(MASTER).orElseThrow(() -> new AdapterException(MASTER
                + " is not set: point it at a Mesos master, e.g. -D" + MASTER + "=http://mesos-master:5050"
                + " (Mesos has no local testbed here; see infra/mesos/README.md)"));
        return new MesosSettings(parseMaster(raw),
                s.get("testbed.mesos.role", "*"),
                s.get("testbed.mesos.user", "root"),
                s.get("testbed.mesos.frameworkName", "computeops-testbed"),
                Duration.ofMillis(positive(s, "testbed.mesos.connectTimeoutMillis", 5_000)),
                Duration.ofMillis(positive(s, "testbed.mesos.callTimeoutMillis", 75_000)),
                Duration.ofMillis(positive(s, "testbed.mesos.subscribeTimeoutMillis", 30_000)),
                Duration.ofMillis(positive(s, "testbed.mesos.offerTimeoutMillis", 120_000)),
                (int) positive(s, "testbed.mesos.missedHeartbeats", 5),
                Duration.ofMillis(positive(s, "testbed.mesos.backoffMinMillis", 500)),
                Duration.ofMillis(positive(s, "testbed.mesos.backoffMaxMillis", 15_000)),
                positive(s, "testbed.mesos.failoverTimeoutSeconds", 60),
                positive(s, "testbed.mesos.refuseSeconds", 5),
                positive(s, "testbed.mesos.idleRefuseSeconds", 30),
                s.getInt("testbed.batch.maxRetries", 3, 0, 1000),
                positive(s, "testbed.mesos.defaultCpuMillis", 100),
                positive(s, "testbed.mesos.defaultMemoryMiB", 32),
                s.getBoolean("testbed.mesos.gpuAgentsOnlyForGpuTasks", false));
    }

    static HttpUrl parseMaster(String raw) {
        String value = raw.trim();
        if (!value.contains("://")) value = "http://" + value;
        HttpUrl url = HttpUrl.parse(value);
        if (url == null || url.host().isEmpty()) {
            throw new AdapterException(MASTER + " must be a URL like http://mesos-master:5050, was '" + raw + "'");
        }
        return url.newBuilder().encodedPath("/").query(null).build();
    }

    private static long positive(AdapterSettings s, String key, long fallback) {
        return s.getLong(key, fallback, 1, Integer.MAX_VALUE);
    }

    MesosSchedulerClient.Config clientConfig(java.util.Map<String, String> frameworkLabels) {
        return new MesosSchedulerClient.Config(master, user, frameworkName, role, failoverTimeoutSeconds, frameworkLabels,
                connectTimeout, callTimeout, subscribeTimeout, missedHeartbeats, backoffMin, backoffMax, 64L << 20);
    }
}

package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code testbed.slurm.*} settings, checked once. infra/slurm/up.sh writes them for the local
 * testbed to {@code $TESTBED_STATE_DIR/slurm/testbed.properties} (pass it with {@code -Dtestbed.params=FILE}).
 *
 * @param url           slurmrestd's base URL (TCP with JWT auth)
 * @param openapi       the OpenAPI plugin version in the paths; only v0.0.38 (Slurm 22.05) is spoken
 * @param user          the user jobs are submitted as (header X-SLURM-USER-NAME)
 * @param token         that user's JWT (scontrol token), from testbed.slurm.token or testbed.slurm.tokenFile
 * @param batchMode     ARRAY: one job array per batch workload; JOBS: one job per task
 * @param bundleDir     where the OCI bundles of the images are, one folder per image (see {@link SlurmJobs#bundleName});
 *                      a path the client and every node see alike
 * @param workDir       where jobs write their output; null: /dev/null
 * @param slurmConf     slurm.conf readable by this client, for the failure-detection settings (v0.0.38 has no
 *                      configuration endpoint); null when not given
 * @param releaseRequeued whether the adapter sets a requeued job's begin time to now (Slurm holds a job it
 *                      requeued after a node failure for AuthInfo's cred_expire, 120 s by default, reason BeginTime)
 * @param highPriorityPartition the partition of {@link org.computeops.orchestrators.spi.Priority#HIGH} jobs: one over
 *                      the same nodes as {@code partition} with a higher PriorityTier; null: no priority classes
 */
public record SlurmSettings(HttpUrl url, String openapi, String user, String token, String tokenSource, String partition,
                            long pollMillis, BatchMode batchMode, String containers, Path bundleDir, Path workDir,
                            Path slurmConf, long timeLimitMinutes, long defaultMemoryMiB, Duration callTimeout,
                            boolean releaseRequeued, String highPriorityPartition) {

    public static final String URL = "testbed.slurm.url";
    public static final String TOKEN = "testbed.slurm.token";
    public static final String TOKEN_FILE = "testbed.slurm.tokenFile";
    public static final String OPENAPI = "v0.0.38";
    /** The one way of running images here: runc through Slurm's oci.conf ({@code --container=BUNDLE}). */
    public static final String CONTAINERS_OCI_RUNC = "oci-runc";

    public enum BatchMode { ARRAY, JOBS }

    public static SlurmSettings from(AdapterSettings s) {
        String rawUrl = s.get(URL).orElseThrow(() -> new AdapterException(URL
                + " is not set: point it at slurmrestd, e.g. -D" + URL + "=http://127.0.0.1:6820, or pass the local testbed's"
                + " settings with -Dtestbed.params=$TESTBED_STATE_DIR/slurm/testbed.properties (written by `infra/testbed up slurm`)"));
        String openapi = s.get("testbed.slurm.openapi", OPENAPI);
        if (!OPENAPI.equals(openapi)) {
            throw new AdapterException("testbed.slurm.openapi must be " + OPENAPI + " (the only version this adapter speaks), was '" + openapi + "'");
        }
        String token;
        String tokenSource;
        Optional<String> direct = s.get(TOKEN);
        if (direct.isPresent()) {
            token = direct.get().trim();
            tokenSource = TOKEN;
        } else {
            String file = s.get(TOKEN_FILE).orElseThrow(() -> new AdapterException("neither " + TOKEN + " nor " + TOKEN_FILE
                    + " is set: slurmrestd needs a JWT (scontrol token username=USER); infra/slurm/up.sh writes one"));
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new AdapterException(TOKEN_FILE + " '" + file + "' cannot be read: " + e.getMessage());
            }
            if (token.startsWith("SLURM_JWT=")) token = token.substring("SLURM_JWT=".length());
            tokenSource = TOKEN_FILE + " " + file;
        }
        if (token.isEmpty()) throw new AdapterException("the token from " + tokenSource + " is empty");
        String user = s.get("testbed.slurm.user", "root");
        String tokenUser = tokenUser(token);
        if (tokenUser != null && !tokenUser.equals(user)) {
            // slurmrestd 22.05 accepts root's token with another user name and the jobs then run as
            // 'nobody' (seen here: "Can not create job credential", requeued and held)
            throw new AdapterException("testbed.slurm.user '" + user + "' is not the user of the token (" + tokenSource + "): '"
                    + tokenUser + "'; set testbed.slurm.user=" + tokenUser + " or use a token of " + user);
        }
        long poll = s.getLong("testbed.slurm.pollMillis", 100);
        if (poll < 10) throw new AdapterException("testbed.slurm.pollMillis must be >= 10, was " + poll);
        BatchMode mode;
        String rawMode = s.get("testbed.slurm.batchMode", "array");
        try {
            mode = BatchMode.valueOf(rawMode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdapterException("testbed.slurm.batchMode must be 'array' or 'jobs', was '" + rawMode + "'");
        }
        String containers = s.get("testbed.slurm.containers", CONTAINERS_OCI_RUNC);
        if (!CONTAINERS_OCI_RUNC.equals(containers)) {
            throw new AdapterException("testbed.slurm.containers must be '" + CONTAINERS_OCI_RUNC
                    + "' (images run as OCI bundles through Slurm's oci.conf and runc), was '" + containers + "'");
        }
        Path bundleDir = Path.of(s.get("testbed.slurm.bundleDir").orElseThrow(() -> new AdapterException(
                "testbed.slurm.bundleDir is not set: the folder of the images' OCI bundles, one per image (infra/slurm/up.sh exports them)")));
        return new SlurmSettings(parseUrl(rawUrl), openapi, user, token, tokenSource,
                s.get("testbed.slurm.partition", "main"), poll, mode, containers, bundleDir,
                s.get("testbed.slurm.workDir").map(Path::of).orElse(null),
                s.get("testbed.slurm.slurmConf").map(Path::of).orElse(null),
                positive(s, "testbed.slurm.timeLimitMinutes", 60),
                positive(s, "testbed.slurm.defaultMemoryMiB", 100),
                Duration.ofMillis(positive(s, "testbed.slurm.callTimeoutMillis", 30_000)),
                s.getBoolean("testbed.slurm.releaseRequeued", false),
                s.get("testbed.slurm.highPriorityPartition").map(String::trim).filter(p -> !p.isEmpty()).orElse(null));
    }

    /** The user a Slurm JWT was issued for (its {@code sun} claim); null when the token is not a readable JWT. */
    static String tokenUser(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) return null;
        try {
            JsonNode claims = SlurmRest.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            String sun = claims.path("sun").asText("");
            return sun.isEmpty() ? null : sun;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static HttpUrl parseUrl(String raw) {
        String value = raw.trim();
        if (!value.contains("://")) value = "http://" + value;
        HttpUrl url = HttpUrl.parse(value);
        if (url == null || url.host().isEmpty()) {
            throw new AdapterException(URL + " must be a URL like http://127.0.0.1:6820, was '" + raw + "'");
        }
        return url.newBuilder().encodedPath("/").query(null).build();
    }

    private static long positive(AdapterSettings s, String key, long fallback) {
        return s.getLong(key, fallback, 1, Integer.MAX_VALUE);
    }
}

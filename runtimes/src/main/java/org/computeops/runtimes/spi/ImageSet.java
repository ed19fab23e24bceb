package org.computeops.runtimes.spi;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The image forms written by infra/runtimes/prepare-image.sh and the settings of infra/runtimes/install.sh, read
 * from $TESTBED_STATE_DIR/runtimes/{prepare,install}.properties.
 */
public record ImageSet(Path stateDir, String imageRef, String imageId, Path dockerArchive, Path ociLayout,
                       Path bundle, Path rootfs, Path chRootfs, Path squashfsZstd, Path squashfsGzip,
                       String blobPath, long blobBytes, String blobSha256, Map<String, String> steps,
                       String user, int uid, Path udocker, Path crunWrapper, Path containersConf) {

    /** $TESTBED_STATE_DIR/runtimes, with infra/lib/common.sh's default for root. */
    public static Path defaultStateDir() {
        String env = System.getenv("TESTBED_STATE_DIR");
        Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of("/var/lib/computeops-testbed");
        return base.resolve("runtimes");
    }

    public static boolean isPrepared(Path stateDir) {
        return Files.isRegularFile(stateDir.resolve("prepare.properties"))
                && Files.isRegularFile(stateDir.resolve("install.properties"));
    }

    public static ImageSet load(Path stateDir) throws IOException {
        Properties p = read(stateDir.resolve("prepare.properties"));
        Properties i = read(stateDir.resolve("install.properties"));
        Map<String, String> steps = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("step.")).sorted()
                .forEach(k -> steps.put(k.substring(5), p.getProperty(k)));
        return new ImageSet(stateDir, req(p, "imageRef"), req(p, "imageId"), Path.of(req(p, "dockerArchive")),
                Path.of(req(p, "ociLayout")), Path.of(req(p, "bundle")), Path.of(req(p, "rootfs")),
                Path.of(req(p, "chRootfs")), Path.of(req(p, "squashfsZstd")), Path.of(req(p, "squashfsGzip")),
                req(p, "blobPath"), Long.parseLong(req(p, "blobBytes")), req(p, "blobSha256"), steps,
                req(i, "user"), Integer.parseInt(req(i, "uid")), Path.of(req(i, "udocker")),
                Path.of(req(i, "crunWrapper")), Path.of(req(i, "containersConf")));
    }

    private static Properties read(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + " missing: run infra/runtimes/install.sh and infra/runtimes/prepare-image.sh");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) { p.load(r); }
        return p;
    }

    private static String req(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IOException("key " + key + " missing in the runtimes properties");
        return v.strip();
    }
}

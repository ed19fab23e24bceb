package org.computeops.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSetTest {

    @Test
    void readsWhatTheScriptsWrite(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("prepare.properties"), String.join("\n",
                "inputs=x", "imageRef=computeops/batch-runtimes:1.0", "imageId=sha256:ab",
                "dockerArchive=/s/image.docker.tar", "ociLayout=/s/oci", "ociTag=1.0", "bundle=/s/bundle",
                "rootfs=/s/bundle/rootfs", "chRootfs=/s/ch-rootfs", "squashfsZstd=/s/z.sqfs", "squashfsGzip=/s/g.sqfs",
                "blobPath=/data/blob", "blobBytes=16777216", "blobSha256=73b3",
                "step.save.seconds=0.341", "step.save.bytes=18921472", ""));
        Files.writeString(dir.resolve("install.properties"), String.join("\n",
                "user=ctbench", "uid=995", "udocker=/v/bin/udocker", "crunWrapper=/s/crun-wrapper",
                "containersConf=/s/containers.conf", ""));
        assertThat(ImageSet.isPrepared(dir)).isTrue();
        ImageSet s = ImageSet.load(dir);
        assertThat(s.imageRef()).isEqualTo("computeops/batch-runtimes:1.0");
        assertThat(s.blobBytes()).isEqualTo(16L << 20);
        assertThat(s.uid()).isEqualTo(995);
        assertThat(s.squashfsGzip()).isEqualTo(Path.of("/s/g.sqfs"));
        assertThat(s.steps()).containsEntry("save.seconds", "0.341").containsEntry("save.bytes", "18921472");
    }

    @Test
    void missingFilesSayWhatToRun(@TempDir Path dir) {
        assertThat(ImageSet.isPrepared(dir)).isFalse();
        assertThatThrownBy(() -> ImageSet.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("infra/runtimes/prepare-image.sh");
    }

    @Test
    void onlyTheDockerFormsCountAsUnchanged() {
        assertThat(ImageForm.DOCKER_ENGINE_IMAGE.dockerImageUnchanged()).isTrue();
        assertThat(ImageForm.DOCKER_ARCHIVE.dockerImageUnchanged()).isTrue();
        assertThat(ImageForm.OCI_BUNDLE.dockerImageUnchanged()).isFalse();
        assertThat(ImageForm.SQUASHFS.dockerImageUnchanged()).isFalse();
        assertThat(ImageForm.CHARLIECLOUD_DIR.dockerImageUnchanged()).isFalse();
    }
}

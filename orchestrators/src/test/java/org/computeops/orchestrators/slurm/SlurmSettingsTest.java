package org.computeops.orchestrators.slurm;

import com.sun.net.httpserver.HttpServer;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad settings fail at open, in one line that names the setting. */
class SlurmSettingsTest {

    @TempDir
    Path dir;

    private Map<String, String> settings(String... kv) throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJ.fake.jwt\n");
        Map<String, String> m = new HashMap<>(Map.of(
                "testbed.slurm.url", "http://127.0.0.1:6820",
                "testbed.slurm.tokenFile", token.toString(),
                "testbed.slurm.bundleDir", dir.toString()));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) m.remove(kv[i]);
            else m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static SlurmSettings parse(Map<String, String> m) {
        return SlurmSettings.from(new AdapterSettings("run-1", m));
    }

    @Test
    void defaultsAndTheTokenFromItsFile() throws IOException {
        SlurmSettings s = parse(settings());
        assertThat(s.url().toString()).isEqualTo("http://127.0.0.1:6820/");
        assertThat(s.token()).isEqualTo("eyJ.fake.jwt");
        assertThat(s.user()).isEqualTo("root");
        assertThat(s.batchMode()).isEqualTo(SlurmSettings.BatchMode.ARRAY);
        assertThat(s.pollMillis()).isEqualTo(100);
        assertThat(s.openapi()).isEqualTo("v0.0.38");
    }

    @Test
    void missingUrlNamesTheSettingAndTheTestbedFile() {
        assertThatThrownBy(() -> parse(settings("testbed.slurm.url", null)))
                .isInstanceOf(AdapterException.class).hasMessageContaining("testbed.slurm.url is not set")
                .hasMessageContaining("testbed.properties");
    }

    @Test
    void missingTokenNamesBothSettings() {
        assertThatThrownBy(() -> parse(settings("testbed.slurm.tokenFile", null)))
                .hasMessageContaining("testbed.slurm.token").hasMessageContaining("testbed.slurm.tokenFile");
        assertThatThrownBy(() -> parse(settings("testbed.slurm.tokenFile", dir.resolve("nope").toString())))
                .hasMessageContaining("testbed.slurm.tokenFile").hasMessageContaining("nope");
    }

    @Test
    void badValuesNameTheirSetting() {
        assertThatThrownBy(() -> parse(settings("testbed.slurm.batchMode", "many"))).hasMessageContaining("testbed.slurm.batchMode");
        assertThatThrownBy(() -> parse(settings("testbed.slurm.pollMillis", "5"))).hasMessageContaining("testbed.slurm.pollMillis");
        assertThatThrownBy(() -> parse(settings("testbed.slurm.openapi", "v0.0.39"))).hasMessageContaining("testbed.slurm.openapi");
        assertThatThrownBy(() -> parse(settings("testbed.slurm.containers", "docker"))).hasMessageContaining("testbed.slurm.containers");
        assertThatThrownBy(() -> parse(settings("testbed.slurm.url", "http://"))).hasMessageContaining("testbed.slurm.url");
        assertThatThrownBy(() -> parse(settings("testbed.slurm.bundleDir", null))).hasMessageContaining("testbed.slurm.bundleDir");
    }

    @Test
    void refusedConnectionSaysUnreachableWithTheUrlAndTheSetting() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Map<String, String> m = settings("testbed.slurm.url", url);
        assertThatThrownBy(() -> new SlurmOrchestratorProvider().open(new AdapterSettings("run-1", m)))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("unreachable").hasMessageContaining(url).hasMessageContaining("testbed.slurm.url")
                .message().doesNotContain("\n");
    }

    /**
     * A bad or expired JWT: slurmrestd 22.05 answers HTTP 500 with this error (recorded from the
     * local testbed with a wrong token), which says nothing about the token itself.
     */
    @Test
    void rejectedTokenIsNamedAsTheLikelyCause() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] b = """
                    {"meta":{"plugin":{"type":"openapi/v0.0.38"}},"errors":[{"description":"slurmctld config is unable to load",
                    "error_number":-1,"error":"Unspecified error","source":"slurm_load_ctl_conf"}]}""".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            Map<String, String> m = settings("testbed.slurm.url", "http://127.0.0.1:" + server.getAddress().getPort());
            assertThatThrownBy(() -> new SlurmOrchestratorProvider().open(new AdapterSettings("run-1", m)))
                    .isInstanceOf(AdapterException.class)
                    .hasMessageContaining("token").hasMessageContaining("testbed.slurm.tokenFile").hasMessageContaining("expired");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aUserOtherThanTheTokensIsRefusedNamingBoth() throws IOException {
        // header {"alg":"HS256","typ":"JWT"}, claims {"exp":1796014062,"iat":1795927662,"sun":"root"}: a token scontrol gave here
        String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTYwMTQwNjIsImlhdCI6MTc5NTkyNzY2Miwic3VuIjoicm9vdCJ9.sig";
        assertThat(SlurmSettings.tokenUser(jwt)).isEqualTo("root");
        assertThat(SlurmSettings.tokenUser("not-a-jwt")).isNull();
        assertThat(parse(settings("testbed.slurm.token", jwt)).user()).isEqualTo("root");
        assertThatThrownBy(() -> parse(settings("testbed.slurm.token", jwt, "testbed.slurm.user", "alice")))
                .isInstanceOf(AdapterException.class).hasMessageContaining("testbed.slurm.user 'alice'").hasMessageContaining("'root'");
    }

    @Test
    void slurmConfKeysAreReadForTheReport() throws IOException {
        Path conf = dir.resolve("slurm.conf");
        Files.writeString(conf, "# comment\nSlurmdTimeout=10\nSchedulerParameters=sched_min_interval=0,batch_sched_delay=0\n"
                + "NodeName=n1 CPUs=8\nReturnToService=2 # trailing\n");
        Map<String, String> read = SlurmFaults.readConf(conf);
        assertThat(read).containsEntry("SlurmdTimeout", "10").containsEntry("ReturnToService", "2")
                .containsEntry("SchedulerParameters", "sched_min_interval=0,batch_sched_delay=0").doesNotContainKey("NodeName");
    }
}

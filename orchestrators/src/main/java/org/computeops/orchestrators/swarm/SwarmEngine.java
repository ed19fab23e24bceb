package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.computeops.orchestrators.spi.AdapterException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The connection to one Swarm manager: docker-java's typed client, plus raw JSON through its
 * {@link DockerHttpClient} for what docker-java does not model (job modes, generic resources).
 */
final class SwarmEngine implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Connections to the manager the adapter's calls share. */
    static final int MAX_CONNECTIONS = 16;

    private final String endpoint;
    private final DockerHttpClient http;
    private final DockerClient docker;

    SwarmEngine(String endpoint, Duration callTimeout) {
        this.endpoint = endpoint;
        URI host = endpointUri(endpoint);
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint).build();
        this.http = new ApacheDockerHttpClient.Builder()
                .dockerHost(host)
                .sslConfig(config.getSSLConfig())
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(callTimeout)
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
    }

    /** unix:///path or tcp://host:port; docker-java would take anything else apart with an unrelated error. */
    static URI endpointUri(String endpoint) {
        String accepted = "testbed.swarm.host must be unix:///path/to/docker.sock or tcp://HOST:PORT, was '" + endpoint + "'";
        URI host;
        try {
            host = URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new AdapterException(accepted);
        }
        boolean unix = "unix".equals(host.getScheme()) && host.getPath() != null && !host.getPath().isEmpty();
        boolean tcp = "tcp".equals(host.getScheme()) && host.getHost() != null && host.getPort() > 0;
        if (!unix && !tcp) throw new AdapterException(accepted);
        return host;
    }

    String endpoint() {
        return endpoint;
    }

    DockerClient docker() {
        return docker;
    }

    JsonNode get(String path) {
        return call(DockerHttpClient.Request.Method.GET, path, null);
    }

    JsonNode post(String path, Object body) {
        return call(DockerHttpClient.Request.Method.POST, path, body);
    }

    JsonNode delete(String path) {
        return call(DockerHttpClient.Request.Method.DELETE, path, null);
    }

    private JsonNode call(DockerHttpClient.Request.Method method, String path, Object body) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(path);
        if (body != null) {
            try {
                request.putHeader("Content-Type", "application/json").bodyBytes(JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        try (DockerHttpClient.Response response = http.execute(request.build());
             InputStream in = response.getBody()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            int status = response.getStatusCode();
            if (status == 404) {
                throw new NotFound(method + " " + path + ": " + message(bytes));
            }
            if (status >= 300) {
                throw new AdapterException("Swarm manager at " + endpoint + " refused " + method + " " + path
                        + " (HTTP " + status + "): " + message(bytes));
            }
            return bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof AdapterException te) throw te;
            throw unreachable(e);
        }
    }

    AdapterException unreachable(Exception cause) {
        return new AdapterException("cannot reach the Docker engine at " + endpoint
                + " (testbed.swarm.host). Start the local testbed with `infra/testbed up swarm`, or set"
                + " -Dtestbed.swarm.host=unix:///path/to/docker.sock or tcp://manager:2376 (TLS)", cause);
    }

    private static String message(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.hasNonNull("message")) return node.get("message").asText();
        } catch (IOException ignored) {
            // not JSON: show it as it came
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing a connection pool; nothing left to do
        }
    }

    static final class NotFound extends AdapterException {
        NotFound(String message) {
            super(message);
        }
    }
}

package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.computeops.orchestrators.spi.AdapterException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * slurmrestd's REST API (OpenAPI v0.0.38) with JWT auth. Every answer carries an {@code errors}
 * array; a non-empty one is a failure even with HTTP 200.
 */
final class SlurmRest implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** slurmrestd's error number for an unknown job id (ESLURM_INVALID_JOB_ID). */
    static final int INVALID_JOB_ID = 2017;
    /** ESLURM_ALREADY_DONE: cancelling a job that has finished. */
    static final int ALREADY_DONE = 2021;

    private final SlurmSettings settings;
    private final OkHttpClient http;

    SlurmRest(SlurmSettings settings) {
        this.settings = settings;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.callTimeout())
                .readTimeout(settings.callTimeout())
                .callTimeout(settings.callTimeout())
                .build();
    }

    String endpoint() {
        return settings.url().toString();
    }

    JsonNode get(String path) {
        return call(request(path).get().build(), path);
    }

    JsonNode post(String path, ObjectNode body) {
        return call(request(path).post(RequestBody.create(body.toString().getBytes(StandardCharsets.UTF_8), JSON)).build(), path);
    }

    JsonNode delete(String path) {
        return call(request(path).delete().build(), path);
    }

    private Request.Builder request(String path) {
        HttpUrl url = settings.url().newBuilder().encodedPath("/slurm/" + settings.openapi() + path).build();
        return new Request.Builder().url(url)
                .header("Accept", "application/json")
                .header("X-SLURM-USER-NAME", settings.user())
                .header("X-SLURM-USER-TOKEN", settings.token());
    }

    private JsonNode call(Request request, String path) {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            JsonNode body = parse(text);
            String errors = errors(body);
            if (response.code() == 401) {
                throw new Failure(0, "slurmrestd at " + endpoint() + " refused the request for user '" + settings.user()
                        + "' (HTTP 401: " + oneLine(text) + "): check the token (" + settings.tokenSource()
                        + ") and testbed.slurm.user", false);
            }
            if (response.code() == 500 && errors != null && errors.contains("slurmctld config is unable to load")) {
                // what slurmrestd 22.05 answers when slurmctld rejects the JWT (bad, expired, other key)
                throw new Failure(0, "slurmrestd at " + endpoint() + " could not reach slurmctld as user '" + settings.user()
                        + "': the token (" + settings.tokenSource() + ") is probably bad or expired (renew it: "
                        + "`infra/testbed up slurm`, or scontrol token username=" + settings.user() + "); or slurmctld is down", false);
            }
            if (response.code() == 404 && body == null) {
                throw new Failure(0, "slurmrestd at " + endpoint() + " has no " + request.url().encodedPath()
                        + " (HTTP 404): does it serve OpenAPI " + settings.openapi() + "? (slurmrestd -s openapi/" + settings.openapi() + ")", false);
            }
            if (body == null) {
                throw new Failure(0, request.method() + " " + path + " on slurmrestd " + endpoint() + " gave HTTP "
                        + response.code() + " and no JSON: " + oneLine(text), false);
            }
            if (errors != null) {
                int number = body.path("errors").path(0).path("error_number").asInt();
                throw new Failure(number, request.method() + " " + path + " on slurmrestd " + endpoint() + " failed (HTTP "
                        + response.code() + "): " + errors, number == INVALID_JOB_ID || number == ALREADY_DONE);
            }
            if (!response.isSuccessful()) {
                throw new Failure(0, request.method() + " " + path + " on slurmrestd " + endpoint() + " gave HTTP " + response.code(), false);
            }
            return body;
        } catch (IOException e) {
            if (isUnreachable(e)) {
                throw new AdapterException("slurmrestd unreachable at " + endpoint() + " (" + SlurmSettings.URL + "): "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + ". Is it running? `infra/testbed up slurm` starts the local one");
            }
            throw new AdapterException(request.method() + " " + path + " on slurmrestd " + endpoint() + " failed", e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The errors of an answer in one line, or null when there are none. */
    static String errors(JsonNode body) {
        if (body == null || !body.path("errors").isArray() || body.path("errors").isEmpty()) return null;
        StringBuilder out = new StringBuilder();
        for (JsonNode e : body.path("errors")) {
            if (!out.isEmpty()) out.append("; ");
            String description = e.path("description").asText("");
            String error = e.path("error").asText("");
            out.append(description.isEmpty() ? error : description);
            if (!error.isEmpty() && !description.isEmpty() && !description.equals(error)) out.append(" (").append(error).append(')');
            if (e.has("error_number")) out.append(" [").append(e.path("error_number").asInt()).append(']');
        }
        return out.toString();
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketTimeoutException
                    || t instanceof NoRouteToHostException) return true;
        }
        return false;
    }

    private static String oneLine(String text) {
        String s = text.replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** A failed call; {@code gone} when the job it named no longer exists or has finished. */
    static final class Failure extends AdapterException {
        final int errorNumber;
        final boolean gone;

        Failure(int errorNumber, String message, boolean gone) {
            super(message);
            this.errorNumber = errorNumber;
            this.gone = gone;
        }
    }
}

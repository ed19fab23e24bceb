package org.computeops.reportcheck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The files of one folder over HTTP (GET only, nothing outside it): Java 17 has no SimpleFileServer yet. */
final class StaticFiles implements HttpHandler {

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript",
            "css", "text/css", "json", "application/json", "svg", "image/svg+xml", "png", "image/png", "csv", "text/csv",
            "woff", "font/woff", "woff2", "font/woff2", "ico", "image/x-icon");

    private final Path root;

    StaticFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = URI.create(exchange.getRequestURI().getRawPath()).getPath();
            Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
            if (path.equals("/favicon.ico")) {
                // the browser asks for it by itself; a 404 would read as an error of the page under test
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (Files.isDirectory(file)) file = file.resolve("index.html");
            if (!"GET".equals(exchange.getRequestMethod()) || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
            exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }
}

package dev.provenance;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** One request function every SDK method goes through: auth, JSON, timeout, retries, errors. */
final class Transport {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "DELETE");
    private static final Set<Integer> RETRY_STATUSES = Set.of(502, 503, 504);
    private static final long MAX_RETRY_AFTER_MS = 10_000;

    private final Provenance config;

    Transport(Provenance config) {
        this.config = config;
    }

    Provenance config() {
        return config;
    }

    @Override
    public String toString() {
        return "Transport{" + config + "}";
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String fillPath(String template, Map<String, String> params, String method) {
        String path = template;
        int open;
        while ((open = path.indexOf('{')) >= 0) {
            int close = path.indexOf('}', open);
            String name = path.substring(open + 1, close);
            String value = params.get(name);
            if (value == null || value.isEmpty()) throw new ProvenanceException(method, 0, null, "missing " + name);
            path = path.substring(0, open) + encode(value) + path.substring(close + 1);
        }
        return path;
    }

    private static String query(Map<String, ?> query) {
        if (query == null || query.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ?> e : query.entrySet()) {
            if (e.getValue() == null) continue;
            out.append(out.length() == 0 ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(String.valueOf(e.getValue())));
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> call(String method, String operation, Map<String, String> params, Map<String, ?> query, Object body) {
        Object result = send(method, operation, params, query, body);
        if (result != null && !(result instanceof Map)) throw new ProvenanceException(method, 0, null, "the answer is not a JSON object");
        return (Map<String, Object>) result;
    }

    private Object send(String method, String operation, Map<String, String> params, Map<String, ?> query, Object body) {
        Operations.Operation op = Operations.get(operation);
        URI uri = URI.create(config.url + fillPath(op.path(), params == null ? Map.of() : params, method) + query(query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout)
                .header("accept", "application/json")
                .header("authorization", "Bearer " + config.token())
                .header("user-agent", "provenance-sdk-java/" + Provenance.VERSION);
        if (config.org != null) request.header("x-provenance-org", config.org);
        if (body != null) {
            request.header("content-type", "application/json");
            request.method(op.method(), HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        } else {
            request.method(op.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest built = request.build();
        int retries = IDEMPOTENT.contains(op.method()) ? config.retries : 0;

        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> res;
            try {
                res = config.http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpTimeoutException e) {
                throw new ProvenanceException(method, 0, null, "timed out after " + config.timeout.toMillis() + " ms");
            } catch (IOException e) {
                if (attempt < retries) {
                    sleep(backoffMs(attempt, null));
                    continue;
                }
                throw new ProvenanceException(method, 0, null, "network error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvenanceException(method, 0, null, "interrupted");
            }
            if (RETRY_STATUSES.contains(res.statusCode()) && attempt < retries) {
                sleep(backoffMs(attempt, res.headers().firstValue("retry-after").orElse(null)));
                continue;
            }
            return result(method, res.statusCode(), res.body());
        }
    }

    @SuppressWarnings("unchecked")
    private static Object result(String method, int status, String text) {
        Object parsed = null;
        boolean json = false;
        if (text != null && !text.isEmpty()) {
            try {
                parsed = Json.parse(text);
                json = true;
            } catch (Json.JsonException e) {
                // not JSON: reported below
            }
        }
        if (status >= 200 && status < 300) {
            if (status == 204 || text == null || text.isEmpty()) return null;
            if (!json) throw new ProvenanceException(method, status, null, "the answer is not JSON");
            return parsed;
        }
        Map<String, Object> errorBody = json && parsed instanceof Map ? (Map<String, Object>) parsed : null;
        throw new ProvenanceException(method, status, errorBody, errorBody == null ? "HTTP " + status : null);
    }

    private static long backoffMs(int attempt, String retryAfter) {
        if (retryAfter != null && retryAfter.trim().matches("\\d{1,6}")) return Math.min(Long.parseLong(retryAfter.trim()) * 1000, MAX_RETRY_AFTER_MS);
        long base = 250L << attempt;
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every item of every page of a list operation, following nextCursor, fetched as it is walked. */
    Iterable<Map<String, Object>> pages(String method, String operation, Map<String, ?> query) {
        return () -> new Iterator<>() {
            private final Map<String, Object> q = new LinkedHashMap<>(query == null ? Map.of() : query);
            private List<Object> items = new ArrayList<>();
            private int index;
            private boolean last;
            private boolean started;

            @SuppressWarnings("unchecked")
            private void fill() {
                while (index >= items.size() && !(started && last)) {
                    Map<String, Object> page = call(method, operation, null, q, null);
                    started = true;
                    items = (List<Object>) page.get("data");
                    index = 0;
                    Object next = page.get("nextCursor");
                    if (next instanceof String && !((String) next).isEmpty()) q.put("cursor", next);
                    else last = true;
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return index < items.size();
            }

            @Override
            @SuppressWarnings("unchecked")
            public Map<String, Object> next() {
                if (!hasNext()) throw new NoSuchElementException();
                return (Map<String, Object>) items.get(index++);
            }
        };
    }
}

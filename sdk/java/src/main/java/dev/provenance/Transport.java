package dev.provenance;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The one request function every SDK method goes through: the operation table, auth and
 * org headers, JSON in and out, the timeout, retries and errors.
 */
final class Transport {
    /** Methods that may be sent again: GET and DELETE. POST, PATCH and PUT never are. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "DELETE");
    /** Answers after which an idempotent call is retried. */
    private static final Set<Integer> RETRY_STATUSES = Set.of(502, 503, 504);
    /** A Retry-After longer than this is cut to it. */
    static final long MAX_RETRY_AFTER_MS = 10_000;
    /** The first backoff; doubled per retry, with jitter, up to MAX_BACKOFF_MS. */
    static final long BASE_BACKOFF_MS = 250;
    static final long MAX_BACKOFF_MS = 5_000;

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

    /** Percent-encodes a path segment or a query name/value (a space is %20, never +). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String fillPath(String template, Map<String, String> params, String method) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        int open;
        while ((open = template.indexOf('{', at)) >= 0) {
            int close = template.indexOf('}', open);
            String name = template.substring(open + 1, close);
            String value = params.get(name);
            if (value == null || value.isEmpty()) throw new ProvenanceException(method, 0, null, "missing " + name);
            out.append(template, at, open).append(encode(value));
            at = close + 1;
        }
        return out.append(template.substring(at)).toString();
    }

    /** The query string: null values left out, an Iterable value as one parameter per item. */
    static String query(Map<String, ?> query) {
        if (query == null || query.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ?> e : query.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) continue;
            Iterable<?> values = e.getValue() instanceof Iterable ? (Iterable<?>) e.getValue() : List.of(e.getValue());
            for (Object v : values) {
                if (v == null) continue;
                out.append(out.length() == 0 ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(String.valueOf(v)));
            }
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> call(String method, String operation, Map<String, String> params, Map<String, ?> query, Object body) {
        Object result = send(method, operation, params, query, body);
        if (result != null && !(result instanceof Map)) throw new ProvenanceException(method, 0, null, "the answer is not a JSON object");
        return (Map<String, Object>) result;
    }

    private HttpRequest request(String method, Operations.Operation op, Map<String, String> params, Map<String, ?> query, Object body) {
        URI uri;
        try {
            uri = URI.create(config.url + fillPath(op.path(), params == null ? Map.of() : params, method) + query(query));
        } catch (IllegalArgumentException e) {
            throw new ProvenanceException(method, 0, null, "cannot build the request URL");
        }
        String json;
        try {
            json = body == null ? null : Json.write(body);
        } catch (Json.JsonException e) {
            throw new ProvenanceException(method, 0, null, "the request body: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout)
                .header("accept", "application/json")
                .header("authorization", "Bearer " + config.token())
                .header("user-agent", "provenance-sdk-java/" + Provenance.VERSION);
        if (config.org != null) request.header("x-provenance-org", config.org);
        if (json != null) {
            request.header("content-type", "application/json");
            request.method(op.method(), HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            request.method(op.method(), HttpRequest.BodyPublishers.noBody());
        }
        return request.build();
    }

    private Object send(String method, String operation, Map<String, String> params, Map<String, ?> query, Object body) {
        Operations.Operation op = Operations.get(operation);
        HttpRequest built = request(method, op, params, query, body);
        int retries = IDEMPOTENT.contains(op.method()) ? config.retries : 0;

        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> res;
            try {
                res = config.http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpConnectTimeoutException e) {
                // Connecting took too long: nothing reached the server, a connection error.
                if (attempt < retries) {
                    sleep(method, backoffMs(attempt, null));
                    continue;
                }
                throw new ProvenanceException(method, 0, null, "could not connect within " + config.timeout.toMillis() + " ms");
            } catch (HttpTimeoutException e) {
                // The server may be working on it: not retried, whatever the method.
                throw new ProvenanceException(method, 0, null, "timed out after " + config.timeout.toMillis() + " ms");
            } catch (IOException e) {
                if (attempt < retries) {
                    sleep(method, backoffMs(attempt, null));
                    continue;
                }
                throw new ProvenanceException(method, 0, null, "network error: " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvenanceException(method, 0, null, "interrupted");
            }
            if (RETRY_STATUSES.contains(res.statusCode()) && attempt < retries) {
                sleep(method, backoffMs(attempt, res.headers().firstValue("retry-after").orElse(null)));
                continue;
            }
            return result(method, res.statusCode(), res.body());
        }
    }

    /** The exception's class and message, with the token cut out should it ever appear there. */
    private String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        String token = config.token();
        return token.isEmpty() ? text : text.replace(token, "[token]");
    }

    @SuppressWarnings("unchecked")
    private static Object result(String method, int status, String text) {
        Object parsed = null;
        boolean json = false;
        if (text != null && !text.isBlank()) {
            try {
                parsed = Json.parse(text);
                json = true;
            } catch (Json.JsonException e) {
                // not JSON: reported below
            }
        }
        if (status >= 200 && status < 300) {
            if (status == 204 || text == null || text.isBlank()) return null;
            if (!json) throw new ProvenanceException(method, status, null, "the answer is not JSON");
            return parsed;
        }
        Map<String, Object> errorBody = json && parsed instanceof Map ? (Map<String, Object>) parsed : null;
        boolean named = errorBody != null && errorBody.get("error") instanceof String;
        throw new ProvenanceException(method, status, errorBody, named ? null : reasonPhrase(status));
    }

    /** The standard reason phrase, for an error answer without a JSON {@code error}. */
    static String reasonPhrase(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 413: return "Payload Too Large";
            case 415: return "Unsupported Media Type";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return status >= 300 && status < 400 ? "Redirect" : "HTTP error";
        }
    }

    /**
     * How long to wait before retry number {@code attempt + 1}: the answer's Retry-After
     * (seconds or an HTTP date) up to MAX_RETRY_AFTER_MS, else exponential backoff with jitter.
     */
    static long backoffMs(int attempt, String retryAfter) {
        if (retryAfter != null) {
            String value = retryAfter.trim();
            if (value.matches("\\d{1,9}")) return Math.min(Long.parseLong(value) * 1000, MAX_RETRY_AFTER_MS);
            try {
                long ms = Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
                return Math.max(0, Math.min(ms, MAX_RETRY_AFTER_MS));
            } catch (DateTimeParseException e) {
                // not a date either: the backoff below
            }
        }
        long base = Math.min(BASE_BACKOFF_MS << Math.min(attempt, 16), MAX_BACKOFF_MS);
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private static void sleep(String method, long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvenanceException(method, 0, null, "interrupted");
        }
    }

    /**
     * Every item of every page of a list operation, following {@code nextCursor} (sent back as
     * {@code cursor}); each page is fetched only when the previous one is used up.
     */
    Iterable<Map<String, Object>> pages(String method, String operation, Map<String, ?> query) {
        Map<String, Object> start = new LinkedHashMap<>();
        if (query != null) start.putAll(query);
        return () -> new Iterator<>() {
            private final Map<String, Object> q = new LinkedHashMap<>(start);
            private final Set<String> seen = new HashSet<>();
            private List<?> items = List.of();
            private int index;
            private boolean last;

            private void fill() {
                while (index >= items.size() && !last) {
                    Map<String, Object> page = call(method, operation, null, q, null);
                    Object data = page == null ? null : page.get("data");
                    if (!(data instanceof List)) throw new ProvenanceException(method, 0, null, "the answer has no data list");
                    items = (List<?>) data;
                    index = 0;
                    Object next = page.get("nextCursor");
                    if (next instanceof String && !((String) next).isEmpty()) {
                        if (!seen.add((String) next)) throw new ProvenanceException(method, 0, null, "the API returned the same cursor twice");
                        q.put("cursor", next);
                    } else {
                        last = true;
                    }
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
                Object item = items.get(index++);
                if (!(item instanceof Map)) throw new ProvenanceException(method, 0, null, "a list item is not a JSON object");
                return (Map<String, Object>) item;
            }
        };
    }

    /** {@link #pages} as a sequential, lazy Stream. */
    Stream<Map<String, Object>> stream(String method, String operation, Map<String, ?> query) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages(method, operation, query).iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}

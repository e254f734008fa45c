package dev.provenance;

import java.util.Map;

/**
 * Every failure of an SDK call. {@link #status()} is the HTTP status of an API error, or 0
 * for a network failure, a timeout or missing configuration; {@link #body()} is the API's
 * JSON error object (e.g. {@code {error=Conflict, details=[...]}}) or null. The message names
 * the method, the status and the error; never the token.
 */
public class ProvenanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> body;
    private final String method;

    public ProvenanceException(String method, int status, Map<String, Object> body, String reason) {
        super(method + " failed: " + (status == 0 ? "" : status + " ") + describe(body, reason));
        this.method = method;
        this.status = status;
        this.body = body;
    }

    private static String describe(Map<String, Object> body, String reason) {
        if (reason != null) return reason;
        Object error = body == null ? null : body.get("error");
        return error instanceof String ? (String) error : "error";
    }

    /** The HTTP status; 0 for a network error, a timeout or missing configuration. */
    public int status() {
        return status;
    }

    /** The API's JSON error object, or null. */
    public Map<String, Object> body() {
        return body;
    }

    /** The body's {@code error} (e.g. "Not found", "Validation failed"), or null. */
    public String error() {
        Object error = body == null ? null : body.get("error");
        return error instanceof String ? (String) error : null;
    }

    /** The body's {@code details} (each {@code {path, message}}), or an empty list. */
    @SuppressWarnings("unchecked")
    public java.util.List<Map<String, Object>> details() {
        Object details = body == null ? null : body.get("details");
        return details instanceof java.util.List ? (java.util.List<Map<String, Object>>) details : java.util.List.of();
    }

    /** The SDK method that failed, e.g. "inboundSources.get". */
    public String method() {
        return method;
    }
}

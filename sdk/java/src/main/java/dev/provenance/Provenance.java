package dev.provenance;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Configuration and entry point.
 *
 * <pre>{@code
 * Provenance provenance = new Provenance();            // PROVENANCE_URL, PROVENANCE_TOKEN, optional PROVENANCE_ORG
 * Provenance provenance = new Provenance(url, token);
 * Provenance provenance = Provenance.builder().url(url).token(token).org("demo").timeout(Duration.ofSeconds(10)).retries(2).build();
 * ProvenanceAPI api = provenance.api();
 * }</pre>
 *
 * Explicit settings win over the environment. A missing URL or token is a
 * {@link ProvenanceException} with status 0, thrown before any request.
 */
public final class Provenance {
    public static final String VERSION = "1.0.0";

    final String url;
    private final String token;
    final String org;
    final Duration timeout;
    final int retries;
    final HttpClient http;

    /** From PROVENANCE_URL, PROVENANCE_TOKEN and PROVENANCE_ORG. */
    public Provenance() {
        this(builder());
    }

    public Provenance(String url, String token) {
        this(builder().url(url).token(token));
    }

    private Provenance(Builder b) {
        String url = pick(b.url, "PROVENANCE_URL");
        String token = pick(b.token, "PROVENANCE_TOKEN");
        if (url == null) throw config("no URL: pass one or set PROVENANCE_URL (e.g. http://localhost:3000)");
        if (token == null) throw config("no token: pass one or set PROVENANCE_TOKEN (an API token, prv_...)");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw config("the URL is not valid");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw config("the URL must be an http or https URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) throw config("the URL must be the app's base URL, without a query or fragment");
        if (!headerSafe(token)) throw config("the token holds characters an HTTP header cannot carry (spaces, line breaks, non-ASCII)");
        String org = pick(b.org, "PROVENANCE_ORG");
        if (org != null && !headerSafe(org)) throw config("the org holds characters an HTTP header cannot carry");
        if (b.timeout == null || b.timeout.isNegative() || b.timeout.isZero()) throw config("the timeout must be positive");
        if (b.retries < 0 || b.retries > 10) throw config("retries must be between 0 and 10");
        this.url = url.replaceAll("/+$", "");
        this.token = token;
        this.org = org;
        this.timeout = b.timeout;
        this.retries = b.retries;
        // HTTP/1.1: the JDK's default for http:// URLs is an h2c upgrade request, which a
        // Node.js server without an upgrade handler (Provenance's among them) drops unanswered.
        this.http = b.http != null ? b.http
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String pick(String given, String env) {
        if (given != null && !given.isEmpty()) return given;
        String value = System.getenv(env);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Visible ASCII only: what a header value can carry unchanged. */
    private static boolean headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return false;
        }
        return true;
    }

    private static ProvenanceException config(String reason) {
        return new ProvenanceException("Provenance", 0, null, reason);
    }

    /** The token, for the transport only. */
    String token() {
        return token;
    }

    /** A client of the management API. */
    public ProvenanceAPI api() {
        return new ProvenanceAPI(new Transport(this));
    }

    /** The base URL, without a trailing slash. */
    public String url() {
        return url;
    }

    /** The org slug sent as {@code x-provenance-org}, or null. */
    public String org() {
        return org;
    }

    /** The per-attempt timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** How many times a GET or DELETE is retried. */
    public int retries() {
        return retries;
    }

    @Override
    public String toString() {
        return "Provenance{url=" + url + ", org=" + org + ", timeout=" + timeout + ", retries=" + retries + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; anything left unset comes from the environment or the defaults (30 s, 2 retries). */
    public static final class Builder {
        private String url;
        private String token;
        private String org;
        private Duration timeout = Duration.ofSeconds(30);
        private int retries = 2;
        private HttpClient http;

        public Builder url(String url) { this.url = url; return this; }
        public Builder token(String token) { this.token = token; return this; }
        public Builder org(String org) { this.org = org; return this; }
        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }
        public Builder retries(int retries) { this.retries = retries; return this; }
        public Builder httpClient(HttpClient http) { this.http = http; return this; }

        public Provenance build() {
            return new Provenance(this);
        }

        @Override
        public String toString() {
            return "Provenance.Builder{url=" + url + ", org=" + org + "}";
        }
    }
}

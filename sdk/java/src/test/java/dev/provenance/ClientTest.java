package dev.provenance;

import static dev.provenance.TestRunner.check;
import static dev.provenance.TestRunner.equal;
import static dev.provenance.TestRunner.fails;

import com.sun.net.httpserver.HttpServer;
import dev.provenance.TestRunner.Test;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** The SDK's behaviour that needs no Provenance, against a local fake server. */
final class ClientTest {
    private static final String TOKEN = "prv_secret_token_value_123456";

    record Call(String method, String path, Map<String, String> headers, String body) {}

    record Answer(int status, String body, Map<String, String> headers) {}

    interface Script {
        Answer answer(Call call, int n) throws Exception;
    }

    /** A local HTTP server answering from a script. */
    static final class Fake implements AutoCloseable {
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final HttpServer server;
        final String url;

        Fake(Script script) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()), headers, body);
                calls.add(call);
                try {
                    Answer a = script.answer(call, calls.size());
                    a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                    byte[] bytes = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : bytes.length);
                    if (a.status() != 204) exchange.getResponseBody().write(bytes);
                } catch (Exception e) {
                    // the client gave up (the timeout test)
                } finally {
                    exchange.close();
                }
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static Answer json(int status, String body) {
        return new Answer(status, body, Map.of("content-type", "application/json"));
    }

    static ProvenanceAPI client(String url) {
        return Provenance.builder().url(url).token(TOKEN).build().api();
    }

    @Test
    void refusesMissingOrBadConfigurationBeforeAnyRequest() throws Exception {
        ProvenanceException e = fails(() -> Provenance.builder().url("ftp://x").token(TOKEN).build());
        equal(0, e.status(), "status");
        check(e.getMessage().contains("http or https"), e.getMessage());
        // Without PROVENANCE_URL/TOKEN in the environment (a child JVM with them removed).
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.provenance.ConfigProbe");
        pb.environment().remove("PROVENANCE_URL");
        pb.environment().remove("PROVENANCE_TOKEN");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        equal(0, p.waitFor(), "probe exit");
        equal("0|Provenance failed: no URL: pass one or set PROVENANCE_URL (e.g. http://localhost:3000)", out.split("\n")[0], "no URL");
        equal("0|Provenance failed: no token: pass one or set PROVENANCE_TOKEN (an API token, prv_...)", out.split("\n")[1], "no token");
    }

    @Test
    void sendsTheOperationsMethodPathQueryBodyAndHeaders() throws Exception {
        try (Fake fake = new Fake((c, n) -> "DELETE".equals(c.method()) ? new Answer(204, null, Map.of()) : json(200, "{\"ok\":1}"))) {
            ProvenanceAPI api = Provenance.builder().url(fake.url + "/").token(TOKEN).org("acme").build().api();
            api.inboundSources().update("a/b c", Map.of("title", "T"));
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("status", "failed");
            q.put("limit", 5);
            q.put("sourceId", null);
            api.events().list(q);
            api.secrets().put("STRIPE_KEY", Map.of("value", "v"));
            api.routes().delete("r1");
            Call first = fake.calls.get(0);
            equal("PATCH /api/v1/inbound-sources/a%2Fb%20c {\"title\":\"T\"}", first.method() + " " + first.path() + " " + first.body(), "update");
            equal("Bearer " + TOKEN, first.headers().get("authorization"), "auth");
            equal("acme", first.headers().get("x-provenance-org"), "org");
            equal("application/json", first.headers().get("content-type"), "content type");
            check(first.headers().get("user-agent").startsWith("provenance-sdk-java/"), "user agent");
            equal("GET /api/v1/events?status=failed&limit=5", fake.calls.get(1).method() + " " + fake.calls.get(1).path(), "list");
            equal("PUT /api/v1/secrets/STRIPE_KEY", fake.calls.get(2).method() + " " + fake.calls.get(2).path(), "put");
            equal("DELETE /api/v1/routes/r1", fake.calls.get(3).method() + " " + fake.calls.get(3).path(), "delete");
        }
    }

    @Test
    void errorsCarryStatusBodyAndNameTheMethodNeverTheToken() throws Exception {
        try (Fake fake = new Fake((c, n) -> json(409, "{\"error\":\"Conflict\",\"details\":[{\"path\":\"/mnemonic\",\"message\":\"taken\"}]}"))) {
            ProvenanceAPI api = client(fake.url);
            ProvenanceException e = fails(() -> api.inboundSources().create(Map.of("title", "S", "mnemonic", "S")));
            equal(409, e.status(), "status");
            equal("Conflict", e.body().get("error"), "body");
            equal("inboundSources.create failed: 409 Conflict", e.getMessage(), "message");
            equal("inboundSources.create", e.method(), "method");
            for (String shown : new String[] {e.getMessage(), e.toString(), api.toString(), Provenance.builder().url(fake.url).token(TOKEN).build().toString()}) {
                check(!shown.contains(TOKEN), "token shown in " + shown);
            }
        }
        ProvenanceAPI down = Provenance.builder().url("http://127.0.0.1:9").token(TOKEN).retries(0).build().api();
        ProvenanceException e = fails(() -> down.events().list());
        equal(0, e.status(), "network status");
        check(e.getMessage().startsWith("events.list failed: network error"), e.getMessage());
        check(!e.getMessage().contains(TOKEN), "token in network error");
    }

    @Test
    void aTimeoutIsStatusZeroAndSaysSo() throws Exception {
        try (Fake fake = new Fake((c, n) -> {
            Thread.sleep(1500);
            return json(200, "{}");
        })) {
            ProvenanceAPI api = Provenance.builder().url(fake.url).token(TOKEN).timeout(Duration.ofMillis(200)).build().api();
            ProvenanceException e = fails(() -> api.events().get("e1"));
            equal(0, e.status(), "status");
            equal("events.get failed: timed out after 200 ms", e.getMessage(), "message");
            equal(1, fake.calls.size(), "not retried");
        }
    }

    @Test
    void retriesGetAndDeleteOn502To504HonouringRetryAfter() throws Exception {
        try (Fake fake = new Fake((c, n) -> n == 1 ? new Answer(503, "{\"error\":\"Server busy, retry later\"}", Map.of("retry-after", "0"))
                : n == 2 ? json(502, "{}") : json(200, "{\"data\":[]}"))) {
            equal(Map.of("data", List.of()), client(fake.url).inboundSources().list(), "answer");
            equal(3, fake.calls.size(), "attempts");
        }
        try (Fake fake = new Fake((c, n) -> new Answer(503, "{\"error\":\"Server busy, retry later\"}", Map.of("retry-after", "0")))) {
            ProvenanceAPI api = Provenance.builder().url(fake.url).token(TOKEN).retries(1).build().api();
            ProvenanceException e = fails(() -> api.events().list());
            equal(503, e.status(), "last status");
            equal(2, fake.calls.size(), "attempts with retries(1)");
        }
    }

    @Test
    void neverRetriesPostPatchOrPut() throws Exception {
        try (Fake fake = new Fake((c, n) -> new Answer(503, "{\"error\":\"Server busy, retry later\"}", Map.of("retry-after", "0")))) {
            ProvenanceAPI api = client(fake.url);
            fails(() -> api.events().replay("e1"));
            fails(() -> api.inboundMappings().update("m1", Map.of()));
            fails(() -> api.secrets().put("A", Map.of("value", "v")));
            List<String> methods = new ArrayList<>();
            for (Call c : fake.calls) methods.add(c.method());
            equal(List.of("POST", "PATCH", "PUT"), methods, "one attempt each");
        }
    }

    @Test
    void iterateWalksEveryPageKeepingTheFilters() throws Exception {
        try (Fake fake = new Fake((c, n) -> c.path().contains("cursor=c2") ? json(200, "{\"data\":[],\"nextCursor\":null}")
                : c.path().contains("cursor=c1") ? json(200, "{\"data\":[{\"id\":\"c\"}],\"nextCursor\":\"c2\"}")
                : json(200, "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"nextCursor\":\"c1\"}"))) {
            List<Object> ids = new ArrayList<>();
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("status", "failed");
            q.put("limit", 2);
            for (Map<String, Object> e : client(fake.url).events().iterate(q)) ids.add(e.get("id"));
            equal(List.of("a", "b", "c"), ids, "items");
            List<String> paths = new ArrayList<>();
            for (Call c : fake.calls) paths.add(c.path());
            equal(List.of("/api/v1/events?status=failed&limit=2", "/api/v1/events?status=failed&limit=2&cursor=c1",
                    "/api/v1/events?status=failed&limit=2&cursor=c2"), paths, "pages");
        }
    }
}

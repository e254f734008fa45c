package dev.provenance;

import static dev.provenance.TestRunner.check;
import static dev.provenance.TestRunner.equal;
import static dev.provenance.TestRunner.fails;

import com.sun.net.httpserver.HttpServer;
import dev.provenance.TestRunner.Test;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The SDK's behaviour that needs no Provenance, against local fake servers. */
final class ClientTest {
    private static final String TOKEN = "prv_secret_token_value_123456";

    record Call(String method, String path, Map<String, String> headers, String body) {}

    record Answer(int status, String body, Map<String, String> headers) {}

    interface Script {
        Answer answer(Call call, int n) throws Exception;
    }

    /** A local HTTP server (com.sun.net.httpserver) answering from a script; records every request. */
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
                    exchange.sendResponseHeaders(a.status(), a.status() == 204 || bytes.length == 0 ? -1 : bytes.length);
                    if (bytes.length > 0) exchange.getResponseBody().write(bytes);
                } catch (Exception e) {
                    // the client gave up (the timeout tests)
                } finally {
                    exchange.close();
                }
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<String> lines() {
            synchronized (calls) {
                return calls.stream().map(c -> c.method() + " " + c.path()).collect(Collectors.toList());
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * A raw socket server for connection failures: connection number n (from 1) is dropped
     * without an answer when {@code drop} says so, else answered 200 {"ok":true}.
     */
    static final class RawFake implements AutoCloseable {
        interface Drop {
            boolean drop(int n);
        }

        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final String url;
        private final Thread thread;

        RawFake(Drop drop) throws IOException {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            url = "http://127.0.0.1:" + socket.getLocalPort();
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        int n = connections.incrementAndGet();
                        readRequest(s.getInputStream());
                        if (drop.drop(n)) continue; // closed without a byte of answer
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"ok\":true}")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        private static void readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.US_ASCII);
                if (text.endsWith("\r\n\r\n")) {
                    Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                    if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Answer json(int status, String body) {
        return new Answer(status, body, Map.of("content-type", "application/json"));
    }

    static ProvenanceAPI client(String url) {
        return Provenance.builder().url(url).token(TOKEN).build().api();
    }

    private static Process probe(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.provenance.ConfigProbe"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("PROVENANCE_URL");
        pb.environment().remove("PROVENANCE_TOKEN");
        pb.environment().remove("PROVENANCE_ORG");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        return pb.start();
    }

    // ---- configuration ----------------------------------------------------------------------

    @Test(order = 1)
    void aMissingUrlOrTokenIsAClearErrorBeforeAnyRequest() throws Exception {
        // Without PROVENANCE_URL/TOKEN in the environment: a child JVM with them removed.
        Process p = probe(Map.of());
        String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
        equal(0, p.waitFor(), "probe exit");
        equal("0|Provenance failed: no URL: pass one or set PROVENANCE_URL (e.g. http://localhost:3000)", out[0], "new Provenance()");
        equal("0|Provenance failed: no token: pass one or set PROVENANCE_TOKEN (an API token, prv_...)", out[1], "no token");
        equal("0|Provenance failed: no URL: pass one or set PROVENANCE_URL (e.g. http://localhost:3000)", out[2], "no URL");
    }

    @Test(order = 2)
    void badSettingsAreRefusedBeforeAnyRequest() throws Exception {
        try (Fake fake = new Fake((c, n) -> json(200, "{}"))) {
            String[][] cases = {
                {"ftp://x", TOKEN, "the URL must be an http or https URL"},
                {"not a url", TOKEN, "the URL is not valid"},
                {fake.url + "/?x=1", TOKEN, "without a query or fragment"},
                {fake.url, "prv_with\nnewline", "the token holds characters an HTTP header cannot carry"},
                {fake.url, "prv with space", "the token holds characters"},
                {fake.url, "prv_é", "the token holds characters"},
            };
            for (String[] c : cases) {
                ProvenanceException e = fails(() -> Provenance.builder().url(c[0]).token(c[1]).build());
                equal(0, e.status(), "status for " + c[0]);
                equal(null, e.body(), "no body");
                check(e.getMessage().startsWith("Provenance failed: ") && e.getMessage().contains(c[2]), e.getMessage());
                check(!e.getMessage().contains(c[1]), "the bad token is not repeated: " + e.getMessage());
            }
            check(fails(() -> Provenance.builder().url(fake.url).token(TOKEN).org("a b").build()).getMessage().contains("org"), "org");
            check(fails(() -> Provenance.builder().url(fake.url).token(TOKEN).timeout(Duration.ZERO).build()).getMessage().contains("timeout"), "timeout 0");
            check(fails(() -> Provenance.builder().url(fake.url).token(TOKEN).timeout(null).build()).getMessage().contains("timeout"), "timeout null");
            check(fails(() -> Provenance.builder().url(fake.url).token(TOKEN).retries(-1).build()).getMessage().contains("retries"), "retries");
            equal(0, fake.calls.size(), "no request was sent");
        }
    }

    @Test(order = 3)
    void theEnvironmentConfiguresAndExplicitSettingsWin() throws Exception {
        try (Fake fake = new Fake((c, n) -> json(200, "{\"data\":[{\"n\":" + n + "}]}"))) {
            Process p = probe(Map.of("PROVENANCE_URL", fake.url + "/", "PROVENANCE_TOKEN", "prv_env_token_value", "PROVENANCE_ORG", "env-org"), "env", fake.url);
            String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
            equal(0, p.waitFor(), "probe exit: " + String.join("\n", out));
            equal("{\"data\":[{\"n\":1}]}", out[0], "answer from the environment's URL");
            equal(2, fake.calls.size(), "two calls");
            Call env = fake.calls.get(0);
            Call explicit = fake.calls.get(1);
            equal("Bearer prv_env_token_value", env.headers().get("authorization"), "token from PROVENANCE_TOKEN");
            equal("env-org", env.headers().get("x-provenance-org"), "org from PROVENANCE_ORG");
            equal("Bearer prv_explicit_token_value", explicit.headers().get("authorization"), "explicit token wins");
            equal("explicit-org", explicit.headers().get("x-provenance-org"), "explicit org wins");
        }
        Provenance p = Provenance.builder().url("http://example.test:8080/base///").token(TOKEN).org("acme").retries(0).timeout(Duration.ofSeconds(5)).build();
        equal("http://example.test:8080/base", p.url(), "trailing slashes dropped");
        equal("acme", p.org(), "org");
        equal(0, p.retries(), "retries");
        equal(Duration.ofSeconds(5), p.timeout(), "timeout");
        Provenance defaults = new Provenance("http://example.test", TOKEN);
        equal(2, defaults.retries(), "2 retries by default");
        equal(Duration.ofSeconds(30), defaults.timeout(), "30 s by default");
    }

    // ---- requests -----------------------------------------------------------------------------

    @Test(order = 10)
    void sendsTheOperationsMethodPathQueryBodyAndHeaders() throws Exception {
        try (Fake fake = new Fake((c, n) -> "DELETE".equals(c.method()) ? new Answer(204, null, Map.of()) : json(200, "{\"ok\":1}"))) {
            ProvenanceAPI api = Provenance.builder().url(fake.url + "/").token(TOKEN).org("acme").build().api();
            api.inboundSources().update("a/b c?d#é", Map.of("title", "T é"));
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("status", "failed");
            q.put("limit", 5);
            q.put("sourceId", null);
            q.put("cursor", "a b&c=d");
            api.events().list(q);
            api.secrets().put("STRIPE_KEY", Map.of("value", "v"));
            api.routes().delete("r1");
            api.events().replay("e1");
            api.deliveries().list(Map.of("status", List.of("dead", "failed")));
            Call first = fake.calls.get(0);
            equal("PATCH /api/v1/inbound-sources/a%2Fb%20c%3Fd%23%C3%A9 {\"title\":\"T é\"}", first.method() + " " + first.path() + " " + first.body(), "update");
            equal("Bearer " + TOKEN, first.headers().get("authorization"), "auth");
            equal("acme", first.headers().get("x-provenance-org"), "org");
            equal("application/json", first.headers().get("content-type"), "content type with a body");
            equal("application/json", first.headers().get("accept"), "accept");
            equal("provenance-sdk-java/1.0.0", first.headers().get("user-agent"), "user agent");
            equal("GET /api/v1/events?status=failed&limit=5&cursor=a%20b%26c%3Dd", fake.lines().get(1), "query: nulls left out, values encoded");
            equal(null, fake.calls.get(1).headers().get("content-type"), "no content type without a body");
            equal("", fake.calls.get(1).body(), "no body on a GET");
            equal("PUT /api/v1/secrets/STRIPE_KEY", fake.lines().get(2), "put");
            equal("DELETE /api/v1/routes/r1", fake.lines().get(3), "delete");
            equal("POST /api/v1/events/e1/replay", fake.lines().get(4), "replay");
            equal("", fake.calls.get(4).body(), "replay sends no body");
            equal("GET /api/v1/deliveries?status=dead&status=failed", fake.lines().get(5), "a list value repeats the parameter");
        }
    }

    @Test(order = 11)
    void everySdkMethodGoesThroughTheOperationTable() throws Exception {
        try (Fake fake = new Fake((c, n) -> "DELETE".equals(c.method()) ? new Answer(204, null, Map.of())
                : json(200, "{\"data\":[],\"nextCursor\":null}"))) {
            ProvenanceAPI api = client(fake.url);
            int invoked = 0;
            for (Method accessor : ProvenanceAPI.class.getDeclaredMethods()) {
                if (!Modifier.isPublic(accessor.getModifiers()) || accessor.getParameterCount() != 0 || accessor.getName().equals("toString")) continue;
                Object resource = accessor.invoke(api);
                for (Method m : resource.getClass().getMethods()) {
                    if (m.getDeclaringClass() != resource.getClass()) continue;
                    Object[] args = new Object[m.getParameterCount()];
                    for (int i = 0; i < args.length; i++) args[i] = m.getParameterTypes()[i] == String.class ? "x1" : Map.of();
                    Object out = m.invoke(resource, args);
                    if (out instanceof Iterable) ((Iterable<?>) out).iterator().hasNext();
                    if (out instanceof java.util.stream.Stream) ((java.util.stream.Stream<?>) out).count();
                    invoked++;
                }
            }
            api.testInboundMapping("x1", Map.of("payload", Map.of()));
            Set<String> expected = new LinkedHashSet<>();
            for (Operations.Operation op : Operations.all().values()) {
                expected.add(op.method() + " " + op.path().replace("{id}", "x1").replace("{name}", "x1"));
            }
            Set<String> sent = new LinkedHashSet<>();
            for (String line : fake.lines()) sent.add(line.replaceAll("\\?.*", ""));
            equal(expected, sent, "every operation, and nothing else, was called");
            check(invoked >= Operations.all().size(), "methods invoked: " + invoked);
            equal(56, Operations.all().size(), "operations");
        }
    }

    @Test(order = 12)
    void theOperationTableHasTheFormatTheProjectTestParses() throws Exception {
        Path file = Path.of(System.getProperty("provenance.sdk.dir", "."), "src/main/java/dev/provenance/Operations.java");
        Matcher m = Pattern.compile("entry\\(\"([^\"]+)\", \"([A-Z]+)\", \"([^\"]+)\"\\)").matcher(Files.readString(file));
        List<Operations.Operation> parsed = new ArrayList<>();
        while (m.find()) parsed.add(new Operations.Operation(m.group(1), m.group(2), m.group(3)));
        equal(List.copyOf(Operations.all().values()), parsed, "the file, read with the project's regex, is the table");
        for (Operations.Operation op : parsed) {
            check(Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(op.method()), op.toString());
            check(op.path().startsWith("/api/v1/") && op.path().matches("[a-z0-9/{}-]+"), op.toString());
        }
        check(fails(() -> client("http://127.0.0.1:9").events().get("")).getMessage().equals("events.get failed: missing id"), "an empty id");
    }

    @Test(order = 13)
    void answersAreTheApisJsonUnchanged() throws Exception {
        String answer = "{\"data\":[{\"id\":\"s1\",\"n\":2000,\"f\":12.5,\"ok\":true,\"none\":null,\"tags\":[\"a\"],\"o\":{\"z\":1,\"a\":2}}],\"nextCursor\":null}";
        try (Fake fake = new Fake((c, n) -> "DELETE".equals(c.method()) ? new Answer(204, null, Map.of())
                : "POST".equals(c.method()) ? json(201, "{\"id\":\"new\"}") : json(200, answer))) {
            ProvenanceAPI api = client(fake.url);
            Map<String, Object> list = api.inboundSources().list();
            equal(answer, Json.write(list), "the whole answer, in order");
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) ((List<Object>) list.get("data")).get(0);
            equal(2000L, item.get("n"), "an integral number is a Long");
            equal(12.5, item.get("f"), "a fraction is a Double");
            check(list.containsKey("nextCursor") && list.get("nextCursor") == null, "a null is kept");
            equal(Map.of("id", "new"), api.inboundSources().create(Map.of("title", "x")), "create returns the created object");
            api.inboundSources().delete("s1"); // void
        }
        try (Fake fake = new Fake((c, n) -> new Answer(200, "<html>not json</html>", Map.of("content-type", "text/html")))) {
            ProvenanceException e = fails(() -> client(fake.url).events().list());
            equal(200, e.status(), "status of a non-JSON success");
            equal("events.list failed: 200 the answer is not JSON", e.getMessage(), "message");
        }
        try (Fake fake = new Fake((c, n) -> json(200, "[1,2]"))) {
            equal("events.list failed: the answer is not a JSON object", fails(() -> client(fake.url).events().list()).getMessage(), "an array");
        }
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test(order = 20)
    void errorsCarryStatusBodyAndNameTheMethod() throws Exception {
        try (Fake fake = new Fake((c, n) -> c.path().contains("/404")
                ? json(404, "{\"error\":\"Not found\"}")
                : c.path().contains("/html") ? new Answer(500, "<html>oops</html>", Map.of("content-type", "text/html"))
                : c.path().contains("/empty") ? new Answer(418, "", Map.of())
                : json(409, "{\"error\":\"Conflict\",\"details\":[{\"path\":\"/mnemonic\",\"message\":\"taken\"}]}"))) {
            ProvenanceAPI api = client(fake.url);
            ProvenanceException e = fails(() -> api.inboundSources().create(Map.of("title", "S", "mnemonic", "S")));
            equal(409, e.status(), "status");
            equal("Conflict", e.body().get("error"), "body");
            equal("Conflict", e.error(), "error()");
            equal(List.of(Map.of("path", "/mnemonic", "message", "taken")), e.details(), "details()");
            equal("inboundSources.create failed: 409 Conflict", e.getMessage(), "message");
            equal("inboundSources.create", e.method(), "method");
            check(e instanceof RuntimeException, "unchecked");

            ProvenanceException notFound = fails(() -> api.inboundSources().get("404"));
            equal("inboundSources.get failed: 404 Not found", notFound.getMessage(), "the contract's example");
            equal(Map.of("error", "Not found"), notFound.body(), "404 body");
            equal(List.of(), notFound.details(), "no details");

            ProvenanceException html = fails(() -> api.targets().rotateSecret("html"));
            equal(500, html.status(), "status of a non-JSON error");
            equal(null, html.body(), "no JSON body: null");
            equal("targets.rotateSecret failed: 500 Internal Server Error", html.getMessage(), "reason phrase instead");
            equal("flowVersions.approve failed: 418 HTTP error", fails(() -> api.flowVersions().approve("empty")).getMessage(), "an empty error answer");
        }
    }

    @Test(order = 21)
    void networkFailuresAreStatusZero() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed: nothing listens there now
        }
        ProvenanceAPI down = Provenance.builder().url("http://127.0.0.1:" + port).token(TOKEN).retries(0).build().api();
        ProvenanceException e = fails(() -> down.events().list());
        equal(0, e.status(), "network status");
        equal(null, e.body(), "no body");
        check(e.getMessage().startsWith("events.list failed: network error: ConnectException"), e.getMessage());
        ProvenanceException post = fails(() -> down.inboundSources().create(Map.of("title", "x")));
        equal(0, post.status(), "POST too");
    }

    @Test(order = 22)
    void aTimeoutIsStatusZeroAndSaysSo() throws Exception {
        try (Fake fake = new Fake((c, n) -> {
            Thread.sleep(1500);
            return json(200, "{}");
        })) {
            ProvenanceAPI api = Provenance.builder().url(fake.url).token(TOKEN).timeout(Duration.ofMillis(200)).build().api();
            long start = System.nanoTime();
            ProvenanceException e = fails(() -> api.events().get("e1"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            equal(0, e.status(), "status");
            equal(null, e.body(), "body");
            equal("events.get failed: timed out after 200 ms", e.getMessage(), "message");
            check(ms < 1400, "gave up at the timeout, took " + ms + " ms");
            ProvenanceException post = fails(() -> api.inboundSources().create(Map.of("title", "t")));
            equal("inboundSources.create failed: timed out after 200 ms", post.getMessage(), "POST");
            equal(2, fake.calls.size(), "a timeout is not retried (the server may be working on it)");
        }
    }

    @Test(order = 23)
    void theTokenNeverAppearsInAMessageOrToString() throws Exception {
        List<String> shown = new ArrayList<>();
        try (Fake fake = new Fake((c, n) -> c.path().contains("slow") ? slow() : json(401, "{\"error\":\"Unauthorized\"}"))) {
            Provenance p = Provenance.builder().url(fake.url).token(TOKEN).org("acme").timeout(Duration.ofMillis(300)).build();
            ProvenanceAPI api = p.api();
            shown.add(p.toString());
            shown.add(Provenance.builder().url(fake.url).token(TOKEN).toString());
            shown.add(api.toString());
            for (Method accessor : ProvenanceAPI.class.getDeclaredMethods()) {
                if (Modifier.isPublic(accessor.getModifiers()) && accessor.getParameterCount() == 0) shown.add(String.valueOf(accessor.invoke(api)));
            }
            ProvenanceException unauthorized = fails(() -> api.apiTokens().list());
            equal(401, unauthorized.status(), "401");
            ProvenanceException timeout = fails(() -> api.events().get("slow"));
            for (ProvenanceException e : List.of(unauthorized, timeout)) {
                shown.add(e.getMessage());
                shown.add(e.toString());
                shown.add(String.valueOf(e.body()));
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                shown.add(trace.toString());
            }
        }
        shown.add(fails(() -> Provenance.builder().url("http://127.0.0.1:9").token(TOKEN).retries(0).build().api().events().list()).toString());
        shown.add(fails(() -> Provenance.builder().url("gopher://x").token(TOKEN).build()).toString());
        shown.add(fails(() -> Provenance.builder().url("http://x").token(TOKEN + "\n").build()).toString());
        for (String text : shown) {
            check(!text.contains(TOKEN) && !text.contains(TOKEN.substring(4)), "token shown in: " + text);
        }
        check(shown.get(0).contains("acme") && shown.get(0).contains("127.0.0.1"), "toString still says something useful: " + shown.get(0));
    }

    private static Answer slow() throws InterruptedException {
        Thread.sleep(1000);
        return json(200, "{}");
    }

    // ---- retries ------------------------------------------------------------------------------

    @Test(order = 30)
    void getIsRetriedAfter503Then200() throws Exception {
        try (Fake fake = new Fake((c, n) -> n == 1 ? new Answer(503, "{\"error\":\"Server busy, retry later\"}", Map.of("retry-after", "0"))
                : json(200, "{\"data\":[]}"))) {
            equal(Map.of("data", List.of()), client(fake.url).inboundSources().list(), "the answer after the retry");
            equal(List.of("GET /api/v1/inbound-sources", "GET /api/v1/inbound-sources"), fake.lines(), "two attempts");
        }
    }

    @Test(order = 31)
    void getAndDeleteAreRetriedOn502503And504UpToTheLimit() throws Exception {
        try (Fake fake = new Fake((c, n) -> n == 1 ? json(502, "{}") : n == 2 ? json(504, "{}") : new Answer(204, null, Map.of()))) {
            client(fake.url).targets().delete("t1");
            equal(3, fake.calls.size(), "DELETE: 502, 504, then 204");
        }
        try (Fake fake = new Fake((c, n) -> new Answer(503, "{\"error\":\"Server busy, retry later\"}", Map.of("retry-after", "0")))) {
            ProvenanceException e = fails(() -> client(fake.url).events().list());
            equal(503, e.status(), "the last answer's status");
            equal("events.list failed: 503 Server busy, retry later", e.getMessage(), "message");
            equal(3, fake.calls.size(), "1 + 2 retries by default");
        }
        try (Fake fake = new Fake((c, n) -> new Answer(503, "{}", Map.of("retry-after", "0")))) {
            fails(() -> Provenance.builder().url(fake.url).token(TOKEN).retries(0).build().api().events().list());
            equal(1, fake.calls.size(), "retries(0)");
        }
        try (Fake fake = new Fake((c, n) -> json(500, "{\"error\":\"Internal error\"}"))) {
            equal(500, fails(() -> client(fake.url).events().list()).status(), "500");
            equal(1, fake.calls.size(), "500 is not retried");
        }
        try (Fake fake = new Fake((c, n) -> json(429, "{\"error\":\"Too many\"}"))) {
            fails(() -> client(fake.url).events().list());
            equal(1, fake.calls.size(), "429 is not retried");
        }
    }

    @Test(order = 32)
    void postPatchAndPutAreNeverRetried() throws Exception {
        try (Fake fake = new Fake((c, n) -> new Answer(n % 3 == 0 ? 502 : n % 3 == 1 ? 503 : 504, "{\"error\":\"Server busy, retry later\"}", Map.of("retry-after", "0")))) {
            ProvenanceAPI api = client(fake.url);
            equal(503, fails(() -> api.events().replay("e1")).status(), "POST");
            equal(504, fails(() -> api.inboundMappings().update("m1", Map.of())).status(), "PATCH");
            equal(502, fails(() -> api.secrets().put("A", Map.of("value", "v"))).status(), "PUT");
            fails(() -> api.deliveries().retryMany(Map.of("status", "dead")));
            List<String> methods = new ArrayList<>();
            for (Call c : fake.calls) methods.add(c.method());
            equal(List.of("POST", "PATCH", "PUT", "POST"), methods, "one attempt each");
        }
    }

    @Test(order = 33)
    void aConnectionErrorIsRetriedForGetButNotForPost() throws Exception {
        try (RawFake fake = new RawFake(n -> n == 1)) {
            equal(Map.of("ok", true), client(fake.url).events().get("e1"), "GET after a dropped connection");
            equal(2, fake.connections.get(), "two connections");
        }
        try (RawFake fake = new RawFake(n -> true)) {
            ProvenanceException e = fails(() -> client(fake.url).inboundSources().delete("s1"));
            equal(0, e.status(), "status 0 after every retry failed");
            check(e.getMessage().startsWith("inboundSources.delete failed: network error: IOException"), e.getMessage());
            equal(3, fake.connections.get(), "DELETE: 1 + 2 retries");
        }
        try (RawFake fake = new RawFake(n -> n == 1)) {
            ProvenanceException e = fails(() -> client(fake.url).inboundSources().create(Map.of("title", "t")));
            equal(0, e.status(), "POST: status 0");
            Thread.sleep(600);
            equal(1, fake.connections.get(), "POST: one connection, no retry");
        }
    }

    @Test(order = 34)
    void retryAfterIsHonouredUpToACapAndBackoffGrows() throws Exception {
        try (Fake fake = new Fake((c, n) -> n == 1 ? new Answer(503, "{}", Map.of("retry-after", "1")) : json(200, "{}"))) {
            long start = System.nanoTime();
            client(fake.url).events().list();
            long ms = (System.nanoTime() - start) / 1_000_000;
            check(ms >= 950 && ms < 3000, "waited Retry-After: 1 s, took " + ms + " ms");
        }
        equal(0L, Transport.backoffMs(0, "0"), "Retry-After: 0");
        equal(2000L, Transport.backoffMs(0, " 2 "), "seconds");
        equal(Transport.MAX_RETRY_AFTER_MS, Transport.backoffMs(0, "3600"), "capped");
        String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
        long date = Transport.backoffMs(0, inFiveSeconds);
        check(date > 3000 && date <= 5000, "an HTTP date: " + date);
        equal(0L, Transport.backoffMs(0, DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(1))), "a date in the past");
        equal(Transport.MAX_RETRY_AFTER_MS, Transport.backoffMs(0, DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusDays(1))), "a far date, capped");
        for (int i = 0; i < 50; i++) {
            long a0 = Transport.backoffMs(0, null), a1 = Transport.backoffMs(1, "soon"), a2 = Transport.backoffMs(2, null), a9 = Transport.backoffMs(9, null);
            check(a0 >= 125 && a0 <= 250, "first backoff " + a0);
            check(a1 >= 250 && a1 <= 500, "second backoff " + a1);
            check(a2 >= 500 && a2 <= 1000, "third backoff " + a2);
            check(a9 >= Transport.MAX_BACKOFF_MS / 2 && a9 <= Transport.MAX_BACKOFF_MS, "capped backoff " + a9);
        }
    }

    // ---- pages --------------------------------------------------------------------------------

    @Test(order = 40)
    void iterateWalksEveryPageKeepingTheFilters() throws Exception {
        try (Fake fake = new Fake((c, n) -> c.path().contains("cursor=c2") ? json(200, "{\"data\":[],\"nextCursor\":null}")
                : c.path().contains("cursor=c1") ? json(200, "{\"data\":[{\"id\":\"c\"}],\"nextCursor\":\"c2\"}")
                : json(200, "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"nextCursor\":\"c1\"}"))) {
            List<Object> ids = new ArrayList<>();
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("status", "failed");
            q.put("limit", 2);
            q.put("sourceId", null);
            for (Map<String, Object> e : client(fake.url).events().iterate(q)) ids.add(e.get("id"));
            equal(List.of("a", "b", "c"), ids, "items");
            equal(List.of("GET /api/v1/events?status=failed&limit=2", "GET /api/v1/events?status=failed&limit=2&cursor=c1",
                    "GET /api/v1/events?status=failed&limit=2&cursor=c2"), fake.lines(), "pages");
            equal(3, q.size(), "the caller's query is not changed");
            fake.calls.clear();
            equal(List.of("a", "b", "c"), client(fake.url).events().stream(Map.of("limit", 2)).map(e -> e.get("id")).collect(Collectors.toList()), "stream");
        }
    }

    @Test(order = 41)
    void iterateFetchesLazilyAndStopsOnALastPage() throws Exception {
        try (Fake fake = new Fake((c, n) -> json(200, "{\"data\":[{\"id\":\"p" + n + "\"}],\"nextCursor\":\"c" + n + "\"}"))) {
            Iterable<Map<String, Object>> all = client(fake.url).deliveries().iterate(Map.of("limit", 1));
            equal(0, fake.calls.size(), "nothing fetched before the walk");
            List<Object> first = client(fake.url).deliveries().stream(Map.of("limit", 1)).limit(3).map(d -> d.get("id")).collect(Collectors.toList());
            equal(List.of("p1", "p2", "p3"), first, "three items of an endless list");
            equal(3, fake.calls.size(), "three pages fetched, no more");
            check(all.iterator().hasNext(), "an Iterable can be walked again");
        }
        try (Fake fake = new Fake((c, n) -> json(200, "{\"data\":[]}"))) {
            check(!client(fake.url).targets().iterate().iterator().hasNext(), "an empty list, without nextCursor");
            equal(1, fake.calls.size(), "one page");
        }
        try (Fake fake = new Fake((c, n) -> json(200, "{\"data\":[{\"id\":\"x\"}],\"nextCursor\":\"same\"}"))) {
            ProvenanceException e = fails(() -> client(fake.url).routes().iterate().forEach(r -> {}));
            equal("routes.iterate failed: the API returned the same cursor twice", e.getMessage(), "a cursor loop ends");
        }
        try (Fake fake = new Fake((c, n) -> json(200, "{\"items\":[]}"))) {
            equal("interactions.iterate failed: the answer has no data list",
                    fails(() -> client(fake.url).interactions().iterate().iterator().hasNext()).getMessage(), "not a page");
        }
        try (Fake fake = new Fake((c, n) -> json(404, "{\"error\":\"Not found\"}"))) {
            ProvenanceException e = fails(() -> client(fake.url).flowVersions().iterate().iterator().hasNext());
            equal(404, e.status(), "an error answer while walking");
            equal("flowVersions.iterate failed: 404 Not found", e.getMessage(), "named");
        }
    }
}

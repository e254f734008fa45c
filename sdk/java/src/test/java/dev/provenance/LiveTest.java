package dev.provenance;

import static dev.provenance.TestRunner.check;
import static dev.provenance.TestRunner.equal;
import static dev.provenance.TestRunner.fails;

import dev.provenance.TestRunner.Skip;
import dev.provenance.TestRunner.Test;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Against a running Provenance: PROVENANCE_URL, PROVENANCE_TOKEN (an admin token),
 * PROVENANCE_TEST_REVIEWER_TOKEN (a reviewer token of the same org) and PROVENANCE_TEST_ORG
 * (its slug). Skipped without them. Every name is unique per run; each test deletes what it
 * created (and nothing else), also when it fails; the org may hold other data.
 */
@SuppressWarnings("unchecked")
final class LiveTest {
    private static final String SECRET = "whsec_java_sdk_test";
    private static final HttpClient RAW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final String url = env("PROVENANCE_URL");
    private final String token = env("PROVENANCE_TOKEN");
    private final String reviewerToken = env("PROVENANCE_TEST_REVIEWER_TOKEN");
    private final String org = env("PROVENANCE_TEST_ORG");

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private void requireApp() {
        if (url == null || token == null || reviewerToken == null || org == null) {
            throw new Skip("needs PROVENANCE_URL, PROVENANCE_TOKEN, PROVENANCE_TEST_REVIEWER_TOKEN and PROVENANCE_TEST_ORG");
        }
    }

    private ProvenanceAPI admin() {
        requireApp();
        return new Provenance(url, token).api();
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<Map<String, Object>> data(Map<String, Object> page) {
        Object data = page.get("data");
        check(data instanceof List, "a list answer has data: " + page);
        return (List<Map<String, Object>>) data;
    }

    private static Set<Object> ids(Map<String, Object> page) {
        return data(page).stream().map(m -> m.get("id")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Undo steps run in reverse order at the end of a test, whatever happened; a 404 means already gone. */
    static final class Cleanup implements AutoCloseable {
        interface Step {
            void run();
        }

        private final Deque<Step> steps = new ArrayDeque<>();

        void add(Step step) {
            steps.push(step);
        }

        @Override
        public void close() {
            RuntimeException first = null;
            while (!steps.isEmpty()) {
                try {
                    steps.pop().run();
                } catch (ProvenanceException e) {
                    if (e.status() != 404 && first == null) first = e;
                }
            }
            if (first != null) throw first;
        }
    }

    private Map<String, Object> source(ProvenanceAPI api, Cleanup cleanup, boolean stripe) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Java SDK test");
        body.put("mnemonic", unique("java"));
        if (stripe) body.put("verification", Map.of("preset", "stripe", "secret", SECRET));
        Map<String, Object> source = api.inboundSources().create(body);
        cleanup.add(() -> api.inboundSources().delete((String) source.get("id")));
        return source;
    }

    /** order/paid from {"type":"order.paid","data":{"object":{"id","amount","price"}}}, amount and price as fields. */
    private Map<String, Object> mapping(ProvenanceAPI api, Cleanup cleanup, Object sourceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sourceId", sourceId);
        body.put("resourceType", "order");
        body.put("action", "paid");
        body.put("resourceIdPath", "data.object.id");
        body.put("idempotencyPath", "id");
        body.put("conditions", List.of(Map.of("path", "type", "op", "eq", "value", "order.paid")));
        body.put("fieldMappings", Map.of("amount", "data.object.amount", "price", "data.object.price"));
        Map<String, Object> mapping = api.inboundMappings().create(body);
        cleanup.add(() -> api.inboundMappings().delete((String) mapping.get("id")));
        return mapping;
    }

    /** A target whose every delivery fails at once: the app's own 404 (loopback allowed), else a host that never resolves. */
    private Map<String, Object> failingTarget(ProvenanceAPI api, Cleanup cleanup) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("java-target"));
        body.put("url", url + "/api/java-sdk-test-nothing-here");
        body.put("retry", Map.of("maxAttempts", 1));
        body.put("timeoutSeconds", 5);
        Map<String, Object> target;
        try {
            target = api.targets().create(body);
        } catch (ProvenanceException e) {
            if (e.status() != 400) throw e; // private targets not allowed here
            body.put("url", "https://provenance-java-sdk-test.invalid/hook");
            target = api.targets().create(body);
        }
        String id = (String) target.get("id");
        cleanup.add(() -> api.targets().delete(id));
        return target;
    }

    private static Map<String, Object> payload(String eventId, String orderId, long amount) {
        return Map.of("id", eventId, "type", "order.paid", "created", 1764000000L,
                "data", Map.of("object", Map.of("id", orderId, "amount", amount, "price", 12.5)));
    }

    record Sent(int status, Map<String, Object> body) {}

    /** A real webhook to /api/inbound/<org>/by-mnemonic/<mnemonic>?sync=true, signed as Stripe signs when asked. */
    private Sent webhook(String mnemonic, Map<String, Object> payload, boolean sign) throws Exception {
        String body = Json.write(payload);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/api/inbound/" + Transport.encode(org) + "/by-mnemonic/" + Transport.encode(mnemonic) + "?sync=true"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (sign) {
            String ts = Long.toString(System.currentTimeMillis() / 1000);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String sig = HexFormat.of().formatHex(mac.doFinal((ts + "." + body).getBytes(StandardCharsets.UTF_8)));
            req.header("stripe-signature", "t=" + ts + ",v1=" + sig);
        }
        HttpResponse<String> res = RAW.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Object parsed = res.body().isEmpty() ? Map.of() : Json.parse(res.body());
        return new Sent(res.statusCode(), (Map<String, Object>) parsed);
    }

    private static void waitFor(String what, long ms, java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("gave up waiting for " + what);
            Thread.sleep(200);
        }
    }

    // ---- the product document's snippet ------------------------------------------------------

    @Test(order = 1)
    @SuppressWarnings("rawtypes")
    void theSeedSnippetRunsAsWritten() throws Exception {
        requireApp();
        Provenance provenance = new Provenance(); // PROVENANCE_URL / PROVENANCE_TOKEN
        String mnemonic = unique("STRIPE");
        String created = null;
        try {
            // Java SDK (shared/seeds/inbound-pipeline.txt, "SDK support"), its "..." filled in:
            ProvenanceAPI api = provenance.api();

            Map sources = api.inboundSources().list();
            Map source = api.inboundSources().create(Map.of("title", "Stripe", "mnemonic", mnemonic, "verification", Map.of("preset", "stripe", "secret", SECRET)));
            created = (String) source.get("id");

            String mappingId = (String) api.inboundMappings().create(Map.of("sourceId", source.get("id"), "resourceType", "payment",
                    "resourceIdPath", "data.object.id", "action", "succeeded", "idempotencyPath", "id")).get("id");

            Map result = api.testInboundMapping(mappingId, Map.of("payload", Map.of("id", "evt_1", "data", Map.of("object", Map.of("id", "pi_1", "amount", 2000)))));

            check(sources.get("data") instanceof List, "sources: {data=[...]}");
            equal("Stripe", source.get("title"), "title");
            equal(mnemonic, source.get("mnemonic"), "mnemonic");
            equal("stripe", ((Map) source.get("verification")).get("preset"), "verification preset");
            check(!Json.write(source).contains(SECRET), "the secret is never returned");
            equal(Set.of("matched", "conditions", "schemaErrors", "failure", "interaction", "duplicate"), result.keySet(), "the dry-run result's shape");
            equal(null, result.get("failure"), "failure");
            equal(Boolean.TRUE, result.get("matched"), "matched");
            equal(Boolean.FALSE, result.get("duplicate"), "duplicate");
            equal(List.of(), result.get("schemaErrors"), "schemaErrors");
            Map interaction = (Map) result.get("interaction");
            equal("payment", interaction.get("resourceType"), "resourceType");
            equal("succeeded", interaction.get("action"), "action");
            equal("pi_1", interaction.get("resourceId"), "resourceId");
            equal("evt_1", interaction.get("idempotencyKey"), "idempotencyKey");
            equal(2000L, ((Map) ((Map) ((Map) interaction.get("object")).get("data")).get("object")).get("amount"), "the whole payload is the object; numbers are Longs");
            Map same = api.inboundMappings().test(mappingId, Map.of("payload", Map.of("id", "evt_2", "data", Map.of("object", Map.of("id", "pi_2")))));
            equal("pi_2", ((Map) same.get("interaction")).get("resourceId"), "inboundMappings().test is the same call");
            equal(List.of(mappingId), ids(api.inboundMappings().list(Map.of("sourceId", source.get("id")))).stream().collect(Collectors.toList()), "the source's mappings");
            check(ids(api.inboundSources().list()).contains(created), "listed");
        } finally {
            if (created != null) provenance.api().inboundSources().delete(created);
        }
    }

    @Test(order = 2)
    void theSdkOperationTableMatchesTheAppsOpenApiDocument() throws Exception {
        requireApp();
        HttpResponse<String> res = RAW.send(HttpRequest.newBuilder(URI.create(url + "/api/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
        equal(200, res.statusCode(), "openapi.json");
        Map<String, Object> doc = (Map<String, Object>) Json.parse(res.body()); // also a large real-world document for the reader
        Set<String> published = new LinkedHashSet<>();
        for (Map.Entry<String, Object> path : ((Map<String, Object>) doc.get("paths")).entrySet()) {
            if (!path.getKey().startsWith("/api/v1/")) continue;
            for (Map.Entry<String, Object> op : ((Map<String, Object>) path.getValue()).entrySet()) {
                if (!Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) continue;
                published.add(((Map<String, Object>) op.getValue()).get("operationId") + " " + op.getKey().toUpperCase() + " " + path.getKey());
            }
        }
        Set<String> table = new LinkedHashSet<>();
        for (Operations.Operation op : Operations.all().values()) table.add(op.id() + " " + op.method() + " " + op.path());
        equal(new java.util.TreeSet<>(published), new java.util.TreeSet<>(table), "operationId, method and path of every /api/v1 operation");
    }

    // ---- resources ---------------------------------------------------------------------------

    @Test(order = 10)
    void inboundSourcesCreateListGetUpdateDelete() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> plain = source(api, cleanup, false);
            Map<String, Object> signed = source(api, cleanup, true);
            String id = (String) plain.get("id");
            check(id.matches("[0-9a-f-]{36}"), "a uuid id");
            equal("Java SDK test", plain.get("title"), "title");
            equal(Boolean.TRUE, plain.get("active"), "active by default");
            check(plain.containsKey("verification") && plain.get("verification") == null, "no verification: null, kept");
            Map<String, Object> verification = (Map<String, Object>) signed.get("verification");
            equal("stripe", verification.get("preset"), "preset");
            check(!Json.write(signed).contains(SECRET), "the secret is write-only");

            check(ids(api.inboundSources().list()).containsAll(List.of(id, signed.get("id"))), "both listed");
            check(api.inboundSources().list(Map.of()).get("data") instanceof List, "list(Map)");
            equal(plain, api.inboundSources().get(id), "get is what create returned");

            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("title", "Java SDK test, renamed ✓");
            patch.put("description", "line 1\nline \"2\"");
            patch.put("active", false);
            Map<String, Object> updated = api.inboundSources().update(id, patch);
            equal("Java SDK test, renamed ✓", updated.get("title"), "unicode title");
            equal("line 1\nline \"2\"", updated.get("description"), "escapes");
            equal(Boolean.FALSE, updated.get("active"), "deactivated");
            equal(updated, api.inboundSources().get(id), "get after update");
            boolean seen = false;
            for (Map<String, Object> s : api.inboundSources().iterate()) seen |= id.equals(s.get("id"));
            check(seen, "iterate() walks the sources");

            api.inboundSources().delete(id);
            ProvenanceException gone = fails(() -> api.inboundSources().get(id));
            equal(404, gone.status(), "deleted");
            equal(Map.of("error", "Not found"), gone.body(), "404 body");
            equal("inboundSources.get failed: 404 Not found", gone.getMessage(), "message");
            equal(404, fails(() -> api.inboundSources().delete(id)).status(), "deleting twice");
        }
    }

    @Test(order = 11)
    void inboundMappingsCreateListGetUpdateTestDelete() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> source = source(api, cleanup, false);
            Map<String, Object> mapping = mapping(api, cleanup, source.get("id"));
            String id = (String) mapping.get("id");
            equal("order.paid", mapping.get("title"), "default title");
            equal(0L, mapping.get("priority"), "priority is a Long");
            equal(List.of(Map.of("op", "eq", "path", "type", "value", "order.paid")), mapping.get("conditions"), "conditions");
            equal(List.of(id), List.copyOf(ids(api.inboundMappings().list(Map.of("sourceId", source.get("id"))))), "list(sourceId)");
            check(ids(api.inboundMappings().list()).contains(id), "list()");
            equal(mapping, api.inboundMappings().get(id), "get");
            equal(4L, api.inboundMappings().update(id, Map.of("priority", 4)).get("priority"), "update");

            Map<String, Object> hit = api.inboundMappings().test(id, Map.of("payload", payload("evt_a", "ord_a", 2000L), "headers", Map.of("x-test", "1")));
            equal(Boolean.TRUE, hit.get("matched"), "matched");
            Map<String, Object> condition = ((List<Map<String, Object>>) hit.get("conditions")).get(0);
            equal("order.paid", condition.get("actual"), "the value the condition found");
            equal(Boolean.TRUE, condition.get("pass"), "pass");
            Map<String, Object> object = (Map<String, Object>) ((Map<String, Object>) hit.get("interaction")).get("object");
            equal(2000L, object.get("amount"), "an integral number is a Long");
            equal(12.5, object.get("price"), "a fraction is a Double");
            Map<String, Object> miss = api.testInboundMapping(id, Map.of("payload", Map.of("type", "order.refunded")));
            equal(Boolean.FALSE, miss.get("matched"), "not matched");
            equal(null, miss.get("interaction"), "no interaction");
            equal(Boolean.FALSE, ((List<Map<String, Object>>) miss.get("conditions")).get(0).get("pass"), "the failing condition");
            ProvenanceException bad = fails(() -> api.inboundMappings().test(id, Map.of("headers", Map.of())));
            equal(400, bad.status(), "a test without payload");
            equal("Validation failed", bad.error(), "error");

            api.inboundMappings().delete(id);
            equal(404, fails(() -> api.inboundMappings().get(id)).status(), "deleted");
            equal(List.of(), data(api.inboundMappings().list(Map.of("sourceId", source.get("id")))), "none left");
        }
    }

    @Test(order = 12)
    void targetsCreateListGetUpdateRotateDelete() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            String name = unique("java-target");
            Map<String, Object> target = api.targets().create(Map.of("name", name, "url", "https://hooks.example.com/provenance", "retry", Map.of("maxAttempts", 3)));
            String id = (String) target.get("id");
            cleanup.add(() -> api.targets().delete(id));
            String secret = (String) target.get("signingSecret");
            check(secret != null && secret.startsWith("whsec_"), "signing secret shown once");
            equal(name, target.get("name"), "name");
            equal(3L, ((Map<String, Object>) target.get("retry")).get("maxAttempts"), "retry budget");
            Map<String, Object> got = api.targets().get(id);
            check(!got.containsKey("signingSecret") && !Json.write(got).contains(secret), "not shown again");
            check(ids(api.targets().list(Map.of("limit", 100))).contains(id) || api.targets().stream(Map.of("limit", 50)).anyMatch(t -> id.equals(t.get("id"))), "listed");
            equal(409, fails(() -> api.targets().create(Map.of("name", name, "url", "https://hooks.example.com/other"))).status(), "a duplicate name");

            Map<String, Object> updated = api.targets().update(id, Map.of("active", false, "timeoutSeconds", 7));
            equal(Boolean.FALSE, updated.get("active"), "deactivated");
            equal(7L, updated.get("timeoutSeconds"), "timeout");
            String rotated = (String) api.targets().rotateSecret(id).get("signingSecret");
            check(rotated.startsWith("whsec_") && !rotated.equals(secret), "a new signing secret");

            api.targets().delete(id);
            equal(404, fails(() -> api.targets().get(id)).status(), "deleted");
        }
    }

    @Test(order = 13)
    void routesCreateListDelete() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> mapping = mapping(api, cleanup, source(api, cleanup, false).get("id"));
            Map<String, Object> target = failingTarget(api, cleanup);
            Map<String, Object> route = api.routes().create(Map.of("mappingId", mapping.get("id"), "targetId", target.get("id")));
            String id = (String) route.get("id");
            cleanup.add(() -> api.routes().delete(id));
            equal(mapping.get("id"), route.get("mappingId"), "mappingId");
            equal(Boolean.TRUE, route.get("active"), "active");
            equal(List.of(id), List.copyOf(ids(api.routes().list(Map.of("targetId", target.get("id"))))), "by target");
            equal(List.of(id), List.copyOf(ids(api.routes().list(Map.of("mappingId", mapping.get("id"))))), "by mapping");
            equal(List.of(id), api.routes().stream(Map.of("targetId", target.get("id"), "limit", 1)).map(r -> r.get("id")).collect(Collectors.toList()), "stream");
            equal(409, fails(() -> api.routes().create(Map.of("mappingId", mapping.get("id"), "targetId", target.get("id")))).status(), "the same route twice");
            api.routes().delete(id);
            equal(List.of(), data(api.routes().list(Map.of("targetId", target.get("id")))), "deleted");
        }
    }

    @Test(order = 14)
    void apiTokensCreateListUseRevoke() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> created = api.apiTokens().create(Map.of("name", unique("java-token"), "role", "reviewer"));
            String id = (String) created.get("id");
            cleanup.add(() -> api.apiTokens().delete(id));
            String secret = (String) created.get("token");
            check(secret.startsWith("prv_"), "the token, shown once");
            equal("reviewer", created.get("role"), "role");
            check(secret.startsWith((String) created.get("prefix")), "prefix");
            Map<String, Object> listed = data(api.apiTokens().list()).stream().filter(t -> id.equals(t.get("id"))).findFirst().orElseThrow();
            check(!listed.containsKey("token") && !Json.write(api.apiTokens().list()).contains(secret), "never listed with its value");

            ProvenanceAPI withIt = new Provenance(url, secret).api();
            check(withIt.inboundSources().list().get("data") instanceof List, "the new token reads");
            equal(403, fails(() -> withIt.inboundSources().create(Map.of("title", "x", "mnemonic", unique("x")))).status(), "as a reviewer");

            api.apiTokens().delete(id);
            ProvenanceException revoked = fails(() -> withIt.inboundSources().list());
            equal(401, revoked.status(), "revoked at once");
            equal(Map.of("error", "Unauthorized"), revoked.body(), "401 body");
            check(!revoked.getMessage().contains(secret), "token not in the message");
            check(!ids(api.apiTokens().list()).contains(id), "no longer listed");
        }
    }

    @Test(order = 15)
    void secretsPutListReplaceDelete() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            String name = "JAVA_SDK_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            cleanup.add(() -> api.secrets().delete(name));
            Map<String, Object> put = api.secrets().put(name, Map.of("value", "s3cr3t-value-1"));
            equal(name, put.get("name"), "name");
            check(put.get("hint") instanceof String, "a hint");
            check(!Json.write(put).contains("s3cr3t-value-1"), "the value is write-only");
            check(data(api.secrets().list()).stream().anyMatch(s -> name.equals(s.get("name"))), "listed");
            equal(name, api.secrets().put(name, Map.of("value", "s3cr3t-value-2")).get("name"), "replaced");
            check(!Json.write(api.secrets().list()).contains("s3cr3t-value"), "values never read back");
            ProvenanceException empty = fails(() -> api.secrets().put(name, Map.of("value", "")));
            equal(400, empty.status(), "an empty value");
            api.secrets().delete(name);
            check(data(api.secrets().list()).stream().noneMatch(s -> name.equals(s.get("name"))), "deleted");
            equal(404, fails(() -> api.secrets().delete(name)).status(), "deleting twice");
        }
    }

    // ---- the pipeline: events, interactions, deliveries ----------------------------------------

    @Test(order = 20)
    void eventsFromRealWebhooksListGetReplay() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> source = source(api, cleanup, true);
            String sourceId = (String) source.get("id");
            String mnemonic = (String) source.get("mnemonic");
            mapping(api, cleanup, sourceId);

            Sent first = webhook(mnemonic, payload(mnemonic + "_evt_1", "ord_1", 2000L), true);
            equal(200, first.status(), "signed webhook: " + first.body());
            String interactionId = (String) first.body().get("interactionId");
            String eventId = (String) first.body().get("eventId");
            check(interactionId != null && eventId != null, "sync answer: " + first.body());
            Sent duplicate = webhook(mnemonic, payload(mnemonic + "_evt_1", "ord_1", 2000L), true);
            equal(Boolean.TRUE, duplicate.body().get("duplicate"), "the same event again");
            Sent forged = webhook(mnemonic, payload(mnemonic + "_evt_2", "ord_2", 1L), false);
            equal(401, forged.status(), "unsigned to a Stripe source");

            List<Map<String, Object>> events = data(api.events().list(Map.of("sourceId", sourceId)));
            equal(3, events.size(), "three events");
            Map<String, String> statusById = new LinkedHashMap<>();
            for (Map<String, Object> e : events) statusById.put((String) e.get("id"), (String) e.get("status"));
            equal("processed", statusById.get(eventId), "the first");
            check(statusById.containsValue("duplicate") && statusById.containsValue("failed"), "a duplicate and a failed one: " + statusById);
            List<Map<String, Object>> failed = data(api.events().list(Map.of("sourceId", sourceId, "status", "failed")));
            equal(1, failed.size(), "status filter");

            Map<String, Object> event = api.events().get(eventId);
            equal(sourceId, event.get("sourceId"), "sourceId");
            equal(interactionId, event.get("interactionId"), "the interaction it made");
            equal(Json.write(payload(mnemonic + "_evt_1", "ord_1", 2000L)), event.get("body"), "the body as stored");
            check(event.get("headers") instanceof Map, "headers");
            List<Object> stages = ((List<Map<String, Object>>) event.get("stages")).stream().map(s -> s.get("stage")).collect(Collectors.toList());
            check(stages.containsAll(List.of("source", "signature", "mappingSelection", "interaction")), "stages " + stages);

            Map<String, Object> replay = api.events().replay(eventId);
            equal(Boolean.TRUE, replay.get("queued"), "replay queued");
            String replayId = (String) replay.get("eventId");
            check(replayId != null && !replayId.equals(eventId), "a new event");
            equal(eventId, api.events().get(replayId).get("replayOf"), "replayOf the original");
            ProvenanceException refused = fails(() -> api.events().replay((String) failed.get(0).get("id")));
            equal(409, refused.status(), "an event that never passed verification is not replayed");
            equal("Conflict", refused.error(), "409 error");
        }
    }

    @Test(order = 21)
    void interactionsListGet() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> source = source(api, cleanup, false);
            String sourceId = (String) source.get("id");
            String mappingId = (String) mapping(api, cleanup, sourceId).get("id");
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Sent sent = webhook((String) source.get("mnemonic"), payload(source.get("mnemonic") + "_" + i, "ord_" + i, 100L + i), false);
                equal(200, sent.status(), "webhook " + sent.body());
                made.add((String) sent.body().get("interactionId"));
            }
            List<Map<String, Object>> list = data(api.interactions().list(Map.of("sourceId", sourceId)));
            equal(new HashSet<>(made), list.stream().map(i -> i.get("id")).collect(Collectors.toSet()), "the source's interactions");
            equal(2, data(api.interactions().list(Map.of("sourceId", sourceId, "resourceType", "order", "action", "paid"))).size(), "filters");
            equal(0, data(api.interactions().list(Map.of("sourceId", sourceId, "action", "refunded"))).size(), "a filter that matches nothing");

            Map<String, Object> one = api.interactions().get(made.get(1));
            equal("ord_1", one.get("resourceId"), "resourceId");
            equal(mappingId, one.get("mappingId"), "mappingId");
            equal(source.get("mnemonic") + "_1", one.get("idempotencyKey"), "idempotencyKey");
            Map<String, Object> object = (Map<String, Object>) one.get("object");
            equal(101L, object.get("amount"), "amount, a Long");
            equal(12.5, object.get("price"), "price, a Double");
            equal(made.get(1), api.events().get((String) one.get("eventId")).get("interactionId"), "its event");
        }
    }

    @Test(order = 22)
    void deliveriesListGetRetryAndRetryMany() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> source = source(api, cleanup, false);
            Map<String, Object> mapping = mapping(api, cleanup, source.get("id"));
            String targetId = (String) failingTarget(api, cleanup).get("id");
            String routeId = (String) api.routes().create(Map.of("mappingId", mapping.get("id"), "targetId", targetId)).get("id");
            cleanup.add(() -> api.routes().delete(routeId));
            for (int i = 0; i < 2; i++) {
                equal(200, webhook((String) source.get("mnemonic"), payload(source.get("mnemonic") + "_" + i, "ord_" + i, 1L), false).status(), "webhook");
            }
            Map<String, Object> dead = Map.of("targetId", targetId, "status", "dead");
            waitFor("two dead deliveries", 60_000, () -> data(api.deliveries().list(dead)).size() >= 2);
            List<Map<String, Object>> deliveries = data(api.deliveries().list(Map.of("targetId", targetId)));
            equal(2, deliveries.size(), "the target's deliveries");
            String id = (String) deliveries.get(0).get("id");
            Map<String, Object> delivery = api.deliveries().get(id);
            equal(targetId, delivery.get("targetId"), "targetId");
            equal("dead", delivery.get("status"), "dead after its one attempt");
            check(!((List<Object>) delivery.get("attempts")).isEmpty(), "with its attempt");
            equal(1, data(api.deliveries().list(Map.of("interactionId", delivery.get("interactionId")))).size(), "by interaction");

            Map<String, Object> retried = api.deliveries().retry(id);
            equal(Map.of("queued", true, "deliveryId", id), retried, "retry");
            Map<String, Object> many = api.deliveries().retryMany(dead);
            check(many.get("queued") instanceof Long && (Long) many.get("queued") >= 1, "bulk retry: " + many);
            waitFor("the retried deliveries to end", 60_000, () -> data(api.deliveries().list(dead)).size() >= 2);
            check(((List<Object>) api.deliveries().get(id).get("attempts")).size() >= 2, "the attempt history is kept");
        }
    }

    @Test(order = 23)
    void iterateWalksSeveralPagesWithLimitOne() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> source = source(api, cleanup, false);
            String sourceId = (String) source.get("id");
            mapping(api, cleanup, sourceId);
            for (int i = 0; i < 4; i++) {
                equal(200, webhook((String) source.get("mnemonic"), payload(source.get("mnemonic") + "_" + i, "ord_" + i, i), false).status(), "webhook");
            }
            Map<String, Object> page = api.events().list(Map.of("sourceId", sourceId, "limit", 1));
            equal(1, data(page).size(), "one per page");
            check(page.get("nextCursor") instanceof String, "a next page");
            Map<String, Object> second = api.events().list(Map.of("sourceId", sourceId, "limit", 1, "cursor", page.get("nextCursor")));
            check(!ids(second).equals(ids(page)), "the cursor moves on");

            Set<Object> all = ids(api.events().list(Map.of("sourceId", sourceId, "limit", 100)));
            equal(4, all.size(), "four events");
            List<Object> walked = new ArrayList<>();
            for (Map<String, Object> e : api.events().iterate(Map.of("sourceId", sourceId, "limit", 1))) walked.add(e.get("id"));
            equal(List.copyOf(all), walked, "iterate: every event once, in the list's order");
            equal(4L, api.interactions().stream(Map.of("sourceId", sourceId, "limit", 1)).count(), "interactions over four pages");
            equal(List.of(), data(api.events().list(Map.of("sourceId", sourceId, "status", "failed"))), "none failed");
        }
    }

    @Test(order = 24)
    void flowVersionsAndProviderflowAnswer() throws Exception {
        ProvenanceAPI api = admin();
        Map<String, Object> page = api.flowVersions().list(Map.of("limit", 5));
        check(page.get("data") instanceof List && page.containsKey("nextCursor"), "a page: " + page);
        equal(List.of(), data(api.flowVersions().list(Map.of("package", unique("no-such-package")))), "by package");
        String missing = UUID.randomUUID().toString();
        equal("flowVersions.get failed: 404 Not found", fails(() -> api.flowVersions().get(missing)).getMessage(), "get");
        equal(404, fails(() -> api.flowVersions().evidence(missing)).status(), "evidence");
        equal(404, fails(() -> api.flowVersions().apply(missing)).status(), "apply");
        ProvenanceException plan = fails(() -> api.providerflow().plan(Map.of("files", Map.of())));
        equal(400, plan.status(), "an empty package");
        equal("Validation failed", plan.error(), "error");
        equal("/files", plan.details().get(0).get("path"), "details name the field");
        equal(400, fails(() -> api.flowVersions().upload(Map.of("files", Map.of()))).status(), "upload");
        equal(400, fails(() -> api.providerflow().apply(Map.of("files", Map.of()))).status(), "apply");
    }

    // ---- errors ------------------------------------------------------------------------------

    @Test(order = 30)
    void notFoundCarriesStatusAndBody() throws Exception {
        ProvenanceAPI api = admin();
        String missing = UUID.randomUUID().toString();
        Map<String, ApiCall> calls = new LinkedHashMap<>();
        calls.put("inboundSources.get", () -> api.inboundSources().get(missing));
        calls.put("inboundMappings.get", () -> api.inboundMappings().get(missing));
        calls.put("events.get", () -> api.events().get(missing));
        calls.put("events.replay", () -> api.events().replay(missing));
        calls.put("interactions.get", () -> api.interactions().get(missing));
        calls.put("targets.get", () -> api.targets().get(missing));
        calls.put("deliveries.get", () -> api.deliveries().get(missing));
        calls.put("deliveries.retry", () -> api.deliveries().retry(missing));
        calls.put("routes.delete", () -> { api.routes().delete(missing); return null; });
        calls.put("apiTokens.delete", () -> { api.apiTokens().delete(missing); return null; });
        for (Map.Entry<String, ApiCall> c : calls.entrySet()) {
            ProvenanceException e = fails(() -> c.getValue().run());
            equal(404, e.status(), c.getKey());
            equal(Map.of("error", "Not found"), e.body(), c.getKey() + " body");
            equal(c.getKey() + " failed: 404 Not found", e.getMessage(), c.getKey() + " message");
        }
        equal(404, fails(() -> api.inboundSources().get("not-a-uuid")).status(), "an id that is not a uuid");
    }

    interface ApiCall {
        Object run();
    }

    @Test(order = 31)
    void badRequestCarriesDetails() throws Exception {
        ProvenanceAPI api = admin();
        ProvenanceException bad = fails(() -> api.inboundSources().create(Map.of("title", "", "mnemonic", "no spaces")));
        equal(400, bad.status(), "status");
        equal("Validation failed", bad.body().get("error"), "error");
        List<Object> paths = bad.details().stream().map(d -> d.get("path")).collect(Collectors.toList());
        check(paths.contains("/title") && paths.contains("/mnemonic"), "details " + paths);
        check(bad.details().stream().allMatch(d -> d.get("message") instanceof String), "each detail has a message");
        equal("inboundSources.create failed: 400 Validation failed", bad.getMessage(), "message");
        ProvenanceException query = fails(() -> api.events().list(Map.of("limit", 0)));
        equal(400, query.status(), "a bad query");
        equal("/query/limit", query.details().get(0).get("path"), "names the parameter");
        equal(400, fails(() -> api.deliveries().retryMany(Map.of("status", "everything"))).status(), "a bad enum");
    }

    @Test(order = 32)
    void conflictCarriesDetails() throws Exception {
        ProvenanceAPI api = admin();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> source = source(api, cleanup, false);
            ProvenanceException e = fails(() -> api.inboundSources().create(Map.of("title", "again", "mnemonic", source.get("mnemonic"))));
            equal(409, e.status(), "a mnemonic twice");
            equal("Conflict", e.error(), "error");
            equal("/mnemonic", e.details().get(0).get("path"), "details");
            equal("inboundSources.create failed: 409 Conflict", e.getMessage(), "message");
        }
    }

    @Test(order = 33)
    void aReviewerReadsButIsRefusedWritesWith403() throws Exception {
        ProvenanceAPI api = admin();
        ProvenanceAPI reviewer = new Provenance(url, reviewerToken).api();
        try (Cleanup cleanup = new Cleanup()) {
            Map<String, Object> source = source(api, cleanup, false);
            String id = (String) source.get("id");
            check(ids(reviewer.inboundSources().list()).contains(id), "a reviewer reads");
            equal(id, reviewer.inboundSources().get(id).get("id"), "and gets");
            ProvenanceException refused = fails(() -> reviewer.inboundSources().create(Map.of("title", "R", "mnemonic", unique("r"))));
            equal(403, refused.status(), "status");
            equal(Map.of("error", "Forbidden"), refused.body(), "body");
            equal("inboundSources.create failed: 403 Forbidden", refused.getMessage(), "message");
            equal(403, fails(() -> reviewer.inboundSources().update(id, Map.of("title", "R"))).status(), "update");
            equal(403, fails(() -> reviewer.inboundSources().delete(id)).status(), "delete");
            equal(403, fails(() -> reviewer.secrets().put("JAVA_SDK_NOPE", Map.of("value", "v"))).status(), "secrets");
            equal(403, fails(() -> reviewer.apiTokens().list()).status(), "tokens are for admins");
            equal(id, api.inboundSources().get(id).get("id"), "the source is still there");
            for (String shown : List.of(refused.getMessage(), refused.toString(), reviewer.toString())) {
                check(!shown.contains(reviewerToken) && !shown.contains(token), "token shown in " + shown);
            }
        }
    }

    @Test(order = 34)
    void theOrgHeaderMustMatchTheToken() throws Exception {
        requireApp();
        ProvenanceAPI right = Provenance.builder().url(url).token(token).org(org).build().api();
        check(right.inboundSources().list().get("data") instanceof List, "the token's own org");
        ProvenanceAPI wrong = Provenance.builder().url(url).token(token).org(unique("someone-else")).build().api();
        ProvenanceException e = fails(() -> wrong.inboundSources().list());
        equal(403, e.status(), "another org");
        equal("Forbidden", e.error(), "error");
    }

    @Test(order = 35)
    void aBadTokenIs401() throws Exception {
        requireApp();
        String bad = "prv_java_sdk_not_a_real_token_0000";
        ProvenanceException e = fails(() -> new Provenance(url, bad).api().events().list());
        equal(401, e.status(), "status");
        equal(Map.of("error", "Unauthorized"), e.body(), "body");
        equal("events.list failed: 401 Unauthorized", e.getMessage(), "message");
    }
}

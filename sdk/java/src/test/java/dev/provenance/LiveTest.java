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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Against a running Provenance: PROVENANCE_URL, PROVENANCE_TOKEN (admin),
 * PROVENANCE_TEST_REVIEWER_TOKEN and PROVENANCE_TEST_ORG. Skipped without them.
 */
final class LiveTest {
    private static final String SECRET = "whsec_java_sdk_test";
    private final String url = System.getenv("PROVENANCE_URL");
    private final String token = System.getenv("PROVENANCE_TOKEN");
    private final String reviewerToken = System.getenv("PROVENANCE_TEST_REVIEWER_TOKEN");
    private final String org = System.getenv("PROVENANCE_TEST_ORG");

    private void requireApp() {
        if (url == null || token == null || reviewerToken == null || org == null) {
            throw new Skip("needs PROVENANCE_URL, PROVENANCE_TOKEN, PROVENANCE_TEST_REVIEWER_TOKEN, PROVENANCE_TEST_ORG");
        }
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A webhook signed as Stripe signs them, sent with ?sync=true; returns the status. */
    private int sendStripeWebhook(String mnemonic, String eventId, String objectId) throws Exception {
        String body = Json.write(Map.of("id", eventId, "type", "charge.succeeded", "created", 1764000000L, "data", Map.of("object", Map.of("id", objectId))));
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = HexFormat.of().formatHex(mac.doFinal((ts + "." + body).getBytes(StandardCharsets.UTF_8)));
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/inbound/" + org + "/by-mnemonic/" + mnemonic + "?sync=true"))
                .header("content-type", "application/json").header("stripe-signature", "t=" + ts + ",v1=" + sig)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void theProductDocumentsSnippetRunsAsWritten() {
        requireApp();
        Provenance provenance = new Provenance();
        String mnemonic = unique("STRIPE");

        // Java SDK (../shared/seeds/inbound-pipeline.txt, "SDK support"), with its "..." filled in
        ProvenanceAPI api = provenance.api();

        Map sources = api.inboundSources().list();
        Map source = api.inboundSources().create(Map.of("title", "Stripe", "mnemonic", mnemonic, "verification", Map.of("preset", "stripe", "secret", SECRET)));

        String mappingId = (String) api.inboundMappings().create(Map.of("sourceId", source.get("id"), "resourceType", "payment",
                "resourceIdPath", "data.object.id", "action", "succeeded", "idempotencyPath", "id")).get("id");
        Map result = api.testInboundMapping(mappingId, Map.of("payload", Map.of("id", "evt_1", "data", Map.of("object", Map.of("id", "pi_1")))));

        check(sources.get("data") instanceof List, "sources data");
        equal("Stripe", source.get("title"), "title");
        check(!Json.write(source).contains(SECRET), "secret returned");
        equal(Boolean.TRUE, result.get("matched"), "matched");
        Map interaction = (Map) result.get("interaction");
        equal("pi_1", interaction.get("resourceId"), "resourceId");
        equal("evt_1", interaction.get("idempotencyKey"), "idempotencyKey");
        Map again = api.inboundMappings().test(mappingId, Map.of("payload", Map.of("id", "evt_2", "data", Map.of("object", Map.of("id", "pi_2")))));
        equal("pi_2", ((Map) again.get("interaction")).get("resourceId"), "inboundMappings().test, the same call");
        List<Map<String, Object>> mine = (List<Map<String, Object>>) api.inboundMappings().list(Map.of("sourceId", source.get("id"))).get("data");
        equal(1, mine.size(), "mappings of the source");
        api.inboundSources().delete((String) source.get("id"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyResourceEndToEnd() throws Exception {
        requireApp();
        ProvenanceAPI api = new Provenance(url, token).api();
        String mnemonic = unique("java");
        Map<String, Object> source = api.inboundSources().create(Map.of("title", "Java", "mnemonic", mnemonic, "verification", Map.of("preset", "stripe", "secret", SECRET)));
        String sourceId = (String) source.get("id");
        equal("Java renamed", api.inboundSources().update(sourceId, Map.of("title", "Java renamed")).get("title"), "update");
        equal("Java renamed", api.inboundSources().get(sourceId).get("title"), "get");
        Map<String, Object> mapping = api.inboundMappings().create(Map.of("sourceId", sourceId, "resourceType", "order",
                "resourceIdPath", "data.object.id", "action", "paid", "idempotencyPath", "id"));
        String mappingId = (String) mapping.get("id");
        equal(4L, api.inboundMappings().update(mappingId, Map.of("priority", 4)).get("priority"), "priority is a Long");
        equal(mappingId, api.inboundMappings().get(mappingId).get("id"), "mapping get");

        Map<String, Object> target = api.targets().create(Map.of("name", unique("t"), "url", url + "/api/nothing-here", "retry", Map.of("maxAttempts", 1)));
        String targetId = (String) target.get("id");
        check(((String) target.get("signingSecret")).startsWith("whsec_"), "signing secret");
        check(!target.get("signingSecret").equals(api.targets().rotateSecret(targetId).get("signingSecret")), "rotated");
        Map<String, Object> route = api.routes().create(Map.of("mappingId", mappingId, "targetId", targetId));
        equal(1, ((List<Object>) api.routes().list(Map.of("targetId", targetId)).get("data")).size(), "routes of the target");

        for (int i = 0; i < 3; i++) equal(200, sendStripeWebhook(mnemonic, mnemonic + "_evt_" + i, "ord_" + i), "webhook " + i);
        Map<String, Object> page = api.events().list(Map.of("sourceId", sourceId, "limit", 1));
        equal(1, ((List<Object>) page.get("data")).size(), "one per page");
        check(page.get("nextCursor") instanceof String, "a next page");
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> e : api.events().iterate(Map.of("sourceId", sourceId, "limit", 1))) ids.add((String) e.get("id"));
        equal(3, new HashSet<>(ids).size(), "three events");
        equal(ids.get(0), api.events().get(ids.get(0)).get("id"), "event get");
        Map<String, Object> replay = api.events().replay(ids.get(0));
        equal(Boolean.TRUE, replay.get("queued"), "replay queued");
        check(!ids.get(0).equals(replay.get("eventId")), "replay is a new event");

        List<Object> resourceIds = new ArrayList<>();
        String interactionId = null;
        for (Map<String, Object> it : api.interactions().iterate(Map.of("sourceId", sourceId, "limit", 2))) {
            resourceIds.add(it.get("resourceId"));
            interactionId = (String) it.get("id");
        }
        resourceIds.sort(null);
        equal(List.of("ord_0", "ord_1", "ord_2"), resourceIds, "interactions");
        equal(interactionId, api.interactions().get(interactionId).get("id"), "interaction get");

        List<Object> dead = List.of();
        for (int i = 0; i < 120 && dead.size() < 3; i++) { // the target answers 404: each delivery fails its one attempt
            dead = (List<Object>) api.deliveries().list(Map.of("targetId", targetId, "status", "dead")).get("data");
            if (dead.size() < 3) Thread.sleep(250);
        }
        check(dead.size() >= 3, "three dead deliveries, got " + dead.size());
        String deliveryId = (String) ((Map<String, Object>) dead.get(0)).get("id");
        equal(targetId, api.deliveries().get(deliveryId).get("targetId"), "delivery get");
        check((Long) api.deliveries().retryMany(Map.of("status", "dead", "targetId", targetId)).get("queued") >= 3, "bulk retry");

        Map<String, Object> created = api.apiTokens().create(Map.of("name", unique("tok"), "role", "reviewer"));
        check(((String) created.get("token")).startsWith("prv_"), "token shown once");
        check(Json.write(api.apiTokens().list()).contains((String) created.get("id")), "token listed");
        api.apiTokens().delete((String) created.get("id"));
        check(!Json.write(api.apiTokens().list()).contains((String) created.get("id")), "token revoked");

        String name = "JAVA_SDK_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        equal(name, api.secrets().put(name, Map.of("value", "s3cr3t-value")).get("name"), "secret put");
        check(!Json.write(api.secrets().list()).contains("s3cr3t-value"), "secret value never read back");
        api.secrets().delete(name);
        check(api.flowVersions().list().get("data") instanceof List, "flow versions");

        api.routes().delete((String) route.get("id"));
        api.targets().delete(targetId);
        api.inboundMappings().delete(mappingId);
        api.inboundSources().delete(sourceId);
        ProvenanceException gone = fails(() -> api.inboundSources().get(sourceId));
        equal(404, gone.status(), "deleted");
        equal(Map.of("error", "Not found"), gone.body(), "404 body");
    }

    @Test
    @SuppressWarnings("unchecked")
    void errorsA400WithDetailsAndAReviewerRefusedAWrite() throws Exception {
        requireApp();
        ProvenanceAPI api = new Provenance(url, token).api();
        ProvenanceException bad = fails(() -> api.inboundSources().create(Map.of("title", "", "mnemonic", "no spaces")));
        equal(400, bad.status(), "status");
        equal("Validation failed", bad.body().get("error"), "error");
        List<String> paths = new ArrayList<>();
        for (Object d : (List<Object>) bad.body().get("details")) paths.add((String) ((Map<String, Object>) d).get("path"));
        check(paths.contains("/title") && paths.contains("/mnemonic"), "details " + paths);
        equal("inboundSources.create failed: 400 Validation failed", bad.getMessage(), "message");

        ProvenanceAPI reviewer = new Provenance(url, reviewerToken).api();
        check(reviewer.inboundSources().list().get("data") instanceof List, "a reviewer reads");
        ProvenanceException refused = fails(() -> reviewer.inboundSources().create(Map.of("title", "R", "mnemonic", unique("r"))));
        equal(403, refused.status(), "status");
        equal(Map.of("error", "Forbidden"), refused.body(), "body");
        check(!refused.getMessage().contains(reviewerToken) && !reviewer.toString().contains(reviewerToken), "token shown");

        ProvenanceAPI otherOrg = Provenance.builder().url(url).token(token).org("someone-else").build().api();
        equal(403, fails(() -> otherOrg.inboundSources().list()).status(), "another org");
    }
}

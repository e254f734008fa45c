package dev.provenance;

import java.util.Map;
import java.util.stream.Stream;

/**
 * The management API. Every method returns the API's JSON as plain data, unchanged: a list
 * returns the whole answer ({@code {data=[...], nextCursor=...}}), a create the created
 * object, {@code delete} nothing. Errors are {@link ProvenanceException}.
 */
public final class ProvenanceAPI {
    private final Transport http;
    private final InboundSources inboundSources;
    private final InboundMappings inboundMappings;
    private final Events events;
    private final Interactions interactions;
    private final Targets targets;
    private final Routes routes;
    private final Deliveries deliveries;
    private final ApiTokens apiTokens;
    private final Members members;
    private final Org org;
    private final Secrets secrets;
    private final FlowVersions flowVersions;
    private final ProviderFlow providerflow;

    ProvenanceAPI(Transport http) {
        this.http = http;
        this.inboundSources = new InboundSources(http);
        this.inboundMappings = new InboundMappings(http);
        this.events = new Events(http);
        this.interactions = new Interactions(http);
        this.targets = new Targets(http);
        this.routes = new Routes(http);
        this.deliveries = new Deliveries(http);
        this.apiTokens = new ApiTokens(http);
        this.members = new Members(http);
        this.org = new Org(http);
        this.secrets = new Secrets(http);
        this.flowVersions = new FlowVersions(http);
        this.providerflow = new ProviderFlow(http);
    }

    public InboundSources inboundSources() { return inboundSources; }
    public InboundMappings inboundMappings() { return inboundMappings; }
    public Events events() { return events; }
    public Interactions interactions() { return interactions; }
    public Targets targets() { return targets; }
    public Routes routes() { return routes; }
    public Deliveries deliveries() { return deliveries; }
    public ApiTokens apiTokens() { return apiTokens; }
    public Members members() { return members; }
    public Org org() { return org; }
    public Secrets secrets() { return secrets; }
    public FlowVersions flowVersions() { return flowVersions; }
    public ProviderFlow providerflow() { return providerflow; }

    /** Dry-runs a mapping against {@code {payload, headers?}}; the same as {@code inboundMappings().test(id, body)}. */
    public Map<String, Object> testInboundMapping(String mappingId, Map<String, ?> body) {
        return inboundMappings.test(mappingId, body);
    }

    @Override
    public String toString() {
        return "ProvenanceAPI{" + http.config() + "}";
    }

    private static Map<String, String> id(String id) {
        return Map.of("id", id == null ? "" : id);
    }

    /**
     * What every resource shares: the call through the operation table under the SDK method's
     * name ("inboundSources.get"), and paging.
     */
    abstract static class Resource {
        final Transport http;
        private final String name;

        Resource(Transport http, String name) {
            this.http = http;
            this.name = name;
        }

        Map<String, Object> call(String method, String operation, Map<String, String> params, Map<String, ?> query, Object body) {
            return http.call(name + "." + method, operation, params, query, body);
        }

        Iterable<Map<String, Object>> pages(String operation, Map<String, ?> query) {
            return http.pages(name + ".iterate", operation, query);
        }

        Stream<Map<String, Object>> stream(String operation, Map<String, ?> query) {
            return http.stream(name + ".stream", operation, query);
        }

        @Override
        public String toString() {
            return "ProvenanceAPI." + name + "()";
        }
    }

    /** Inbound sources: where providers send webhooks ({@code /api/inbound/<org>/by-mnemonic/<mnemonic>}). */
    public static final class InboundSources extends Resource {
        InboundSources(Transport http) { super(http, "inboundSources"); }
        /** {@code {data=[source...]}}, oldest first. */
        public Map<String, Object> list() { return list(null); }
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listInboundSources", null, query, null); }
        /** Every source (one page today). */
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listInboundSources", query); }
        /** {@code {title, mnemonic, description?, active?, verification?: {preset, secret, ...}, payloadSchema?}}; the secret is write-only. */
        public Map<String, Object> create(Map<String, ?> body) { return call("create", "createInboundSource", null, null, body); }
        public Map<String, Object> get(String id) { return call("get", "getInboundSource", id(id), null, null); }
        public Map<String, Object> update(String id, Map<String, ?> patch) { return call("update", "updateInboundSource", id(id), null, patch); }
        public void delete(String id) { call("delete", "deleteInboundSource", id(id), null, null); }
        /** Runs {@code {draft, limit?}} (a new mapping of this source) over its recent events beside today's mappings; writes nothing. */
        public Map<String, Object> whatIf(String id, Map<String, ?> body) { return call("whatIf", "whatIfNewMapping", id(id), null, body); }
    }

    /** Inbound mappings: how a source's payloads become interactions. */
    public static final class InboundMappings extends Resource {
        InboundMappings(Transport http) { super(http, "inboundMappings"); }
        public Map<String, Object> list() { return list(null); }
        /** Query: {@code sourceId}. */
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listInboundMappings", null, query, null); }
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listInboundMappings", query); }
        public Map<String, Object> create(Map<String, ?> body) { return call("create", "createInboundMapping", null, null, body); }
        public Map<String, Object> get(String id) { return call("get", "getInboundMapping", id(id), null, null); }
        public Map<String, Object> update(String id, Map<String, ?> patch) { return call("update", "updateInboundMapping", id(id), null, patch); }
        public void delete(String id) { call("delete", "deleteInboundMapping", id(id), null, null); }
        /** Dry-runs the mapping against {@code {payload, headers?}}: {@code {matched, conditions, schemaErrors, failure, interaction, duplicate}}; writes nothing. */
        public Map<String, Object> test(String id, Map<String, ?> body) { return call("test", "testInboundMapping", id(id), null, body); }
        /** Runs {@code {draft, limit?}} (a PATCH of the mapping) over the source's recent events beside today's mappings; writes nothing. */
        public Map<String, Object> whatIf(String id, Map<String, ?> body) { return call("whatIf", "whatIfMapping", id(id), null, body); }
    }

    /** Events: every request that reached a source. */
    public static final class Events extends Resource {
        Events(Transport http) { super(http, "events"); }
        public Map<String, Object> list() { return list(null); }
        /** Query: sourceId, status, limit, cursor. {@code {data=[...], nextCursor}}, newest first. */
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listEvents", null, query, null); }
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        /** Every event of every page (query as for {@link #list(Map)}, without cursor). */
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listEvents", query); }
        public Stream<Map<String, Object>> stream(Map<String, ?> query) { return stream("listEvents", query); }
        public Map<String, Object> get(String id) { return call("get", "getEvent", id(id), null, null); }
        /** Runs the stored event through the pipeline again as a new event: {@code {queued=true, eventId}}. */
        public Map<String, Object> replay(String id) { return call("replay", "replayEvent", id(id), null, null); }
    }

    /** Interactions: what mapped events became. */
    public static final class Interactions extends Resource {
        Interactions(Transport http) { super(http, "interactions"); }
        public Map<String, Object> list() { return list(null); }
        /** Query: sourceId, resourceType, action, limit, cursor. */
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listInteractions", null, query, null); }
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listInteractions", query); }
        public Stream<Map<String, Object>> stream(Map<String, ?> query) { return stream("listInteractions", query); }
        public Map<String, Object> get(String id) { return call("get", "getInteraction", id(id), null, null); }
    }

    /** Delivery targets: the receivers interactions are sent to. */
    public static final class Targets extends Resource {
        Targets(Transport http) { super(http, "targets"); }
        public Map<String, Object> list() { return list(null); }
        /** Query: limit, cursor. */
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listTargets", null, query, null); }
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listTargets", query); }
        public Stream<Map<String, Object>> stream(Map<String, ?> query) { return stream("listTargets", query); }
        public Map<String, Object> get(String id) { return call("get", "getTarget", id(id), null, null); }
        /** The answer carries the target's signing secret ({@code signingSecret}), shown this once. */
        public Map<String, Object> create(Map<String, ?> body) { return call("create", "createTarget", null, null, body); }
        public Map<String, Object> update(String id, Map<String, ?> patch) { return call("update", "updateTarget", id(id), null, patch); }
        public void delete(String id) { call("delete", "deleteTarget", id(id), null, null); }
        /** A new signing secret, in the answer's {@code signingSecret}, shown this once. */
        public Map<String, Object> rotateSecret(String id) { return call("rotateSecret", "rotateTargetSigningSecret", id(id), null, null); }
    }

    /** Routes: which mapping's interactions go to which target. */
    public static final class Routes extends Resource {
        Routes(Transport http) { super(http, "routes"); }
        public Map<String, Object> list() { return list(null); }
        /** Query: mappingId, targetId, limit, cursor. */
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listRoutes", null, query, null); }
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listRoutes", query); }
        public Stream<Map<String, Object>> stream(Map<String, ?> query) { return stream("listRoutes", query); }
        /** {@code {mappingId, targetId}}. */
        public Map<String, Object> create(Map<String, ?> body) { return call("create", "createRoute", null, null, body); }
        public void delete(String id) { call("delete", "deleteRoute", id(id), null, null); }
    }

    /** Deliveries: interactions on their way to targets, with their attempts. */
    public static final class Deliveries extends Resource {
        Deliveries(Transport http) { super(http, "deliveries"); }
        public Map<String, Object> list() { return list(null); }
        /** Query: status, targetId, interactionId, limit, cursor. */
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listDeliveries", null, query, null); }
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listDeliveries", query); }
        public Stream<Map<String, Object>> stream(Map<String, ?> query) { return stream("listDeliveries", query); }
        public Map<String, Object> get(String id) { return call("get", "getDelivery", id(id), null, null); }
        /** Queues the delivery again with a fresh attempt budget: {@code {queued=true, deliveryId}}. */
        public Map<String, Object> retry(String id) { return call("retry", "retryDelivery", id(id), null, null); }
        /** {@code {status: "dead"|"failed", targetId?}}: every such delivery of the org, {@code {queued=N}}. */
        public Map<String, Object> retryMany(Map<String, ?> body) { return call("retryMany", "retryDeliveries", null, null, body); }
    }

    /** API tokens (admin tokens only). */
    public static final class ApiTokens extends Resource {
        ApiTokens(Transport http) { super(http, "apiTokens"); }
        public Map<String, Object> list() { return list(null); }
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listApiTokens", null, query, null); }
        /** {@code {name, role: "admin"|"operator"|"reviewer"}}; the answer carries the token, shown this once. */
        public Map<String, Object> create(Map<String, ?> body) { return call("create", "createApiToken", null, null, body); }
        /** Revokes the token at once. */
        public void delete(String id) { call("delete", "deleteApiToken", id(id), null, null); }
    }

    /** The people who sign in to the console (writes: admins only). */
    public static final class Members extends Resource {
        Members(Transport http) { super(http, "members"); }
        public Map<String, Object> list() { return list(null); }
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listMembers", null, query, null); }
        /** {@code {email, role, name?}}; the answer carries the one-time invitation link, shown this once. */
        public Map<String, Object> invite(Map<String, ?> body) { return call("invite", "inviteMember", null, null, body); }
        /** {@code {role?, name?, active?}}; {@code active=false} deactivates (their sessions end). */
        public Map<String, Object> update(String id, Map<String, ?> patch) { return call("update", "updateMember", id(id), null, patch); }
        /** Never the last active admin. */
        public void remove(String id) { call("remove", "removeMember", id(id), null, null); }
        /** A new link for a pending invitation; the old one stops working. */
        public Map<String, Object> reinvite(String id) { return call("reinvite", "reinviteMember", id(id), null, null); }
    }

    /** The org's settings: {@code {slug, name, environment, separationOfDuties}}. */
    public static final class Org extends Resource {
        Org(Transport http) { super(http, "org"); }
        public Map<String, Object> get() { return call("get", "getOrgSettings", null, null, null); }
        /** {@code {separationOfDuties}} (admins only). */
        public Map<String, Object> update(Map<String, ?> patch) { return call("update", "updateOrgSettings", null, null, patch); }
    }

    /** The org's secret store (values are write-only), referenced by ProviderFlow packages. */
    public static final class Secrets extends Resource {
        Secrets(Transport http) { super(http, "secrets"); }
        public Map<String, Object> list() { return list(null); }
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listSecrets", null, query, null); }
        /** Creates or replaces the secret {@code name} with {@code {value}}. */
        public Map<String, Object> put(String name, Map<String, ?> body) { return call("put", "putSecret", Map.of("name", name == null ? "" : name), null, body); }
        public void delete(String name) { call("delete", "deleteSecret", Map.of("name", name == null ? "" : name), null, null); }
    }

    /** ProviderFlow package versions: upload, evidence, approval and apply. */
    public static final class FlowVersions extends Resource {
        FlowVersions(Transport http) { super(http, "flowVersions"); }
        public Map<String, Object> list() { return list(null); }
        /** Query: package, limit, cursor. */
        public Map<String, Object> list(Map<String, ?> query) { return call("list", "listFlowVersions", null, query, null); }
        public Iterable<Map<String, Object>> iterate() { return iterate(null); }
        public Iterable<Map<String, Object>> iterate(Map<String, ?> query) { return pages("listFlowVersions", query); }
        public Stream<Map<String, Object>> stream(Map<String, ?> query) { return stream("listFlowVersions", query); }
        public Map<String, Object> get(String id) { return call("get", "getFlowVersion", id(id), null, null); }
        /** {@code {files: {path: base64}}}: a new version (sandbox-validated, or draft), or the existing one with that digest. */
        public Map<String, Object> upload(Map<String, ?> body) { return call("upload", "uploadFlowVersion", null, null, body); }
        public Map<String, Object> evidence(String id) { return call("evidence", "getFlowVersionEvidence", id(id), null, null); }
        public Map<String, Object> approve(String id) { return approve(id, null); }
        /** {@code {note?}}. */
        public Map<String, Object> approve(String id, Map<String, ?> body) { return call("approve", "approveFlowVersion", id(id), null, body == null ? Map.of() : body); }
        public Map<String, Object> apply(String id) { return call("apply", "applyFlowVersion", id(id), null, null); }
        /** The version's own files ({@code {files: {path: base64}}}), to edit them. */
        public Map<String, Object> files(String id) { return call("files", "getFlowVersionFiles", id(id), null, null); }
    }

    /** ProviderFlow packages planned and applied directly. */
    public static final class ProviderFlow extends Resource {
        ProviderFlow(Transport http) { super(http, "providerflow"); }
        /** {@code {files: {path: base64}}}: what applying the package would change. */
        /** {@code {files}}: contract checks and scans, as {@code providerflow validate}; stores nothing. */
        public Map<String, Object> validate(Map<String, ?> body) { return call("validate", "validateFlowPackage", null, null, body); }
        /** {@code {files, update?}}: the fixtures in the org's sandbox, as {@code providerflow test}; stores nothing. */
        public Map<String, Object> test(Map<String, ?> body) { return call("test", "testFlowPackage", null, null, body); }
        /** {@code {name, preset}}: a new package's files from a provider preset's template. */
        public Map<String, Object> template(Map<String, ?> body) { return call("template", "flowTemplate", null, null, body); }
        public Map<String, Object> plan(Map<String, ?> body) { return call("plan", "planFlowPackage", null, null, body); }
        public Map<String, Object> apply(Map<String, ?> body) { return call("apply", "applyFlowPackage", null, null, body); }
    }
}

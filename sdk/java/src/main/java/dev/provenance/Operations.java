package dev.provenance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every API call of the SDK goes through this table: operationId to method and path template.
 * A test in the project (lib/api/sdk-contract.test.ts) compares it with the OpenAPI document.
 */
public final class Operations {
    /** One operation: its HTTP method and path template ({id} and {name} placeholders). */
    public record Operation(String id, String method, String path) {}

    private static final Map<String, Operation> TABLE = table(
            entry("listInboundSources", "GET", "/api/v1/inbound-sources"),
            entry("createInboundSource", "POST", "/api/v1/inbound-sources"),
            entry("getInboundSource", "GET", "/api/v1/inbound-sources/{id}"),
            entry("updateInboundSource", "PATCH", "/api/v1/inbound-sources/{id}"),
            entry("deleteInboundSource", "DELETE", "/api/v1/inbound-sources/{id}"),
            entry("listInboundMappings", "GET", "/api/v1/inbound-mappings"),
            entry("createInboundMapping", "POST", "/api/v1/inbound-mappings"),
            entry("getInboundMapping", "GET", "/api/v1/inbound-mappings/{id}"),
            entry("updateInboundMapping", "PATCH", "/api/v1/inbound-mappings/{id}"),
            entry("deleteInboundMapping", "DELETE", "/api/v1/inbound-mappings/{id}"),
            entry("testInboundMapping", "POST", "/api/v1/inbound-mappings/{id}/test"),
            entry("whatIfMapping", "POST", "/api/v1/inbound-mappings/{id}/what-if"),
            entry("whatIfNewMapping", "POST", "/api/v1/inbound-sources/{id}/what-if"),
            entry("listInteractions", "GET", "/api/v1/interactions"),
            entry("getInteraction", "GET", "/api/v1/interactions/{id}"),
            entry("listEvents", "GET", "/api/v1/events"),
            entry("getEvent", "GET", "/api/v1/events/{id}"),
            entry("replayEvent", "POST", "/api/v1/events/{id}/replay"),
            entry("listTargets", "GET", "/api/v1/targets"),
            entry("createTarget", "POST", "/api/v1/targets"),
            entry("getTarget", "GET", "/api/v1/targets/{id}"),
            entry("updateTarget", "PATCH", "/api/v1/targets/{id}"),
            entry("deleteTarget", "DELETE", "/api/v1/targets/{id}"),
            entry("rotateTargetSigningSecret", "POST", "/api/v1/targets/{id}/rotate-secret"),
            entry("listRoutes", "GET", "/api/v1/routes"),
            entry("createRoute", "POST", "/api/v1/routes"),
            entry("deleteRoute", "DELETE", "/api/v1/routes/{id}"),
            entry("listDeliveries", "GET", "/api/v1/deliveries"),
            entry("getDelivery", "GET", "/api/v1/deliveries/{id}"),
            entry("retryDelivery", "POST", "/api/v1/deliveries/{id}/retry"),
            entry("retryDeliveries", "POST", "/api/v1/deliveries/retry"),
            entry("listApiTokens", "GET", "/api/v1/api-tokens"),
            entry("createApiToken", "POST", "/api/v1/api-tokens"),
            entry("deleteApiToken", "DELETE", "/api/v1/api-tokens/{id}"),
            entry("listMembers", "GET", "/api/v1/members"),
            entry("inviteMember", "POST", "/api/v1/members"),
            entry("updateMember", "PATCH", "/api/v1/members/{id}"),
            entry("removeMember", "DELETE", "/api/v1/members/{id}"),
            entry("reinviteMember", "POST", "/api/v1/members/{id}/invite"),
            entry("getOrgSettings", "GET", "/api/v1/org"),
            entry("updateOrgSettings", "PATCH", "/api/v1/org"),
            entry("listSecrets", "GET", "/api/v1/secrets"),
            entry("putSecret", "PUT", "/api/v1/secrets/{name}"),
            entry("deleteSecret", "DELETE", "/api/v1/secrets/{name}"),
            entry("listFlowVersions", "GET", "/api/v1/providerflow/versions"),
            entry("uploadFlowVersion", "POST", "/api/v1/providerflow/versions"),
            entry("getFlowVersion", "GET", "/api/v1/providerflow/versions/{id}"),
            entry("getFlowVersionEvidence", "GET", "/api/v1/providerflow/versions/{id}/evidence"),
            entry("approveFlowVersion", "POST", "/api/v1/providerflow/versions/{id}/approve"),
            entry("applyFlowVersion", "POST", "/api/v1/providerflow/versions/{id}/apply"),
            entry("validateFlowPackage", "POST", "/api/v1/providerflow/validate"),
            entry("testFlowPackage", "POST", "/api/v1/providerflow/test"),
            entry("getFlowVersionFiles", "GET", "/api/v1/providerflow/versions/{id}/files"),
            entry("flowTemplate", "POST", "/api/v1/providerflow/templates"),
            entry("planFlowPackage", "POST", "/api/v1/providerflow/plan"),
            entry("applyFlowPackage", "POST", "/api/v1/providerflow/apply"));

    private Operations() {}

    /** The operation with this id; an IllegalArgumentException for an unknown one. */
    public static Operation get(String id) {
        Operation op = TABLE.get(id);
        if (op == null) throw new IllegalArgumentException("unknown operation " + id);
        return op;
    }

    /** Every operation, in the table's order. */
    public static Map<String, Operation> all() {
        return TABLE;
    }

    private static Operation entry(String id, String method, String path) {
        return new Operation(id, method, path);
    }

    private static Map<String, Operation> table(Operation... ops) {
        Map<String, Operation> out = new LinkedHashMap<>();
        for (Operation op : ops) {
            if (out.put(op.id(), op) != null) throw new IllegalStateException("operation " + op.id() + " twice");
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}

// @provenance/sdk: the Provenance management API for TypeScript and JavaScript.
//
//   import provenance from "@provenance/sdk";
//   const api = await provenance.api();            // PROVENANCE_URL, PROVENANCE_TOKEN
//   const sources = await api.inboundSources.list();
//
// Every method returns the API's JSON unchanged; errors are ProvenanceError.
import { ProvenanceError, resolveOptions, Transport, type ProvenanceOptions } from "./client.js";
import type * as T from "./types.gen.js";

export { ProvenanceError, SDK_VERSION, type ErrorBody, type ProvenanceOptions } from "./client.js";
export { OPERATIONS, type OperationId } from "./operations.js";
export type * from "./types.gen.js";

type Id = string;

export class ProvenanceApi {
  readonly #http: Transport;

  readonly inboundSources: {
    list(): Promise<T.SourceList>;
    create(body: T.CreateInboundSourceBody): Promise<T.Source>;
    get(id: Id): Promise<T.Source>;
    update(id: Id, patch: T.UpdateInboundSourceBody): Promise<T.Source>;
    delete(id: Id): Promise<void>;
    /** Runs a draft new mapping over the source's recent events beside today's mappings; writes nothing. */
    whatIf(id: Id, body: T.WhatIfNewMappingBody): Promise<T.WhatIfResult>;
  };

  readonly inboundMappings: {
    list(query?: T.ListInboundMappingsQuery): Promise<T.MappingList>;
    create(body: T.CreateInboundMappingBody): Promise<T.Mapping>;
    get(id: Id): Promise<T.Mapping>;
    update(id: Id, patch: T.UpdateInboundMappingBody): Promise<T.Mapping>;
    delete(id: Id): Promise<void>;
    /** Dry-runs the mapping against a sample payload (and headers); writes nothing. */
    test(id: Id, body: T.TestInboundMappingBody): Promise<T.MappingTestResult>;
    /** Runs a draft change of the mapping over the source's recent events beside today's mappings; writes nothing. */
    whatIf(id: Id, body: T.WhatIfMappingBody): Promise<T.WhatIfResult>;
  };

  readonly events: {
    list(query?: T.ListEventsQuery): Promise<T.EventPage>;
    iterate(query?: Omit<T.ListEventsQuery, "cursor">): AsyncGenerator<T.EventPage["data"][number]>;
    get(id: Id): Promise<T.EventDetail>;
    replay(id: Id): Promise<T.ReplayAccepted>;
  };

  readonly interactions: {
    list(query?: T.ListInteractionsQuery): Promise<T.InteractionPage>;
    iterate(query?: Omit<T.ListInteractionsQuery, "cursor">): AsyncGenerator<T.Interaction>;
    get(id: Id): Promise<T.Interaction>;
  };

  readonly targets: {
    list(query?: T.ListTargetsQuery): Promise<T.TargetPage>;
    iterate(query?: Omit<T.ListTargetsQuery, "cursor">): AsyncGenerator<T.Target>;
    get(id: Id): Promise<T.Target>;
    /** The answer carries the target's signing secret, shown this once. */
    create(body: T.CreateTargetBody): Promise<T.TargetWithSigningSecret>;
    update(id: Id, patch: T.UpdateTargetBody): Promise<T.Target>;
    delete(id: Id): Promise<void>;
    /** Replaces the signing secret at once; the new one is in the answer, this once. */
    rotateSecret(id: Id): Promise<T.TargetWithSigningSecret>;
  };

  readonly routes: {
    list(query?: T.ListRoutesQuery): Promise<T.RoutePage>;
    iterate(query?: Omit<T.ListRoutesQuery, "cursor">): AsyncGenerator<T.Route>;
    create(body: T.CreateRouteBody): Promise<T.Route>;
    delete(id: Id): Promise<void>;
  };

  readonly deliveries: {
    list(query?: T.ListDeliveriesQuery): Promise<T.DeliveryPage>;
    iterate(query?: Omit<T.ListDeliveriesQuery, "cursor">): AsyncGenerator<T.DeliveryPage["data"][number]>;
    get(id: Id): Promise<T.Delivery>;
    retry(id: Id): Promise<T.DeliveryRetryAccepted>;
    /** Every dead (or failed) delivery of the org, optionally of one target. */
    retryMany(body: T.RetryDeliveriesBody): Promise<T.DeliveryBulkRetryAccepted>;
  };

  readonly apiTokens: {
    list(): Promise<T.ApiTokenList>;
    /** The answer carries the token, shown this once. */
    create(body: T.CreateApiTokenBody): Promise<T.ApiTokenCreated>;
    delete(id: Id): Promise<void>;
  };

  readonly members: {
    list(): Promise<T.MemberList>;
    /** The answer carries the one-time invitation link, shown this once. */
    invite(body: T.InviteMemberBody): Promise<T.MemberInvited>;
    /** Role, name, or `active: false` to deactivate (their sessions end). */
    update(id: Id, patch: T.UpdateMemberBody): Promise<T.Member>;
    remove(id: Id): Promise<void>;
    /** A new link for a pending invitation; the old one stops working. */
    reinvite(id: Id): Promise<T.MemberInvited>;
  };

  readonly org: {
    get(): Promise<T.OrgSettings>;
    update(patch: T.UpdateOrgSettingsBody): Promise<T.OrgSettings>;
  };

  readonly secrets: {
    list(): Promise<T.OrgSecretList>;
    /** Creates or replaces the secret; its value is never returned. */
    put(name: string, body: T.PutSecretBody): Promise<T.OrgSecret>;
    delete(name: string): Promise<void>;
  };

  readonly flowVersions: {
    list(query?: T.ListFlowVersionsQuery): Promise<T.FlowVersionPage>;
    iterate(query?: Omit<T.ListFlowVersionsQuery, "cursor">): AsyncGenerator<T.FlowVersionPage["data"][number]>;
    get(id: Id): Promise<T.FlowVersionDetail>;
    upload(body: T.UploadFlowVersionBody): Promise<T.FlowVersionDetail>;
    evidence(id: Id): Promise<T.Evidence>;
    approve(id: Id, body?: T.ApproveFlowVersionBody): Promise<T.FlowVersion>;
    apply(id: Id): Promise<T.FlowApplyResult>;
    /** The version's own files (base64), to edit them. */
    files(id: Id): Promise<T.FlowFiles>;
  };

  readonly providerflow: {
    /** Contract checks and scans of package files, as `providerflow validate`; stores nothing. */
    validate(body: T.ValidateFlowPackageBody): Promise<T.FlowValidation>;
    /** The fixtures in the org's sandbox, as `providerflow test [--update]`; stores nothing. */
    test(body: T.TestFlowPackageBody): Promise<T.FlowTestRun>;
    /** A new package's files from a provider preset's template. */
    template(body: T.FlowTemplateBody): Promise<T.FlowFiles>;
    plan(body: T.PlanFlowPackageBody): Promise<T.FlowPlan>;
    apply(body: T.ApplyFlowPackageBody): Promise<T.FlowApplyResult>;
  };

  constructor(options: ProvenanceOptions = {}) {
    const http = new Transport(resolveOptions(options));
    this.#http = http;
    const id = (value: Id) => ({ id: value });
    const none = async () => undefined;

    this.inboundSources = {
      list: () => http.call("inboundSources.list", "listInboundSources"),
      create: (body) => http.call("inboundSources.create", "createInboundSource", { body }),
      get: (v) => http.call("inboundSources.get", "getInboundSource", { params: id(v) }),
      update: (v, patch) => http.call("inboundSources.update", "updateInboundSource", { params: id(v), body: patch }),
      delete: (v) => http.call("inboundSources.delete", "deleteInboundSource", { params: id(v) }).then(none),
      whatIf: (v, body) => http.call("inboundSources.whatIf", "whatIfNewMapping", { params: id(v), body }),
    };
    this.inboundMappings = {
      list: (query) => http.call("inboundMappings.list", "listInboundMappings", { query }),
      create: (body) => http.call("inboundMappings.create", "createInboundMapping", { body }),
      get: (v) => http.call("inboundMappings.get", "getInboundMapping", { params: id(v) }),
      update: (v, patch) => http.call("inboundMappings.update", "updateInboundMapping", { params: id(v), body: patch }),
      delete: (v) => http.call("inboundMappings.delete", "deleteInboundMapping", { params: id(v) }).then(none),
      test: (v, body) => http.call("inboundMappings.test", "testInboundMapping", { params: id(v), body }),
      whatIf: (v, body) => http.call("inboundMappings.whatIf", "whatIfMapping", { params: id(v), body }),
    };
    this.events = {
      list: (query) => http.call("events.list", "listEvents", { query }),
      iterate: (query) => http.pages("events.iterate", "listEvents", query) as AsyncGenerator<T.EventPage["data"][number]>,
      get: (v) => http.call("events.get", "getEvent", { params: id(v) }),
      replay: (v) => http.call("events.replay", "replayEvent", { params: id(v) }),
    };
    this.interactions = {
      list: (query) => http.call("interactions.list", "listInteractions", { query }),
      iterate: (query) => http.pages("interactions.iterate", "listInteractions", query) as AsyncGenerator<T.Interaction>,
      get: (v) => http.call("interactions.get", "getInteraction", { params: id(v) }),
    };
    this.targets = {
      list: (query) => http.call("targets.list", "listTargets", { query }),
      iterate: (query) => http.pages("targets.iterate", "listTargets", query) as AsyncGenerator<T.Target>,
      get: (v) => http.call("targets.get", "getTarget", { params: id(v) }),
      create: (body) => http.call("targets.create", "createTarget", { body }),
      update: (v, patch) => http.call("targets.update", "updateTarget", { params: id(v), body: patch }),
      delete: (v) => http.call("targets.delete", "deleteTarget", { params: id(v) }).then(none),
      rotateSecret: (v) => http.call("targets.rotateSecret", "rotateTargetSigningSecret", { params: id(v) }),
    };
    this.routes = {
      list: (query) => http.call("routes.list", "listRoutes", { query }),
      iterate: (query) => http.pages("routes.iterate", "listRoutes", query) as AsyncGenerator<T.Route>,
      create: (body) => http.call("routes.create", "createRoute", { body }),
      delete: (v) => http.call("routes.delete", "deleteRoute", { params: id(v) }).then(none),
    };
    this.deliveries = {
      list: (query) => http.call("deliveries.list", "listDeliveries", { query }),
      iterate: (query) =>
        http.pages("deliveries.iterate", "listDeliveries", query) as AsyncGenerator<T.DeliveryPage["data"][number]>,
      get: (v) => http.call("deliveries.get", "getDelivery", { params: id(v) }),
      retry: (v) => http.call("deliveries.retry", "retryDelivery", { params: id(v) }),
      retryMany: (body) => http.call("deliveries.retryMany", "retryDeliveries", { body }),
    };
    this.apiTokens = {
      list: () => http.call("apiTokens.list", "listApiTokens"),
      create: (body) => http.call("apiTokens.create", "createApiToken", { body }),
      delete: (v) => http.call("apiTokens.delete", "deleteApiToken", { params: id(v) }).then(none),
    };
    this.members = {
      list: () => http.call("members.list", "listMembers"),
      invite: (body) => http.call("members.invite", "inviteMember", { body }),
      update: (v, patch) => http.call("members.update", "updateMember", { params: id(v), body: patch }),
      remove: (v) => http.call("members.remove", "removeMember", { params: id(v) }).then(none),
      reinvite: (v) => http.call("members.reinvite", "reinviteMember", { params: id(v) }),
    };
    this.org = {
      get: () => http.call("org.get", "getOrgSettings"),
      update: (patch) => http.call("org.update", "updateOrgSettings", { body: patch }),
    };
    this.secrets = {
      list: () => http.call("secrets.list", "listSecrets"),
      put: (name, body) => http.call("secrets.put", "putSecret", { params: { name }, body }),
      delete: (name) => http.call("secrets.delete", "deleteSecret", { params: { name } }).then(none),
    };
    this.flowVersions = {
      list: (query) => http.call("flowVersions.list", "listFlowVersions", { query }),
      iterate: (query) =>
        http.pages("flowVersions.iterate", "listFlowVersions", query) as AsyncGenerator<T.FlowVersionPage["data"][number]>,
      get: (v) => http.call("flowVersions.get", "getFlowVersion", { params: id(v) }),
      upload: (body) => http.call("flowVersions.upload", "uploadFlowVersion", { body }),
      evidence: (v) => http.call("flowVersions.evidence", "getFlowVersionEvidence", { params: id(v) }),
      approve: (v, body = {}) => http.call("flowVersions.approve", "approveFlowVersion", { params: id(v), body }),
      apply: (v) => http.call("flowVersions.apply", "applyFlowVersion", { params: id(v) }),
      files: (v) => http.call("flowVersions.files", "getFlowVersionFiles", { params: id(v) }),
    };
    this.providerflow = {
      validate: (body) => http.call("providerflow.validate", "validateFlowPackage", { body }),
      test: (body) => http.call("providerflow.test", "testFlowPackage", { body }),
      template: (body) => http.call("providerflow.template", "flowTemplate", { body }),
      plan: (body) => http.call("providerflow.plan", "planFlowPackage", { body }),
      apply: (body) => http.call("providerflow.apply", "applyFlowPackage", { body }),
    };
  }

  /** The base URL this client calls. */
  get url(): string {
    return this.#http.url;
  }

  toJSON(): Record<string, unknown> {
    return this.#http.toJSON();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `ProvenanceApi ${JSON.stringify(this.toJSON())}`;
  }
}

/** A client for the management API: explicit options first, else PROVENANCE_URL, PROVENANCE_TOKEN and PROVENANCE_ORG. */
async function api(options: ProvenanceOptions = {}): Promise<ProvenanceApi> {
  return new ProvenanceApi(options);
}

export const provenance = { api, ProvenanceError };

export default provenance;

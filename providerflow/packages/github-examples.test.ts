// The github-pushes package over GitHub events beyond its fixtures: each request is
// what GitHub sends (the X-GitHub-Event and X-GitHub-Delivery headers, the body
// signed with `sign` from @octokit/webhooks-methods under the sandbox secret), run
// through the package's sandbox in memory. Each event must land on its own event's
// flow, or on none (200, no interaction); never on the flow of another event, even
// when the bodies have the same shape (pull_request, pull_request_review and
// pull_request_review_comment all carry `action` and `pull_request`).
//
// The bodies are GitHub's documented payloads
// (https://docs.github.com/en/webhooks/webhook-events-and-payloads), trimmed to the
// fields that identify the event. The last block runs every payload in
// @octokit/webhooks-examples (a dev dependency: the community's captured examples of
// every event type GitHub documents), each under its own event name.

import { readFileSync } from "node:fs";
import path from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { beforeAll, describe, expect, test } from "vitest";
import { readFixture } from "../fixture";
import { loadPackage } from "../load-package";
import { createSandbox, type Sandbox, type SandboxResult, type TraceStage } from "../sandbox";
import { validatePackage } from "../validate-package";

const HERE = import.meta.dirname;
const PACKAGE = path.join(HERE, "github-pushes");
const SECRETS: Record<string, string> = JSON.parse(readFileSync(path.join(HERE, "sandbox-secrets.json"), "utf8"));
const EXAMPLES_INDEX = path.resolve(HERE, "../../node_modules/@octokit/webhooks-examples/api.github.com/index.json");

/** The flow each event may land on, and the interaction it makes there. Events not listed land on none. */
const FLOW_OF: Readonly<Record<string, { flow: string; resourceType: string }>> = {
  push: { flow: "pushes", resourceType: "push" },
  pull_request: { flow: "pull-requests", resourceType: "pull-request" },
  pull_request_review: { flow: "pull-request-reviews", resourceType: "pull-request-review" },
};

// ---------------------------------------------------------------------------------
// Bodies.

const owner = { login: "octo-org", id: 6811672, type: "Organization" };
const repository = {
  id: 821635401,
  name: "octo-repo",
  full_name: "octo-org/octo-repo",
  private: true,
  owner,
  html_url: "https://github.com/octo-org/octo-repo",
  default_branch: "main",
};
const octocat = { login: "octocat", id: 583231, type: "User" };
const hubot = { login: "hubot", id: 2198401, type: "User" };

const HEAD = "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5";
const BASE = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const ZERO = "0000000000000000000000000000000000000000";

const commit = {
  id: HEAD,
  tree_id: "a1d4e3c6b9f0821e7d5c4b3a29180f6e5d4c3b2a",
  distinct: true,
  message: "Fix the login redirect loop",
  timestamp: "2024-12-31T23:58:41Z",
  author: { name: "Mona Lisa Octocat", email: "octocat@example.com", username: "octocat" },
  added: [],
  removed: [],
  modified: ["app/login/redirect.ts"],
};

function push(overrides: Record<string, unknown> = {}) {
  return {
    ref: "refs/heads/main",
    before: BASE,
    after: HEAD,
    repository,
    pusher: { name: "octocat", email: "octocat@example.com" },
    sender: octocat,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: "https://github.com/octo-org/octo-repo/compare/6113728f27ae...59b20b8d5c6f",
    commits: [commit],
    head_commit: commit,
    ...overrides,
  };
}

function pullRequest(overrides: Record<string, unknown> = {}) {
  return {
    id: 2251799813,
    number: 42,
    state: "open",
    title: "Fix the login redirect loop",
    user: octocat,
    draft: false,
    merged: false,
    merged_at: null,
    head: { label: "octo-org:fix-login-redirect", ref: "fix-login-redirect", sha: HEAD },
    base: { label: "octo-org:main", ref: "main", sha: BASE },
    html_url: "https://github.com/octo-org/octo-repo/pull/42",
    ...overrides,
  };
}

const prEvent = (action: string, pr: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  action,
  number: 42,
  pull_request: pullRequest(pr),
  repository,
  sender: octocat,
  ...extra,
});

function review(state: string, overrides: Record<string, unknown> = {}) {
  return {
    id: 2468013579,
    user: hubot,
    body: "Checked the redirect with a deep link: fixed.",
    commit_id: HEAD,
    submitted_at: "2025-01-01T01:30:00Z",
    state,
    html_url: "https://github.com/octo-org/octo-repo/pull/42#pullrequestreview-2468013579",
    author_association: "MEMBER",
    ...overrides,
  };
}

const issue = (action: string, state: string, extra: Record<string, unknown> = {}) => ({
  action,
  issue: {
    id: 2790145531,
    number: 57,
    title: "Login page loops after a deep link",
    user: octocat,
    state,
    labels: [],
    comments: 0,
    html_url: "https://github.com/octo-org/octo-repo/issues/57",
    ...extra,
  },
  repository,
  sender: octocat,
});

type Case = {
  name: string;
  event: string;
  body: unknown;
  /** The interaction's action when the event lands on its flow; null when it lands on none. */
  action: string | null;
};

const CASES: Case[] = [
  { name: "push to main", event: "push", body: push(), action: "pushed" },
  {
    name: "push of a new tag",
    event: "push",
    body: push({ ref: "refs/tags/v2025.1.0", before: ZERO, created: true, base_ref: "refs/heads/main", commits: [] }),
    action: "pushed",
  },
  {
    name: "push deleting a branch",
    event: "push",
    body: push({
      ref: "refs/heads/fix-login-redirect",
      before: HEAD,
      after: ZERO,
      deleted: true,
      commits: [],
      head_commit: null,
    }),
    action: null,
  },
  { name: "pull_request opened", event: "pull_request", body: prEvent("opened"), action: "opened" },
  {
    name: "pull_request closed (merged)",
    event: "pull_request",
    body: prEvent(
      "closed",
      { state: "closed", merged: true, merged_at: "2025-01-01T02:00:00Z", merged_by: hubot },
      { sender: hubot },
    ),
    action: "closed",
  },
  {
    name: "pull_request labeled",
    event: "pull_request",
    body: prEvent("labeled", {}, { label: { id: 7180112, name: "bug", color: "d73a4a" } }),
    action: null,
  },
  {
    name: "pull_request_review submitted",
    event: "pull_request_review",
    body: { action: "submitted", review: review("approved"), pull_request: pullRequest(), repository, sender: hubot },
    action: "submitted",
  },
  {
    name: "pull_request_review dismissed",
    event: "pull_request_review",
    body: { action: "dismissed", review: review("dismissed"), pull_request: pullRequest(), repository, sender: octocat },
    action: null,
  },
  {
    name: "pull_request_review_comment created",
    event: "pull_request_review_comment",
    body: {
      action: "created",
      comment: {
        id: 1901234567,
        pull_request_review_id: 2467990012,
        path: "app/login/redirect.ts",
        commit_id: HEAD,
        original_commit_id: HEAD,
        user: hubot,
        body: "Could this loop if `next` is /login itself?",
        created_at: "2025-01-01T01:15:00Z",
        line: 15,
        side: "RIGHT",
      },
      pull_request: pullRequest(),
      repository,
      sender: hubot,
    },
    action: null,
  },
  {
    name: "pull_request_review_thread resolved",
    event: "pull_request_review_thread",
    body: {
      action: "resolved",
      thread: { node_id: "PRRT_kwDOMPkAyc5Aq9Zx", comments: [{ id: 1901234567, user: hubot, body: "Could this loop?" }] },
      pull_request: pullRequest(),
      repository,
      sender: octocat,
    },
    action: null,
  },
  {
    name: "issue_comment created on a pull request",
    event: "issue_comment",
    body: {
      action: "created",
      // A pull request is an issue too: its comments come as issue_comment, with issue.pull_request.
      issue: {
        ...issue("created", "open").issue,
        id: 2251799813,
        number: 42,
        title: "Fix the login redirect loop",
        pull_request: {
          url: "https://api.github.com/repos/octo-org/octo-repo/pulls/42",
          html_url: "https://github.com/octo-org/octo-repo/pull/42",
          merged_at: null,
        },
      },
      comment: { id: 2567890123, user: hubot, body: "Deployed to staging.", created_at: "2025-01-01T01:40:00Z" },
      repository,
      sender: hubot,
    },
    action: null,
  },
  // issues has action opened and closed, as pull_request does.
  { name: "issues opened", event: "issues", body: issue("opened", "open"), action: null },
  { name: "issues closed", event: "issues", body: issue("closed", "closed", { state_reason: "completed" }), action: null },
  {
    name: "check_run completed",
    event: "check_run",
    body: {
      action: "completed",
      check_run: {
        id: 33224567890,
        name: "build",
        head_sha: HEAD,
        status: "completed",
        conclusion: "success",
        started_at: "2025-01-01T00:31:00Z",
        completed_at: "2025-01-01T00:34:12Z",
        pull_requests: [
          { id: 2251799813, number: 42, head: { ref: "fix-login-redirect", sha: HEAD }, base: { ref: "main", sha: BASE } },
        ],
        app: { id: 15368, slug: "github-actions" },
      },
      repository,
      sender: octocat,
    },
    action: null,
  },
  {
    name: "check_suite completed",
    event: "check_suite",
    body: {
      action: "completed",
      check_suite: {
        id: 31144556677,
        head_branch: "fix-login-redirect",
        head_sha: HEAD,
        status: "completed",
        conclusion: "success",
        before: BASE,
        after: HEAD,
        pull_requests: [{ id: 2251799813, number: 42 }],
        app: { id: 15368, slug: "github-actions" },
      },
      repository,
      sender: octocat,
    },
    action: null,
  },
  {
    name: "workflow_run completed",
    event: "workflow_run",
    body: {
      action: "completed",
      workflow_run: {
        id: 12600112233,
        name: "CI",
        head_branch: "fix-login-redirect",
        head_sha: HEAD,
        event: "pull_request",
        status: "completed",
        conclusion: "success",
        pull_requests: [{ id: 2251799813, number: 42 }],
      },
      workflow: { id: 98765432, name: "CI", path: ".github/workflows/ci.yml" },
      repository,
      sender: octocat,
    },
    action: null,
  },
  {
    name: "status (a commit status)",
    event: "status",
    body: {
      id: 31415926535,
      sha: HEAD,
      name: "octo-org/octo-repo",
      context: "ci/deploy-preview",
      state: "success",
      description: "Preview ready",
      target_url: "https://preview.example.com/pr-42",
      branches: [{ name: "fix-login-redirect", commit: { sha: HEAD } }],
      created_at: "2025-01-01T00:35:00Z",
      repository,
      sender: octocat,
    },
    action: null,
  },
  {
    // create has `ref` (and no `after`), as push has.
    name: "create (a branch)",
    event: "create",
    body: {
      ref: "fix-login-redirect",
      ref_type: "branch",
      master_branch: "main",
      description: "The octo-org web app",
      pusher_type: "user",
      repository,
      sender: octocat,
    },
    action: null,
  },
  {
    name: "delete (a branch)",
    event: "delete",
    body: { ref: "fix-login-redirect", ref_type: "branch", pusher_type: "user", repository, sender: octocat },
    action: null,
  },
  {
    name: "ping",
    event: "ping",
    body: {
      zen: "Design for failure.",
      hook_id: 512903876,
      hook: {
        type: "Repository",
        id: 512903876,
        name: "web",
        active: true,
        events: ["pull_request", "pull_request_review", "push"],
      },
      repository,
      sender: octocat,
    },
    action: null,
  },
  {
    // Not something GitHub sends: a pull_request opened body, byte for byte, under
    // another event's header. Only the header differs from "pull_request opened".
    name: "a pull_request opened body under X-GitHub-Event pull_request_review_comment",
    event: "pull_request_review_comment",
    body: prEvent("opened"),
    action: null,
  },
];

// ---------------------------------------------------------------------------------
// Running a request through the package's sandbox.

let sandbox: Sandbox;
let contract: Parameters<typeof readFixture>[2];

beforeAll(async () => {
  const loaded = await loadPackage(PACKAGE);
  if (!loaded.ok) throw new Error(`github-pushes did not load: ${JSON.stringify(loaded.findings)}`);
  const validation = validatePackage(loaded.files);
  if (!validation.checked) throw new Error(`github-pushes is not valid: ${JSON.stringify(validation.errors)}`);
  contract = validation.checked.package.contract;
  sandbox = createSandbox(validation.checked.package, validation.checked.compiled, (ref) => SECRETS[ref]);
});

type Sent = { result: SandboxResult; trace: TraceStage[]; selected: string | null };

let deliveries = 0;
/** A delivery id shaped like GitHub's (a version 1 UUID), distinct per request unless given. */
const nextDelivery = () => `6c1e2a50-c7e1-11ef-8a1e-${String(++deliveries).padStart(12, "0")}`;

/** Sends a body as GitHub does: compact JSON, X-GitHub-Event (unless null), X-GitHub-Delivery and X-Hub-Signature-256. */
async function send(
  event: string | null,
  body: unknown,
  opts: { delivery?: string; receivedAt?: string; secret?: string } = {},
): Promise<Sent> {
  const payload = JSON.stringify(body);
  const headers: Record<string, string> = {
    Accept: "*/*",
    "Content-Type": "application/json",
    "User-Agent": "GitHub-Hookshot/8a3c5e1",
    "X-GitHub-Delivery": opts.delivery ?? nextDelivery(),
    "X-GitHub-Hook-ID": "512903876",
    "X-GitHub-Hook-Installation-Target-ID": "821635401",
    "X-GitHub-Hook-Installation-Target-Type": "repository",
    "X-Hub-Signature-256": await sign(opts.secret ?? (SECRETS.GITHUB_WEBHOOK_SECRET as string), payload),
  };
  if (event !== null) headers["X-GitHub-Event"] = event;
  // The fixture format itself (fixture.ts), so the request is read as a fixture file would be.
  const file = { headers, body, receivedAt: opts.receivedAt ?? "2025-01-01T00:00:00Z" };
  const read = readFixture("fixtures/example.json", Buffer.from(JSON.stringify(file)), contract);
  if (!read.ok) throw new Error(`request did not read: ${JSON.stringify(read.findings)}`);
  const run = await sandbox.run(read.fixture);
  if (!run.ran) throw new Error(`request did not run: ${run.finding.message}`);
  const selection = run.trace.find((s) => s.stage === "mappingSelection");
  return { result: run.result, trace: run.trace, selected: (selection?.detail.selected as string | null | undefined) ?? null };
}

function stage(trace: TraceStage[], name: string): TraceStage | undefined {
  return trace.find((s) => s.stage === name);
}

// ---------------------------------------------------------------------------------

describe("github-pushes over GitHub events, each signed and sent with its X-GitHub-Event", () => {
  test("the list covers at least 8 event types, and events with and without a flow", () => {
    expect(new Set(CASES.map((c) => c.event)).size).toBeGreaterThanOrEqual(8);
    for (const event of Object.keys(FLOW_OF)) {
      expect(
        CASES.some((c) => c.event === event && c.action !== null),
        event,
      ).toBe(true);
      expect(
        CASES.some((c) => c.event === event && c.action === null),
        event,
      ).toBe(true);
    }
  });

  test.each(CASES)("$name ($event)", async ({ event, body, action }) => {
    const { result, trace, selected } = await send(event, body);
    // Signed by GitHub's library with the webhook's secret, sent as written, and verified.
    expect(stage(trace, "signature")).toMatchObject({ outcome: "pass", detail: { signedBy: "fixture" } });
    expect(result.status).toBe(200);

    if (action === null) {
      expect(selected).toBeNull();
      expect(result.body).toMatchObject({ message: "No matching mapping found" });
      expect(result.interaction).toBeNull();
      expect(result.deliveries).toEqual([]);
      return;
    }
    const own = FLOW_OF[event];
    if (!own) throw new Error(`${event} has no flow in FLOW_OF`);
    expect(selected).toBe(own.flow);
    expect(result.interaction).toMatchObject({ resourceType: own.resourceType, action });
    // Deduplicated on the delivery, which is also kept as metadata.
    const delivery = (stage(trace, "request")?.detail.headers as Record<string, string>)["x-github-delivery"];
    expect(result.interaction?.idempotencyKey).toBe(delivery);
    expect(result.interaction?.object._deliveryId).toBe(delivery);
    expect(result.deliveries.map((d) => d.target)).toEqual(event === "push" ? ["ci-dashboard", "audit-log"] : ["ci-dashboard"]);
  });

  test("no flow takes an event other than its own", async () => {
    const landed: [string, string | null][] = [];
    for (const c of CASES) landed.push([c.event, (await send(c.event, c.body)).selected]);
    for (const [event, flow] of landed) {
      if (flow !== null) expect(FLOW_OF[event]?.flow, `${event} landed on ${flow}`).toBe(flow);
    }
    // Each flow is reached by its own event, and by no other.
    for (const { flow } of Object.values(FLOW_OF)) expect(landed.filter(([, f]) => f === flow).length).toBeGreaterThan(0);
  });

  test("the same body under two event headers lands on two flows: the header decides", async () => {
    const body = { action: "submitted", review: review("commented"), pull_request: pullRequest(), repository, sender: hubot };
    expect((await send("pull_request_review", body)).selected).toBe("pull-request-reviews");
    expect((await send("pull_request_review_comment", body)).selected).toBeNull();
    expect((await send("pull_request", body)).selected).toBeNull(); // action submitted is not opened or closed
    const opened = prEvent("opened");
    expect((await send("pull_request", opened)).selected).toBe("pull-requests");
    expect((await send("pull_request_review", opened)).selected).toBeNull(); // action opened is not submitted
    expect((await send("issues", opened)).selected).toBeNull();
  });

  test("without X-GitHub-Event, nothing is selected", async () => {
    const { result, selected } = await send(null, prEvent("opened"));
    expect(selected).toBeNull();
    expect(result.body).toMatchObject({ message: "No matching mapping found" });
  });

  test("a redelivery (GitHub's Redeliver: the same X-GitHub-Delivery, signed again later) has the original's key", async () => {
    // The sandbox runs each request on an empty store, so the second is not refused here;
    // it carries the same idempotency key, which the store's unique index refuses as a
    // duplicate (tests/request-paths.integration.test.ts shows it with a PostgreSQL store).
    const delivery = "a8c2e4f0-c7e5-11ef-9b3d-6e1f0a2c4d58";
    const first = await send("pull_request", prEvent("opened"), { delivery, receivedAt: "2025-01-01T00:30:00Z" });
    const again = await send("pull_request", prEvent("opened"), { delivery, receivedAt: "2025-01-01T04:12:09Z" });
    expect(first.result.interaction?.idempotencyKey).toBe(delivery);
    expect(again.result.interaction?.idempotencyKey).toBe(delivery);
    expect(again.result.interaction?.resourceId).toBe(first.result.interaction?.resourceId);
    // Another delivery of the same event is another key.
    const other = await send("pull_request", prEvent("opened"));
    expect(other.result.interaction?.idempotencyKey).not.toBe(delivery);
  });

  test("signed with another key, an event is refused before any flow is tried (401)", async () => {
    const { result, trace } = await send("push", push(), { secret: "not-the-webhook-secret" });
    expect(result).toMatchObject({ status: 401, body: { error: "Signature verification failed" }, interaction: null });
    expect(stage(trace, "mappingSelection")?.outcome).not.toBe("pass");
  });
});

describe("github-pushes over @octokit/webhooks-examples (every event type GitHub documents)", () => {
  type Group = { name: string; examples: Record<string, unknown>[] };
  const groups: Group[] = JSON.parse(readFileSync(EXAMPLES_INDEX, "utf8"));
  const examples = groups.flatMap((g) => g.examples.map((body, i) => [`${g.name} #${i}`, g.name, body] as const));
  /** Whether the package's own filter wants this example (so it must land on its event's flow). */
  const wanted = (event: string, body: Record<string, unknown>): boolean =>
    (event === "push" && body.deleted === false) ||
    (event === "pull_request" && (body.action === "opened" || body.action === "closed")) ||
    (event === "pull_request_review" && body.action === "submitted");

  test("the collection is broad: dozens of event types, including the three the package maps", () => {
    expect(groups.length).toBeGreaterThanOrEqual(50);
    for (const event of Object.keys(FLOW_OF))
      expect(
        examples.some(([, e, b]) => e === event && wanted(e, b)),
        event,
      ).toBe(true);
  });

  test.each(examples)("%s lands on its own event's flow or on none", async (_label, event, body) => {
    const { result, selected } = await send(event, body);
    // Signed as GitHub signs and verified: never refused, never a server error.
    expect(result.status).toBe(200);
    if (wanted(event, body)) {
      expect(selected).toBe(FLOW_OF[event]?.flow);
      expect(result.interaction).toMatchObject({ resourceType: FLOW_OF[event]?.resourceType });
    } else {
      expect(selected, `${event} (${String(body.action ?? "no action")}) landed on ${selected}`).toBeNull();
      expect(result.interaction).toBeNull();
    }
  });
});

#!/usr/bin/env node
// Writes the fixtures of the example packages, signed the way each provider signs
// (ordinary fixtures are written unsigned and signed by each run; see fixtureFile):
//
//   node providerflow/packages/generate-fixtures.mjs [--check] [package ...]
//
// --check writes nothing and exits 1 when a fixture on disk differs from its source here.
// --library-signatures prints, as JSON, the signature headers the providers' libraries
// make for every fixture written without one (the packages' test compares them with
// the sandbox's own signing).
//
// - Stripe: `Stripe.webhooks.generateTestHeaderString` (the stripe SDK).
// - GitHub: `sign` from @octokit/webhooks-methods (X-Hub-Signature-256).
// - Standard Webhooks: `Webhook.sign` from the standardwebhooks library.
// - Shopify and Slack publish no signing library; their documented algorithms are
//   spelled out below (Shopify: base64 HMAC-SHA256 of the body; Slack: hex
//   HMAC-SHA256 of "v0:<timestamp>:<body>").
//
// Secrets come from providerflow/packages/sandbox-secrets.json (test values only; a
// package never holds one). Every signature is made at the fixture's `receivedAt`
// (the sandbox clock), so timestamp checks pass or fail the same way on every run.
// An object body is signed as JSON.stringify(body), exactly what the sandbox sends.
//
// The output is deterministic: running it twice writes identical bytes. After a
// change here, run `npx providerflow test <package> --update --secrets
// providerflow/packages/sandbox-secrets.json` and review the goldens it rewrites.

import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sign as signGithub } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";

const HERE = import.meta.dirname;
const SECRETS = JSON.parse(readFileSync(path.join(HERE, "sandbox-secrets.json"), "utf8"));

/**
 * A key that is deliberately NOT the endpoint's secret, for fixtures that show a forged
 * request. Not a secret of anything, so it is written here rather than in the secrets file.
 */
const WRONG_SECRET_NAME = "(a key that is not the endpoint's secret)";
const WRONG_SECRET = "forged-by-someone-without-the-secret";

function secret(name) {
  if (name === WRONG_SECRET_NAME) return WRONG_SECRET;
  const value = SECRETS[name];
  if (typeof value !== "string" || value === "") throw new Error(`sandbox-secrets.json has no ${name}`);
  return value;
}

/** Unix seconds of an ISO time. */
const unix = (iso) => Math.floor(Date.parse(iso) / 1000);

/** The bytes the sandbox sends for a fixture body (providerflow.md §9). */
const wire = (body) => (typeof body === "string" ? body : JSON.stringify(body));

/** A deep copy with one change applied: what a body looks like after tampering. */
function tampered(body, change) {
  const copy = structuredClone(body);
  change(copy);
  return copy;
}

// ---------------------------------------------------------------------------------
// Signers. Each returns the headers that carry the signature.

function stripeHeaders(body, { at, signedAt = at, secretName = "STRIPE_WEBHOOK_SECRET" }) {
  const header = Stripe.webhooks.generateTestHeaderString({
    payload: wire(body),
    secret: secret(secretName),
    timestamp: unix(signedAt),
  });
  return { "stripe-signature": header };
}

async function githubHeaders(body, { secretName = "GITHUB_WEBHOOK_SECRET" } = {}) {
  return { "x-hub-signature-256": await signGithub(secret(secretName), wire(body)) };
}

/** Shopify: base64 HMAC-SHA256 of the raw body with the app's client secret. */
function shopifyHeaders(body, { secretName = "SHOPIFY_WEBHOOK_SECRET" } = {}) {
  const digest = createHmac("sha256", secret(secretName)).update(wire(body), "utf8").digest("base64");
  return { "x-shopify-hmac-sha256": digest };
}

/** Slack: v0= hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<body>" with the signing secret. */
function slackHeaders(body, { at, signedAt = at, secretName }) {
  secretName ??= "SLACK_SIGNING_SECRET";
  const ts = String(unix(signedAt));
  const digest = createHmac("sha256", secret(secretName))
    .update(`v0:${ts}:${wire(body)}`, "utf8")
    .digest("hex");
  return { "x-slack-request-timestamp": ts, "x-slack-signature": `v0=${digest}` };
}

/** Standard Webhooks: one `v1,<base64>` per secret, space-separated (key rotation). */
function standardWebhooksHeaders(body, { at, msgId, secretNames = ["SENDER_WEBHOOK_SECRET"] }) {
  const timestamp = new Date(unix(at) * 1000);
  const signatures = secretNames.map((name) => new Webhook(secret(name)).sign(msgId, timestamp, wire(body)));
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(unix(at)),
    "webhook-signature": signatures.join(" "),
  };
}

// ---------------------------------------------------------------------------------
// stripe-payments: event shapes from https://docs.stripe.com/api/events/object and the
// PaymentIntent / Charge objects of API version 2024-12-18.acacia.

const STRIPE_REQUEST_HEADERS = {
  accept: "*/*; q=0.5, application/xml",
  "cache-control": "no-cache",
  "content-type": "application/json; charset=utf-8",
  "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
};

function stripeEvent({ id, type, created, object, requestId = null, idempotencyKey = null }) {
  return {
    id,
    object: "event",
    api_version: "2024-12-18.acacia",
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: requestId, idempotency_key: idempotencyKey },
    type,
  };
}

function paymentIntent(overrides) {
  return {
    id: "pi_3QbNx2LkdIwHu7ix0YkJm7Qa",
    object: "payment_intent",
    amount: 4999,
    amount_capturable: 0,
    amount_received: 4999,
    application: null,
    capture_method: "automatic_async",
    confirmation_method: "automatic",
    created: 1735689590,
    currency: "usd",
    customer: "cus_RUi8bq4ZpNcW1d",
    description: "Order #1042",
    last_payment_error: null,
    latest_charge: "ch_3QbNx2LkdIwHu7ix0Wq1rT5e",
    livemode: false,
    metadata: { order_id: "1042", user_id: "user_8842" },
    payment_method: "pm_1QbNx1LkdIwHu7ixVb3sQd8K",
    payment_method_types: ["card"],
    receipt_email: "jenny.rosen@example.com",
    status: "succeeded",
    ...overrides,
  };
}

const stripeSucceeded = stripeEvent({
  id: "evt_3QbNx2LkdIwHu7ix0hE4sXqZ",
  type: "payment_intent.succeeded",
  created: 1735689598,
  requestId: "req_Pz3hVb7YkQ2mNa",
  idempotencyKey: "0f3b8c1e-6d2a-4f57-9a1e-3c8d2b7e5f40",
  object: paymentIntent({}),
});

const stripeFailed = stripeEvent({
  id: "evt_3QbO2nLkdIwHu7ix1Cq8LmVd",
  type: "payment_intent.payment_failed",
  created: 1735689898,
  requestId: "req_Wd8kLq1ZsT4bHe",
  idempotencyKey: "9b1e7d44-2c5f-4a0e-8f61-7d3a9c2e1b08",
  object: paymentIntent({
    id: "pi_3QbO2nLkdIwHu7ix1aTzP4Hk",
    amount: 12000,
    amount_received: 0,
    created: 1735689895,
    customer: "cus_RUiDx7Kf2LmQpz",
    description: "Order #1043",
    last_payment_error: {
      code: "card_declined",
      decline_code: "insufficient_funds",
      doc_url: "https://stripe.com/docs/error-codes/card-declined",
      message: "Your card has insufficient funds.",
      type: "card_error",
    },
    latest_charge: "ch_3QbO2nLkdIwHu7ix1Hn6VbYc",
    metadata: { order_id: "1043", user_id: "user_9017" },
    payment_method: null,
    receipt_email: null,
    status: "requires_payment_method",
  }),
});

const stripeRefunded = stripeEvent({
  id: "evt_3QbNx2LkdIwHu7ix0pR9cVfJ",
  type: "charge.refunded",
  created: 1735693198,
  requestId: "req_Ab4nXc9PqR2sTu",
  idempotencyKey: "c2d9e7a1-5b3f-4e8c-a6d0-1f9b8e7c3a52",
  object: {
    id: "ch_3QbNx2LkdIwHu7ix0Wq1rT5e",
    object: "charge",
    amount: 4999,
    amount_captured: 4999,
    amount_refunded: 1500,
    balance_transaction: "txn_3QbNx2LkdIwHu7ix0s4KdP1m",
    captured: true,
    created: 1735689592,
    currency: "usd",
    customer: "cus_RUi8bq4ZpNcW1d",
    description: "Order #1042",
    disputed: false,
    livemode: false,
    metadata: { order_id: "1042", user_id: "user_8842" },
    paid: true,
    payment_intent: "pi_3QbNx2LkdIwHu7ix0YkJm7Qa",
    payment_method: "pm_1QbNx1LkdIwHu7ixVb3sQd8K",
    receipt_email: "jenny.rosen@example.com",
    refunded: false,
    status: "succeeded",
  },
});

const stripeCustomerCreated = stripeEvent({
  id: "evt_1QbO7sLkdIwHu7ixhQ3mR8Lp",
  type: "customer.created",
  created: 1735690198,
  requestId: "req_Lm2oPq8RsT1uVw",
  idempotencyKey: "4e8a1c7d-9f2b-4d3e-b5a6-0c1d2e3f4a5b",
  object: {
    id: "cus_RUiJv3Hq8NwXy2",
    object: "customer",
    created: 1735690198,
    email: "jenny.rosen@example.com",
    livemode: false,
    metadata: {},
    name: "Jenny Rosen",
  },
});

const stripeMissingCurrency = stripeEvent({
  id: "evt_3QbOCdLkdIwHu7ix2Fs7KpWn",
  type: "payment_intent.succeeded",
  created: 1735690498,
  requestId: "req_Rs5tUv2WxY3zAb",
  idempotencyKey: "7a6b5c4d-3e2f-4a1b-9c8d-e7f6a5b4c3d2",
  object: (() => {
    const pi = paymentIntent({
      id: "pi_3QbOCdLkdIwHu7ix2kLm9QrT",
      created: 1735690495,
      description: "Order #1044",
      latest_charge: "ch_3QbOCdLkdIwHu7ix2Vw4XyZa",
      metadata: { order_id: "1044", user_id: "user_8842" },
    });
    delete pi.currency;
    return pi;
  })(),
});

const stripeForTampering = stripeEvent({
  id: "evt_3QbOHfLkdIwHu7ix3Gt2NmXq",
  type: "payment_intent.succeeded",
  created: 1735690798,
  requestId: "req_Cd7eFg4HiJ5kLm",
  idempotencyKey: "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
  object: paymentIntent({
    id: "pi_3QbOHfLkdIwHu7ix3sDf8GhJ",
    amount: 2500,
    amount_received: 2500,
    created: 1735690795,
    description: "Order #1045",
    latest_charge: "ch_3QbOHfLkdIwHu7ix3Pq2RsTu",
    metadata: { order_id: "1045", user_id: "user_8842" },
  }),
});

const stripeReplayed = stripeEvent({
  id: "evt_3QbNx2LkdIwHu7ix0hE4sXqZ",
  type: "payment_intent.succeeded",
  created: 1735689598,
  requestId: "req_Pz3hVb7YkQ2mNa",
  idempotencyKey: "0f3b8c1e-6d2a-4f57-9a1e-3c8d2b7e5f40",
  object: paymentIntent({}),
});

const STRIPE = [
  {
    name: "payment-intent-succeeded",
    description: "payment_intent.succeeded: handled by flow payment-succeeded and delivered to the warehouse",
    receivedAt: "2025-01-01T00:00:00Z",
    body: stripeSucceeded,
    sign: (body, at) => stripeHeaders(body, { at }),
  },
  {
    name: "payment-intent-payment-failed",
    description: "payment_intent.payment_failed (card declined, insufficient funds): handled by flow payment-failed",
    receivedAt: "2025-01-01T00:05:00Z",
    body: stripeFailed,
    sign: (body, at) => stripeHeaders(body, { at }),
  },
  {
    name: "charge-refunded",
    description:
      "charge.refunded (a partial refund of 15.00 of 49.99): handled by flow charge-refunded, action read from the event type",
    receivedAt: "2025-01-01T01:00:00Z",
    body: stripeRefunded,
    sign: (body, at) => stripeHeaders(body, { at }),
  },
  {
    name: "customer-created",
    description: "customer.created: a valid, signed event no flow handles (200, no matching mapping, nothing delivered)",
    receivedAt: "2025-01-01T00:10:00Z",
    body: stripeCustomerCreated,
    sign: (body, at) => stripeHeaders(body, { at }),
  },
  {
    name: "payment-intent-missing-currency",
    description: "payment_intent.succeeded whose payment intent has no currency: the validate step refuses it (400)",
    receivedAt: "2025-01-01T00:15:00Z",
    body: stripeMissingCurrency,
    sign: (body, at) => stripeHeaders(body, { at }),
  },
  {
    name: "tampered-amount",
    description:
      "Signed by Stripe for an amount of 2500, then altered to 250000 on the way: the signature no longer matches the bytes (401)",
    receivedAt: "2025-01-01T00:20:00Z",
    body: tampered(stripeForTampering, (b) => {
      b.data.object.amount = 250000;
      b.data.object.amount_received = 250000;
    }),
    sign: (_body, at) => stripeHeaders(stripeForTampering, { at }),
    expectSignature: "invalid",
  },
  {
    name: "replayed-event",
    description:
      "The payment_intent.succeeded delivery of 00:00, captured and replayed two hours later: its signature is genuine but its signed timestamp is outside the 300 s tolerance (401 Event too old)",
    receivedAt: "2025-01-01T02:00:00Z",
    body: stripeReplayed,
    sign: (body, at) => stripeHeaders(body, { at, signedAt: "2025-01-01T00:00:00Z" }),
    expectSignature: "invalid",
  },
].map((f) => ({ ...f, headers: STRIPE_REQUEST_HEADERS }));

// ---------------------------------------------------------------------------------
// github-pushes: payloads as documented in "Webhook events and payloads"
// (https://docs.github.com/en/webhooks/webhook-events-and-payloads), trimmed to the
// fields a receiver typically reads.

function githubRequestHeaders(event, delivery) {
  return {
    accept: "*/*",
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/8a3c5e1",
    "x-github-delivery": delivery,
    "x-github-event": event,
    "x-github-hook-id": "512903876",
    "x-github-hook-installation-target-id": "821635401",
    "x-github-hook-installation-target-type": "repository",
  };
}

const octoOwner = {
  name: "octo-org",
  email: null,
  login: "octo-org",
  id: 6811672,
  node_id: "MDEyOk9yZ2FuaXphdGlvbjY4MTE2NzI=",
  type: "Organization",
  site_admin: false,
};

const octoRepo = {
  id: 821635401,
  node_id: "R_kgDOMPkAyQ",
  name: "octo-repo",
  full_name: "octo-org/octo-repo",
  private: true,
  owner: octoOwner,
  html_url: "https://github.com/octo-org/octo-repo",
  description: "The octo-org web app",
  fork: false,
  default_branch: "main",
  visibility: "private",
};

const octocat = { login: "octocat", id: 583231, node_id: "MDQ6VXNlcjU4MzIzMQ==", type: "User", site_admin: false };
const hubot = { login: "hubot", id: 2198401, node_id: "MDQ6VXNlcjIxOTg0MDE=", type: "User", site_admin: false };

const headCommit = {
  id: "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
  tree_id: "a1d4e3c6b9f0821e7d5c4b3a29180f6e5d4c3b2a",
  distinct: true,
  message: "Fix the login redirect loop",
  timestamp: "2024-12-31T23:58:41Z",
  url: "https://github.com/octo-org/octo-repo/commit/59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
  author: { name: "Mona Lisa Octocat", email: "octocat@example.com", username: "octocat" },
  committer: { name: "Mona Lisa Octocat", email: "octocat@example.com", username: "octocat" },
  added: [],
  removed: [],
  modified: ["app/login/redirect.ts"],
};

const githubPush = {
  ref: "refs/heads/main",
  before: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
  after: "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
  repository: { ...octoRepo, pushed_at: 1735689598 },
  pusher: { name: "octocat", email: "octocat@example.com" },
  sender: octocat,
  created: false,
  deleted: false,
  forced: false,
  base_ref: null,
  compare: "https://github.com/octo-org/octo-repo/compare/6113728f27ae...59b20b8d5c6f",
  commits: [headCommit],
  head_commit: headCommit,
};

const githubBranchDeleted = {
  ref: "refs/heads/fix-login-redirect",
  before: "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
  after: "0000000000000000000000000000000000000000",
  repository: { ...octoRepo, pushed_at: 1735690200 },
  pusher: { name: "octocat", email: "octocat@example.com" },
  sender: octocat,
  created: false,
  deleted: true,
  forced: false,
  base_ref: null,
  compare: "https://github.com/octo-org/octo-repo/compare/59b20b8d5c6f...000000000000",
  commits: [],
  head_commit: null,
};

function pullRequest(overrides) {
  return {
    url: "https://api.github.com/repos/octo-org/octo-repo/pulls/42",
    id: 2251799813,
    node_id: "PR_kwDOMPkAyc6GNoLq",
    html_url: "https://github.com/octo-org/octo-repo/pull/42",
    number: 42,
    state: "open",
    locked: false,
    title: "Fix the login redirect loop",
    user: octocat,
    body: "Users who sign in from a deep link were sent back to /login forever.",
    created_at: "2025-01-01T00:30:00Z",
    updated_at: "2025-01-01T00:30:00Z",
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    draft: false,
    head: {
      label: "octo-org:fix-login-redirect",
      ref: "fix-login-redirect",
      sha: "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
      user: octoOwner,
    },
    base: {
      label: "octo-org:main",
      ref: "main",
      sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      user: octoOwner,
    },
    author_association: "MEMBER",
    merged: false,
    mergeable: null,
    comments: 0,
    review_comments: 0,
    commits: 1,
    additions: 12,
    deletions: 3,
    changed_files: 1,
    ...overrides,
  };
}

const githubPrOpened = {
  action: "opened",
  number: 42,
  pull_request: pullRequest({}),
  repository: octoRepo,
  sender: octocat,
};

const githubPrClosed = {
  action: "closed",
  number: 42,
  pull_request: pullRequest({
    state: "closed",
    updated_at: "2025-01-01T02:00:00Z",
    closed_at: "2025-01-01T02:00:00Z",
    merged_at: "2025-01-01T02:00:00Z",
    merge_commit_sha: "e5bd3914e2e596debea16f433f57875b5b90bcd6",
    merged: true,
    mergeable: null,
    merged_by: hubot,
  }),
  repository: octoRepo,
  sender: hubot,
};

const githubPrSynchronize = {
  action: "synchronize",
  number: 42,
  before: "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
  after: "c0a9f1e2d3b4a5968778695a4b3c2d1e0f9a8b7c",
  pull_request: pullRequest({
    updated_at: "2025-01-01T01:00:00Z",
    head: {
      label: "octo-org:fix-login-redirect",
      ref: "fix-login-redirect",
      sha: "c0a9f1e2d3b4a5968778695a4b3c2d1e0f9a8b7c",
      user: octoOwner,
    },
    commits: 2,
    additions: 20,
  }),
  repository: octoRepo,
  sender: octocat,
};

const githubPing = {
  zen: "Design for failure.",
  hook_id: 512903876,
  hook: {
    type: "Repository",
    id: 512903876,
    name: "web",
    active: true,
    events: ["pull_request", "pull_request_review", "push"],
    config: {
      content_type: "json",
      insecure_ssl: "0",
      secret: "********",
      url: "https://provenance.example.com/api/inbound/acme/by-mnemonic/github-webhook",
    },
    created_at: "2024-12-31T23:50:00Z",
    updated_at: "2024-12-31T23:50:00Z",
  },
  repository: octoRepo,
  sender: octocat,
};

const githubReviewSubmitted = {
  action: "submitted",
  review: {
    id: 2468013579,
    node_id: "PRR_kwDOMPkAyc6TG5vL",
    user: hubot,
    body: "Checked the redirect with a deep link: fixed.",
    commit_id: "c0a9f1e2d3b4a5968778695a4b3c2d1e0f9a8b7c",
    submitted_at: "2025-01-01T01:30:00Z",
    state: "approved",
    html_url: "https://github.com/octo-org/octo-repo/pull/42#pullrequestreview-2468013579",
    pull_request_url: "https://api.github.com/repos/octo-org/octo-repo/pulls/42",
    author_association: "MEMBER",
  },
  pull_request: pullRequest({
    updated_at: "2025-01-01T01:30:00Z",
    head: {
      label: "octo-org:fix-login-redirect",
      ref: "fix-login-redirect",
      sha: "c0a9f1e2d3b4a5968778695a4b3c2d1e0f9a8b7c",
      user: octoOwner,
    },
  }),
  repository: octoRepo,
  sender: hubot,
};

// A single review comment on a line of #42. Its body has `action` and `pull_request`,
// like a pull_request event's; only X-GitHub-Event says it is not one.
const githubReviewCommentCreated = {
  action: "created",
  comment: {
    url: "https://api.github.com/repos/octo-org/octo-repo/pulls/comments/1901234567",
    pull_request_review_id: 2467990012,
    id: 1901234567,
    node_id: "PRRC_kwDOMPkAyc5xUq2H",
    diff_hunk: "@@ -12,7 +12,9 @@ export function redirectAfterLogin(",
    path: "app/login/redirect.ts",
    commit_id: "c0a9f1e2d3b4a5968778695a4b3c2d1e0f9a8b7c",
    original_commit_id: "c0a9f1e2d3b4a5968778695a4b3c2d1e0f9a8b7c",
    user: hubot,
    body: "Could this loop if `next` is /login itself?",
    created_at: "2025-01-01T01:15:00Z",
    updated_at: "2025-01-01T01:15:00Z",
    html_url: "https://github.com/octo-org/octo-repo/pull/42#discussion_r1901234567",
    pull_request_url: "https://api.github.com/repos/octo-org/octo-repo/pulls/42",
    author_association: "MEMBER",
    line: 15,
    side: "RIGHT",
  },
  pull_request: pullRequest({
    updated_at: "2025-01-01T01:15:00Z",
    head: {
      label: "octo-org:fix-login-redirect",
      ref: "fix-login-redirect",
      sha: "c0a9f1e2d3b4a5968778695a4b3c2d1e0f9a8b7c",
      user: octoOwner,
    },
  }),
  repository: octoRepo,
  sender: hubot,
};

// Every fixture carries X-GitHub-Event (which flow, if any, selects it) and
// X-GitHub-Delivery (the idempotency key). The sandbox runs each fixture on its own
// empty store, so a redelivery (the same X-GitHub-Delivery again) cannot be shown as a
// duplicate here; tests/request-paths.integration.test.ts shows it with a PostgreSQL store.
const GITHUB = [
  {
    name: "push-to-main",
    description: "push of one commit to main: flow pushes, delivered to the CI dashboard and the audit log",
    receivedAt: "2025-01-01T00:00:00Z",
    headers: githubRequestHeaders("push", "3f6a9c12-c7e1-11ef-8a1e-2b7d54c0f3a9"),
    body: githubPush,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "pull-request-opened",
    description: "pull_request opened (#42): flow pull-requests, action opened",
    receivedAt: "2025-01-01T00:30:00Z",
    headers: githubRequestHeaders("pull_request", "a8c2e4f0-c7e5-11ef-9b3d-6e1f0a2c4d58"),
    body: githubPrOpened,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "pull-request-closed-merged",
    description: "pull_request closed with merged true (#42 merged by hubot): flow pull-requests, action closed",
    receivedAt: "2025-01-01T02:00:00Z",
    headers: githubRequestHeaders("pull_request", "e1b7d3a5-c7f4-11ef-8c2a-9f4e3d2c1b0a"),
    body: githubPrClosed,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "pull-request-synchronize",
    description:
      "pull_request synchronize (new commits pushed to #42): its action is neither opened nor closed, so no flow handles it (200)",
    receivedAt: "2025-01-01T01:00:00Z",
    headers: githubRequestHeaders("pull_request", "c4d2f6b8-c7ec-11ef-a5e7-3d8b2c1f0e49"),
    body: githubPrSynchronize,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "pull-request-review-submitted",
    description:
      "pull_request_review submitted (hubot approves #42): flow pull-request-reviews, action submitted; its body has action and pull_request like a pull_request event",
    receivedAt: "2025-01-01T01:30:00Z",
    headers: githubRequestHeaders("pull_request_review", "5b9e1d27-c7f0-11ef-8d4c-0a7b6c5d4e3f"),
    body: githubReviewSubmitted,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "pull-request-review-comment-created",
    description:
      "pull_request_review_comment created (a comment on a line of #42): same body shape as a pull_request event, but X-GitHub-Event is pull_request_review_comment, so no flow handles it (200)",
    receivedAt: "2025-01-01T01:15:00Z",
    headers: githubRequestHeaders("pull_request_review_comment", "2d7c4a91-c7ee-11ef-9e5f-5b4a3c2d1e0f"),
    body: githubReviewCommentCreated,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "branch-deleted",
    description:
      "push with deleted true (branch fix-login-redirect deleted after the merge): flow pushes skips deletions (200, no matching mapping)",
    receivedAt: "2025-01-01T02:01:00Z",
    headers: githubRequestHeaders("push", "f7a3b9c1-c7f4-11ef-8e6b-1c0d9e8f7a6b"),
    body: githubBranchDeleted,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "ping",
    description: "ping, sent when the webhook is created: signed and accepted, no flow selects X-GitHub-Event ping (200, no matching mapping)",
    receivedAt: "2024-12-31T23:50:01Z",
    headers: githubRequestHeaders("ping", "0b5e7d3c-c7e0-11ef-8f1a-4a3b2c1d0e9f"),
    body: githubPing,
    sign: (body) => githubHeaders(body),
  },
  {
    name: "forged-push",
    description: "A push to main signed with a key other than the webhook's secret (a forged request): 401, nothing is delivered",
    receivedAt: "2025-01-01T03:00:00Z",
    headers: githubRequestHeaders("push", "9d8c7b6a-c7fc-11ef-9a8b-7c6d5e4f3a2b"),
    body: { ...githubPush, pusher: { name: "mallory", email: "mallory@example.net" } },
    sign: (body) => githubHeaders(body, { secretName: WRONG_SECRET_NAME }),
    expectSignature: "invalid",
  },
];

// ---------------------------------------------------------------------------------
// shopify-orders: orders/create, orders/paid and orders/updated payloads, shaped like the
// Order resource of the Admin REST API 2024-10
// (https://shopify.dev/docs/api/admin-rest/2024-10/resources/order), trimmed to the
// commonly read fields. The three topics send the same body; X-Shopify-Topic names the
// topic and X-Shopify-Webhook-Id the webhook (the same on Shopify's retries of it).

function shopifyRequestHeaders(topic, { webhookId, triggeredAt, eventId }) {
  return {
    accept: "*/*",
    "content-type": "application/json",
    "user-agent": "Shopify-Captain-Hook",
    "x-shopify-api-version": "2024-10",
    "x-shopify-event-id": eventId,
    "x-shopify-shop-domain": "example-shop.myshopify.com",
    "x-shopify-topic": topic,
    "x-shopify-triggered-at": triggeredAt,
    "x-shopify-webhook-id": webhookId,
  };
}

const shopifyAddress = {
  first_name: "Bob",
  last_name: "Norman",
  address1: "Chestnut Street 92",
  city: "Louisville",
  province: "Kentucky",
  province_code: "KY",
  zip: "40202",
  country: "United States",
  country_code: "US",
  phone: "+1-555-0100",
};

function lineItem(overrides) {
  return {
    id: 13946458669124,
    admin_graphql_api_id: "gid://shopify/LineItem/13946458669124",
    fulfillable_quantity: 1,
    fulfillment_service: "manual",
    gift_card: false,
    grams: 567,
    name: "IPod Nano - 8GB - Pink",
    price: "199.00",
    product_id: 632910392,
    quantity: 1,
    requires_shipping: true,
    sku: "IPOD2008PINK",
    taxable: true,
    title: "IPod Nano - 8GB",
    variant_id: 808950810,
    variant_title: "Pink",
    vendor: "Apple",
    ...overrides,
  };
}

function shopifyOrder(overrides) {
  return {
    id: 5891237650001,
    admin_graphql_api_id: "gid://shopify/Order/5891237650001",
    app_id: 580111,
    browser_ip: "203.0.113.24",
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    confirmation_number: "X7KQ2M9PT",
    confirmed: true,
    contact_email: "bob.norman@example.com",
    created_at: "2024-12-31T19:00:00-05:00",
    currency: "USD",
    current_subtotal_price: "398.00",
    current_total_price: "409.94",
    current_total_tax: "11.94",
    customer_locale: "en-US",
    email: "bob.norman@example.com",
    financial_status: "paid",
    fulfillment_status: null,
    name: "#1001",
    note: null,
    order_number: 1001,
    presentment_currency: "USD",
    processed_at: "2024-12-31T19:00:00-05:00",
    source_name: "web",
    subtotal_price: "398.00",
    tags: "",
    test: false,
    total_discounts: "0.00",
    total_line_items_price: "398.00",
    total_price: "409.94",
    total_tax: "11.94",
    total_weight: 1134,
    updated_at: "2024-12-31T19:00:01-05:00",
    billing_address: shopifyAddress,
    shipping_address: shopifyAddress,
    customer: {
      id: 7382910456001,
      email: "bob.norman@example.com",
      first_name: "Bob",
      last_name: "Norman",
      state: "enabled",
      verified_email: true,
      currency: "USD",
    },
    line_items: [lineItem({ quantity: 2, fulfillable_quantity: 2 })],
    payment_gateway_names: ["shopify_payments"],
    shipping_lines: [{ id: 4718205638721, code: "Standard", price: "0.00", source: "shopify", title: "Standard Shipping" }],
    ...overrides,
  };
}

const shopifyPaid = shopifyOrder({});

const shopifyPending = shopifyOrder({
  id: 5891237650002,
  admin_graphql_api_id: "gid://shopify/Order/5891237650002",
  confirmation_number: "Q4HV8N2RB",
  created_at: "2024-12-31T19:20:00-05:00",
  current_subtotal_price: "59.00",
  current_total_price: "64.00",
  current_total_tax: "5.00",
  financial_status: "pending",
  name: "#1002",
  order_number: 1002,
  processed_at: "2024-12-31T19:20:00-05:00",
  subtotal_price: "59.00",
  total_line_items_price: "59.00",
  total_price: "64.00",
  total_tax: "5.00",
  total_weight: 200,
  updated_at: "2024-12-31T19:20:01-05:00",
  customer: {
    id: 7382910456002,
    email: "ada.chen@example.com",
    first_name: "Ada",
    last_name: "Chen",
    state: "enabled",
    verified_email: true,
    currency: "USD",
  },
  contact_email: "ada.chen@example.com",
  email: "ada.chen@example.com",
  shipping_address: {
    ...shopifyAddress,
    first_name: "Ada",
    last_name: "Chen",
    city: "Portland",
    province: "Oregon",
    province_code: "OR",
    zip: "97201",
  },
  billing_address: {
    ...shopifyAddress,
    first_name: "Ada",
    last_name: "Chen",
    city: "Portland",
    province: "Oregon",
    province_code: "OR",
    zip: "97201",
  },
  line_items: [
    lineItem({
      id: 13946458669125,
      admin_graphql_api_id: "gid://shopify/LineItem/13946458669125",
      grams: 200,
      name: "Leather Notebook - A5",
      price: "59.00",
      product_id: 632910401,
      sku: "NOTEBOOK-A5-BRN",
      title: "Leather Notebook",
      variant_id: 808950822,
      variant_title: "A5 / Brown",
      vendor: "Example Goods",
    }),
  ],
  payment_gateway_names: ["Bank Deposit"],
});

const shopifyTestOrder = shopifyOrder({
  id: 820982911946154,
  admin_graphql_api_id: "gid://shopify/Order/820982911946154",
  confirmation_number: "TESTORDER",
  name: "#9999",
  order_number: 1234,
  test: true,
  payment_gateway_names: ["bogus"],
});

const shopifyCustomItem = shopifyOrder({
  id: 5891237650003,
  admin_graphql_api_id: "gid://shopify/Order/5891237650003",
  confirmation_number: "M2PX7KD4W",
  created_at: "2024-12-31T19:40:00-05:00",
  name: "#1003",
  order_number: 1003,
  processed_at: "2024-12-31T19:40:00-05:00",
  updated_at: "2024-12-31T19:40:01-05:00",
  line_items: [
    lineItem({}),
    lineItem({
      id: 13946458669127,
      admin_graphql_api_id: "gid://shopify/LineItem/13946458669127",
      grams: 0,
      name: "Gift wrapping",
      price: "199.00",
      product_id: null,
      sku: null,
      title: "Gift wrapping",
      variant_id: null,
      variant_title: null,
      vendor: null,
    }),
  ],
});

const shopifyForTampering = shopifyOrder({
  id: 5891237650004,
  admin_graphql_api_id: "gid://shopify/Order/5891237650004",
  confirmation_number: "H8TR3WQ6Z",
  created_at: "2024-12-31T19:50:00-05:00",
  name: "#1004",
  order_number: 1004,
  processed_at: "2024-12-31T19:50:00-05:00",
  updated_at: "2024-12-31T19:50:01-05:00",
});

// #1001 after the customer added a gift note: an orders/updated body, the same shape as
// orders/create and orders/paid, still financial_status paid.
const shopifyPaidUpdated = shopifyOrder({
  note: "Please gift wrap",
  tags: "gift",
  updated_at: "2024-12-31T19:30:00-05:00",
});

// #1002 once the bank deposit arrived: Shopify sends orders/paid.
const shopifyPendingNowPaid = {
  ...shopifyPending,
  financial_status: "paid",
  updated_at: "2025-01-01T10:00:00-05:00",
};

const SHOPIFY = [
  {
    name: "order-paid",
    description: "orders/paid for #1001 (2 × IPOD2008PINK, paid by card at checkout): flow paid-orders, delivered to fulfillment",
    receivedAt: "2025-01-01T00:00:01Z",
    headers: shopifyRequestHeaders("orders/paid", {
      webhookId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      triggeredAt: "2025-01-01T00:00:00.512Z",
      eventId: "98880550-7158-44d4-b7cd-2c97c8a091b5",
    }),
    body: shopifyPaid,
    sign: (body) => shopifyHeaders(body),
  },
  {
    name: "order-created-paid",
    description:
      "orders/create for #1001, already paid at checkout: no flow handles it (200), since the same order arrives as orders/paid and is fulfilled from that one",
    receivedAt: "2025-01-01T00:00:01Z",
    headers: shopifyRequestHeaders("orders/create", {
      webhookId: "e0c4a7d2-5b1f-4c8e-9a3d-7f6e5d4c3b2a",
      triggeredAt: "2025-01-01T00:00:00.498Z",
      eventId: "4a7b9c2d-8e1f-4a3b-b5c6-d7e8f9a0b1c2",
    }),
    body: shopifyPaid,
    sign: (body) => shopifyHeaders(body),
  },
  {
    name: "order-pending",
    description:
      "orders/create paid by bank deposit (financial_status pending, #1002): flow pending-orders, action awaiting-payment",
    receivedAt: "2025-01-01T00:20:01Z",
    headers: shopifyRequestHeaders("orders/create", {
      webhookId: "0d6f6b7e-1a3c-4f0e-9c2d-5b8a7e6f4d3c",
      triggeredAt: "2025-01-01T00:20:00.204Z",
      eventId: "5c1e9a7b-3d2f-4e8a-b6c5-0a9f8e7d6c5b",
    }),
    body: shopifyPending,
    sign: (body) => shopifyHeaders(body),
  },
  {
    name: "order-deposit-received",
    description: "orders/paid for #1002 once the bank deposit arrived: flow paid-orders, delivered to fulfillment",
    receivedAt: "2025-01-01T15:00:01Z",
    headers: shopifyRequestHeaders("orders/paid", {
      webhookId: "9f2e8d4c-6b3a-4e1f-8c7d-2a1b0c9d8e7f",
      triggeredAt: "2025-01-01T15:00:00.337Z",
      eventId: "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f",
    }),
    body: shopifyPendingNowPaid,
    sign: (body) => shopifyHeaders(body),
  },
  {
    name: "order-updated",
    description:
      "orders/updated for #1001 (a gift note added): the same body shape as orders/paid, still paid, but X-Shopify-Topic is orders/updated, so no flow handles it (200)",
    receivedAt: "2025-01-01T00:30:01Z",
    headers: shopifyRequestHeaders("orders/updated", {
      webhookId: "3b8a1f6e-2c4d-4e7a-9b5c-8d0e1f2a3b4c",
      triggeredAt: "2025-01-01T00:30:00.645Z",
      eventId: "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
    }),
    body: shopifyPaidUpdated,
    sign: (body) => shopifyHeaders(body),
  },
  {
    name: "test-order",
    description:
      "orders/paid for a test order (test true, from the bogus gateway): no flow handles it (200, nothing delivered)",
    receivedAt: "2025-01-01T00:05:01Z",
    headers: shopifyRequestHeaders("orders/paid", {
      webhookId: "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      triggeredAt: "2025-01-01T00:05:00.733Z",
      eventId: "2f3e4d5c-6b7a-4899-8a7b-6c5d4e3f2a1b",
    }),
    body: shopifyTestOrder,
    sign: (body) => shopifyHeaders(body),
  },
  {
    name: "order-with-custom-item",
    description:
      "orders/paid for an order with a custom line item (gift wrapping, sku null): the validate step refuses it, fulfillment needs SKUs (400)",
    receivedAt: "2025-01-01T00:40:01Z",
    headers: shopifyRequestHeaders("orders/paid", {
      webhookId: "7e8f9a0b-1c2d-4e3f-a4b5-c6d7e8f9a0b1",
      triggeredAt: "2025-01-01T00:40:00.118Z",
      eventId: "8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e",
    }),
    body: shopifyCustomItem,
    sign: (body) => shopifyHeaders(body),
  },
  {
    name: "tampered-total",
    description:
      "orders/paid signed by Shopify, then its total_price altered from 409.94 to 0.99: the HMAC no longer matches (401)",
    receivedAt: "2025-01-01T00:50:01Z",
    headers: shopifyRequestHeaders("orders/paid", {
      webhookId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      triggeredAt: "2025-01-01T00:50:00.871Z",
      eventId: "3d4e5f6a-7b8c-4d9e-af0b-1c2d3e4f5a6b",
    }),
    body: tampered(shopifyForTampering, (b) => {
      b.total_price = "0.99";
    }),
    sign: () => shopifyHeaders(shopifyForTampering),
    expectSignature: "invalid",
  },
];

// ---------------------------------------------------------------------------------
// slack-events: Events API requests as documented at https://api.slack.com/apis/events-api
// (url_verification, event_callback, app_rate_limited) with message and app_mention
// events (https://api.slack.com/events/message, https://api.slack.com/events/app_mention).

const SLACK_REQUEST_HEADERS = {
  accept: "*/*",
  "accept-encoding": "gzip,deflate",
  "content-type": "application/json",
  "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
};

function slackCallback({ eventId, eventTime, event }) {
  return {
    token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
    team_id: "T061EG9R6",
    context_team_id: "T061EG9R6",
    api_app_id: "A0MDYCDME",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: eventTime,
    authorizations: [{ team_id: "T061EG9R6", user_id: "U0LAN0Z89", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: "4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDYxRUc5UjYifQ",
  };
}

const SLACK = [
  {
    name: "url-verification",
    description:
      "The url_verification handshake Slack sends when the Request URL is saved: answered 200 with its challenge, no interaction, no delivery",
    receivedAt: "2024-12-31T23:59:00Z",
    body: {
      token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY",
      type: "url_verification",
    },
  },
  {
    name: "message-posted",
    description: "event_callback with a message in #general: flow channel-messages, delivered to chat analytics",
    receivedAt: "2025-01-01T00:00:00Z",
    body: slackCallback({
      eventId: "Ev0PV52K21",
      eventTime: 1735689599,
      event: {
        type: "message",
        client_msg_id: "2b6f0e5a-5c3b-4b6e-9d77-4f4a1c2e8b90",
        channel: "C2147483705",
        channel_type: "channel",
        user: "U2147483697",
        text: "Deploy of web 2025.1 is done :tada:",
        ts: "1735689599.000200",
        team: "T061EG9R6",
        event_ts: "1735689599.000200",
      },
    }),
  },
  {
    name: "app-mention",
    description: "event_callback with an app_mention: flow app-mentions, action read from the event (app_mention)",
    receivedAt: "2025-01-01T00:10:00Z",
    body: slackCallback({
      eventId: "Ev0PV5E7H3",
      eventTime: 1735690199,
      event: {
        type: "app_mention",
        client_msg_id: "9c1d7e3a-2b4f-4a8c-b6d5-0e9f8a7b6c5d",
        user: "U061F7AUR",
        text: "<@U0LAN0Z89> is it everything a river should be?",
        ts: "1735690199.000016",
        channel: "C2147483705",
        team: "T061EG9R6",
        event_ts: "1735690199.000016",
      },
    }),
  },
  {
    name: "message-edited",
    description:
      "event_callback with a message_changed subtype (an edit): channel-messages skips subtypes, no flow handles it (200)",
    receivedAt: "2025-01-01T00:05:00Z",
    body: slackCallback({
      eventId: "Ev0PV5A1Q8",
      eventTime: 1735689899,
      event: {
        type: "message",
        subtype: "message_changed",
        hidden: true,
        channel: "C2147483705",
        channel_type: "channel",
        message: {
          type: "message",
          user: "U2147483697",
          text: "Deploy of web 2025.1 is done :tada: (edited)",
          ts: "1735689599.000200",
          edited: { user: "U2147483697", ts: "1735689899.000000" },
        },
        previous_message: {
          type: "message",
          user: "U2147483697",
          text: "Deploy of web 2025.1 is done :tada:",
          ts: "1735689599.000200",
        },
        ts: "1735689899.000300",
        event_ts: "1735689899.000300",
      },
    }),
  },
  {
    name: "app-rate-limited",
    description: "app_rate_limited: Slack tells the app it dropped events; signed and accepted, handled by no flow (200)",
    receivedAt: "2025-01-01T00:20:00Z",
    body: {
      token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
      type: "app_rate_limited",
      team_id: "T061EG9R6",
      minute_rate_limited: 1735690740,
      api_app_id: "A0MDYCDME",
    },
  },
  {
    name: "forged-message",
    description:
      "A message callback signed with a key other than the app's signing secret (a forged request): 401, nothing is delivered",
    receivedAt: "2025-01-01T00:30:00Z",
    body: slackCallback({
      eventId: "Ev0PV5K9Z2",
      eventTime: 1735691399,
      event: {
        type: "message",
        client_msg_id: "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b",
        channel: "C2147483705",
        channel_type: "channel",
        user: "U2147483697",
        text: "Please approve the wire transfer in the finance tool",
        ts: "1735691399.000400",
        team: "T061EG9R6",
        event_ts: "1735691399.000400",
      },
    }),
    signWith: WRONG_SECRET_NAME,
    expectSignature: "invalid",
  },
  {
    name: "stale-timestamp",
    description:
      "A genuine signed request captured at 00:00 and replayed at 00:10: X-Slack-Request-Timestamp is 600 s old, beyond the 300 s the slack preset allows (401 Event too old)",
    receivedAt: "2025-01-01T00:10:00Z",
    body: slackCallback({
      eventId: "Ev0PV52K21",
      eventTime: 1735689599,
      event: {
        type: "message",
        client_msg_id: "2b6f0e5a-5c3b-4b6e-9d77-4f4a1c2e8b90",
        channel: "C2147483705",
        channel_type: "channel",
        user: "U2147483697",
        text: "Deploy of web 2025.1 is done :tada:",
        ts: "1735689599.000200",
        team: "T061EG9R6",
        event_ts: "1735689599.000200",
      },
    }),
    signedAt: "2025-01-01T00:00:00Z",
    expectSignature: "invalid",
  },
].map((f) => ({
  ...f,
  headers: SLACK_REQUEST_HEADERS,
  sign: (body, at) => slackHeaders(body, { at, signedAt: f.signedAt ?? at, secretName: f.signWith }),
}));

// ---------------------------------------------------------------------------------
// standard-webhooks-sender: the payload structure the Standard Webhooks specification
// recommends ({ type, timestamp, data }), message ids like msg_<ksuid>.

const SENDER_REQUEST_HEADERS = {
  "content-type": "application/json",
  "user-agent": "Svix-Webhooks/1.56.0",
};

const SENDER = [
  {
    name: "contact-created-during-rotation",
    description:
      "contact.created sent while the sender rotates its secret: webhook-signature carries two signatures, one made with the retired secret and one with the current one; the current one verifies",
    receivedAt: "2025-01-01T00:00:00Z",
    body: {
      type: "contact.created",
      timestamp: "2024-12-31T23:59:59.344522Z",
      data: {
        id: "1f81eb52-5198-4599-803e-771906343485",
        type: "contact",
        email: "jane.doe@example.com",
        name: "Jane Doe",
        created_at: "2024-12-31T23:59:59.344522Z",
      },
    },
    msgId: "msg_2r8QbCjXLmNv7TzKpW4sYdFhG1a",
    secretNames: ["SENDER_WEBHOOK_SECRET_RETIRED", "SENDER_WEBHOOK_SECRET"],
    // Two signatures are what this fixture shows; a run signs with one key only.
    pin: true,
  },
  {
    name: "contact-updated",
    description: "contact.updated (email changed): flow contact-upserts, action read from the event type",
    receivedAt: "2025-01-01T00:15:00Z",
    body: {
      type: "contact.updated",
      timestamp: "2025-01-01T00:14:58.120004Z",
      data: {
        id: "1f81eb52-5198-4599-803e-771906343485",
        type: "contact",
        email: "jane@doe.example.org",
        name: "Jane Doe",
        updated_at: "2025-01-01T00:14:58.120004Z",
      },
    },
    msgId: "msg_2r8RmT4vZqHc9PbXwE6nLkJdS3f",
  },
  {
    name: "contact-deleted",
    description: "contact.deleted: flow contact-deletions, action deleted",
    receivedAt: "2025-01-01T01:00:00Z",
    body: {
      type: "contact.deleted",
      timestamp: "2025-01-01T00:59:59.900311Z",
      data: { id: "7c1d4a2e-9b3f-4e6a-8d5c-2f1e0a9b8c7d", type: "contact" },
    },
    msgId: "msg_2r8V1cNq7YtB3KmHxR9sLpWgD5e",
  },
  {
    name: "account-updated",
    description: "account.updated: signed and accepted, handled by no flow (200, nothing delivered)",
    receivedAt: "2025-01-01T00:30:00Z",
    body: {
      type: "account.updated",
      timestamp: "2025-01-01T00:29:59.501207Z",
      data: { id: "acct_29QmTz", type: "account", plan: "business" },
    },
    msgId: "msg_2r8SzK5mW3nQ8VcY1tHbF7pLx4g",
  },
  {
    name: "contact-missing-email",
    description: "contact.created without an email: the validate step refuses it (400 Mapping schema validation failed)",
    receivedAt: "2025-01-01T00:45:00Z",
    body: {
      type: "contact.created",
      timestamp: "2025-01-01T00:44:59.013377Z",
      data: {
        id: "b3e2a1f0-8d7c-4b6a-9e5d-4c3b2a1f0e9d",
        type: "contact",
        name: "No Email",
        created_at: "2025-01-01T00:44:59.013377Z",
      },
    },
    msgId: "msg_2r8U6gP2sXkA9LnW4cZdT8bRv7h",
  },
  {
    name: "signed-with-retired-secret",
    description:
      "contact.updated signed only with the retired secret (a sender that did not finish the rotation): no signature matches the current secret (401)",
    receivedAt: "2025-01-01T02:00:00Z",
    body: {
      type: "contact.updated",
      timestamp: "2025-01-01T01:59:59.734120Z",
      data: {
        id: "1f81eb52-5198-4599-803e-771906343485",
        type: "contact",
        email: "jane.doe@example.com",
        name: "Jane Doe",
        updated_at: "2025-01-01T01:59:59.734120Z",
      },
    },
    msgId: "msg_2r8WpD6tYcM1QvL8xB3nKfH9s2j",
    secretNames: ["SENDER_WEBHOOK_SECRET_RETIRED"],
    expectSignature: "invalid",
  },
  {
    name: "stale-event-timestamp",
    description:
      "A correctly signed, fresh message for an event that happened an hour earlier: the payload's timestamp (timestampField) is outside the 300 s replayTolerance (401 Event too old)",
    receivedAt: "2025-01-01T03:00:00Z",
    body: {
      type: "contact.updated",
      timestamp: "2025-01-01T01:59:59.734120Z",
      data: {
        id: "1f81eb52-5198-4599-803e-771906343485",
        type: "contact",
        email: "jane.doe@example.com",
        name: "Jane Doe",
        updated_at: "2025-01-01T01:59:59.734120Z",
      },
    },
    msgId: "msg_2r8Y3fR7uKdN2WxC9mA5bLhT6q1",
    expectSignature: "invalid",
  },
].map((f) => ({
  ...f,
  headers: SENDER_REQUEST_HEADERS,
  sign: (body, at) => standardWebhooksHeaders(body, { at, msgId: f.msgId, secretNames: f.secretNames }),
}));

// ---------------------------------------------------------------------------------
// The packages and their fixtures.

const PACKAGES = {
  "stripe-payments": STRIPE,
  "github-pushes": GITHUB,
  "shopify-orders": SHOPIFY,
  "slack-events": SLACK,
  "standard-webhooks-sender": SENDER,
};

/** The header that carries each provider's signature; the sandbox writes it when absent. */
const SIGNATURE_HEADERS = new Set(["stripe-signature", "x-hub-signature-256", "x-shopify-hmac-sha256", "x-slack-signature", "webhook-signature"]);

/**
 * A fixture keeps the signature made here when it is a rejection case or pins a
 * signature a run would not make (two keys during a rotation). Every other fixture is
 * written without its signature header: the sandbox signs it with the secret the run
 * resolves (the test values here, the org's own on the server), so the package verifies
 * wherever it runs. The library's signature for it is still made, and the packages'
 * test checks the sandbox's is byte for byte the same (--library-signatures).
 */
const pinned = (f) => f.expectSignature === "invalid" || f.pin === true;

async function librarySignature(f) {
  return f.sign(f.body, f.receivedAt);
}

async function fixtureFile(f) {
  const signature = await librarySignature(f);
  const kept = pinned(f) ? signature : Object.fromEntries(Object.entries(signature).filter(([h]) => !SIGNATURE_HEADERS.has(h)));
  const headers = Object.fromEntries(Object.entries({ ...f.headers, ...kept }).sort(([a], [b]) => (a < b ? -1 : 1)));
  const out = { description: f.description };
  if (f.endpoint !== undefined) out.endpoint = f.endpoint;
  out.headers = headers;
  out.body = f.body;
  out.receivedAt = f.receivedAt;
  if (f.expectSignature !== undefined) out.expectSignature = f.expectSignature;
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** --library-signatures: what each provider's library sends for every fixture written unsigned. */
async function librarySignatures() {
  const out = [];
  for (const [name, fixtures] of Object.entries(PACKAGES)) {
    for (const f of fixtures) if (!pinned(f)) out.push({ package: name, fixture: f.name, headers: await librarySignature(f) });
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--library-signatures")) {
    process.stdout.write(`${JSON.stringify(await librarySignatures())}\n`);
    return;
  }
  // --check: write nothing, exit 1 when a fixture on disk differs from what this script
  // would write (the packages' test runs it, so fixtures cannot drift from their source).
  const check = args.includes("--check");
  const wanted = args.filter((a) => a !== "--check");
  for (const name of wanted) if (!Object.hasOwn(PACKAGES, name)) throw new Error(`unknown package ${name}`);
  const stale = [];
  for (const [name, fixtures] of Object.entries(PACKAGES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const dir = path.join(HERE, name, "fixtures");
    const keep = new Set(fixtures.map((f) => `${f.name}.json`));
    const present = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".json")) : [];
    if (check) {
      for (const file of present) if (!keep.has(file)) stale.push(`${name}/fixtures/${file} (not generated)`);
      for (const f of fixtures) {
        const file = path.join(dir, `${f.name}.json`);
        const current = existsSync(file) ? readFileSync(file, "utf8") : null;
        if (current !== (await fixtureFile(f))) stale.push(`${name}/fixtures/${f.name}.json`);
      }
      continue;
    }
    mkdirSync(dir, { recursive: true });
    // Fixtures this script no longer defines are removed, so the folder is exactly its output.
    for (const file of present) if (!keep.has(file)) rmSync(path.join(dir, file));
    for (const f of fixtures) writeFileSync(path.join(dir, `${f.name}.json`), await fixtureFile(f));
    console.log(`${name}: ${fixtures.length} fixtures`);
  }
  if (check) {
    if (stale.length > 0) {
      console.error(`fixtures differ from generate-fixtures.mjs:\n  ${stale.join("\n  ")}`);
      process.exitCode = 1;
    } else {
      console.log("fixtures are up to date");
    }
  }
}

await main();

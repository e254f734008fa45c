// Start-up, once per app process (from instrumentation.ts): validate configuration (a
// secret key included), apply migrations under an advisory lock, encrypt stored secrets
// still in plain text, make sure the bootstrap org, token and first admin exist, seed
// the demo org on a fresh embedded database, listen for source changes made by other
// processes, start the workers, and print where to go. /api/health answers 200 only
// after this has finished.
import { db } from "@/lib/db";
import { env, type Env } from "@/lib/env";
import { log } from "@/lib/log";
import { runtime, startSourceInvalidation, startWorker } from "@/lib/runtime";
import { ensureAdmin, ensureBootstrapToken, ensureOrg, revokeBootstrapTokens, type EnsureAdminResult } from "@/lib/boot/accounts";
import { seedDemo, DEMO_SLUG, type DemoSeedResult } from "@/lib/boot/demo-seed";
import { applyMigrations } from "@/lib/store/migrate";
import { secretKeyring } from "@/lib/store/secret-values";
import { sealSecretsAtStart } from "@/lib/boot/seal-secrets";

export async function boot(e: Env = env()): Promise<void> {
  // No key, no start: before anything touches the database.
  secretKeyring();
  const client = await db().pool.connect();
  try {
    const applied = await applyMigrations(client);
    if (applied.length) log.info({ migrations: applied }, "migrations applied");
    await sealSecretsAtStart(client);
  } finally {
    client.release();
  }

  // The org the first admin belongs to: the bootstrap org, else the demo org, else "default".
  const homeSlug = e.PROVENANCE_BOOTSTRAP_ORG ?? (e.demo ? DEMO_SLUG : "default");
  const home = await ensureOrg(homeSlug, homeSlug === DEMO_SLUG ? "Demo" : homeSlug);
  // The bootstrap token is valid exactly while it is configured: a changed or removed
  // value retires the one an earlier start made.
  const bootstrap =
    e.PROVENANCE_BOOTSTRAP_ORG && e.PROVENANCE_BOOTSTRAP_TOKEN
      ? await ensureBootstrapToken(home.id, e.PROVENANCE_BOOTSTRAP_TOKEN)
      : await revokeBootstrapTokens();
  if (bootstrap.revoked > 0) log.warn({ revoked: bootstrap.revoked }, "previous bootstrap API token revoked (PROVENANCE_BOOTSTRAP_TOKEN changed or unset)");
  const admin = await ensureAdmin(home.id, { email: e.PROVENANCE_ADMIN_EMAIL, password: e.PROVENANCE_ADMIN_PASSWORD });
  const demo = e.demo ? await seedDemo() : null;

  await startSourceInvalidation();
  if (e.PROVENANCE_WORKER === "1") startWorker();
  runtime().ready = true;
  printBanner(e.publicUrl, homeSlug, admin, demo);
}

function printBanner(url: string, slug: string, admin: EnsureAdminResult, demo: DemoSeedResult | null): void {
  const lines = ["", "  Provenance is ready", `  URL:        ${url}`];
  if (admin.generatedPassword) {
    lines.push(`  Sign in:    ${admin.email} / ${admin.generatedPassword}   (generated, shown only this once)`);
  } else if (admin.email) {
    lines.push(`  Sign in:    ${admin.email}${admin.passwordReset ? " (password reset from PROVENANCE_ADMIN_PASSWORD)" : ""}`);
  }
  if (demo?.apiToken) {
    lines.push(`  API token:  ${demo.apiToken}   (admin of org "${DEMO_SLUG}", shown only this once)`);
  }
  if (demo) {
    lines.push(`  Demo org:   ${DEMO_SLUG} — inbound URL ${url}/api/inbound/${DEMO_SLUG}/by-mnemonic/stripe`);
  } else {
    lines.push(`  Org:        ${slug}`);
  }
  lines.push("");
  // The banner is for the person who started the app; it is not a log record.
  console.log(lines.join("\n"));
}

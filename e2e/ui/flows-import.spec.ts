// Importing a package in the browser: a .zip and a .tar.gz of an example package (each
// wrapped in a top folder, as GitHub's "Download ZIP" and `tar czf` make them) open in
// the editor as a draft with every file and nothing generated; an archive without a
// package, or a path leaving the folder, is refused with a message and opens nothing.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { expect, screenshot, test } from "../fixtures";

const EXAMPLE = path.resolve(import.meta.dirname, "../../providerflow/packages/stripe-payments");

/** The example package's files (relative paths), renamed to `name`. */
function packageFiles(name: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      const rel = prefix ? `${prefix}/${entry}` : entry;
      if (statSync(full).isDirectory()) walk(full, rel);
      else out[rel] = readFileSync(full);
    }
  };
  walk(EXAMPLE, "");
  const contract = new TextDecoder().decode(out["provider-flow.yaml"]).replace(/^name: .*$/m, `name: ${name}`);
  out["provider-flow.yaml"] = strToU8(contract);
  return out;
}

async function expectEditorWith(page: import("@playwright/test").Page, name: string) {
  await expect(page).toHaveURL(new RegExp(`/flows/${name}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const tree = page.getByRole("navigation", { name: "Package files" });
  await expect(tree.getByRole("button", { name: "provider-flow.yaml" })).toBeVisible();
  await expect(tree.getByRole("button", { name: /^fixtures\// }).first()).toBeVisible();
  await expect(tree.getByRole("button", { name: /^schemas\// }).first()).toBeVisible();
  // Generated outputs are not part of a package's source.
  await expect(tree.getByRole("button", { name: /^traces\/|evidence\.json|scans\.json/ })).toHaveCount(0);
  await expect(page.getByTestId("live-flows")).toContainText("payment-succeeded: stripe-webhook");
}

test("a .zip of a package opens in the editor as a draft", async ({ page }, testInfo) => {
  const name = `zip-${randomBytes(3).toString("hex")}`;
  const files = packageFiles(name);
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([p, b]) => [`${name}-main/${p}`, b])));
  await page.goto("/flows");
  await page.getByTestId("import-archive").setInputFiles({ name: `${name}-main.zip`, mimeType: "application/zip", buffer: Buffer.from(zip) });
  await expectEditorWith(page, name);
  await screenshot(page, testInfo, "flows-imported-zip");
  // Validate on the server: the imported draft is a whole package.
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByTestId("findings-summary")).toHaveText("No errors, no warnings.");
});

test("a .tar.gz made by tar opens in the editor", async ({ page }) => {
  const name = `tgz-${randomBytes(3).toString("hex")}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "pf-import-"));
  for (const [rel, bytes] of Object.entries(packageFiles(name))) {
    mkdirSync(path.dirname(path.join(dir, name, rel)), { recursive: true });
    writeFileSync(path.join(dir, name, rel), bytes);
  }
  const archive = path.join(dir, `${name}.tar.gz`);
  execFileSync("tar", ["-czf", archive, "-C", dir, name]);
  await page.goto("/flows");
  await page.getByTestId("import-archive").setInputFiles(archive);
  await expectEditorWith(page, name);
});

test("archives that hold no package, or leave their folder, are refused and open nothing", async ({ page }) => {
  await page.goto("/flows");
  const input = page.getByTestId("import-archive");
  const none = zipSync({ "readme.txt": strToU8("not a package") });
  await input.setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from(none) });
  await expect(page.getByRole("main").getByRole("alert")).toContainText("notes.zip: The archive has no provider-flow.yaml.");

  const escape = zipSync({ "pkg/provider-flow.yaml": strToU8("name: evil\n"), "pkg/../../etc/x.json": strToU8("{}") });
  await input.setInputFiles({ name: "evil.zip", mimeType: "application/zip", buffer: Buffer.from(escape) });
  await expect(page.getByRole("main").getByRole("alert")).toContainText("leaves the package folder");

  await input.setInputFiles({ name: "garbage.tar.gz", mimeType: "application/gzip", buffer: Buffer.from("definitely not gzip") });
  await expect(page.getByRole("main").getByRole("alert")).toContainText("garbage.tar.gz:");
  await expect(page).toHaveURL(/\/flows$/);
});

import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyIdOf, parseSecretKey } from "../lib/crypto/secret-box.mjs";
import { resolveSecretKeys } from "./secret-key-file.mjs";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "prov-key-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the launcher's secret key", () => {
  it("is generated once into the data directory with mode 0600, announced with its path, then reused quietly", async () => {
    const dataDir = path.join(dir, "data");
    const first = await resolveSecretKeys({ source: {}, dataDir, useFile: true });
    const file = path.join(dataDir, "secret-key");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const key = parseSecretKey(first.env.PROVENANCE_SECRET_KEY!);
    expect(parseSecretKey(await readFile(file, "utf8")).equals(key)).toBe(true);
    expect(first.notices).toHaveLength(1);
    expect(first.notices[0]).toContain(file);
    expect(first.notices[0]).toMatch(/Back it up/);
    expect(first.notices[0]).toContain(keyIdOf(key));
    expect(first.notices[0]).not.toContain(first.env.PROVENANCE_SECRET_KEY);

    const again = await resolveSecretKeys({ source: {}, dataDir, useFile: true });
    expect(again).toEqual({ env: { PROVENANCE_SECRET_KEY: first.env.PROVENANCE_SECRET_KEY }, notices: [] });
  });

  it("is neither made nor used for production on a real database (the app then refuses to start)", async () => {
    expect(await resolveSecretKeys({ source: {}, dataDir: dir, useFile: false })).toEqual({ env: {}, notices: [] });
    expect(await resolveSecretKeys({ source: {}, dataDir: dir, useFile: true, create: false })).toEqual({ env: {}, notices: [] });
    await expect(stat(path.join(dir, "secret-key"))).rejects.toThrow(/ENOENT/);
  });

  it("gives way to PROVENANCE_SECRET_KEY, keeping the generated key readable as a previous key", async () => {
    const generated = (await resolveSecretKeys({ source: {}, dataDir: dir, useFile: true })).env.PROVENANCE_SECRET_KEY!;
    const explicit = randomBytes(32).toString("hex");
    const other = randomBytes(32).toString("hex");
    const r = await resolveSecretKeys({ source: { PROVENANCE_SECRET_KEY: explicit, PROVENANCE_SECRET_KEY_PREVIOUS: other }, dataDir: dir, useFile: true });
    expect(r.env).toEqual({ PROVENANCE_SECRET_KEY_PREVIOUS: `${other},${generated}` });
    expect(r.notices.join("\n")).toMatch(/secrets:reencrypt/);
    // The same key given explicitly changes nothing.
    expect(await resolveSecretKeys({ source: { PROVENANCE_SECRET_KEY: generated }, dataDir: dir, useFile: true })).toEqual({ env: {}, notices: [] });
  });

  it("warns when the key file can be read by others, and refuses a damaged one naming the file", async () => {
    await resolveSecretKeys({ source: {}, dataDir: dir, useFile: true });
    const file = path.join(dir, "secret-key");
    await chmod(file, 0o644);
    expect((await resolveSecretKeys({ source: {}, dataDir: dir, useFile: true })).notices.join("\n")).toMatch(/chmod 600/);
    await rm(file);
    await writeFile(file, "not a key\n", { mode: 0o600 });
    await expect(resolveSecretKeys({ source: {}, dataDir: dir, useFile: true })).rejects.toThrow(new RegExp(`${file} must be 32 random bytes`));
  });
});

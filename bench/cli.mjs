// The ProviderFlow CLI's start-up cost, for `npm run bench`: wall time of
// `providerflow validate <example package>` (the prebuilt CLI, as `npx providerflow` runs
// it) beside a bare `node -e 0`, measured alternately in the same run so both see the same
// machine. Target: validate ≤ 150 ms.
import { spawnSync } from "node:child_process";
import path from "node:path";

const PACKAGE = "providerflow/packages/stripe-payments";

function timeOnce(root, args) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0) throw new Error(`${args.join(" ")} exited ${res.status}: ${res.stderr}`);
  return ms;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Runs `runs` alternating pairs after `warmup` pairs; returns medians, p90s and the ratio. */
export function measureCli(root, { runs = 15, warmup = 3 } = {}) {
  const validate = [path.join(root, "providerflow/cli/bin.mjs"), "validate", PACKAGE];
  const bare = ["-e", "0"];
  for (let i = 0; i < warmup; i += 1) {
    timeOnce(root, bare);
    timeOnce(root, validate);
  }
  const times = { node: [], validate: [] };
  for (let i = 0; i < runs; i += 1) {
    times.node.push(timeOnce(root, bare));
    times.validate.push(timeOnce(root, validate));
  }
  const summary = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50: Math.round(pct(s, 50)), p90: Math.round(pct(s, 90)), min: Math.round(s[0]) };
  };
  const node = summary(times.node);
  const val = summary(times.validate);
  return {
    package: PACKAGE,
    runs,
    node,
    validate: val,
    ratio: Number((val.p50 / node.p50).toFixed(1)),
    targetMs: 150,
    met: val.p50 <= 150,
  };
}

// `node bench/cli.mjs`: this section alone.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
  console.log(JSON.stringify(measureCli(root), null, 2));
}

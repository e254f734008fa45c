#!/usr/bin/env bash
# `npm test`: every suite, installing what tests need first. Ends with one line
# "N passed, N failed" totalling unit, integration, system and browser tests.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-reports && rm -f test-reports/*.json
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n== %s ==\n' "$*"; }

# 1. Dependencies (lockfile-exact), the generated Prisma client.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund || exit 1
fi
node scripts/prisma-generate.mjs || exit 1

# 2. Debian's Chromium for Playwright (its own browser download does not work here).
if [ ! -x /usr/bin/chromium ]; then
  step "installing chromium"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi

# 3. A local PostgreSQL for the throwaway test databases.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  step "starting PostgreSQL"
  (pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start) 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

failed_steps=0
step "typecheck"
npx tsc --noEmit || failed_steps=$((failed_steps + 1))

step "lint"
npx eslint . || failed_steps=$((failed_steps + 1))

step "unit and integration tests (vitest)"
npx vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json=test-reports/vitest.json
vitest_rc=$?

step "build"
if npm run build --silent > test-reports/build.log 2>&1; then
  # System tests start the built app (tests/system/). Their report is folded into
  # vitest.json, which summarize-tests.mjs totals; no report at all is one failure.
  step "system tests (vitest, the built app)"
  npx vitest run --project system --reporter=default --reporter=json --outputFile.json=test-reports/vitest-system.json
  system_rc=$?
  node --input-type=module - test-reports/vitest.json test-reports/vitest-system.json <<'JS' || failed_steps=$((failed_steps + 1))
import { existsSync, readFileSync, writeFileSync } from "node:fs";
const [main, extra] = process.argv.slice(2);
if (!existsSync(extra)) process.exit(1);
if (!existsSync(main)) process.exit(0); // the summary already counts the missing main report
const a = JSON.parse(readFileSync(main, "utf8"));
const b = JSON.parse(readFileSync(extra, "utf8"));
for (const [k, v] of Object.entries(b)) if (k.startsWith("num") && typeof v === "number") a[k] = (a[k] ?? 0) + v;
a.testResults = [...(a.testResults ?? []), ...(b.testResults ?? [])];
a.success = Boolean(a.success && b.success);
writeFileSync(main, JSON.stringify(a));
JS

  step "browser tests (playwright, Debian chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-reports/playwright.json npx playwright test --reporter=list,json
  pw_rc=$?
else
  tail -40 test-reports/build.log
  echo "build failed: system and browser tests not run"
  failed_steps=$((failed_steps + 1))
  system_rc=1
  pw_rc=1
fi

node scripts/summarize-tests.mjs "$failed_steps"
summary_rc=$?
[ $vitest_rc -eq 0 ] && [ $system_rc -eq 0 ] && [ $pw_rc -eq 0 ] && [ $failed_steps -eq 0 ] && [ $summary_rc -eq 0 ]

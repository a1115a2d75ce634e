#!/bin/sh
# `npm test`: type-check, lint, unit and integration tests on a real embedded PostgreSQL, then the production build:
# `npm run demo` from a fresh clone in a 0700 folder, end-to-end tests in Chromium, and the JavaScript budget.
set -e
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
[ -d node_modules/next ] && [ -d lib/db/generated ] || npm ci
# The browser first: without one, stop before running anything (scripts/ensure-browser.mjs says what to run).
CREDITDESK_CHROMIUM=$(node scripts/ensure-browser.mjs) || exit 1
export CREDITDESK_CHROMIUM
echo "== typecheck" && npx tsc --noEmit -p .
echo "== format (prettier --check)" && npx prettier --check . --log-level warn
echo "== lint" && npx eslint . --max-warnings=0
echo "== unit and integration (vitest)" && npx vitest run
echo "== build" && npx next build
echo "== demo from a fresh clone in a 0700 folder" && node scripts/check-demo-fresh-clone.mjs
echo "== end to end (playwright, $CREDITDESK_CHROMIUM)" && npx playwright test
# Issue 12's JavaScript budget: every page's cold-load JavaScript within 20 kB of a blank Next.js app (bench/bundle.ts).
echo "== JavaScript budget (bench:bundle)" && npx tsx bench/bundle.ts

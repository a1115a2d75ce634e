#!/bin/sh
# `npm run demo`: everything a newcomer needs, on a fresh clone. Installs dependencies if missing,
# builds when the sources are newer than the last build, then starts in demo mode.
set -e
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
if [ ! -d node_modules/next ] || [ ! -d lib/db/generated ]; then
  echo "[creditdesk] installing dependencies (npm ci)"
  npm ci
fi
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib proxy.ts next.config.js package.json -newer .next/BUILD_ID -type f 2>/dev/null | head -n 1)" ]; then
  echo "[creditdesk] building the app (next build)"
  npx next build
fi
CREDITDESK_DEMO=1 exec npx tsx scripts/serve.ts "$@"

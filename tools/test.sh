#!/usr/bin/env bash
# `npm test`: every check and every test, in order of speed: static checks, unit, integration against
# a private dockerd, the engine VM under QEMU, e2e in Chromium against browser mode. Ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh test || exit 1
reports="$PWD/test-reports"
rm -rf "$reports" && mkdir -p "$reports" e2e/artifacts
status=0
step() {
  echo "== $1"
  shift
  "$@" || status=1
}
step "typecheck" npm run --silent typecheck
step "lint" npm run --silent lint
step "import cycles" npx tsx tools/import-cycles.ts
step "format" npm run --silent format:check
step "Electronegativity" npm run --silent security:electron
step "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile="$reports/unit.json"
step "integration tests" npx vitest run --project integration --reporter=default --reporter=json --outputFile="$reports/integration.json"
# Issue 17's soak, 2 minutes (`npm run soak` runs 10): its own dockerd, 500 containers, a real Berth and a page; one line of figures.
step "soak (2 minutes)" env BERTH_SOAK_MINUTES=2 npx tsx e2e/soak/run-soak.ts
step "VM image" bash vm/image/build-image.sh amd64
step "VM image (arm64)" bash vm/image/build-image.sh arm64
step "VM tests (QEMU)" npx vitest run --project vm --reporter=default --reporter=json --outputFile="$reports/vm.json"
step "e2e tests" env PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test -c e2e/playwright.config.ts --reporter=list,json
node tools/test-summary.mjs "$reports" "$status"

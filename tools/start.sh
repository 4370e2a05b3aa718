#!/usr/bin/env bash
# `npm start` / `npm run web`: install and build what is missing, then start Berth.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh run
exec node dist/app/berth.mjs "$@"

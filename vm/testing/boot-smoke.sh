#!/usr/bin/env bash
# Builds the VM image (cached), then boots it twice under QEMU and checks the engine end to end
# (vm/testing/boot-smoke.ts, which makes the TLS material or keeps it). Extra arguments go to
# boot-smoke.ts (--ramdisk, --work DIR). Needs: qemu-system-x86, qemu-utils, lz4, curl, the docker CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in qemu-system-x86_64 qemu-img curl docker; do
  command -v "$tool" >/dev/null || { echo "boot-smoke: missing $tool" >&2; exit 1; }
done
bash vm/image/build-image.sh vm/.build/image
exec npx tsx vm/testing/boot-smoke.ts --image vm/.build/image --tls vm/.build/tls "$@"

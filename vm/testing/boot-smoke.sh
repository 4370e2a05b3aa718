#!/usr/bin/env bash
# Builds the VM image (cached) and the TLS material (kept), then boots the image twice under QEMU
# and checks the engine end to end (vm/testing/boot-smoke.ts). Extra arguments go to boot-smoke.ts
# (--ramdisk, --work DIR). Needs: qemu-system-x86, qemu-utils, lz4, openssl, curl, the docker CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in qemu-system-x86_64 qemu-img openssl curl docker; do
  command -v "$tool" >/dev/null || { echo "boot-smoke: missing $tool" >&2; exit 1; }
done
bash vm/image/build-image.sh vm/.build/image
bash vm/image/make-tls.sh vm/.build/tls
exec npx tsx vm/testing/boot-smoke.ts --image vm/.build/image --tls vm/.build/tls "$@"

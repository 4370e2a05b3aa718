#!/usr/bin/env bash
# Builds the VM image (cached), then boots it twice under QEMU and checks the engine end to end
# (vm/testing/boot-smoke.ts, which makes the TLS material or keeps it). Extra arguments go to
# boot-smoke.ts (--arch amd64|arm64, default the host CPU's; --work DIR). Needs: qemu-system-x86
# (amd64) or qemu-system-arm (arm64), qemu-utils, lz4, curl, the docker CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=$(case $(uname -m) in aarch64 | arm64) echo arm64 ;; *) echo amd64 ;; esac)
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[i]}" = --arch ] && arch=${args[i + 1]:-}; done
qemu=$([ "$arch" = arm64 ] && echo qemu-system-aarch64 || echo qemu-system-x86_64)
for tool in "$qemu" qemu-img curl docker; do
  command -v "$tool" >/dev/null || { echo "boot-smoke: missing $tool" >&2; exit 1; }
done
bash vm/image/build-image.sh "$arch"
exec npx tsx vm/testing/boot-smoke.ts --arch "$arch" --tls vm/.build/tls "$@"

#!/usr/bin/env bash
# Installs what Berth needs on this machine, then builds it. Idempotent and quiet when nothing is missing.
#   tools/setup.sh run    what running Berth needs (QEMU and the engine VM's image; docker.io for the CLI)
#   tools/setup.sh test   plus what the tests need (Chromium, busybox-static for test images, QEMU for
#                         arm64 guests: the VM tests boot the arm64 image too, emulated)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

apt_packages=(docker.io iptables)
# The engine VM: QEMU, its disk tool, and what vm/image/build-image.sh uses.
apt_packages+=(qemu-system-x86 qemu-utils lz4 zstd xz-utils debian-archive-keyring curl binutils e2fsprogs)
# The image's resume-seed (boot snapshots) is a static C program, built with the image.
apt_packages+=(gcc libc6-dev)
if [ "$purpose" = test ]; then
  apt_packages+=(chromium busybox-static iproute2 fonts-dejavu-core)
  # vm/vm-arm64.integration.test.ts: the other architecture's VM (Debian 12's QEMU 7.2, as for x86).
  apt_packages+=(qemu-system-arm)
  # A private image registry on 127.0.0.1 for the pull, push and login tests.
  apt_packages+=(docker-registry)
  # The ssh engine tests: a real sshd on 127.0.0.1 (started by the test, never as a system service).
  apt_packages+=(openssh-server openssh-client)
fi

if [ "$(uname -s)" = Linux ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  missing=()
  for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (apt)…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif [ "$purpose" = test ]; then
  echo "Note: not root on Debian; make sure these are installed: ${apt_packages[*]}" >&2
fi

# Node dependencies. Electron's own download is attempted separately so that a machine without access
# to GitHub (where the binary lives) still installs everything else and runs in browser mode.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Node dependencies…"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  rm -f node_modules/.berth-electron-tried
fi
if [ ! -f node_modules/.berth-electron-tried ]; then
  touch node_modules/.berth-electron-tried
  (cd node_modules/electron && timeout 300 node install.js) >node_modules/.berth-electron-install.log 2>&1 || true
fi

# Build when any source is newer than the last build.
stamp=dist/.built
if [ ! -f "$stamp" ] || [ -n "$(find app base engine vm renderer vite.config.ts tools/build.ts package-lock.json -newer "$stamp" -print -quit)" ]; then
  echo "Building…"
  npx tsx tools/build.ts
  touch "$stamp"
fi

# The engine VM's image for this computer's CPU (vm/.build/image/ARCH), built from Debian packages when
# missing (cached by their versions). The tests build both architectures' (tools/test.sh).
# (Images were in vm/.build/image itself before there was one folder per architecture: that was amd64.)
if [ -f vm/.build/image/manifest.txt ] && [ ! -e vm/.build/image/amd64 ]; then
  mkdir -p vm/.build/image/amd64
  find vm/.build/image -maxdepth 1 -type f -exec mv -t vm/.build/image/amd64 {} +
fi
host_arch=$(case $(uname -m) in aarch64 | arm64) echo arm64 ;; *) echo amd64 ;; esac)
if [ "$purpose" = run ] && [ ! -f "vm/.build/image/$host_arch/rootfs.img" ] && command -v apt-get >/dev/null; then
  echo "Building the engine VM's image (once)…"
  bash vm/image/build-image.sh "$host_arch"
fi

# Boot snapshots (vm/snapshot/) need QEMU 8.2 or newer and Debian 12 has 7.2: bookworm-backports' QEMU 10
# is unpacked beside the build (tools/newer-qemu.sh), and Berth and the snapshot tests run that one.
if command -v apt-get >/dev/null && command -v qemu-system-x86_64 >/dev/null; then
  read -r qemu_major qemu_minor < <(qemu-system-x86_64 --version |
    sed -n 's/^QEMU emulator version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p' | grep . || echo 0 0)
  if [ "$qemu_major" -lt 8 ] || { [ "$qemu_major" = 8 ] && [ "$qemu_minor" -lt 2 ]; }; then
    bash tools/newer-qemu.sh >/dev/null
  fi
fi

# docker compose and buildx for this computer's docker CLI (vm/.build/cli-plugins/ARCH): the compose tests
# of the integration suite run the plugin against the private dockerd, before the image step builds the rest.
if [ "$purpose" = test ] && command -v apt-get >/dev/null; then
  bash vm/image/build-cli-plugins.sh
fi

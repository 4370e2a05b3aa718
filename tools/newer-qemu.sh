#!/usr/bin/env bash
# A newer QEMU for a machine whose own is too old for boot snapshots (vm/snapshot/: QEMU 8.2 and newer
# save a VM to a file and restore it; Debian 12 has 7.2): Debian's bookworm-backports QEMU (10.0), which
# runs on Debian 12's libraries, and Debian 13's virtiofsd (1.13, which can hand its state over with the
# VM's: --migration-mode), unpacked beside the build without installing anything:
#   $OUT/usr/bin/qemu-system-x86_64, $OUT/usr/bin/qemu-img    (QEMU finds its firmware in ../share/qemu)
#   $OUT/usr/bin/virtiofsd                                      runs virtiofsd with Debian 13's C library
#   $OUT/.key                                                   the package versions it was unpacked from
# Prints the folder of the programs (put it first on the PATH, or give it as VmService's qemuDir).
#
# Usage: tools/newer-qemu.sh [OUT]   (default vm/.build/qemu/SUITE-ARCH)
# Env:   BERTH_VM_CACHE   where downloaded .debs are kept (default vm/.build/debs, shared with the image)
#        BERTH_QEMU_SUITE the suite (default bookworm-backports)
#
# The tests of boot snapshots and the benchmark's snapshot row run this QEMU; everything else runs the
# system's. No maintainer script runs (dpkg -x). Unchanged versions: "qemu up to date", well under 1 s.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_DIR=$(dirname "$HERE")/vm
IMAGE_SCRIPTS=$VM_DIR/image
log() { printf '[newer-qemu] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
for tool in apt-get apt-cache dpkg-deb ldd; do
  command -v "$tool" >/dev/null || die "missing host tool: $tool"
done

ARCH=$(dpkg --print-architecture)
case $ARCH in
  amd64) SYSTEM=qemu-system-x86 PROGRAM=qemu-system-x86_64 ;;
  arm64) SYSTEM=qemu-system-arm PROGRAM=qemu-system-aarch64 ;;
  *) die "no QEMU of $ARCH here (amd64 or arm64)" ;;
esac
SUITE=${BERTH_QEMU_SUITE:-bookworm-backports}
OUT=${1:-$VM_DIR/.build/qemu/$SUITE-$ARCH}
CACHE=${BERTH_VM_CACHE:-$VM_DIR/.build/debs}
mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)
CACHE=$(cd "$CACHE" && pwd)

# The programs and their firmware and keymaps (qemu-system-data).
PACKAGES=("$SYSTEM" qemu-system-common qemu-system-data qemu-utils)

APT_CONFIG=$(bash "$IMAGE_SCRIPTS/private-apt.sh" --update "$SUITE" "$ARCH") || die "private apt configuration for $SUITE/$ARCH failed"
export APT_CONFIG
VERSIONS=$(apt-cache policy "${PACKAGES[@]}" | awk '/^[^ ]/ { sub(":$", "", $1); p = $1 } /Candidate:/ { print p "=" $2 }')
[ "$(wc -l <<<"$VERSIONS")" -eq ${#PACKAGES[@]} ] || die "could not resolve the versions of ${PACKAGES[*]}"
grep -q '=(none)$' <<<"$VERSIONS" && die "no candidate for: $(grep '=(none)$' <<<"$VERSIONS" | tr '\n' ' ')in $SUITE/$ARCH"
KEY=$(printf '%s\ninputs=%s\n' "$VERSIONS" "$(sha256sum <"$HERE/newer-qemu.sh" | cut -c1-16)" | sha256sum | cut -c1-32)

if [ -f "$OUT/.key" ] && [ "$(cat "$OUT/.key")" = "$KEY" ] && [ -x "$OUT/usr/bin/$PROGRAM" ] && [ -x "$OUT/usr/bin/virtiofsd" ]; then
  log "qemu up to date ($OUT)"
  echo "$OUT/usr/bin"
  exit 0
fi
rm -rf "$OUT" && mkdir -p "$OUT"

want=()
while IFS== read -r name ver; do
  # The file name apt gives the .deb: the epoch's colon is written %3a.
  deb=$(ls "$CACHE/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
  [ -n "$deb" ] || want+=("$name=$ver")
done <<<"$VERSIONS"
if [ ${#want[@]} -gt 0 ]; then
  log "downloading ${want[*]}"
  (cd "$CACHE" && apt-get download -q "${want[@]}" >/dev/null) || die "apt-get download failed"
fi
while IFS== read -r name ver; do
  dpkg-deb -x "$(ls "$CACHE/${name}_${ver//:/%3a}_"*.deb | head -n1)" "$OUT"
done <<<"$VERSIONS"

# Linked against Debian 12's own libraries (those its QEMU 7.2 installed): none may be missing.
missing=$(ldd "$OUT/usr/bin/$PROGRAM" "$OUT/usr/bin/qemu-img" | awk '/not found/ { print $1 }' | sort -u | tr '\n' ' ')
[ -z "$missing" ] || die "$PROGRAM needs libraries this machine does not have: $missing(install Debian's $SYSTEM first)"
# virtiofsd 1.13 needs glibc 2.39 (Debian 12 has 2.36): Debian 13's virtiofsd and the libraries it
# links, in a folder of their own, run by Debian 13's dynamic loader.
VIRTIOFSD_PACKAGES=(virtiofsd libc6 libseccomp2 libcap-ng0 libgcc-s1)
TRIXIE_APT=$(bash "$IMAGE_SCRIPTS/private-apt.sh" --update trixie "$ARCH") || die "private apt configuration for trixie/$ARCH failed"
VIRTIOFSD_VERSIONS=$(APT_CONFIG=$TRIXIE_APT apt-cache policy "${VIRTIOFSD_PACKAGES[@]}" |
  awk '/^[^ ]/ { sub(":$", "", $1); p = $1 } /Candidate:/ { print p "=" $2 }')
[ "$(wc -l <<<"$VIRTIOFSD_VERSIONS")" -eq ${#VIRTIOFSD_PACKAGES[@]} ] || die "could not resolve ${VIRTIOFSD_PACKAGES[*]} in trixie"
VIRTIOFSD_ROOT=$OUT/virtiofsd
mkdir -p "$VIRTIOFSD_ROOT"
while IFS== read -r name ver; do
  deb=$(ls "$CACHE/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    (cd "$CACHE" && APT_CONFIG=$TRIXIE_APT apt-get download -q "$name=$ver" >/dev/null) || die "apt-get download $name failed"
    deb=$(ls "$CACHE/${name}_${ver//:/%3a}_"*.deb | head -n1)
  fi
  dpkg-deb -x "$deb" "$VIRTIOFSD_ROOT"
done <<<"$VIRTIOFSD_VERSIONS"
TRIPLET=$(basename "$(dirname "$(ls "$VIRTIOFSD_ROOT"/usr/lib/*/libc.so.6)")")
LIBS=$VIRTIOFSD_ROOT/usr/lib/$TRIPLET
LOADER=$(ls "$LIBS"/ld-linux*.so.* | head -n1)
printf '#!/bin/sh
# Debian 13 virtiofsd with its own C library (tools/newer-qemu.sh).
exec "%s" --library-path "%s" "%s" "$@"
' \
  "$LOADER" "$LIBS" "$VIRTIOFSD_ROOT/usr/libexec/virtiofsd" >"$OUT/usr/bin/virtiofsd"
chmod 0755 "$OUT/usr/bin/virtiofsd"
"$OUT/usr/bin/virtiofsd" --version >&2 || die "Debian 13's virtiofsd does not run here"

"$OUT/usr/bin/$PROGRAM" --version | head -n1 >&2
echo "$KEY" >"$OUT/.key"
echo "$OUT/usr/bin"

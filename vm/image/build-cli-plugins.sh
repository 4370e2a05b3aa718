#!/usr/bin/env bash
# The docker CLI plugins Berth offers the user's own `docker` (as Docker Desktop does): compose and
# buildx from Debian 13's packages, for the architecture of the computer they will run on (the host, not
# the VM: this one's by default; build-image.sh asks for its image's, which a package ships them beside),
# unpacked into:
#   $OUT/docker-compose, $OUT/docker-buildx   the plugin binaries (0755)
#   $OUT/manifest.txt                         one line per plugin: NAME VERSION SHA256 (read by
#                                             vm/host/cli-plugins.ts; the version is the package's)
#
# Usage: vm/image/build-cli-plugins.sh [OUT]   (default vm/.build/cli-plugins/<debian-arch>)
# Env:   BERTH_VM_CACHE  where downloaded .debs are kept (default vm/.build/debs, shared with the image)
#        BERTH_VM_FORCE=1 unpack again even if the versions did not change
#        BERTH_VM_SUITE  Debian release (default trixie)
#        BERTH_CLI_PLUGINS_ARCH  amd64 or arm64 (default: this computer's)
#
# Run by build-image.sh (so `npm run vm:image` brings them), and on its own. The packages are Go
# binaries linked against glibc >= 2.34 only; no maintainer script runs (dpkg -x). Same package
# versions as the last run: "cli plugins up to date".
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_DIR=$(dirname "$HERE")
log() { printf '[build-cli-plugins] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
for tool in apt-get apt-cache dpkg dpkg-deb sha256sum; do
  command -v "$tool" >/dev/null || die "missing host tool: $tool"
done

WANTED_ARCH=${BERTH_CLI_PLUGINS_ARCH:-$(uname -m)}
case $WANTED_ARCH in
  x86_64 | amd64) ARCH=amd64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) die "no Debian docker CLI plugins for the architecture $WANTED_ARCH (amd64 or arm64)" ;;
esac
SUITE=${BERTH_VM_SUITE:-trixie}
OUT=${1:-$VM_DIR/.build/cli-plugins/$ARCH}
CACHE=${BERTH_VM_CACHE:-$VM_DIR/.build/debs}
mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)
CACHE=$(cd "$CACHE" && pwd)

# package -> the plugin file it ships
declare -A PLUGIN_OF=([docker-compose]=docker-compose [docker-buildx]=docker-buildx)
PACKAGES=(docker-compose docker-buildx)

APT_CONFIG=$(bash "$HERE/private-apt.sh" --update "$SUITE" "$ARCH") || die "private apt configuration for $SUITE/$ARCH failed"
export APT_CONFIG
VERSIONS=$(apt-cache policy "${PACKAGES[@]}" | awk '/^[^ ]/ { sub(":$", "", $1); p = $1 } /Candidate:/ { print p "=" $2 }')
[ "$(wc -l <<<"$VERSIONS")" -eq ${#PACKAGES[@]} ] || die "could not resolve the versions of ${PACKAGES[*]}"
grep -q '=(none)$' <<<"$VERSIONS" && die "no candidate for: $(grep '=(none)$' <<<"$VERSIONS") in $SUITE/$ARCH"
KEY=$(printf '%s\ninputs=%s\n' "$VERSIONS" "$(sha256sum <"$HERE/build-cli-plugins.sh" | cut -c1-16)" | sha256sum | cut -c1-32)

if [ "${BERTH_VM_FORCE:-}" != 1 ] && [ -f "$OUT/.key" ] && [ "$(cat "$OUT/.key")" = "$KEY" ] && [ -s "$OUT/manifest.txt" ]; then
  echo "cli plugins up to date ($OUT)"
  exit 0
fi
rm -f "$OUT/.key" "$OUT/manifest.txt" # an interrupted run is redone, and the app sees no half-written set

want=()
while IFS== read -r name ver; do
  ls "$CACHE/${name}_${ver//:/%3a}_"*.deb >/dev/null 2>&1 || want+=("$name=$ver")
done <<<"$VERSIONS"
if [ ${#want[@]} -gt 0 ]; then
  log "downloading ${want[*]}"
  (cd "$CACHE" && apt-get download -q "${want[@]}" 2>&1 >/dev/null | grep -v 'unsandboxed' >&2) || true
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-cli-plugins.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
manifest=
while IFS== read -r name ver; do
  deb=$(ls "$CACHE/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || die "apt-get download $name=$ver failed"
  dpkg -x "$deb" "$WORK/$name"
  plugin=${PLUGIN_OF[$name]}
  src=$WORK/$name/usr/libexec/docker/cli-plugins/$plugin
  [ -f "$src" ] || die "$name $ver has no usr/libexec/docker/cli-plugins/$plugin"
  install -m 0755 "$src" "$OUT/$plugin.new"
  mv -f "$OUT/$plugin.new" "$OUT/$plugin"
  manifest+="$plugin $ver $(sha256sum "$OUT/$plugin" | cut -d' ' -f1)"$'\n'
done <<<"$VERSIONS"
printf '%s' "$manifest" >"$OUT/manifest.txt"
echo "$KEY" >"$OUT/.key"
log "$(tr '\n' ';' <"$OUT/manifest.txt" | sed 's/ [0-9a-f]\{64\}//g; s/;$//') -> $OUT"

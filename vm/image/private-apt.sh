#!/usr/bin/env bash
# A private apt configuration for one Debian suite and architecture, beside the machine's own and
# never touching it: its own sources list, package lists, cache and (empty) dpkg status, under
# vm/.build/apt/SUITE-ARCH/. It reuses the mirror host(s) of the machine's apt sources, read at run
# time (nothing about the mirror is written into the repository), and the system's archive keyring.
#
# Usage: vm/image/private-apt.sh [--update] SUITE [ARCH]      (ARCH: amd64 or arm64; default amd64)
#   Prints the path of the apt.conf to use as APT_CONFIG, e.g.
#     export APT_CONFIG=$(bash vm/image/private-apt.sh --update trixie amd64)
#     apt-cache policy docker.io; apt-get download docker.io
#   --update runs `apt-get update` when the lists are missing, older than BERTH_APT_MAX_AGE_H hours
#   (default 24), or the sources changed; BERTH_APT_UPDATE=1 forces it.
# A plain release name (trixie) brings its -updates and -security suites along (the latter only if the
# machine has a security source); a suite with a dash (bookworm-backports) comes alone.
# Env: BERTH_APT_DIR (default vm/.build/apt), BERTH_APT_COMPONENTS (default "main").
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf '[private-apt] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

UPDATE=0
[ "${1:-}" = --update ] && { UPDATE=1; shift; }
SUITE=${1:?usage: private-apt.sh [--update] SUITE [ARCH]}
ARCH=${2:-amd64}
case $ARCH in amd64 | arm64) ;; *) die "unsupported architecture $ARCH (amd64 or arm64)" ;; esac
COMPONENTS=${BERTH_APT_COMPONENTS:-main}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$KEYRING" ] || die "no $KEYRING (package debian-archive-keyring)"

# The machine's mirrors: the first deb URI serving a release (the archive), and the first serving a
# -security suite. Both formats: deb822 (*.sources) and one-line (sources.list, *.list).
machine_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
      { types = uris = suites = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:/) types = substr($i, 7)
          else if ($i ~ /^URIs:/) uris = substr($i, 6)
          else if ($i ~ /^Suites:/) suites = substr($i, 8)
          else if ($i ~ /^Enabled: *no/) types = ""
        }
        if (types ~ /(^| )deb( |$)/) { split(uris, u, " "); split(suites, s, " "); for (j in u) for (k in s) print u[j], s[k] } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\)[[:space:]]\+\([^[:space:]]\+\).*/\2 \3/p' "$f"
  done
}
SOURCES=$(machine_sources)
ARCHIVE=$(awk '$2 !~ /-security$/ && $1 ~ /^https?:/ { print $1; exit }' <<<"$SOURCES")
SECURITY=$(awk '$2 ~ /-security$/ && $1 ~ /^https?:/ { print $1; exit }' <<<"$SOURCES")
[ -n "$ARCHIVE" ] || die "no http(s) Debian archive in the machine's apt sources"
ARCHIVE=${ARCHIVE%/}
SECURITY=${SECURITY%/}

DIR=${BERTH_APT_DIR:-$(dirname "$HERE")/.build/apt}/$SUITE-$ARCH
mkdir -p "$DIR"/{lists/partial,cache/archives/partial,parts,preferences.d}
DIR=$(cd "$DIR" && pwd)
touch "$DIR/status"

{
  opts="[arch=$ARCH signed-by=$KEYRING]"
  case $SUITE in
    *-*) echo "deb $opts $ARCHIVE $SUITE $COMPONENTS" ;;
    *)
      echo "deb $opts $ARCHIVE $SUITE $COMPONENTS"
      echo "deb $opts $ARCHIVE $SUITE-updates $COMPONENTS"
      [ -z "$SECURITY" ] || echo "deb $opts $SECURITY $SUITE-security $COMPONENTS"
      ;;
  esac
} >"$DIR/sources.list.new"

# Only the machine's network settings carry over (a proxy; date checks off for a frozen mirror): its
# apt.conf.d also holds hooks (Post-Invoke, AppStream refresh) that must not run for a private update.
carried=$(apt-config dump 2>/dev/null | grep -E '^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date) ' || true)
cat >"$DIR/apt.conf.new" <<CONF
// Written by vm/image/private-apt.sh for $SUITE/$ARCH: a private apt, the machine's stays untouched.
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$DIR/parts";
Dir::Etc::sourcelist "$DIR/sources.list";
Dir::Etc::sourceparts "$DIR/parts";
Dir::Etc::preferences "$DIR/preferences";
Dir::Etc::preferencesparts "$DIR/preferences.d";
Dir::Etc::trustedparts "$DIR/parts";
Dir::State "$DIR";
Dir::State::lists "$DIR/lists";
Dir::State::status "$DIR/status";
Dir::Cache "$DIR/cache";
Dir::Cache::archives "$DIR/cache/archives";
APT::Architecture "$ARCH";
APT::Architectures { "$ARCH"; };
APT::Get::List-Cleanup "true";
Acquire::Languages "none";
Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled "false";
Acquire::IndexTargets::deb::CNF::DefaultEnabled "false";
Binary::apt::APT::Keep-Downloaded-Packages "true";
$(sed 's/$/;/' <<<"$carried")
CONF

changed=0
for f in sources.list apt.conf; do
  if cmp -s "$DIR/$f.new" "$DIR/$f"; then rm -f "$DIR/$f.new"; else mv -f "$DIR/$f.new" "$DIR/$f"; changed=1; fi
done

if [ "$UPDATE" = 1 ]; then
  stamp=$DIR/lists/.updated
  max_age_min=$(( ${BERTH_APT_MAX_AGE_H:-24} * 60 ))
  if [ "${BERTH_APT_UPDATE:-}" = 1 ] || [ "$changed" = 1 ] || [ ! -f "$stamp" ] ||
    [ -n "$(find "$stamp" -mmin +"$max_age_min" 2>/dev/null)" ]; then
    log "apt-get update ($SUITE/$ARCH)"
    # (as root into a directory _apt cannot write, apt says the download is "unsandboxed": harmless)
    APT_CONFIG=$DIR/apt.conf apt-get -q update 2>&1 >/dev/null | grep -v 'unsandboxed' >&2 || true
    ls "$DIR/lists/"*_dists_"${SUITE}"_*Packages* >/dev/null 2>&1 || die "apt-get update for $SUITE/$ARCH fetched no package list"
    touch "$stamp"
  fi
fi
echo "$DIR/apt.conf"

#!/bin/sh
# The VM's default container runtime: crun, with dockerd's libnetwork-setkey prestart hook pointed at
# /usr/lib/berth/libnetwork-setkey (a shell script) instead of dockerd's own binary.
#
# Why crun: containerd's shim runs the runtime 3-4 times per container (create, which starts runc's own
# `runc init` from a fresh copy of itself, start, delete) and once per exec; runc is a Go program, and
# under emulation (TCG) each of those starts cost a few hundred milliseconds. crun is C.
# Why the hook: see libnetwork-setkey.sh. The spec is the bundle's config.json, written by containerd
# before `create`; the rewrite touches only dockerd's own hook (the path /proc/PID/exe with the
# argument libnetwork-setkey). If a later docker writes it differently, nothing matches, dockerd's
# hook stays, and containers still start (only slower).
CRUN=${BERTH_CRUN:-/usr/bin/crun}
SETKEY=${BERTH_SETKEY:-/usr/lib/berth/libnetwork-setkey}
# Only `create` and `run` take a bundle (containerd's shim always names it).
bundle=
prev=
for arg in "$@"; do
  case $prev in --bundle | -b) bundle=$arg ;; esac
  case $arg in --bundle=*) bundle=${arg#--bundle=} ;; esac
  prev=$arg
done
if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then
  sed -i "s|\"path\":\"/proc/[0-9]*/exe\",\"args\":\[\"libnetwork-setkey\"|\"path\":\"$SETKEY\",\"args\":[\"libnetwork-setkey\"|" \
    "$bundle/config.json"
fi
exec "$CRUN" "$@"

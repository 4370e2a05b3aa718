#!/bin/sh
# docker's libnetwork-setkey OCI prestart hook, without starting dockerd's binary once more.
#
# For every container with a network namespace of its own, dockerd 26 puts a prestart hook into the
# container's OCI spec that runs its own binary again (/proc/DOCKERD_PID/exe libnetwork-setkey
# -exec-root=DIR CONTAINER_ID CONTROLLER_ID). That process reads the container's state from stdin
# and tells dockerd, over the unix socket DIR/libnetwork/CONTROLLER_ID.sock, which network namespace
# the runtime made ({"ContainerID":…,"Key":"/proc/PID/ns/net"}); dockerd then moves the container's
# veth into it and sets its addresses while the hook waits for "success". Under emulation (TCG) that
# second start of a 75 MB Go program (its relocations and package initialisation: 1.2-1.6 s at boot on a
# quiet machine, 10-17 s measured at a load average of 20-28) was most of every `docker run`.
# crun-runtime.sh points the hook here instead: the same message, sent with netcat-openbsd (0.2-0.4 s
# for this script at that load).
#
# Arguments (as dockerd gives them to its own hook): -exec-root=DIR CONTAINER_ID CONTROLLER_ID.
# stdin: the OCI state of the container ({"ociVersion":…,"id":…,"pid":PID,…}).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
NC=${BERTH_NC:-/usr/bin/nc.openbsd}
fail() {
  echo "libnetwork-setkey: $*" >&2
  exit 1
}
case $1 in -exec-root=/*) exec_root=${1#-exec-root=} ;; *) fail "expected -exec-root=DIR, got '$1'" ;; esac
container=$2
controller=$3
[ -n "$container" ] && [ -n "$controller" ] || fail "expected CONTAINER_ID and CONTROLLER_ID after -exec-root"
state=$(cat)
pid=$(printf '%s' "$state" | sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p')
[ -n "$pid" ] || fail "no pid in the container state on stdin: $state"
socket=$exec_root/libnetwork/$controller.sock
[ -S "$socket" ] || fail "no dockerd socket at $socket"
reply=$(printf '{"ContainerID":"%s","Key":"/proc/%s/ns/net"}' "$container" "$pid" | "$NC" -N -U "$socket") ||
  fail "cannot reach dockerd at $socket"
[ "$reply" = success ] || fail "dockerd answered: ${reply:-nothing}"

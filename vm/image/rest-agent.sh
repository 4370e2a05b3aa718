#!/bin/sh
# Berth's rest agent in the VM (started by /init in the background). It answers the host on the
# virtio-serial port named org.berth.rest (QEMU: virtserialport, a unix socket on the host; only QEMU's
# owner reaches it), one line a request, one line an answer:
#   busy          -> "busy N": container processes running now (shims, runc/crun: also a build's steps)
#   drop-caches   -> "ok": page cache written back and dropped, so free page reporting hands it to the host
#   mem-free      -> "mem-free KIB": MemFree, what a balloon may take before a rest without the guest
#                    reclaiming anything (MemAvailable would count the engine's code pages, read back
#                    from disk at the next wake)
#   set-time S    -> "ok": the clock set to the host's (seconds since the epoch): under a paused VM the
#                    guest's TSC stood still, so its clock is behind by the length of the rest
# Blocking reads: it costs nothing until the host writes.
find_port() {
  for p in /sys/class/virtio-ports/*; do
    [ "$(cat "$p/name" 2>/dev/null)" = org.berth.rest ] && { echo "/dev/${p##*/}"; return 0; }
  done
  return 1
}
container_processes() {
  n=0
  for c in /proc/[0-9]*/comm; do
    read -r name <"$c" 2>/dev/null || continue
    case $name in containerd-shim*|runc|crun|buildkit-runc) n=$((n + 1)) ;; esac
  done
  echo "$n"
}
mem_free() {
  while read -r key value _; do
    [ "$key" = MemFree: ] && { echo "$value"; return; }
  done </proc/meminfo
  echo 0
}
PORT=$(find_port) || exit 0 # a QEMU without the port (an older Berth): nothing to answer
while :; do
  # One open of the port for both ways: a virtio console port takes only one.
  if exec 3<>"$PORT"; then
    while read -r cmd arg <&3; do
      case $cmd in
        busy) echo "busy $(container_processes)" >&3 ;;
        drop-caches) sync; echo 3 >/proc/sys/vm/drop_caches; echo ok >&3 ;;
        mem-free) echo "mem-free $(mem_free)" >&3 ;;
        set-time) { date -u -s "@${arg%%.*}" >/dev/null 2>&1 && echo ok || echo "error set-time"; } >&3 ;;
        *) echo "error unknown $cmd" >&3 ;;
      esac
    done
    exec 3<&-
  fi
  # The host is not connected (reads see the end of file until it is): look again in a second.
  sleep 1
done

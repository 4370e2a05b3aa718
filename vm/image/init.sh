#!/bin/sh
# PID 1 of the Berth engine VM (busybox ash). Copied to /init by build-image.sh.
#
# Serial-console protocol read by the host (one marker per line, "t=" is the guest uptime):
#   BERTH-STEP <kernel|modules|network|config|disk|engine|poweroff> t=...
#   BERTH-READY t=...            dockerd has completed initialization (shared folders mounted, NAT set)
#   BERTH-ERROR <reason>         something failed; the lines after it say what
#   BERTH-WARN <what>: <reason>  something optional failed (a shared folder); the VM boots on
#   BERTH-POWEROFF t=...         the data disk is synced and unmounted; the VM turns itself off
#
# Per-instance configuration comes from QEMU fw_cfg (-fw_cfg name=opt/berth/NAME,file=...):
#   ca.pem, server-cert.pem, server-key.pem   dockerd mutual TLS (required: no TLS, no TCP listener)
#   daemon.json                                optional /etc/docker/daemon.json; it must not set
#                                              hosts or tls* (given as flags here)
#   time                                       optional host UNIX time, in case the guest RTC is off
#   shares                                     optional shared folders, one "TAG PATH" a line: the
#                                              virtiofs TAG is mounted at PATH (the host's own path);
#                                              one that fails is a "BERTH-WARN folder PATH: REASON" line
# Kernel command line: berth.disk=/dev/vdX (default /dev/vda), berth.ramdisk=1 (skip the copy to
# tmpfs and let runc chroot instead of pivot_root; faster, weaker isolation), berth.debug=1 (copy
# dockerd's log to the console, to see where its start spends time).

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
uptime_s() { read -r up _ </proc/uptime; echo "$up"; }
step() { echo "BERTH-STEP $1 t=$(uptime_s)"; }
fail() { echo "BERTH-ERROR $*"; }
cmdline_value() { # cmdline_value KEY DEFAULT
  for arg in $(cat /proc/cmdline); do
    case $arg in "$1="*) echo "${arg#*=}"; return ;; esac
  done
  echo "$2"
}

mount_early() { # idempotent: stage 2 finds these already moved over from stage 1
  [ -e /proc/self ] || mount -t proc -o nosuid,nodev,noexec proc /proc
  [ -d /sys/kernel ] || mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
  [ -c /dev/null ] || mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
}

# --- stage 1: the kernel unpacked us into rootfs, which pivot_root(2) cannot leave (the root mount
# has no parent), and runc pivot_roots every container. A bind mount of rootfs moved over / is a mount
# with a parent, which is all pivot_root asks: chroot into it. Free, where copying the 165 MB into a
# tmpfs and switch_root-ing took 0.8-1.5 s under TCG (and held a second copy in RAM until then). The
# copy stays as the fallback.
if [ "$1" != stage2 ]; then
  mount_early
  exec </dev/console >/dev/console 2>&1
  step kernel
  if [ "$(cmdline_value berth.ramdisk 0)" != 1 ]; then
    if mount --bind / /newroot; then
      for m in /dev /proc /sys; do mount --move "$m" "/newroot$m"; done
      cd /newroot && mount --move . / && exec chroot . /init stage2
      echo "berth: moving the root failed; copying it instead"
      for m in /dev /proc /sys; do mount --move "/newroot$m" "$m"; done
      cd / && umount /newroot
    fi
    mount -t tmpfs -o mode=0755 rootfs-copy /newroot
    for entry in /*; do
      case $entry in /proc|/sys|/dev|/newroot) mkdir -p "/newroot$entry" ;; *) cp -a "$entry" /newroot/ ;; esac
    done
    for m in /dev /proc /sys; do mount --move "$m" "/newroot$m"; done
    exec switch_root /newroot /init stage2
  fi
fi

# --- stage 2 ----------------------------------------------------------------------------------------
mount_early
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o nosuid,noexec,gid=5,mode=0620,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev,mode=1777 shm /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t tmpfs -o nosuid,nodev,mode=0755 run /run
mount -t tmpfs -o nosuid,nodev,mode=1777 tmp /tmp
mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate cgroup2 /sys/fs/cgroup
[ -d /sys/kernel/security ] && mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mkdir -p /run/berth
[ "$(cmdline_value berth.ramdisk 0)" = 1 ] && export DOCKER_RAMDISK=true
[ "$1" = stage2 ] && step rootfs

# Modules in dependency order (computed at build time); the rest load on demand through modprobe.
KVER=$(cat /etc/berth/kernel-release)
echo /sbin/modprobe >/proc/sys/kernel/modprobe
while read -r mod; do
  insmod "/lib/modules/$KVER/$mod" 2>/dev/null || {
    grep -q "^$(basename "$mod" .ko | tr - _) " /proc/modules || fail "insmod $mod"
  }
done </etc/berth/modules.boot
step modules

# Power button (QMP system_powerdown -> ACPI -> KEY_POWER) -> acpid -> SIGUSR1 to us.
acpid -c /etc/acpi -l /run/berth/acpid.log 2>/dev/null || fail "acpid did not start"

# containerd, started now so that its own start (1-2 s under TCG) overlaps network, config and disk,
# and dockerd finds it listening instead of waiting out a gRPC reconnect backoff (1 s). dockerd
# connects with --containerd, as Debian's docker.service does. Its state is only that of running
# tasks (dockerd 20.10 keeps images and containers in /var/lib/docker), so it lives in RAM.
ulimit -n 1048576
containerd --config /etc/containerd/config.toml >/run/berth/containerd.log 2>&1 &

# --- network: QEMU user-net (slirp) ----------------------------------------------------------------
hostname "$(cat /etc/hostname)"
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2 ||
  fail "network: no eth0"
echo "nameserver 10.0.2.3" >/etc/resolv.conf
echo 1 >/proc/sys/net/ipv4/ip_forward
step network

# --- per-instance configuration ---------------------------------------------------------------------
FWCFG=/sys/firmware/qemu_fw_cfg/by_name/opt/berth
TLS=/etc/docker/tls
mkdir -p "$TLS" && chmod 0700 "$TLS"
for name in ca.pem server-cert.pem server-key.pem; do
  [ -r "$FWCFG/$name/raw" ] && (umask 077 && cat "$FWCFG/$name/raw" >"$TLS/$name")
done
[ -r "$FWCFG/daemon.json/raw" ] && cat "$FWCFG/daemon.json/raw" >/etc/docker/daemon.json
[ -r "$FWCFG/time/raw" ] && date -s "@$(cat "$FWCFG/time/raw")" >/dev/null
step config

# --- data disk ---------------------------------------------------------------------------------------
DISK=$(cmdline_value berth.disk /dev/vda)
n=0
while [ ! -b "$DISK" ] && [ $n -lt 50 ]; do usleep 100000; n=$((n + 1)); done
DATA_MOUNTED=0
if [ ! -b "$DISK" ]; then
  fail "disk: $DISK not found; /var/lib/docker stays in RAM"
else
  magic=$(hexdump -s 1080 -n 2 -e '1/2 "%04x"' "$DISK")
  GROW=0
  if [ "$magic" = ef53 ]; then
    /sbin/e2fsck -p "$DISK" >/run/berth/e2fsck.log 2>&1
    rc=$?
    [ $rc -ge 4 ] && { fail "disk: e2fsck -p exit $rc"; cat /run/berth/e2fsck.log; }
    # The host grows the qcow2 (qemu-img resize) when the disk size setting goes up; the file system
    # follows here. Sizes in KiB: s_blocks_count_lo at 1028, s_log_block_size at 1048 (block = 1 KiB << n).
    fs_kib=$(( $(hexdump -s 1028 -n 4 -e '1/4 "%u"' "$DISK") << $(hexdump -s 1048 -n 4 -e '1/4 "%u"' "$DISK") ))
    dev_kib=$(( $(cat "/sys/class/block/${DISK#/dev/}/size") / 2 ))
    # More than 64 MiB of slack: less is mke2fs's own rounding (an incomplete last block group).
    [ $((dev_kib - fs_kib)) -gt 65536 ] && GROW=1
  elif cmp -s -n 1048576 "$DISK" /dev/zero; then
    echo "berth: formatting empty disk $DISK"
    # Full path: busybox's own mke2fs applet would otherwise win and cannot make ext4.
    /sbin/mke2fs -q -t ext4 -L berth-data -E lazy_itable_init=1,lazy_journal_init=1 "$DISK" ||
      fail "disk: mke2fs failed"
  else
    fail "disk: $DISK holds something that is not ext4; not formatting it"
  fi
  mount -t ext4 -o noatime "$DISK" /var/lib/docker && DATA_MOUNTED=1 || fail "disk: mount failed"
  if [ "$GROW" = 1 ] && [ "$DATA_MOUNTED" = 1 ]; then
    # Online growth: no e2fsck -f needed, and the engine's data stays where it is.
    echo "berth: growing the file system on $DISK from $((fs_kib / 1024)) MiB to $((dev_kib / 1024)) MiB"
    /sbin/resize2fs "$DISK" >/run/berth/resize2fs.log 2>&1 || { fail "disk: resize2fs failed"; cat /run/berth/resize2fs.log; }
  fi
fi
step disk

# --- shared folders (virtiofs), at the host's own paths so bind mounts mean the same folder ---------
# A folder that cannot be mounted is reported and skipped: the engine is still useful without it.
# Mounted in the background while dockerd starts (nothing in its start reads them); BERTH-READY waits.
mount_shared_folders() {
  # virtiofs (and fuse) are modules, loaded only when something is shared; if this fails, each
  # mount below says so ("No such device").
  modprobe virtiofs 2>/dev/null
  while read -r tag dir; do
    [ -n "$tag" ] && [ -n "$dir" ] || continue
    if ! mkdir -p "$dir" 2>"/run/berth/$tag.err" || ! mount -t virtiofs "$tag" "$dir" 2>>"/run/berth/$tag.err"; then
      echo "BERTH-WARN folder $dir: $(tr '\n' ' ' <"/run/berth/$tag.err")"
    fi
  done <"$FWCFG/shares/raw"
}
SHARES_PID=
if [ -r "$FWCFG/shares/raw" ]; then
  mount_shared_folders &
  SHARES_PID=$!
fi

# --- engine --------------------------------------------------------------------------------------------
DOCKERD_PID=
NAT_PID=
shutdown_vm() {
  trap '' USR1 TERM INT
  step poweroff
  if [ -n "$DOCKERD_PID" ]; then
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    n=0
    while kill -0 "$DOCKERD_PID" 2>/dev/null && [ $n -lt 300 ]; do usleep 100000; n=$((n + 1)); done
  fi
  kill -TERM -1 2>/dev/null; usleep 200000; kill -KILL -1 2>/dev/null
  sync
  # Container overlay mounts first (deepest first), then the data disk itself.
  grep -o ' /var/lib/docker/[^ ]*' /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  if [ "$DATA_MOUNTED" = 1 ]; then
    umount /var/lib/docker 2>/dev/null || mount -o remount,ro /var/lib/docker || fail "disk: still mounted rw"
  fi
  sync
  echo "BERTH-POWEROFF t=$(uptime_s)"
  poweroff -f
  reboot -f # if ACPI power-off is unavailable; QEMU runs with -no-reboot
}
trap shutdown_vm USR1 TERM INT

if [ ! -s "$TLS/ca.pem" ] || [ ! -s "$TLS/server-cert.pem" ] || [ ! -s "$TLS/server-key.pem" ]; then
  fail "engine: TLS material missing (fw_cfg opt/berth/{ca.pem,server-cert.pem,server-key.pem}); not starting dockerd"
else
  set -- --host=unix:///run/docker.sock --host=tcp://0.0.0.0:2376 --containerd=/run/containerd/containerd.sock \
    --tlsverify --tlscacert="$TLS/ca.pem" --tlscert="$TLS/server-cert.pem" --tlskey="$TLS/server-key.pem"
  conf=/etc/docker/daemon.json
  grep -q '"shutdown-timeout"' "$conf" 2>/dev/null || set -- "$@" --shutdown-timeout=5
  # ~90 iptables execs cost 6-10 s of boot under TCG: by default dockerd leaves iptables alone and
  # one MASQUERADE rule gives containers outbound NAT through eth0. Published ports then go through
  # docker-proxy. daemon.json can turn dockerd's iptables management back on.
  if ! grep -q '"iptables"' "$conf" 2>/dev/null; then
    set -- "$@" --iptables=false
    # In the background too: one xtables-nft-multi exec is ~0.3 s under TCG; BERTH-READY waits for it.
    { iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE || fail "iptables: MASQUERADE rule"; } &
    NAT_PID=$!
  fi
  # Keep the engine's identity (key.json) across boots.
  mkdir -p /var/lib/docker/.berth
  ln -sfn /var/lib/docker/.berth/key.json /etc/docker/key.json
  : >/run/berth/dockerd.log
  [ "$(cmdline_value berth.debug 0)" = 1 ] && tail -f /run/berth/dockerd.log | sed 's/^/dockerd: /' &
  dockerd "$@" >>/run/berth/dockerd.log 2>&1 &
  DOCKERD_PID=$!
  step engine
  while ! grep -q 'Daemon has completed initialization' /run/berth/dockerd.log; do
    if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      fail "engine: dockerd exited during startup"; tail -n 20 /run/berth/dockerd.log; DOCKERD_PID=; break
    fi
    usleep 50000
  done
  # Containers may use the shared folders and outbound NAT as soon as the host hears BERTH-READY.
  for pid in $SHARES_PID $NAT_PID; do wait "$pid"; done
  [ -n "$DOCKERD_PID" ] && echo "BERTH-READY t=$(uptime_s)"
fi

# Wait for the power button or for dockerd to die; `wait` returns early when a trapped signal arrives.
while :; do
  if [ -n "$DOCKERD_PID" ]; then
    wait "$DOCKERD_PID"
    if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      fail "engine: dockerd exited"; tail -n 20 /run/berth/dockerd.log; DOCKERD_PID=
    fi
  else
    sleep 3600 & wait $!
  fi
done

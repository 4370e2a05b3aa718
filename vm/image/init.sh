#!/bin/sh
# PID 1 of the Berth engine VM (busybox ash). Copied to /init by build-image.sh.
#
# Serial-console protocol read by the host (one marker per line, "t=" is the guest uptime):
#   BERTH-STEP <kernel|modules|network|config|disk|engine|poweroff> t=...
#   BERTH-READY t=...            dockerd has completed initialization
#   BERTH-ERROR <reason>         something failed; the lines after it say what
#   BERTH-POWEROFF t=...         the data disk is synced and unmounted; the VM turns itself off
#
# Per-instance configuration comes from QEMU fw_cfg (-fw_cfg name=opt/berth/NAME,file=...):
#   ca.pem, server-cert.pem, server-key.pem   dockerd mutual TLS (required: no TLS, no TCP listener)
#   daemon.json                                optional /etc/docker/daemon.json; it must not set
#                                              hosts or tls* (given as flags here)
#   time                                       optional host UNIX time, in case the guest RTC is off
# Kernel command line: berth.disk=/dev/vdX (default /dev/vda), berth.ramdisk=1 (skip the copy to
# tmpfs and let runc chroot instead of pivot_root; faster, weaker isolation).

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

# --- stage 1: the kernel unpacked us into rootfs, which pivot_root(2) cannot leave, and runc
# pivot_roots every container. Copy into a tmpfs and switch_root into it (switch_root frees rootfs).
if [ "$1" != stage2 ]; then
  mount_early
  exec </dev/console >/dev/console 2>&1
  step kernel
  if [ "$(cmdline_value berth.ramdisk 0)" != 1 ]; then
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
  if [ "$magic" = ef53 ]; then
    /sbin/e2fsck -p "$DISK" >/run/berth/e2fsck.log 2>&1
    rc=$?
    [ $rc -ge 4 ] && { fail "disk: e2fsck -p exit $rc"; cat /run/berth/e2fsck.log; }
  elif cmp -s -n 1048576 "$DISK" /dev/zero; then
    echo "berth: formatting empty disk $DISK"
    # Full path: busybox's own mke2fs applet would otherwise win and cannot make ext4.
    /sbin/mke2fs -q -t ext4 -L berth-data -E lazy_itable_init=1,lazy_journal_init=1 "$DISK" ||
      fail "disk: mke2fs failed"
  else
    fail "disk: $DISK holds something that is not ext4; not formatting it"
  fi
  mount -t ext4 -o noatime "$DISK" /var/lib/docker && DATA_MOUNTED=1 || fail "disk: mount failed"
fi
step disk

# --- engine --------------------------------------------------------------------------------------------
DOCKERD_PID=
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
  set -- --host=unix:///run/docker.sock --host=tcp://0.0.0.0:2376 \
    --tlsverify --tlscacert="$TLS/ca.pem" --tlscert="$TLS/server-cert.pem" --tlskey="$TLS/server-key.pem"
  conf=/etc/docker/daemon.json
  grep -q '"shutdown-timeout"' "$conf" 2>/dev/null || set -- "$@" --shutdown-timeout=5
  # ~90 iptables execs cost 6-10 s of boot under TCG: by default dockerd leaves iptables alone and
  # one MASQUERADE rule gives containers outbound NAT through eth0. Published ports then go through
  # docker-proxy. daemon.json can turn dockerd's iptables management back on.
  if ! grep -q '"iptables"' "$conf" 2>/dev/null; then
    set -- "$@" --iptables=false
    iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE || fail "iptables: MASQUERADE rule"
  fi
  # Keep the engine's identity (key.json) across boots.
  mkdir -p /var/lib/docker/.berth
  ln -sfn /var/lib/docker/.berth/key.json /etc/docker/key.json
  ulimit -n 1048576
  dockerd "$@" >/run/berth/dockerd.log 2>&1 &
  DOCKERD_PID=$!
  step engine
  while ! grep -q 'Daemon has completed initialization' /run/berth/dockerd.log; do
    if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      fail "engine: dockerd exited during startup"; tail -n 20 /run/berth/dockerd.log; DOCKERD_PID=; break
    fi
    usleep 50000
  done
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

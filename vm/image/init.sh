#!/bin/sh
# PID 1 of the Berth engine VM (busybox ash), once the initramfs's /init (init-stage1.sh) has put the
# root image under a writable overlay and switched to it. Copied to /init of rootfs.img by
# build-image.sh.
#
# Serial-console protocol read by the host (one marker per line, "t=" is the guest uptime):
#   BERTH-STEP <kernel|modules|network|config|disk|engine|poweroff> t=...
#   BERTH-READY t=...            dockerd answers its API (shared folders mounted, network and NAT set)
#   BERTH-ERROR <reason>         something failed; the lines after it say what
#   BERTH-WARN <what>: <reason>  something optional failed (a shared folder); the VM boots on
#   BERTH-POWEROFF t=...         the data disk is synced and unmounted; the VM turns itself off
#   BERTH-SNAPSHOT t=...         (berth.snapshot=1) the boot snapshot's point: the host saves or restores
#                                the VM, then answers on the org.berth.resume port
#
# Per-instance configuration comes from QEMU fw_cfg (-fw_cfg name=opt/berth/NAME,file=...):
#   ca.pem, server-cert.pem, server-key.pem   dockerd mutual TLS (required: no TLS, no TCP listener)
#   daemon.json                                optional /etc/docker/daemon.json; it must not set
#                                              hosts or tls* (given as flags here)
#   time                                       optional host UNIX time, in case the guest RTC is off
#   shares                                     optional shared folders, one "TAG PATH" a line: the
#                                              TAG is mounted at PATH (the host's own path); one that
#                                              fails is a "BERTH-WARN folder PATH: REASON" line
# Kernel command line: berth.disk=/dev/vdX (default: the disk with serial berth-data), berth.debug=1
# (copy dockerd's and containerd's logs to the console, to see where their start spends time),
# berth.shares=virtiofs|9p (how the host shares the folders: virtiofs by default; 9p where the host
# has no virtiofsd, as with QEMU on macOS), berth.snapshot=1 (stop at the boot snapshot's point, below).
#
# Under WSL 2 (`/usr/lib/berth/init --wsl`, run by vm/wsl through `wsl.exe --exec`; WSL keeps /init for
# its own init) this script is not PID 1 and the kernel, the network and the disk are WSL's, shared by
# every distribution: it loads no module, mounts no disk (/var/lib/docker is on the distribution's own
# disk), leaves the network to WSL but for the NAT rule, and powers nothing off. Its markers go to
# stdout (wsl.exe's output), its configuration is read from /var/lib/berth/config/NAME (written there
# by the host before each start, as fw_cfg would), plus engine-port: dockerd listens on 127.0.0.1:PORT,
# which WSL forwards from Windows' localhost. Stop: SIGTERM to the pid in /run/berth/init.pid.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
WSL=0
[ "$1" = --wsl ] && WSL=1
uptime_s() { read -r up _ </proc/uptime; echo "$up"; }
step() { echo "BERTH-STEP $1 t=$(uptime_s)"; }
fail() { echo "BERTH-ERROR $*"; }
cmdline_value() { # cmdline_value KEY DEFAULT
  for arg in $(cat /proc/cmdline); do
    case $arg in "$1="*) echo "${arg#*=}"; return ;; esac
  done
  echo "$2"
}

mount_early() { # idempotent: these come moved over from the initramfs
  [ -e /proc/self ] || mount -t proc -o nosuid,nodev,noexec proc /proc
  [ -d /sys/kernel ] || mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
  [ -c /dev/null ] || mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
}

# pump_output NAME [WORD=REGEX ...]: starts the reader of NAME's output, which NAME writes into the
# FIFO /run/berth/NAME.out. One awk appends it to /run/berth/NAME.log and, with berth.debug=1, copies
# each line to the console stamped with the guest uptime (the logs' own clock is the guest's wall
# clock, which cannot be lined up with the BERTH-STEP markers). The first line matching each REGEX
# writes its WORD to the FIFO /run/berth/NAME.state, and output that ends before the last one matched
# writes "exited": init waits on that FIFO instead of polling the log. The caller holds the state FIFO
# open (read-write), so awk never blocks on it.
pump_output() {
  name=$1
  shift
  mkfifo "/run/berth/$name.out"
  awk -v name="$name" -v logfile="/run/berth/$name.log" -v debug="$DEBUG" -v marks="$([ $# -gt 0 ] && printf '%s\t' "$@")" \
    -v state="/run/berth/$name.state" '
    BEGIN {
      n = split(marks, m, "\t") - 1
      for (i = 1; i <= n; i++) { k = index(m[i], "="); word[i] = substr(m[i], 1, k - 1); re[i] = substr(m[i], k + 1) }
    }
    {
      print >>logfile; fflush(logfile)
      if (debug == 1) {
        getline up <"/proc/uptime"; close("/proc/uptime"); split(up, u, " ")
        print name ": t=" u[1] " " $0 >"/dev/console"; fflush("/dev/console")
      }
      for (i = 1; i <= n; i++) if (!seen[i] && $0 ~ re[i]) { seen[i] = 1; print word[i] >state; close(state) }
    }
    END { if (n > 0 && !seen[n]) { print "exited" >state; close(state) } }' <"/run/berth/$name.out" 3<&- &
}

if [ "$WSL" = 1 ]; then
  # WSL has mounted /proc, /sys, /dev, /run and the cgroups for the distribution already.
  exec </dev/null 2>&1
  grep -q ' /run tmpfs ' /proc/self/mounts || mount -t tmpfs -o nosuid,nodev,mode=0755 run /run
  mkdir -p /run/berth
  echo $$ >/run/berth/init.pid
else
mount_early
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o nosuid,noexec,gid=5,mode=0620,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev,mode=1777 shm /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t tmpfs -o nosuid,nodev,mode=0755 run /run
mount -t tmpfs -o nosuid,nodev,mode=1777 tmp /tmp
mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate cgroup2 /sys/fs/cgroup
# The initramfs's /init has turned the memory and CPU controllers on already (and says why).
[ -d /sys/kernel/security ] && mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mkdir -p /run/berth
fi
DEBUG=$(cmdline_value berth.debug 0)
step rootfs

# --- per-instance configuration (qemu_fw_cfg is loaded by the initramfs) ----------------------------
FWCFG=/sys/firmware/qemu_fw_cfg/by_name/opt/berth
config_file() { # config_file NAME: where the host's file NAME is (fw_cfg, or the folder vm/wsl writes)
  if [ "$WSL" = 1 ]; then echo "/var/lib/berth/config/$1"; else echo "$FWCFG/$1/raw"; fi
}
# QEMU forwards the host's 127.0.0.1:PORT to 2376 on eth0; under WSL the engine listens on the port the
# host chose, on 127.0.0.1 of the network every WSL distribution shares (WSL forwards it from Windows).
ENGINE_ADDRESS=0.0.0.0:2376
if [ "$WSL" = 1 ]; then
  ENGINE_ADDRESS=127.0.0.1:$(cat "$(config_file engine-port)" 2>/dev/null)
  case $ENGINE_ADDRESS in *:[0-9]*) ;; *) fail "config: engine-port missing from $(config_file engine-port)" ;; esac
fi
TLS=/etc/docker/tls
mkdir -p "$TLS" && chmod 0700 "$TLS"
for name in ca.pem server-cert.pem server-key.pem; do
  [ -r "$(config_file $name)" ] && (umask 077 && cat "$(config_file $name)" >"$TLS/$name")
done
DAEMON_JSON=/run/berth/daemon.json
if [ -r "$(config_file daemon.json)" ]; then cat "$(config_file daemon.json)" >"$DAEMON_JSON"; else echo '{}' >"$DAEMON_JSON"; fi
# Unless daemon.json says otherwise, dockerd leaves iptables alone and init writes one NAT rule (below).
BERTH_NAT=1
grep -q '"iptables"' "$DAEMON_JSON" && BERTH_NAT=0
[ -r "$(config_file time)" ] && date -s "@$(cat "$(config_file time)")" >/dev/null
step config

# --- the engine's processes, started before what they need is there ---------------------------------
# Under TCG, dockerd spends 1.2-1.6 s before it reads anything: loading its 75 MB binary (244,000
# relocations) and, mostly, its Go package initialisation (GODEBUG=inittrace=1: libnetwork/ipamutils
# splits 10.0.0.0/8 into 65,536 pools, 0.3 s; the AWS SDK's endpoint tables, 0.27 s); containerd about
# 1 s to serve. Neither needs the modules, the network or the data disk for that, so both start now,
# while this script loads modules and mounts the disk. dockerd's first read is its configuration file:
# a FIFO here, whose open blocks until release_engine (below) writes the real file into it.
DOCKERD_PID=
DOCKERD_CONF=/etc/docker/daemon.json
ulimit -n 1048576
# No ::1 on the VM's own loopback: dockerd then finds IPv6 unusable here and starts one docker-proxy per
# published port (0.0.0.0) instead of two (0.0.0.0 and ::). The host reaches published ports only through
# QEMU's IPv4 forwards to 10.0.2.15, so the second one served nothing, and each is a Go program whose start
# costs a few hundred milliseconds of every `docker run -p` under emulation. Containers keep their own ::1
# (a new network namespace takes the defaults, not lo's setting); under WSL the network is not ours.
[ "$WSL" = 1 ] || echo 1 >/proc/sys/net/ipv6/conf/lo/disable_ipv6
# containerd's state is only that of running tasks (dockerd keeps images and containers in
# /var/lib/docker), so it lives in RAM; dockerd connects to it with --containerd, as Debian's
# docker.service does, and finds it listening instead of waiting out a gRPC reconnect backoff (1 s).
pump_output containerd
containerd --config /etc/containerd/config.toml >/run/berth/containerd.out 2>&1 &
CONTAINERD_PID=$!
if [ ! -s "$TLS/ca.pem" ] || [ ! -s "$TLS/server-cert.pem" ] || [ ! -s "$TLS/server-key.pem" ]; then
  fail "engine: TLS material missing (fw_cfg opt/berth/{ca.pem,server-cert.pem,server-key.pem}); not starting dockerd"
else
  set -- --host=unix:///run/docker.sock --host="tcp://$ENGINE_ADDRESS" --containerd=/run/containerd/containerd.sock \
    --tlsverify --tlscacert="$TLS/ca.pem" --tlscert="$TLS/server-cert.pem" --tlskey="$TLS/server-key.pem" \
    --config-file="$DOCKERD_CONF"
  grep -q '"shutdown-timeout"' "$DAEMON_JSON" || set -- "$@" --shutdown-timeout=5
  # crun is the default runtime, through /usr/lib/berth/crun-runtime (which also makes dockerd's network
  # hook cheap: both cut seconds from every container start under emulation; see that script); runc
  # stays as `docker run --runtime runc`. A daemon.json with its own runtimes or default runtime wins
  # (dockerd refuses a key given both as a flag and in its file).
  if [ -x /usr/bin/crun ] && ! grep -q '"runtimes"' "$DAEMON_JSON"; then
    set -- "$@" --add-runtime=crun=/usr/lib/berth/crun-runtime
    grep -q '"default-runtime"' "$DAEMON_JSON" || set -- "$@" --default-runtime=crun
  fi
  # ~90 iptables execs cost 6-10 s of boot under TCG: by default dockerd leaves iptables alone and
  # one MASQUERADE rule (below) gives containers outbound NAT through eth0. Published ports then go
  # through docker-proxy. daemon.json can turn dockerd's iptables management back on.
  [ "$BERTH_NAT" = 1 ] && set -- "$@" --iptables=false
  rm -f "$DOCKERD_CONF" && mkfifo -m 0600 "$DOCKERD_CONF"
  # "Starting up" comes right after dockerd has read its configuration, its package initialisation
  # done. "API listen on" is the moment it answers, up to a second after "Daemon has completed
  # initialization" under TCG (the API routers and BuildKit are set up in between).
  mkfifo /run/berth/dockerd.state && exec 3<>/run/berth/dockerd.state
  pump_output dockerd 'started=Starting up' "ready=API listen on .*:${ENGINE_ADDRESS##*:}"
  dockerd "$@" >/run/berth/dockerd.out 2>&1 3<&- &
  DOCKERD_PID=$!
fi

# Hands dockerd its configuration through the FIFO it is waiting on. The regular file replaces the
# FIFO before the writer closes, so any later read (a reload on SIGHUP) finds the file.
release_engine() {
  [ -n "$DOCKERD_PID" ] || return 0
  { cat "$DAEMON_JSON"; cp "$DAEMON_JSON" "$DOCKERD_CONF.new" && mv -f "$DOCKERD_CONF.new" "$DOCKERD_CONF"; } >"$DOCKERD_CONF"
}

# --- modules: dockerd's now, the others (then the network) in the background later ------------------
# Each list is in dependency order (computed at build time); the rest load on demand through modprobe.
KVER=$(cat /etc/berth/kernel-release)
# Under WSL the kernel and its modprobe setting belong to every distribution: left alone.
[ "$WSL" = 1 ] || echo /sbin/modprobe >/proc/sys/kernel/modprobe
load_modules() { # load_modules LIST
  [ "$WSL" = 1 ] && return 0 # WSL's kernel is Microsoft's, with what docker needs built in
  while read -r mod; do
    insmod "/lib/modules/$KVER/$mod" 2>/dev/null || {
      grep -q "^$(basename "$mod" .ko | tr - _) " /proc/modules || fail "insmod $mod"
    }
  done <"$1"
}
# The other modules, then QEMU user-net (slirp) and containers' outbound NAT through it.
bring_up_network() {
  if [ "$WSL" = 1 ]; then
    # WSL's own eth0, DNS and hosts; the network is shared with the other distributions, so the rule
    # is added once, not once per start.
    echo 1 >/proc/sys/net/ipv4/ip_forward
    if [ "$BERTH_NAT" = 1 ] && ! iptables -t nat -C POSTROUTING -o eth0 -j MASQUERADE 2>/dev/null; then
      iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE || fail "iptables: MASQUERADE rule"
    fi
    step network
    return
  fi
  [ "$BOOT_MODULES_LOADED" = 1 ] || load_modules /etc/berth/modules.boot
  step modules
  # Power button (QMP system_powerdown -> ACPI -> KEY_POWER) -> acpid -> SIGUSR1 to us.
  acpid -c /etc/acpi -l /run/berth/acpid.log 2>/dev/null || fail "acpid did not start"
  # The host's questions before and after a rest (idle containers, page cache, the clock).
  /usr/lib/berth/rest-agent </dev/null >/dev/null 2>&1 &
  hostname "$(cat /etc/hostname)"
  ip link set lo up
  ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2 ||
    fail "network: no eth0"
  echo "nameserver 10.0.2.3" >/etc/resolv.conf
  echo 1 >/proc/sys/net/ipv4/ip_forward
  if [ "$BERTH_NAT" = 1 ]; then
    iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE || fail "iptables: MASQUERADE rule"
  fi
  step network
}
load_modules /etc/berth/modules.engine

# --- data disk ---------------------------------------------------------------------------------------
disk_with_serial() {
  for dev in /sys/block/vd*; do
    [ "$(cat "$dev/serial" 2>/dev/null)" = "$1" ] && { echo "/dev/${dev##*/}"; return 0; }
  done
  echo "/dev/missing-$1"
}
DISK=$(cmdline_value berth.disk "$(disk_with_serial berth-data)")
DATA_MOUNTED=0
BOOT_MODULES_LOADED=0

# --- the boot snapshot's point (berth.snapshot=1; vm/snapshot/ on the host) --------------------------
# The kernel, the modules and the configuration are in; containerd serves and dockerd has done its
# package initialisation and waits for its configuration file; the data disk has not been read. The
# host saves the VM here on a cold boot, and later boots restore it here instead of booting: nothing
# after this point may depend on a read made before it that can differ between boots. Either way the
# host then writes one line on the org.berth.resume port: its clock and a random seed (resume-seed.c).
virtio_port() { # virtio_port NAME: the device of the virtio-serial port NAME
  for p in /sys/class/virtio-ports/*; do
    [ "$(cat "$p/name" 2>/dev/null)" = "$1" ] && { echo "/dev/${p##*/}"; return 0; }
  done
  return 1
}
CONTAINERD_UP=0
engine_waits() { # containerd answers and one of dockerd's threads sleeps in the open of its config FIFO
  [ "$CONTAINERD_UP" = 1 ] || grep -q 'containerd successfully booted' /run/berth/containerd.log 2>/dev/null || return 1
  CONTAINERD_UP=1
  [ -z "$DOCKERD_PID" ] && return 0
  for w in /proc/"$DOCKERD_PID"/task/*/wchan; do
    read -r where <"$w" # no newline at the end: read fails but sets it
    case $where in fifo_open | wait_for_partner) return 0 ;; esac
  done
  return 1
}
if [ "$WSL" = 0 ] && [ "$(cmdline_value berth.snapshot 0)" = 1 ]; then
  RESUME_PORT=$(virtio_port org.berth.resume) || fail "snapshot: no org.berth.resume port"
  # The other modules too (2 s of a restored boot otherwise): nothing in them differs from boot to boot.
  load_modules /etc/berth/modules.boot
  BOOT_MODULES_LOADED=1
  # At most about 30 s: a snapshot of an engine still starting is only slower to restore.
  n=0
  until engine_waits || [ $n -ge 600 ]; do usleep 50000; n=$((n + 1)); done
  [ $n -ge 600 ] && echo "berth: the engine was not waiting for its configuration; saving the VM anyway"
  echo "BERTH-SNAPSHOT t=$(uptime_s)"
  # EOF until the host has connected to the port: ask again.
  until [ -z "$RESUME_PORT" ] || read -r resume_line <"$RESUME_PORT"; do usleep 20000; done
  echo "$resume_line" | /usr/lib/berth/resume-seed || fail "snapshot: resume-seed failed"
  # Blocks of the data disk the kernel read when it found the device (before the snapshot) may be from
  # another boot's disk: forget them before the superblock is read.
  [ -b "$DISK" ] && blockdev --flushbufs "$DISK"
  step resumed
fi
if [ "$WSL" = 1 ]; then
  : # /var/lib/docker is on the distribution's own disk (WSL's ext4.vhdx)
elif [ ! -b "$DISK" ]; then
  fail "disk: $DISK not found; /var/lib/docker stays in RAM"
else
  # The superblock (at 1024) in one read, as 32-bit words: [1] s_blocks_count_lo (1028), [6]
  # s_log_block_size (1048), [14] s_magic (1080, low half) and s_state (1082, high half).
  read -r _ blocks _ _ _ _ log_block _ _ _ _ _ _ _ magic_state <<SUPERBLOCK
$(hexdump -s 1024 -n 60 -e '15/4 "%u " "\n"' "$DISK")
SUPERBLOCK
  magic=$(( ${magic_state:-0} & 0xffff ))
  fs_state=$(( ${magic_state:-0} >> 16 ))
  GROW=0
  if [ "$magic" = $((0xef53)) ]; then
    # Clean (1) and no errors recorded (2): nothing for e2fsck -p to do that the kernel's mount does
    # not do itself (replay the journal after a crash), and e2fsck is 0.1-0.2 s under TCG.
    if [ "$fs_state" != 1 ]; then
      /sbin/e2fsck -p "$DISK" >/run/berth/e2fsck.log 2>&1
      rc=$?
      [ $rc -ge 4 ] && { fail "disk: e2fsck -p exit $rc"; cat /run/berth/e2fsck.log; }
    fi
    # The host grows the qcow2 (qemu-img resize) when the disk size setting goes up; the file system
    # follows here. Sizes in KiB (block = 1 KiB << s_log_block_size).
    fs_kib=$(( blocks << log_block ))
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

# --- shared folders (virtiofs or 9p), at the host's own paths so bind mounts mean the same folder ---
# A folder that cannot be mounted is reported and skipped: the engine is still useful without it.
# Mounted in the background while dockerd starts (nothing in its start reads them); BERTH-READY waits.
mount_shared_folders() {
  # The file system modules are loaded only when something is shared; if this fails, each mount
  # below says so ("No such device").
  case $(cmdline_value berth.shares virtiofs) in
    9p)
      # 9P2000.L (Linux semantics: modes, owners, symlinks, locks). msize: 512 KB messages instead of
      # the kernel's 128 KB default; large files moved at 269/443 MB/s write/read with it.
      modprobe 9pnet_virtio 2>/dev/null; modprobe 9p 2>/dev/null
      set -- -t 9p -o trans=virtio,version=9p2000.L,msize=512000 ;;
    *)
      modprobe virtiofs 2>/dev/null
      set -- -t virtiofs ;;
  esac
  while read -r tag dir; do
    [ -n "$tag" ] && [ -n "$dir" ] || continue
    if ! mkdir -p "$dir" 2>"/run/berth/$tag.err" || ! mount "$@" "$tag" "$dir" 2>>"/run/berth/$tag.err"; then
      echo "BERTH-WARN folder $dir: $(tr '\n' ' ' <"/run/berth/$tag.err")"
    fi
  done <"$(config_file shares)"
}

# The QEMU user-mode emulators for images of another CPU architecture (`docker run --platform
# linux/arm64` on amd64, and the other way round), registered with binfmt_misc from the lines Debian's
# qemu-user ships (build-image.sh copies them to /etc/berth/binfmt.d). Their F flag makes the kernel open
# the emulator now, so a container's own root (which has no emulator) runs them too. A few milliseconds,
# in the background with the network; a failure is a warning: the engine works for native images.
register_emulators() {
  ls /etc/berth/binfmt.d/*.conf >/dev/null 2>&1 || return 0
  BINFMT=/proc/sys/fs/binfmt_misc
  if [ ! -e "$BINFMT/register" ]; then
    # WSL mounts binfmt_misc itself (its interop entry lives there). Where it has not, this is not WSL's
    # own setup (a test running this script in namespaces on a Linux host): the host's binfmt_misc table
    # is global, so nothing is registered there.
    [ "$WSL" = 1 ] && return 0
    modprobe binfmt_misc 2>/dev/null
    mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null
  fi
  [ -e "$BINFMT/register" ] || { echo "BERTH-WARN emulators: binfmt_misc unavailable"; return 0; }
  for conf in /etc/berth/binfmt.d/*.conf; do
    name=$(cut -d: -f2 "$conf")
    # WSL's kernel is shared by every distribution: an entry another one (or an earlier start) made stays.
    [ -e "$BINFMT/$name" ] && continue
    cat "$conf" >"$BINFMT/register" 2>/run/berth/binfmt.err ||
      echo "BERTH-WARN emulators: $name: $(tr '\n' ' ' </run/berth/binfmt.err)"
  done
}

# The rest of the boot's work (the other modules, acpid, the network, the NAT rule, the shared folders)
# waits until dockerd has read its configuration: until then dockerd and containerd run their Go
# package initialisation, which is work enough for both vCPUs (dockerd's took about 0.7 s of TCG time alone
# and 0.9-1.2 s beside containerd's), while dockerd's own start after it is mostly one thread.
SHARES_PID=
NETWORK_PID=
EMULATORS_PID=
start_background_work() {
  bring_up_network &
  NETWORK_PID=$!
  register_emulators &
  EMULATORS_PID=$!
  if [ -r "$(config_file shares)" ]; then
    mount_shared_folders &
    SHARES_PID=$!
  fi
}

# --- engine --------------------------------------------------------------------------------------------
shutdown_vm() {
  trap '' USR1 TERM INT
  step poweroff
  if [ -n "$DOCKERD_PID" ]; then
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    n=0
    while kill -0 "$DOCKERD_PID" 2>/dev/null && [ $n -lt 300 ]; do usleep 100000; n=$((n + 1)); done
  fi
  if [ "$WSL" = 1 ]; then
    # Not every process: WSL's own session processes share this distribution's pid namespace.
    kill -TERM "$CONTAINERD_PID" 2>/dev/null
    n=0
    while kill -0 "$CONTAINERD_PID" 2>/dev/null && [ $n -lt 50 ]; do usleep 100000; n=$((n + 1)); done
  else
    kill -TERM -1 2>/dev/null; usleep 200000; kill -KILL -1 2>/dev/null
  fi
  sync
  # Container overlay mounts first (deepest first), then the data disk itself.
  grep -o ' /var/lib/docker/[^ ]*' /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  if [ "$DATA_MOUNTED" = 1 ]; then
    umount /var/lib/docker 2>/dev/null || mount -o remount,ro /var/lib/docker || fail "disk: still mounted rw"
  fi
  sync
  echo "BERTH-POWEROFF t=$(uptime_s)"
  [ "$WSL" = 1 ] && exit 0 # the host terminates the distribution
  poweroff -f
  reboot -f # if ACPI power-off is unavailable; QEMU runs with -no-reboot
}
trap shutdown_vm USR1 TERM INT

if [ -n "$DOCKERD_PID" ]; then
  # The engine's identity is /var/lib/docker/engine-id (dockerd 23+), on the data disk. dockerd 26 takes
  # it once from the key.json of a disk that dockerd 20.10 used (/etc/docker/key.json), so the link stays.
  mkdir -p /var/lib/docker/.berth
  ln -sfn /var/lib/docker/.berth/key.json /etc/docker/key.json
  release_engine &
  RELEASE_PID=$!
  step engine
  read -r engine_state <&3
  start_background_work
  [ "$engine_state" = started ] && read -r engine_state <&3
  exec 3<&-
  if [ "$engine_state" != ready ]; then
    fail "engine: dockerd exited during startup"; tail -n 20 /run/berth/dockerd.log; DOCKERD_PID=
    kill "$RELEASE_PID" 2>/dev/null
  fi
  # Containers may use the shared folders, outbound NAT and the emulators as soon as the host hears
  # BERTH-READY.
  for pid in $SHARES_PID $NETWORK_PID $EMULATORS_PID; do wait "$pid"; done
  [ -n "$DOCKERD_PID" ] && echo "BERTH-READY t=$(uptime_s)"
else
  start_background_work
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

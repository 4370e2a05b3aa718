#!/usr/bin/env bash
# Builds the Berth engine VM image from Debian packages only:
#   $OUT/vmlinux        amd64: uncompressed PVH-bootable kernel (QEMU -kernel, microvm)
#   $OUT/bzImage        amd64: the package's compressed kernel (fallback, for q35/pc)
#   $OUT/Image          arm64: the uncompressed arm64 boot Image (QEMU -kernel, -M virt)
#   $OUT/initramfs.img  busybox, the modules that reach the root image, and init-stage1.sh as /init
#                       (an uncompressed cpio of ~3 MB: nothing to decompress)
#   $OUT/rootfs.img     the read-only root (ext4): init.sh as /init, dockerd, containerd, runc, tini,
#                       iptables-nft, the kernel modules; mounted by the initramfs under a tmpfs overlay
#   $OUT/rootfs.tar     the same root file system as a tar, for `wsl --import` (vm/wsl: Windows)
#   $OUT/manifest.txt   the architecture, package versions, modules, sizes
#   $OUT/SHA256SUMS     checksums of the kernel, initramfs.img, rootfs.img, rootfs.tar (the VM refuses a
#                       damaged image)
# and, through build-cli-plugins.sh, vm/.build/cli-plugins/ARCH/ (docker compose and buildx for the host).
#
# Usage: vm/image/build-image.sh [ARCH] [OUT]
#   ARCH  the Debian architecture of the guest, amd64 or arm64 (default: BERTH_VM_ARCH, else the
#         host's CPU), built from that architecture's packages on any host (nothing is executed)
#   OUT   default vm/.build/image/ARCH
# Env:   BERTH_VM_CACHE  where downloaded .debs are kept (default vm/.build/debs)
#        BERTH_VM_FORCE=1 rebuild even if the versions did not change
#        BERTH_VM_SUITE  Debian release the image is made of (default trixie, Debian 13)
#        BERTH_VM_KERNEL kernel flavour: generic (default: has 9p) or cloud
#
# Packages come from a private apt configuration for that release (private-apt.sh: own lists and
# cache under vm/.build/apt, the machine's mirror, the machine's apt setup untouched), are fetched with
# `apt-get download` and unpacked with `dpkg -x`: no maintainer script ever runs, so the glue they
# would do (alternatives, CA bundle, ld.so.cache, depmod) is done here. A second run with the same
# package versions and the same inputs (these scripts, init, acpi handler) prints "image up to date".
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_DIR=$(dirname "$HERE")
host_arch() { case $(uname -m) in x86_64 | amd64) echo amd64 ;; aarch64 | arm64) echo arm64 ;; *) uname -m ;; esac; }
ARCH=${BERTH_VM_ARCH:-$(host_arch)}
case ${1:-} in amd64 | arm64) ARCH=$1; shift ;; esac
case $ARCH in
  amd64) TRIPLET=x86_64-linux-gnu ;;
  arm64) TRIPLET=aarch64-linux-gnu ;;
  *) echo "[build-image] error: no VM image for architecture '$ARCH' (amd64 or arm64)" >&2; exit 1 ;;
esac
OUT=${1:-$VM_DIR/.build/image/$ARCH}
CACHE=${BERTH_VM_CACHE:-$VM_DIR/.build/debs}
mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)
CACHE=$(cd "$CACHE" && pwd)

log() { printf '[build-image] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
for tool in apt-get apt-cache dpkg-deb ldconfig sha256sum od mke2fs xz; do
  command -v "$tool" >/dev/null || die "missing host tool: $tool"
done
SUITE=${BERTH_VM_SUITE:-trixie}
case ${BERTH_VM_KERNEL:-generic} in
  generic) KERNEL_META=linux-image-$ARCH ;;
  cloud) KERNEL_META=linux-image-cloud-$ARCH ;;
  *) die "BERTH_VM_KERNEL is generic or cloud" ;;
esac
# Every apt-get/apt-cache below reads the private configuration (refreshed when a day old).
APT_CONFIG=$(bash "$HERE/private-apt.sh" --update "$SUITE" "$ARCH") || die "private apt configuration for $SUITE/$ARCH failed"
export APT_CONFIG
# shellcheck source=kernel-parts.sh
. "$HERE/kernel-parts.sh"
# The docker CLI plugins the app installs for the user's own docker (the image's architecture, which is
# the computer's it ships to; in their own folder beside the image; up to date in well under a second).
# Not part of the image: a failure here is a warning, and the VM works without them.
BERTH_CLI_PLUGINS_ARCH=$ARCH bash "$HERE/build-cli-plugins.sh" || log "warning: the docker CLI plugins (compose, buildx) were not built"

# --- what goes in --------------------------------------------------------------------------------
# Seeds; their Depends/Pre-Depends are followed only into library packages (lib*), which is what the
# binaries need at run time. Tools such as adduser, lsb-base or init-system-helpers only serve
# maintainer scripts we never run. check_needed() below proves the closure is complete.
SEEDS=("$KERNEL_META" docker.io containerd runc crun tini iptables busybox-static e2fsprogs
  ca-certificates netbase qemu-user netcat-openbsd)

# QEMU user-mode emulators for images of the other CPU architecture (`docker run --platform`), registered
# with binfmt_misc by init.sh. Debian 13's qemu-user is statically linked (qemu-user-static is only a
# transitional package now) and ships 30-odd emulators, 465 MB: only these are taken from it. amd64:
# arm64, and 32-bit arm (linux/arm/v6 and v7 images, common for small boards); arm64: amd64 only (386
# and arm images are rare enough on an arm64 computer not to cost every user 14 MB each).
case $ARCH in
  amd64) EMULATORS=(aarch64 arm) ;;
  arm64) EMULATORS=(x86_64) ;;
esac

# Executables kept (everything else under */bin and */sbin is dropped: the docker CLI, ctr, dnet,
# ovrouter, containerd-shim v1, debugfs, ...). busybox applet links are added afterwards.
KEEP_BINS=(dockerd docker-proxy docker-init containerd containerd-shim-runc-v2 runc crun tini-static
  xtables-nft-multi mke2fs e2fsck resize2fs busybox nc.openbsd)

# Kernel modules the initramfs loads to reach the root image (virtio-mmio, virtio-blk and overlay are
# modules in both Debian kernels; ext4 and crc32c too in the generic one, built in in the cloud one, where
# listing them costs nothing), then those the root's /init loads, in this order after dependency
# expansion (crc32c_generic must come before ext4 and libcrc32c when it is a module: busybox modprobe
# ignores softdeps).
STAGE1_MODULES=(virtio_mmio virtio_blk crc32c_generic ext4 overlay qemu_fw_cfg)
# What dockerd needs as it starts (its bridge), loaded before it is let go; then the rest, meanwhile.
ENGINE_MODULES=(bridge veth)
# virtio_balloon: free page reporting hands the guest's free memory back to the host (qemu-args.ts).
BOOT_MODULES=(virtio_net virtio_rng virtio_balloon button evdev crc32c_generic nf_tables nft_chain_nat nft_masq)
# In the image for on-demand loading (kernel request_module -> busybox modprobe): the emulators'
# binfmt_misc (init.sh, after the engine is up), dockerd with iptables=true, virtiofs shared folders.
EXTRA_MODULES=(binfmt_misc virtio_pci virtiofs fuse br_netfilter nft_compat xt_MASQUERADE xt_addrtype
  xt_conntrack xt_nat xt_tcpudp xt_mark xt_comment xt_multiport nf_conntrack_netlink ip6_tables
  nft_reject_inet nft_fib_inet nft_ct)
# 9p shared folders (QEMU on macOS has no virtiofsd): only the generic kernel has them (9p, 9pnet,
# 9pnet_virtio and netfs, by dependency).
OPTIONAL_MODULES=(9p 9pnet_virtio)
# arm64 -M virt has no ACPI under a direct kernel boot: its power button is a GPIO key (PL061 GPIO
# controller, gpio-keys input device: KEY_POWER, which acpid reads like x86's ACPI button). Loaded at
# boot where they are modules (built in, they are skipped).
if [ "$ARCH" = arm64 ]; then BOOT_MODULES+=(gpio_pl061 gpio_keys); fi

# --- resolve the package closure (names, then exact candidate versions) -------------------------
deps_of() {
  # First alternative of each Depends/PreDepends line; virtual packages (<name>) are skipped.
  apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances "$@" 2>/dev/null |
    awk '/^ *(\|)?(Pre)?Depends:/ { alt = ($1 ~ /^\|/); if (!skip) print $2; skip = alt; next }' |
    grep -v '^<' | sort -u
}

# Exact versions: the candidates apt would install, in one apt-cache call. The cache key covers them
# and this build's own inputs.
versions_of() {
  apt-cache policy "$@" | awk '/^[^ ]/ { sub(":$", "", $1); p = $1 } /Candidate:/ { print p "=" $2 }'
}
INPUTS_HASH=$(cat "$HERE/build-image.sh" "$HERE/kernel-parts.sh" "$HERE/init-stage1.sh" "$HERE/init.sh" \
  "$HERE/acpi-power.sh" "$HERE/crun-runtime.sh" "$HERE/libnetwork-setkey.sh" "$HERE/rest-agent.sh" "$HERE/resume-seed.c" | sha256sum | cut -c1-16)
key_of() { printf '%s\narch=%s\ninputs=%s\n' "$1" "$ARCH" "$INPUTS_HASH" | sha256sum | cut -c1-32; }
up_to_date() {
  [ "${BERTH_VM_FORCE:-}" != 1 ] && [ -f "$OUT/.key" ] && [ "$(cat "$OUT/.key")" = "$1" ] &&
    [ -s "$OUT/$([ "$ARCH" = arm64 ] && echo Image || echo vmlinux)" ] && [ -s "$OUT/initramfs.img" ] && [ -s "$OUT/rootfs.img" ] &&
    [ -s "$OUT/rootfs.tar" ] && [ -s "$OUT/SHA256SUMS" ]
}

# Fast path: the package set of the last build, re-priced. A new dependency can only come with a new
# version of a package already in the set, which changes the key and takes the slow path.
if [ -s "$OUT/.packages" ] && up_to_date "$(key_of "$(versions_of $(cat "$OUT/.packages"))")"; then
  echo "image up to date ($OUT)"
  exit 0
fi

declare -A SEEN=()
queue=()
for p in "${SEEDS[@]}"; do SEEN[$p]=1; queue+=("$p"); done
# The meta package only points at the versioned kernel package; follow it whatever its name.
kernel_pkg=$(deps_of "$KERNEL_META" | grep '^linux-image-' | head -1)
[ -n "$kernel_pkg" ] || die "cannot resolve $KERNEL_META (BERTH_APT_UPDATE=1 to refresh the lists?)"
SEEN[$kernel_pkg]=1
while [ ${#queue[@]} -gt 0 ]; do
  next=()
  while read -r d; do
    [ -n "$d" ] || continue
    case $d in lib*) ;; *) continue ;; esac
    [ -n "${SEEN[$d]:-}" ] && continue
    SEEN[$d]=1
    next+=("$d")
  done < <(deps_of "${queue[@]}")
  queue=("${next[@]}")
done
PKGS=$(printf '%s\n' "${!SEEN[@]}" | sort)

VERSIONS=$(versions_of $PKGS)
[ "$(wc -l <<<"$VERSIONS")" -eq "$(wc -l <<<"$PKGS")" ] || die "could not resolve every version"
grep -q '=(none)$' <<<"$VERSIONS" && die "no candidate for: $(grep '=(none)$' <<<"$VERSIONS")"
KEY=$(key_of "$VERSIONS")
if up_to_date "$KEY"; then
  printf '%s\n' "$PKGS" >"$OUT/.packages"
  echo "image up to date ($OUT)"
  exit 0
fi
t_start=$(date +%s.%N)
log "$(wc -l <<<"$VERSIONS") packages, key $KEY"
# From here the outputs change: without a key and checksums, an interrupted build is redone next time
# instead of passing for up to date (and the VM refuses the half-written image meanwhile).
rm -f "$OUT/.key" "$OUT/SHA256SUMS"

# --- download (only what the cache lacks) ---------------------------------------------------------
# The cache is shared by both architectures: a package's file is NAME_VERSION_ARCH.deb (or _all).
deb_of() {
  local a f
  for a in "$ARCH" all; do
    f=$CACHE/${1}_${2//:/%3a}_$a.deb
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}
want=()
while IFS== read -r name ver; do
  deb_of "$name" "$ver" >/dev/null || want+=("$name=$ver")
done <<<"$VERSIONS"
if [ ${#want[@]} -gt 0 ]; then
  log "downloading ${#want[@]} packages"
  # (the "unsandboxed as root" warning only says _apt cannot write into the cache dir)
  (cd "$CACHE" && apt-get download -q "${want[@]}" 2>&1 >/dev/null | grep -v 'unsandboxed' >&2) || true
  for w in "${want[@]}"; do
    deb_of "${w%%=*}" "${w#*=}" >/dev/null || die "apt-get download $w failed"
  done
fi

# --- unpack -------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-image.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
STAGE=$WORK/stage
ROOT=$WORK/root
mkdir -p "$STAGE" "$ROOT"
# The kernel package is unpacked once per version into its own folder and used from there (the
# generic kernel's is 108 MB of xz: 10-15 s to unpack, for a few dozen modules).
KTREE=
QTREE=
while IFS== read -r name ver; do
  deb=$(deb_of "$name" "$ver")
  case $name in
    linux-image-[0-9]*)
      KTREE=$VM_DIR/.build/kernels/${name}_${ver//:/%3a}
      if [ ! -f "$KTREE/.unpacked" ]; then
        rm -rf "$KTREE" && mkdir -p "$KTREE" && dpkg -x "$deb" "$KTREE" && touch "$KTREE/.unpacked"
      fi
      ;;
    qemu-user)
      # Only the chosen emulators and their binfmt_misc registrations (a full unpack is 465 MB), taken
      # once per package version (its xz data takes 20 s to read through) into their own folder.
      QTREE=$VM_DIR/.build/emulators/$(basename "$deb" .deb)
      if [ "$(cat "$QTREE/.emulators" 2>/dev/null)" != "${EMULATORS[*]}" ]; then
        members=()
        for e in "${EMULATORS[@]}"; do members+=("./usr/bin/qemu-$e" "./usr/share/qemu/binfmt.d/qemu-$e.conf"); done
        rm -rf "$QTREE" && mkdir -p "$QTREE"
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$QTREE" "${members[@]}" || die "qemu-user: ${members[*]} missing from $deb"
        echo "${EMULATORS[*]}" >"$QTREE/.emulators"
      fi
      touch "$QTREE/.emulators"
      ;;
    *) dpkg -x "$deb" "$STAGE" ;;
  esac
done <<<"$VERSIONS"
[ -n "$KTREE" ] || die "no versioned kernel package in the set"
[ -n "$QTREE" ] || die "no qemu-user package in the set"
touch "$KTREE/.unpacked" # trees no build used for 30 days go (older versions, another flavour)
find "$VM_DIR/.build/kernels" -mindepth 2 -maxdepth 2 -name .unpacked -mtime +30 -printf '%h\0' | xargs -0r rm -rf
find "$VM_DIR/.build/emulators" -mindepth 2 -maxdepth 2 -name .emulators -mtime +30 -printf '%h\0' | xargs -0r rm -rf
BB=$WORK/busybox # the package's static busybox doubles as a build tool (cpio, depmod, its applet list)
cp "$STAGE/usr/bin/busybox" "$BB" 2>/dev/null || cp "$STAGE/bin/busybox" "$BB" || die "busybox missing from busybox-static"
GUEST_BB=$BB
if ! "$BB" true 2>/dev/null; then
  # Another architecture's image: the same busybox-static version, built for this host, does the work.
  bb_ver=$(sed -n 's/^busybox-static=//p' <<<"$VERSIONS")
  if ! bb_deb=$(ARCH=$(host_arch) deb_of busybox-static "$bb_ver"); then
    host_apt=$(bash "$HERE/private-apt.sh" --update "$SUITE" "$(host_arch)") || die "private apt for $(host_arch) failed"
    (cd "$CACHE" && APT_CONFIG=$host_apt apt-get download -q "busybox-static=$bb_ver" 2>&1 >/dev/null | grep -v unsandboxed >&2) || true
    bb_deb=$(ARCH=$(host_arch) deb_of busybox-static "$bb_ver") || die "cannot fetch busybox-static $bb_ver for $(host_arch) as a build tool"
  fi
  dpkg -x "$bb_deb" "$WORK/host-busybox"
  BB=$WORK/host-busybox/usr/bin/busybox
  [ -x "$BB" ] || BB=$WORK/host-busybox/bin/busybox
fi

# --- kernel -------------------------------------------------------------------------------------------
MODBASE=$KTREE/usr/lib/modules
[ -d "$MODBASE" ] || MODBASE=$KTREE/lib/modules # Debian 12 packages still used /lib
KVER=$(ls "$MODBASE" | head -1)
VMLINUZ=$KTREE/boot/vmlinuz-$KVER
case $ARCH in
  amd64)
    cp "$VMLINUZ" "$OUT/bzImage.new"
    extract_vmlinux "$VMLINUZ" "$OUT/vmlinux.new" || true
    ;;
  arm64)
    arm64_image "$VMLINUZ" "$OUT/Image.new"
    ;;
esac

# --- modules: expand dependencies, keep only what is listed -----------------------------------------
index_modules "$MODBASE/$KVER"
for m in "${STAGE1_MODULES[@]}"; do add_module "$m"; done
STAGE1_ORDER=("${MOD_ORDER[@]}")
MOD_ORDER=()
for m in "${ENGINE_MODULES[@]}"; do add_module "$m"; done
ENGINE_ORDER=("${MOD_ORDER[@]}")
MOD_ORDER=()
for m in "${BOOT_MODULES[@]}"; do add_module "$m"; done
BOOT_ORDER=("${MOD_ORDER[@]}")
for m in "${EXTRA_MODULES[@]}"; do add_module "$m"; done
for m in "${OPTIONAL_MODULES[@]}"; do has_module "$m" && add_module "$m"; done
# The folder-sharing file systems this image can mount, in the manifest: a host that shares over 9p
# (QEMU on macOS) refuses an image without it before booting.
FOLDER_SHARING=(virtiofs)
has_module 9p && has_module 9pnet_virtio && FOLDER_SHARING+=(9p)
MODDST=$ROOT/usr/lib/modules/$KVER
install_modules "$MODDST" "${STAGE1_ORDER[@]}" "${ENGINE_ORDER[@]}" "${MOD_ORDER[@]}"
cp "$MODSRC/modules.builtin" "$MODSRC/modules.order" "$MODDST/"
[ -f "$MODSRC/modules.builtin.modinfo" ] && cp "$MODSRC/modules.builtin.modinfo" "$MODDST/"
"$BB" depmod -b "$ROOT/usr" "$KVER" 2>/dev/null || "$BB" depmod -b "$ROOT" "$KVER"
mkdir -p "$ROOT/etc/berth"
for m in "${ENGINE_ORDER[@]}"; do module_rel "$m"; done >"$ROOT/etc/berth/modules.engine"
for m in "${BOOT_ORDER[@]}"; do module_rel "$m"; done >"$ROOT/etc/berth/modules.boot"

# --- userland -------------------------------------------------------------------------------------------
# Merge /bin /sbin /lib /lib64 into /usr (Debian 12 packages still ship some files in the root dirs).
for d in bin sbin lib lib64; do
  mkdir -p "$STAGE/usr/$d"
  if [ -d "$STAGE/$d" ] && [ ! -L "$STAGE/$d" ]; then cp -a "$STAGE/$d/." "$STAGE/usr/$d/"; rm -rf "${STAGE:?}/$d"; fi
done
# The CA bundle update-ca-certificates would have made (mozilla set only).
mkdir -p "$WORK/certs"
cat "$STAGE/usr/share/ca-certificates/mozilla/"*.crt >"$WORK/certs/ca-certificates.crt"
rm -rf "$STAGE/usr/lib/modules" "$STAGE/boot" "$STAGE/usr/share" "$STAGE/usr/lib/systemd" \
  "$STAGE/etc/init.d" "$STAGE/etc/init" "$STAGE/etc/default" "$STAGE/etc/logrotate.d" \
  "$STAGE/usr/lib/$TRIPLET/gconv" "$STAGE/usr/lib/$TRIPLET/audit" \
  "$STAGE/usr/lib/$TRIPLET/e2fsprogs" "$STAGE/usr/lib/udev" "$STAGE/usr/libexec" \
  "$STAGE/usr/lib/linux" "$STAGE/usr/lib/docker.io" "$STAGE/usr/include" "$STAGE/etc/cron.d" \
  "$STAGE/etc/cron.monthly" "$STAGE/etc/ssl" "$STAGE/etc/bash_completion.d"
for d in bin sbin; do
  for f in "$STAGE/usr/$d/"*; do
    b=${f##*/}
    keep=0; for k in "${KEEP_BINS[@]}"; do [ "$b" = "$k" ] && keep=1; done
    [ $keep = 1 ] || rm -f "$f"
  done
done
cp -a "$STAGE/." "$ROOT/"
mkdir -p "$ROOT/etc/ssl/certs"
cp "$WORK/certs/ca-certificates.crt" "$ROOT/etc/ssl/certs/"
for d in bin sbin lib lib64; do ln -sfn "usr/$d" "$ROOT/$d"; done

# busybox applets for everything not provided by a real binary (mke2fs and e2fsck stay e2fsprogs').
"$BB" --list-full | while read -r path; do
  [ -e "$ROOT/$path" ] || [ -L "$ROOT/$path" ] || ln -s /usr/bin/busybox "$ROOT/$path"
done
# iptables alternatives (what update-alternatives would point at for the nft backend).
for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -sfn xtables-nft-multi "$ROOT/usr/sbin/$t"
  ln -sfn xtables-nft-multi "$ROOT/usr/sbin/${t/tables/tables-nft}"
done
ln -sfn tini-static "$ROOT/usr/bin/docker-init"
# The emulators and their binfmt_misc lines, as Debian registers them: flags OPF (F: the kernel opens the
# interpreter at registration, so it works in every container's mount namespace; P: argv[0] kept, which
# the emulator reads from the auxiliary vector), interpreter /usr/libexec/qemu-binfmt/ARCH-binfmt-P.
mkdir -p "$ROOT/etc/berth/binfmt.d" "$ROOT/usr/libexec/qemu-binfmt"
for e in "${EMULATORS[@]}"; do
  install -m 0755 "$QTREE/usr/bin/qemu-$e" "$ROOT/usr/bin/qemu-$e"
  ln -sfn "../../bin/qemu-$e" "$ROOT/usr/libexec/qemu-binfmt/$e-binfmt-P"
  conf=$QTREE/usr/share/qemu/binfmt.d/qemu-$e.conf
  grep -q ":/usr/libexec/qemu-binfmt/$e-binfmt-P:[A-Z]*F[A-Z]*\$" "$conf" || die "qemu-$e.conf: not the expected interpreter and F flag: $(cat "$conf")"
  cp "$conf" "$ROOT/etc/berth/binfmt.d/"
done
ln -sfn mke2fs "$ROOT/usr/sbin/mkfs.ext4"

# /etc and the mount points /init expects.
mkdir -p "$ROOT"/{proc,sys,dev,run,tmp,root,var/lib/docker,var/log,etc/docker,etc/acpi/PWRF}
chmod 1777 "$ROOT/tmp"
ln -sfn ../run "$ROOT/var/run"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\ndocker:x:999:\n' >"$ROOT/etc/group"
printf '127.0.0.1 localhost berth\n::1 localhost\n' >"$ROOT/etc/hosts"
printf 'hosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
printf 'berth\n' >"$ROOT/etc/hostname"
ln -sfn /proc/self/mounts "$ROOT/etc/mtab"
# dockerd reads it for `docker info` (and logs two warnings at every call without it).
printf 'PRETTY_NAME="Berth VM"\nNAME="Berth VM"\nID=berth\n' >"$ROOT/usr/lib/os-release"
ln -sfn ../usr/lib/os-release "$ROOT/etc/os-release"
# containerd for dockerd (--containerd): the plugins dockerd 26 with its own image store (overlay2, not
# the containerd snapshotters) never uses are not even loaded: CRI alone is most of containerd's start,
# the other snapshotters only probe and fail, NRI serves other clients. (The v1 runtime stays: without
# it containerd 1.7 loads no tasks service, and dockerd then cannot run anything.)
mkdir -p "$ROOT/etc/containerd"
cat >"$ROOT/etc/containerd/config.toml" <<'TOML'
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.blockfile",
  "io.containerd.snapshotter.v1.native", "io.containerd.nri.v1.nri",
  "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "/run/containerd/containerd.sock"
TOML
install -m 0755 "$HERE/init.sh" "$ROOT/init"
# Under WSL 2 the distribution's /init is WSL's own: Berth runs the same script from here (init.sh --wsl).
install -D -m 0755 "$HERE/init.sh" "$ROOT/usr/lib/berth/init"
# Read by WSL only: no systemd, no Windows programs or PATH inside (the engine needs neither), the drives
# at /mnt/<letter> (vm/wsl/windows-paths.ts), WSL's own resolv.conf and hosts. Harmless under QEMU.
cat >"$ROOT/etc/wsl.conf" <<'WSLCONF'
[boot]
systemd = false
[automount]
enabled = true
root = /mnt/
[interop]
enabled = false
appendWindowsPath = false
[network]
generateResolvConf = true
generateHosts = true
[user]
default = root
WSLCONF
install -m 0755 "$HERE/acpi-power.sh" "$ROOT/etc/acpi/PWRF/00000080"
# dockerd's default runtime (crun, with its network hook made cheap) and that hook: see both scripts.
install -m 0755 "$HERE/crun-runtime.sh" "$ROOT/usr/lib/berth/crun-runtime"
install -m 0755 "$HERE/libnetwork-setkey.sh" "$ROOT/usr/lib/berth/libnetwork-setkey"
install -m 0755 "$HERE/rest-agent.sh" "$ROOT/usr/lib/berth/rest-agent"
# What a restore from a boot snapshot needs first (the clock and a fresh random seed; see the file):
# compiled here, static, for the guest's architecture where this machine has a compiler for it. An image
# without it boots cold every time (its manifest's "boot-snapshots" line says no).
BOOT_SNAPSHOTS=no
case $ARCH in amd64) SEED_CC=x86_64-linux-gnu-gcc ;; arm64) SEED_CC=aarch64-linux-gnu-gcc ;; esac
[ "$ARCH" = "$(dpkg --print-architecture)" ] && ! command -v "$SEED_CC" >/dev/null && SEED_CC=gcc
if command -v "$SEED_CC" >/dev/null; then
  "$SEED_CC" -static -Os -s -Wall -Wextra -Werror -o "$ROOT/usr/lib/berth/resume-seed" "$HERE/resume-seed.c" ||
    die "could not compile resume-seed.c with $SEED_CC (static: libc6-dev)"
  BOOT_SNAPSHOTS=yes
else
  log "no $SEED_CC here: this image boots cold every time (no boot snapshots)"
fi
echo "$KVER" >"$ROOT/etc/berth/kernel-release"
printf '%s\n' "$VERSIONS" >"$ROOT/etc/berth/packages"

# Drop shared libraries nothing needs (iptables' dlopen()ed extensions are kept whole).
needed_of() { find "$ROOT/usr" -type f \( -perm -u+x -o -name '*.so*' \) -print0 |
  { xargs -0 readelf -d 2>/dev/null || true; } | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u; }
command -v readelf >/dev/null || die "missing host tool: readelf (binutils)"
LIBDIR=$ROOT/usr/lib/$TRIPLET
for pass in 1 2 3; do
  keep=$(needed_of | while read -r so; do
    echo "$so"; if [ -L "$LIBDIR/$so" ]; then basename "$(readlink "$LIBDIR/$so")"; fi; done | sort -u)
  for f in "$LIBDIR"/*.so*; do
    b=${f##*/}
    case $b in ld-linux*|libc.so.6|libnss_files*|libnss_dns*|libresolv*) continue ;; esac
    grep -qxF "$b" <<<"$keep" || rm -f "$f"
  done
done
# Every NEEDED soname must resolve inside the image: proves the package closure is complete.
missing=$(needed_of | while read -r so; do [ -e "$LIBDIR/$so" ] || echo "$so"; done)
[ -z "$missing" ] || die "unresolved libraries in image: $missing"
ldconfig -r "$ROOT" 2>/dev/null || die "ldconfig -r failed"

# --- pack ----------------------------------------------------------------------------------------------
# The root: ext4 made straight from the directory (mke2fs -d, no loop mount), no journal (read-only),
# with room for mke2fs's own metadata. Files keep their owners from dpkg -x, which is root when the
# build runs as root (as npm start and CI run it).
root_bytes=$(du -sb "$ROOT" | cut -f1)
root_mib=$(( root_bytes * 11 / 10 / 1048576 + 32 ))
rm -f "$OUT/rootfs.img.new"
mke2fs -q -t ext4 -d "$ROOT" -L berth-root -O ^has_journal,^resize_inode -m 0 -b 4096 \
  "$OUT/rootfs.img.new" "${root_mib}M" >/dev/null || die "mke2fs -d failed (e2fsprogs 1.43 or later is needed)"

# The same tree as a tar for `wsl --import`: owned by root whoever builds it (the image has no other
# user), in name order so that equal trees give equal tars. Uncompressed: every WSL imports it, and it
# takes about a second here.
tar -C "$ROOT" --numeric-owner --owner=0 --group=0 --sort=name -cf "$OUT/rootfs.tar.new" . ||
  die "tar of the root file system failed"

# The initramfs: busybox, the modules for the root image, and init-stage1.sh; uncompressed (3 MB).
INITRD=$WORK/initrd
mkdir -p "$INITRD"/{bin,dev,proc,sys,modules}
cp "$GUEST_BB" "$INITRD/bin/busybox"
"$BB" --list | while read -r applet; do [ "$applet" = busybox ] || ln -s busybox "$INITRD/bin/$applet"; done
for m in "${STAGE1_ORDER[@]}"; do
  rel=$(module_rel "$m")
  cp "$MODDST/$rel" "$INITRD/modules/"
  basename "$rel"
done >"$INITRD/modules/order"
install -m 0755 "$HERE/init-stage1.sh" "$INITRD/init"
(cd "$INITRD" && find . -mindepth 1 | LC_ALL=C sort | "$BB" cpio -o -H newc -R 0:0 2>/dev/null) >"$OUT/initramfs.img.new"
mv "$OUT/rootfs.img.new" "$OUT/rootfs.img"
mv "$OUT/rootfs.tar.new" "$OUT/rootfs.tar"
mv "$OUT/initramfs.img.new" "$OUT/initramfs.img"
case $ARCH in
  amd64)
    mv "$OUT/bzImage.new" "$OUT/bzImage"
    if [ -f "$OUT/vmlinux.new" ]; then mv "$OUT/vmlinux.new" "$OUT/vmlinux"; else rm -f "$OUT/vmlinux"; fi
    ;;
  arm64) mv "$OUT/Image.new" "$OUT/Image" ;;
esac

size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
t_end=$(date +%s.%N)
{
  echo "key $KEY"
  echo "arch $ARCH"
  echo "kernel $KVER"
  echo "rootfs-bytes $root_bytes"
  echo "initramfs-bytes $(size "$OUT/initramfs.img")"
  echo "rootfs-image-bytes $(size "$OUT/rootfs.img")"
  echo "rootfs-tar-bytes $(size "$OUT/rootfs.tar")"
  echo "rootfs-image-lz4-bytes $(lz4 -1 -c "$OUT/rootfs.img" 2>/dev/null | wc -c)"
  for f in bzImage vmlinux Image; do [ -f "$OUT/$f" ] && echo "$f-bytes $(size "$OUT/$f")"; done
  echo "build-seconds $(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')"
  echo "initramfs-modules ${STAGE1_ORDER[*]}"
  echo "engine-modules ${ENGINE_ORDER[*]}"
  echo "boot-modules ${BOOT_ORDER[*]}"
  echo "folder-sharing ${FOLDER_SHARING[*]}"
  echo "emulators ${EMULATORS[*]}"
  echo "boot-snapshots $BOOT_SNAPSHOTS"
  echo "packages:"
  printf '%s\n' "$VERSIONS"
} >"$OUT/manifest.txt"
# Written last, with the key: a build interrupted before this point leaves no SHA256SUMS and is redone.
(cd "$OUT" && sha256sum $(ls vmlinux bzImage Image initramfs.img rootfs.img rootfs.tar 2>/dev/null) >SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)
echo "$KEY" >"$OUT/.key"
printf '%s\n' "$PKGS" >"$OUT/.packages"
log "$ARCH rootfs $(mb "$root_bytes"): rootfs.img $(mb "$(size "$OUT/rootfs.img")"), initramfs $(mb "$(size "$OUT/initramfs.img")")$(for f in bzImage vmlinux Image; do [ -f "$OUT/$f" ] && printf ', %s %s' "$f" "$(mb "$(size "$OUT/$f")")"; done)"
log "built in $(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }') s -> $OUT"

#!/bin/sh
# PID 1 of the Berth engine VM's initramfs (busybox ash). Copied to /init of initramfs.img by
# build-image.sh; it finds the root image, puts a writable layer over it and hands over to the root's
# own /init (init.sh), which starts the engine.
#
# Why the engine is not in the initramfs itself: the kernel unpacks an initramfs whole before /init
# runs, and unpacking 165 MB of engine binaries (lz4) took 0.8-1.2 s of every boot under TCG. The root
# is a read-only ext4 image (rootfs.img) on virtio-blk instead, read through the page cache only as far
# as the boot touches it. Its writable layer is a tmpfs overlay, so the root is a mount with a parent,
# which runc's pivot_root needs (the initramfs's rootfs is not).
#
# The disks are told apart by serial (QEMU -device virtio-blk-device,serial=...): berth-root, the
# image; berth-data, the engine's data disk (init.sh mounts that one).

export PATH=/bin
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
exec </dev/console >/dev/console 2>&1
read -r up _ </proc/uptime
echo "BERTH-STEP kernel t=$up"

halt_with() { # the host reads BERTH-ERROR, shows the console tail and stops the VM
  echo "BERTH-ERROR $*"
  while :; do sleep 3600; done
}

# Three kernel static keys that containers would turn on later are turned on first thing, while nothing
# else runs: kernel-memory accounting (the first memory cgroup turns it on for good), CPU bandwidth
# control (on while any cgroup has a CPU quota: `docker run --cpus`) and cpusets (on while any cgroup
# below the root has the cpuset controller: runc's first container; Debian 13's 6.12 kernel checks it
# in the page allocator, and a first container oopsed there with an int3 in __alloc_pages_noprof). Turning a key on rewrites hot
# kernel code (the page and slab allocators, the scheduler) through int3 breakpoints, and QEMU 7.2's
# multi-threaded TCG can keep a translation of a breakpoint that was already removed: a vCPU that runs
# it traps forever (soft lockups in kmem_cache_alloc or __alloc_pages). Turned on by the first
# container, this hung 2 of 3 test runs; turned on by the root's /init while the read-ahead below
# allocated pages on the other vCPU, about 1 boot in 20. The empty cgroup keeps its quota, and so the
# second key, for the VM's life; the cgroup2 hierarchy outlives this mount (the root's /init mounts it
# again).
mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate cgroup2 /sys/fs/cgroup &&
  echo '+memory +cpu +cpuset' >/sys/fs/cgroup/cgroup.subtree_control &&
  mkdir /sys/fs/cgroup/berth-keys && echo '100000 100000' >/sys/fs/cgroup/berth-keys/cpu.max &&
  umount /sys/fs/cgroup || halt_with "root: cannot turn the memory, CPU and cpuset controllers on"

# virtio-mmio, virtio-blk, overlay and qemu_fw_cfg are modules in Debian's cloud kernel (the root's /init
# reads its configuration from fw_cfg first thing).
while read -r mod; do
  insmod "/modules/$mod" || halt_with "root: insmod $mod failed"
done </modules/order

disk_with_serial() {
  for dev in /sys/block/vd*; do
    [ "$(cat "$dev/serial" 2>/dev/null)" = "$1" ] && { echo "/dev/${dev##*/}"; return 0; }
  done
  return 1
}
n=0
until root_dev=$(disk_with_serial berth-root); do
  [ $n -ge 100 ] && halt_with "root: no disk with serial berth-root (QEMU needs -drive ...rootfs.img and serial=berth-root)"
  usleep 20000
  n=$((n + 1))
done

mkdir -p /image /layer /root
# noload: the image is built clean and never written; no journal to look at.
mount -t ext4 -o ro,noload "$root_dev" /image || halt_with "root: cannot mount $root_dev (a damaged rootfs.img?)"
# The engine binaries are read now, in big sequential requests and in the background, so that the
# page faults of their start (dockerd's 75 MB, half of it relocated at load) find them in the page
# cache instead of waiting for 4 KB reads one after the other.
echo 4096 >"/sys/block/${root_dev#/dev/}/queue/read_ahead_kb"
cat /image/usr/sbin/dockerd /image/usr/bin/containerd /image/usr/sbin/runc /image/usr/bin/busybox >/dev/null 2>&1 &
mount -t tmpfs -o mode=0755 berth-layer /layer
mkdir -p /layer/upper /layer/work
mount -t overlay -o lowerdir=/image,upperdir=/layer/upper,workdir=/layer/work berth-root /root ||
  halt_with "root: overlay mount failed"
for m in /dev /proc /sys; do mount --move "$m" "/root$m"; done
exec switch_root /root /init

# Sourced by build-image.sh (bash): the kernel's boot forms and the listed modules.
#   arm64_image VMLINUZ OUT       arm64: the raw boot Image QEMU -M virt loads (gzip or EFI zboot undone)
#   extract_vmlinux BZIMAGE OUT   the bzImage's payload, decompressed: an ELF vmlinux with the PVH entry
#                                 note, which QEMU boots directly (no decompressor). Returns 1 if not.
#   index_modules MODSRC          which modules the kernel tree has (file or built in)
#   add_module NAME               NAME after its depends= (depth first) onto MOD_ORDER; built-ins skipped
#   install_modules DST NAME...   copies them, decompressed, to DST (same relative paths, .ko)
# Needs log/die from the caller.

extract_vmlinux() {
  local bz=$1 out=$2 setup_sects payload_offset payload_length start magic
  rd() { od -An -t "u$2" -j "$1" -N "$2" "$bz" | tr -d ' '; }
  # The setup header says where the compressed vmlinux is (setup_sects at 0x1f1, payload_offset at
  # 0x248, payload_length at 0x24c, relative to the protected-mode code); the payload ends with the
  # 4-byte decompressed size appended by the kernel build.
  setup_sects=$(rd $((0x1f1)) 1)
  [ "$setup_sects" -eq 0 ] && setup_sects=4
  payload_offset=$(rd $((0x248)) 4)
  payload_length=$(rd $((0x24c)) 4)
  start=$(((setup_sects + 1) * 512 + payload_offset))
  magic=$(od -An -t x1 -j "$start" -N 4 "$bz" | tr -d ' ')
  payload() { tail -c +$((start + 1)) "$bz" | head -c $((payload_length - 4)); }
  case $magic in
    02214c18) command -v lz4 >/dev/null && payload | lz4 -dc >"$out" 2>/dev/null || true ;;
    1f8b*) payload | gzip -dc >"$out" 2>/dev/null || true ;;
    28b52ffd) command -v zstd >/dev/null && payload | zstd -dcq >"$out" 2>/dev/null || true ;; # Debian 13
    fd377a58) payload | xz -dc >"$out" 2>/dev/null || true ;;
  esac
  if [ "$(head -c 4 "$out" 2>/dev/null | od -An -t x1 | tr -d ' ')" = 7f454c46 ]; then
    log "vmlinux extracted from the bzImage payload ($magic)"
  else
    log "warning: could not extract vmlinux (payload magic $magic; lz4 or zstd missing?); use bzImage"
    rm -f "$out"
    return 1
  fi
}

# arm64: QEMU's -M virt boots a raw arm64 `Image` (magic "ARMd" at 0x38) with the device tree; an
# ELF vmlinux would be started as a bare-metal program. Debian 13's arm64 vmlinuz is that Image as it
# is (37.8 MB); a gzipped one, or an EFI zboot wrapper ("zimg" at 4, payload offset and size at 8 and
# 12, compression name at 0x18), which QEMU 7.2 cannot open, is unpacked here once instead.
arm64_image() {
  local vmlinuz=$1 out=$2 offset size comp
  rd32() { od -An -t u4 -j "$1" -N 4 "$vmlinuz" | tr -d ' '; }
  if [ "$(od -An -c -j 4 -N 4 "$vmlinuz" | tr -d ' ')" = zimg ]; then
    offset=$(rd32 8)
    size=$(rd32 12)
    comp=$(dd if="$vmlinuz" bs=1 skip=$((0x18)) count=8 2>/dev/null | tr -d '\0')
    tail -c +$((offset + 1)) "$vmlinuz" | head -c "$size" | case $comp in
      gzip) gzip -dc ;; zstd) zstd -dcq ;; xz) xz -dc ;; lz4) lz4 -dc ;; *) cat >/dev/null ;;
    esac >"$out" 2>/dev/null || true
  elif [ "$(od -An -t x1 -N 2 "$vmlinuz" | tr -d ' ')" = 1f8b ]; then
    gzip -dc "$vmlinuz" >"$out" 2>/dev/null || true
  else
    cp "$vmlinuz" "$out"
  fi
  [ "$(od -An -c -j 56 -N 4 "$out" 2>/dev/null | tr -d ' ')" = ARMd ] || {
    rm -f "$out"
    die "cannot unpack an arm64 Image from $vmlinuz (not gzip or EFI zboot, or its decompressor is missing)"
  }
}

# Debian 13 ships modules xz-compressed (.ko.xz). They are decompressed at build time: busybox insmod
# would otherwise inflate each one under TCG at every boot, and busybox depmod only indexes .ko files.
module_cat() {
  case $1 in
    *.ko.xz) xz -dc "$1" ;;
    *.ko.zst) zstd -dcq "$1" ;;
    *.ko.gz) gzip -dc "$1" ;;
    *) cat "$1" ;;
  esac
}
declare -A MODPATH=() BUILTIN=() MOD_DONE=()
MOD_ORDER=()
index_modules() {
  local f b
  MODSRC=$1
  while read -r f; do
    b=${f##*/}; b=${b%%.ko*}; MODPATH[${b//-/_}]=$f # (no basename: 4,000 forks)
  done < <(find "$MODSRC/kernel" -name '*.ko' -o -name '*.ko.*')
  while read -r f; do b=${f##*/}; b=${b%%.ko*}; BUILTIN[${b//-/_}]=1; done <"$MODSRC/modules.builtin"
}
has_module() { local m=${1//-/_}; [ -n "${MODPATH[$m]:-}${BUILTIN[$m]:-}" ]; }
add_module() { # depth-first: dependencies before the module
  local m=${1//-/_} dep
  [ -n "${MOD_DONE[$m]:-}" ] && return 0
  MOD_DONE[$m]=1
  [ -n "${BUILTIN[$m]:-}" ] && return 0
  [ -n "${MODPATH[$m]:-}" ] || die "kernel module $m not found in $KVER"
  for dep in $(module_cat "${MODPATH[$m]}" | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '); do
    add_module "$dep"
  done
  MOD_ORDER+=("$m")
}
module_rel() { # the module's path under MODSRC, as installed (.ko)
  local rel=${MODPATH[$1]#"$MODSRC/"}
  echo "${rel%.ko*}.ko"
}
install_modules() {
  local dst=$1 m rel
  shift
  for m in "$@"; do
    rel=$(module_rel "$m")
    mkdir -p "$dst/$(dirname "$rel")"
    module_cat "${MODPATH[$m]}" >"$dst/$rel"
  done
}

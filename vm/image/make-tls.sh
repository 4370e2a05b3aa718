#!/usr/bin/env bash
# Generates the per-installation mutual-TLS material for the VM's dockerd (EC P-256, openssl):
#   ca.pem ca-key.pem                    the installation's private CA (the key never enters the VM)
#   server-cert.pem server-key.pem       dockerd's (SAN IP:127.0.0.1, IP:10.0.2.15, DNS:localhost)
#   cert.pem key.pem                     the client's (Docker's DOCKER_CERT_PATH names, with ca.pem)
# All files are mode 0600 in a 0700 directory. Existing material is kept unless --force is given.
#
# Usage: vm/image/make-tls.sh DIR [--force] [--days N]
set -euo pipefail

DIR=${1:?usage: make-tls.sh DIR [--force] [--days N]}
shift
FORCE=0
DAYS=3650
while [ $# -gt 0 ]; do
  case $1 in
    --force) FORCE=1 ;;
    --days) DAYS=$2; shift ;;
    *) echo "make-tls.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

FILES=(ca.pem ca-key.pem server-cert.pem server-key.pem cert.pem key.pem)
complete=1
for f in "${FILES[@]}"; do [ -s "$DIR/$f" ] || complete=0; done
if [ $complete = 1 ] && [ $FORCE = 0 ]; then
  echo "tls material present in $DIR"
  exit 0
fi

umask 077
mkdir -p "$DIR"
chmod 0700 "$DIR"
DIR=$(cd "$DIR" && pwd)
TMP=$(mktemp -d "$DIR/.make-tls.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

newkey ca-key.pem
openssl req -x509 -new -key ca-key.pem -sha256 -days "$DAYS" -subj "/O=Berth/CN=Berth engine CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.pem

issue() { # issue NAME SUBJECT EXTFILE
  newkey "$1-key.pem"
  openssl req -new -key "$1-key.pem" -subj "$2" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 \
    -days "$DAYS" -extfile "$3" -out "$1-cert.pem" 2>/dev/null
}
cat >server.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.2.15,DNS:localhost
EOF
cat >client.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
EOF
issue server "/O=Berth/CN=berth-engine" server.ext
issue client "/O=Berth/CN=berth-client" client.ext
mv client-cert.pem cert.pem
mv client-key.pem key.pem

openssl verify -CAfile ca.pem server-cert.pem cert.pem >/dev/null
chmod 0600 "${FILES[@]}"
mv -f "${FILES[@]}" "$DIR/"
echo "tls material written to $DIR"

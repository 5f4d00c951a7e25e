#!/usr/bin/env bash
# Installs the CPython releases newer than pyenv's here (3.14, 3.15) from Debian unstable, so
# the test suites run on them too (scripts/pythons.mjs finds them).
#
# Debian unstable's python3.14/python3.15 packages need its newer C library, so they are
# installed into a minimal Debian unstable tree (debootstrap) under $DEBIAN_PYTHONS_ROOT
# (default /opt/dapper-debian-pythons), and each interpreter is copied beside itself as
# python3.N-host with its program interpreter and library path pointed into that tree
# (patchelf): it then runs directly on this machine — no chroot — with the tree's C library
# and standard library, in any folder, and starts its own children the same way
# (sys.executable is that copy).
#
# Needs root and the Debian archive (deb.debian.org). Takes 2-5 minutes the first time;
# nothing when the tree is there. On failure it says why and exits 1; nothing else depends
# on it (the suites then run on the other interpreters, and scripts/test-agent.mjs says
# which versions it found).
set -euo pipefail

root="${DEBIAN_PYTHONS_ROOT:-/opt/dapper-debian-pythons}"
versions=(3.14 3.15)
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

all_there() {
  for version in "${versions[@]}"; do
    "$root/usr/bin/python$version-host" -c 'pass' >/dev/null 2>&1 || return 1
  done
}

if all_there; then
  echo "debian pythons: ${versions[*]} already in $root"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "debian pythons: needs root (debootstrap); not installed" >&2
  exit 1
fi

tools=()
command -v debootstrap >/dev/null 2>&1 || tools+=(debootstrap)
command -v patchelf >/dev/null 2>&1 || tools+=(patchelf)
if [ "${#tools[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tools[@]}" >/dev/null
fi

packages=$(printf 'python%s,' "${versions[@]}")
if [ ! -x "$root/usr/bin/python${versions[0]}" ]; then
  rm -rf "$root.partial"
  log=$(mktemp)
  # Bounded: a stalled mirror must not hold CI (its whole run has 90 minutes).
  if ! timeout 900 debootstrap --variant=minbase --include="${packages%,}" sid "$root.partial" "$mirror" >"$log" 2>&1; then
    echo "debian pythons: debootstrap of Debian unstable failed; the last lines it printed:" >&2
    tail -n 15 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  rm -rf "$root"
  mv "$root.partial" "$root"
fi

loader="$root/lib64/ld-linux-x86-64.so.2"
libraries="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu"
for version in "${versions[@]}"; do
  python="$root/usr/bin/python$version"
  if [ ! -x "$python" ]; then
    echo "debian pythons: Debian unstable has no python$version now; not installed" >&2
    continue
  fi
  cp "$python" "$python-host"
  # DT_RPATH (not RUNPATH): the interpreter's extension modules find the tree's libraries too.
  patchelf --set-interpreter "$loader" --force-rpath --set-rpath "$libraries" "$python-host"
  "$python-host" -c 'import sys, ctypes, ssl; print("debian pythons: %s %s" % (sys.executable, sys.version.split()[0]))'
done
all_there

#!/bin/sh
# Install one Debian package that a part of the test suite needs, when PROBE says it is missing.
#   sh scripts/apt-install.sh PACKAGE "WHAT THE TESTS ARE" PROBE-COMMAND...
# Idempotent and quiet: does nothing when PROBE succeeds. Never fails the build: when the
# package cannot be installed it says why, and the tests that need it are skipped.
set -eu

package=$1
tests=$2
shift 2

if "$@" >/dev/null 2>&1; then
    exit 0
fi

say() { echo "install $package: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
    say "missing and apt-get is not available; install it with your package manager ($tests will be skipped)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        say "missing; run 'sudo apt-get install -y $package' ($tests will be skipped)"
        exit 0
    fi
fi

say "installing Debian's $package (apt-get install -y $package) ..."
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq "$package" >/dev/null 2>&1; then
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    if ! $SUDO apt-get install -y -qq "$package" >/dev/null 2>&1; then
        say "apt-get could not install it ($tests will be skipped)"
        exit 0
    fi
fi
say "installed"

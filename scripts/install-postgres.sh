#!/bin/sh
# Install what the PostgreSQL store tests need: Debian's postgresql (initdb, pg_ctl).
# Idempotent and quiet: does nothing when initdb is already there. The tests themselves
# (tests/pg_cluster.py) start a throwaway cluster in a temp dir and remove it afterwards.
set -eu

found() {
    command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

if found; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-postgres: initdb is missing and apt-get is not available;" \
        "install PostgreSQL with your package manager (the PostgreSQL tests will be skipped)" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-postgres: initdb is missing; run 'sudo apt-get install -y postgresql'" \
            "(the PostgreSQL tests will be skipped)" >&2
        exit 0
    fi
fi

echo "install-postgres: installing Debian's postgresql (apt-get install -y postgresql) ..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq postgresql >/dev/null 2>&1; then
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    $SUDO apt-get install -y -qq postgresql >/dev/null 2>&1 || {
        echo "install-postgres: apt-get could not install postgresql (the PostgreSQL tests will be skipped)" >&2
        exit 0
    }
fi
# Debian's package starts a cluster of its own on port 5432; the tests do not use it.
echo "install-postgres: $(ls /usr/lib/postgresql/*/bin/initdb)" >&2

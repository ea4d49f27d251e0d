#!/bin/sh
# Install what the PostgreSQL store tests need: Debian's postgresql (initdb, pg_ctl). The tests
# themselves (tests/pg_cluster.py) start a throwaway cluster in a temp dir and remove it
# afterwards; the cluster Debian's package starts on port 5432 is not used.
set -eu
exec sh "$(dirname "$0")/apt-install.sh" postgresql "the PostgreSQL tests" \
    sh -c 'command -v initdb || ls /usr/lib/postgresql/*/bin/initdb'

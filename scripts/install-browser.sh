#!/bin/sh
# Install what the browser tests (tests/test_browser.py) need: Debian's Chromium at /usr/bin/chromium.
# Idempotent and quiet: does nothing when Chromium is already there. Never downloads a browser
# build of its own (no `playwright install`): Playwright drives the distribution's Chromium.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: $CHROMIUM is missing and apt-get is not available;" \
        "install Chromium with your package manager (the browser tests will be skipped)" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-browser: $CHROMIUM is missing; run 'sudo apt-get install -y chromium'" \
            "(the browser tests will be skipped)" >&2
        exit 0
    fi
fi

echo "install-browser: installing Debian's chromium (apt-get install -y chromium) ..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; then
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    if ! $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; then
        echo "install-browser: apt-get could not install chromium (the browser tests will be skipped)" >&2
        exit 0
    fi
fi
echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium installed)" >&2

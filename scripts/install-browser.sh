#!/bin/sh
# Install what the browser tests (tests/test_browser.py) need: Debian's Chromium at /usr/bin/chromium.
# Never downloads a browser build of its own (no `playwright install`): Playwright drives the
# distribution's Chromium.
set -eu
exec sh "$(dirname "$0")/apt-install.sh" chromium "the browser tests" test -x /usr/bin/chromium

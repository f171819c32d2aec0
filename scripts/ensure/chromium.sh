#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it; Playwright cannot download one here).
source "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || apt_install chromium
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found after install"
echo /usr/bin/chromium

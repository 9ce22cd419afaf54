#!/usr/bin/env bash
# Installs the Debian packages some tests need, when they are missing and we may:
#   - the shellcheck package, for ansible-test sanity's shellcheck test (skipped, with a warning, without it)
#   - the chromium package, which renders the run report in a real browser (report tests skip without it)
#   - the poppler-utils package, whose pdftotext lets the report test read the printed PDF
# Run as root on Debian (our machines and CI). Elsewhere it says what to install and goes on.
set -uo pipefail
want=()
command -v pdftotext >/dev/null 2>&1 || want+=(poppler-utils)
command -v shellcheck >/dev/null 2>&1 || want+=(shellcheck)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "== system packages: please install ${want[*]} (tests that need them will skip)"
  exit 0
fi
echo "== system packages: installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1 \
  || echo "== system packages: could not install ${want[*]} (tests that need them will skip)"
exit 0

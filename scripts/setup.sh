#!/usr/bin/env bash
# Idempotent set-up used by `make run` and `make test`: a fresh Debian machine with Python 3.11
# and the package registries is all it needs. Re-running is cheap: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

PY=${PYTHON:-python3}
LEAFLET_VERSION=1.9.4

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi

# The locks (requirements.in compiled, README "Upgrading a package"): every package at an exact
# version, each file checked against its hash before it is installed.
reqs=(-r requirements.txt)
[ $want_test = 1 ] && reqs+=(-r requirements-dev.txt)
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$want_test"
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check --require-hashes "${reqs[@]}"
  touch "$stamp"
fi

# Leaflet is served by the app itself (static/vendor) so the map draws with no internet.
if [ ! -f static/vendor/leaflet/leaflet.js ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "leaflet@$LEAFLET_VERSION" >/dev/null)
  tar -xzf "$tmp/leaflet-$LEAFLET_VERSION.tgz" -C "$tmp"
  mkdir -p static/vendor/leaflet
  cp -r "$tmp/package/dist/leaflet.js" "$tmp/package/dist/leaflet.css" "$tmp/package/dist/images" \
    static/vendor/leaflet/
  cp "$tmp/package/LICENSE" static/vendor/leaflet/LICENSE
  rm -rf "$tmp"
fi

# The tests run a real browser, a throwaway PostgreSQL (both stores are tested) and nginx in
# front of two app processes (the replica test): Debian packages, installed only when missing.
if [ $want_test = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
  if ! command -v initdb >/dev/null && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
  fi
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# Briefings (PDF/PNG) embed DejaVu Sans from Debian's fonts-dejavu-core; their tests read the
# PDFs back with poppler-utils (pdftotext, pdftoppm).
briefing_debs=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || briefing_debs+=(fonts-dejavu-core)
[ $want_test = 1 ] && ! command -v pdftotext >/dev/null && briefing_debs+=(poppler-utils)
if [ ${#briefing_debs[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${briefing_debs[@]}"
fi

#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian/Ubuntu machine, then run
# the whole suite: data validation, lint, the benchmark in quick mode, then
# unit + AppTest + browser tests. pytest runs last so that the run ends on its
# own summary line ("N passed"). Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
# The reverse proxy of the multi-replica test (deploy/replicas.py, deploy/nginx.conf.template).
[ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # The install log goes to a file: a package's maintainer script may briefly
  # take /dev/null away, which made a redirect there fail the whole run.
  apt_log="$(mktemp)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >"$apt_log" 2>&1 \
    || echo "apt-get install exited $?; checking what it installed (log: $apt_log)"
  [ -x /usr/bin/chromium ] && command -v pdftotext >/dev/null \
    && fc-list | grep -qi "Noto Sans CJK" && [ -x /usr/sbin/nginx ] \
    || { tail -n 30 "$apt_log"; echo "missing Debian packages: ${need_apt[*]}"; exit 1; }
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-dev.txt
# The package itself, editable: the circlemap command, and imports from scripts/.
.venv/bin/python -m pip install -q -e .
export STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

.venv/bin/circlemap assets
.venv/bin/circlemap validate
.venv/bin/ruff check .
.venv/bin/mypy circlemap benchmarks
.venv/bin/python -m benchmarks.run --quick \
  || echo "BENCHMARK ERROR: a figure could not be measured (traceback above); the tests still run"
.venv/bin/python -m pytest -p no:cacheprovider "$@"

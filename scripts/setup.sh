#!/usr/bin/env bash
# Set up nightmap on a fresh Debian machine with Python 3.11.
#   bash scripts/setup.sh          # the app: a virtual environment in .venv with the pinned packages,
#                                  # and Debian's CJK fonts (fonts-noto-cjk) for the daily briefing's map
#   bash scripts/setup.sh --test   # also the test needs: Debian's chromium, nodejs and CJK fonts, pytest, playwright
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1
sudo_cmd=""
[[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"

# the daily briefing's map picture needs a CJK font (fonts-noto-cjk); the tests also need Debian's chromium
apt_needs=()
fonts=$(fc-list 2>/dev/null || true)
grep -qi "Noto Sans CJK" <<<"$fonts" || apt_needs+=(fonts-noto-cjk)
if (( want_tests )) && ! command -v chromium >/dev/null 2>&1; then apt_needs+=(chromium); fi
# the tests check our JavaScript files' syntax with `node --check`
if (( want_tests )) && ! command -v node >/dev/null 2>&1; then apt_needs+=(nodejs); fi
if (( ${#apt_needs[@]} )); then
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_needs[@]}" >/dev/null
fi

if ! python3 -m venv .venv 2>/dev/null; then
  # Debian's own python3 needs the python3-venv package for this
  rm -rf .venv
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-venv >/dev/null
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if (( want_tests )); then
  .venv/bin/python -m pip install -q -r requirements-dev.txt
else
  .venv/bin/python -m pip install -q -r requirements.txt
fi
echo "nightmap: environment ready in .venv"

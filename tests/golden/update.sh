#!/usr/bin/env bash
# tests/golden/update.sh PKOSIM — regenerate the golden hashes of the shipped scenarios.
# Run it only when a change is *meant* to change the model's results, and say so in the
# commit message; tests/cli/golden.sh fails on any other change of results (and on a
# platform whose arithmetic differs, which is what it is there to catch).
set -euo pipefail
pkosim="${1:?usage: tests/golden/update.sh path/to/pkosim}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
while read -r name days seed; do
  [ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
  "$pkosim" run "$here/../../scenarios/$name.lua" --days "$days" --seed "$seed" --quiet --out "$tmp/$name"
  (cd "$tmp/$name" && sha256sum indicators.csv events.jsonl) >"$here/$name-d$days-s$seed.sha256"
  grep -o '"state_hash":[^,]*' "$tmp/$name/summary.json" | tr -d '\t "' >>"$here/$name-d$days-s$seed.sha256"
  echo "updated $name-d$days-s$seed.sha256"
done <"$here/runs.txt"

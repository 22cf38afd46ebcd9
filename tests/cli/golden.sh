#!/usr/bin/env bash
# Golden hashes: the shipped scenarios give exactly the results recorded in tests/golden
# (indicators.csv, events.jsonl and the final state hash). A failure means the model's
# results changed: if that was intended, run tests/golden/update.sh and commit the new
# hashes with a note on why; if not, something broke determinism or the model.
source "$(dirname "$0")/lib.bash"
golden="$SRC/tests/golden"
while read -r name days seed; do
  [ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
  want="$golden/$name-d$days-s$seed.sha256"
  [ -f "$want" ] || { fail "missing $want (run tests/golden/update.sh)"; continue; }
  "$PKOSIM" run "$SRC/scenarios/$name.lua" --days "$days" --seed "$seed" --quiet --out "$TMP/$name" || { fail "run $name"; continue; }
  (cd "$TMP/$name" && sha256sum indicators.csv events.jsonl) >"$TMP/got"
  grep -o '"state_hash":[^,]*' "$TMP/$name/summary.json" | tr -d '\t "' >>"$TMP/got"
  if cmp -s "$want" "$TMP/got"; then ok; else fail "$name ($days days, seed $seed) differs from its golden hashes:"; diff "$want" "$TMP/got" >&2; fi
done <"$golden/runs.txt"
finish

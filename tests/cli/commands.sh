#!/usr/bin/env bash
# The command line of DESIGN §5: run, check, params, bench and their --help; the output files
# and their names.
source "$(dirname "$0")/lib.bash"
demo="$SRC/scenarios/demo.lua"

for c in run check params; do
  "$PKOSIM" "$c" --help >"$TMP/h" 2>&1 && ok || fail "$c --help exit code"
  expect_contains "$c --help" "$TMP/h" "Usage: pkosim $c SCENARIO"
done
"$PKOSIM" --help >"$TMP/h" && ok || fail "--help"
expect_contains "--help" "$TMP/h" "Exit codes"

"$PKOSIM" check "$demo" >"$TMP/check" 2>&1 && ok || fail "check demo"
expect_contains check "$TMP/check" "ok: demo"
expect_contains check "$TMP/check" "14 regions"

"$PKOSIM" params "$demo" >"$TMP/params" 2>&1 && ok || fail "params demo"
for p in un.battalions partner.battalions un.roe legitimacy services aid; do
  expect_contains params "$TMP/params" "$p"
done
expect_contains params "$TMP/params" "self_defence|defence_of_mandate|offensive"
"$PKOSIM" params "$demo" --set un.battalions=6 >"$TMP/params2" && ok || fail "params --set"
expect_contains "params --set" "$TMP/params2" "6 (set)"

"$PKOSIM" run "$demo" --days 60 --seed 1 --out "$TMP/run" >"$TMP/stdout" && ok || fail "run demo"
expect_contains run "$TMP/stdout" "60 days"
for f in summary.json indicators.csv events.jsonl; do
  [ -s "$TMP/run/$f" ] && ok || fail "missing $f"
done
ls "$TMP" | grep -q 'tmp-' && fail "temporary folder left behind" || ok
# indicators.csv: a header with every name of DESIGN §5, then one row per day
header="$(head -1 "$TMP/run/indicators.csv")"
for col in day civilian_deaths peacekeeper_deaths violent_incidents displaced needs_met humanitarian_access \
  armed_strength political_progress host_consent cost funding_gap trust.un trust.partner trust.gov \
  freedom_of_movement.un freedom_of_movement.partner civilian_deaths.by_armed_groups \
  civilian_deaths.by_government civilian_deaths.communal battle_deaths; do
  if echo ",$header," | grep -qF ",$col,"; then ok; else fail "indicators.csv has no column $col"; fi
done
[ "$(wc -l <"$TMP/run/indicators.csv")" -eq 61 ] && ok || fail "indicators.csv should have 60 rows"
[ "$(tail -1 "$TMP/run/indicators.csv" | cut -d, -f1)" = 60 ] && ok || fail "last row is not day 60"
ncol="$(head -1 "$TMP/run/indicators.csv" | awk -F, '{print NF}')"
awk -F, -v n="$ncol" 'NF != n {bad=1} END {exit bad}' "$TMP/run/indicators.csv" && ok || fail "ragged CSV"
# summary.json: scenario, seed, days, final, totals
for k in '"scenario":' '"seed":' '"days":' '"final":' '"totals":' '"civilian_deaths":' '"trust.un":'; do
  expect_contains summary "$TMP/run/summary.json" "$k"
done
expect_contains summary "$TMP/run/summary.json" '"days":	60'
# totals are the sums of the daily counts
col="$(echo "$header" | tr , '\n' | grep -nx civilian_deaths | cut -d: -f1)"
sum="$(awk -F, -v c="$col" 'NR > 1 {s += $c} END {print s}' "$TMP/run/indicators.csv")"
total="$(awk '/"totals"/ {t=1} t && /"civilian_deaths":/ {gsub(/[^0-9.]/, "", $2); print $2; exit}' "$TMP/run/summary.json")"
[ "$sum" = "$total" ] && ok || fail "totals.civilian_deaths ($total) != sum of the column ($sum)"
# events.jsonl: one JSON object per line, with day and type; the scripted injects are there
awk '!/^\{.*\}$/ {bad=1} END {exit bad}' "$TMP/run/events.jsonl" && ok || fail "events.jsonl line is not an object"
expect_contains events "$TMP/run/events.jsonl" '"type":"inject"'
expect_contains events "$TMP/run/events.jsonl" 'IED on the northern road near Jokovu'
expect_contains events "$TMP/run/events.jsonl" '"day":20,"type":"inject"'
# --days and --seed are honoured
"$PKOSIM" run "$demo" --days 3 --seed 99 --quiet --out "$TMP/short" && ok || fail "short run"
[ "$(wc -l <"$TMP/short/indicators.csv")" -eq 4 ] && ok || fail "--days 3 should give 3 rows"
expect_contains seed "$TMP/short/summary.json" '"seed":	99'
# re-running into the same folder replaces the earlier results
"$PKOSIM" run "$demo" --days 2 --quiet --out "$TMP/short" && ok || fail "rerun"
[ "$(wc -l <"$TMP/short/indicators.csv")" -eq 3 ] && ok || fail "rerun did not replace results"

# pkosim bench: one JSON object with the figures issue 3 names (the timings are not
# judged here: bench/ is for that), the threads a run really used, the same state hash
# whatever the threads
"$PKOSIM" bench --help >"$TMP/h" 2>&1 && ok || fail "bench --help"
expect_contains "bench --help" "$TMP/h" "Usage: pkosim bench SCENARIO"
ep="$SRC/scenarios/epstein_model1.lua"
for t in 1 2; do
  "$PKOSIM" bench "$ep" --set activation=parallel --set grid=100 --days 5 --threads "$t" >"$TMP/b$t" && ok || fail "bench --threads $t"
  for k in '"agents": 7400' '"days": 5' "\"threads\": $t" '"seconds": ' '"steps_per_s": ' '"agent_steps_per_s": ' \
           '"peak_rss_bytes": ' '"state_hash": "'; do
    expect_contains "bench --threads $t" "$TMP/b$t" "$k"
  done
done
h1="$(sed 's/.*"state_hash": "\([0-9a-f]*\)".*/\1/' "$TMP/b1")"
h2="$(sed 's/.*"state_hash": "\([0-9a-f]*\)".*/\1/' "$TMP/b2")"
[ -n "$h1" ] && [ "$h1" = "$h2" ] && ok || fail "bench: state hash $h1 (1 thread) != $h2 (2 threads)"
# the mission-area model runs on one thread: bench says so
"$PKOSIM" bench "$demo" --days 2 --threads 2 >"$TMP/bd" && ok || fail "bench demo"
expect_contains "bench demo threads" "$TMP/bd" '"threads": 1,'
"$PKOSIM" bench "$ep" --threads 0 >"$TMP/o" 2>&1; [ $? -eq 2 ] && ok || fail "bench --threads 0: exit code"
expect_contains "bench --threads 0" "$TMP/o" "--threads expects 1..64"
finish

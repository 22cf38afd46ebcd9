#!/usr/bin/env bash
# The partnership cases of issue 4: every scenarios/case_*.lua and scenarios/mandate_lab.lua
# under every partnership.form loads (`check`), runs a short while (30 days, coarse agents),
# writes the mission indicators, runs the same twice to byte-identical indicators, and each
# case shows its structure in events.jsonl.
source "$(dirname "$0")/lib.bash"
short=(--days 30 --seed 3 --quiet --set population.scale=200)
columns="trust.un trust.partner trust.hrpm trust.gov freedom_of_movement.un confusion_events readiness.partner
  attacks_on_humanitarians humanitarian_access cost funding_gap"

# run_twice LABEL SCENARIO OUTDIR [--set ...]: check, run twice, compare, look at the columns
run_twice() {
  local label="$1" scen="$2" out="$3"
  shift 3
  "$PKOSIM" check "$scen" "$@" >"$TMP/check.txt" 2>&1 && ok || { fail "$label: check"; sed 's/^/    | /' "$TMP/check.txt" >&2; }
  if ! "$PKOSIM" run "$scen" "${short[@]}" "$@" --out "$out" 2>"$TMP/err.txt"; then
    fail "$label: run"; sed 's/^/    | /' "$TMP/err.txt" >&2; return
  fi
  ok
  for f in summary.json indicators.csv events.jsonl; do
    [ -s "$out/$f" ] && ok || fail "$label: missing $f"
  done
  local header
  header="$(head -1 "$out/indicators.csv")"
  for col in $columns; do
    case ",$header," in *",$col,"*) ok ;; *) fail "$label: indicators.csv has no column $col" ;; esac
  done
  "$PKOSIM" run "$scen" "${short[@]}" "$@" --out "$out.again" && ok || fail "$label: second run"
  cmp -s "$out/indicators.csv" "$out.again/indicators.csv" && ok || fail "$label: two runs differ"
}

# the lab, every form
for form in none partner_only traditional_un regional_led sequential parallel hybrid split; do
  run_twice "lab $form" "$SRC/scenarios/mandate_lab.lua" "$TMP/lab_$form" --set "partnership.form=$form"
done

# the six cases (and any later case_*.lua) with their defaults
n=0
for scen in "$SRC"/scenarios/case_*.lua; do
  name="$(basename "$scen" .lua)"
  run_twice "$name" "$scen" "$TMP/$name"
  n=$((n + 1))
done
[ "$n" -ge 6 ] && ok || fail "expected at least six case scenarios, found $n"

# count_events FILE PATTERN...: lines of events.jsonl that match every pattern
count_events() {
  local f="$1"
  shift
  local lines
  lines="$(cat "$f")"
  for pat in "$@"; do lines="$(grep -F -- "$pat" <<<"$lines")"; done
  [ -z "$lines" ] && echo 0 || grep -c . <<<"$lines"
}

# sequential: the coalition leaves on the handover day and the UN mission is there
run_twice "sequential handover" "$SRC/scenarios/case_sequential.lua" "$TMP/seq" \
  --set handover.day=20 --set overlap=10
ev="$TMP/seq/events.jsonl"
[ "$(count_events "$ev" '"type":"mission_exit"' '"faction":"partner"')" -eq 1 ] && ok || fail "sequential: no mission_exit of the coalition"
grep -qF '"day":21,"type":"mission_exit","faction":"partner"' "$ev" && ok || fail "sequential: the coalition did not leave after day 20"
[ "$(count_events "$ev" '"type":"unit_added"' '"faction":"un"')" -gt 50 ] && ok || fail "sequential: too few UN units"
expect_contains "sequential handover inject" "$ev" "Handover: the coalition transfers military command"

# regional-led: donors stop, the gap opens
run_twice "regional_led donors stop" "$SRC/scenarios/case_regional_led.lua" "$TMP/reg" --set donors.stop_day=10
expect_contains "regional_led donors inject" "$TMP/reg/events.jsonl" "Donors stop paying the AU force"
grep -qE '"funding_gap":[[:space:]]+[1-9]' "$TMP/reg/summary.json" && ok || fail "regional_led: no funding gap after donors stop"
[ "$(count_events "$TMP/reg/events.jsonl" '"type":"unit_added"' '"faction":"partner"')" -gt 30 ] && ok || fail "regional_led: the AU force is missing"

# parallel: with no coordination and unclear roles the two forces get in each other's way
run_twice "parallel no coordination" "$SRC/scenarios/case_parallel.lua" "$TMP/par" \
  --set coordination.quality=0 --set role_clarity=0
[ "$(count_events "$TMP/par/events.jsonl" '"type":"confusion"' '"faction":"un"' '"target_faction":"partner"')" -gt 0 ] \
  && ok || fail "parallel: no confusion events between the UN and the national force"

# FIB: two factions of kind un; the brigade fights from its first day
run_twice "fib early" "$SRC/scenarios/case_fib.lua" "$TMP/fib" --set fib.deploy_day=1
[ "$(grep -cF '"kind":	"un"' "$TMP/fib/summary.json")" -eq 2 ] && ok || fail "fib: the brigade is not a second UN faction"
expect_contains "fib name" "$TMP/fib/summary.json" '(Force Intervention Brigade)"'
[ "$(count_events "$TMP/fib/events.jsonl" '"type":"clash"' '"faction":"partner"')" -gt 0 ] && ok || fail "fib: the brigade never fought"

# hybrid: the joint command re-plans every (3 + 2) days: at most 7 days with redeploy
# events in 30 days, and some
ev="$TMP/case_hybrid/events.jsonl"
days_with="$(grep -F '"type":"redeploy"' "$ev" | cut -d, -f1 | sort -u | grep -c .)"
[ "$days_with" -ge 1 ] && [ "$days_with" -le 7 ] && ok || fail "hybrid: $days_with days with redeploy events (expected 1-7)"
run_twice "hybrid one boss" "$SRC/scenarios/case_hybrid.lua" "$TMP/hyb1" \
  --set un.command_latency=1 --set au.command_latency=1
days_fast="$(grep -F '"type":"redeploy"' "$TMP/hyb1/events.jsonl" | cut -d, -f1 | sort -u | grep -c .)"
[ "$days_fast" -gt "$days_with" ] && ok || fail "hybrid: faster chains should re-plan on more days ($days_fast vs $days_with)"

# split: orange helmets of the hrpm, no blue UN units, the AU is the PKO
ev="$TMP/case_split/events.jsonl"
[ "$(count_events "$ev" '"type":"unit_added"' '"faction":"hrpm"')" -gt 10 ] && ok || fail "split: no HRPM units"
[ "$(count_events "$ev" '"type":"unit_added"' '"faction":"un"')" -eq 0 ] && ok || fail "split: the UN should have no units of its own"
[ "$(count_events "$ev" '"type":"unit_added"' '"faction":"partner"')" -gt 10 ] && ok || fail "split: no AU PKO units"

# the lab's days parameter sets the length of a run; --days still overrides it
lab="$SRC/scenarios/mandate_lab.lua"
"$PKOSIM" run "$lab" --set days=12 --set population.scale=200 --quiet --out "$TMP/days12" && ok || fail "lab days=12"
[ "$(grep -c . "$TMP/days12/indicators.csv")" -eq 13 ] && ok || fail "lab days=12: expected 12 rows and a header"
"$PKOSIM" run "$lab" --set days=12 --days 5 --set population.scale=200 --quiet --out "$TMP/days5" && ok || fail "lab --days 5"
[ "$(grep -c . "$TMP/days5/indicators.csv")" -eq 6 ] && ok || fail "lab --days 5 over days=12: expected 5 rows and a header"
finish

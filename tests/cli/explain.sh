#!/usr/bin/env bash
# `pkosim explain RUN_DIR`: the cause log a run writes (causes.csv) and the plain-language
# answer to "why did trust / legitimacy / needs met change?", with its bad inputs (exit 2).
source "$(dirname "$0")/lib.bash"
lab="$SRC/scenarios/population_lab.lua"

"$PKOSIM" explain --help >"$TMP/h" 2>&1 && ok || fail "explain --help"
expect_contains "explain --help" "$TMP/h" "Usage: pkosim explain RUN_DIR"
"$PKOSIM" run "$lab" --days 40 --set misinformation=true --set violence=once --quiet --out "$TMP/run" && ok || fail "run lab"
[ -s "$TMP/run/causes.csv" ] && ok || fail "no causes.csv"
expect_contains "causes.csv header" "$TMP/run/causes.csv" "day,region,group,faction,indicator,cause,amount,event"
expect_contains "causes.csv misinformation" "$TMP/run/causes.csv" ",un,trust,misinformation,"

# trust in the UN where the CLF bands are: misinformation is a cause, with the campaign event behind it
"$PKOSIM" explain "$TMP/run" --indicator trust --faction un --region hoyembe >"$TMP/t" 2>&1 && ok || fail "explain trust"
expect_contains "explain trust" "$TMP/t" "Why did trust toward UN Mission in Carana (un) change in Hoyembe"
expect_contains "explain trust" "$TMP/t" "misinformation and hate speech against UN Mission in Carana"
expect_contains "explain trust" "$TMP/t" "started a misinformation campaign against UN Mission in Carana"
expect_contains "explain trust" "$TMP/t" "Net change:"
# one group, a window of days
"$PKOSIM" explain "$TMP/run" --indicator trust --faction un --region hoyembe --group ombara --from 1 --to 20 >"$TMP/t2" 2>&1 \
  && ok || fail "explain trust --group --from --to"
expect_contains "explain --group" "$TMP/t2" "among Ombara civilians, days 1-"
# legitimacy and needs met
"$PKOSIM" explain "$TMP/run" --indicator legitimacy --region zerenga >"$TMP/l" 2>&1 && ok || fail "explain legitimacy"
expect_contains "explain legitimacy" "$TMP/l" "the host government's legitimacy"
"$PKOSIM" explain "$TMP/run" --indicator needs_met --region zerenga >"$TMP/n" 2>&1 && ok || fail "explain needs_met"
expect_contains "explain needs_met" "$TMP/n" "safety lost to violence in the region"

# the net change of trust is the sum of the causes in causes.csv (mean over groups)
want="$(awk -F, '$2=="hoyembe" && $4=="un" && $5=="trust" {s+=$7; g[$3]=1} END {n=0; for (k in g) n++; printf "%+.4f", s/n}' "$TMP/run/causes.csv")"
expect_contains "net change" "$TMP/t" "Net change: $want"

# bad input: exit 2 and a clear message
expect_usage() { # LABEL TEXT ARGS...
  local label="$1" text="$2"; shift 2
  "$PKOSIM" explain "$@" >"$TMP/o" 2>&1; rc=$?
  [ "$rc" -eq 2 ] && ok || fail "$label: exit $rc, expected 2"
  expect_contains "$label" "$TMP/o" "$text"
}
expect_usage "missing dir" "no run results here" "$TMP/nowhere" --indicator trust --faction un
expect_usage "unknown faction" "no faction 'unicorn' in this run" "$TMP/run" --indicator trust --faction unicorn
expect_usage "unknown region" "no region 'atlantis' in this run" "$TMP/run" --indicator trust --faction un --region atlantis
expect_usage "unknown group" "no civilian group 'elves' in this run" "$TMP/run" --indicator legitimacy --group elves
expect_usage "unknown indicator" "no indicator 'happiness'" "$TMP/run" --indicator happiness
expect_usage "no indicator" "missing --indicator" "$TMP/run"
expect_usage "trust without faction" "needs --faction" "$TMP/run" --indicator trust
expect_usage "bad day" "--from: expected a day number" "$TMP/run" --indicator legitimacy --from yesterday
# a damaged cause log is an error that says where, not a wrong answer
damaged() { # LABEL TEXT: TMP/bad holds the run with a damaged causes.csv
  rm -rf "$TMP/bad" && mkdir "$TMP/bad" && cp "$TMP/run/summary.json" "$TMP/run/events.jsonl" "$TMP/bad/"
  cat >"$TMP/bad/causes.csv"
  expect_usage "$1" "$2" "$TMP/bad" --indicator trust --faction un
}
lines="$(wc -l <"$TMP/run/causes.csv")"
head -c 3001 "$TMP/run/causes.csv" | damaged "cut mid-line" "causes.csv:$(head -c 3001 "$TMP/run/causes.csv" | wc -l | awk '{print $1 + 1}'): the file ends in the middle of a line"
{ echo "garbage"; tail -n +2 "$TMP/run/causes.csv"; } | damaged "no header" "causes.csv:1: expected the header"
{ head -3 "$TMP/run/causes.csv"; echo "4,1,2"; } | damaged "short record" "causes.csv:4: expected 8 fields"
{ head -2 "$TMP/run/causes.csv"; echo "x,hoyembe,,un,trust,presence,0.1,"; } | damaged "bad day" "causes.csv:3: day: expected a day number, got 'x'"
{ head -2 "$TMP/run/causes.csv"; echo "3,atlantis,,un,trust,presence,0.1,"; } | damaged "bad region" "causes.csv:3: region: no region 'atlantis'"
{ head -2 "$TMP/run/causes.csv"; echo "3,hoyembe,,un,trust,presence,lots,"; } | damaged "bad amount" "causes.csv:3: amount: expected a number"
# cut at the end of a line: the answer comes with a note that the log stops early
head -n $((lines / 4)) "$TMP/run/causes.csv" >"$TMP/short.csv"
rm -rf "$TMP/cut" && cp -r "$TMP/run" "$TMP/cut" && cp "$TMP/short.csv" "$TMP/cut/causes.csv"
"$PKOSIM" explain "$TMP/cut" --indicator trust --faction un >"$TMP/o" 2>&1 && ok || fail "cut at a line's end: exit $?"
expect_contains "cut at a line's end" "$TMP/o" "has no record after day"
# the partnership causes in words: a forceful UN mission loses the trust of the armed
# group's supporters (impartiality) in the mandate lab
lab="$SRC/scenarios/mandate_lab.lua"
"$PKOSIM" run "$lab" --set partnership.form=traditional_un --set un.roe=offensive --set population.scale=200 \
  --days 90 --quiet --out "$TMP/lab" && ok || fail "lab run"
"$PKOSIM" explain "$TMP/lab" --indicator trust --faction un --group ombara >"$TMP/lab.txt" 2>&1 && ok || fail "explain lab"
expect_contains "explain impartiality" "$TMP/lab.txt" "fought the armed group this community supports"
finish

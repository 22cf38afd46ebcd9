#!/usr/bin/env bash
# Bad input: every file in tests/data/bad/*.lua is a broken scenario whose header lines
# `-- expect: TEXT` say what the error must contain (file, line or path, what was
# expected). Each must give exit code 2, the expected message on stderr, nothing on
# stdout, and no output folder (not even a half-written one). Then the command-line
# mistakes (--set, options) are checked the same way.
source "$(dirname "$0")/lib.bash"

check_case() { # LABEL EXPECTED_RC EXPECT_FILE_OR_- ARGS...
  local label="$1" want_rc="$2" expects="$3"
  shift 3
  local out="$TMP/out-$label"
  "$PKOSIM" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  local rc=$?
  if [ "$rc" -ne "$want_rc" ]; then fail "$label: exit code $rc, expected $want_rc"; cat "$TMP/stderr" >&2; return; fi
  ok
  if [ "$expects" != "-" ]; then
    while IFS= read -r line; do
      expect_contains "$label" "$TMP/stderr" "$line"
    done <"$expects"
  fi
  if [ -s "$TMP/stdout" ]; then fail "$label: printed to stdout on error"; else ok; fi
  if ls -d "$out"* >/dev/null 2>&1; then fail "$label: left an output folder behind"; else ok; fi
  if [ "$(wc -l <"$TMP/stderr")" -gt 12 ]; then fail "$label: error message too long"; else ok; fi
}

n=0
for f in "$SRC"/tests/data/bad/*.lua; do
  name="$(basename "$f" .lua)"
  sed -n 's/^-- expect: //p' "$f" >"$TMP/expect-$name"
  if [ ! -s "$TMP/expect-$name" ]; then fail "$name: no '-- expect:' lines"; continue; fi
  check_case "$name" 2 "$TMP/expect-$name" run "$f" --days 5 --out "$TMP/out-$name"
  n=$((n + 1))
done

demo="$SRC/scenarios/demo.lua"
printf '%s\n' "unknown parameter 'un.battalion'" "did you mean 'un.battalions'?" >"$TMP/e1"
check_case set_unknown 2 "$TMP/e1" run "$demo" --set un.battalion=3 --out "$TMP/out-set_unknown"
printf '%s\n' "un.battalions" "expected a value in [0, 12], got 40" >"$TMP/e2"
check_case set_range 2 "$TMP/e2" run "$demo" --set un.battalions=40 --out "$TMP/out-set_range"
printf '%s\n' "legitimacy" "expected a number, got 'high'" >"$TMP/e3"
check_case set_type 2 "$TMP/e3" run "$demo" --set legitimacy=high --out "$TMP/out-set_type"
printf '%s\n' "un.roe" "expected one of: self_defence, defence_of_mandate, offensive; got 'shoot'" >"$TMP/e4"
check_case set_choice 2 "$TMP/e4" run "$demo" --set un.roe=shoot --out "$TMP/out-set_choice"
printf '%s\n' "aid" "expected true or false, got 'yes'" >"$TMP/e5"
check_case set_bool 2 "$TMP/e5" run "$demo" --set aid=yes --out "$TMP/out-set_bool"
printf '%s\n' "--set: expected NAME=VALUE, got 'legitimacy'" >"$TMP/e6"
check_case set_form 2 "$TMP/e6" run "$demo" --set legitimacy --out "$TMP/out-set_form"
printf '%s\n' "--days: expected a whole number from 1 to 36500, got '0'" >"$TMP/e7"
check_case days_zero 2 "$TMP/e7" run "$demo" --days 0 --out "$TMP/out-days_zero"
printf '%s\n' "unknown option '--sed'" >"$TMP/e8"
check_case unknown_option 2 "$TMP/e8" run "$demo" --sed 3 --out "$TMP/out-unknown_option"
printf '%s\n' "nosuch.lua" "cannot read the scenario file: No such file or directory" >"$TMP/e9"
check_case missing_file 2 "$TMP/e9" run "$TMP/nosuch.lua" --out "$TMP/out-missing_file"
printf '%s\n' "missing SCENARIO" >"$TMP/e10"
check_case no_scenario 2 "$TMP/e10" run
printf '%s\n' "unknown command 'fly'" >"$TMP/e11"
check_case unknown_command 2 "$TMP/e11" fly
n=$((n + 11))

# `check` reports the same problems (and all of them) with exit code 2
"$PKOSIM" check "$SRC/tests/data/bad/unit_key.lua" >"$TMP/stdout" 2>"$TMP/stderr"
if [ $? -eq 2 ]; then ok; else fail "check: exit code for a bad scenario"; fi
expect_contains check "$TMP/stderr" "unit_key.lua:8: units[1].strenght"
expect_contains check "$TMP/stderr" "1 problem"

# an existing folder that is not a run's results is never replaced
mkdir -p "$TMP/precious"
echo keep >"$TMP/precious/notes.txt"
"$PKOSIM" run "$demo" --days 2 --out "$TMP/precious" >"$TMP/stdout" 2>"$TMP/stderr"
if [ $? -eq 2 ] && [ "$(cat "$TMP/precious/notes.txt")" = keep ]; then ok; else fail "precious folder"; fi
expect_contains precious "$TMP/stderr" "holds 'notes.txt', which a run does not write"

# a failing run keeps an earlier run's results intact
"$PKOSIM" run "$demo" --days 3 --out "$TMP/prev" >/dev/null 2>&1
cp "$TMP/prev/summary.json" "$TMP/prev-summary.json"
"$PKOSIM" run "$SRC/tests/data/bad/hook_error.lua" --out "$TMP/prev" >/dev/null 2>&1
if cmp -s "$TMP/prev/summary.json" "$TMP/prev-summary.json" && [ -f "$TMP/prev/events.jsonl" ]; then ok; else fail "earlier results lost"; fi

echo "bad-input cases: $n"
[ "$n" -ge 20 ] && ok || fail "fewer than 20 bad-input cases"
finish

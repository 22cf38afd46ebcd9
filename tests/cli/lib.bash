# tests/cli/lib.bash — shared helpers for the command-line tests (sourced, not a test).
# Each test script gets the pkosim binary as $1; PKOSIM_SOURCE_DIR is set by CTest.
set -u
PKOSIM="$1"
SRC="${PKOSIM_SOURCE_DIR:?PKOSIM_SOURCE_DIR must be set (CTest sets it)}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect_contains LABEL FILE TEXT: the file holds TEXT (a fixed string)
expect_contains() {
  if grep -qF -- "$3" "$2"; then ok; else fail "$1: expected to find '$3' in:"; sed 's/^/    | /' "$2" >&2; fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

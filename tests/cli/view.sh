#!/usr/bin/env bash
# `pkosim view`: the map view rendered headless (offscreen software renderer, no display):
# PNG of the requested size, the JSON line, overlays that change the picture, both ends of
# the supported sizes, the foreign central-Africa map, the no-display fallback that also
# writes the run's results, and bad usage (exit 2). What is drawn where is checked in
# tests/unit/view_render.c. Frame counts stay small: the sanitizer pass runs this too.
source "$(dirname "$0")/lib.bash"
demo="$SRC/scenarios/demo.lua"
export SDL_VIDEODRIVER=offscreen

# width and height from a PNG's IHDR chunk
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{printf "%dx%d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }

"$PKOSIM" view --help >"$TMP/h" 2>&1 && ok || fail "view --help"
expect_contains "view --help" "$TMP/h" "Usage: pkosim view SCENARIO"

"$PKOSIM" view "$demo" --headless --frames 4 --size 1280x720 --screenshot "$TMP/a.png" >"$TMP/j" 2>"$TMP/e" \
  && ok || { fail "headless 1280x720"; cat "$TMP/e" >&2; }
[ "$(png_size "$TMP/a.png")" = "1280x720" ] && ok || fail "a.png is $(png_size "$TMP/a.png"), expected 1280x720"
expect_contains "json" "$TMP/j" '"frames": 4'
expect_contains "json" "$TMP/j" '"width": 1280, "height": 720'
expect_contains "json" "$TMP/j" '"units_drawn": 32'
grep -q '"fps": [0-9]' "$TMP/j" && ok || fail "no fps in $(cat "$TMP/j")"

# another overlay on the same run: another picture
"$PKOSIM" view "$demo" --headless --frames 4 --size 1280x720 --overlay violence --screenshot "$TMP/b.png" >/dev/null 2>&1 \
  && ok || fail "overlay violence"
cmp -s "$TMP/a.png" "$TMP/b.png" && fail "--overlay violence drew the same picture" || ok
# the same run twice: the same picture (rendering is deterministic)
"$PKOSIM" view "$demo" --headless --frames 4 --size 1280x720 --screenshot "$TMP/a2.png" >/dev/null 2>&1 && ok || fail "again"
cmp -s "$TMP/a.png" "$TMP/a2.png" && ok || fail "two identical runs drew different pictures"

# the largest size, large fonts, help and console shown
"$PKOSIM" view "$demo" --headless --frames 1 --size 3840x2160 --large-font --show help,console --screenshot "$TMP/c.png" \
  >/dev/null 2>"$TMP/e" && ok || { fail "3840x2160"; cat "$TMP/e" >&2; }
[ "$(png_size "$TMP/c.png")" = "3840x2160" ] && ok || fail "c.png is $(png_size "$TMP/c.png")"

# a map nobody here wrote: the assets folder only for this test
if [ -f "${PKOSIM_SHARED_DIR:-/nonexistent}/reference/geojson/central_africa.geojson" ]; then
  mkdir -p "$TMP/assets/maps"
  cp "$PKOSIM_SHARED_DIR/reference/geojson/central_africa.geojson" "$TMP/assets/maps/"
  PKOSIM_ASSETS="$TMP/assets" "$PKOSIM" view "$SRC/scenarios/central_africa.lua" --headless --frames 2 --size 1280x720 \
    --screenshot "$TMP/ca.png" >"$TMP/jca" 2>"$TMP/e" && ok || { fail "central_africa"; cat "$TMP/e" >&2; }
  expect_contains "central_africa labels" "$TMP/jca" '"labels": 4'
  [ -s "$TMP/ca.png" ] && ok || fail "no ca.png"
else
  fail "central_africa.geojson not found under PKOSIM_SHARED_DIR"
fi

# no display and no --headless: runs the scenario's days and writes the run's results too
(cd "$TMP" && env -u DISPLAY -u WAYLAND_DISPLAY "$PKOSIM" view "$demo" --days 5 >"$TMP/nd" 2>"$TMP/e") \
  && ok || { fail "no-display view"; cat "$TMP/e" >&2; }
expect_contains "no display" "$TMP/nd" "no display"
expect_contains "no display" "$TMP/nd" "out/demo/screenshot.png"
for f in summary.json indicators.csv events.jsonl causes.csv screenshot.png; do
  [ -s "$TMP/out/demo/$f" ] && ok || fail "no out/demo/$f"
done
[ "$(png_size "$TMP/out/demo/screenshot.png")" = "1920x1080" ] && ok || fail "default size"
# the same results as 'pkosim run' over those days
"$PKOSIM" run "$demo" --days 5 --quiet --out "$TMP/run5" && ok || fail "run --days 5"
h1=$(grep state_hash "$TMP/out/demo/summary.json"); h2=$(grep state_hash "$TMP/run5/summary.json")
[ -n "$h1" ] && [ "$h1" = "$h2" ] && ok || fail "view's results differ from run's: $h1 vs $h2"
cmp -s "$TMP/out/demo/indicators.csv" "$TMP/run5/indicators.csv" && ok || fail "indicators.csv differs from run's"

# bad usage
"$PKOSIM" view "$demo" --headless --size 10x10 >/dev/null 2>"$TMP/e"; [ $? -eq 2 ] && ok || fail "--size 10x10 not exit 2"
"$PKOSIM" view "$demo" --headless --overlay bogus >/dev/null 2>"$TMP/e"; [ $? -eq 2 ] && ok || fail "--overlay bogus not exit 2"
expect_contains "--overlay bogus" "$TMP/e" "expected none, violence"
"$PKOSIM" view "$demo" --headless --frames 0 >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "--frames 0 not exit 2"
"$PKOSIM" view "$demo" --headless --show region:nowhere --frames 1 >/dev/null 2>"$TMP/e"; [ $? -eq 2 ] && ok || fail "--show bad region"
PKOSIM_FONT_DIR="$TMP/nofonts" "$PKOSIM" view "$demo" --headless --frames 1 >/dev/null 2>"$TMP/e"
[ $? -eq 2 ] && ok || fail "missing font not exit 2"
expect_contains "missing font" "$TMP/e" "fonts-dejavu-core"

finish

#!/usr/bin/env bash
# bench/epstein.sh PKOSIM — the Epstein benchmarks of issue 3 (a benchmark, not a test:
# nothing here passes or fails). Prints one JSON line per run (pkosim bench): Model I with
# Mesa's settings at 40x40, serial (Epstein's random sequential activation), and at
# 1200x1200 (about 1.1 million agents) with the parallel activation on 1 and 2 threads; the
# state_hash of the 1- and 2-thread runs must be equal. Every case is run REPEAT times
# (default 3): take the best, since a shared machine's timings vary (by 30% and more when
# another job runs); the 2-thread speed-up is best(2 threads) / best(1 thread).
set -euo pipefail
pkosim="${1:?usage: bench/epstein.sh path/to/pkosim}"
repeat="${REPEAT:-3}"
here="$(cd "$(dirname "$0")" && pwd)"
scenario="$here/../scenarios/epstein_model1.lua"
mesa=(--set neighbourhood=von_neumann --set arrest_rounding=round --set jail_draw=up_to_max
      --set cop_density=0.074 --set legitimacy=0.8 --set max_jail=1000)
for _ in $(seq "$repeat"); do "$pkosim" bench "$scenario" "${mesa[@]}" --days 3000; done
for t in 1 2; do
  for _ in $(seq "$repeat"); do
    "$pkosim" bench "$scenario" "${mesa[@]}" --set grid=1200 --set activation=parallel --days 20 --threads "$t"
  done
done

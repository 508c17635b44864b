#!/bin/sh
# Prints, for each criterion group of the realistic bench, the time per
# request of every column (criterion's slope estimate, the figure it prints
# in the middle of `time:`; the mean where there is no slope) and its ratio
# to the group's hand-written baseline (`mutex_btreemap`), from the last
# run's estimates:
#
#   cargo bench --bench realistic -- --warm-up-time 1 --measurement-time 3
#   sh benches/ratios.sh            # or: sh benches/ratios.sh put update
#
# CARGO_TARGET_DIR is honoured (default: ./target).
set -eu
dir="${CARGO_TARGET_DIR:-target}/criterion"
[ -d "$dir" ] || { echo "no criterion results under $dir" >&2; exit 1; }
groups="${*:-put update query transact}"

estimate() { # the slope's point estimate (else the mean's), in ns
    slope=$(sed -n 's/.*"slope":{"confidence_interval":{[^}]*},"point_estimate":\([0-9.e+-]*\).*/\1/p' "$1")
    if [ -n "$slope" ]; then echo "$slope"; else
        sed -n 's/^{"mean":{[^}]*},"point_estimate":\([0-9.e+-]*\).*/\1/p' "$1"
    fi
}

for g in $groups; do
    base="$dir/$g/mutex_btreemap/new/estimates.json"
    [ -f "$base" ] || { echo "$g: no baseline result" >&2; continue; }
    b=$(estimate "$base")
    for est in "$dir/$g"/*/new/estimates.json; do
        name=$(basename "$(dirname "$(dirname "$est")")")
        t=$(estimate "$est")
        awk -v g="$g" -v n="$name" -v t="$t" -v b="$b" 'BEGIN {
            printf "%-9s %-20s %10.0f ns  %5.2fx the baseline  (%.0f/s)\n", g, n, t, t / b, 1e9 / t }'
    done
done

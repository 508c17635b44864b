#!/bin/sh
# The endpoint under wrk: `dynacond serve` answering conditional PutItems
# (benches/endpoint_wrk.lua: the realistic condition with its names and
# values, 10,000 keys, keep-alive) beside an endpoint on the same HTTP stack
# whose handler answers `{}` (examples/empty_endpoint.rs), in the same run.
# The two are measured in turns, ROUNDS times each, and each one's best
# round is kept (the machine's other load is not theirs); the script prints
# both throughputs, their ratio and the p99 latencies wrk reports.
#
#   sh benches/endpoint_wrk.sh [SECONDS [ROUNDS [CONNECTIONS]]]
#
# Defaults: 10-second runs, 2 rounds, `wrk -t1 -c8`. Needs wrk
# (`apt-get install wrk`) and curl; builds the release binaries with the
# `server` feature (CARGO_TARGET_DIR is honoured). DYNACOND_SERVE_BIN runs
# another `dynacond` binary in the place of the one built (say, an older
# build, to compare before and after a change).
set -eu
secs="${1:-10}"
rounds="${2:-2}"
conns="${3:-8}"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
target="${CARGO_TARGET_DIR:-target}"
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "endpoint_wrk: $tool is not installed" >&2; exit 2; }
done
cargo build --quiet --release --features server --bin dynacond --example empty_endpoint

work="$(mktemp -d)"
# The servers' process ids, one a line (`start` runs in a subshell).
: >"$work/pids"
cleanup() {
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$work/pids"
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Starts a server (its command line in "$@"), waits for its
# `listening on URL` line, and prints the URL.
start() {
    log="$work/$(basename "$1").log"
    : >"$log"
    "$@" >"$log" 2>&1 &
    echo $! >>"$work/pids"
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$log")
        [ -n "$url" ] && { echo "$url"; return; }
        sleep 0.1
    done
    echo "endpoint_wrk: $1 did not start:" >&2
    cat "$log" >&2
    exit 1
}

serve=$(start "${DYNACOND_SERVE_BIN:-$target/release/dynacond}" serve --port 0 --ttl-sweep-interval 0)
empty=$(start "$target/release/examples/empty_endpoint" 127.0.0.1:0)
curl -sf -o /dev/null "$serve/" \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: DynamoDB_20120810.CreateTable' \
    -d '{"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
         "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}'

# One wrk run; prints "requests/s p99 non-2xx" (p99 in microseconds).
run() {
    out=$(wrk -t1 -c"$conns" -d"$1"s --latency -s "$here/endpoint_wrk.lua" "$2")
    rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
    p99=$(echo "$out" | awk '$1 == "99%" {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : 0
        printf "%.0f", v * f }')
    bad=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
    echo "$rps ${p99:-0} ${bad:-0}"
}

# Warm both up (the store fills its 10,000 keys), then alternate.
run 2 "$empty" >/dev/null
run 2 "$serve" >/dev/null
best_e="0 0 0"
best_s="0 0 0"
better() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(x[1] > y[1]) }'; }
for r in $(seq 1 "$rounds"); do
    e=$(run "$secs" "$empty")
    s=$(run "$secs" "$serve")
    echo "round $r: empty handler $e | dynacond serve $s  (req/s, p99 us, non-2xx)"
    better "$e" "$best_e" && best_e="$e"
    better "$s" "$best_s" && best_s="$s"
done

set -- $best_e
e_rps=$1 e_p99=$2
set -- $best_s
s_rps=$1 s_p99=$2 s_bad=$3
printf 'endpoint/empty-handler    %9.0f req/s  p99 %6.0f us\n' "$e_rps" "$e_p99"
printf 'endpoint/conditional-put  %9.0f req/s  p99 %6.0f us  (%s non-2xx)\n' "$s_rps" "$s_p99" "$s_bad"
awk -v s="$s_rps" -v e="$e_rps" -v c="$conns" -v d="$secs" 'BEGIN {
    printf "endpoint/ratio            %.2f of the empty handler'"'"'s throughput (wrk -t1 -c%d, %d s runs, best of each)\n", s / e, c, d }'
[ "$s_bad" = 0 ] || { echo "endpoint_wrk: dynacond answered $s_bad requests with an error" >&2; exit 1; }

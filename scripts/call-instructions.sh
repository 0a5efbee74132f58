#!/usr/bin/env bash
# Instructions per call of the generated clients and the hand-written baseline, path by path,
# counted by valgrind (cachegrind, no cache simulation): a figure that does not move with the
# load of the machine, unlike CPU time. User-space instructions of the client process only (the
# server runs in a process of its own); hashing is counted in software, as valgrind hides the
# CPU's SHA instructions.
#
# Per call = (instructions of 3 rounds - instructions of 1 round) / 2,560 calls, so start-up and
# connection set-up cancel out. About a minute per path. Needs valgrind.
#
# With --cache-misses, sequential calls instead (4,000: rounds of 2,000) in cachegrind's
# simulation of this machine's caches, and per call the first-level misses beside the
# instructions: a call that runs the same instructions over more code or more memory misses
# more, and pays for each miss (about a dozen cycles from the second-level cache) however few
# its instructions. CACHE_SIM_ARGS passes other cache sizes to cachegrind, e.g.
# "--I1=16384,4,64 --D1=16384,4,64" for first-level caches a quarter of this machine's.
#
#   scripts/call-instructions.sh [--cache-misses] [path ...]   (default: all six; names as
#                                                               benches/calls prints)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 2; }
CACHE=false
if [[ ${1:-} == --cache-misses ]]; then
  CACHE=true
  shift
fi
BIN=$(cargo bench --bench calls --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*calls[^"]*\)".*/\1/p' | tail -1)
[[ -x $BIN ]] || { echo "could not build the call benchmark" >&2; exit 1; }
PATHS=("$@")
[[ ${#PATHS[@]} -gt 0 ]] || PATHS=(acs3 rpc huawei-aksk huawei-token tencent-qsign tc3)

coproc SERVER { CALLS_BENCH_SERVE=1 exec "$BIN"; }
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
read -r ADDRESSES <&"${SERVER[0]}"

if ! $CACHE; then
  instructions() { # profile-target rounds
    CALLS_BENCH_SERVER="$ADDRESSES" CALLS_BENCH_ROUNDS=$2 CALLS_BENCH_PROFILE=$1 \
      valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$BIN" 2>&1 >/dev/null |
      sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
  }
  per_call() { echo $((($(instructions "$1" 3) - $(instructions "$1" 1)) / 2560)); }

  printf '| path | generated | hand-written | ratio |\n| --- | --- | --- | --- |\n'
  for path in "${PATHS[@]}"; do
    generated=$(per_call "$path")
    hand=$(per_call "hand:$path")
    printf '| %s | %s | %s | %s |\n' "$path" "$generated" "$hand" "$(awk -v g="$generated" -v h="$hand" 'BEGIN { printf "%.3f", g / h }')"
  done
  exit 0
fi

counts() { # profile-target rounds -> "instructions I1-misses D1-misses"
  CALLS_BENCH_SERVER="$ADDRESSES" CALLS_BENCH_ROUNDS=$2 CALLS_BENCH_PROFILE=$1 CALLS_BENCH_PROFILE_TASKS=1 \
    valgrind --tool=cachegrind --cache-sim=yes ${CACHE_SIM_ARGS:-} --cachegrind-out-file=/dev/null "$BIN" 2>&1 >/dev/null |
    awk '{ gsub(",", "") } /I *refs:/ { i = $4 } /I1 *misses:/ { i1 = $4 } /D1 *misses:/ { d1 = $4 }
      END { print i, i1, d1 }'
}
per_call_misses() { # profile-target -> "instructions I1-misses D1-misses" per call
  awk -v a="$(counts "$1" 1)" -v b="$(counts "$1" 3)" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    printf "%d %d %d", (y[1] - x[1]) / 4000, (y[2] - x[2]) / 4000, (y[3] - x[3]) / 4000 }'
}

printf '| path | instructions | I1 misses | D1 misses | hand-written: instructions | I1 misses | D1 misses | L1 misses, ratio |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for path in "${PATHS[@]}"; do
  read -r gi gi1 gd1 <<<"$(per_call_misses "$path")"
  read -r hi hi1 hd1 <<<"$(per_call_misses "hand:$path")"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$path" "$gi" "$gi1" "$gd1" "$hi" "$hi1" "$hd1" \
    "$(awk -v g=$((gi1 + gd1)) -v h=$((hi1 + hd1)) 'BEGIN { printf "%.3f", g / h }')"
done

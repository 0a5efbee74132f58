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
#   scripts/call-instructions.sh [path ...]   (default: all six; names as benches/calls prints)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 2; }
BIN=$(cargo bench --bench calls --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*calls[^"]*\)".*/\1/p' | tail -1)
[[ -x $BIN ]] || { echo "could not build the call benchmark" >&2; exit 1; }
PATHS=("$@")
[[ ${#PATHS[@]} -gt 0 ]] || PATHS=(acs3 rpc huawei-aksk huawei-token tencent-qsign tc3)

coproc SERVER { CALLS_BENCH_SERVE=1 exec "$BIN"; }
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
read -r ADDRESSES <&"${SERVER[0]}"

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

#!/usr/bin/env bash
# Runs every benchmark and prints one Markdown table (also written to $BENCH_WORK/table.md):
#
#   1. generation, built unoptimised as build scripts are (`cargo bench --profile dev`) and
#      optimised (`cargo bench`): codegen/benches/generate.rs;
#   2. runtime against baselines in the same run: benches/calls.rs (generated client against a
#      hand-written reqwest client on a loopback server), benches/decode.rs (generated types
#      against hand-written serde structs), benches/sign.rs (each signer);
#   3. build cost for a user, timed here: crate-only clean builds (`cargo clean -p
#      cloud-task-apis`, then `cargo build` with dependencies already built) and rebuilds after
#      editing one spec, for the project's specs and for 500 synthetic operations.
#
# Build costs are measured on copies of the working tree under $BENCH_WORK (default
# /tmp/bench-build) with their own target dir ($BENCH_TARGET_DIR, default $BENCH_WORK/target,
# kept between runs so dependencies are built once), so the project's target/ is never cleaned
# and builds running there neither hold the lock during a timed build nor lose their artifacts.
# One clean build per configuration.
#
# BENCH_PARTS selects parts (default: "generation runtime build").
#
# About 7 minutes on 2 cores once dependencies are built; the first run also builds them (in
# release for the benchmarks, in dev for the build-cost copies), about 10 minutes more.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
ROOT=$PWD
WORK=${BENCH_WORK:-/tmp/bench-build}
TARGET=${BENCH_TARGET_DIR:-$WORK/target}
mkdir -p "$WORK"
ROWS=$WORK/rows.md
LOG=$WORK/log.txt
: >"$ROWS"
: >"$LOG"

say() { printf '%s\n' "$*" >&2; }

# Runs a benchmark binary, keeping its report in the log and its rows for the table.
bench() {
  say "== cargo bench $*"
  local out
  out=$(cargo bench "$@" 2>>"$LOG")
  printf '%s\n' "$out" >>"$LOG"
  printf '%s\n' "$out" | grep -v '^ROW ' >&2 || true
  printf '%s\n' "$out" | sed -n 's/^ROW //p' >>"$ROWS"
}

# One table row from its cells.
row() {
  local out="|" cell
  for cell in "$@"; do out+=" $cell |"; done
  printf '%s\n' "$out" >>"$ROWS"
}

load_average() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }

LOAD_START=$(load_average)
STARTED=$(date +%s)

PARTS=" ${BENCH_PARTS:-generation runtime build} "
part() { [[ $PARTS == *" $1 "* ]]; }

# 1. Generation: unoptimised (what a build script pays) and optimised.
if part generation; then
  bench -p cloud-task-apis-codegen --bench generate --profile dev
  bench -p cloud-task-apis-codegen --bench generate
fi

# 2. Runtime.
if part runtime; then
  bench -p cloud-task-apis --bench calls
  bench -p cloud-task-apis --bench decode
  bench -p cloud-task-apis --bench sign
fi

# 3. Build cost.
# Copies the working tree (without target/ and .git) to $1.
copy_tree() {
  rm -rf "$1"
  mkdir -p "$1"
  tar -C "$ROOT" --exclude=./target --exclude=./.git -cf - . | tar -C "$1" -xf -
}

# Runs `cargo build ARGS` in directory $1 with the benchmark target dir; prints the seconds it
# took, and fails loudly when something other than this crate was compiled (dependencies must
# be built already) or when the build waited for a lock.
timed_build() {
  local dir=$1
  shift
  local log=$WORK/build.log start end
  local -a vars=("CARGO_TARGET_DIR=$TARGET")
  if [ -n "${NO_INCREMENTAL:-}" ]; then vars+=(CARGO_INCREMENTAL=0); fi
  start=$(date +%s.%N)
  (cd "$dir" && env "${vars[@]}" cargo build "$@") >"$log" 2>&1 || {
    cat "$log" >&2
    return 1
  }
  end=$(date +%s.%N)
  cat "$log" >>"$LOG"
  if grep -q 'Blocking waiting' "$log"; then
    say "warning: the build waited for a lock; its time includes the wait"
  fi
  local others
  others=$(grep -E '^\s*Compiling ' "$log" | grep -v 'Compiling cloud-task-apis v' || true)
  if [ -n "$others" ]; then
    say "warning: the timed build also compiled: $others"
  fi
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

warm() {
  local dir=$1
  shift
  local -a vars=("CARGO_TARGET_DIR=$TARGET")
  if [ -n "${NO_INCREMENTAL:-}" ]; then vars+=(CARGO_INCREMENTAL=0); fi
  say "   warm-up: ${vars[*]:1} cargo build $* (dependencies; not timed)"
  (cd "$dir" && env "${vars[@]}" cargo build "$@") >>"$LOG" 2>&1
}

clean_crate() { (cd "$1" && CARGO_TARGET_DIR=$TARGET cargo clean -p cloud-task-apis) >>"$LOG" 2>&1; }

# Changes the summary of one operation spec (what an edit of the docs does to a build).
edit_spec() { sed -i 's/^summary: \(.*\)$/summary: \1 Edited./' "$1"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { if (a <= b) print "yes"; else print "**no**" }'; }

if part build; then
  area="build cost (dev profile)"
  say "== build cost: the project's specs (copy in $WORK/project, target $TARGET)"
  project=$WORK/project
  copy_tree "$project"
  warm "$project" --no-default-features
  clean_crate "$project"
  t=$(timed_build "$project" --no-default-features)
  say "   no provider (runtime only): $t s"
  row "$area" "crate-only clean build, no provider (runtime only, for reference)" "$t s" "" "" "" ""
  clean_crate "$project"
  t=$(timed_build "$project" --no-default-features --features huawei)
  say "   huawei only: $t s"
  row "$area" "crate-only clean build, project specs, one provider (huawei: 2 operations)" "$t s" "" "" "" ""
  clean_crate "$project"
  t=$(timed_build "$project")
  say "   all providers: $t s"
  row "$area" "crate-only clean build, project specs, all providers (5 operations)" "$t s" "" "" "" ""
  edit_spec "$project/specs/huawei/dis/ShowTransferTaskLog.yaml"
  t=$(timed_build "$project")
  say "   rebuild after editing one spec: $t s"
  row "$area" "rebuild after editing one spec, project specs, all providers" "$t s" "" "" "" ""

  say "== build cost: 500 synthetic operations (copy in $WORK/synthetic)"
  synthetic=$WORK/synthetic
  copy_tree "$synthetic"
  rm -rf "$synthetic/specs"
  (cd "$ROOT" && cargo run -q -p cloud-task-apis-codegen --example synthetic_specs -- 500 "$synthetic/specs") >>"$LOG" 2>&1
  warm "$synthetic" --no-default-features
  clean_crate "$synthetic"
  t=$(timed_build "$synthetic")
  say "   clean build: $t s"
  row "$area" "crate-only clean build, 500 synthetic operations (incremental, as for a workspace crate)" "$t s" \
    "progenitor ~113 s" "$(ratio "$t" 113)" "≤ 1/2 of progenitor (≤ 56 s)" "$(at_most "$t" 56.5)"
  edit_spec "$synthetic/specs/huawei/synthetic/UpdateWidget0250.yaml"
  t=$(timed_build "$synthetic")
  say "   rebuild after editing one spec: $t s"
  row "$area" "rebuild after editing one spec, 500 synthetic operations" "$t s" "progenitor ~41 s" "$(ratio "$t" 41)" \
    "≤ 1/2 of progenitor (≤ 20 s)" "$(at_most "$t" 20.5)"
  # A dependency from a registry is compiled without incremental compilation; the generator
  # crate is then built that way too, so it gets its own warm-up.
  NO_INCREMENTAL=1 warm "$synthetic" --no-default-features
  clean_crate "$synthetic"
  t=$(NO_INCREMENTAL=1 timed_build "$synthetic")
  say "   clean build without incremental compilation: $t s"
  row "$area" "crate-only clean build, 500 synthetic operations, non-incremental (as a registry dependency is built)" \
    "$t s" "" "" "" ""
fi

ELAPSED=$(($(date +%s) - STARTED))
TABLE=$WORK/table.md
{
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(rustc --version)"
  echo "Load average at start: $LOAD_START; at end: $(load_average); $((ELAPSED / 60)) min $((ELAPSED % 60)) s in all."
  echo
  echo "| area | measurement | result | baseline (same run) or reference | ratio | target | met |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  cat "$ROWS"
} >"$TABLE"
echo
cat "$TABLE"
say ""
say "(table in $TABLE, full log in $LOG)"

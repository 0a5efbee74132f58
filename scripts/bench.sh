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
#      editing one spec, for the project's specs and for 500 and 2,000 synthetic operations, with
#      the CPU time and peak memory of the crate's `rustc` (a RUSTC_WRAPPER runs it under
#      `/usr/bin/time`), and a build selecting two of the 500 (CLOUD_TASK_APIS_OPERATIONS).
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
# Copies the working tree (without target/ and .git) to $1. Each copy gets its own version
# suffix: cargo hashes workspace members without their path, so copies with one version would
# share (and overwrite) each other's artifacts and build-script output in the one target dir.
copy_tree() {
  rm -rf "$1"
  mkdir -p "$1"
  tar -C "$ROOT" --exclude=./target --exclude=./.git -cf - . | tar -C "$1" -xf -
  sed -i "s/^version = \"\([0-9.]*\)\"$/version = \"\1-$(basename "$1")\"/" "$1/Cargo.toml"
}

# The wrapper that runs the crate's rustc under /usr/bin/time: wall and CPU seconds and peak
# memory (KB) appended to $RUSTC_PEAK_FILE; other crates run as they are.
WRAPPER=$WORK/rustc-wrapper.sh
cat >"$WRAPPER" <<'WRAP'
#!/usr/bin/env bash
rustc=$1
shift
prev=
for a in "$@"; do
  if [ "$prev" = "--crate-name" ] && [ "$a" = "cloud_task_apis" ] && [ -n "${RUSTC_PEAK_FILE:-}" ]; then
    exec /usr/bin/time -f "%e %U %S %M" -a -o "$RUSTC_PEAK_FILE" "$rustc" "$@"
  fi
  prev=$a
done
exec "$rustc" "$@"
WRAP
chmod +x "$WRAPPER"
PEAK=$WORK/rustc-peak.txt
# CPU seconds (user + system) and peak memory (GB) of the crate's rustc in the last timed build.
rustc_cpu() { awk '{ c += $2 + $3 } END { printf "%.1f", c }' "$PEAK"; }
rustc_peak() { awk '{ if ($4 > m) m = $4 } END { printf "%.2f", m / 1048576 }' "$PEAK"; }

# Runs `cargo build ARGS` in directory $1 with the benchmark target dir; prints the seconds it
# took, and fails loudly when something other than this crate was compiled (dependencies must
# be built already) or when the build waited for a lock.
timed_build() {
  local dir=$1
  shift
  local log=$WORK/build.log start end
  local -a vars=("CARGO_TARGET_DIR=$TARGET" "RUSTC_WRAPPER=$WRAPPER" "RUSTC_PEAK_FILE=$PEAK")
  if [ -n "${NO_INCREMENTAL:-}" ]; then vars+=(CARGO_INCREMENTAL=0); fi
  vars+=("CLOUD_TASK_APIS_OPERATIONS=${CLOUD_TASK_APIS_OPERATIONS:-}")
  : >"$PEAK"
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
  local -a vars=("CARGO_TARGET_DIR=$TARGET" "RUSTC_WRAPPER=$WRAPPER")
  if [ -n "${NO_INCREMENTAL:-}" ]; then vars+=(CARGO_INCREMENTAL=0); fi
  say "   warm-up: ${vars[*]:1} cargo build $* (dependencies; not timed)"
  (cd "$dir" && env "${vars[@]}" cargo build "$@") >>"$LOG" 2>&1
}

clean_crate() {
  (cd "$1" && CARGO_TARGET_DIR=$TARGET RUSTC_WRAPPER=$WRAPPER cargo clean -p cloud-task-apis) >>"$LOG" 2>&1
}

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
  # Reference figures of progenitor 0.15 (issue 13): clean build 98.3 s, rebuild after editing
  # one operation 30.5 s, peak memory of the clean build 4.34 GB, all at 500 operations.
  synthetic=$WORK/synthetic
  copy_tree "$synthetic"
  rm -rf "$synthetic/specs"
  (cd "$ROOT" && cargo run -q -p cloud-task-apis-codegen --example synthetic_specs -- 500 "$synthetic/specs") >>"$LOG" 2>&1
  warm "$synthetic" --no-default-features
  clean_crate "$synthetic"
  t=$(timed_build "$synthetic")
  say "   clean build: $t s (rustc $(rustc_cpu) s CPU, peak $(rustc_peak) GB)"
  row "$area" "crate-only clean build, 500 synthetic operations (incremental, as for a workspace crate)" \
    "$t s (rustc: $(rustc_cpu) s CPU)" "progenitor 98.3 s" "$(ratio "$t" 98.3)" "≤ 1/3 of progenitor (≤ 32.8 s)" "$(at_most "$t" 32.8)"
  row "$area" "peak memory of that clean build (the crate's rustc)" "$(rustc_peak) GB" "progenitor 4.34 GB" \
    "$(ratio "$(rustc_peak)" 4.34)" "≤ 1/3 of progenitor (≤ 1.45 GB)" "$(at_most "$(rustc_peak)" 1.45)"
  edit_spec "$synthetic/specs/huawei/synthetic/UpdateWidget0250.yaml"
  t=$(timed_build "$synthetic")
  say "   rebuild after editing one spec: $t s"
  row "$area" "rebuild after editing one spec, 500 synthetic operations" "$t s" "progenitor 30.5 s" "$(ratio "$t" 30.5)" \
    "≤ 1/4 of progenitor (≤ 7.6 s)" "$(at_most "$t" 7.6)"
  # Two operations of the 500 selected, as a user who needs two would build.
  clean_crate "$synthetic"
  t=$(CLOUD_TASK_APIS_OPERATIONS="huawei/synthetic/UpdateWidget0001,huawei/synthetic/UpdateWidget0002" timed_build "$synthetic")
  say "   clean build of 2 selected operations: $t s"
  row "$area" "crate-only clean build, 2 of the 500 synthetic operations selected (\`CLOUD_TASK_APIS_OPERATIONS\`)" \
    "$t s (rustc: $(rustc_cpu) s CPU, peak $(rustc_peak) GB)" "" "" "" ""
  # A dependency from a registry is compiled without incremental compilation; the generator
  # crate is then built that way too, so it gets its own warm-up.
  NO_INCREMENTAL=1 warm "$synthetic" --no-default-features
  clean_crate "$synthetic"
  t=$(NO_INCREMENTAL=1 timed_build "$synthetic")
  say "   clean build without incremental compilation: $t s"
  row "$area" "crate-only clean build, 500 synthetic operations, non-incremental (as a registry dependency is built)" \
    "$t s (rustc: $(rustc_cpu) s CPU, peak $(rustc_peak) GB)" "" "" "" ""

  say "== build cost: 2,000 synthetic operations (copy in $WORK/synthetic2000)"
  synthetic2000=$WORK/synthetic2000
  copy_tree "$synthetic2000"
  rm -rf "$synthetic2000/specs"
  (cd "$ROOT" && cargo run -q -p cloud-task-apis-codegen --example synthetic_specs -- 2000 "$synthetic2000/specs") >>"$LOG" 2>&1
  warm "$synthetic2000" --no-default-features
  clean_crate "$synthetic2000"
  t=$(timed_build "$synthetic2000")
  say "   clean build: $t s (rustc $(rustc_cpu) s CPU, peak $(rustc_peak) GB)"
  row "$area" "crate-only clean build, 2,000 synthetic operations" \
    "$t s (rustc: $(rustc_cpu) s CPU, peak $(rustc_peak) GB)" "" "" "" ""
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

#!/usr/bin/env bash
# Runs every benchmark and prints one Markdown table (also written to $BENCH_WORK/table.md):
#
#   1. generation, built unoptimised as build scripts are (`cargo bench --profile dev`) and
#      optimised (`cargo bench`): codegen/benches/generate.rs;
#   2. runtime against baselines in the same run: benches/calls.rs (generated client against a
#      hand-written reqwest client on a loopback server), benches/decode.rs (generated types
#      against hand-written serde structs), benches/sign.rs (each signer), benches/validate.rs
#      (building and checking a request with patterns, against the same checks by hand);
#   3. build cost for a user, timed here: crate-only clean builds (`cargo clean -p` of the six
#      crates made from the specs, `cloud-task-apis` and the five it re-exports, then `cargo
#      build` with dependencies, the runtime among them, already built) and rebuilds after
#      editing one spec, for the project's specs and for 500 and 2,000 synthetic operations, with
#      the CPU time (summed) and peak memory (the largest) of those crates' `rustc` (a
#      RUSTC_WRAPPER runs each under `/usr/bin/time`), and a build selecting two of the 500
#      (CLOUD_TASK_APIS_OPERATIONS).
#      The baseline of the 500-operation rows is measured the same way in the same run:
#      progenitor 0.15 in build-script mode (benches/progenitor/, its own workspace) on an
#      OpenAPI document of the same 500 operations (`codegen/examples/synthetic_openapi.rs`),
#      built once first (before part 1, whose build-script rows compare with its generation
#      time), then three clean builds and three rebuilds after the same edit of one
#      operation's summary, taking turns with ours (medians, and medians of the rounds' ratios).
#
# Build costs are measured on copies of the working tree under $BENCH_WORK (default
# /tmp/bench-build) with their own target dir ($BENCH_TARGET_DIR, default $BENCH_WORK/target,
# kept between runs so dependencies are built once), so the project's target/ is never cleaned
# and builds running there neither hold the lock during a timed build nor lose their artifacts.
# One clean build per configuration, except the 500 operations against progenitor (above).
#
# BENCH_PARTS selects parts (default: "generation runtime build").
#
# About 33 minutes on 2 cores once dependencies are built (the calls benchmark about 14 of them,
# the progenitor baseline about 7); the first run also builds them (in release for the
# benchmarks, in dev for the build-cost copies and the progenitor copy), about 10 minutes more.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# The progenitor copy reads the document next to its Cargo.toml.
unset PROGENITOR_SPEC
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

# Build-cost helpers (part 3, and the progenitor baseline measured before part 1).
# Gives the package of the copy in $1 its own version suffix: cargo hashes workspace members
# without their path, so copies with one version would share (and overwrite) each other's
# artifacts and build-script output in the one target dir.
suffix_version() { sed -i "s/^version = \"\([0-9.]*\)\"$/version = \"\1-$(basename "$1")\"/" "$1/Cargo.toml"; }

# Copies the working tree (without target dirs and .git) to $1, with its own version suffix.
copy_tree() {
  rm -rf "$1"
  mkdir -p "$1"
  tar -C "$ROOT" --exclude=./target --exclude=./benches/progenitor/target --exclude=./.git -cf - . | tar -C "$1" -xf -
  suffix_version "$1"
}

# The wrapper that runs the measured crates' rustc (crate names in $RUSTC_PEAK_CRATES, separated
# by spaces) under /usr/bin/time: wall and CPU seconds and peak memory (KB) appended to
# $RUSTC_PEAK_FILE, a line per rustc; other crates (and build scripts) run as they are.
WRAPPER=$WORK/rustc-wrapper.sh
cat >"$WRAPPER" <<'WRAP'
#!/usr/bin/env bash
rustc=$1
shift
prev=
for a in "$@"; do
  if [ "$prev" = "--crate-name" ] && [[ " ${RUSTC_PEAK_CRATES:-} " == *" $a "* ]] && [ -n "${RUSTC_PEAK_FILE:-}" ]; then
    exec /usr/bin/time -f "%e %U %S %M" -a -o "$RUSTC_PEAK_FILE" "$rustc" "$@"
  fi
  prev=$a
done
exec "$rustc" "$@"
WRAP
chmod +x "$WRAPPER"
PEAK=$WORK/rustc-peak.txt
# CPU seconds (user + system) of the measured crates' rustc in the last timed build, summed, and
# the peak memory (GB) of the largest.
rustc_cpu() { awk '{ c += $2 + $3 } END { printf "%.1f", c }' "$PEAK"; }
rustc_peak() { awk '{ if ($4 > m) m = $4 } END { printf "%.2f", m / 1048576 }' "$PEAK"; }

# The packages measured by timed_build and cleaned by clean_crate: $BENCH_PACKAGES, default the
# crates made from the specs (the one users depend on and the five it re-exports; the runtime
# is a dependency built before, as progenitor's client crate is for its baseline).
packages() { printf '%s' "${BENCH_PACKAGES:-cloud-task-apis cloud-task-apis-shared cloud-task-apis-ops-0 cloud-task-apis-ops-1 cloud-task-apis-ops-2 cloud-task-apis-ops-3}"; }

# Runs `cargo build ARGS` in directory $1 with the benchmark target dir; prints the seconds it
# took, and warns loudly when something other than the measured package was compiled
# (dependencies must be built already) or when the build waited for a lock.
timed_build() {
  local dir=$1
  shift
  local log=$WORK/build.log start end pkgs
  pkgs=$(packages)
  local -a vars=("CARGO_TARGET_DIR=$TARGET" "RUSTC_WRAPPER=$WRAPPER" "RUSTC_PEAK_FILE=$PEAK")
  vars+=("RUSTC_PEAK_CRATES=${pkgs//-/_}")
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
  others=$(grep -E '^\s*Compiling ' "$log" | grep -vE "Compiling ($(printf '%s' "$pkgs" | tr ' ' '|')) v" || true)
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
  local -a specs=()
  local pkg
  for pkg in $(packages); do specs+=(-p "$pkg"); done
  (cd "$1" && CARGO_TARGET_DIR=$TARGET RUSTC_WRAPPER=$WRAPPER cargo clean "${specs[@]}") >>"$LOG" 2>&1
}

# Writes the copy in $1's `generated/` from its specs, as a repository keeps it (the freshness
# test fails otherwise): builds then take the files whose inputs are unchanged, and a rebuild
# after an edit generates only the files the edited spec goes into.
write_generated() {
  rm -rf "$1/generated"
  (cd "$1" && cargo run -q --manifest-path "$ROOT/Cargo.toml" -p cloud-task-apis-codegen -- generate specs generated) >>"$LOG" 2>&1
}

# Changes the summary of one operation spec (what an edit of the docs does to a build); each
# call appends one more " Edited.".
edit_spec() { sed -i 's/^summary: \(.*\)$/summary: \1 Edited./' "$1"; }

# The same edit in progenitor's document, to the summary of operation 250.
edit_openapi() {
  sed -i 's/\("summary": "Updates a widget of kind 250\.[^"]*\)"/\1 Edited."/' "$1"
  grep -q '"summary": "Updates a widget of kind 250\.[^"]* Edited\."' "$1"
}

# The median of its arguments (numbers; the lower middle one of an even count).
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# The median of the ratios of pairs: `paired_ratio a1 a2 a3 -- b1 b2 b3` is the median of
# a1/b1, a2/b2, a3/b3, three decimals (so that 0.334 does not pass for a third).
paired_ratio() {
  local -a a=() b=() r=()
  while [ "$1" != -- ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  local i
  for i in "${!a[@]}"; do r+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.4f", x / y }')"); done
  awk -v m="$(median "${r[@]}")" 'BEGIN { printf "%.3f", m }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# $1 divided by $2, with $3 decimals (a target as a fraction of a baseline).
fraction() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { printf "%.*f", d, a / b }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { if (a <= b) print "yes"; else print "**no**" }'; }

# The baseline of the 500-operation rows: progenitor 0.15 in build-script mode on an OpenAPI
# document of the same operations, in $pg. Set up and built once first, so that the generation
# benchmark can compare with its generation time (BENCH_PROGENITOR_GENERATION_S, sets pg_gen);
# its clean builds and rebuilds for the rows take turns with ours in part 3.
progenitor_baseline() {
  say "== progenitor 0.15 baseline, 500 synthetic operations (copy in $WORK/progenitor)"
  # The reference figures of issue 13 (another machine) were: clean build 98.3 s, rebuild after editing one operation 30.5 s, peak
  # memory of the clean build 4.34 GB, generation in the build script 3.33 s.
  pg=$WORK/progenitor
  rm -rf "$pg"
  cp -r "$ROOT/benches/progenitor" "$pg"
  rm -rf "$pg/target"
  suffix_version "$pg"
  # Dependencies are warmed up on a document of one operation, then the crate is built from
  # scratch on the 500.
  (cd "$ROOT" && cargo run -q -p cloud-task-apis-codegen --example synthetic_openapi -- 1 "$pg/openapi.json") >>"$LOG" 2>&1
  BENCH_PACKAGES=progenitor-baseline warm "$pg"
  (cd "$ROOT" && cargo run -q -p cloud-task-apis-codegen --example synthetic_openapi -- 500 "$pg/openapi.json") >>"$LOG" 2>&1
  # Its build script times itself once per clean build, so three clean builds give three
  # samples, and the median is the baseline (one sample moved by up to 28% between runs).
  local t round
  local -a gens=()
  for round in 1 2 3; do
    BENCH_PACKAGES=progenitor-baseline clean_crate "$pg"
    t=$(BENCH_PACKAGES=progenitor-baseline timed_build "$pg")
    gens+=("$(cat "$(find "$TARGET/debug/build" -path '*progenitor-baseline*' -name generation-seconds.txt \
      -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2-)")")
    say "   clean build $round: $t s (rustc $(rustc_cpu) s CPU, peak $(rustc_peak) GB; generation ${gens[-1]} s)"
  done
  pg_gen=$(median "${gens[@]}")
  say "   generation in its build script, median of 3: $pg_gen s"
}

# The generation rows compare with its generation time, the build rows with its builds.
if part build || part generation; then
  progenitor_baseline
  export BENCH_PROGENITOR_GENERATION_S=$pg_gen
fi

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
  bench -p cloud-task-apis --bench validate
fi

# 3. Build cost.
if part build; then
  area="build cost (dev profile)"
  say "== build cost: the project's specs (copy in $WORK/project, target $TARGET)"
  project=$WORK/project
  copy_tree "$project"
  warm "$project" --no-default-features
  clean_crate "$project"
  t=$(timed_build "$project" --no-default-features)
  say "   no provider (the generated crates empty): $t s"
  row "$area" "crate-only clean build, no provider (the six crates empty, for reference)" "$t s" "" "" "" ""
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

  say "== build cost: 500 synthetic operations, taking turns with progenitor's (copy in $WORK/synthetic)"
  synthetic=$WORK/synthetic
  copy_tree "$synthetic"
  rm -rf "$synthetic/specs"
  (cd "$ROOT" && cargo run -q -p cloud-task-apis-codegen --example synthetic_specs -- 500 "$synthetic/specs") >>"$LOG" 2>&1
  write_generated "$synthetic"
  warm "$synthetic" --no-default-features
  # Three clean builds each, progenitor's and ours taking turns, then three rebuilds each after
  # one more edit, the same way: this machine's speed drifts by a third within minutes, and
  # taking turns makes a drift hit both sides of a ratio. Each ratio is the median of the three
  # rounds' ratios. (Cleaning one copy of this crate cleans every copy, so each rebuild follows
  # its own copy's clean build, with only progenitor's builds between.)
  pg_t=() pg_c=() pg_p=() our_t=() our_c=() our_p=()
  for round in 1 2 3; do
    BENCH_PACKAGES=progenitor-baseline clean_crate "$pg"
    pg_t+=("$(BENCH_PACKAGES=progenitor-baseline timed_build "$pg")") pg_c+=("$(rustc_cpu)") pg_p+=("$(rustc_peak)")
    clean_crate "$synthetic"
    our_t+=("$(timed_build "$synthetic")") our_c+=("$(rustc_cpu)") our_p+=("$(rustc_peak)")
    say "   round $round, clean build: progenitor ${pg_t[-1]} s (rustc ${pg_c[-1]} s CPU, peak ${pg_p[-1]} GB), ours ${our_t[-1]} s (rustc ${our_c[-1]} s CPU, peak ${our_p[-1]} GB)"
  done
  pg_r=() our_r=()
  for round in 1 2 3; do
    edit_openapi "$pg/openapi.json"
    pg_r+=("$(BENCH_PACKAGES=progenitor-baseline timed_build "$pg")")
    edit_spec "$synthetic/specs/huawei/synthetic/UpdateWidget0250.yaml"
    our_r+=("$(timed_build "$synthetic")")
    say "   round $round, rebuild after editing one operation: progenitor ${pg_r[-1]} s, ours ${our_r[-1]} s"
  done
  pg_clean=$(median "${pg_t[@]}") pg_cpu=$(median "${pg_c[@]}") pg_peak=$(median "${pg_p[@]}")
  pg_rebuild=$(median "${pg_r[@]}")
  row "$area" "progenitor 0.15 (build script) crate-only clean build, 500 synthetic operations (the baseline; median of 3)" \
    "$pg_clean s (rustc: $pg_cpu s CPU)" "" "" "" ""
  row "$area" "peak memory of that clean build (progenitor crate's rustc; median of 3)" "$pg_peak GB" "" "" "" ""
  row "$area" "progenitor 0.15 rebuild after editing one operation, 500 synthetic operations (median of 3)" "$pg_rebuild s" "" "" "" ""
  row "$area" "generation in progenitor's build script (parse, generate, format, write), 500 operations (median of 3 clean builds)" \
    "$pg_gen s" "" "" "" ""
  t=$(median "${our_t[@]}") ratio_t=$(paired_ratio "${our_t[@]}" -- "${pg_t[@]}")
  row "$area" "crate-only clean build, 500 synthetic operations (incremental, as for a workspace crate; median of 3)" \
    "$t s (rustc: $(median "${our_c[@]}") s CPU)" "progenitor $pg_clean s (same run, taking turns)" "$ratio_t" \
    "≤ 1/3 of progenitor" "$(at_most "$ratio_t" 0.333)"
  p=$(median "${our_p[@]}") ratio_p=$(paired_ratio "${our_p[@]}" -- "${pg_p[@]}")
  row "$area" "peak memory of that clean build (the largest of the six crates' rustc; median of 3)" "$p GB" "progenitor $pg_peak GB (same run)" \
    "$ratio_p" "≤ 1/3 of progenitor" "$(at_most "$ratio_p" 0.333)"
  t=$(median "${our_r[@]}") ratio_r=$(paired_ratio "${our_r[@]}" -- "${pg_r[@]}")
  row "$area" "rebuild after editing one spec, 500 synthetic operations (median of 3)" "$t s" \
    "progenitor $pg_rebuild s (same run, taking turns)" "$ratio_r" "≤ 1/4 of progenitor" "$(at_most "$ratio_r" 0.25)"
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
  write_generated "$synthetic2000"
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

#!/usr/bin/env bash
# Measures what splitting the generated code over several crates would do to the build cost of
# 500 synthetic operations, on a prototype that is not the crate's layout (README, build note):
#
#   mono   the crate as it is, with the 500 operations (the build-cost rows' configuration);
#   split  the runtime (this crate with the synthetic service and none of its operations), four
#          crates of 125 operations each (`shard0`..`shard3`, their code written by the
#          generator from a quarter of the specs, dealt out in turn) and a crate holding the
#          service's client with its 500 methods and re-exporting the operations (`facade`).
#
# Generated code reaches the runtime through `crate::` paths; each shard re-exports the crate
# (runtime and the synthetic service's shared items) at its root (`pub use cloud_task_apis::*`)
# so those paths resolve there. Each operation's `Builder` is a type of its module, so its
# setters compile in the shard, and the facade's client methods build one through the runtime's
# hidden `Builder::with_client`.
#
# Three rounds, taking turns: a clean build of each (`cargo clean -p` of its crates, then
# `cargo build`, dependencies built before), then a rebuild after appending a word to the
# summary of operation 250's spec (for the split: the generator writes that shard's file again,
# timed, as its build script would). Prints wall time and each crate's `rustc` (wall, user,
# system seconds, peak KB) per build, then medians and the medians of the rounds' ratios.
#
# About 5 minutes on 2 cores once dependencies are built. SPLIT_WORK (default
# /tmp/split-prototype) holds the copies and their target dir.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${SPLIT_WORK:-/tmp/split-prototype}
export CARGO_TARGET_DIR=$WORK/target CARGO_TERM_COLOR=never
mkdir -p "$WORK"

copy_tree() {
  rm -rf "$1"
  mkdir -p "$1"
  tar -C "$ROOT" --exclude=./target --exclude=./benches/progenitor/target --exclude=./.git -cf - . | tar -C "$1" -xf -
  sed -i "s/^version = \"\([0-9.]*\)\"$/version = \"\1-$2\"/" "$1/Cargo.toml"
}

# The facade: the service's client, its 500 methods, and the operations re-exported.
write_facade() {
  python3 - "$1" <<'PY'
import re, sys
root = sys.argv[1]
lines = ["pub mod synthetic {", "    #[derive(Clone, Debug)]",
         "    pub struct Client { handle: cloud_task_apis::ClientHandle }"]
methods = []
for k in range(4):
    mods = re.findall(r"pub mod (update_widget\d+) \{", open(f"{root}/shard{k}/src/generated.rs").read())
    lines.append(f"    pub use shard{k}::synthetic::{{{', '.join(mods)}}};")
    methods += [f'{m} "Updates a widget."' for m in mods]
lines += ["    cloud_task_apis::__private::client_methods!(" + ", ".join(methods) + ");", "}"]
open(f"{root}/facade/src/lib.rs", "w").write("\n".join(lines) + "\n")
PY
}

manifest() {
  printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2024"\n\n[dependencies]\n' "$1"
  printf 'cloud-task-apis = { path = "..", default-features = false, features = ["huawei"] }\n'
  shift
  for dep in "$@"; do printf '%s = { path = "../%s" }\n' "$dep" "$dep"; done
}

specs=$WORK/specs
rm -rf "$specs"
cargo run -q -p cloud-task-apis-codegen --example synthetic_specs -- 500 "$specs"
cargo build -q -p cloud-task-apis-codegen
codegen=$CARGO_TARGET_DIR/debug/cloud-task-apis-codegen
service=$specs/huawei/synthetic

copy_tree "$WORK/mono" mono
rm -rf "$WORK/mono/specs"
cp -r "$specs" "$WORK/mono/specs"

split=$WORK/split
copy_tree "$split" split
rm -rf "$split/specs"
mkdir -p "$split/specs/huawei/synthetic"
cp "$service/service.yaml" "$split/specs/huawei/synthetic/"
sed -i 's/^members = \[\(.*\)\]$/members = [\1, "shard0", "shard1", "shard2", "shard3", "facade"]/' "$split/Cargo.toml"
i=0
for k in 0 1 2 3; do rm -rf "$WORK/quarter$k"; mkdir -p "$WORK/quarter$k/huawei/synthetic"; cp "$service/service.yaml" "$WORK/quarter$k/huawei/synthetic/"; done
for spec in "$service"/UpdateWidget*.yaml; do cp "$spec" "$WORK/quarter$((i % 4))/huawei/synthetic/"; i=$((i + 1)); done
generate_shard() {
  "$codegen" generate "$WORK/quarter$1" "$WORK/quarter$1.out" >/dev/null
  cp "$WORK/quarter$1.out/huawei_synthetic.rs" "$split/shard$1/src/generated.rs"
}
for k in 0 1 2 3; do
  mkdir -p "$split/shard$k/src"
  manifest "shard$k" >"$split/shard$k/Cargo.toml"
  printf '%s\n' 'pub use cloud_task_apis::*;' 'include!("generated.rs");' >"$split/shard$k/src/lib.rs"
  generate_shard $k
done
mkdir -p "$split/facade/src"
manifest facade shard0 shard1 shard2 shard3 >"$split/facade/Cargo.toml"
write_facade "$split"
# Operation 250 is the 250th spec, dealt to quarter (250 - 1) % 4.
edited=$(( (250 - 1) % 4 ))

wrapper=$WORK/rustc-wrapper.sh
cat >"$wrapper" <<'WRAP'
#!/usr/bin/env bash
rustc=$1; shift; prev=
for a in "$@"; do
  if [ "$prev" = --crate-name ]; then
    case $a in cloud_task_apis | shard* | facade) exec /usr/bin/time -f "$a %e %U %S %M" -a -o "$PEAK" "$rustc" "$@" ;; esac
  fi
  prev=$a
done
exec "$rustc" "$@"
WRAP
chmod +x "$wrapper"

build() { (cd "$1" && shift && cargo build -q "$@" 2>"$WORK/build.log") || { cat "$WORK/build.log" >&2; exit 1; }; }
mono_args=(--no-default-features --features huawei)
split_args=(-p facade)
build "$WORK/mono" "${mono_args[@]}"
build "$split" "${split_args[@]}"

export RUSTC_WRAPPER=$wrapper PEAK=$WORK/peak
declare -a mono_clean mono_rebuild split_clean split_rebuild mono_peak split_peak
timed() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc; }
peak_gb() { awk '{ if ($5 > m) m = $5 } END { printf "%.3f", m / 1048576 }' "$PEAK"; }
report() { echo "$1: $2 s; rustc: $(tr '\n' ';' <"$PEAK")"; }
regenerate_and_build() { generate_shard $edited; build "$split" "${split_args[@]}"; }
for round in 1 2 3; do
  (cd "$WORK/mono" && cargo clean -q -p cloud-task-apis)
  : >"$PEAK"; t=$(timed build "$WORK/mono" "${mono_args[@]}"); mono_clean+=("$t") mono_peak+=("$(peak_gb)"); report "mono clean $round" "$t"
  sed -i 's/^summary: \(.*\)$/summary: \1 Edited./' "$WORK/mono/specs/huawei/synthetic/UpdateWidget0250.yaml"
  : >"$PEAK"; t=$(timed build "$WORK/mono" "${mono_args[@]}"); mono_rebuild+=("$t"); report "mono rebuild $round" "$t"
  (cd "$split" && cargo clean -q -p cloud-task-apis -p shard0 -p shard1 -p shard2 -p shard3 -p facade)
  : >"$PEAK"; t=$(timed build "$split" "${split_args[@]}"); split_clean+=("$t") split_peak+=("$(peak_gb)"); report "split clean $round" "$t"
  sed -i 's/^summary: \(.*\)$/summary: \1 Edited./' "$WORK/quarter$edited/huawei/synthetic/UpdateWidget0250.yaml"
  : >"$PEAK"; t=$(timed regenerate_and_build); split_rebuild+=("$t"); report "split rebuild $round" "$t"
done

median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
ratios() { local -n a=$1 b=$2; local i; for i in 0 1 2; do awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f\n", x / y }'; done; }
seconds() { printf '%.1f' "$(median "$@")"; }
echo
echo "clean build: split $(seconds "${split_clean[@]}") s, mono $(seconds "${mono_clean[@]}") s, ratio $(median $(ratios split_clean mono_clean)) (rounds: $(ratios split_clean mono_clean | tr '\n' ' '))"
echo "peak rustc memory: split $(median "${split_peak[@]}") GB (the largest crate's), mono $(median "${mono_peak[@]}") GB, ratio $(awk -v x="$(median "${split_peak[@]}")" -v y="$(median "${mono_peak[@]}")" 'BEGIN { printf "%.3f", x / y }')"
echo "rebuild: split $(seconds "${split_rebuild[@]}") s (generation included), mono $(seconds "${mono_rebuild[@]}") s, ratio $(median $(ratios split_rebuild mono_rebuild)) (rounds: $(ratios split_rebuild mono_rebuild | tr '\n' ' '))"

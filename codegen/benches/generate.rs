//! What generation costs: time per stage (load, check, model, emit and format) over the project's
//! specs and over synthetic specs of 5, 50, 500 and 2,000 operations, and generated lines per
//! operation.
//!
//! Build scripts compile without optimisation (Cargo's `build-override` is `opt-level = 0` in
//! both the dev and the release profile), so the figure users pay is this binary built with
//! `cargo bench --profile dev`; `cargo bench` (release) gives the optimised figure. Prints a
//! readable report and `ROW | … |` lines that `scripts/bench.sh` gathers into its table.
//!
//! `GENERATE_BENCH_REUSE_ONLY=1` runs only the last measurement (the build script with every
//! file reusable, and with nothing reusable, compact and formatted); `GENERATE_BENCH_THREADS_ONLY=1` only
//! the one before it (emitting and formatting 500 operations on every core against one).
//!
//! A hand-written harness rather than criterion: every measurement here is milliseconds to
//! seconds, where `Instant` and a median over repeated runs are exact enough; it adds no
//! dependency for a 2-core machine to compile, and its output is the table's rows directly.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use cloud_task_apis_codegen::{
    Config, Diagnostics, Layout, Part, SourceMap, check, emit, ir, read_specs, render, spec, synthetic,
};

/// The stages, in pipeline order, with the names the report uses. Emitting and formatting are
/// one stage because the generator does them together: each formatting thread emits the pieces
/// of the file it formats (token streams cannot move between threads).
const STAGES: [&str; 4] = ["load", "check", "model", "emit+format"];

/// Reference figures for 500 synthetic operations of the same shape (progenitor 0.15 as a
/// build script, 2-core machine, as issue 13 measured it side by side with this generator):
/// seconds in the build-script profile (the target of cold generation is a third of it, that
/// of the reuse row a tenth) and optimised, and lines per operation.
const PROGENITOR_500_ISSUE_S: f64 = 3.33;
const PROGENITOR_500_RELEASE_S: f64 = 0.84;
const PROGENITOR_LINES_PER_OP: f64 = 326.0;

/// Seconds progenitor's build script spent generating 500 synthetic operations in this run
/// (`scripts/bench.sh` measures it first and passes it here), with how the row names it; the
/// issue's reference figure when run alone.
fn progenitor_build_script() -> (f64, String) {
    match std::env::var("BENCH_PROGENITOR_GENERATION_S").ok().and_then(|s| s.trim().parse::<f64>().ok()) {
        Some(seconds) if seconds > 0.0 => (seconds, format!("progenitor {seconds} s (same run)")),
        _ => (PROGENITOR_500_ISSUE_S, format!("progenitor {PROGENITOR_500_ISSUE_S} s (issue 13, another machine)")),
    }
}

/// One run of every stage: durations per stage, the generated files, and (not stages) the
/// time to emit every file once on one thread, and to turn the emitted tokens into
/// unformatted text instead of formatting them.
struct Run {
    stages: [Duration; 4],
    files: Vec<String>,
    emit: Duration,
    unformatted: Duration,
}

/// Runs the pipeline the way `cloud_task_apis_codegen::generate` does for the enabled
/// providers, timing each stage.
fn run(sources: &SourceMap, providers: &[&str]) -> Run {
    let mut stages = [Duration::ZERO; 4];
    let mut diags = Diagnostics::new();

    let t = Instant::now();
    let specs = spec::load(sources, &mut diags);
    stages[0] = t.elapsed();

    let t = Instant::now();
    check::check(&specs, &mut diags);
    stages[1] = t.elapsed();
    assert!(!diags.has_errors(), "specs do not check:\n{}", diags.render(sources));

    let t = Instant::now();
    let api = ir::lower(sources, &specs).unwrap_or_else(|d| panic!("specs do not lower:\n{}", d.render(sources)));
    stages[2] = t.elapsed();

    let enabled: Vec<&ir::Service> = api.services.iter().filter(|s| providers.contains(&s.provider.word())).collect();
    let inputs: Vec<String> = api.services.iter().filter_map(|s| s.files.first().cloned()).collect();
    let all: Vec<&ir::Service> = api.services.iter().collect();
    // Every crate's module of every enabled service it has items of.
    let modules: Vec<(&ir::Service, Part)> = Part::all()
        .into_iter()
        .flat_map(|part| enabled.iter().filter(move |s| emit::has_items(s, part)).map(move |&s| (s, part)))
        .collect();

    // Not a stage: emitting alone, and what writing the tokens without formatting would cost
    // (rustc does not need the layout).
    let t = Instant::now();
    let mut tokens: Vec<_> = modules.iter().map(|&(s, part)| emit::service(s, part)).collect();
    tokens.extend(Part::all().into_iter().map(|part| emit::index(&all, part)));
    let emit = t.elapsed();
    let t = Instant::now();
    let texts: Vec<String> = tokens.iter().map(ToString::to_string).collect();
    let unformatted = emit + t.elapsed();
    drop(black_box((texts, tokens)));

    let t = Instant::now();
    // The inputs hash is computed outside the stages (it is part of a build's reuse check).
    let mut files: Vec<String> = modules
        .iter()
        .map(|&(s, part)| {
            let (name, layout) = (format!("{}{}", part.folder(), emit::file_name(s)), Layout::Formatted);
            render::render_module(&emit::ServiceModule::new(s, part), &name, &s.files, "", layout)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    for part in Part::all() {
        let name = format!("{}{}", part.folder(), cloud_task_apis_codegen::INDEX_FILE);
        let index = render::render(|| emit::index(&all, part), &name, &inputs, "", Layout::Formatted);
        files.push(index.unwrap_or_else(|e| panic!("{e}")));
    }
    stages[3] = t.elapsed();

    Run { stages, files, emit, unformatted }
}

/// Medians over repeated runs.
struct Measured {
    /// Per stage.
    stages: [Duration; 4],
    /// Emitting every file once, on one thread (part of the last stage).
    emit: Duration,
    /// Emitting, then tokens to unformatted text, instead of the last stage.
    unformatted: Duration,
    /// The files of the first run.
    files: Vec<String>,
    runs: usize,
}

impl Measured {
    fn total(&self) -> Duration {
        self.stages.iter().sum()
    }

    /// The total with unformatted output instead of the last stage.
    fn total_unformatted(&self) -> Duration {
        self.total() - self.stages[3] + self.unformatted
    }
}

/// Runs the pipeline at least three times, then until `budget` is spent (at most 30 runs),
/// after one untimed warm-up run when a run is short; medians of each stage.
fn measure(sources: &SourceMap, providers: &[&str], budget: Duration) -> Measured {
    let first = run(sources, providers);
    let first_total: Duration = first.stages.iter().sum();
    let mut samples: Vec<(Duration, Duration, [Duration; 4])> = Vec::new();
    if first_total * 4 > budget {
        // Long runs: the first one counts (a warm-up would double the cost for little gain).
        samples.push((first.emit, first.unformatted, first.stages));
    }
    let started = Instant::now();
    while samples.len() < 3 || (started.elapsed() < budget && samples.len() < 30) {
        let run = black_box(run(sources, providers));
        samples.push((run.emit, run.unformatted, run.stages));
    }
    let median = |mut column: Vec<Duration>| {
        column.sort();
        column[column.len() / 2]
    };
    let mut stages = [Duration::ZERO; 4];
    for (i, stage) in stages.iter_mut().enumerate() {
        *stage = median(samples.iter().map(|s| s.2[i]).collect());
    }
    let emit = median(samples.iter().map(|s| s.0).collect());
    let unformatted = median(samples.iter().map(|s| s.1).collect());
    Measured { stages, emit, unformatted, files: first.files, runs: samples.len() }
}

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// The stages, then emitting alone on one thread (part of the last stage).
fn breakdown(m: &Measured) -> String {
    let stages = STAGES.iter().zip(&m.stages).map(|(name, d)| format!("{name} {}", fmt_duration(*d)));
    format!("{}; emitting alone {}", stages.collect::<Vec<_>>().join(", "), fmt_duration(m.emit))
}

fn lines(files: &[String]) -> usize {
    files.iter().map(|f| f.lines().count()).sum()
}

fn met(ok: bool) -> &'static str {
    if ok { "yes" } else { "**no**" }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let optimised = !cfg!(debug_assertions);
    let profile = if optimised { "release" } else { "opt-level 0 (build script)" };
    let budget = if optimised { Duration::from_millis(1500) } else { Duration::from_secs(3) };
    let all = ["alibaba", "huawei", "tencent"];
    println!("generation, {profile}; medians over repeated runs\n");
    if std::env::var_os("GENERATE_BENCH_REUSE_ONLY").is_some() {
        reuse(profile, budget);
        return;
    }
    if std::env::var_os("GENERATE_BENCH_THREADS_ONLY").is_some() {
        threads(profile, budget);
        return;
    }

    // The project's specs, all providers enabled.
    let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let sources = read_specs(&spec_dir).unwrap_or_else(|r| panic!("{r}")).sources;
    let t = Instant::now();
    let _ = black_box(read_specs(&spec_dir));
    let read = t.elapsed();
    let m = measure(&sources, &all, budget);
    let total = m.total();
    let ops = count_operations(&sources);
    println!(
        "project specs ({ops} operations): total {} ({}); unformatted output instead: {}; reading the files {}; {} runs; {} lines",
        fmt_duration(total),
        breakdown(&m),
        fmt_duration(m.total_unformatted()),
        fmt_duration(read),
        m.runs,
        lines(&m.files)
    );
    let limit = if optimised { Duration::from_millis(10) } else { Duration::from_millis(50) };
    row(&[
        &format!("generation, {profile}"),
        &format!("project specs, {ops} operations, all providers"),
        &format!(
            "{} ({}); unformatted output instead: {}",
            fmt_duration(total),
            breakdown(&m),
            fmt_duration(m.total_unformatted())
        ),
        "",
        "",
        &format!("< {}", fmt_duration(limit)),
        met(total < limit),
    ]);

    // Synthetic specs.
    let mut per_op: Vec<(usize, Duration, [Duration; 4])> = Vec::new();
    let mut line_rows: Vec<[String; 7]> = Vec::new();
    for n in [5_usize, 50, 500, 2000] {
        let sources = synthetic::source_map(n);
        let m = measure(&sources, &["huawei"], budget);
        let total = m.total();
        let count = u32::try_from(n).unwrap_or(u32::MAX);
        let op = total / count;
        per_op.push((n, op, m.stages.map(|d| d / count)));
        let line_count = lines(&m.files);
        #[allow(clippy::cast_precision_loss, reason = "line and operation counts are far below 2^52")]
        let lines_per_op = line_count as f64 / n as f64;
        println!(
            "synthetic {n:>4} operations: total {:>9} = {:>8}/op ({}); unformatted output instead: {}; {} runs; {line_count} lines, {lines_per_op:.0}/op",
            fmt_duration(total),
            fmt_duration(op),
            breakdown(&m),
            fmt_duration(m.total_unformatted()),
            m.runs
        );
        let (reference, ratio, target, ok) = if n == 500 {
            let (progenitor, name) = if optimised {
                (
                    PROGENITOR_500_RELEASE_S,
                    format!("progenitor {PROGENITOR_500_RELEASE_S} s (issue 13, another machine)"),
                )
            } else {
                progenitor_build_script()
            };
            let ratio = total.as_secs_f64() / progenitor;
            // Formatted, as `generated/` is written; the target of cold generation is the build
            // script's, which writes compact (the last row).
            (name, format!("{ratio:.3}"), "", "")
        } else {
            (String::new(), String::new(), "", "")
        };
        row(&[
            &format!("generation, {profile}"),
            &format!("synthetic, {n} operations"),
            &format!(
                "{} = {}/op ({}); unformatted output instead: {}",
                fmt_duration(total),
                fmt_duration(op),
                breakdown(&m),
                fmt_duration(m.total_unformatted())
            ),
            &reference,
            &ratio,
            target,
            ok,
        ]);
        if optimised && n >= 50 {
            // Output does not depend on the profile; report it once.
            let code_lines = m.files.iter().map(|f| f.lines().filter(|l| !l.trim_start().starts_with("///")).count());
            #[allow(clippy::cast_precision_loss, reason = "line and operation counts are far below 2^52")]
            let code_per_op = code_lines.sum::<usize>() as f64 / n as f64;
            let ratio = lines_per_op / PROGENITOR_LINES_PER_OP;
            let (reference, ratio, target, ok) = if n == 500 {
                (
                    format!("progenitor {PROGENITOR_LINES_PER_OP} lines/op"),
                    format!("{ratio:.2}"),
                    "≤ 1/3 of progenitor (≤ 109)",
                    met(ratio <= 1.0 / 3.0),
                )
            } else {
                (String::new(), String::new(), "", "")
            };
            line_rows.push([
                "generated code".to_owned(),
                format!("lines per operation, {n} operations"),
                format!("{lines_per_op:.0} lines/op ({code_per_op:.0} without `///` doc lines)"),
                reference,
                ratio,
                target.to_owned(),
                ok.to_owned(),
            ]);
        }
    }
    // Linear growth: time per operation from 50 to 2,000 operations (at 5, fixed costs
    // dominate). Over this 40-fold range a quadratic term would multiply it by 40 and an
    // n log n term by about 1.9; "linear" here means at most 1.5. The per-stage figures show
    // whether a drift is algorithmic or not: `load` parses each file on its own, so any growth
    // there comes from the memory hierarchy (a larger working set), not from the algorithm.
    let at = |n: usize| per_op.iter().find(|(m, _, _)| *m == n).map(|(_, d, s)| (*d, *s)).unwrap_or_default();
    let ((op_50, stages_50), (op_2000, stages_2000)) = (at(50), at(2000));
    let growth = op_2000.as_secs_f64() / op_50.as_secs_f64();
    let per_stage: Vec<String> = STAGES
        .iter()
        .zip(stages_50.iter().zip(&stages_2000))
        .map(|(name, (a, b))| format!("{name} ×{:.2}", b.as_secs_f64() / a.as_secs_f64()))
        .collect();
    println!("time per operation at 2,000 / at 50 operations: {growth:.2} ({})", per_stage.join(", "));
    row(&[
        &format!("generation, {profile}"),
        "growth: time per operation at 2,000 vs 50 operations",
        &format!("{} vs {} (per stage: {})", fmt_duration(op_2000), fmt_duration(op_50), per_stage.join(", ")),
        "",
        &format!("{growth:.2}"),
        "linear (≤ 1.5)",
        met(growth <= 1.5),
    ]);
    for cells in &line_rows {
        row(&cells.iter().map(String::as_str).collect::<Vec<_>>());
    }
    threads(profile, budget);
    reuse(profile, budget);
}

/// Emitting and formatting the service of 500 synthetic operations on every available core
/// (what the generator does) against on one thread, alternating, medians: what formatting the
/// pieces of a file in parallel gains on this machine at this load.
fn threads(profile: &str, budget: Duration) {
    let sources = synthetic::source_map(500);
    let mut diags = Diagnostics::new();
    let specs = spec::load(&sources, &mut diags);
    let api = ir::lower(&sources, &specs).unwrap_or_else(|d| panic!("specs do not lower:\n{}", d.render(&sources)));
    let service = &api.services[0];
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let time = |threads: usize| {
        let t = Instant::now();
        for part in Part::all() {
            let module = emit::ServiceModule::new(service, part);
            black_box(render::format_module(&module, threads).unwrap_or_else(|e| panic!("{e}")));
        }
        t.elapsed()
    };
    let (mut one, mut all) = (Vec::new(), Vec::new());
    let started = Instant::now();
    while one.len() < 3 || (started.elapsed() < budget * 2 && one.len() < 15) {
        one.push(time(1));
        all.push(time(cores));
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (runs, one, all) = (one.len(), median(one), median(all));
    let ratio = all.as_secs_f64() / one.as_secs_f64();
    println!(
        "emit+format, 500 synthetic operations: {cores} threads {} vs 1 thread {} = {ratio:.3}; {runs} runs each",
        fmt_duration(all),
        fmt_duration(one)
    );
    row(&[
        &format!("generation, {profile}"),
        &format!("emit+format, 500 synthetic operations, {cores} threads (every core)"),
        &format!("{} (1 thread in the same run: {})", fmt_duration(all), fmt_duration(one)),
        "",
        &format!("{ratio:.3}"),
        "",
        "",
    ]);
}

/// What the build scripts of the six generated crates pay in all (`Config::compile_specs` of each
/// crate: read the specs, generate or reuse, write `OUT_DIR`) for 500 synthetic operations: with
/// every file reusable from a folder of earlier output (the committed `generated/`), and with
/// nothing reusable (the first generates every crate's files into the shared folder, the others
/// take theirs), laid out compact as the build scripts write such files, and formatted (as the
/// generator did before). Runs alternate; medians.
fn reuse(profile: &str, budget: Duration) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-bench");
    let (specs, committed, out) = (root.join("specs"), root.join("generated"), root.join("out"));
    let _ = std::fs::remove_dir_all(&root);
    synthetic::write(&specs, 500).unwrap_or_else(|e| panic!("cannot write synthetic specs: {e}"));
    for dir in [&committed, &out] {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    // One build runs the build script of each generated crate: the first to run generates every
    // crate's files into the shared folder, the others take theirs from it.
    let share = root.join("shared");
    let config = Config::new().providers(["huawei"]);
    let generate = |layout: Layout| {
        let _ = std::fs::remove_dir_all(&share);
        let t = Instant::now();
        for (i, part) in Part::all().into_iter().enumerate() {
            let compiled = config
                .clone()
                .part(part)
                .share_generated(&share)
                .layout(layout)
                .compile_specs(&specs, &out)
                .unwrap_or_else(|r| panic!("{r}"));
            assert_eq!(compiled.reused.is_empty(), i == 0, "the first generates, the others reuse");
        }
        t.elapsed()
    };
    let warm = || {
        let t = Instant::now();
        for part in Part::all() {
            let compiled = config
                .clone()
                .part(part)
                .reuse_from(&committed)
                .compile_specs(&specs, &out)
                .unwrap_or_else(|r| panic!("{r}"));
            assert_eq!(compiled.reused.len(), 2, "the crate's service file and index are reused");
        }
        t.elapsed()
    };
    config.clone().compile_specs(&specs, &committed).unwrap_or_else(|r| panic!("{r}"));
    let (mut compact, mut formatted, mut warms) = (Vec::new(), Vec::new(), vec![warm()]);
    let started = Instant::now();
    while compact.len() < 3 || (started.elapsed() < budget * 3 && compact.len() < 15) {
        // Every run rewrites `out`, so none of them finds its files already written.
        compact.push(generate(Layout::Compact));
        warms.push(warm());
        formatted.push(generate(Layout::Formatted));
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let runs = compact.len();
    let (compact, formatted, warm) = (median(compact), median(formatted), median(warms));
    let ratio = warm.as_secs_f64() / compact.as_secs_f64();
    let (progenitor, progenitor_name) = progenitor_build_script();
    let vs_progenitor = warm.as_secs_f64() / progenitor;
    let cold_vs_progenitor = compact.as_secs_f64() / progenitor;
    let cold_vs_formatted = compact.as_secs_f64() / formatted.as_secs_f64();
    println!(
        "build script, 500 synthetic operations: unchanged specs (every file reused) {} vs nothing reusable {} \
         (formatted instead: {}) = {ratio:.3}; {vs_progenitor:.3} of progenitor's {progenitor} s; \
         nothing reusable: {cold_vs_progenitor:.3} of progenitor's, {cold_vs_formatted:.3} of formatted; {runs} runs each",
        fmt_duration(warm),
        fmt_duration(compact),
        fmt_duration(formatted),
    );
    row(&[
        &format!("generation, {profile}"),
        "the six generated crates' build scripts in all (read, reuse or generate, write), 500 synthetic operations, unchanged specs",
        &format!("{} (nothing reusable, same run: {}, ratio {ratio:.3})", fmt_duration(warm), fmt_duration(compact)),
        &progenitor_name,
        &format!("{vs_progenitor:.3}"),
        "≤ 1/10 of progenitor",
        met(vs_progenitor <= 0.1),
    ]);
    row(&[
        &format!("generation, {profile}"),
        "the six generated crates' build scripts in all, 500 synthetic operations, nothing reusable (files written compact, as `build.rs` writes them)",
        &format!(
            "{} (formatted instead, same run: {}, ratio {cold_vs_formatted:.3})",
            fmt_duration(compact),
            fmt_duration(formatted)
        ),
        &progenitor_name,
        &format!("{cold_vs_progenitor:.3}"),
        "≤ 1/3 of progenitor",
        met(cold_vs_progenitor <= 1.0 / 3.0),
    ]);
}

/// Operation files: every spec file that is not a `service.yaml` or a `types.yaml`.
fn count_operations(sources: &SourceMap) -> usize {
    sources.iter().filter(|(_, f)| !f.path.ends_with(spec::SERVICE_FILE) && !f.path.ends_with(spec::TYPES_FILE)).count()
}

/// One row of the combined table.
fn row(cells: &[&str]) {
    println!("ROW | {} |", cells.join(" | "));
}

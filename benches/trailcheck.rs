#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on the terminal
//! The performance benchmark of SPEC §9, in one run, reported as ratios:
//!
//! 1. `corpus`: a whole `check` of `../shared/corpus` against merely reading and parsing the
//!    same files with the same parsers, on all cores (target ≤ 1.5×);
//! 2. `small`: one small template through the release binary, process start to exit (< 20 ms);
//! 3. `plan`: a generated ~100 MB Terraform plan through the release binary: time (< 2 s) and
//!    peak memory as a multiple of the file size (< 3×), with a phase breakdown;
//! 4. `scaling`: generated repositories of 1×, 4× and 16× a base size (linear growth);
//! 5. `shapes`: repositories of 100, 1,000 and 10,000 stacks of six rules in every shape of
//!    SPEC §9 (a trail per stack, one that logs reads only, prefix selectors, one organisation
//!    trail, no trail, thousands of suppressed findings), through the binary: linear growth,
//!    and 10,000 stacks in under 3 s;
//! 6. `terraform`: a generated repository of Terraform configuration (`.tf`): trailcheck's
//!    parse and evaluation of its root modules against hcl-edit's parse of the same files
//!    alone (target ≤ 2×, SPEC §9), and a whole `check` of it through the binary;
//! 7. `cfn-lint`: when `cfn-lint` is on the `PATH`, a sample of the corpus's CloudFormation
//!    templates through it and through trailcheck (informational).
//!
//! `cargo bench --bench trailcheck` builds everything in the `bench` profile (which inherits
//! `release`), the binary included; `cargo bench --bench trailcheck -- plan scaling` runs only
//! the sections named. A missed target is printed as FAIL but never fails the process: this
//! is a report. Environment: `TRAILCHECK_CORPUS` (another corpus), `TRAILCHECK_PLAN_MB` (plan
//! size, default 100), `TRAILCHECK_PLAN_FILLERS` (unrelated resources per service, default
//! 30), `TRAILCHECK_SCALE_BASE` (templates at 1×, default 100),
//! `TRAILCHECK_CFN_LINT_FILES` (cfn-lint sample size, default 100), `TRAILCHECK_SHAPE_STACKS`
//! (the stack counts of `shapes`, default `100,1000,10000`), `TRAILCHECK_BENCH_KEEP`
//! (keep the generated inputs, for profiling).

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::{Value, json};
use trailcheck::ingest::tf::hcl;
use trailcheck::ingest::{self, FileOutcome, InputKind};
use trailcheck::source::{FileId, SourceFile};
use trailcheck::{analysis, parse, walk};

const BIN: &str = env!("CARGO_BIN_EXE_trailcheck");

fn main() {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let runs = |section: &str| wanted.is_empty() || wanted.iter().any(|w| section.contains(w));
    let started = Instant::now();
    let scratch = std::env::temp_dir().join(format!("trailcheck-bench-{}", std::process::id()));
    fs::create_dir_all(&scratch).expect("a scratch directory in the temp dir");
    let mut table = Table::default();

    println!(
        "trailcheck benchmark: {} cores ({}), binary {BIN}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu_model()
    );
    if runs("corpus") {
        corpus(&mut table);
    }
    if runs("small") {
        small_template(&scratch, &mut table);
    }
    if runs("plan") {
        big_plan(&scratch, &mut table);
    }
    if runs("scaling") {
        scaling(&scratch, &mut table);
        scaling_undelivered(&scratch, &mut table);
    }
    if runs("shapes") {
        shapes(&scratch, &mut table);
    }
    if runs("terraform") {
        terraform(&scratch, &mut table);
    }
    if runs("cfn-lint") {
        cfn_lint(&mut table);
    }
    if std::env::var_os("TRAILCHECK_BENCH_KEEP").is_some() {
        println!("\ngenerated inputs kept in {}", scratch.display());
    } else {
        let _ = fs::remove_dir_all(&scratch);
    }

    println!(
        "\n== summary ({:.0} s in all)\n",
        started.elapsed().as_secs_f64()
    );
    print!("{}", table.render());
}

// ---------------------------------------------------------------------------------------------
// 1. The corpus: the whole check against reading and parsing alone.

fn corpus(table: &mut Table) {
    println!("\n== 1. corpus: `check` against read + parse");
    let corpus = std::env::var_os("TRAILCHECK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if !corpus.is_dir() {
        println!("skipped: no corpus at {}", corpus.display());
        table.skip("corpus: check / (read + parse)", "≤ 1.5×", "no corpus");
        return;
    }
    let roots = [corpus.clone()];
    let files = walk::discover(&roots, None, false).files;
    let bytes: u64 = files
        .iter()
        .filter_map(|p| fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{} files, {:.1} MB, {} threads",
        files.len(),
        mb(bytes),
        rayon::current_num_threads()
    );

    // What the tool cannot avoid: find the files, read each, parse each with the parser its
    // text calls for, in parallel. Discovery is inside both measures, as `check` walks too.
    // The parse is the one `check` does: JSON pruned of what ingestion never reads, so that
    // the ratio compares equal work.
    let read_parse = || {
        let t = Instant::now();
        let files = walk::discover(&roots, None, false).files;
        let parsed = files
            .par_iter()
            .filter(|path| {
                walk::read(path).is_ok_and(|text| {
                    parse::parse_pruned(&text, parse::sniff(&text), &ingest::UNREAD_IN_PLANS)
                        .is_ok()
                })
            })
            .count();
        black_box(parsed);
        t.elapsed()
    };
    // Reading and ingesting (parse + recognise + build the model), file by file, in parallel:
    // what `check` does before it sees the whole deployment.
    let read_ingest = || {
        let t = Instant::now();
        let files = walk::discover(&roots, None, false).files;
        let inputs = files
            .par_iter()
            .enumerate()
            .filter(|(index, path)| {
                walk::read(path).is_ok_and(|text| {
                    let file = SourceFile::new(path.to_path_buf(), text, true);
                    let outcome =
                        ingest::ingest(FileId(*index as u32), &file, &ingest::Options::default());
                    matches!(outcome, FileOutcome::Input(_))
                })
            })
            .count();
        black_box(inputs);
        t.elapsed()
    };
    let check = || {
        let t = Instant::now();
        let run = trailcheck::check(&roots, &[], &ingest::Options::default());
        black_box(&run.summary);
        (t.elapsed(), run)
    };
    let discover = || {
        let t = Instant::now();
        black_box(walk::discover(&roots, None, false).files.len());
        t.elapsed()
    };

    // Warm the page cache and the thread pool, then interleave the measures so that drift in
    // the machine's load hits them alike.
    read_parse();
    let (_, run) = check();
    println!(
        "check finds {} templates, {} plans, {} rules, {} trails, {} findings, {} errors",
        run.summary.templates,
        run.summary.plans,
        run.summary.rules,
        run.summary.trails,
        run.summary.findings,
        run.summary.errors
    );
    let t = Instant::now();
    let reports = analysis::analyse(&run.deployment);
    let analyse = t.elapsed();
    black_box(reports.len());
    drop(reports);
    drop(run);
    let (mut parse_times, mut ingest_times, mut check_times, mut walk_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        parse_times.push(read_parse());
        check_times.push(check().0);
        ingest_times.push(read_ingest());
        walk_times.push(discover());
    }
    let (parse_t, ingest_t, check_t, walk_t) = (
        median(parse_times),
        median(ingest_times),
        median(check_times),
        median(walk_times),
    );
    let ratio = secs(check_t) / secs(parse_t);
    println!("discover alone            {}", ms(walk_t));
    println!(
        "discover + read + parse   {}  ({:.0} MB/s)",
        ms(parse_t),
        mb(bytes) / secs(parse_t)
    );
    println!(
        "discover + read + ingest  {}  ({:.2}× read + parse)",
        ms(ingest_t),
        secs(ingest_t) / secs(parse_t)
    );
    println!(
        "analysis alone            {}  (one pass, for scale)",
        ms(analyse)
    );
    println!("check (library)           {}", ms(check_t));
    println!("ratio check / (read + parse) = {ratio:.2}× (target ≤ 1.5×)");

    // The binary, output included (findings rendered, to /dev/null).
    let corpus_arg = corpus.to_string_lossy().into_owned();
    let binary = median(
        (0..3)
            .map(|_| time_command(BIN, &["check", &corpus_arg], None).0)
            .collect(),
    );
    println!(
        "`trailcheck check <corpus>` end to end {}  ({:.2}× read + parse)",
        ms(binary),
        secs(binary) / secs(parse_t)
    );

    table.row("corpus: read + parse (all cores)", ms(parse_t), "", None);
    table.row(
        "corpus: check (library)",
        format!("{} = {ratio:.2}× read + parse", ms(check_t)),
        "≤ 1.5×",
        Some(ratio <= 1.5),
    );
    table.row(
        "corpus: binary end to end",
        format!(
            "{} = {:.2}× read + parse",
            ms(binary),
            secs(binary) / secs(parse_t)
        ),
        "",
        None,
    );
}

// ---------------------------------------------------------------------------------------------
// 2. One small template, process start to exit.

const SMALL_TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: my-bucket
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: audit-logs
      EventSelectors:
        - ReadWriteType: All
          IncludeManagementEvents: true
          DataResources:
            - Type: AWS::S3::Object
              Values: [arn:aws:s3:::my-bucket/]
  GetObjectRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [GetObject]
          requestParameters:
            bucketName: [my-bucket]
      Targets:
        - Id: queue
          Arn: !GetAtt Queue.Arn
  Queue:
    Type: AWS::SQS::Queue
"#;

fn small_template(scratch: &Path, table: &mut Table) {
    println!("\n== 2. one small template, process start to exit");
    let dir = scratch.join("small");
    fs::create_dir_all(&dir).expect("scratch");
    fs::write(dir.join("template.yaml"), SMALL_TEMPLATE).expect("scratch");
    let args = ["check", "template.yaml"];
    for _ in 0..3 {
        time_command(BIN, &args, Some(&dir));
    }
    let runs: Vec<(Duration, Option<i32>)> = (0..20)
        .map(|_| time_command(BIN, &args, Some(&dir)))
        .collect();
    // The template is sound: trailcheck must exit 0.
    let failed = runs.iter().find(|(_, code)| *code != Some(0)).map(|r| r.1);
    if let Some(code) = failed {
        println!("warning: trailcheck exited with {code:?}, not 0, on the small template");
    }
    let times: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    let (min, max) = (
        *times.iter().min().expect("20 runs"),
        *times.iter().max().expect("20 runs"),
    );
    let median = median(times);
    println!(
        "`trailcheck check template.yaml` ({} bytes), 20 runs: median {}, min {}, max {}",
        SMALL_TEMPLATE.len(),
        ms(median),
        ms(min),
        ms(max)
    );
    table.row(
        "small template, end to end (median of 20)",
        ms(median),
        "< 20 ms",
        Some(failed.is_none() && median < Duration::from_millis(20)),
    );
}

// ---------------------------------------------------------------------------------------------
// 3. A generated 100 MB Terraform plan.

fn big_plan(scratch: &Path, table: &mut Table) {
    let target_mb: u64 = env_number("TRAILCHECK_PLAN_MB", 100);
    println!("\n== 3. a generated {target_mb} MB Terraform plan");
    let dir = scratch.join("plan");
    fs::create_dir_all(&dir).expect("scratch");
    let path = dir.join("plan.json");
    let t = Instant::now();
    let shape = write_plan(&path, target_mb * 1_000_000);
    let size = fs::metadata(&path).expect("the plan was written").len();
    println!(
        "generated in {}: {:.1} MB on one line; {} modules, {} resources ({} rules, {} trails, {} buckets)",
        ms(t.elapsed()),
        mb(size),
        shape.modules,
        shape.resources,
        shape.rules,
        shape.trails,
        shape.buckets
    );

    // In-process phases, one thread (a single file is read and ingested on one core).
    let t = Instant::now();
    let text = walk::read(&path).expect("the plan reads");
    let read_t = t.elapsed();
    // What ingestion builds, the tree without what it never reads, then the whole tree (the
    // allocator gives the first back before the second: both are measured from the text).
    let rss_text = rss_kib();
    let t = Instant::now();
    let tree = parse::parse_pruned(&text, parse::Syntax::Json, &ingest::UNREAD_IN_PLANS)
        .expect("the plan parses");
    let parse_t = t.elapsed();
    let rss_tree = rss_kib();
    drop(tree);
    let t = Instant::now();
    let tree = parse::parse(&text, parse::Syntax::Json).expect("the plan parses");
    let whole_t = t.elapsed();
    let rss_whole = rss_kib();
    drop(tree);
    let file = SourceFile::new(path.clone(), text, true);
    let t = Instant::now();
    let outcome = ingest::ingest(FileId(0), &file, &ingest::Options::default());
    let ingest_t = t.elapsed();
    black_box(matches!(outcome, FileOutcome::Input(_)));
    drop((outcome, file));
    let t = Instant::now();
    let run = trailcheck::check(
        std::slice::from_ref(&path),
        &[],
        &ingest::Options::default(),
    );
    let check_t = t.elapsed();
    let t = Instant::now();
    let reports = analysis::analyse(&run.deployment);
    let analyse_t = t.elapsed();
    black_box(reports.len());
    drop(reports);
    println!(
        "check finds {} rules, {} trails, {} findings, {} errors",
        run.summary.rules, run.summary.trails, run.summary.findings, run.summary.errors
    );
    drop(run);
    println!("in process: read {}", ms(read_t));
    println!("            parse, whole tree {}", ms(whole_t));
    println!("            parse, what ingestion reads {}", ms(parse_t));
    println!(
        "            ingest {} (parse included: ingest beyond parse {})",
        ms(ingest_t),
        ms(ingest_t.saturating_sub(parse_t))
    );
    println!("            analysis {}", ms(analyse_t));
    println!(
        "            check {} (read + ingest + analysis + checks)",
        ms(check_t)
    );
    let resident = |label: &str, before: Option<u64>, after: Option<u64>| {
        if let (Some(before), Some(after)) = (before, after) {
            let kib = after.saturating_sub(before) as f64;
            println!(
                "            {label} ≈ {:.1} MB resident = {:.2}× the file",
                kib / 1024.0,
                kib * 1024.0 / size as f64
            );
        }
    };
    resident("whole parse tree", rss_text, rss_whole);
    resident("parse tree of what ingestion reads", rss_text, rss_tree);

    // The binary, as a user runs it: human output (the default), then JSON, to /dev/null.
    // A run that does not finish in 30 s is stopped: the target is 2 s.
    let plan_arg = path.to_string_lossy().into_owned();
    let limit = 30;
    let mut peaks: Vec<(&str, u64)> = Vec::new();
    for (format, reps) in [("human", 3), ("json", 1)] {
        let runs: Vec<Measured> = (0..reps)
            .map(|_| measure(&["check", "--format", format, &plan_arg], &dir, limit))
            .collect();
        peaks.extend(
            runs.iter()
                .filter_map(|r| r.peak_kib)
                .max()
                .map(|kib| (format, kib)),
        );
        let elapsed = median(runs.iter().map(|r| r.elapsed).collect());
        let outcome = runs
            .iter()
            .map(Measured::outcome)
            .find(|o| !o.is_empty())
            .unwrap_or_default();
        let finished = runs.iter().all(Measured::finished);
        let figure = format!(
            "{}{}{}",
            if finished { "" } else { "> " },
            ms(elapsed),
            if outcome.is_empty() {
                String::new()
            } else {
                format!(" ({outcome})")
            }
        );
        println!(
            "binary: `trailcheck check --format {format} plan.json`, median of {reps}: {figure} (beyond the library's check ≈ {})",
            ms(elapsed.saturating_sub(check_t)),
        );
        table.row(
            &format!("{:.0} MB plan: end to end, --format {format}", mb(size)),
            figure,
            "< 2 s",
            Some(finished && outcome.is_empty() && elapsed < Duration::from_secs(2)),
        );
    }
    // Peak memory of each output format: they share everything up to rendering.
    let multiple = |kib: u64| kib as f64 * 1024.0 / size as f64;
    for (format, kib) in &peaks {
        println!(
            "binary: --format {format}: peak RSS {:.0} MB = {:.2}× the file",
            *kib as f64 / 1024.0,
            multiple(*kib)
        );
    }
    match peaks.iter().map(|(_, kib)| *kib).max() {
        Some(worst) => table.row(
            &format!("{:.0} MB plan: peak RSS / file size", mb(size)),
            peaks
                .iter()
                .map(|(format, kib)| {
                    format!(
                        "{format} {:.0} MB = {:.2}×",
                        *kib as f64 / 1024.0,
                        multiple(*kib)
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            "< 3×",
            Some(multiple(worst) < 3.0),
        ),
        None => {
            println!("peak memory not measured: /usr/bin/time is not installed");
            table.skip("plan: peak RSS / file size", "< 3×", "no /usr/bin/time");
        }
    }
}

/// What [`write_plan`] put in the plan.
#[derive(Default)]
struct PlanShape {
    modules: usize,
    resources: usize,
    rules: usize,
    trails: usize,
    buckets: usize,
}

/// Services per team module; each service is a module instance of its own.
const SERVICES: usize = 10;
/// Buckets, rules and unrelated resources per service.
const BUCKETS: usize = 4;
const RULES: usize = 6;
/// Unrelated resources per service, by default; `TRAILCHECK_PLAN_FILLERS` sets it (0 makes a
/// plan of rules, buckets and trails only: the densest).
const FILLERS: usize = 30;

/// Writes a plan of about `target` bytes as `terraform show -json` does (one line):
/// `module.team["tN"]` instances, each with one trail selecting its services' buckets and
/// `SERVICES` nested `module.team["tN"].module.svc["sM"]` instances holding buckets, rules on
/// CloudTrail events, a notification, a target and large unrelated resources. The root module
/// holds an organisation trail for management events. In one service in ten, one rule waits
/// for data events of a bucket no trail selects (a finding per team).
fn write_plan(path: &Path, target: u64) -> PlanShape {
    // The size of one team, to know how many make the target.
    let mut probe = Vec::new();
    for resource in team_resources(0) {
        serde_json::to_writer(&mut probe, &resource.planned()).expect("in memory");
        serde_json::to_writer(&mut probe, &resource.change()).expect("in memory");
    }
    let teams = (target / probe.len() as u64).max(1) as usize;

    let mut shape = PlanShape::default();
    let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(path).expect("scratch"));
    let root = root_resources();
    let mut w = |text: &str| out.write_all(text.as_bytes()).expect("scratch");
    w(
        r#"{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{"resources":"#,
    );
    w(&list(root.iter().map(Resource::planned)));
    w(r#","child_modules":["#);
    for team in 0..teams {
        if team > 0 {
            w(",");
        }
        let resources = team_resources(team);
        let (own, services) = resources.split_at(2);
        let head = format!(
            r#"{{"address":"module.team[\"t{team}\"]","resources":{},"child_modules":["#,
            list(own.iter().map(Resource::planned))
        );
        w(&head);
        for (service, chunk) in services.chunks(services.len() / SERVICES).enumerate() {
            if service > 0 {
                w(",");
            }
            w(&format!(
                r#"{{"address":"module.team[\"t{team}\"].module.svc[\"s{service}\"]","resources":{}}}"#,
                list(chunk.iter().map(Resource::planned))
            ));
        }
        w("]}");
        shape.modules += 1 + SERVICES;
        shape.resources += resources.len();
        for resource in &resources {
            match resource.kind {
                "aws_cloudwatch_event_rule" => shape.rules += 1,
                "aws_cloudtrail" => shape.trails += 1,
                "aws_s3_bucket" => shape.buckets += 1,
                _ => {}
            }
        }
    }
    w(r#"]}},"resource_changes":"#);
    w("[");
    let mut first = true;
    let mut change = |w: &mut dyn FnMut(&str), resource: &Resource| {
        if !first {
            w(",");
        }
        first = false;
        w(&resource.change().to_string());
    };
    for resource in &root {
        change(&mut w, resource);
    }
    for team in 0..teams {
        for resource in team_resources(team) {
            change(&mut w, &resource);
        }
    }
    w("],");
    w(&format!(r#""configuration":{}}}"#, configuration()));
    out.flush().expect("scratch");
    shape.modules += 1;
    shape.resources += root.len();
    shape.trails += 1;
    shape.buckets += 1;
    shape
}

/// One resource instance of the plan.
struct Resource {
    /// Full address, `module.team["t1"].module.svc["s2"].aws_s3_bucket.data[0]`.
    address: String,
    module: Option<String>,
    kind: &'static str,
    name: &'static str,
    index: Option<usize>,
    values: Value,
    unknown: Value,
}

impl Resource {
    fn new(
        module: Option<&str>,
        kind: &'static str,
        name: &'static str,
        index: Option<usize>,
        values: Value,
        unknown: Value,
    ) -> Resource {
        let local = match index {
            Some(i) => format!("{kind}.{name}[{i}]"),
            None => format!("{kind}.{name}"),
        };
        Resource {
            address: match module {
                Some(module) => format!("{module}.{local}"),
                None => local,
            },
            module: module.map(str::to_owned),
            kind,
            name,
            index,
            values,
            unknown,
        }
    }

    fn planned(&self) -> Value {
        let mut resource = json!({
            "address": self.address,
            "mode": "managed",
            "type": self.kind,
            "name": self.name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": self.values,
            "sensitive_values": {"tags": {}, "tags_all": {}},
        });
        if let Some(index) = self.index {
            resource["index"] = json!(index);
        }
        resource
    }

    fn change(&self) -> Value {
        let mut change = json!({
            "address": self.address,
            "mode": "managed",
            "type": self.kind,
            "name": self.name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {
                "actions": ["create"],
                "before": null,
                "after": self.values,
                "after_unknown": self.unknown,
                "before_sensitive": false,
                "after_sensitive": {"tags": {}, "tags_all": {}},
            },
        });
        if let Some(module) = &self.module {
            change["module_address"] = json!(module);
        }
        if let Some(index) = self.index {
            change["index"] = json!(index);
        }
        change
    }
}

fn list(values: impl Iterator<Item = Value>) -> String {
    Value::Array(values.collect()).to_string()
}

fn tags(team: usize, service: usize) -> Value {
    json!({"team": format!("t{team}"), "service": format!("s{service}"), "env": "production",
           "cost-centre": format!("cc-{}", 1000 + team), "owner": format!("team-{team}@example.com")})
}

fn bucket_name(team: usize, service: usize, index: usize) -> String {
    format!("acme-t{team}-s{service}-data-{index}")
}

fn root_resources() -> Vec<Resource> {
    vec![
        Resource::new(
            None,
            "aws_s3_bucket",
            "audit",
            None,
            json!({"bucket": "acme-audit-logs", "force_destroy": false, "tags": {}, "tags_all": {}}),
            json!({"arn": true, "id": true, "tags": {}, "tags_all": {}}),
        ),
        Resource::new(
            None,
            "aws_cloudtrail",
            "organization",
            None,
            json!({
                "name": "organization", "s3_bucket_name": "acme-audit-logs",
                "enable_logging": true, "is_multi_region_trail": true,
                "is_organization_trail": true, "include_global_service_events": true,
                "enable_log_file_validation": true, "advanced_event_selector": [],
                "event_selector": [{"read_write_type": "All", "include_management_events": true,
                                    "data_resource": [], "exclude_management_event_sources": []}],
                "insight_selector": [], "tags": {}, "tags_all": {},
            }),
            json!({"arn": true, "home_region": true, "id": true, "event_selector": [{"data_resource": [], "exclude_management_event_sources": []}], "tags": {}, "tags_all": {}}),
        ),
    ]
}

/// A team's resources: its trail and a bucket, then `SERVICES` equal chunks, one per service.
fn team_resources(team: usize) -> Vec<Resource> {
    let module = format!("module.team[\"t{team}\"]");
    let selected: Vec<String> = (0..SERVICES)
        .flat_map(|s| (0..BUCKETS - 1).map(move |b| (s, b)))
        .map(|(s, b)| format!("arn:aws:s3:::{}/", bucket_name(team, s, b)))
        .collect();
    let mut resources = vec![
        Resource::new(
            Some(&module),
            "aws_cloudtrail",
            "team",
            None,
            json!({
                "name": format!("team-{team}-data"), "s3_bucket_name": "acme-audit-logs",
                "s3_key_prefix": format!("t{team}"), "enable_logging": true,
                "is_multi_region_trail": false, "is_organization_trail": false,
                "include_global_service_events": true, "enable_log_file_validation": true,
                "kms_key_id": null, "sns_topic_name": null, "advanced_event_selector": [],
                "event_selector": [{"read_write_type": "All", "include_management_events": false,
                                    "exclude_management_event_sources": [],
                                    "data_resource": [{"type": "AWS::S3::Object", "values": selected}]}],
                "insight_selector": [], "tags": tags(team, 0), "tags_all": tags(team, 0),
            }),
            json!({"arn": true, "home_region": true, "id": true, "event_selector": [{"data_resource": [{"values": [false]}], "exclude_management_event_sources": []}], "tags": {}, "tags_all": {}}),
        ),
        Resource::new(
            Some(&module),
            "aws_sns_topic",
            "alerts",
            None,
            json!({"name": format!("team-{team}-alerts"), "fifo_topic": false, "tags": tags(team, 0), "tags_all": tags(team, 0)}),
            json!({"arn": true, "id": true, "policy": true, "owner": true, "tags": {}, "tags_all": {}}),
        ),
    ];
    for service in 0..SERVICES {
        resources.extend(service_resources(team, service));
    }
    resources
}

fn service_resources(team: usize, service: usize) -> Vec<Resource> {
    let name = format!("module.team[\"t{team}\"].module.svc[\"s{service}\"]");
    let module = Some(name.as_str());
    let mut out = Vec::new();
    for index in 0..BUCKETS {
        out.push(Resource::new(
            module,
            "aws_s3_bucket",
            "data",
            Some(index),
            json!({"bucket": bucket_name(team, service, index), "bucket_prefix": null,
                   "force_destroy": false, "object_lock_enabled": false,
                   "tags": tags(team, service), "tags_all": tags(team, service), "timeouts": null}),
            json!({"acceleration_status": true, "acl": true, "arn": true, "bucket_domain_name": true,
                   "bucket_regional_domain_name": true, "cors_rule": true, "grant": true,
                   "hosted_zone_id": true, "id": true, "lifecycle_rule": true, "logging": true,
                   "policy": true, "region": true, "replication_configuration": true,
                   "request_payer": true, "server_side_encryption_configuration": true,
                   "tags": {}, "tags_all": {}, "versioning": true, "website": true}),
        ));
    }
    out.push(Resource::new(
        module,
        "aws_s3_bucket_notification",
        "data",
        None,
        json!({"bucket": bucket_name(team, service, 2), "eventbridge": true,
               "lambda_function": [], "queue": [], "topic": []}),
        json!({"id": true, "lambda_function": [], "queue": [], "topic": []}),
    ));
    // Which bucket each rule waits for; one service in ten has a rule on an unselected bucket.
    let unselected = if service == 0 { BUCKETS - 1 } else { 1 };
    let patterns = [
        cloudtrail_pattern(
            "aws.s3",
            "s3.amazonaws.com",
            &["GetObject"],
            Some(bucket_name(team, service, 0)),
        ),
        cloudtrail_pattern(
            "aws.s3",
            "s3.amazonaws.com",
            &["PutObject", "DeleteObject"],
            Some(bucket_name(team, service, unselected)),
        ),
        cloudtrail_pattern(
            "aws.secretsmanager",
            "secretsmanager.amazonaws.com",
            &["DeleteSecret", "PutSecretValue", "RotateSecret"],
            None,
        ),
        cloudtrail_pattern(
            "aws.ec2",
            "ec2.amazonaws.com",
            &["RunInstances", "TerminateInstances"],
            None,
        ),
        json!({"source": ["aws.s3"], "detail-type": ["Object Created"],
               "detail": {"bucket": {"name": [bucket_name(team, service, 2)]}}}),
        cloudtrail_pattern(
            "aws.kms",
            "kms.amazonaws.com",
            &["ScheduleKeyDeletion", "DisableKey"],
            None,
        ),
    ];
    for (index, pattern) in patterns.iter().enumerate().take(RULES) {
        out.push(Resource::new(
            module,
            "aws_cloudwatch_event_rule",
            "watch",
            Some(index),
            json!({"name": format!("t{team}-s{service}-watch-{index}"), "name_prefix": null,
                   "description": "Forwards the events this service reacts to",
                   "event_bus_name": "default", "event_pattern": pattern.to_string(),
                   "force_destroy": false, "role_arn": null, "schedule_expression": null,
                   "state": "ENABLED", "tags": tags(team, service), "tags_all": tags(team, service)}),
            json!({"arn": true, "id": true, "tags": {}, "tags_all": {}}),
        ));
    }
    out.push(Resource::new(
        module,
        "aws_cloudwatch_event_target",
        "watch",
        None,
        json!({"event_bus_name": "default", "rule": format!("t{team}-s{service}-watch-0"),
               "target_id": "queue", "input": null, "input_path": null, "role_arn": null}),
        json!({"arn": true, "id": true}),
    ));
    for index in 0..env_number("TRAILCHECK_PLAN_FILLERS", FILLERS) {
        out.push(filler(&name, team, service, index));
    }
    out
}

fn cloudtrail_pattern(
    source: &str,
    event_source: &str,
    names: &[&str],
    bucket: Option<String>,
) -> Value {
    let mut detail = json!({"eventSource": [event_source], "eventName": names});
    if let Some(bucket) = bucket {
        detail["requestParameters"] = json!({"bucketName": [bucket]});
    }
    json!({"source": [source], "detail-type": ["AWS API Call via CloudTrail"], "detail": detail})
}

/// Unrelated resources with large values, as most of a real plan is.
fn filler(module: &str, team: usize, service: usize, index: usize) -> Resource {
    let module = Some(module);
    match index % 3 {
        0 => {
            let statements: Vec<Value> = (0..8)
                .map(|s| json!({"Sid": format!("Statement{s}"), "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": [format!("arn:aws:s3:::{}/*", bucket_name(team, service, s % BUCKETS)),
                                 format!("arn:aws:kms:eu-west-1:123456789012:key/{:08x}-0000-4000-8000-{:012x}", team * 1000 + service, s)]}))
                .collect();
            Resource::new(
                module,
                "aws_iam_policy",
                "access",
                Some(index),
                json!({"name": format!("t{team}-s{service}-access-{index}"), "path": "/",
                       "description": "Access to the service's data", "name_prefix": null,
                       "policy": json!({"Version": "2012-10-17", "Statement": statements}).to_string(),
                       "tags": tags(team, service), "tags_all": tags(team, service)}),
                json!({"arn": true, "attachment_count": true, "id": true, "policy_id": true, "tags": {}, "tags_all": {}}),
            )
        }
        1 => {
            let variables: serde_json::Map<String, Value> = (0..25)
                .map(|v| {
                    (
                        format!("SETTING_{v}"),
                        json!(format!(
                            "value-{team}-{service}-{index}-{v}-{}",
                            "x".repeat(16)
                        )),
                    )
                })
                .collect();
            Resource::new(
                module,
                "aws_lambda_function",
                "worker",
                Some(index),
                json!({"function_name": format!("t{team}-s{service}-worker-{index}"),
                       "handler": "index.handler", "runtime": "python3.12", "memory_size": 512,
                       "timeout": 30, "architectures": ["arm64"], "publish": false,
                       "package_type": "Zip", "s3_bucket": "acme-artifacts",
                       "s3_key": format!("t{team}/s{service}/worker-{index}.zip"),
                       "environment": [{"variables": variables}],
                       "vpc_config": [{"subnet_ids": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
                                       "security_group_ids": ["sg-0123456789abcdef0"]}],
                       "tracing_config": [{"mode": "Active"}], "dead_letter_config": [],
                       "tags": tags(team, service), "tags_all": tags(team, service)}),
                json!({"arn": true, "id": true, "invoke_arn": true, "last_modified": true,
                       "qualified_arn": true, "role": true, "source_code_hash": true, "version": true,
                       "environment": [{"variables": {}}], "vpc_config": [{"subnet_ids": [false, false, false], "security_group_ids": [false], "vpc_id": true}],
                       "tags": {}, "tags_all": {}}),
            )
        }
        _ => {
            let rules: Vec<Value> = (0..8)
                .map(|r| json!({"from_port": 1000 + r, "to_port": 1000 + r, "protocol": "tcp",
                                "cidr_blocks": [format!("10.{}.{}.0/24", team % 250, r), format!("10.{}.{}.0/24", service, r)],
                                "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [],
                                "self": false, "description": format!("service port {r}")}))
                .collect();
            Resource::new(
                module,
                "aws_security_group",
                "service",
                Some(index),
                json!({"name": format!("t{team}-s{service}-sg-{index}"), "description": "Service traffic",
                       "vpc_id": "vpc-0123456789abcdef0", "revoke_rules_on_delete": false,
                       "ingress": rules, "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1",
                       "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                       "security_groups": [], "self": false, "description": ""}],
                       "tags": tags(team, service), "tags_all": tags(team, service)}),
                json!({"arn": true, "id": true, "owner_id": true, "tags": {}, "tags_all": {}}),
            )
        }
    }
}

/// The configuration block: one module call per module (instances share it), the provider's
/// region as a constant.
fn configuration() -> Value {
    let resource = |kind: &str, name: &str| {
        json!({"address": format!("{kind}.{name}"), "mode": "managed", "type": kind, "name": name,
               "provider_config_key": "aws", "expressions": {}, "schema_version": 0})
    };
    let service: Vec<Value> = [
        ("aws_s3_bucket", "data"),
        ("aws_s3_bucket_notification", "data"),
        ("aws_cloudwatch_event_rule", "watch"),
        ("aws_cloudwatch_event_target", "watch"),
        ("aws_iam_policy", "access"),
        ("aws_lambda_function", "worker"),
        ("aws_security_group", "service"),
    ]
    .iter()
    .map(|(kind, name)| resource(kind, name))
    .collect();
    json!({
        "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                    "expressions": {"region": {"constant_value": "eu-west-1"}}}},
        "root_module": {
            "resources": [resource("aws_s3_bucket", "audit"), resource("aws_cloudtrail", "organization")],
            "module_calls": {"team": {"source": "./modules/team", "for_each_expression": {"references": ["local.teams"]},
                "module": {
                    "resources": [resource("aws_cloudtrail", "team"), resource("aws_sns_topic", "alerts")],
                    "module_calls": {"svc": {"source": "../service", "for_each_expression": {"references": ["var.services"]},
                        "module": {"resources": service}}}
                }}}
        }
    })
}

// ---------------------------------------------------------------------------------------------
// 4. Scaling with the number of files, rules and trails.

fn scaling(scratch: &Path, table: &mut Table) {
    let base: usize = env_number("TRAILCHECK_SCALE_BASE", 100);
    println!(
        "\n== 4. scaling: repositories of 1×, 4× and 16× {base} templates (4 rules, 1 trail, 3 buckets each)"
    );
    let mut results = Vec::new();
    for factor in [1usize, 4, 16] {
        let files = base * factor;
        let dir = write_repository(&scratch.join(format!("scale-{factor}")), files, true);
        let roots = [dir.clone()];
        let run = trailcheck::check(&roots, &[], &ingest::Options::default());
        let (rules, trails, findings) =
            (run.summary.rules, run.summary.trails, run.summary.findings);
        let t = Instant::now();
        black_box(analysis::analyse(&run.deployment).len());
        let analyse_once = t.elapsed();
        drop(run);
        let reps = if factor == 16 { 3 } else { 5 };
        let check_t = median(
            (0..reps)
                .map(|_| {
                    let t = Instant::now();
                    black_box(trailcheck::check(&roots, &[], &ingest::Options::default()).summary);
                    t.elapsed()
                })
                .collect(),
        );
        let parse_t = median(
            (0..reps)
                .map(|_| {
                    let t = Instant::now();
                    let found = walk::discover(&roots, None, false).files;
                    black_box(
                        found
                            .par_iter()
                            .filter(|p| {
                                walk::read(p).is_ok_and(|text| {
                                    parse::parse(&text, parse::sniff(&text)).is_ok()
                                })
                            })
                            .count(),
                    );
                    t.elapsed()
                })
                .collect(),
        );
        println!(
            "{factor:>2}×: {files:>5} files, {rules:>5} rules, {trails:>5} trails, {findings:>4} findings: check {} ({:.1} µs/file), read + parse {}, analysis {}",
            ms(check_t),
            secs(check_t) * 1e6 / files as f64,
            ms(parse_t),
            ms(analyse_once)
        );
        results.push((factor, files, check_t, analyse_once));
    }
    let (_, files1, t1, a1) = results[0];
    let (_, _, t4, a4) = results[1];
    let (_, files16, t16, a16) = results[2];
    let per_file = |t: Duration, files: usize| secs(t) / files as f64;
    let growth = per_file(t16, files16) / per_file(t1, files1);
    println!(
        "check time ×{:.1} at 4×, ×{:.1} at 16× (linear: ×4, ×16); time per file at 16× = {growth:.2}× that at 1×",
        secs(t4) / secs(t1),
        secs(t16) / secs(t1)
    );
    println!(
        "analysis time ×{:.1} at 4×, ×{:.1} at 16×",
        secs(a4) / secs(a1),
        secs(a16) / secs(a1)
    );
    table.row(
        "scaling: check time at 4× / 16× the size",
        format!(
            "×{:.1} / ×{:.1} ({} → {})",
            secs(t4) / secs(t1),
            secs(t16) / secs(t1),
            ms(t1),
            ms(t16)
        ),
        "×4 / ×16",
        None,
    );
    table.row(
        "scaling: analysis time at 4× / 16×",
        format!(
            "×{:.1} / ×{:.1} ({} → {})",
            secs(a4) / secs(a1),
            secs(a16) / secs(a1),
            ms(a1),
            ms(a16)
        ),
        "×4 / ×16",
        None,
    );
    table.row(
        "scaling: time per file, 16× / 1×",
        format!("{growth:.2}×"),
        "≤ 1.5× (linear)",
        Some(growth <= 1.5),
    );
}

/// Writes a repository of `files` [`scaling_template`]s in `dir`.
fn write_repository(dir: &Path, files: usize, delivered: bool) -> PathBuf {
    fs::create_dir_all(dir).expect("scratch");
    for i in 0..files {
        let text = scaling_template(i, delivered);
        fs::write(dir.join(format!("service-{i:05}.yaml")), text).expect("scratch");
    }
    dir.to_path_buf()
}

/// Repositories where no trail delivers the data events two rules of each template wait for:
/// their findings give the trails' reasons, and their buckets are named by no trail.
fn scaling_undelivered(scratch: &Path, table: &mut Table) {
    let base: usize = env_number("TRAILCHECK_SCALE_BASE", 100);
    println!(
        "\nthe same, each trail selecting two other buckets (2 rules per template undelivered):"
    );
    let mut times = Vec::new();
    for factor in [1usize, 4, 16] {
        let files = base * factor;
        let dir = write_repository(&scratch.join(format!("undelivered-{factor}")), files, false);
        let roots = [dir.clone()];
        let run = trailcheck::check(&roots, &[], &ingest::Options::default());
        let findings = run.summary.findings;
        let t = Instant::now();
        black_box(trailcheck::check(&roots, &[], &ingest::Options::default()).summary);
        let check_t = t.elapsed();
        println!(
            "{factor:>2}×: {files:>5} files, {findings:>5} findings: check {} ({:.1} µs/file)",
            ms(check_t),
            secs(check_t) * 1e6 / files as f64
        );
        times.push((files, check_t));
    }
    let per_file = |(files, t): (usize, Duration)| secs(t) / files as f64;
    table.row(
        "scaling, no trail delivering: time per file, 16× / 1×",
        format!(
            "{:.1}× ({} → {})",
            per_file(times[2]) / per_file(times[0]),
            ms(times[0].1),
            ms(times[2].1)
        ),
        "information",
        None,
    );
}

/// A service template: three buckets, a trail selecting data events on two of them (or, not
/// `delivered`, on two other buckets), four rules (two on data events of its own buckets, one
/// on management events, one on S3 notifications).
fn scaling_template(i: usize, delivered: bool) -> String {
    let selected = if delivered { "data" } else { "logs" };
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Description: Service {i}
Resources:
  DataBucket0:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: svc-{i}-data-0
  DataBucket1:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: svc-{i}-data-1
  DataBucket2:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: svc-{i}-data-2
      NotificationConfiguration:
        EventBridgeConfiguration:
          EventBridgeEnabled: true
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: audit-logs
      EventSelectors:
        - ReadWriteType: All
          IncludeManagementEvents: true
          DataResources:
            - Type: AWS::S3::Object
              Values:
                - arn:aws:s3:::svc-{i}-{selected}-0/
                - arn:aws:s3:::svc-{i}-{selected}-1/
  GetObjectRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [GetObject]
          requestParameters:
            bucketName: [svc-{i}-data-0]
      Targets:
        - Id: queue
          Arn: !GetAtt Queue.Arn
  PutObjectRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [PutObject, DeleteObject]
          requestParameters:
            bucketName: [svc-{i}-data-1]
      Targets:
        - Id: queue
          Arn: !GetAtt Queue.Arn
  DeleteSecretRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.secretsmanager]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [secretsmanager.amazonaws.com]
          eventName: [DeleteSecret, PutSecretValue]
      Targets:
        - Id: queue
          Arn: !GetAtt Queue.Arn
  ObjectCreatedRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [Object Created]
        detail:
          bucket:
            name: [svc-{i}-data-2]
      Targets:
        - Id: queue
          Arn: !GetAtt Queue.Arn
  Queue:
    Type: AWS::SQS::Queue
"#
    )
}

// ---------------------------------------------------------------------------------------------
// 5. Every repository shape of SPEC §9, up to 10,000 stacks.

#[path = "../tests/common/shapes.rs"]
mod shapes;

fn shapes(scratch: &Path, table: &mut Table) {
    let sizes: Vec<usize> = std::env::var("TRAILCHECK_SHAPE_STACKS")
        .unwrap_or_else(|_| "100,1000,10000".to_owned())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    println!(
        "\n== 5. shapes: stacks of six rules ({sizes:?} stacks), each shape through the binary (`check --format json`, median of 3)"
    );
    for shape in shapes::Shape::ALL {
        let mut times: Vec<(usize, Duration)> = Vec::new();
        for &stacks in &sizes {
            let dir = scratch.join(format!("shape-{shape:?}-{stacks}"));
            shapes::write(&dir, shape, stacks);
            let args = ["check", "--no-config", "--format", "json", "."];
            let runs: Vec<Option<Duration>> = (0..3)
                .map(|_| {
                    let started = Instant::now();
                    let mut child = Command::new(BIN)
                        .args(args)
                        .current_dir(&dir)
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()
                        .expect("the binary runs");
                    loop {
                        if let Ok(Some(_)) = child.try_wait() {
                            return Some(started.elapsed());
                        }
                        if started.elapsed() > Duration::from_secs(60) {
                            let _ = child.kill();
                            let _ = child.wait();
                            return None;
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                })
                .collect();
            if std::env::var_os("TRAILCHECK_BENCH_KEEP").is_none() {
                let _ = fs::remove_dir_all(&dir);
            }
            let Some(runs) = runs.into_iter().collect::<Option<Vec<_>>>() else {
                println!(
                    "{:<46} {stacks:>6} stacks: stopped after 60 s",
                    shape.name()
                );
                times.push((stacks, Duration::from_secs(60)));
                break;
            };
            let t = median(runs);
            println!(
                "{:<46} {stacks:>6} stacks: {} ({:.1} µs/stack)",
                shape.name(),
                ms(t),
                secs(t) * 1e6 / stacks as f64
            );
            times.push((stacks, t));
        }
        let (Some(&(first, t_first)), Some(&(last, t_last))) = (times.first(), times.last()) else {
            continue;
        };
        let growth = (secs(t_last) / last as f64) / (secs(t_first) / first as f64);
        table.row(
            &format!("shape: {}, per stack {last} / {first}", shape.name()),
            format!("{growth:.2}× ({} → {})", ms(t_first), ms(t_last)),
            "≤ 1.5× (linear)",
            Some(growth <= 1.5),
        );
        if last >= 10_000 {
            table.row(
                &format!("shape: {}, {last} stacks", shape.name()),
                ms(t_last),
                "< 3 s",
                Some(t_last < Duration::from_secs(3)),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6. cfn-lint on the same CloudFormation files (informational, optional).

fn cfn_lint(table: &mut Table) {
    println!("\n== 6. cfn-lint on CloudFormation templates of the corpus");
    let version = Command::new("cfn-lint")
        .arg("--version")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output();
    let version = match version {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).trim().to_owned()
        }
        _ => {
            println!("skipped: cfn-lint is not installed (`pip install cfn-lint` to compare)");
            table.skip(
                "cfn-lint / trailcheck, same templates",
                "",
                "cfn-lint absent",
            );
            return;
        }
    };
    let corpus = std::env::var_os("TRAILCHECK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if !corpus.is_dir() {
        println!("skipped: no corpus at {}", corpus.display());
        table.skip("cfn-lint / trailcheck, same templates", "", "no corpus");
        return;
    }
    // The templates, as trailcheck recognises them.
    let files = walk::discover(&[corpus], None, false).files;
    let mut templates: Vec<PathBuf> = files
        .par_iter()
        .enumerate()
        .filter(|(index, path)| {
            walk::read(path).is_ok_and(|text| {
                let file = SourceFile::new(path.to_path_buf(), text, true);
                matches!(
                    ingest::ingest(FileId(*index as u32), &file, &ingest::Options::default()),
                    FileOutcome::Input(contents) if contents.kind == InputKind::Template
                )
            })
        })
        .map(|(_, path)| path.clone())
        .collect();
    templates.sort();
    let count: usize = env_number("TRAILCHECK_CFN_LINT_FILES", 100);
    let step = (templates.len() / count.max(1)).max(1);
    let sample: Vec<String> = templates
        .iter()
        .step_by(step)
        .take(count)
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let bytes: u64 = sample
        .iter()
        .filter_map(|p| fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{version}; {} of the corpus's {} templates (every {step}th), {:.1} MB",
        sample.len(),
        templates.len(),
        mb(bytes)
    );
    let mut trailcheck_args = vec!["check"];
    trailcheck_args.extend(sample.iter().map(String::as_str));
    time_command(BIN, &trailcheck_args, None);
    let ours = median(
        (0..5)
            .map(|_| time_command(BIN, &trailcheck_args, None).0)
            .collect(),
    );
    let sample_args: Vec<&str> = sample.iter().map(String::as_str).collect();
    let limit = Duration::from_secs(120);
    let Some(theirs) = time_command_limited("cfn-lint", &sample_args, limit) else {
        println!(
            "cfn-lint did not finish within {} s; stopped",
            limit.as_secs()
        );
        table.skip(
            "cfn-lint / trailcheck, same templates",
            "",
            "cfn-lint too slow",
        );
        return;
    };
    let ratio = secs(theirs) / secs(ours);
    println!(
        "trailcheck {} ({:.2} ms/template), cfn-lint {} ({:.0} ms/template): cfn-lint takes {ratio:.0}× as long",
        ms(ours),
        secs(ours) * 1e3 / sample.len() as f64,
        ms(theirs),
        secs(theirs) * 1e3 / sample.len() as f64
    );
    println!(
        "(all {} templates through cfn-lint would take about {:.0} s at that rate)",
        templates.len(),
        secs(theirs) / sample.len() as f64 * templates.len() as f64
    );
    table.row(
        &format!("cfn-lint / trailcheck, {} templates", sample.len()),
        format!("{} / {} = {ratio:.0}×", ms(theirs), ms(ours)),
        "(information)",
        None,
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// Runs a command to completion, output discarded; its wall time and exit status.
fn time_command(program: &str, args: &[&str], dir: Option<&Path>) -> (Duration, Option<i32>) {
    let mut command = Command::new(program);
    command
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let t = Instant::now();
    let status = command.status().expect("the command runs");
    (t.elapsed(), status.code())
}

/// Like [`time_command`], but stops the command after `limit`.
fn time_command_limited(program: &str, args: &[&str], limit: Duration) -> Option<Duration> {
    let t = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return Some(t.elapsed());
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One run of the trailcheck binary.
struct Measured {
    elapsed: Duration,
    /// Exit code; `None` when it could not be read.
    code: Option<i32>,
    /// Peak resident memory in KiB, when `/usr/bin/time` is installed.
    peak_kib: Option<u64>,
}

impl Measured {
    /// Whether the run ended by itself (`timeout` exits 124 when it stops one).
    fn finished(&self) -> bool {
        self.code != Some(124)
    }

    /// Empty for a normal exit (0, 1 or 2); else what went wrong.
    fn outcome(&self) -> String {
        match self.code {
            Some(0..=2) => String::new(),
            Some(124) => "stopped: too slow".to_owned(),
            Some(101) => "CRASHED: panic, exit 101".to_owned(),
            Some(code) => format!("CRASHED: exit {code}"),
            None => "CRASHED: exit status unknown".to_owned(),
        }
    }
}

/// Runs the binary with `args`, output discarded, under `/usr/bin/time` (peak memory) and
/// `timeout` (stopped after `limit` seconds) when they are installed.
fn measure(args: &[&str], dir: &Path, limit: u64) -> Measured {
    let time_v = Path::new("/usr/bin/time").exists();
    let timeout = Command::new("timeout")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let report = dir.join("time.txt");
    let _ = fs::remove_file(&report);
    let mut line: Vec<String> = Vec::new();
    if time_v {
        line.extend(["/usr/bin/time", "-f", "%x %M", "-o"].map(str::to_owned));
        line.push(report.to_string_lossy().into_owned());
    }
    if timeout {
        line.extend(["timeout".to_owned(), limit.to_string()]);
    }
    line.push(BIN.to_owned());
    line.extend(args.iter().map(|a| (*a).to_owned()));
    let stderr = fs::File::create(dir.join("stderr.txt")).expect("scratch");
    let t = Instant::now();
    let status = Command::new(&line[0])
        .args(&line[1..])
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .status();
    let elapsed = t.elapsed();
    // A panic is worth seeing: where, and why.
    let written = fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default();
    if let Some(at) = written.find("panicked at") {
        let panic: Vec<&str> = written[at..].lines().take(2).collect();
        println!("binary: {}", panic.join(" "));
    }
    if !time_v {
        return Measured {
            elapsed,
            code: status.ok().and_then(|s| s.code()),
            peak_kib: None,
        };
    }
    // `/usr/bin/time` writes "%x %M" on the last line, after a note on a non-zero exit.
    let written = fs::read_to_string(&report).unwrap_or_default();
    let mut fields = written
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace();
    Measured {
        elapsed,
        code: fields.next().and_then(|c| c.parse().ok()),
        peak_kib: fields.next().and_then(|m| m.parse().ok()),
    }
}

/// This process's resident memory in KiB, from `/proc/self/status` (Linux only).
fn rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64().max(1e-9)
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// The closing table: each measure, its figure, its target, and whether it is met.
#[derive(Default)]
struct Table {
    rows: Vec<[String; 4]>,
}

impl Table {
    fn row(&mut self, measure: &str, figure: impl Into<String>, target: &str, met: Option<bool>) {
        let verdict = match met {
            Some(true) => "PASS",
            Some(false) => "FAIL",
            None => "",
        };
        self.rows.push([
            measure.to_owned(),
            figure.into(),
            target.to_owned(),
            verdict.to_owned(),
        ]);
    }

    fn skip(&mut self, measure: &str, target: &str, why: &str) {
        self.rows.push([
            measure.to_owned(),
            format!("skipped: {why}"),
            target.to_owned(),
            "SKIP".to_owned(),
        ]);
    }

    fn render(&self) -> String {
        let header = ["measure", "figure", "target", "result"];
        let mut widths = header.map(|h| h.chars().count());
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let mut line = |cells: [&str; 4]| {
            let mut text = String::new();
            for (cell, width) in cells.iter().zip(widths) {
                let pad = width - cell.chars().count();
                let _ = write!(text, "| {cell}{} ", " ".repeat(pad));
            }
            out.push_str(&text);
            out.push_str("|\n");
        };
        line(header);
        let rule = widths.map(|w| "-".repeat(w));
        line([&rule[0], &rule[1], &rule[2], &rule[3]]);
        for row in &self.rows {
            line([&row[0], &row[1], &row[2], &row[3]]);
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Terraform configuration: parse and evaluation against hcl-edit's parse alone.

/// Root modules of the generated repository (`TRAILCHECK_TF_ROOTS`, default 200), each calling
/// one shared local module twice, with rules, a trail and unrelated resources.
fn terraform(scratch: &Path, table: &mut Table) {
    println!("\n== 6. terraform: parse + evaluate against hcl-edit's parse");
    let roots: usize = std::env::var("TRAILCHECK_TF_ROOTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let dir = scratch.join("terraform");
    let _ = fs::remove_dir_all(&dir);
    write_terraform(&dir, roots);
    let files: Vec<PathBuf> = walk::discover(std::slice::from_ref(&dir), None, false).files;
    // Shared, as a run shares each file's text between its source file and its parse.
    let texts: Vec<(PathBuf, std::sync::Arc<String>)> = files
        .iter()
        .map(|p| {
            (
                p.clone(),
                std::sync::Arc::new(fs::read_to_string(p).expect("generated")),
            )
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{} files, {:.1} MB, {roots} root modules",
        texts.len(),
        mb(bytes as u64)
    );

    // hcl-edit alone: every file parsed, in parallel.
    let parse_only = || {
        let t = Instant::now();
        let parsed = texts
            .par_iter()
            .filter(|(_, text)| hcl_edit::parser::parse_body(text).is_ok())
            .count();
        black_box(parsed);
        t.elapsed()
    };
    // trailcheck: the same parse, then every root module evaluated into what it declares.
    let evaluate = || {
        let t = Instant::now();
        let parsed: Vec<(usize, hcl::Parsed, hcl::HclKind)> = texts
            .par_iter()
            .enumerate()
            .filter_map(|(index, (path, text))| {
                let (kind, syntax) = hcl::kind_of(path)?;
                Some((index, hcl::parse(text, syntax, kind).ok()?, kind))
            })
            .collect();
        let mut folders = hcl::Folders {
            scanned: vec![dir.clone()],
            ..hcl::Folders::default()
        };
        for (index, parsed, kind) in parsed {
            let (path, text) = &texts[index];
            folders.add(
                hcl::HclFile {
                    id: FileId(index as u32),
                    path: path.clone(),
                    text: std::sync::Arc::clone(text),
                    body: parsed.body,
                    places: parsed.places,
                    reported: true,
                },
                kind,
            );
        }
        let parsed_at = t.elapsed();
        let read = folders.read();
        if std::env::var_os("TRAILCHECK_BENCH_PHASES").is_some() {
            println!(
                "  parse {parsed_at:?}, evaluate {:?}",
                t.elapsed() - parsed_at
            );
        }
        let rules: usize = read.iter().map(|root| root.items.rules.len()).sum();
        black_box(rules);
        (t.elapsed(), read.len(), rules)
    };
    // The same, the trees kept until every file is parsed, as reading a module needs all of
    // its files at once (informational).
    let parse_kept = || {
        let t = Instant::now();
        let parsed: Vec<_> = texts
            .par_iter()
            .filter_map(|(_, text)| hcl_edit::parser::parse_body(text).ok())
            .collect();
        let elapsed = t.elapsed();
        black_box(parsed);
        elapsed
    };
    let kept = median((0..5).map(|_| parse_kept()).collect());
    println!("hcl-edit parse, trees kept: {}", ms(kept));
    let base = median((0..5).map(|_| parse_only()).collect());
    let runs: Vec<(Duration, usize, usize)> = (0..5).map(|_| evaluate()).collect();
    let (_, modules, rules) = runs[0];
    let ours = median(runs.into_iter().map(|(t, _, _)| t).collect());
    let ratio = ours.as_secs_f64() / base.as_secs_f64().max(1e-9);
    println!(
        "hcl-edit parse {}; trailcheck parse + evaluate {} ({modules} root modules, {rules} rules): {ratio:.2}×",
        ms(base),
        ms(ours)
    );
    assert_eq!(modules, roots, "every root module is read");
    table.row(
        "terraform: (parse + evaluate) / hcl-edit parse",
        format!("{ratio:.2}×"),
        "≤ 2×",
        Some(ratio <= 2.0),
    );
    table.row(
        "terraform: (parse + evaluate) / hcl-edit parse, trees kept",
        format!("{:.2}×", ours.as_secs_f64() / kept.as_secs_f64().max(1e-9)),
        "",
        None,
    );
    let (check, code) = time_command(
        BIN,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            dir.to_str().expect("UTF-8"),
        ],
        None,
    );
    println!(
        "whole check through the binary: {} (exit {code:?})",
        ms(check)
    );
    table.row("terraform: whole check, binary", ms(check), "", None);
}

/// A repository of `roots` root modules under `dir/live/`, and the module they call under
/// `dir/modules/events`.
fn write_terraform(dir: &Path, roots: usize) {
    let module = dir.join("modules/events");
    fs::create_dir_all(&module).expect("scratch");
    fs::write(
        module.join("main.tf"),
        r#"variable "bucket" {}
variable "names" {
  type    = list(string)
  default = ["GetObject", "PutObject"]
}
variable "read_only" {
  type    = bool
  default = false
}

locals {
  pattern = {
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource       = ["s3.amazonaws.com"]
      eventName         = var.names
      requestParameters = { bucketName = [var.bucket] }
    }
  }
}

resource "aws_cloudwatch_event_rule" "objects" {
  name          = "objects-${var.bucket}"
  event_pattern = jsonencode(local.pattern)
}

resource "aws_cloudwatch_event_target" "queue" {
  rule = aws_cloudwatch_event_rule.objects.name
  arn  = "arn:aws:sqs:us-east-1:123456789012:objects"
}

output "rule" {
  value = aws_cloudwatch_event_rule.objects.arn
}
"#,
    )
    .expect("scratch");
    for root in 0..roots {
        let live = dir.join(format!("live/stack-{root:04}"));
        fs::create_dir_all(&live).expect("scratch");
        let mut main = format!(
            r#"provider "aws" {{
  region = "us-east-1"
}}

resource "aws_s3_bucket" "data" {{
  bucket = "data-{root}"
}}

module "reads" {{
  source = "../../modules/events"
  bucket = aws_s3_bucket.data.bucket
}}

module "writes" {{
  source = "../../modules/events"
  bucket = "other-{root}"
  names  = ["DeleteObject"]
}}

resource "aws_cloudtrail" "main" {{
  name                  = "main-{root}"
  s3_bucket_name        = "logs-{root}"
  is_multi_region_trail = true

  dynamic "advanced_event_selector" {{
    for_each = var.selectors
    content {{
      name = advanced_event_selector.value.name
      field_selector {{
        field  = "eventCategory"
        equals = ["Data"]
      }}
      field_selector {{
        field  = "resources.type"
        equals = ["AWS::S3::Object"]
      }}
      field_selector {{
        field       = "resources.ARN"
        starts_with = ["${{aws_s3_bucket.data.arn}}/"]
      }}
    }}
  }}
}}

variable "selectors" {{
  default = [{{ name = "data" }}]
}}
"#
        );
        // Unrelated resources, as most of a real configuration is.
        for i in 0..40 {
            let _ = write!(
                main,
                r#"
resource "aws_security_group" "sg_{i}" {{
  name        = "sg-{root}-{i}"
  description = "generated"
  ingress {{
    from_port   = {i}
    to_port     = {i}
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
  tags = merge(local.tags, {{ Index = "{i}" }})
}}
"#
            );
        }
        main.push_str("\nlocals {\n  tags = { Team = \"platform\", Stack = \"generated\" }\n}\n");
        fs::write(live.join("main.tf"), main).expect("scratch");
    }
}

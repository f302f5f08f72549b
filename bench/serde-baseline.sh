#!/usr/bin/env bash
# The corpus measured against a plain serde parse: reads every file `trailcheck check` would
# consider (.json, .yaml, .yml, .template) and parses it with serde_json (text starting with `{`
# or `[`) or serde_yaml into their generic values, on all cores, then times `trailcheck check`
# of the same folder. Each figure is the median of 5 runs after one warm-up.
#
# serde_yaml is not a dependency of trailcheck: the baseline is built in a scratch crate under
# the temp dir (needs the crates.io registry the first time, about a minute to build).
#
# Usage: bench/serde-baseline.sh [CORPUS]   (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
if [ ! -d "$corpus" ]; then
    echo "serde-baseline: skipped, no corpus at $corpus"
    exit 0
fi
scratch=${TMPDIR:-/tmp}/trailcheck-serde-baseline
mkdir -p "$scratch/src"
cat > "$scratch/Cargo.toml" <<'TOML'
[package]
name = "serde-baseline"
version = "0.1.0"
edition = "2024"

[dependencies]
rayon = "1"
serde_json = "1"
serde_yaml = "0.9"
walkdir = "2"
TOML
cat > "$scratch/src/main.rs" <<'RUST'
use rayon::prelude::*;
use std::time::{Duration, Instant};

fn main() {
    let root = std::env::args().nth(1).expect("a folder");
    let parse = |path: &std::path::PathBuf| -> bool {
        let Ok(text) = std::fs::read_to_string(path) else {
            return false;
        };
        if matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'[')) {
            serde_json::from_str::<serde_json::Value>(&text).is_ok()
        } else {
            serde_yaml::from_str::<serde_yaml::Value>(&text).is_ok()
        }
    };
    let mut times: Vec<Duration> = (0..6)
        .map(|_| {
            let t = Instant::now();
            let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&root)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter(|e| {
                    matches!(
                        e.path().extension().and_then(|x| x.to_str()),
                        Some("json" | "yaml" | "yml" | "template")
                    )
                })
                .map(|e| e.into_path())
                .collect();
            std::hint::black_box(files.par_iter().filter(|p| parse(p)).count());
            t.elapsed()
        })
        .skip(1)
        .collect();
    times.sort();
    println!("{:.1}", times[2].as_secs_f64() * 1000.0);
}
RUST
cargo build --release --quiet --manifest-path "$scratch/Cargo.toml"
cargo build --release --quiet
baseline=$("$scratch/target/release/serde-baseline" "$corpus")
runs=()
for _ in 1 2 3 4 5 6; do
    start=$(date +%s%N)
    # Exit code 2: the corpus holds broken files on purpose.
    ./target/release/trailcheck check --no-config --format json "$corpus" > /dev/null || true
    runs+=($(( ($(date +%s%N) - start) / 100000 )))
done
median=$(printf '%s\n' "${runs[@]:1}" | sort -n | sed -n 3p)
awk -v base="$baseline" -v tc="$median" 'BEGIN {
    printf "serde_json + serde_yaml parse of the corpus, all cores: %.1f ms\n", base
    printf "trailcheck check of the corpus, end to end:           %.1f ms = %.2fx the serde parse\n", tc / 10, tc / 10 / base
}'

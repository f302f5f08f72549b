#!/usr/bin/env bash
# Runs the performance benchmark of SPEC §9 (benches/trailcheck.rs) and prints its report.
#
# It takes about a minute and a half on 2 cores, plus about a minute to build the first time:
# the corpus sweep (../shared/corpus, skipped when absent) a few seconds, the small template
# under a second, the generated 100 MB Terraform plan about 30 s, the 1×/4×/16× scaling about
# 20 s, and cfn-lint, when installed, about 10 s. A run of trailcheck on the plan is stopped
# after 30 s.
#
# Arguments are passed on: `bench/run.sh plan scaling` runs only those sections
# (corpus, small, plan, scaling, cfn-lint). Missed targets are reported, never fatal.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
cargo bench --bench trailcheck -- "$@"
echo "bench/run.sh: $(( $(date +%s) - start )) s in all, build included"

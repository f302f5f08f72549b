#!/usr/bin/env bash
# Mutation testing of the analysis, the checks and the ingest of rules and trails with
# cargo-mutants (https://mutants.rs): each mutant (a function that returns a default, an
# operator turned into another, a condition negated) is built and the suites that judge
# verdicts are run on it; a mutant they all pass is a "survivor", a change no test notices.
#
#   scripts/mutants.sh                 every mutant (about 1,800; hours on 2 cores)
#   scripts/mutants.sh --shard 0/8     one eighth of them
#   scripts/mutants.sh -f src/analysis/coverage.rs
#   TRAILCHECK_CASES=tc30 scripts/mutants.sh -f 'src/checks/tc30*.rs'
#                                      the target checks, judged by their own cases only
#
# Other arguments go to `cargo mutants`. Results land in mutants.out/ (missed.txt lists the
# survivors); the README's testing section reports the last runs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null 2>&1 || cargo install cargo-mutants --locked

files=(-f 'src/analysis/*.rs' -f 'src/checks/*.rs' -f 'src/checks/fix/*.rs'
       -f 'src/ingest/cfn/resources.rs' -f 'src/ingest/cfn/targets.rs'
       -f 'src/ingest/tf/resources.rs' -f 'src/ingest/tf/targets.rs'
       -f 'src/ingest/tf/attributes.rs' -f 'src/ingest/external.rs')
# A file named with -f replaces the default set.
for arg in "$@"; do
  case "$arg" in -f|--file) files=() ;; esac
done

# Each mutant is built in a copy of the tree: point the suites at the corpus where it is.
if [ -z "${TRAILCHECK_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
  TRAILCHECK_CORPUS=$(cd ../shared/corpus && pwd)
  export TRAILCHECK_CORPUS
fi

# The suites that judge verdicts; the unit tests that sweep the corpus through the parsers
# judge no mutant here and take most of the time unoptimised.
exec cargo mutants --profile mutants --timeout 300 "${files[@]}" "$@" \
  -- --lib --test cases --test pairing --test truth --test pages \
  -- --skip large_json_is_recognised --skip pruning_leaves_out

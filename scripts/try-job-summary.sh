#!/usr/bin/env bash
# Tries scripts/job-summary.jq, the GitHub Actions job summary of action.yml, on the JSON output
# of this work tree's release build:
#
#   1. the bundled examples give a table with a row per finding, and the counts;
#   2. the platform stack alone gives "No findings.";
#   3. a message with `|` and a line break stays in its cell, and the table stops at 1,000 rows.
#
# Needs jq and cargo.
# Usage: scripts/try-job-summary.sh
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
program="$checkout/scripts/job-summary.jq"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$checkout"

fail() {
  echo "FAIL (job summary): $*" >&2
  exit 1
}

# Fails unless the summary in $1 has the line $2.
has_line() {
  grep -qxF -- "$2" "$1" || { cat "$1" >&2; fail "no line: $2"; }
}

trailcheck() {
  cargo run --quiet --release --locked -- "$@"
}

# 1. Findings.
set +e
trailcheck check examples --format json >"$work/examples.json"
code=$?
set -e
[ "$code" = 1 ] || fail "check examples exited $code, not 1"
jq -r -f "$program" "$work/examples.json" >"$work/examples.md"
has_line "$work/examples.md" "| rule | severity | file:line | resource | message |"
# shellcheck disable=SC2016 # the backquotes are the message's
grep -q '^| TC103 data-events-not-logged | error | examples/app.yaml:19 | GetObjectRule | no logging trail selects `AWS::S3::Object` data events for bucket `my-bucket`' \
  "$work/examples.md" || { cat "$work/examples.md" >&2; fail "no TC103 row"; }
[ "$(grep -c '^| TC' "$work/examples.md")" = 2 ] || { cat "$work/examples.md" >&2; fail "not one row per finding"; }
has_line "$work/examples.md" "2 findings, 0 input errors; 2 files read: 2 templates, 0 plans, 2 rules, 1 trail."
echo "ok (job summary): a row per finding, and the counts"

# 2. No findings.
trailcheck check examples/platform --format json | jq -r -f "$program" >"$work/platform.md"
has_line "$work/platform.md" "No findings."
grep -q '^|' "$work/platform.md" && { cat "$work/platform.md" >&2; fail "a table without findings"; }
echo "ok (job summary): no findings, no table"

# 3. Cells and the row limit.
jq -n '{version: 1, summary: {files: 1, templates: 1, rules: 1},
        findings: [range(1002) | {rule: "TC103", name: "data-events-not-logged", severity: "error",
                                  message: "a | b\nc", file: "app.yaml", line: (. + 1), resource: "R"}],
        errors: [], warnings: []}' | jq -r -f "$program" >"$work/many.md"
has_line "$work/many.md" '| TC103 data-events-not-logged | error | app.yaml:1 | R | a \| b c |'
[ "$(grep -c '^| TC103' "$work/many.md")" = 1000 ] || fail "the table does not stop at 1,000 rows"
has_line "$work/many.md" "… and 2 more, not shown."
echo "ok (job summary): a | and a line break stay in their cell; 1,000 rows at most"

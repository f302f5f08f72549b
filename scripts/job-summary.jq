# The GitHub Actions job summary (Markdown) for `trailcheck check --format json`: a table of the
# findings, one of the input errors, the warnings and the counts. Annotations stop at 10 a step;
# the summary lists every finding, up to 1,000 rows a table (the limit on a summary is 1 MiB).
# The action runs it as `jq -r -f job-summary.jq trailcheck.json >> "$GITHUB_STEP_SUMMARY"`.
# Works with jq 1.6 and later.

def rows_max: 1000;

# A table cell: one line, and a `|` does not end the cell.
def cell: tostring | gsub("\r\n|\r|\n"; " ") | gsub("\\|"; "\\|");

def plural($n; $word): "\($n) \($word)\(if $n == 1 then "" else "s" end)";

def place: if .line then "\(.file):\(.line)" else .file end;

def capped(rows):
  [rows] as $all
  | ($all[:rows_max] | .[])
  , if ($all | length) > rows_max
    then "", "… and \(($all | length) - rows_max) more, not shown."
    else empty end;

(.summary // {}) as $s
| (.findings // []) as $findings
| (.errors // []) as $errors
| (($s.warnings // []) + ((.warnings // []) | map(
    (if .file then "\(place): " else "" end) + .message))) as $warnings
| "## trailcheck",
  "",
  (if ($findings | length) == 0 then "No findings." else
    "| rule | severity | file:line | resource | message |",
    "| --- | --- | --- | --- | --- |",
    capped($findings[] | "| \(.rule) \(.name // "" | cell) | \(.severity | cell) | \(place | cell) | \(.resource // "" | cell) | \(.message | cell) |")
  end),
  (if ($errors | length) == 0 then empty else
    "",
    "Inputs that could not be read:",
    "",
    "| file:line | error |",
    "| --- | --- |",
    capped($errors[] | "| \(place | cell) | \(.message | cell) |")
  end),
  (if ($warnings | length) == 0 then empty else
    "",
    ($warnings[] | "- warning: \(cell)")
  end),
  "",
  ("\(plural($findings | length; "finding")), \(plural($errors | length; "input error")); "
   + "\(plural($s.files // 0; "file")) read: \(plural($s.templates // 0; "template")), "
   + "\(plural($s.plans // 0; "plan")), \(plural($s.rules // 0; "rule")), "
   + "\(plural($s.trails // 0; "trail"))."
   + (if (($s.suppressed // 0) + ($s.baselined // 0)) > 0
      then " Not reported: \($s.suppressed // 0) suppressed, \($s.baselined // 0) in the baseline."
      else "" end))

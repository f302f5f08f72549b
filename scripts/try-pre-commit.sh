#!/usr/bin/env bash
# Tries the pre-commit hooks as a new user would: a fresh git repository whose
# .pre-commit-config.yaml points at this checkout, and real commits. The verdict must not depend
# on which file a commit touches:
#
#   1. a commit that adds a rule no trail delivers fails;
#   2. a commit that switches the trail off in another file fails;
#   3. a commit that deletes the trail's file fails;
#   4. once the trail is back and selects the bucket, a commit passes.
#
# `trailcheck` (the whole repository on every commit) is tried through all four;
# `trailcheck-staged` (the staged files, paired with the rest) through 1, 2 and 4, and with a
# config `exclude` that must hold for a staged file too; `trailcheck-system` (the whole
# repository, with the `trailcheck` on PATH) through all four.
#
# Needs python3 with venv (pre-commit is installed from PyPI into a throwaway virtualenv), git
# and cargo. The hooks are defined by this checkout's HEAD, and the `language: rust` ones built
# from it, so commit first; `trailcheck-system` runs this work tree's release build
# (in CARGO_TARGET_DIR when set), which stands for an installed trailcheck.
# Usage: scripts/try-pre-commit.sh
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$checkout" rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"

fail() {
  echo "FAIL ($hook): $*" >&2
  exit 1
}

# Commits with the hook installed; succeeds when the commit lands.
commit() {
  git add -A
  git commit --quiet -m "$1" >"$work/hook.log" 2>&1
}

trail() { # trail.yaml with IsLogging $1, selecting the data events of my-bucket
  cat <<TEMPLATE
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: $1
      IsMultiRegionTrail: true
      S3BucketName: audit-logs
      EventSelectors:
        - ReadWriteType: All
          IncludeManagementEvents: true
          DataResources:
            - Type: AWS::S3::Object
              Values: [arn:aws:s3:::my-bucket/]
TEMPLATE
}

rule() { # a template with one rule on GetObject of bucket $2, named $1
  cat <<TEMPLATE
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  $1:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [GetObject]
          requestParameters:
            bucketName: [$2]
TEMPLATE
}

try_hook() {
  hook=$1
  repo="$work/repo-$hook"
  mkdir -p "$repo/app" "$repo/platform" "$repo/legacy"
  cd "$repo"
  git init --quiet .
  git config user.email "hook@example.com"
  git config user.name "hook test"
  cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: $hook
CONFIG
  # An old stack with a broken rule that the config excludes.
  printf 'exclude = ["legacy/**"]\n' > trailcheck.toml
  rule LegacyRule legacy-bucket > legacy/old.yaml
  trail true > platform/trail.yaml
  rule ReadsRule my-bucket > app/events.yaml
  pre-commit install --install-hooks >/dev/null
  commit "a rule and the trail that delivers it" || { cat "$work/hook.log"; fail "a delivered rule was refused"; }
  echo "ok ($hook): a delivered rule commits"

  # 1. A broken rule.
  rule OtherReadsRule other-bucket > app/other.yaml
  commit "a rule on a bucket no trail logs" && fail "a rule no trail delivers was committed"
  grep -q TC103 "$work/hook.log" || { cat "$work/hook.log"; fail "no TC103 for the broken rule"; }
  git reset --quiet --hard && git clean --quiet -fd
  echo "ok ($hook): a rule no trail delivers is refused"

  # 2. The trail switched off, in a file of its own.
  trail false > platform/trail.yaml
  commit "switch the trail off" && fail "switching the trail off was committed"
  grep -q TC102 "$work/hook.log" || { cat "$work/hook.log"; fail "no TC102 for the switched-off trail"; }
  git reset --quiet --hard
  echo "ok ($hook): switching the trail off is refused"

  # 3. The trail's file deleted: nothing staged names the rule, so only the whole-repository
  # hook sees it.
  if [ "$hook" != trailcheck-staged ]; then
    git rm --quiet platform/trail.yaml
    commit "delete the trail" && fail "deleting the trail was committed"
    grep -q TC101 "$work/hook.log" || { cat "$work/hook.log"; fail "no TC101 once the trail is gone"; }
    git reset --quiet --hard
    echo "ok ($hook): deleting the trail is refused"
  fi

  # 4. A fix: the legacy stack is touched too, and stays excluded even when staged.
  rule ReadsRule my-bucket > app/events.yaml
  printf '# touched\n' >> legacy/old.yaml
  printf '# touched\n' >> app/events.yaml
  commit "touch the rule and the excluded stack" || { cat "$work/hook.log"; fail "a sound commit was refused"; }
  echo "ok ($hook): a sound commit passes, the excluded stack staged with it"
  cd "$work"
}

try_hook trailcheck
try_hook trailcheck-staged

# An installed trailcheck: this work tree's release build, alone in a folder put on PATH.
cargo build --quiet --release --locked --manifest-path "$checkout/Cargo.toml"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$checkout/Cargo.toml" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
mkdir "$work/bin"
ln -s "$target_dir/release/trailcheck" "$work/bin/trailcheck"
PATH="$work/bin:$PATH" try_hook trailcheck-system

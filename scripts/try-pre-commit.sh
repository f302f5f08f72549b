#!/usr/bin/env bash
# Tries the pre-commit hook as a new user would: a fresh git repository whose
# .pre-commit-config.yaml points at this checkout. The hook must fail on the S3 GetObject trap
# (a rule and no trail logging the bucket) and pass once the trail selects the bucket.
#
# Needs python3 with pip (pre-commit is installed from PyPI into a throwaway virtualenv), git
# and cargo. Usage: scripts/try-pre-commit.sh
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$checkout" rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"

repo="$work/repo"
mkdir -p "$repo/app" "$repo/platform"
cd "$repo"
git init --quiet .
git config user.email "hook@example.com"
git config user.name "hook test"
cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: trailcheck
CONFIG
cp "$checkout/examples/platform/trail.yaml" platform/trail.yaml
cat > app/events.yaml <<'TEMPLATE'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
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
TEMPLATE
git add -A

if pre-commit run --all-files; then
  echo "FAIL: the hook passed on a rule whose events no trail logs" >&2
  exit 1
fi
echo "ok: the hook fails on the trap"

cat > platform/trail.yaml <<'TEMPLATE'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
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
TEMPLATE
git add -A
pre-commit run --all-files
echo "ok: the hook passes once the trail selects the bucket"

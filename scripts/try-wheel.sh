#!/usr/bin/env bash
# Tries the Python wheel as a new user would: builds it from this checkout with maturin in a
# throwaway virtualenv, installs it in a second, fresh one (nothing compiles there: the wheel
# holds the binary), and runs the `trailcheck` that the install put on the venv's PATH:
#
#   1. `trailcheck --version` prints Cargo.toml's version;
#   2. `trailcheck check examples` exits 1 and reports TC103 (the bundled rules are broken);
#   3. `trailcheck check examples/platform` (the trail alone) exits 0.
#
# Needs python3 with venv (maturin is installed from PyPI) and cargo. The wheel is built from the
# work tree as it is, in CARGO_TARGET_DIR when set, else in target/.
# Usage: scripts/try-wheel.sh
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL (wheel): $*" >&2
  exit 1
}

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$checkout/Cargo.toml" | head -n 1)
[ -n "$version" ] || fail "no version in Cargo.toml"

python3 -m venv "$work/build"
"$work/build/bin/pip" install --quiet maturin
(cd "$checkout" && "$work/build/bin/maturin" build --release --locked -o "$work/dist") \
  || fail "maturin could not build the wheel"
wheels=("$work"/dist/trailcheck-"$version"-*.whl)
[ -f "${wheels[0]}" ] || fail "no trailcheck-$version wheel in: $(ls "$work/dist")"
[ "${#wheels[@]}" = 1 ] || fail "more than one wheel built: ${wheels[*]}"
echo "ok (wheel): built $(basename "${wheels[0]}")"

# The install venv gets the wheel alone: no index, so no sdist and no compiler can stand in.
python3 -m venv "$work/user"
"$work/user/bin/pip" install --quiet --no-index --no-deps "${wheels[0]}" \
  || fail "pip could not install the wheel"
bin="$work/user/bin/trailcheck"
[ -x "$bin" ] || fail "the wheel put no trailcheck in the venv's bin/"

out=$("$bin" --version) || fail "trailcheck --version failed"
[ "$out" = "trailcheck $version" ] || fail "trailcheck --version printed '$out', not 'trailcheck $version'"
echo "ok (wheel): trailcheck --version prints $version"

cd "$checkout"
set +e
"$bin" check --color never examples >"$work/examples.log" 2>&1
code=$?
set -e
[ "$code" = 1 ] || { cat "$work/examples.log" >&2; fail "check examples exited $code, not 1"; }
grep -q TC103 "$work/examples.log" || { cat "$work/examples.log" >&2; fail "check examples printed no TC103"; }
echo "ok (wheel): check examples exits 1 with TC103"

"$bin" check --color never examples/platform >"$work/platform.log" 2>&1 \
  || { cat "$work/platform.log" >&2; fail "check examples/platform did not exit 0"; }
echo "ok (wheel): check examples/platform exits 0"

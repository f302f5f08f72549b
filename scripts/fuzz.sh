#!/usr/bin/env bash
# Runs one cargo-fuzz target for a bounded time, with optimisations, from a seed corpus.
#
#   scripts/fuzz.sh TARGET SECONDS [EXTRA LIBFUZZER FLAGS...]
#   scripts/fuzz.sh ingest 180
#
# TARGET is a [[bin]] of fuzz/Cargo.toml (pattern, documents, ingest, yaml, config, hcl). The first
# run of a target seeds fuzz/corpus/TARGET from the repository's own inputs (templates and plans
# under testdata/ and examples/, plus ../shared/corpus when it is checked out beside the
# repository; the patterns and events of testdata/test-pattern/; the configs of testdata/);
# `yaml` writes its documents from the fuzzer's choices and starts from nothing. Later runs
# continue from what the fuzzer kept there. A crash is saved under fuzz/artifacts/TARGET/ and
# makes this script exit non-zero; replay it with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-...
#
# Needs a nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`).
set -euo pipefail

usage() {
    echo "usage: $0 TARGET SECONDS [LIBFUZZER FLAGS...]" >&2
    echo "targets: $(targets | tr '\n' ' ')" >&2
    exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
targets() { sed -n 's/^name = "\(.*\)"$/\1/p' "$root/fuzz/Cargo.toml" | grep -v '^trailcheck-fuzz$'; }

[[ $# -ge 2 ]] || usage
target=$1
seconds=$2
shift 2
targets | grep -qx -- "$target" || usage
[[ $seconds =~ ^[0-9]+$ ]] || usage

corpus="$root/fuzz/corpus/$target"
if [[ ! -d $corpus ]]; then
    mkdir -p "$corpus"
    case $target in
        pattern)
            # Patterns alone, and each pattern followed by NUL and an event.
            for pattern in "$root"/testdata/test-pattern/*pattern*.json; do
                [[ -f $pattern ]] || continue
                cp "$pattern" "$corpus/$(basename "$pattern")"
                for event in "$root"/testdata/test-pattern/*event*.json; do
                    [[ -f $event ]] || continue
                    { cat "$pattern"; printf '\0'; cat "$event"; } \
                        >"$corpus/$(basename "$pattern" .json)+$(basename "$event")"
                done
            done
            ;;
        config)
            find "$root/testdata" -type f -name 'trailcheck.toml' -print0 |
                while IFS= read -r -d '' file; do
                    cp "$file" "$corpus/$(sha1sum "$file" | cut -c1-40)"
                done
            ;;
        yaml) ;;
        hcl)
            # Every Terraform module of the tests: its files joined as the target cuts them.
            find "$root/testdata" -type f \( -name '*.tf' -o -name '*.tfvars' \) -print0 |
                while IFS= read -r -d '' file; do
                    cp "$file" "$corpus/$(sha1sum "$file" | cut -c1-40)"
                done
            ;;
        *)
            # Every template and plan the tests use, and the public corpus beside the
            # repository when it is there, small enough for -max_len.
            sources=("$root/testdata" "$root/examples")
            [[ -d $root/../shared/corpus ]] && sources+=("$root/../shared/corpus")
            find "${sources[@]}" -type f \
                \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' -o -name '*.template' \) \
                -size -64k -print0 |
                while IFS= read -r -d '' file; do
                    # Named by content, as libFuzzer names what it keeps (paths can be
                    # longer than a file name may be).
                    cp "$file" "$corpus/$(sha1sum "$file" | cut -c1-40)"
                done
            ;;
    esac
fi

case $target in
    pattern) max_len=8192 ;;
    yaml) max_len=1024 ;;
    *) max_len=65536 ;;
esac

cd "$root"
# -timeout: an input that takes over 10 s is a hang, reported like a crash.
exec cargo +nightly fuzz run -O "$target" "$corpus" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 "$@"

#!/usr/bin/env bash
# Benchmarks reading large HAR files: our streaming reader against `jq '.log.entries|length'`
# on the same files, with wall time, throughput and peak RSS, printed as a table.
#
# usage: scripts/bench-har.sh [--reader "COMMAND"] [--sizes "256 1024"] [--runs N] [--dir DIR]
#
#   --reader  the command to time; the HAR path is appended. Default: builds this crate with
#             `cargo build --release` and runs `target/release/miro-oauth doctor --format json`.
#             Any binary that reads a HAR file whole works (e.g. a scratch driver of read_har).
#   --sizes   file sizes in MiB, generated with ../shared/bench/gen-har.py (default "256 1024")
#   --runs    runs per measurement; the fastest is reported (default 3; jq runs once)
#   --dir     where the generated files live, reused when present
#             (default $TMPDIR/miro-oauth-har-bench)
#
# Targets (issue #3): >= 1 GB/s, >= 10x jq, peak RSS <= 64 MB at 256 MB and 1 GB.
# The machine is shared: the load average is printed, since it moves wall times.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
gen="$here/../shared/bench/gen-har.py"
reader=""
sizes="256 1024"
runs=3
dir="${TMPDIR:-/tmp}/miro-oauth-har-bench"

while [ $# -gt 0 ]; do
    case "$1" in
        --reader) reader="$2"; custom_reader=1; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --dir) dir="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

need() {
    # $1: command, $2: apt package providing it
    if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
        echo "installing $2 ..." >&2
        apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null
    fi
}
need jq jq
need /usr/bin/time time
need python3 python3
[ -f "$gen" ] || { echo "generator not found: $gen" >&2; exit 2; }

if [ -z "$reader" ]; then
    (cd "$here" && cargo build --release --quiet)
    reader="$here/target/release/miro-oauth doctor --format json"
fi

mkdir -p "$dir"

# Runs "$@" under /usr/bin/time -v; prints "seconds rss_kb exit_code".
measure() {
    local log
    log="$(mktemp)"
    local start end
    set +e
    # Wall time measured here (ns clock): /usr/bin/time only reports it to 10 ms.
    start=$(date +%s%N)
    /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$log.err"
    local code=$?
    end=$(date +%s%N)
    set -e
    python3 - "$log" "$code" "$start" "$end" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
secs = (int(sys.argv[4]) - int(sys.argv[3])) / 1e9
rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)
print(f"{secs:.4f} {rss} {sys.argv[2]}")
EOF
    if [ "$code" -ge 2 ]; then
        echo "warning: '$*' exited with $code:" >&2
        head -c 600 "$log.err" >&2 || true
    fi
    rm -f "$log" "$log.err"
}

# The fastest of N runs: "seconds rss_kb exit_code".
best_of() {
    local n="$1"; shift
    local best=""
    for _ in $(seq "$n"); do
        local r
        r="$(measure "$@")"
        if [ -z "$best" ] || awk -v a="${r%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then
            best="$r"
        fi
    done
    echo "$best"
}

rows=()
for mb in $sizes; do
    file="$dir/bench-$mb.har"
    if [ ! -s "$file" ]; then
        echo "generating $file ..." >&2
        python3 "$gen" "$file" --mb "$mb" 2>/dev/null
    fi
    bytes=$(stat -c %s "$file")
    cat "$file" >/dev/null # warm the page cache: measure parsing, not the disk
    echo "measuring $mb MiB ..." >&2
    # shellcheck disable=SC2086 # the reader is a command line
    ours="$(best_of "$runs" $reader "$file")"
    theirs="$(measure jq '.log.entries|length' "$file")"
    rows+=("$mb $bytes $ours $theirs")
done

echo
echo "reader: $reader"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; best of $runs runs (jq: 1)"
echo
printf '| %-8s | %-9s | %-10s | %-9s | %-8s | %-8s | %-9s |\n' \
    size "our time" "our MiB/s" "jq time" speedup "our RSS" "jq RSS"
printf '|%s|\n' "----------|-----------|------------|-----------|----------|----------|-----------"
for row in "${rows[@]}"; do
    # shellcheck disable=SC2086
    set -- $row
    awk -v mb="$1" -v bytes="$2" -v t="$3" -v rss="$4" -v jt="$6" -v jrss="$7" 'BEGIN {
        printf "| %-8s | %-9s | %-10s | %-9s | %-8s | %-8s | %-9s |\n",
            mb " MiB", sprintf("%.3f s", t), sprintf("%.0f", bytes / 1048576 / t),
            sprintf("%.2f s", jt), sprintf("%.1fx", jt / t),
            sprintf("%.1f MB", rss / 1024), sprintf("%.0f MB", jrss / 1024)
    }'
done

# The generator buries three faults in each file; a fast reader that misses them is no use.
if [ -z "${custom_reader:-}" ]; then
    echo
    for mb in $sizes; do
        file="$dir/bench-$mb.har"
        "$here/target/release/miro-oauth" doctor --format json "$file" | python3 -c '
import json, sys
report = json.load(sys.stdin)
errors = sorted(f["rule"] for f in report["findings"] if f["severity"] == "error")
want = ["access-token-superseded", "code-expired", "scope-insufficient"]
ok = errors == want
verdict = "the three buried faults, nothing else" if ok else "MISMATCH, expected " + str(want)
print(sys.argv[1], "MiB: error findings", errors, "->", verdict)
sys.exit(0 if ok else 1)
' "$mb"
    done
fi

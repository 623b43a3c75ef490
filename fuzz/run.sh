#!/usr/bin/env bash
# Run fuzz targets one after another and report whether coverage plateaued.
#
#   fuzz/run.sh SECONDS TARGET...        e.g. fuzz/run.sh 900 curl http url config
#
# Each target starts from the committed seeds (corpus/<t>) plus what earlier runs found
# (corpus-run/<t>, git-ignored), with ASan, -timeout=10 and -rss_limit_mb=2048. The libFuzzer
# log goes to logs/<t>.log. The summary line per target gives executions, final coverage
# (`cov`, covered edges) and features (`ft`), coverage at 50 % and 90 % of the run time, and
# the time of the last new edge. Exit status is non-zero if any target crashed.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:?usage: run.sh SECONDS TARGET...}
shift
export RUSTC_BOOTSTRAP=1
for t in "$@"; do
    cargo fuzz build -O "$t" >/dev/null 2>logs/build.log || { cat logs/build.log; exit 2; }
done
status=0
for t in "$@"; do
    mkdir -p "corpus-run/$t" "artifacts/$t" logs
    start=$(date +%s)
    cargo fuzz run -O "$t" "corpus-run/$t" "corpus/$t" -- \
        -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
        >"logs/$t.log" 2>&1
    rc=$?
    [ $rc -ne 0 ] && status=1
    # libFuzzer prints "#<execs> <event> cov: N ft: N ... exec/s: N ..." lines; the elapsed
    # time is not printed, so 50 %/90 % are taken over the execution count.
    python3 - "$t" "$rc" "$(( $(date +%s) - start ))" "logs/$t.log" <<'EOF'
import re, sys
t, rc, secs, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows, fuzz_secs = [], None
for line in open(path, errors="replace"):
    d = re.match(r"Done (\d+) runs in (\d+) second", line)
    if d:
        fuzz_secs = int(d[2])
    m = re.match(r"#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+).*?rss: (\d+)Mb", line)
    if m:
        rows.append((int(m[1]), m[2], int(m[3]), int(m[4]), int(m[5])))
if not rows:
    print(f"{t}: no stats (exit {rc}); see {path}")
    sys.exit()
last = rows[-1][0]
def cov_at(frac):
    c = rows[0][2]
    for e, _, cov, _, _ in rows:
        if e <= last * frac:
            c = cov
    return c
inited = next((r[2] for r in rows if r[1] == "INITED"), rows[0][2])
last_new = max((e for e, _, cov, _, _ in rows if cov > (rows[0][2])), default=0)
prev, last_edge = None, 0
for e, _, cov, _, _ in rows:
    if prev is not None and cov > prev:
        last_edge = e
    prev = cov
crash = "CRASH" if rc != 0 else "clean"
# libFuzzer's own fuzzing time when it finished; else the wall time (build included).
secs = fuzz_secs or secs
print(f"{t}: {crash} {secs}s execs={last:,} ({last // max(secs, 1):,}/s) cov {inited:,} -> "
      f"{rows[-1][2]:,} (50%: {cov_at(0.5):,}, 90%: {cov_at(0.9):,}) ft={rows[-1][3]:,} "
      f"last-new-edge@exec {last_edge:,} ({100 * last_edge // last}%) peak-rss={max(r[4] for r in rows)}MB")
EOF
done
exit $status

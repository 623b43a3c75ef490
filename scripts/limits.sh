#!/usr/bin/env bash
# The hostile-size limits of issue #6, measured on the release binary: a 2 GiB HAR, a 100 MB
# single-line curl command, JSON nested 10^6 deep, a 1 GiB base64 body. For each input and
# command: exit code, wall time, peak RSS and the first line of stderr. Every run must end
# with exit 0, 1 or 2 (a result or a clear error), never a signal; the script exits 1 if one
# does not.
#
# usage: scripts/limits.sh [--dir DIR] [--only NAME]
#   --dir   where the generated inputs live, reused when present
#           (default $TMPDIR/miro-oauth-limits; about 4.3 GB of disk)
#   --only  run only the inputs whose name contains NAME
set -uo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${TMPDIR:-/tmp}/miro-oauth-limits"
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) dir="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
(cd "$here" && cargo build --release --quiet) || exit 2
bin="$here/target/release/miro-oauth"
mkdir -p "$dir"

# Inputs (generated once).
[ -f "$dir/session-2g.har" ] || python3 "$here/../shared/bench/gen-har.py" --mb 2048 "$dir/session-2g.har" >/dev/null
python3 - "$dir" <<'EOF'
import base64, os, sys
d = sys.argv[1]
def once(name, write):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        with open(p, "w") as f:
            write(f)
MB = 1 << 20
# 100 MB single-line curl: a code exchange whose code is 100 MB.
once("code-100mb.sh", lambda f: (f.write("curl -X POST https://api.miro.com/v1/oauth/token -d grant_type=authorization_code -d client_id=3458764512345678901 -d client_secret=Xk2mP9qLr4TbW7nZc1VfH8sJ3dGy6aE0 -d redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb -d code="), f.write("A" * (100 * MB)), f.write("\n")))
# JSON nested 10^6 deep: inside a kept entry, a skipped entry, a response body, never closed,
# and as a curl JSON body.
def entry(url, extra=""):
    return ('{"startedDateTime":"2026-03-02T09:00:00.000Z","request":{"method":"POST","url":"%s",'
            '"headers":[]%s},"response":{"status":200,"headers":[],"content":{"text":"{}"}}}' % (url, extra))
N = 10 ** 6
def nested_har(where):
    def w(f):
        f.write('{"log":{"version":"1.2","entries":[')
        if where == "kept":
            f.write(entry("https://api.miro.com/v1/oauth/token", ',"_deep":' + "[" * N + "]" * N))
        elif where == "skipped":
            f.write(entry("https://cdn.example.com/app.js", ',"_deep":' + "[" * N + "]" * N))
        elif where == "body":
            body = '{"a":' * N + "1" + "}" * N
            f.write(entry("https://api.miro.com/v1/oauth/token").replace('"text":"{}"', '"text":"' + body.replace('"', '\\"') + '"'))
        elif where == "unclosed":
            f.write("[" * N)
        f.write("]}}\n" if where != "unclosed" else "")
    return w
for where in ["kept", "skipped", "body", "unclosed"]:
    once(f"nested-1e6-{where}.har", nested_har(where))
once("nested-1e6-json-body.sh", lambda f: f.write("curl https://api.miro.com/v2/boards -H 'Authorization: Bearer eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tWq2Lx9ZpB4cYm7HdJ0sFa' -H 'Content-Type: application/json' -d '" + "[" * N + "]" * N + "'\n"))
# 1 GiB base64 response body, on an entry the doctor skips and on the token endpoint.
def b64_har(url):
    def w(f):
        f.write('{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-03-02T09:00:00.000Z","request":{"method":"GET","url":"%s","headers":[]},"response":{"status":200,"headers":[],"content":{"encoding":"base64","text":"' % url)
        chunk = base64.b64encode(os.urandom(3 * MB)).decode()
        for _ in range(256):  # 256 x 4 MiB of base64 = 1 GiB
            f.write(chunk)
        f.write('"}}}]}}\n')
    return w
once("base64-1g-skipped.har", b64_har("https://cdn.example.com/video.mp4"))
once("base64-1g-token.har", b64_har("https://api.miro.com/v1/oauth/token"))
EOF

status=0
printf '%-26s %-8s %6s %5s %9s %10s  %s\n' input command size exit wall_s peak_rss "stderr (first line)"
for f in "$dir"/*; do
    name="$(basename "$f")"
    case "$name" in *"$only"*) ;; *) continue ;; esac
    size="$(du -h "$f" | cut -f1)"
    for cmd in doctor redact; do
        log="$(mktemp)"; err="$(mktemp)"
        /usr/bin/time -v -o "$log" "$bin" "$cmd" "$f" $( [ "$cmd" = redact ] && echo "-o /dev/null" ) >/dev/null 2>"$err"
        code=$?
        wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")"
        rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.1f MB", $2/1024}' "$log")"
        signal="$(grep -o 'Command terminated by signal [0-9]*' "$log")"
        first="$(grep -v '^$' "$err" | head -1 | cut -c1-150)"
        [ -n "$signal" ] && { first="$signal"; status=1; }
        case "$code" in 0|1|2) ;; *) status=1 ;; esac
        grep -q "panicked" "$err" && status=1
        printf '%-26s %-8s %6s %5s %9s %10s  %s\n' "$name" "$cmd" "$size" "$code" "$wall" "$rss" "$first"
        rm -f "$log" "$err"
    done
done
exit $status

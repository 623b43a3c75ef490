#!/usr/bin/env bash
# Benchmark of `miro-oauth check --scan DIR` against ripgrep on the same tree.
#
# Generates a tree of FILES files (default 100 000) of mixed languages in a temp dir —
# JS/TS/Python/Go/Java/Ruby sources, Markdown, JSON, plain text, in nested directories — with
# MIRO_FILES of them (default 300) calling Miro's REST API, builds the release binary, and
# times `miro-oauth check --scan DIR` and `rg -c api.miro.com DIR` on it, each warmed up once
# and then run RUNS times (default 5); the best run of each is compared. Target: the scan
# within 2x of ripgrep.
#
# Usage: scripts/bench-scan.sh [--keep]        (--keep leaves the generated tree in place)
# Env:   FILES=100000 MIRO_FILES=300 RUNS=5 BENCH_DIR=/tmp/…
set -euo pipefail

FILES=${FILES:-100000}
MIRO_FILES=${MIRO_FILES:-300}
RUNS=${RUNS:-5}
KEEP=0
[[ "${1:-}" == "--keep" ]] && KEEP=1

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v rg >/dev/null 2>&1; then
    echo "ripgrep (rg) is missing: install it, e.g. apt-get update && apt-get install -y ripgrep" >&2
    exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 is needed to generate the tree" >&2
    exit 2
fi

DIR=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/miro-oauth-bench.XXXXXX")}
cleanup() { [[ $KEEP == 1 ]] || rm -rf "$DIR"; }
trap cleanup EXIT

echo "generating $FILES files ($MIRO_FILES with Miro calls) in $DIR"
python3 - "$DIR" "$FILES" "$MIRO_FILES" <<'PY'
import os, random, sys

root, total, miro = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(42)
filler = {
    "js": "export function f{i}(a, b) {{\n  const x = a.map((v) => v * {i});\n  return fetch(`https://example.com/api/{i}?q=${{b}}`).then((r) => r.json());\n}}\n",
    "ts": "interface T{i} {{ id: number; name: string }}\nexport const g{i} = async (t: T{i}): Promise<string> => `${{t.name}}-{i}`;\n",
    "py": "import json\n\n\ndef h{i}(data):\n    \"\"\"Transform record {i}.\"\"\"\n    return json.dumps({{\"id\": {i}, \"items\": [d for d in data if d]}})\n",
    "go": "package p{i}\n\nimport \"fmt\"\n\nfunc F{i}(s string) string {{\n\treturn fmt.Sprintf(\"%s-{i}\", s)\n}}\n",
    "java": "package p;\n\npublic class C{i} {{\n    public int value() {{ return {i}; }}\n}}\n",
    "rb": "class K{i}\n  def call(x)\n    x.to_s + '{i}'\n  end\nend\n",
    "md": "# Note {i}\n\nSome documentation text about module {i}, nothing to see here.\n",
    "json": "{{\"id\": {i}, \"name\": \"item-{i}\", \"tags\": [\"a\", \"b\"]}}\n",
    "txt": "plain text file {i}\n",
}
calls = {
    "js": "export async function add{i}(token, boardId) {{\n  return fetch(`https://api.miro.com/v2/boards/${{boardId}}/sticky_notes`, {{\n    method: 'POST',\n    headers: {{ Authorization: `Bearer ${{token}}` }},\n  }});\n}}\n",
    "ts": "const MIRO_API_{i} = 'https://api.miro.com/v2'\nexport const items{i} = (id: string) => fetch(`${{MIRO_API_{i}}}/boards/${{id}}/items`)\n",
    "py": "import requests\n\n\ndef board{i}(token, board_id):\n    return requests.get(f\"https://api.miro.com/v2/boards/{{board_id}}\", headers={{\"Authorization\": token}})\n",
}
exts = ["js", "ts", "py", "go", "java", "rb", "md", "json", "txt"]
weights = [22, 18, 18, 10, 10, 6, 8, 5, 3]
miro_at = set(rng.sample(range(total), miro))
for i in range(total):
    d = os.path.join(root, f"pkg{i % 97}", f"mod{i % 31}", f"sub{i % 7}")
    os.makedirs(d, exist_ok=True)
    if i in miro_at:
        ext = rng.choice(["js", "ts", "py"])
        body = calls[ext].format(i=i) + filler[ext].format(i=i) * rng.randint(1, 20)
    else:
        ext = rng.choices(exts, weights)[0]
        body = filler[ext].format(i=i) * rng.randint(1, 40)
    with open(os.path.join(d, f"file{i}.{ext}"), "w") as f:
        f.write(body)
with open(os.path.join(root, "miro-oauth.toml"), "w") as f:
    f.write('[app]\nclient_id = "3458764512345678901"\nredirect_uris = ["https://app.example.com/cb"]\nscopes = ["boards:read"]\n')
PY
du -sh "$DIR" | sed 's/^/tree size: /'

echo "building the release binary"
(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/miro-oauth"

# Best wall-clock time of RUNS runs, in seconds, after one warm-up run.
best() {
    local best="" t0 t1 t
    "$@" >/dev/null 2>&1 || true
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        t=$(awk -v a="$t1" -v b="$t0" 'BEGIN { print a - b }')
        if [[ -z "$best" ]] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
    done
    printf '%.3f' "$best"
}

CALLS=$("$BIN" check --config "$DIR/miro-oauth.toml" --scan "$DIR" --format json 2>/dev/null |
    python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin)["findings"] if f["rule"]=="scope-missing-for-code"))' || true)
HITS=$(rg -l api.miro.com "$DIR" | wc -l)
echo "files with api.miro.com (rg -l): $HITS; scope-missing-for-code findings: $CALLS"

T_CHECK=$(best "$BIN" check --config "$DIR/miro-oauth.toml" --scan "$DIR" --format json)
T_RG=$(best rg -c api.miro.com "$DIR")
RATIO=$(awk -v a="$T_CHECK" -v b="$T_RG" 'BEGIN { print a / b }')
printf 'miro-oauth check --scan: %ss (best of %s)\n' "$T_CHECK" "$RUNS"
printf 'rg -c api.miro.com:      %ss (best of %s)\n' "$T_RG" "$RUNS"
printf 'ratio: %.2fx (target: within 2x)\n' "$RATIO"

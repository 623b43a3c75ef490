#!/usr/bin/env python3
"""Runs the release binary over every input of the fuzz corpora (fuzz/corpus and the
git-ignored fuzz/corpus-run that `fuzz/run.sh` fills): the fuzz targets call the library,
this drives the real command line (argument handling, file opening, rendering to a pipe,
error masking in main). Each input goes through `doctor` (human, colour on), `doctor
--format sarif` and `redact`; config inputs through `check --config`. An outcome other than
exit 0/1/2, a signal, a timeout, "panicked" on stderr, or an exit 2 without a
`miro-oauth: error:` message is a failure.

    cargo build --release && scripts/sweep-corpora.py [--jobs N] [--timeout S] [TARGET...]
"""
import argparse, concurrent.futures as cf, os, pathlib, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = ROOT / "target/release/miro-oauth"
CONFIG = ROOT / "fixtures/inputs/miro-oauth.toml"

def commands(target, path):
    if target == "config":
        return [["check", "--config", str(path), "--now", "2026-11-20T10:00:00Z"]]
    return [
        ["doctor", "--color", "always", str(path)],
        ["doctor", "--format", "sarif", "--config", str(CONFIG), str(path)],
        ["redact", "--key", "sweep", str(path)],
    ]

def run(args, timeout, cwd):
    t = time.monotonic()
    try:
        p = subprocess.run([str(BIN), *args], capture_output=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - t, b""
    err = p.stderr
    bad = None
    if p.returncode < 0:
        bad = f"signal {-p.returncode}"
    elif p.returncode not in (0, 1, 2):
        bad = f"exit {p.returncode}"
    elif b"panicked" in err:
        bad = "panic"
    elif p.returncode == 2 and b"miro-oauth: error:" not in err and b"error:" not in err:
        bad = "exit 2 without a message"
    return bad, time.monotonic() - t, err

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("targets", nargs="*", default=["curl", "http", "url", "har", "doctor", "redact", "config"])
    a = ap.parse_args()
    if not BIN.exists():
        sys.exit(f"{BIN}: not built; run cargo build --release")
    jobs = []
    for t in a.targets:
        for d in ("corpus", "corpus-run"):
            base = ROOT / "fuzz" / d / t
            if base.is_dir():
                jobs += [(t, p, c) for p in sorted(base.iterdir()) if p.is_file() for c in commands(t, p)]
    cwd = tempfile.mkdtemp(prefix="sweep-")  # no miro-oauth.toml found by accident
    start = time.monotonic()
    failures, slowest, n = [], (0.0, None), 0
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        for (t, p, c), (bad, secs, err) in zip(jobs, ex.map(lambda j: run(j[2], a.timeout, cwd), jobs)):
            n += 1
            if secs > slowest[0]:
                slowest = (secs, (t, p.name, c[0]))
            if bad:
                failures.append((bad, t, p, c, err[-300:]))
                print(f"FAIL {bad}: {' '.join(c)}\n  {err[-300:].decode(errors='replace')}", flush=True)
            if n % 5000 == 0:
                print(f"... {n}/{len(jobs)} runs, {len(failures)} failing, {time.monotonic() - start:.0f}s", flush=True)
    print(f"sweep: {n} runs over {len(set(p for _, p, _ in jobs))} inputs, {len(failures)} failing, "
          f"{time.monotonic() - start:.0f}s; slowest {slowest[0]:.2f}s ({slowest[1]})")
    sys.exit(1 if failures else 0)

if __name__ == "__main__":
    main()

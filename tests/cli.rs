//! The command-line contract (spec/cli.md): help texts, `rules`, `explain`, exit codes 0/1/2,
//! error messages for bad input that name the input, the position and what was expected,
//! colour control, stdin, and secrets masked unless `--show-secrets`.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_miro-oauth"));
    // A config in a parent of the temp dir or the env must not leak into these runs.
    c.env_remove("MIRO_OAUTH_CONFIG")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(std::env::temp_dir());
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run miro-oauth")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn input(name: &str) -> String {
    common::root()
        .join("fixtures/inputs")
        .join(name)
        .display()
        .to_string()
}

/// Writes `bytes` to a temp file and returns its path (kept alive by the returned guard).
fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    let s = p.display().to_string();
    (dir, s)
}

#[test]
fn help_teaches() {
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("help", stdout(&o));
    let o = run(&["doctor", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("doctor_help", stdout(&o));
}

#[test]
fn rules_lists_every_rule() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for r in miro_oauth::rules::all() {
        assert!(text.contains(r.id), "rules output lacks {}", r.id);
    }
    let o = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), miro_oauth::rules::all().len());
    assert_eq!(v[0]["id"], miro_oauth::rules::all()[0].id);
}

#[test]
fn explain_prints_the_rule_docs() {
    let o = run(&["explain", "state-missing"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("state-missing (authorize, default severity warning)"));
    assert!(text.contains("## Why is this bad?"));
    let o = run(&["explain", "state-misssing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `state-missing`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn exit_codes_clean_warning_error() {
    // clean: exit 0
    let o = run(&[
        "doctor",
        "https://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=abc123",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // a warning only: still exit 0
    let o = run(&[
        "doctor",
        "https://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("warning[state-missing]"));
    // an error: exit 1
    let o = run(&[
        "doctor",
        "https://app.example.com/cb?error=access_denied&state=abc123",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn stdin_and_json() {
    let o = run_stdin(
        &["doctor", "-", "--format", "json"],
        b"https://app.example.com/cb?error=access_denied&state=abc123\n",
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["inputs"][0]["source"], "-");
    assert_eq!(v["inputs"][0]["kind"], "url");
    assert_eq!(v["findings"][0]["rule"], "authorization-denied");
    assert_eq!(v["summary"]["errors"], 1);
}

/// A HAR on stdin is spooled and streamed like a file: same report (named `-`), and a
/// truncated one is placed by line and column like a file.
#[test]
fn stdin_har_reads_like_a_file() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/code-reused/backend-retry-har.har"
    );
    let har = std::fs::read(path).unwrap();
    let from_file = run(&["doctor", "--format", "json", path]);
    let from_stdin = run_stdin(&["doctor", "--format", "json", "-"], &har);
    assert_eq!(from_stdin.status.code(), from_file.status.code());
    let a: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&from_stdin.stdout).unwrap();
    assert_eq!(b["inputs"][0]["source"], "-");
    assert_eq!(b["inputs"][0]["kind"], "har");
    assert_eq!(
        a["findings"].as_array().unwrap().len(),
        b["findings"].as_array().unwrap().len()
    );
    assert_eq!(a["findings"][0]["rule"], b["findings"][0]["rule"]);
    let cut = run_stdin(&["doctor", "-"], &har[..har.len() / 2]);
    assert_eq!(cut.status.code(), Some(2));
    let err = String::from_utf8_lossy(&cut.stderr);
    assert!(err.starts_with("miro-oauth: error: -:"), "{err}");
    assert!(err.contains("unexpected end of file"), "{err}");
    // `redact -` streams it too, and masks the same secrets as from the file.
    let from_file = run(&["redact", "--key", "k", path]);
    let from_stdin = run_stdin(&["redact", "--key", "k", "-"], &har);
    assert_eq!(from_stdin.status.code(), Some(0));
    assert_eq!(from_stdin.stdout, from_file.stdout);
    assert_ne!(from_stdin.stdout, har);
}

#[test]
fn color_only_when_asked() {
    let url = "https://app.example.com/cb?error=access_denied&state=abc123";
    let piped = run(&["doctor", url]);
    assert!(!stdout(&piped).contains('\u{1b}'), "colour when piped");
    let forced = run(&["doctor", "--color", "always", url]);
    assert!(
        stdout(&forced).contains('\u{1b}'),
        "no colour with --color always"
    );
    let env_forced = bin()
        .env("CLICOLOR_FORCE", "1")
        .args(["doctor", url])
        .output()
        .unwrap();
    assert!(
        stdout(&env_forced).contains('\u{1b}'),
        "CLICOLOR_FORCE ignored"
    );
    let no_color = bin()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["doctor", url])
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\u{1b}'), "NO_COLOR ignored");
}

/// Asserts exit code 2, no panic, and a message containing every fragment.
fn assert_exit2(o: &Output, fragments: &[&str]) {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "stderr: {err}\nstdout: {}",
        stdout(o)
    );
    assert!(!err.contains("panicked"), "panic: {err}");
    for f in fragments {
        assert!(err.contains(f), "stderr lacks `{f}`: {err}");
    }
}

#[test]
fn bad_input_empty() {
    let (_d, p) = temp_file("empty.txt", b"");
    assert_exit2(
        &run(&["doctor", &p]),
        &["empty.txt", "empty input", "expected a curl command"],
    );
}

#[test]
fn bad_input_binary() {
    let (_d, p) = temp_file("blob.bin", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    assert_exit2(
        &run(&["doctor", &p]),
        &["blob.bin:1:8", "binary data", "expected text"],
    );
}

#[test]
fn bad_input_invalid_utf8() {
    let (_d, p) = temp_file(
        "latin1.url",
        b"https://miro.com/oauth/authorize?state=caf\xe9\n",
    );
    assert_exit2(
        &run(&["doctor", &p]),
        &["latin1.url:1:43: invalid UTF-8 (byte 0xe9); expected UTF-8 text"],
    );
}

#[test]
fn bad_input_unterminated_quote() {
    let (_d, p) = temp_file(
        "token.sh",
        b"curl -X POST 'https://api.miro.com/v1/oauth/token' \\\n  -d 'grant_type=authorization_code\n",
    );
    assert_exit2(
        &run(&["doctor", &p]),
        &["token.sh:2:", "unterminated", "quote"],
    );
}

#[test]
fn bad_input_20mb_line() {
    let mut big = b"garbage ".to_vec();
    big.extend(std::iter::repeat_n(b'x', 20 * 1024 * 1024));
    let (_d, p) = temp_file("huge.txt", &big);
    assert_exit2(
        &run(&["doctor", &p]),
        &[
            "huge.txt",
            "unrecognised input starting `garbage",
            "expected a curl command",
        ],
    );
    // A 20 MB curl command with an unterminated quote: an error with its position, quickly.
    let mut big = b"curl https://api.miro.com/v1/oauth/token -d 'code=".to_vec();
    big.extend(std::iter::repeat_n(b'a', 20 * 1024 * 1024));
    let (_d2, p2) = temp_file("huge.sh", &big);
    assert_exit2(&run(&["doctor", &p2]), &["huge.sh:1:", "unterminated"]);
}

#[test]
fn bad_input_har_truncated() {
    let (_d, p) = temp_file(
        "cut.har",
        b"{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\": {\"method\": \"GET\"",
    );
    assert_exit2(
        &run(&["doctor", &p]),
        &[
            "cut.har:1:",
            "unexpected end of file inside log.entries[0]",
            "expected",
        ],
    );
}

#[test]
fn bad_input_missing_file_and_flags() {
    assert_exit2(
        &run(&["doctor", "no-such-file.sh"]),
        &["no-such-file.sh", "no such file"],
    );
    assert_exit2(
        &run(&[
            "doctor",
            "--now",
            "yesterday",
            "https://miro.com/oauth/authorize",
        ]),
        &["--now yesterday", "RFC 3339"],
    );
    assert_exit2(
        &run(&[
            "doctor",
            "--select",
            "no-such-rule",
            "https://miro.com/oauth/authorize",
        ]),
        &["--select no-such-rule: unknown rule;"],
    );
    assert_exit2(
        &run(&["doctor", "--format", "xml", "x"]),
        &["invalid value 'xml'"],
    );
    assert_exit2(&run(&["doctor"]), &["required"]);
}

#[test]
fn bad_config_typo() {
    let (d, cfg) = temp_file(
        "miro-oauth.toml",
        b"[app]\nclient_id = \"3458764512345678901\"\nredirect_uri = [\"https://app.example.com/cb\"]\n",
    );
    let o = bin()
        .current_dir(d.path())
        .args([
            "doctor",
            "https://miro.com/oauth/authorize?response_type=code",
        ])
        .output()
        .unwrap();
    assert_exit2(
        &o,
        &["miro-oauth.toml:3:1", "redirect_uri", "redirect_uris"],
    );
    let o = run(&[
        "doctor",
        "--config",
        &cfg,
        "https://miro.com/oauth/authorize",
    ]);
    assert_exit2(&o, &["miro-oauth.toml:3:1", "redirect_uris"]);
}

#[test]
fn secrets_masked_unless_asked() {
    // The finding's evidence quotes the Authorization header, which holds the token.
    let token = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tWq2Lx9ZpB4cYm7HdJ0sFa";
    let case = common::root().join("fixtures/auth-scheme-invalid/bearer-colon.http");
    let case = case.to_str().unwrap();
    for format in ["human", "json"] {
        let o = run(&["doctor", "--format", format, case]);
        assert_eq!(o.status.code(), Some(1));
        let out = stdout(&o) + &stderr(&o);
        assert!(
            !out.contains(&token[31..]),
            "{format} leaks the token:\n{out}"
        );
        if format == "json" {
            assert!(
                out.contains("[access_token len=59 #"),
                "{format} lacks the mask:\n{out}"
            );
        }
    }
    let o = run(&["doctor", "--format", "json", "--show-secrets", case]);
    assert!(
        stdout(&o).contains(token),
        "--show-secrets does not show: {}",
        stdout(&o)
    );
}

#[test]
fn several_inputs_are_one_flow() {
    let o = run(&[
        "doctor",
        "--format",
        "json",
        &input("authorize.url"),
        "https://app.example.com/oauth/callback?error=access_denied&state=k3J9xQ2vLmP8",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"].as_array().unwrap().len(), 2);
    assert_eq!(v["inputs"][1]["source"], "<arg>");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "authorization-denied" && f["location"]["input"] == 1));
}

/// UTF-16 with a BOM (what Windows PowerShell's `>` writes) is decoded: the same findings as
/// the UTF-8 file, and `redact` writes the same UTF-8 copy (no secret survives in UTF-16).
#[test]
fn utf16_inputs_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for fixture in [
        "fixtures/inputs/token-exchange.sh",
        "fixtures/access-token-superseded/har-old-token-after-refresh.har",
    ] {
        let text = std::fs::read_to_string(root.join(fixture)).unwrap();
        let utf8 = dir.path().join("utf8");
        std::fs::write(&utf8, &text).unwrap();
        let run = |args: &[&str], file: &std::path::Path| {
            let out = Command::new(env!("CARGO_BIN_EXE_miro-oauth"))
                .args(args)
                .arg(file)
                .output()
                .unwrap();
            let stdout = String::from_utf8(out.stdout).unwrap();
            // The file's name is the only difference allowed.
            let name = file.display().to_string();
            (out.status.code(), stdout.replace(&name, "INPUT"))
        };
        let doctor = run(&["doctor", "--format", "json"], &utf8);
        let redacted = run(&["redact", "--key", "k"], &utf8);
        assert_eq!(doctor.0, Some(1), "{fixture}: {}", doctor.1);
        for (bom, little) in [([0xff, 0xfe], true), ([0xfe, 0xff], false)] {
            let mut bytes = bom.to_vec();
            for u in text.encode_utf16() {
                bytes.extend(if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            let utf16 = dir.path().join("utf16");
            std::fs::write(&utf16, &bytes).unwrap();
            assert_eq!(
                run(&["doctor", "--format", "json"], &utf16),
                doctor,
                "{fixture}"
            );
            assert_eq!(
                run(&["redact", "--key", "k"], &utf16),
                redacted,
                "{fixture}"
            );
        }
    }
}

/// `--select "a, b"`: ids are trimmed, so the space after a comma selects the rule instead of
/// failing as an unknown id.
#[test]
fn select_ids_are_trimmed() {
    let out = Command::new(env!("CARGO_BIN_EXE_miro-oauth"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "doctor",
            "--format",
            "json",
            "--select",
            "token-exchange-from-browser, param-placement",
        ])
        .arg("fixtures/inputs/token-exchange.sh")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["param-placement", "token-exchange-from-browser"]);
}

//! The live commands (`login`, `exchange`, `refresh`, `token-info`, `revoke`) end to end,
//! against the stand-in Miro in `tests/stand_in/` on 127.0.0.1. The test plays the browser:
//! it reads the authorize link the tool prints, asks the stand-in for it (no redirect
//! following) and takes the `Location` to the tool's callback server.

mod stand_in;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use stand_in::{App, StandIn};

const SECRET_VAR: &str = "MIRO_TEST_CLIENT_SECRET";

struct Env {
    dir: tempfile::TempDir,
    stand: StandIn,
    config: PathBuf,
    tokens: PathBuf,
    redirect: String,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A stand-in whose app grants `granted` scopes, and a config enabling `configured` scopes.
fn setup_scopes(configured: &[&str], granted: &[&str]) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let mut app = App::new(&redirect);
    app.scopes = granted.iter().map(|s| s.to_string()).collect();
    let stand = StandIn::start(app.clone());
    let config = dir.path().join("miro-oauth.toml");
    let scopes: Vec<String> = configured.iter().map(|s| format!("\"{s}\"")).collect();
    std::fs::write(
        &config,
        format!(
            "[app]\nclient_id = \"{}\"\nclient_secret_env = \"{SECRET_VAR}\"\nredirect_uris = [\"{redirect}\"]\n\
             scopes = [{}]\nexpiring_tokens = true\n\n[miro]\nauth_url = \"{base}/oauth/authorize\"\napi_url = \"{base}\"\n",
            app.client_id,
            scopes.join(", "),
            base = stand.base()
        ),
    )
    .unwrap();
    let tokens = dir.path().join("store").join("tokens.json");
    Env {
        dir,
        stand,
        config,
        tokens,
        redirect,
    }
}

fn setup() -> Env {
    setup_scopes(
        &["boards:read", "boards:write"],
        &["boards:read", "boards:write"],
    )
}

fn command(env: &Env, args: &[&str]) -> Command {
    command_with_store(env, &env.tokens, args)
}

fn command_with_store(env: &Env, tokens: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_miro-oauth"));
    c.args(args)
        .arg("--config")
        .arg(&env.config)
        .arg("--token-file")
        .arg(tokens)
        .env(SECRET_VAR, env.stand.app().client_secret)
        .env_remove("MIRO_OAUTH_CONFIG")
        .env_remove(miro_oauth::live::store::CRASH_BEFORE_RENAME_ENV)
        .env("NO_COLOR", "1")
        .current_dir(env.dir.path());
    c
}

fn finish(out: std::process::Output) -> Out {
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(env: &Env, args: &[&str]) -> Out {
    finish(command(env, args).output().unwrap())
}

/// `exchange --callback-url URL --state STATE`.
fn exchange_callback(env: &Env, callback: &str, state: &str) -> Out {
    run(
        env,
        &["exchange", "--callback-url", callback, "--state", state],
    )
}

/// The browser: never follows redirects.
fn browser() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn location(resp: &reqwest::blocking::Response) -> String {
    assert_eq!(resp.status().as_u16(), 302, "authorize should redirect");
    resp.headers()["location"].to_str().unwrap().to_string()
}

fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Gets a code from the stand-in as a browser would, with the config's redirect URI.
fn authorize_code(env: &Env) -> String {
    let app = env.stand.app();
    let mut link = url::Url::parse(&format!("{}/oauth/authorize", env.stand.base())).unwrap();
    link.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &app.client_id)
        .append_pair("redirect_uri", &env.redirect)
        .append_pair("state", "test-state");
    let loc = location(&browser().get(link).send().unwrap());
    param(&loc, "code").expect("a code on the redirect")
}

/// A running `login --no-browser`, with the authorize link it printed.
struct Login {
    child: Child,
    link: String,
    stdout: BufReader<std::process::ChildStdout>,
    stderr: std::thread::JoinHandle<String>,
}

fn start_login(env: &Env, extra: &[&str]) -> Login {
    let mut args = vec!["login", "--no-browser"];
    args.extend_from_slice(extra);
    let mut child = command(env, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let link = loop {
        line.clear();
        let n = stdout.read_line(&mut line).unwrap();
        assert!(n > 0, "login printed no authorize link");
        if line.starts_with("http") {
            break line.trim().to_string();
        }
    };
    Login {
        child,
        link,
        stdout,
        stderr,
    }
}

impl Login {
    fn wait(mut self) -> Out {
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        let status = self.child.wait().unwrap();
        Out {
            code: status.code().unwrap_or(-1),
            stdout: format!("{}\n{rest}", self.link),
            stderr: self.stderr.join().unwrap(),
        }
    }
}

fn stored(env: &Env) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(&env.tokens).unwrap()).unwrap()
}

fn s(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

/// No secret value may appear in what the tool printed.
fn assert_no_secrets(out: &Out, secrets: &[&str]) {
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "secret {secret} leaked:\n{}",
            out.all()
        );
    }
}

/// Logs in through `exchange --code` (faster than the browser flow) and returns the record.
fn logged_in(env: &Env) -> serde_json::Value {
    let code = authorize_code(env);
    let out = run(env, &["exchange", "--code", &code]);
    assert_eq!(out.code, 0, "{}", out.all());
    stored(env)
}

#[test]
fn login_end_to_end() {
    let env = setup();
    let login = start_login(&env, &[]);
    let link = login.link.clone();
    assert!(link.starts_with(&format!("{}/oauth/authorize?", env.stand.base())));
    assert_eq!(
        param(&link, "redirect_uri").as_deref(),
        Some(env.redirect.as_str())
    );
    assert_eq!(param(&link, "response_type").as_deref(), Some("code"));
    assert!(param(&link, "scope").is_none(), "no scope param (facts §2)");
    let state = param(&link, "state").unwrap();
    assert!(
        state.len() >= 32,
        "state should be long and random: {state}"
    );

    let b = browser();
    let callback = location(&b.get(&link).send().unwrap());
    assert!(callback.starts_with(&env.redirect));
    let code = param(&callback, "code").unwrap();
    let page = b.get(&callback).send().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().unwrap();
    assert!(html.contains("Signed in to Miro"), "{html}");
    assert!(html.contains("Acme Design"), "{html}");

    let out = login.wait();
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout
            .contains("Team:          Acme Design (3074457358607431473)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("User:          Ada Lovelace (3458764517517819000)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Scopes:        boards:read boards:write"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("All 2 configured scopes are granted."),
        "{}",
        out.stdout
    );

    // The token file: 0600, with the pair the stand-in issued.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&env.tokens).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let t = stored(&env);
    let (at, rt) = (s(&t, "access_token"), s(&t, "refresh_token"));
    assert!(env.stand.access_alive(&at) && env.stand.refresh_alive(&rt));
    assert_eq!(s(&t, "client_id"), "3458764512345678901");
    assert_eq!(s(&t, "team_id"), "3074457358607431473");
    assert_eq!(s(&t, "user_id"), "3458764517517819000");
    assert_eq!(s(&t, "scope"), "boards:read boards:write");
    assert!(!s(&t, "expires_at").is_empty());

    // The exchange sent the secret in a form body, never in the URL (facts §4.1).
    let log = env.stand.log();
    let exchange = log.iter().find(|l| l.path() == "/v1/oauth/token").unwrap();
    assert!(!exchange.url.contains("client_secret"));
    assert!(exchange.body.contains("grant_type=authorization_code"));
    assert_eq!(
        exchange.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );

    let secret = env.stand.app().client_secret;
    assert_no_secrets(&out, &[&secret, &at, &rt, &code]);
}

#[test]
fn login_denied_consent() {
    let env = setup();
    env.stand.deny(true);
    let login = start_login(&env, &[]);
    let b = browser();
    let callback = location(&b.get(&login.link).send().unwrap());
    assert_eq!(param(&callback, "error").as_deref(), Some("access_denied"));
    let page = b.get(&callback).send().unwrap();
    let html = page.text().unwrap();
    assert!(html.contains("Authorization failed"), "{html}");
    assert!(html.contains("error=access_denied"), "{html}");
    let out = login.wait();
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("access_denied"), "{}", out.stderr);
    assert!(!env.tokens.exists());
    assert!(env
        .stand
        .log()
        .iter()
        .all(|l| l.path() != "/v1/oauth/token"));
}

#[test]
fn login_state_mismatch() {
    let env = setup();
    let login = start_login(&env, &[]);
    let b = browser();
    let callback = location(&b.get(&login.link).send().unwrap());
    let state = param(&callback, "state").unwrap();
    let forged = callback.replace(&state, "forged-state");
    let html = b.get(&forged).send().unwrap().text().unwrap();
    assert!(html.contains("State mismatch"), "{html}");
    let out = login.wait();
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("state mismatch"), "{}", out.stderr);
    // The code was never sent to the token endpoint.
    assert!(env
        .stand
        .log()
        .iter()
        .all(|l| l.path() != "/v1/oauth/token"));
    assert!(!env.tokens.exists());
}

#[test]
fn login_timeout() {
    let env = setup();
    let login = start_login(&env, &["--timeout", "1"]);
    let out = login.wait();
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("no callback arrived"), "{}", out.stderr);
    assert!(out.stderr.contains("within 1s"), "{}", out.stderr);
}

#[test]
fn login_ignores_other_paths_then_takes_callback() {
    let env = setup();
    let login = start_login(&env, &[]);
    let b = browser();
    let origin = env.redirect.trim_end_matches("/callback").to_string();
    let favicon = b.get(format!("{origin}/favicon.ico")).send().unwrap();
    assert_eq!(favicon.status().as_u16(), 404);
    let callback = location(&b.get(&login.link).send().unwrap());
    assert_eq!(b.get(&callback).send().unwrap().status().as_u16(), 200);
    assert_eq!(login.wait().code, 0);
}

#[test]
fn exchange_expired_code_is_diagnosed() {
    let env = setup();
    let code = authorize_code(&env);
    env.stand.advance(11 * 60);
    let out = run(&env, &["exchange", "--code", &code]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("Invalid authorization code"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("code-invalid") || out.stdout.contains("code-expired"),
        "{}",
        out.stdout
    );
    let secret = env.stand.app().client_secret;
    assert_no_secrets(&out, &[&secret, &code]);
}

#[test]
fn exchange_code_reuse_is_refused() {
    let env = setup();
    let code = authorize_code(&env);
    let callback = format!("{}?code={code}&state=test-state", env.redirect);
    let first = exchange_callback(&env, &callback, "test-state");
    assert_eq!(first.code, 0, "{}", first.all());
    let again = run(&env, &["exchange", "--code", &code]);
    assert_eq!(again.code, 1, "{}", again.all());
    assert!(again.stdout.contains("code-invalid") || again.stdout.contains("code-reused"));
}

#[test]
fn exchange_callback_url_checks_state_and_error() {
    let env = setup();
    let code = authorize_code(&env);
    let callback = format!("{}?code={code}&state=other", env.redirect);
    let out = exchange_callback(&env, &callback, "test-state");
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("state mismatch"));
    let denied = format!("{}?error=access_denied&state=x", env.redirect);
    let out = run(&env, &["exchange", "--callback-url", &denied]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("error=access_denied"));
    assert!(env
        .stand
        .log()
        .iter()
        .all(|l| l.path() != "/v1/oauth/token"));
}

#[test]
fn exchange_redirect_uri_mismatch_is_diagnosed() {
    let env = setup();
    let code = authorize_code(&env);
    let other = format!("{}/", env.redirect);
    let out = run(
        &env,
        &["exchange", "--code", &code, "--redirect-uri", &other],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("Redirect URI mismatch."),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("is not among the redirect_uris"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("redirect-uri"), "{}", out.stdout);
}

#[test]
fn refresh_rotates_and_old_refresh_token_is_rejected() {
    let env = setup();
    let before = logged_in(&env);
    let old_file = std::fs::read_to_string(&env.tokens).unwrap();
    let out = run(&env, &["refresh"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let after = stored(&env);
    assert_ne!(s(&after, "refresh_token"), s(&before, "refresh_token"));
    assert_ne!(s(&after, "access_token"), s(&before, "access_token"));
    assert!(!env.stand.refresh_alive(&s(&before, "refresh_token")));
    assert!(env.stand.refresh_alive(&s(&after, "refresh_token")));
    assert_no_secrets(
        &out,
        &[
            &s(&after, "refresh_token"),
            &s(&after, "access_token"),
            &env.stand.app().client_secret,
        ],
    );

    // The old pair, put back, is refused and diagnosed.
    let stale = env.dir.path().join("stale.json");
    std::fs::write(&stale, old_file).unwrap();
    let out = finish(
        command_with_store(&env, &stale, &["refresh"])
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("Invalid refresh token"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("refresh-token"), "{}", out.stdout);
}

#[test]
fn concurrent_refreshes_are_serialised() {
    let env = setup();
    let before = logged_in(&env);
    // A's refresh reaches Miro and is held there; B starts meanwhile, so it reads the old
    // pair and then waits for the lock that A holds until its new pair is saved.
    env.stand.hold_token(true);
    let arrived = env.stand.token_arrivals();
    let a = command(&env, &["refresh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while env.stand.token_arrivals() == arrived {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "A never reached the stand-in"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let b = command(&env, &["refresh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    env.stand.hold_token(false);
    let (a, b) = (
        finish(a.wait_with_output().unwrap()),
        finish(b.wait_with_output().unwrap()),
    );
    assert_eq!(a.code, 0, "{}", a.all());
    assert_eq!(b.code, 0, "{}", b.all());
    let refreshes: Vec<_> = env
        .stand
        .log()
        .into_iter()
        .filter(|l| l.path() == "/v1/oauth/token" && l.body.contains("grant_type=refresh_token"))
        .collect();
    // Never an old refresh token sent: the second process waited and reused the new pair.
    assert!(refreshes.iter().all(|l| l.status == 200), "{refreshes:?}");
    assert_eq!(
        refreshes.len(),
        1,
        "the second refresh reuses the first's pair"
    );
    assert!(
        b.stderr.contains("changed while this refresh waited"),
        "{}",
        b.stderr
    );
    let after = stored(&env);
    assert_ne!(s(&after, "refresh_token"), s(&before, "refresh_token"));
    assert!(env.stand.refresh_alive(&s(&after, "refresh_token")));
}

#[test]
fn refresh_interrupted_before_rename_keeps_old_pair_then_recovers() {
    let env = setup();
    let before = logged_in(&env);
    let out = finish(
        command(&env, &["refresh"])
            .env(miro_oauth::live::store::CRASH_BEFORE_RENAME_ENV, "1")
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 70, "the hook exits like a crash: {}", out.all());
    // The store still holds the old pair, intact and readable.
    let t = stored(&env);
    assert_eq!(s(&t, "refresh_token"), s(&before, "refresh_token"));
    // Miro already rotated: the old pair is dead, the new one sits in the pending file.
    assert!(!env.stand.refresh_alive(&s(&before, "refresh_token")));
    let pending: Vec<_> = std::fs::read_dir(env.tokens.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".pending"))
        .collect();
    assert_eq!(pending.len(), 1);

    // The next command promotes the pending pair instead of failing with a dead token.
    let out = run(&env, &["token-info"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out
        .stderr
        .contains("recovered the tokens of an interrupted write"));
    let t = stored(&env);
    assert!(env.stand.refresh_alive(&s(&t, "refresh_token")));
    let out = run(&env, &["refresh"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn token_info_names_missing_configured_scopes() {
    let env = setup_scopes(
        &["boards:read", "boards:write", "team:read"],
        &["boards:read"],
    );
    logged_in(&env);
    let out = run(&env, &["token-info"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out
        .stdout
        .contains("Team:          Acme Design (3074457358607431473)"));
    assert!(
        out.stdout.contains("Scopes:        boards:read\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Missing scopes: boards:write team:read"),
        "{}",
        out.stdout
    );
    let t = stored(&env);
    assert_no_secrets(&out, &[&s(&t, "access_token")]);
    // Sent as a bearer header, never in the URL (facts §7).
    let log = env.stand.log();
    let info = log.iter().rfind(|l| l.path() == "/v1/oauth-token").unwrap();
    assert!(!info.url.contains("access_token"));
    assert_eq!(
        info.header("authorization")
            .map(|h| h.starts_with("Bearer ")),
        Some(true)
    );
}

#[test]
fn revoke_v2_then_token_info_fails() {
    let env = setup();
    let t = logged_in(&env);
    let out = run(&env, &["revoke", "--keep"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("Revoked"));
    let log = env.stand.log();
    let rv = log.iter().find(|l| l.path() == "/v2/oauth/revoke").unwrap();
    let body: serde_json::Value = serde_json::from_str(&rv.body).unwrap();
    assert_eq!(s(&body, "accessToken"), s(&t, "access_token"));
    assert_eq!(s(&body, "clientId"), "3458764512345678901");
    assert!(body.get("clientSecret").is_some());
    assert_eq!(rv.header("content-type"), Some("application/json"));
    assert_eq!(rv.status, 204);
    assert!(!env.stand.refresh_alive(&s(&t, "refresh_token")));

    let out = run(&env, &["token-info"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("Invalid token provided"),
        "{}",
        out.stderr
    );

    // Without --keep the file goes; revoking a dead token is refused (404, facts §9).
    let out = run(&env, &["revoke"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains("Failed to revoke token"),
        "{}",
        out.stderr
    );
    let t2 = logged_in(&env);
    let out = run(&env, &["revoke"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!env.tokens.exists());
    assert!(!env.stand.access_alive(&s(&t2, "access_token")));
}

#[test]
fn revoke_v1_only_behind_flag_with_deprecation() {
    let env = setup();
    let t = logged_in(&env);
    let out = run(&env, &["revoke", "--v1"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stderr.contains("deprecated"), "{}", out.stderr);
    let log = env.stand.log();
    assert!(log
        .iter()
        .any(|l| l.path() == "/v1/oauth/revoke" && l.status == 204));
    assert!(log.iter().all(|l| l.path() != "/v2/oauth/revoke"));
    assert!(!env.stand.access_alive(&s(&t, "access_token")));
    assert_no_secrets(&out, &[&s(&t, "access_token")]);
}

#[test]
fn rate_limit_is_diagnosed() {
    let env = setup();
    logged_in(&env);
    env.stand.rate_limit(true);
    let out = run(&env, &["refresh"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("429 tooManyRequests"), "{}", out.stderr);
    assert!(out.stdout.contains("rate-limited"), "{}", out.stdout);
}

#[test]
fn redirects_from_the_token_endpoint_are_not_followed() {
    let env = setup();
    let trap = StandIn::start(App::new("http://127.0.0.1:1/cb"));
    env.stand
        .redirect_token_to(&format!("{}/v1/oauth/token", trap.base()));
    let code = authorize_code(&env);
    let out = run(&env, &["exchange", "--code", &code]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(trap.log().is_empty(), "credentials followed a redirect");
}

#[test]
fn missing_secret_is_exit_2_naming_the_variable() {
    let env = setup();
    let out = finish(
        command(&env, &["refresh"])
            .env_remove(SECRET_VAR)
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains(SECRET_VAR), "{}", out.stderr);
    assert!(out.stderr.contains("client_secret_env"), "{}", out.stderr);
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let env = setup();
    let out = run(&env, &["token-info", "--base-url", "http://api.miro.com"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("https"), "{}", out.stderr);
}

#[test]
fn unreachable_host_is_exit_2() {
    let env = setup();
    logged_in(&env);
    let port = free_port();
    let out = run(
        &env,
        &[
            "token-info",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
        ],
    );
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("cannot reach"), "{}", out.stderr);
}

#[test]
fn no_config_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = finish(
        Command::new(env!("CARGO_BIN_EXE_miro-oauth"))
            .args(["token-info", "--token-file"])
            .arg(dir.path().join("t.json"))
            .env_remove("MIRO_OAUTH_CONFIG")
            .current_dir(dir.path())
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("no app config found"), "{}", out.stderr);
}

#[test]
fn no_stored_tokens_is_exit_2() {
    let env = setup();
    let out = run(&env, &["token-info"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("no stored tokens"), "{}", out.stderr);
}

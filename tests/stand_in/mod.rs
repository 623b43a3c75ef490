//! A stand-in for Miro's OAuth server on 127.0.0.1, behaving as `shared/miro/facts.md`
//! documents, for the live-command tests (no network):
//!
//! - `GET /oauth/authorize` (§2): validates `response_type`, `client_id` and `redirect_uri`
//!   exactly against the registered list; 302 to the redirect URI with `code`, `state`,
//!   `client_id`, `team_id` (§3), or `error=access_denied` when set to deny.
//! - `POST /v1/oauth/token` (§4): params from the query and/or a form body; single-use codes
//!   that expire after 10 minutes on an injectable clock; exact `redirect_uri` match between
//!   authorize and exchange; refresh rotation that kills the old pair (§5); Miro's error JSON.
//! - `GET /v1/oauth-token` (§8), `POST /v2/oauth/revoke` (§9, camelCase JSON, 204/404),
//!   `POST /v1/oauth/revoke?access_token=` (§9, 204/400).
//! - A mode answering 429 with `X-RateLimit-*` headers (§10), a delay for races, and a mode
//!   redirecting the token endpoint elsewhere (to prove the client does not follow).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

/// The app as registered with the stand-in.
#[derive(Clone, Debug)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
    /// Scopes granted to tokens.
    pub scopes: Vec<String>,
    pub team_id: u64,
    pub user_id: String,
}

impl App {
    pub fn new(redirect_uri: &str) -> App {
        App {
            client_id: "3458764512345678901".into(),
            client_secret: "Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA0".into(),
            redirect_uris: vec![redirect_uri.to_string()],
            scopes: vec!["boards:read".into(), "boards:write".into()],
            team_id: 3074457358607431473,
            user_id: "3458764517517819000".into(),
        }
    }
}

/// One request the stand-in received.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    /// Path and query as requested.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub status: u16,
    /// The Miro error `message` answered, if any.
    pub error: Option<String>,
}

impl Logged {
    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Code {
    redirect_uri: String,
    issued: i64,
    used: bool,
}

struct Pair {
    access: String,
    refresh: String,
    alive: bool,
}

struct State {
    app: App,
    clock_offset: i64,
    deny: bool,
    rate_limited: bool,
    token_delay: Duration,
    token_hold: bool,
    token_arrivals: usize,
    token_redirect: Option<String>,
    codes: HashMap<String, Code>,
    pairs: Vec<Pair>,
    log: Vec<Logged>,
}

impl State {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + self.clock_offset
    }
}

/// Miro's token shape (facts §6): the region prefix, `_`, an opaque tail.
fn token() -> String {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).unwrap();
    format!(
        "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    )
}

fn params(s: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(s.as_bytes()).into_owned().collect()
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    error: Option<String>,
}

fn json(status: u16, body: serde_json::Value) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        error: body
            .get("message")
            .and_then(|m| m.as_str())
            .map(str::to_string),
        body: body.to_string(),
    }
}

/// Miro's REST-style error object (facts §4.4, §10).
fn miro_error(status: u16, code: &str, message: &str) -> Reply {
    json(
        status,
        serde_json::json!({"status": status, "code": code, "message": message, "type": "error"}),
    )
}

fn html(status: u16, text: &str) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: format!("<html><body>{text}</body></html>"),
        error: Some(text.to_string()),
    }
}

/// The running stand-in; stops when dropped.
pub struct StandIn {
    base: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl StandIn {
    pub fn start(app: App) -> StandIn {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            app,
            clock_offset: 0,
            deny: false,
            rate_limited: false,
            token_delay: Duration::ZERO,
            token_hold: false,
            token_arrivals: 0,
            token_redirect: None,
            codes: HashMap::new(),
            pairs: Vec::new(),
            log: Vec::new(),
        }));
        let (s2, st2) = (server.clone(), state.clone());
        let thread = std::thread::spawn(move || {
            for req in s2.incoming_requests() {
                let st = st2.clone();
                std::thread::spawn(move || handle(&st, req));
            }
        });
        StandIn {
            base: format!("http://127.0.0.1:{port}"),
            state,
            server,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn app(&self) -> App {
        self.state.lock().unwrap().app.clone()
    }

    /// Moves the stand-in's clock forward (code expiry).
    pub fn advance(&self, secs: i64) {
        self.state.lock().unwrap().clock_offset += secs;
    }

    /// Answer the authorize request with `error=access_denied`.
    pub fn deny(&self, on: bool) {
        self.state.lock().unwrap().deny = on;
    }

    /// Answer API calls with 429.
    pub fn rate_limit(&self, on: bool) {
        self.state.lock().unwrap().rate_limited = on;
    }

    /// Delay every token-endpoint answer (to make races overlap).
    pub fn token_delay(&self, d: Duration) {
        self.state.lock().unwrap().token_delay = d;
    }

    /// Hold every token-endpoint answer until released (to make races overlap for sure).
    pub fn hold_token(&self, on: bool) {
        self.state.lock().unwrap().token_hold = on;
    }

    /// How many token-endpoint requests have arrived (answered or held).
    pub fn token_arrivals(&self) -> usize {
        self.state.lock().unwrap().token_arrivals
    }

    /// Answer the token endpoint with a 307 to this URL.
    pub fn redirect_token_to(&self, url: &str) {
        self.state.lock().unwrap().token_redirect = Some(url.to_string());
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    /// Is this refresh token still good?
    pub fn refresh_alive(&self, rt: &str) -> bool {
        self.state
            .lock()
            .unwrap()
            .pairs
            .iter()
            .any(|p| p.alive && p.refresh == rt)
    }

    /// Is this access token still good?
    pub fn access_alive(&self, at: &str) -> bool {
        self.state
            .lock()
            .unwrap()
            .pairs
            .iter()
            .any(|p| p.alive && p.access == at)
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(state: &Arc<Mutex<State>>, mut req: tiny_http::Request) {
    let mut body = String::new();
    let _ = req.as_reader().read_to_string(&mut body);
    let method = req.method().as_str().to_string();
    let url = req.url().to_string();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
        .collect();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    if path == "/v1/oauth/token" {
        let delay = {
            let mut st = state.lock().unwrap();
            st.token_arrivals += 1;
            st.token_delay
        };
        std::thread::sleep(delay);
        while state.lock().unwrap().token_hold {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let reply = {
        let mut st = state.lock().unwrap();
        let api = path.starts_with("/v1/") || path.starts_with("/v2/");
        let mut reply = if api && st.rate_limited {
            miro_error(429, "tooManyRequests", "Request rate limit exceed")
        } else {
            match (method.as_str(), path) {
                ("GET", "/oauth/authorize") => authorize(&mut st, query),
                ("POST", "/v1/oauth/token") => {
                    let mut p = params(query);
                    let form = header("content-type")
                        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
                    if form {
                        p.extend(params(&body));
                    }
                    token_endpoint(&mut st, &p)
                }
                ("GET", "/v1/oauth-token") => {
                    let bearer = header("authorization")
                        .and_then(|a| a.strip_prefix("Bearer ").map(str::to_string));
                    let q = params(query)
                        .into_iter()
                        .find(|(k, _)| k == "access_token")
                        .map(|(_, v)| v);
                    token_context(&st, bearer.or(q))
                }
                ("POST", "/v2/oauth/revoke") => {
                    let is_json =
                        header("content-type").is_some_and(|c| c.starts_with("application/json"));
                    revoke_v2(&mut st, is_json, &body)
                }
                ("POST", "/v1/oauth/revoke") => {
                    let at = params(query)
                        .into_iter()
                        .find(|(k, _)| k == "access_token")
                        .map(|(_, v)| v);
                    revoke_v1(&mut st, at)
                }
                _ => miro_error(404, "notFound", "Not found"),
            }
        };
        if api {
            // Facts §10: the rate-limit headers come on every response.
            let reset = (st.now() + 60).to_string();
            let remaining = if st.rate_limited { "0" } else { "99950" };
            reply.headers.extend([
                ("X-RateLimit-Limit".to_string(), "100000".to_string()),
                ("X-RateLimit-Remaining".to_string(), remaining.to_string()),
                ("X-RateLimit-Reset".to_string(), reset),
            ]);
        }
        st.log.push(Logged {
            method: method.clone(),
            url: url.clone(),
            headers: headers.clone(),
            body: body.clone(),
            status: reply.status,
            error: reply.error.clone(),
        });
        reply
    };
    let mut resp = tiny_http::Response::from_string(reply.body).with_status_code(reply.status);
    for (k, v) in reply.headers {
        resp.add_header(tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap());
    }
    let _ = req.respond(resp);
}

fn redirect(to: String) -> Reply {
    Reply {
        status: 302,
        headers: vec![("Location".into(), to)],
        body: String::new(),
        error: None,
    }
}

fn authorize(st: &mut State, query: &str) -> Reply {
    let p = params(query);
    let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("response_type").as_deref() != Some("code") {
        return html(400, "response_type must be code");
    }
    if get("client_id").as_deref() != Some(st.app.client_id.as_str()) {
        return html(400, "Unknown client_id");
    }
    let Some(redirect_uri) = get("redirect_uri") else {
        return html(400, "redirect_uri is required");
    };
    // Exact, byte-for-byte match against the registered list (facts §2, §16.4). No redirect
    // to an unregistered URI: the error is shown on Miro's own page.
    if !st.app.redirect_uris.contains(&redirect_uri) {
        return html(400, "Redirect URI mismatch.");
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let mut q = form_urlencoded::Serializer::new(String::new());
    if st.deny {
        q.append_pair("error", "access_denied")
            .append_pair("error_description", "The user denied the request");
        if let Some(s) = get("state") {
            q.append_pair("state", &s);
        }
        return redirect(format!("{redirect_uri}{sep}{}", q.finish()));
    }
    let code = token();
    let issued = st.now();
    st.codes.insert(
        code.clone(),
        Code {
            redirect_uri: redirect_uri.clone(),
            issued,
            used: false,
        },
    );
    q.append_pair("code", &code);
    if let Some(s) = get("state") {
        q.append_pair("state", &s);
    }
    q.append_pair("client_id", &st.app.client_id)
        .append_pair("team_id", &st.app.team_id.to_string());
    redirect(format!("{redirect_uri}{sep}{}", q.finish()))
}

fn issue(st: &mut State) -> Reply {
    let (access, refresh) = (token(), token());
    st.pairs.push(Pair {
        access: access.clone(),
        refresh: refresh.clone(),
        alive: true,
    });
    // Facts §4.3: team_id is a JSON number in Miro's example.
    let body = format!(
        r#"{{"user_id":"{}","refresh_token":"{refresh}","access_token":"{access}","expires_in":3599,"team_id":{},"scope":"{}","token_type":"bearer"}}"#,
        st.app.user_id,
        st.app.team_id,
        st.app.scopes.join(" ")
    );
    Reply {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body,
        error: None,
    }
}

fn token_endpoint(st: &mut State, p: &[(String, String)]) -> Reply {
    if let Some(to) = st.token_redirect.clone() {
        return Reply {
            status: 307,
            headers: vec![("Location".into(), to)],
            body: String::new(),
            error: None,
        };
    }
    let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("client_id").as_deref() != Some(st.app.client_id.as_str())
        || get("client_secret").as_deref() != Some(st.app.client_secret.as_str())
    {
        return miro_error(401, "secretKeyNotFound", "Secret key not found");
    }
    match get("grant_type").as_deref() {
        Some("authorization_code") => {
            let now = st.now();
            let code = get("code").unwrap_or_default();
            let redirect_uri = get("redirect_uri").unwrap_or_default();
            let Some(c) = st.codes.get_mut(&code) else {
                return miro_error(401, "oauthError", "Invalid authorization code");
            };
            // Single use, 10 minutes (facts §3).
            if c.used || now - c.issued > 600 {
                return miro_error(401, "oauthError", "Invalid authorization code");
            }
            if c.redirect_uri != redirect_uri {
                return miro_error(401, "oauthError", "Redirect URI mismatch.");
            }
            c.used = true;
            issue(st)
        }
        Some("refresh_token") => {
            let rt = get("refresh_token").unwrap_or_default();
            let Some(pair) = st.pairs.iter_mut().find(|p| p.alive && p.refresh == rt) else {
                return miro_error(401, "oauthError", "Invalid refresh token");
            };
            // Rotation: the old pair dies (facts §5).
            pair.alive = false;
            issue(st)
        }
        _ => miro_error(401, "oauthError", "Unauthorized grant type"),
    }
}

fn token_context(st: &State, at: Option<String>) -> Reply {
    let Some(at) = at else {
        return miro_error(
            401,
            "tokenNotProvided",
            "No authorization data was found on the request",
        );
    };
    if !st.pairs.iter().any(|p| p.alive && p.access == at) {
        return miro_error(400, "invalidParameters", "Invalid token provided");
    }
    json(
        200,
        serde_json::json!({
            "type": "user",
            "organization": {"type": "organization", "name": "Acme Corp", "id": "3458764500000000001"},
            "team": {"type": "team", "name": "Acme Design", "id": st.app.team_id.to_string()},
            "createdBy": {"type": "user", "name": "Ada Lovelace", "id": st.app.user_id},
            "user": {"type": "user", "name": "Ada Lovelace", "id": st.app.user_id},
            "scopes": st.app.scopes,
        }),
    )
}

fn kill(st: &mut State, at: &str) -> bool {
    match st.pairs.iter_mut().find(|p| p.alive && p.access == at) {
        Some(p) => {
            p.alive = false;
            true
        }
        None => false,
    }
}

fn revoke_v2(st: &mut State, is_json: bool, body: &str) -> Reply {
    let failed = || miro_error(404, "notFound", "Failed to revoke token");
    if !is_json {
        return miro_error(
            400,
            "invalidParameters",
            "Content-Type must be application/json",
        );
    }
    let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else {
        return miro_error(400, "invalidParameters", "Malformed JSON");
    };
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    if s("clientId") != st.app.client_id || s("clientSecret") != st.app.client_secret {
        return failed();
    }
    if kill(st, &s("accessToken")) {
        Reply {
            status: 204,
            headers: vec![],
            body: String::new(),
            error: None,
        }
    } else {
        failed()
    }
}

fn revoke_v1(st: &mut State, at: Option<String>) -> Reply {
    if at.is_some_and(|at| kill(st, &at)) {
        Reply {
            status: 204,
            headers: vec![],
            body: String::new(),
            error: None,
        }
    } else {
        miro_error(400, "invalidParameters", "Failed to revoke token")
    }
}

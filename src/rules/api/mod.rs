//! Rules of the `api` group (see `spec/rules.md` §4): REST API calls — how the access token is
//! sent, what token it is, whether it is still valid, whether it has the scopes the endpoint
//! needs (from `catalog`), and whether the host, version and endpoint exist.
//!
//! Shared helpers live here: which exchanges are REST calls worth linting, reading the
//! `Authorization` header, the tokens the flow issued, and when an exchange happened.

pub(crate) mod access_token_expired;
pub(crate) mod access_token_superseded;
pub(crate) mod api_host_wrong;
pub(crate) mod auth_header_missing;
pub(crate) mod auth_scheme_invalid;
pub(crate) mod endpoint_unknown;
pub(crate) mod plan_gated_endpoint;
pub(crate) mod refresh_token_expired;
pub(crate) mod refresh_token_reused;
pub(crate) mod scim_token_misuse;
pub(crate) mod scope_insufficient;
pub(crate) mod sdk_id_token_as_access_token;
pub(crate) mod token_malformed;

use crate::catalog::{self, Operation};
use crate::engine::classify::{realm, Realm};
use crate::engine::{Cx, Ex, Rule};
use crate::finding::Step;
use crate::model::{InputKind, ParamPlace, RawUrl, Request, Response};

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[
    &access_token_expired::RULE,
    &access_token_superseded::RULE,
    &api_host_wrong::RULE,
    &auth_header_missing::RULE,
    &auth_scheme_invalid::RULE,
    &endpoint_unknown::RULE,
    &plan_gated_endpoint::RULE,
    &refresh_token_expired::RULE,
    &refresh_token_reused::RULE,
    &scim_token_misuse::RULE,
    &scope_insufficient::RULE,
    &sdk_id_token_as_access_token::RULE,
    &token_malformed::RULE,
];

/// The prefix of Miro's tokens in every documented example: unpadded base64url of
/// `{"miro.origin":"eu01"}` (facts §6; its meaning is not documented).
pub(crate) const MIRO_TOKEN_PREFIX: &str = "eyJtaXJv";

// ---------------------------------------------------------------------------------------------
// Which exchanges are REST calls.

/// The kind of input an exchange came from.
pub(crate) fn input_kind(cx: &Cx<'_>, ex: &Ex<'_>) -> Option<InputKind> {
    cx.flow().inputs.get(ex.input).map(|i| i.kind)
}

/// True when the request carries some credential: a non-empty `Authorization` header or an
/// `access_token` parameter.
pub(crate) fn has_credential(req: &Request) -> bool {
    req.headers_named("authorization")
        .any(|h| !h.value.trim().is_empty())
        || access_token_param(req).is_some()
}

/// Whether an exchange is a REST call these rules look at. CORS preflights (`OPTIONS`) never
/// carry credentials and are skipped. In a HAR, requests to `miro.com`/other `*.miro.com`
/// hosts without any credential are the Miro web app's own (cookie-authenticated) traffic,
/// not the user's REST calls, and are skipped too; a curl command, raw request or URL was
/// given on purpose and always counts.
pub(crate) fn is_rest_call(cx: &Cx<'_>, ex: &Ex<'_>) -> bool {
    if !matches!(ex.step, Step::Api | Step::TokenInfo | Step::Scim) {
        return false;
    }
    if ex.request.method.trim().eq_ignore_ascii_case("OPTIONS") {
        return false;
    }
    // A token request sent to `/v1/oauth-token` by mistake is the token rules' business.
    if ex.step == Step::TokenInfo
        && ex.request.params().iter().any(|p| {
            matches!(
                p.param.name.as_str(),
                "grant_type" | "client_secret" | "code"
            )
        })
    {
        return false;
    }
    let api_host = is_api_host(cx, &ex.request.host());
    // A cookie-authenticated request to miro.com is the web app's own traffic, whatever
    // the input kind ("Copy as cURL" from the Miro web app).
    if !api_host && !has_credential(&ex.request) && ex.request.header("cookie").is_some() {
        return false;
    }
    if input_kind(cx, ex) == Some(InputKind::Har) {
        if !api_host && !has_credential(&ex.request) {
            return false;
        }
        if !api_host && ex.step == Step::Api {
            // The web app's own endpoints (`miro.com/api/v1/...`) may carry a bearer of their
            // own; only the public REST shapes count.
            let p = ex.request.raw_url().path.to_ascii_lowercase();
            if !(p.starts_with("/api/v2") || p.starts_with("/v2")) {
                return false;
            }
        }
    }
    true
}

/// The REST calls of the flow (see [`is_rest_call`]).
pub(crate) fn rest_calls<'a>(cx: &Cx<'a>) -> Vec<Ex<'a>> {
    cx.exchanges().filter(|ex| is_rest_call(cx, ex)).collect()
}

/// True for `api.miro.com`, or the host of the config's `[miro] api_url` (a stand-in).
pub(crate) fn is_api_host(cx: &Cx<'_>, host: &str) -> bool {
    if realm(host) == Realm::Api {
        return true;
    }
    cx.config().is_some_and(|c| {
        let h = RawUrl::split(&c.miro.api_url).host.to_ascii_lowercase();
        !h.is_empty() && realm(&h) != Realm::Api && h.eq_ignore_ascii_case(host)
    })
}

/// The catalog operation a REST call calls, resolving the path as Miro would serve it
/// (`miro.com/api/v2/...` → `/v2/...`). None when the catalog does not know it.
pub(crate) fn operation_of(req: &Request) -> Option<&'static Operation> {
    let raw = req.raw_url();
    let mut path = raw.path.to_string();
    if realm(&req.host()) == Realm::Web {
        if let Some(rest) = path.strip_prefix("/api") {
            if rest.starts_with("/v2") {
                path = rest.to_string();
            }
        }
    }
    if let Some(q) = raw.query {
        path.push('?');
        path.push_str(q);
    }
    catalog::lookup_operation(&req.method, &path)
}

// ---------------------------------------------------------------------------------------------
// The credential.

/// What is wrong with an `Authorization` value's scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SchemeProblem {
    /// The header has no value.
    Empty,
    /// `Bearer` with nothing after it (an unset variable).
    NoToken,
    /// `Bearer: x` or `Bearer:x`.
    Colon,
    /// `Bearerx`: no space between scheme and token.
    NoSpace,
    /// `Bearer Bearer x`.
    Doubled,
    /// Quotes around the token or the whole value.
    Quoted,
    /// The bare token with no scheme.
    NoScheme,
    /// `Basic …` (client credentials) on a REST call.
    Basic,
    /// Another scheme word (`Token`, `OAuth`, `JWT`).
    Other(String),
    /// A word between `Bearer` and the token (`Bearer Token <token>`).
    ExtraWord(String),
}

/// An `Authorization` value read leniently: the problem with its scheme, if any, and the
/// token it most likely carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AuthValue {
    /// The problem, None for a well-formed `Bearer <token>` (scheme in any case, RFC 7235).
    pub problem: Option<SchemeProblem>,
    /// The token, as written after the scheme (leading blanks removed, trailing kept).
    pub token: Option<String>,
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
    )
}

/// Strips one pair of surrounding quotes; None when the value is not quoted.
fn unquote(s: &str) -> Option<&str> {
    let t = s.trim();
    let first = t.chars().next()?;
    let last = t.chars().last()?;
    if t.chars().count() >= 2 && is_quote(first) && is_quote(last) {
        Some(&t[first.len_utf8()..t.len() - last.len_utf8()])
    } else {
        None
    }
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Reads an `Authorization` header value.
pub(crate) fn parse_auth(value: &str) -> AuthValue {
    let v = value.trim_start();
    if v.trim().is_empty() {
        return AuthValue {
            problem: Some(SchemeProblem::Empty),
            token: None,
        };
    }
    if let Some(inner) = unquote(v) {
        let token = parse_auth(inner)
            .token
            .or_else(|| Some(inner.trim().to_string()));
        return AuthValue {
            problem: Some(SchemeProblem::Quoted),
            token,
        };
    }
    if starts_with_ci(v, "bearer") {
        let rest = &v[6..];
        if rest.trim().is_empty() {
            return AuthValue {
                problem: Some(SchemeProblem::NoToken),
                token: None,
            };
        }
        if let Some(after) = rest.strip_prefix([':', '=']) {
            let t = after.trim_start();
            let t = unquote(t).unwrap_or(t);
            let t = if starts_with_ci(t, "bearer ") {
                t[7..].trim_start()
            } else {
                t
            };
            return AuthValue {
                problem: Some(SchemeProblem::Colon),
                token: (!t.trim().is_empty()).then(|| t.to_string()),
            };
        }
        if rest.starts_with(char::is_whitespace) {
            let t = rest.trim_start();
            if starts_with_ci(t, "bearer")
                && t[6..].starts_with(|c: char| c.is_whitespace() || c == ':')
            {
                let inner = t[6..].trim_start_matches(|c: char| c.is_whitespace() || c == ':');
                return AuthValue {
                    problem: Some(SchemeProblem::Doubled),
                    token: Some(unquote(inner).unwrap_or(inner).to_string()),
                };
            }
            if let Some(inner) = unquote(t) {
                return AuthValue {
                    problem: Some(SchemeProblem::Quoted),
                    token: Some(inner.to_string()),
                };
            }
            // `Bearer Token <token>`, `Bearer access_token <token>`: a word, then a long token.
            if let Some((word, tok)) = t.trim_end().split_once(char::is_whitespace) {
                let tok = tok.trim_start();
                let w = word.trim_end_matches([':', '=']);
                if !w.is_empty()
                    && w.len() <= 16
                    && w.chars()
                        .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
                    && tok.len() >= 16
                    && !tok.contains(char::is_whitespace)
                {
                    return AuthValue {
                        problem: Some(SchemeProblem::ExtraWord(w.to_string())),
                        token: Some(tok.to_string()),
                    };
                }
            }
            return AuthValue {
                problem: None,
                token: Some(t.to_string()),
            };
        }
        return AuthValue {
            problem: Some(SchemeProblem::NoSpace),
            token: Some(rest.to_string()),
        };
    }
    if starts_with_ci(v, "basic") && v[5..].starts_with(char::is_whitespace) {
        return AuthValue {
            problem: Some(SchemeProblem::Basic),
            token: None,
        };
    }
    match v.split_once(char::is_whitespace) {
        Some((word, rest))
            if !rest.trim().is_empty()
                && word.len() <= 16
                && word
                    .trim_end_matches(':')
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_') =>
        {
            let t = rest.trim_start();
            AuthValue {
                problem: Some(SchemeProblem::Other(word.trim_end_matches(':').to_string())),
                token: Some(unquote(t).unwrap_or(t).to_string()),
            }
        }
        _ => AuthValue {
            problem: Some(SchemeProblem::NoScheme),
            token: Some(v.to_string()),
        },
    }
}

/// The `access_token` parameter (query string, or form body), when non-empty.
pub(crate) fn access_token_param(req: &Request) -> Option<(ParamPlace, String)> {
    req.params()
        .into_iter()
        .find(|p| {
            p.param.name == "access_token"
                && matches!(p.place, ParamPlace::Query | ParamPlace::Form)
                && !p.param.value.trim().is_empty()
        })
        .map(|p| (p.place, p.param.value))
}

/// Where a request's token was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenSource {
    /// The `Authorization` header.
    Header,
    /// An `access_token` parameter.
    Param(ParamPlace),
}

/// A request's token, read leniently.
#[derive(Clone, Debug)]
pub(crate) struct SentToken {
    /// The token as written (see [`AuthValue::token`]).
    pub value: String,
    /// Where.
    pub source: TokenSource,
    /// The scheme problem of the header, if any.
    pub problem: Option<SchemeProblem>,
}

impl SentToken {
    /// The token without surrounding blanks (for comparing with issued tokens).
    pub fn trimmed(&self) -> &str {
        self.value.trim()
    }
}

/// The token a request sends: from the `Authorization` header (whatever its scheme problem,
/// Basic excepted), else from `access_token`.
pub(crate) fn sent_token(req: &Request) -> Option<SentToken> {
    if let Some(h) = req
        .headers_named("authorization")
        .find(|h| !h.value.trim().is_empty())
    {
        let a = parse_auth(&h.value);
        if let Some(t) = a.token.filter(|t| !t.trim().is_empty()) {
            return Some(SentToken {
                value: t,
                source: TokenSource::Header,
                problem: a.problem,
            });
        }
    }
    access_token_param(req).map(|(place, value)| SentToken {
        value,
        source: TokenSource::Param(place),
        problem: None,
    })
}

/// True when a token value was redacted by whoever shared the capture (`***`, `[REDACTED]`,
/// `xxxx`, a short stub with `...`, or this tool's own mask `[access_token len=59 #a1b2c3]`):
/// nothing can be said about the token that was really sent.
pub(crate) fn is_redacted(t: &str) -> bool {
    crate::secret::redaction(t).is_some()
}

/// True for Miro's token shape: the `eyJtaXJv` prefix, `_`, and an opaque tail (facts §6).
pub(crate) fn is_miro_token_shape(t: &str) -> bool {
    t.starts_with(MIRO_TOKEN_PREFIX) && t.contains('_') && !t.contains('.')
}

// ---------------------------------------------------------------------------------------------
// Responses and time.

/// The response status when one was captured (None for 0 / no response).
pub(crate) fn status(ex: &Ex<'_>) -> Option<u16> {
    ex.response.as_ref().map(|r| r.status).filter(|s| *s != 0)
}

/// True when Miro answered 2xx or 3xx: the call was accepted, whatever the capture shows.
pub(crate) fn accepted(ex: &Ex<'_>) -> bool {
    status(ex).is_some_and(|s| (200..400).contains(&s))
}

/// Miro's error `code` in a JSON error body.
pub(crate) fn error_code(resp: Option<&Response>) -> Option<String> {
    let body = resp?.json_body()?;
    body.get("code")
        .and_then(|c| c.as_str())
        .map(str::to_string)
}

/// A duration in words (`1 h 5 min`, `62 days`, `42 s`).
pub(crate) fn human_duration(secs: i64) -> String {
    let secs = secs.max(0);
    if secs >= 2 * 86_400 {
        format!("{} days", secs / 86_400)
    } else if secs >= 3600 {
        let m = (secs % 3600) / 60;
        if m == 0 {
            format!("{} h", secs / 3600)
        } else {
            format!("{} h {} min", secs / 3600, m)
        }
    } else if secs >= 60 {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}

/// A timestamp for messages (`2026-03-02T09:11:02Z`).
pub(crate) fn fmt_time(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// How to point at another exchange in a message: `entry 3` within the same HAR, else the
/// input's name (with its entry).
pub(crate) fn describe(cx: &Cx<'_>, ex: &Ex<'_>, from: &Ex<'_>) -> String {
    let source = cx
        .flow()
        .inputs
        .get(ex.input)
        .map(|i| i.source.clone())
        .unwrap_or_default();
    match ex.entry {
        Some(e) if ex.input == from.input => format!("entry {e}"),
        Some(e) => format!("{source} entry {e}"),
        None => source,
    }
}

/// `GET /v2/boards/uXjVN1bT0aE=` (no query, no host).
pub(crate) fn method_path(req: &Request) -> String {
    let p = req.raw_url().path;
    format!(
        "{} {}",
        req.method.trim().to_ascii_uppercase(),
        if p.is_empty() { "/" } else { p }
    )
}

// ---------------------------------------------------------------------------------------------
// Tokens issued in the flow.

/// A successful token response seen in the flow.
#[derive(Clone, Debug)]
pub(crate) struct Issued {
    /// Index of the token exchange.
    pub index: usize,
    /// The access token issued.
    pub access_token: String,
    /// The refresh token issued, if any.
    pub refresh_token: Option<String>,
    /// `expires_in` seconds (None: a non-expiring token).
    pub expires_in: Option<i64>,
    /// The granted scopes (`scope`, space-separated), when the response says.
    pub scopes: Option<Vec<String>>,
    /// When it was issued.
    pub time: Option<jiff::Timestamp>,
    /// The refresh token the request spent (`grant_type=refresh_token`).
    pub refresh_used: Option<String>,
}

fn json_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Splits a scope string (`boards:read boards:write`, commas tolerated).
pub(crate) fn split_scopes(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '+')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The request's `refresh_token` parameter (wherever it is), when the grant is a refresh.
pub(crate) fn refresh_param(req: &Request) -> Option<(ParamPlace, String)> {
    let params = req.params();
    let grant = params
        .iter()
        .find(|p| p.param.name == "grant_type")
        .map(|p| p.param.value.trim().to_string());
    let rt = params
        .iter()
        .find(|p| p.param.name == "refresh_token" && !p.param.value.trim().is_empty())?;
    if grant.is_some_and(|g| !g.eq_ignore_ascii_case("refresh_token")) {
        return None;
    }
    Some((rt.place, rt.param.value.trim().to_string()))
}

/// Every successful token response of the flow, in order.
pub(crate) fn issued_tokens(cx: &Cx<'_>) -> Vec<Issued> {
    let mut out = Vec::new();
    for ex in cx.of_step(Step::Token) {
        let Some(resp) = ex.response.as_ref() else {
            continue;
        };
        if resp.status != 0 && !(200..300).contains(&resp.status) {
            continue;
        }
        let Some(body) = resp.json_body() else {
            continue;
        };
        let Some(at) = body.get("access_token").and_then(json_string) else {
            continue;
        };
        if at.trim().is_empty() {
            continue;
        }
        let expires_in = body.get("expires_in").and_then(|v| match v {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });
        out.push(Issued {
            index: ex.index,
            access_token: at.trim().to_string(),
            refresh_token: body
                .get("refresh_token")
                .and_then(json_string)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            expires_in,
            scopes: body.get("scope").and_then(|v| v.as_str()).map(split_scopes),
            time: crate::rules::common::time_of(&ex),
            refresh_used: refresh_param(&ex.request).map(|(_, v)| v),
        });
    }
    out
}

/// The latest issuance of this access token before exchange `before`.
pub(crate) fn issuance_of<'i>(
    issued: &'i [Issued],
    token: &str,
    before: usize,
) -> Option<&'i Issued> {
    issued
        .iter()
        .rev()
        .find(|i| i.index < before && i.access_token == token)
}

/// The REST calls among `calls` that send a token issued in the flow, each with the token and
/// its latest issuance before the call; SCIM calls and calls Miro accepted are left out.
pub(crate) fn calls_with_issued_token<'a, 'i>(
    calls: Vec<Ex<'a>>,
    issued: &'i [Issued],
) -> impl Iterator<Item = (Ex<'a>, SentToken, &'i Issued)> {
    calls.into_iter().filter_map(move |ex| {
        if ex.step == Step::Scim || accepted(&ex) {
            return None;
        }
        let token = sent_token(&ex.request)?;
        let iss = issuance_of(issued, token.trimmed(), ex.index)?;
        Some((ex, token, iss))
    })
}

/// When a token was issued and when an exchange used it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenTimes {
    /// The time of the token response that issued it.
    pub issued_at: jiff::Timestamp,
    /// The time of the exchange, else `--now`.
    pub used_at: jiff::Timestamp,
    /// `used_at` is `--now`: the exchange has no time of its own.
    pub by_now: bool,
}

impl TokenTimes {
    /// Seconds from issue to use.
    pub(crate) fn seconds(&self) -> i64 {
        self.used_at.as_second() - self.issued_at.as_second()
    }

    /// The words before the time of use in a message: `at`, or `now (--now)`.
    pub(crate) fn when(&self) -> &'static str {
        if self.by_now {
            "now (--now)"
        } else {
            "at"
        }
    }
}

/// How old the token of issuance `iss` was when `ex` used it, or `None` after skipping the
/// rule with the reason: the token response has no time, or `ex` has none and no `--now` was
/// given (`untimed` says that).
pub(crate) fn token_times(
    cx: &mut Cx<'_>,
    iss: &Issued,
    ex: &Ex<'_>,
    untimed: &str,
) -> Option<TokenTimes> {
    let Some(issued_at) = iss.time else {
        cx.skip("the token response has no time (no HAR timing, no Date header)");
        return None;
    };
    let (used_at, by_now) = match crate::rules::common::time_of(ex) {
        Some(t) => (t, false),
        None => match cx.now() {
            Some(now) => (now, true),
            None => {
                cx.skip(untimed);
                return None;
            }
        },
    };
    Some(TokenTimes {
        issued_at,
        used_at,
        by_now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &str) -> (Option<SchemeProblem>, Option<String>) {
        let a = parse_auth(v);
        (a.problem, a.token)
    }

    #[test]
    fn auth_values() {
        assert_eq!(p("Bearer abc"), (None, Some("abc".into())));
        assert_eq!(p("bearer abc"), (None, Some("abc".into())));
        assert_eq!(p("BEARER  abc"), (None, Some("abc".into())));
        assert_eq!(
            p("Bearer: abc"),
            (Some(SchemeProblem::Colon), Some("abc".into()))
        );
        assert_eq!(
            p("Bearer:abc"),
            (Some(SchemeProblem::Colon), Some("abc".into()))
        );
        assert_eq!(p("Bearer"), (Some(SchemeProblem::NoToken), None));
        assert_eq!(p("Bearer   "), (Some(SchemeProblem::NoToken), None));
        assert_eq!(
            p("Bearerabc"),
            (Some(SchemeProblem::NoSpace), Some("abc".into()))
        );
        assert_eq!(
            p("Bearer Bearer abc"),
            (Some(SchemeProblem::Doubled), Some("abc".into()))
        );
        assert_eq!(
            p("Bearer \"abc\""),
            (Some(SchemeProblem::Quoted), Some("abc".into()))
        );
        assert_eq!(
            p("'Bearer abc'"),
            (Some(SchemeProblem::Quoted), Some("abc".into()))
        );
        assert_eq!(
            p("Token abc"),
            (
                Some(SchemeProblem::Other("Token".into())),
                Some("abc".into())
            )
        );
        assert_eq!(
            p("OAuth abc"),
            (
                Some(SchemeProblem::Other("OAuth".into())),
                Some("abc".into())
            )
        );
        assert_eq!(p("Basic YWJjOmRlZg=="), (Some(SchemeProblem::Basic), None));
        assert_eq!(
            p("abc"),
            (Some(SchemeProblem::NoScheme), Some("abc".into()))
        );
        assert_eq!(p(""), (Some(SchemeProblem::Empty), None));
        assert_eq!(
            p("Bearer Token eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tW"),
            (
                Some(SchemeProblem::ExtraWord("Token".into())),
                Some("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tW".into())
            )
        );
        // Two halves of a broken token are not an extra word.
        assert_eq!(p("Bearer eyJtaXJvLm9y aWdpbiI6ImV1MDEifQ_kV8nR3tW").0, None);
    }

    #[test]
    fn redactions() {
        for t in [
            "***",
            "eyJtaXJv***",
            "[REDACTED]",
            "<redacted>",
            "xxxxxxxx",
            "eyJ...",
            "[access_token len=59 #d8adad]",
            "\u{2022}\u{2022}\u{2022}\u{2022}",
        ] {
            assert!(is_redacted(t), "{t}");
        }
        assert!(!is_redacted(
            "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tWq2Lx9ZpB4cYm7HdJ0sFa"
        ));
        assert!(!is_redacted("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3..."));
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(3900), "1 h 5 min");
        assert_eq!(human_duration(86_400 * 62), "62 days");
        assert_eq!(human_duration(42), "42 s");
    }
}

//! HTTP to Miro for the live commands: where credentials may go ([`Endpoints`]), the
//! blocking client that sends the token, token-context and revoke requests ([`MiroClient`]),
//! and the parsing of Miro's answers (facts §4.3, §8).
//!
//! Every request is recorded as a [`model::Request`](crate::model::Request) exactly as sent
//! (method, URL, headers, body) next to its [`model::Response`](crate::model::Response), so
//! that when Miro says no, the doctor's rules can diagnose the very exchange that failed.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use url::{Host, Url};

use crate::model::{Body, Header, Request, Response};

/// The user agent sent with every request (recorded, so it shows in diagnoses too).
const UA: &str = concat!("miro-oauth/", env!("CARGO_PKG_VERSION"));

/// Why a URL may not carry credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// The text is not an absolute URL.
    #[error("{url}: not an absolute URL; expected e.g. {example}")]
    Invalid {
        /// The URL as given.
        url: String,
        /// The default of the URL expected ([`EndpointUrl::example`]).
        example: &'static str,
    },
    /// Plain http (or another scheme) to a host that is not loopback.
    #[error(
        "{url}: credentials go over https only (plain http is allowed to loopback hosts \
         such as 127.0.0.1 or localhost, for local stand-ins); expected an https:// URL"
    )]
    Insecure {
        /// The URL as given.
        url: String,
    },
    /// The URL carries user info, a query or a fragment where a base URL was expected.
    #[error("{url}: {what}; expected {expected}")]
    NotABase {
        /// The URL as given.
        url: String,
        /// What is wrong.
        what: &'static str,
        /// What was expected ([`EndpointUrl::plain`]).
        expected: &'static str,
    },
    /// A request would go to a host other than the configured Miro API host.
    #[error(
        "refusing to send credentials to {url}: only the configured Miro API ({allowed}) \
         receives them; expected a URL on that host"
    )]
    NotConfigured {
        /// The URL the request would have gone to (without query).
        url: String,
        /// The configured API origin.
        allowed: String,
    },
}

/// True for hosts that never leave the machine: `localhost` (and `*.localhost`), 127.0.0.0/8
/// and `::1`. Plain http is tolerated only to these (tests and local stand-ins).
pub fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

/// Checks the transport of a URL that will carry credentials: https anywhere, http only to
/// loopback.
pub fn check_transport(url: &Url) -> Result<(), EndpointError> {
    let loopback = url.host().is_some_and(|h| is_loopback(&h));
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(EndpointError::Insecure {
            url: url.to_string(),
        }),
    }
}

/// One of the two URLs of [`Endpoints`], to say which one was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointUrl {
    /// The authorize URL (`--auth-url`, `[miro] auth_url`).
    Auth,
    /// The REST API base (`--base-url`, `[miro] api_url`).
    Api,
}

impl EndpointUrl {
    /// Miro's URL, shown as the example of what was expected.
    pub fn example(self) -> &'static str {
        match self {
            EndpointUrl::Auth => "https://miro.com/oauth/authorize",
            EndpointUrl::Api => "https://api.miro.com",
        }
    }

    /// What a URL with user info, a query or a fragment should have been.
    pub fn plain(self) -> &'static str {
        match self {
            EndpointUrl::Auth => "a plain URL such as https://miro.com/oauth/authorize",
            EndpointUrl::Api => "a plain base URL such as https://api.miro.com",
        }
    }
}

fn parse_base(text: &str, which: EndpointUrl) -> Result<Url, EndpointError> {
    let example = which.example();
    let url = Url::parse(text.trim()).map_err(|_| EndpointError::Invalid {
        url: text.to_string(),
        example,
    })?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(EndpointError::Invalid {
            url: text.to_string(),
            example,
        });
    }
    check_transport(&url)?;
    let what = if !url.username().is_empty() || url.password().is_some() {
        Some("user info in the URL")
    } else if url.fragment().is_some() {
        Some("a #fragment")
    } else {
        None
    };
    if let Some(what) = what {
        // The password is a secret: shown masked.
        let shown = match url.password() {
            Some(_) => {
                let mut u = url.clone();
                let _ = u.set_password(Some("***"));
                u.to_string()
            }
            None => text.to_string(),
        };
        return Err(EndpointError::NotABase {
            url: shown,
            what,
            expected: which.plain(),
        });
    }
    Ok(url)
}

/// The Miro hosts the live commands talk to: the authorize URL (browser only, no credentials)
/// and the REST API base (token, token context, revoke: facts §1). Built from the config's
/// `[miro] auth_url`/`api_url`, or the `--auth-url`/`--base-url` overrides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// The authorize URL (facts §2), e.g. `https://miro.com/oauth/authorize`.
    pub auth_url: Url,
    /// The API base, e.g. `https://api.miro.com` (a path prefix is kept).
    pub api_url: Url,
}

impl Endpoints {
    /// Validates both URLs: absolute, https (http only to loopback), no user info. The API
    /// base must also have no query string (paths are appended to it).
    pub fn new(auth_url: &str, api_url: &str) -> Result<Endpoints, EndpointError> {
        Endpoints::checked(auth_url, api_url).map_err(|(_, e)| e)
    }

    /// [`Endpoints::new`], saying which of the two URLs was refused (so that the message
    /// can name the flag or config key it came from).
    pub fn checked(
        auth_url: &str,
        api_url: &str,
    ) -> Result<Endpoints, (EndpointUrl, EndpointError)> {
        let auth_url =
            parse_base(auth_url, EndpointUrl::Auth).map_err(|e| (EndpointUrl::Auth, e))?;
        let api = parse_base(api_url, EndpointUrl::Api).map_err(|e| (EndpointUrl::Api, e))?;
        if api.query().is_some() {
            return Err((
                EndpointUrl::Api,
                EndpointError::NotABase {
                    url: api_url.to_string(),
                    what: "a ?query",
                    expected: EndpointUrl::Api.plain(),
                },
            ));
        }
        Ok(Endpoints {
            auth_url,
            api_url: api,
        })
    }

    fn api(&self, path: &str) -> Url {
        let mut base = self.api_url.clone();
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        base.join(path)
            .expect("a relative path joins onto a base URL")
    }

    /// `POST /v1/oauth/token` (facts §1, §4; `/v1` is not deprecated for OAuth).
    pub fn token_url(&self) -> Url {
        self.api("v1/oauth/token")
    }

    /// `GET /v1/oauth-token`, the token context (facts §8).
    pub fn token_info_url(&self) -> Url {
        self.api("v1/oauth-token")
    }

    /// `POST /v2/oauth/revoke` with a JSON body (facts §9).
    pub fn revoke_v2_url(&self) -> Url {
        self.api("v2/oauth/revoke")
    }

    /// `POST /v1/oauth/revoke?access_token=…`, deprecated (facts §9).
    pub fn revoke_v1_url(&self, access_token: &str) -> Url {
        let mut u = self.api("v1/oauth/revoke");
        u.query_pairs_mut()
            .append_pair("access_token", access_token);
        u
    }

    /// The authorize link for a login (facts §2): `response_type=code`, `client_id`,
    /// `redirect_uri`, `state`, and `team_id` when given. No `scope`: Miro takes the scopes
    /// from the app settings, not from the link.
    pub fn authorize_link(
        &self,
        client_id: &str,
        redirect_uri: &str,
        state: &str,
        team_id: Option<&str>,
    ) -> Url {
        let mut u = self.auth_url.clone();
        {
            let mut q = u.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", client_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("state", state);
            if let Some(team) = team_id {
                q.append_pair("team_id", team);
            }
        }
        u
    }

    /// The API origin (`scheme://host:port`), for messages.
    pub fn api_origin(&self) -> String {
        self.api_url.origin().ascii_serialization()
    }

    /// May a request to `url` carry credentials? Only to the configured API origin (same
    /// scheme, host and port), over https or loopback http.
    pub fn allow_credentials(&self, url: &Url) -> Result<(), EndpointError> {
        check_transport(url)?;
        if url.origin() != self.api_url.origin() {
            let mut shown = url.clone();
            shown.set_query(None);
            return Err(EndpointError::NotConfigured {
                url: shown.to_string(),
                allowed: self.api_origin(),
            });
        }
        Ok(())
    }

    /// Is the API on a loopback host (a test stand-in)? Proxies are then bypassed.
    pub fn api_is_loopback(&self) -> bool {
        self.api_url.host().is_some_and(|h| is_loopback(&h))
    }
}

/// One request as sent and the answer it got.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The request exactly as sent: method, URL, headers, body.
    pub request: Request,
    /// The response.
    pub response: Response,
}

impl Sent {
    /// A 2xx answer.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.response.status)
    }

    /// The response body parsed as JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        self.response.json_body()
    }

    /// Miro's error in one line: `401 oauthError "Invalid authorization code"` (the REST error
    /// object of facts §4.4/§10, or an RFC 6749 `error`/`error_description`, or the status).
    pub fn error_line(&self) -> String {
        let status = self.response.status;
        let Some(v) = self.json() else {
            return format!("HTTP {status}");
        };
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        match (s("code"), s("message"), s("error"), s("error_description")) {
            (Some(code), Some(msg), _, _) => format!("{status} {code} \"{msg}\""),
            (None, Some(msg), _, _) => format!("{status} \"{msg}\""),
            (_, None, Some(err), Some(desc)) => format!("{status} {err} \"{desc}\""),
            (_, None, Some(err), None) => format!("{status} {err}"),
            _ => format!("HTTP {status}"),
        }
    }
}

/// A failure to get any answer: DNS, connection, TLS, timeout (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("cannot reach {url}: {reason}; expected Miro's API to answer there (check [miro] api_url in the config, --base-url, and the network)")]
pub struct TransportError {
    /// The URL without its query (the v1 revoke query holds a token).
    pub url: String,
    /// The error chain.
    pub reason: String,
}

/// The HTTP client could not be set up (exit 2): reqwest's blocking client runs its own
/// worker thread and event loop, which the process may be unable to start.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the HTTP client: {reason}; expected to start its worker thread (check the process's limits on threads, memory and open files)")]
pub struct ClientError {
    /// The error chain.
    pub reason: String,
}

/// The successful token response (facts §4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// The refresh token (expiring-token apps only, facts §5).
    pub refresh_token: Option<String>,
    /// Seconds until the access token expires (absent for non-expiring tokens).
    pub expires_in: Option<i64>,
    /// Granted scopes, space-separated as Miro sends them.
    pub scope: Option<String>,
    /// Team id (a JSON number in Miro's docs, a string in the Node typing: both accepted).
    pub team_id: Option<String>,
    /// User id.
    pub user_id: Option<String>,
    /// `bearer`.
    pub token_type: String,
}

/// An id that may be a JSON string or number (19-digit ids are read as u64 text, never f64).
fn id_of(v: &serde_json::Value, key: &str) -> Option<String> {
    match v.get(key)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl TokenResponse {
    /// Reads Miro's token JSON; `None` when `access_token` is missing.
    pub fn parse(v: &serde_json::Value) -> Option<TokenResponse> {
        let s = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .filter(|x| !x.is_empty())
                .map(str::to_string)
        };
        Some(TokenResponse {
            access_token: s("access_token")?,
            refresh_token: s("refresh_token"),
            expires_in: v.get("expires_in").and_then(|x| {
                x.as_i64()
                    .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
            }),
            scope: s("scope"),
            team_id: id_of(v, "team_id"),
            user_id: id_of(v, "user_id"),
            token_type: s("token_type").unwrap_or_else(|| "bearer".to_string()),
        })
    }
}

/// A `{type, name, id}` object of the token context.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entity {
    /// Display name.
    pub name: Option<String>,
    /// Id (string or number in the JSON).
    pub id: Option<String>,
}

impl Entity {
    fn parse(v: Option<&serde_json::Value>) -> Entity {
        let Some(v) = v else {
            return Entity::default();
        };
        Entity {
            name: v.get("name").and_then(|x| x.as_str()).map(str::to_string),
            id: id_of(v, "id"),
        }
    }

    /// `Name (id)`, or whichever part is known.
    pub fn describe(&self) -> String {
        match (&self.name, &self.id) {
            (Some(n), Some(i)) => format!("{n} ({i})"),
            (Some(n), None) => n.clone(),
            (None, Some(i)) => i.clone(),
            (None, None) => "unknown".to_string(),
        }
    }
}

/// The token context of `GET /v1/oauth-token` (facts §8).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenContext {
    /// Token type (`user`).
    pub kind: Option<String>,
    /// The organization.
    pub organization: Entity,
    /// The team the app is installed in.
    pub team: Entity,
    /// The user the token acts for.
    pub user: Entity,
    /// Who created the token.
    pub created_by: Entity,
    /// Granted scopes (optional in the schema).
    pub scopes: Option<Vec<String>>,
}

impl TokenContext {
    /// Reads the token-context JSON.
    pub fn parse(v: &serde_json::Value) -> TokenContext {
        TokenContext {
            kind: v.get("type").and_then(|x| x.as_str()).map(str::to_string),
            organization: Entity::parse(v.get("organization")),
            team: Entity::parse(v.get("team")),
            user: Entity::parse(v.get("user")),
            created_by: Entity::parse(v.get("createdBy")),
            scopes: v.get("scopes").and_then(|x| x.as_array()).map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            }),
        }
    }
}

/// The blocking HTTP client for Miro's OAuth endpoints.
pub struct MiroClient {
    http: reqwest::blocking::Client,
    endpoints: Endpoints,
}

impl MiroClient {
    /// A client for these endpoints. Redirects are never followed: a 3xx could carry the
    /// client secret or a token to another host. Proxies from the environment are honoured
    /// except for a loopback API (a local stand-in).
    pub fn new(endpoints: Endpoints) -> Result<MiroClient, ClientError> {
        let mut b = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .https_only(!endpoints.api_is_loopback());
        if endpoints.api_is_loopback() {
            b = b.no_proxy();
        }
        let http = b.build().map_err(|e| ClientError { reason: chain(&e) })?;
        Ok(MiroClient { http, endpoints })
    }

    /// The endpoints.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Sends a built request after checking it may carry credentials; records it as sent.
    fn send(&self, req: reqwest::blocking::Request) -> Result<Sent, SendError> {
        self.endpoints.allow_credentials(req.url())?;
        let request = record(&req);
        let mut shown = req.url().clone();
        shown.set_query(None);
        let resp = self.http.execute(req).map_err(|e| TransportError {
            url: shown.to_string(),
            reason: chain(&e.without_url()),
        })?;
        let status = resp.status().as_u16();
        let headers = headers_of(resp.headers());
        let body = resp.text().map_err(|e| TransportError {
            url: shown.to_string(),
            reason: chain(&e.without_url()),
        })?;
        Ok(Sent {
            request,
            response: Response {
                status,
                headers,
                body: Some(body),
            },
        })
    }

    fn token_request(&self, params: &[(&str, &str)]) -> Result<Sent, SendError> {
        // Form-encoded body, the encoding Miro's code-exchange reference recommends (facts
        // §4.1): the secret stays out of URLs and logs.
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        let url = self.endpoints.token_url();
        let req = self
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, UA)
            .body(body)
            .build()
            .map_err(|e| build_error(&url, e))?;
        self.send(req)
    }

    /// Exchanges an authorization code (facts §4.2: `code`, `redirect_uri`, `client_id`,
    /// `client_secret`).
    pub fn exchange_code(
        &self,
        client_id: &str,
        client_secret: &str,
        code: &str,
        redirect_uri: &str,
    ) -> Result<Sent, SendError> {
        self.token_request(&[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ])
    }

    /// Refreshes (facts §4.2: `refresh_token`, `client_id`, `client_secret`; no
    /// `redirect_uri`). Miro rotates the pair (facts §5).
    pub fn refresh(
        &self,
        client_id: &str,
        client_secret: &str,
        refresh_token: &str,
    ) -> Result<Sent, SendError> {
        self.token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("refresh_token", refresh_token),
        ])
    }

    /// `GET /v1/oauth-token` with the token in the `Authorization` header (facts §7, §8).
    pub fn token_info(&self, access_token: &str) -> Result<Sent, SendError> {
        let url = self.endpoints.token_info_url();
        let req = self
            .http
            .get(url.clone())
            .header(AUTHORIZATION, format!("Bearer {access_token}"))
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, UA)
            .build()
            .map_err(|e| build_error(&url, e))?;
        self.send(req)
    }

    /// `POST /v2/oauth/revoke` with the camelCase JSON body of facts §9.
    pub fn revoke_v2(
        &self,
        access_token: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<Sent, SendError> {
        let body = serde_json::json!({
            "accessToken": access_token,
            "clientId": client_id,
            "clientSecret": client_secret,
        });
        let url = self.endpoints.revoke_v2_url();
        let req = self
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, UA)
            .body(body.to_string())
            .build()
            .map_err(|e| build_error(&url, e))?;
        self.send(req)
    }

    /// `POST /v1/oauth/revoke?access_token=…`: deprecated by Miro because the token sits in
    /// the URL (facts §9); only behind `revoke --v1`.
    pub fn revoke_v1(&self, access_token: &str) -> Result<Sent, SendError> {
        let url = self.endpoints.revoke_v1_url(access_token);
        let req = self
            .http
            .post(url.clone())
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, UA)
            .build()
            .map_err(|e| build_error(&url, e))?;
        self.send(req)
    }
}

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The URL may not carry credentials.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// No answer.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The request could not be built, so it was never sent. Only a header value can be
    /// refused: a control character in the access token of the token file, which
    /// `token-info` sends as `Authorization: Bearer …`.
    #[error("cannot build the request to {url}: {reason}; expected header values without control characters (token-info sends the stored access token in one: run `miro-oauth login` for a new token)")]
    Build {
        /// The URL without its query (the v1 revoke query holds a token).
        url: String,
        /// The error chain.
        reason: String,
    },
}

fn build_error(url: &Url, e: reqwest::Error) -> SendError {
    let mut url = url.clone();
    url.set_query(None);
    SendError::Build {
        url: url.to_string(),
        reason: chain(&e.without_url()),
    }
}

/// The error and its sources, joined with `: `.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !out.contains(&t) {
            out.push_str(": ");
            out.push_str(&t);
        }
        src = s.source();
    }
    out
}

fn headers_of(map: &HeaderMap) -> Vec<Header> {
    map.iter()
        .map(|(k, v)| Header {
            name: k.as_str().to_string(),
            value: String::from_utf8_lossy(v.as_bytes()).into_owned(),
        })
        .collect()
}

/// The request as it will go on the wire, in the capture model.
fn record(req: &reqwest::blocking::Request) -> Request {
    let body = req
        .body()
        .and_then(|b| b.as_bytes())
        .map(|b| Body::Text(String::from_utf8_lossy(b).into_owned()));
    Request {
        method: req.method().as_str().to_string(),
        url: req.url().to_string(),
        headers: headers_of(req.headers()),
        body,
        curl: None,
        params_cache: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep() -> Endpoints {
        Endpoints::new("https://miro.com/oauth/authorize", "https://api.miro.com").unwrap()
    }

    #[test]
    fn https_enforced_for_non_loopback() {
        for bad in [
            "http://api.miro.com",
            "http://example.com:8080/",
            "ftp://api.miro.com",
            "http://10.0.0.1",
            "http://127.0.0.1.nip.io",
        ] {
            assert!(
                matches!(
                    Endpoints::new("https://miro.com/oauth/authorize", bad),
                    Err(EndpointError::Insecure { .. })
                ),
                "{bad}"
            );
            assert!(
                Endpoints::new(bad, "https://api.miro.com").is_err(),
                "auth {bad}"
            );
        }
        for ok in [
            "https://api.miro.com",
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:9000/prefix",
            "http://127.5.5.5",
        ] {
            assert!(
                Endpoints::new("https://miro.com/oauth/authorize", ok).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn base_url_shape() {
        assert!(matches!(
            Endpoints::new(
                "https://miro.com/oauth/authorize",
                "https://u:p@api.miro.com"
            ),
            Err(EndpointError::NotABase { .. })
        ));
        assert!(matches!(
            Endpoints::new(
                "https://miro.com/oauth/authorize",
                "https://api.miro.com/?x=1"
            ),
            Err(EndpointError::NotABase { .. })
        ));
        assert!(matches!(
            Endpoints::new("https://miro.com/oauth/authorize", "api.miro.com"),
            Err(EndpointError::Invalid { .. })
        ));
    }

    #[test]
    fn credentials_only_to_configured_api_host() {
        let e = ep();
        assert!(e.allow_credentials(&e.token_url()).is_ok());
        assert!(e.allow_credentials(&e.revoke_v2_url()).is_ok());
        for other in [
            "https://miro.com/v1/oauth/token",
            "https://api.miro.com.evil.example/v1/oauth/token",
            "https://evil.example/v1/oauth/token",
            "https://api.miro.com:8443/v1/oauth/token",
            "http://api.miro.com/v1/oauth/token",
        ] {
            let u = Url::parse(other).unwrap();
            assert!(e.allow_credentials(&u).is_err(), "{other}");
        }
        // A loopback stand-in is allowed over http, but only on its own port.
        let local = Endpoints::new(
            "http://127.0.0.1:4000/oauth/authorize",
            "http://127.0.0.1:4000",
        )
        .unwrap();
        assert!(local.allow_credentials(&local.token_url()).is_ok());
        let other_port = Url::parse("http://127.0.0.1:4001/v1/oauth/token").unwrap();
        assert!(matches!(
            local.allow_credentials(&other_port),
            Err(EndpointError::NotConfigured { .. })
        ));
    }

    /// A token with a control character cannot go into the Authorization header: the
    /// request is refused before anything is sent, naming the URL and what was expected.
    #[test]
    fn unbuildable_request_is_not_sent() {
        let client = MiroClient::new(ep()).unwrap();
        let e = client
            .token_info("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_Secret\nAccess")
            .expect_err("a build error");
        assert!(matches!(e, SendError::Build { .. }), "{e:?}");
        let shown = e.to_string();
        assert!(
            shown.starts_with(
                "cannot build the request to https://api.miro.com/v1/oauth-token: builder error"
            ),
            "{shown}"
        );
        assert!(
            shown.ends_with("expected header values without control characters (token-info sends the stored access token in one: run `miro-oauth login` for a new token)"),
            "{shown}"
        );
        assert!(!shown.contains("Secret"), "{shown}");
    }

    #[test]
    fn client_refuses_unconfigured_host_before_sending() {
        let client = MiroClient::new(ep()).unwrap();
        // Port 9 on loopback: if the guard let it through, this would be a transport error.
        let req = client
            .http
            .post("http://127.0.0.1:9/v1/oauth/token")
            .body("client_secret=s3cret")
            .build()
            .unwrap();
        assert!(matches!(
            client.send(req),
            Err(SendError::Endpoint(EndpointError::NotConfigured { .. }))
        ));
    }

    #[test]
    fn urls_keep_api_prefix() {
        let e = Endpoints::new(
            "https://miro.com/oauth/authorize",
            "http://localhost:1/miro",
        )
        .unwrap();
        assert_eq!(
            e.token_url().as_str(),
            "http://localhost:1/miro/v1/oauth/token"
        );
        assert_eq!(
            ep().token_info_url().as_str(),
            "https://api.miro.com/v1/oauth-token"
        );
        assert_eq!(
            ep().revoke_v1_url("a b").as_str(),
            "https://api.miro.com/v1/oauth/revoke?access_token=a+b"
        );
    }

    #[test]
    fn authorize_link_has_no_scope() {
        let link = ep().authorize_link("123", "http://127.0.0.1:3000/cb", "st", Some("9"));
        assert_eq!(
            link.as_str(),
            "https://miro.com/oauth/authorize?response_type=code&client_id=123&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcb&state=st&team_id=9"
        );
    }

    #[test]
    fn token_response_ids_as_text() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"token_type":"bearer","team_id":3074457358607431473,"user_id":"3458764517517819000",
               "access_token":"a","refresh_token":"r","scope":"boards:read","expires_in":3599}"#,
        )
        .unwrap();
        let t = TokenResponse::parse(&v).unwrap();
        assert_eq!(t.team_id.as_deref(), Some("3074457358607431473"));
        assert_eq!(t.user_id.as_deref(), Some("3458764517517819000"));
        assert_eq!(t.expires_in, Some(3599));
        assert!(TokenResponse::parse(&serde_json::json!({"x":1})).is_none());
    }

    #[test]
    fn error_line_shapes() {
        let sent = |status, body: &str| Sent {
            request: Request {
                method: "POST".into(),
                url: "https://api.miro.com/v1/oauth/token".into(),
                headers: vec![],
                body: None,
                curl: None,
                params_cache: Default::default(),
            },
            response: Response {
                status,
                headers: vec![],
                body: Some(body.into()),
            },
        };
        assert_eq!(
            sent(401, r#"{"status":401,"code":"oauthError","message":"Invalid authorization code","type":"error"}"#).error_line(),
            "401 oauthError \"Invalid authorization code\""
        );
        assert_eq!(
            sent(400, r#"{"error":"invalid_grant"}"#).error_line(),
            "400 invalid_grant"
        );
        assert_eq!(sent(502, "<html>").error_line(), "HTTP 502");
    }
}

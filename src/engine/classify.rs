//! Which OAuth step a request is: authorize link, callback, token request, REST call, ….
//! Classification reads the model (host, path, params), routes by host (facts §14: the MCP
//! realm `mcp.miro.com` is not the REST OAuth realm) and is shared by every rule.

use crate::config::Config;
use crate::finding::Step;
use crate::model::{RawUrl, Request};

/// The Miro realm a host belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Realm {
    /// `miro.com` and `www.miro.com` (authorize, SCIM, the web app).
    Web,
    /// `api.miro.com` (token, REST).
    Api,
    /// `mcp.miro.com`, a separate OAuth 2.1 realm (facts §14): rules do not apply.
    Mcp,
    /// Some other `*.miro.com` host.
    OtherMiro,
    /// Not Miro.
    NotMiro,
}

/// The realm of a lower-cased host.
pub fn realm(host: &str) -> Realm {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match host.as_str() {
        "miro.com" | "www.miro.com" => Realm::Web,
        "api.miro.com" => Realm::Api,
        "mcp.miro.com" => Realm::Mcp,
        h if h.ends_with(".miro.com") => Realm::OtherMiro,
        _ => Realm::NotMiro,
    }
}

/// True for hosts the REST OAuth rules apply to (`miro.com`, `www.miro.com`, `api.miro.com`
/// and other `*.miro.com` except `mcp.miro.com`), plus the hosts of a config's `[miro]` URLs.
pub fn is_miro_oauth_host(host: &str, config: Option<&Config>) -> bool {
    match realm(host) {
        Realm::Web | Realm::Api | Realm::OtherMiro => true,
        Realm::Mcp => false,
        Realm::NotMiro => config.is_some_and(|c| {
            let a = RawUrl::split(&c.miro.auth_url).host.to_ascii_lowercase();
            let b = RawUrl::split(&c.miro.api_url).host.to_ascii_lowercase();
            host.eq_ignore_ascii_case(&a) || host.eq_ignore_ascii_case(&b)
        }),
    }
}

/// Lower-cased path with `//` collapsed and the trailing `/` removed.
pub(crate) fn norm_path(path: &str) -> String {
    let mut p = path.to_ascii_lowercase();
    while p.contains("//") {
        p = p.replace("//", "/");
    }
    while p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    p
}

/// Classifies a request into an OAuth flow step.
pub fn classify(req: &Request, config: Option<&Config>) -> Step {
    let raw = req.raw_url();
    let host = req.host();
    let path = norm_path(raw.path);
    let names: Vec<String> = req.query_params().into_iter().map(|p| p.name).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    let miro = is_miro_oauth_host(&host, config);

    if realm(&host) == Realm::Mcp {
        return Step::Other;
    }
    if miro {
        // `POST /v1/oauth-token?grant_type=…` is a token request sent to the token-info path
        // (the two are easily confused): classify by what it carries.
        if path.ends_with("/oauth-token")
            && (has("grant_type") || req.param("grant_type").is_some())
        {
            return Step::Token;
        }
        if path.ends_with("/oauth-token") {
            return Step::TokenInfo;
        }
        if path.ends_with("/revoke") && path.contains("oauth") {
            return Step::Revoke;
        }
        if path.ends_with("/authorize") {
            return Step::Authorize;
        }
        if path.ends_with("/token") && path.contains("oauth") {
            return Step::Token;
        }
        if path.contains("/scim") {
            return Step::Scim;
        }
        if has("response_type") && !has("grant_type") {
            return Step::Authorize;
        }
        if has("grant_type") || req.param("grant_type").is_some() {
            return Step::Token;
        }
        if realm(&host) == Realm::Api || path.starts_with("/api/") || path.starts_with("/v2") {
            return Step::Api;
        }
        return Step::Other;
    }
    // Not a Miro host: the app's own callback, when it carries what Miro sends back, or
    // when it is one of the registered redirect URIs.
    if has("code") || has("error") {
        return Step::Callback;
    }
    if let Some(c) = config {
        let here = format!("{}://{}{}", raw.scheme, raw.authority, raw.path);
        if c.app.redirect_uris.iter().any(|r| {
            let r = RawUrl::split(&r.value);
            format!("{}://{}{}", r.scheme, r.authority, r.path).eq_ignore_ascii_case(&here)
        }) && has("state")
        {
            return Step::Callback;
        }
    }
    Step::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, url: &str) -> Request {
        Request {
            method: method.into(),
            url: url.into(),
            headers: vec![],
            body: None,
            curl: None,
            params_cache: Default::default(),
        }
    }

    #[test]
    fn steps() {
        let c = |u: &str| classify(&req("GET", u), None);
        assert_eq!(
            c("https://miro.com/oauth/authorize?response_type=code"),
            Step::Authorize
        );
        assert_eq!(c("https://api.miro.com/oauth/authorize"), Step::Authorize);
        assert_eq!(c("https://miro.com/oauth2/authorize/"), Step::Authorize);
        assert_eq!(c("https://api.miro.com/v1/oauth/token"), Step::Token);
        assert_eq!(c("https://miro.com/oauth/token"), Step::Token);
        assert_eq!(c("https://api.miro.com/v1/oauth-token"), Step::TokenInfo);
        assert_eq!(c("https://api.miro.com/v2/oauth/revoke"), Step::Revoke);
        assert_eq!(c("https://api.miro.com/v2/boards"), Step::Api);
        assert_eq!(c("https://miro.com/api/v1/scim/Users"), Step::Scim);
        assert_eq!(
            c("https://app.example.com/cb?code=x&state=y"),
            Step::Callback
        );
        assert_eq!(
            c("https://app.example.com/cb?error=access_denied"),
            Step::Callback
        );
        assert_eq!(c("https://mcp.miro.com/authorize?code=1"), Step::Other);
        assert_eq!(c("https://example.com/"), Step::Other);
    }
}

//! `token-endpoint-wrong`: a token request sent anywhere but
//! `POST https://api.miro.com/v1/oauth/token` (wrong host, path, version, scheme or port).

use super::shape::{failed_token_requests, TOKEN_PATH};
use crate::engine::classify::norm_path;
use crate::model::RawUrl;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "token-endpoint-wrong",
    group: Group::Token,
    severity: Severity::Error,
    summary:
        "token request sent to the wrong host or path (not https://api.miro.com/v1/oauth/token)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/token-endpoint-wrong.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

const DEFAULT_API: &str = "https://api.miro.com";

/// The parts of an expected endpoint.
struct Endpoint {
    scheme: String,
    host: String,
    port: Option<String>,
    url: String,
}

fn endpoint(base: &str) -> Endpoint {
    let base = base.trim().trim_end_matches('/');
    let raw = RawUrl::split(base);
    Endpoint {
        scheme: raw.scheme.to_ascii_lowercase(),
        host: raw.host.to_ascii_lowercase(),
        port: raw.port.map(str::to_string),
        url: format!("{base}{TOKEN_PATH}"),
    }
}

fn default_port(scheme: &str) -> &'static str {
    if scheme == "http" {
        "80"
    } else {
        "443"
    }
}

/// What is wrong with the path, in words (None when it is the token path).
fn path_problem(path: &str) -> Option<String> {
    if path == TOKEN_PATH {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    Some(if path.trim_end_matches('/') == TOKEN_PATH {
        "a trailing slash after /v1/oauth/token".to_string()
    } else if lower == TOKEN_PATH {
        format!("path `{path}` in the wrong letter case (paths are case-sensitive)")
    } else if norm_path(path) == TOKEN_PATH {
        format!("a doubled `/` in the path `{path}`")
    } else if lower.ends_with("/oauth-token") {
        "`/v1/oauth-token` is the token-context endpoint (GET, token info), not the token endpoint `/v1/oauth/token`".to_string()
    } else if lower.contains("/v2/") || lower.starts_with("/v2") {
        format!("`{path}` uses /v2, but the OAuth token endpoint stays on /v1 (Miro's v1 OAuth endpoints are not deprecated)")
    } else if lower.contains("oauth2") {
        format!("`{path}` has `oauth2` where Miro's path has `oauth`")
    } else if lower.contains("/oauth/v1/") {
        format!("`{path}` has `/oauth/v1` where Miro's path has `/v1/oauth`")
    } else if lower.starts_with("/oauth/") || lower.starts_with("/api/oauth") {
        format!("`{path}` lacks the /v1 version segment")
    } else {
        format!("path `{path}` instead of /v1/oauth/token")
    })
}

/// The problems of a URL against one expected endpoint (empty when it matches).
fn problems(raw: &RawUrl<'_>, host: &str, want: &Endpoint) -> Vec<String> {
    let mut out = Vec::new();
    let scheme = raw.scheme.to_ascii_lowercase();
    if scheme != want.scheme {
        out.push(if scheme.is_empty() {
            format!("no scheme (expected {}://)", want.scheme)
        } else {
            format!("{scheme}:// instead of {}://", want.scheme)
        });
    }
    if host != want.host {
        out.push(if host == "miro.com" || host == "www.miro.com" {
            format!(
                "host {host} instead of {} ({host} serves the authorize page, not the token endpoint)",
                want.host
            )
        } else {
            format!("host {host} instead of {}", want.host)
        });
    }
    let sent_port = raw.port.filter(|p| *p != default_port(&scheme));
    let want_port = want
        .port
        .as_deref()
        .filter(|p| *p != default_port(&want.scheme));
    if sent_port != want_port && !(sent_port.is_none() && want_port.is_none()) {
        match sent_port {
            Some(p) => out.push(format!("port {p}")),
            None => out.push("no port".to_string()),
        }
    }
    if let Some(p) = path_problem(raw.path) {
        out.push(p);
    }
    out
}

fn check(cx: &mut Cx<'_>) {
    let mut wanted = vec![endpoint(DEFAULT_API)];
    if let Some(c) = cx.config() {
        let custom = endpoint(&c.miro.api_url);
        if custom.url != wanted[0].url {
            wanted.push(custom);
        }
    }
    for ex in failed_token_requests(cx) {
        let req = &ex.request;
        let raw = req.raw_url();
        let host = req.host();
        let all: Vec<(usize, Vec<String>)> = wanted
            .iter()
            .enumerate()
            .map(|(i, w)| (i, problems(&raw, &host, w)))
            .collect();
        if all.iter().any(|(_, p)| p.is_empty()) {
            continue;
        }
        // Compare with the endpoint on the same host when there is one, else Miro's.
        let (i, found) = all
            .iter()
            .find(|(i, _)| wanted[*i].host == host)
            .cloned()
            .unwrap_or_else(|| all[0].clone());
        let want = &wanted[i];
        let sent = format!("{}://{}{}", raw.scheme, raw.authority, raw.path);
        let sent = sent.trim_start_matches("://").to_string();
        cx.report(
            &ex,
            Part::Url,
            None,
            format!(
                "token request goes to {sent}, not Miro's token endpoint {}: {}",
                want.url,
                found.join("; ")
            ),
        )
        .fix(format!("Send the token request to {}.", want.url))
        .evidence("sent", sent.clone())
        .evidence("expected", want.url.clone())
        .diff(sent, want.url.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(url: &str) -> Vec<String> {
        let raw = RawUrl::split(url);
        let host = raw.host.to_ascii_lowercase();
        problems(&raw, &host, &endpoint(DEFAULT_API))
    }

    #[test]
    fn endpoint_problems() {
        assert!(p("https://api.miro.com/v1/oauth/token").is_empty());
        assert!(p("https://api.miro.com:443/v1/oauth/token?x=1").is_empty());
        assert!(p("HTTPS://API.miro.com/v1/oauth/token").is_empty());
        assert_eq!(p("http://api.miro.com/v1/oauth/token").len(), 1);
        assert!(p("https://miro.com/oauth/token").len() == 2);
        assert!(p("https://api.miro.com/v1/oauth/token/")[0].contains("trailing slash"));
        assert!(p("https://api.miro.com/v2/oauth/token")[0].contains("/v2"));
        assert!(p("https://api.miro.com/v1/oauth2/token")[0].contains("oauth2"));
        assert!(p("https://api.miro.com/oauth/v1/token")[0].contains("/oauth/v1"));
        assert!(p("https://api.miro.com/oauth/token")[0].contains("lacks the /v1"));
        assert!(p("https://api.miro.com/v1/oauth-token")[0].contains("token-context"));
        assert!(p("https://api.miro.com:8443/v1/oauth/token")[0].contains("port 8443"));
    }
}

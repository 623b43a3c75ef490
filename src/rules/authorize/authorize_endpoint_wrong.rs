//! `authorize-endpoint-wrong`: an authorize link on the wrong host, path or scheme.

use crate::config::Config;
use crate::model::RawUrl;
use crate::rules::common::authorize_links;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "authorize-endpoint-wrong",
    group: Group::Authorize,
    severity: Severity::Error,
    summary: "authorize link not on https://miro.com/oauth/authorize (wrong host, path or scheme)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/authorize-endpoint-wrong.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

const DOCUMENTED: &str = "https://miro.com/oauth/authorize";

/// The authorize URL the app should use: Miro's, or a config's stand-in (`[miro] auth_url`).
fn expected(config: Option<&Config>) -> String {
    config
        .map(|c| c.miro.auth_url.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DOCUMENTED.to_string())
}

/// What is wrong with an authorize URL, as (message, is_only_www).
fn problems(url: &RawUrl<'_>, want: &RawUrl<'_>) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut only_www = false;
    let host = url.host.trim_end_matches('.').to_ascii_lowercase();
    let want_host = want.host.to_ascii_lowercase();
    if !url.scheme.eq_ignore_ascii_case(want.scheme) {
        out.push(format!(
            "uses {}:// instead of {}://",
            url.scheme.to_ascii_lowercase(),
            want.scheme
        ));
    }
    if host != want_host {
        if host == format!("www.{want_host}") {
            only_www = true;
            out.push(format!(
                "is on {host}, not {want_host} (www.{want_host} likely redirects to {want_host}, but only {want_host} is documented)"
            ));
        } else if host == "api.miro.com" {
            out.push(
                "is on api.miro.com, the REST/token host; the authorize page is on miro.com"
                    .to_string(),
            );
        } else {
            out.push(format!("is on {host}, not {want_host}"));
        }
    }
    let default_port = match url.scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => "",
    };
    if let Some(port) = url.port.filter(|p| *p != default_port && !p.is_empty()) {
        if want.port != Some(port) {
            out.push(format!("uses port {port}"));
        }
    }
    // Miro's own install links end in `/oauth/authorize/`: the trailing slash is fine. The
    // "Share app" installation URL of the app settings is `https://miro.com/app-install/?…`.
    let path = url.path.strip_suffix('/').unwrap_or(url.path);
    let want_path = want.path.trim_end_matches('/');
    let install_page = path == "/app-install" && want_host == "miro.com";
    if path != want_path && !install_page {
        let lower = path.to_ascii_lowercase();
        let why = if lower == want_path {
            " (wrong letter case)"
        } else if lower.contains("/v1/") || lower.contains("/v2/") || lower.starts_with("/api/") {
            ": the authorize page has no /api or version segment"
        } else if lower.contains("oauth2") {
            ": Miro uses /oauth/, not /oauth2/"
        } else if lower.ends_with("/authorise") {
            " (British spelling)"
        } else {
            ""
        };
        if path.is_empty() {
            out.push(format!("has no path (expected {})", want.path));
        } else {
            out.push(format!("has the path {}{why}", url.path));
        }
        only_www = false;
    }
    if out.len() > 1 {
        only_www = false;
    }
    (out, only_www)
}

fn check(cx: &mut Cx<'_>) {
    let want_s = expected(cx.config());
    let want = RawUrl::split(&want_s);
    for ex in authorize_links(cx) {
        let url = ex.request.raw_url();
        let (problems, only_www) = problems(&url, &want);
        if problems.is_empty() {
            continue;
        }
        let sent = format!("{}://{}{}", url.scheme, url.authority, url.path);
        let message = format!("authorize link {sent} {}", problems.join("; "));
        let query = url.query.map(|q| format!("?{q}")).unwrap_or_default();
        let fix = if only_www {
            format!("Send users to {want_s} (without www.).")
        } else {
            format!("Send users to {want_s}, keeping the same query parameters.")
        };
        let corrected = format!("{want_s}{query}");
        let r = cx
            .report(&ex, Part::Url, None, message)
            .fix(fix)
            .evidence("sent", sent.clone())
            .evidence("expected", want_s.clone())
            .diff(sent, want_s.clone())
            .note(format!("corrected link: {corrected}"));
        if only_www {
            r.severity(Severity::Warning);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(u: &str) -> (Vec<String>, bool) {
        problems(&RawUrl::split(u), &RawUrl::split(DOCUMENTED))
    }

    #[test]
    fn good_ones() {
        assert!(p("https://miro.com/oauth/authorize?x=1").0.is_empty());
        assert!(p("https://miro.com/oauth/authorize/?x=1").0.is_empty());
        assert!(p("HTTPS://Miro.com/oauth/authorize").0.is_empty());
        assert!(p("https://miro.com:443/oauth/authorize").0.is_empty());
        assert!(p("https://miro.com/app-install/?response_type=code")
            .0
            .is_empty());
    }

    #[test]
    fn bad_ones() {
        assert_eq!(p("https://api.miro.com/oauth/authorize").0.len(), 1);
        assert_eq!(p("https://miro.com/v1/oauth/authorize").0.len(), 1);
        assert_eq!(p("https://miro.com/oauth2/authorize").0.len(), 1);
        assert_eq!(p("http://miro.com/oauth/authorize").0.len(), 1);
        assert_eq!(p("https://api.miro.com/v1/oauth/authorize").0.len(), 2);
        assert_eq!(p("https://www.miro.com/oauth/authorize"), (vec!["is on www.miro.com, not miro.com (www.miro.com likely redirects to miro.com, but only miro.com is documented)".to_string()], true));
        assert!(!p("http://www.miro.com/oauth/authorize").1);
    }
}

//! `config-redirect-uri-invalid`: a registered redirect URI that is not an absolute URI, has a
//! fragment, whitespace, or a wildcard.
use super::{all_redirect_uris, at_config, context};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "config-redirect-uri-invalid",
    group: Group::Config,
    severity: Severity::Error,
    summary:
        "a registered redirect URI is not absolute, or has a fragment, whitespace or a wildcard",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/config-redirect-uri-invalid.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// What is wrong with a redirect URI, as phrases; empty when it is fine.
pub(crate) fn problems(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    if raw.trim().is_empty() {
        out.push("it is empty".to_string());
        return out;
    }
    if raw != raw.trim() {
        out.push("it has whitespace at the start or end".to_string());
    }
    if raw.trim().chars().any(char::is_whitespace) {
        out.push("it has whitespace inside".to_string());
    }
    let t = raw.trim();
    if t.contains('*') {
        // Miro compares the redirect_uri byte for byte with the registered one (facts §16.4):
        // `*` is a literal character, not a pattern.
        out.push(
            "it has a wildcard `*`, which Miro does not expand (the URI is compared byte for byte)"
                .to_string(),
        );
    }
    match t.split_once("://") {
        None => {
            let looks_hostlike = t.split_once(':').is_none_or(|(s, rest)| {
                s.eq_ignore_ascii_case("localhost")
                    || rest.starts_with(|c: char| c.is_ascii_digit())
            });
            // `com.example.app:/cb` is a private-use scheme (RFC 8252 §7.1), not a host.
            if looks_hostlike {
                out.push("it is not an absolute URI: it has no scheme (https://)".to_string());
            }
        }
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            if matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") && host.is_empty() {
                out.push("it has no host".to_string());
            }
        }
    }
    if t.contains('#') {
        // RFC 6749 §3.1.2: the redirection endpoint URI MUST NOT include a fragment.
        out.push(
            "it has a fragment (#…), which RFC 6749 §3.1.2 forbids in a redirect URI".to_string(),
        );
    }
    out
}

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    for (uri, key) in all_redirect_uris(config) {
        let found = problems(&uri.value);
        if found.is_empty() {
            continue;
        }
        let shown = format!("{:?}", uri.value);
        at_config(
            cx,
            config,
            project,
            uri,
            key,
            format!("redirect URI {shown} is invalid: {}", found.join("; ")),
        )
        .fix("Register the callback as an absolute https:// URI written exactly as the app sends it, without whitespace, `*` or a #fragment.")
        .evidence("sent", uri.value.as_str())
        .evidence("problems", found);
    }
}

#[cfg(test)]
mod tests {
    use super::problems;

    #[test]
    fn each_problem() {
        assert!(problems("https://app.example.com/cb").is_empty());
        assert!(problems("http://localhost:3000/").is_empty());
        assert!(problems("com.example.app:/oauth2redirect").is_empty());
        assert_eq!(problems("app.example.com/cb").len(), 1);
        assert_eq!(problems("localhost:3000/cb").len(), 1);
        assert_eq!(problems("/oauth/callback").len(), 1);
        assert_eq!(problems(" https://a.example/cb").len(), 1);
        assert_eq!(problems("https://a.example/c b").len(), 1);
        assert_eq!(problems("https://*.example.com/cb").len(), 1);
        assert_eq!(problems("https://a.example/#/cb").len(), 1);
        assert_eq!(problems("https:///cb").len(), 1);
        assert_eq!(problems("").len(), 1);
    }
}

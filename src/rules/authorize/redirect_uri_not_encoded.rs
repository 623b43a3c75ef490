//! `redirect-uri-not-encoded`: a `redirect_uri` carrying its own `?`/`&`/`#` sent raw in the
//! authorize link, so the server sees a truncated URI and the rest as other parameters.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::model::decode_component;
use crate::rules::common::authorize_links;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "redirect-uri-not-encoded",
    group: Group::Authorize,
    severity: Severity::Error,
    summary: "redirect_uri with its own ?/&/# sent unencoded: the server sees a truncated URI",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/redirect-uri-not-encoded.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// What `encodeURIComponent` leaves alone.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Parameters an authorize link carries on its own: a pair with one of these names after the
/// redirect_uri belongs to the link, not to the redirect URI.
const AUTHORIZE_PARAMS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "team_id",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "account_id",
    "prompt",
    "nonce",
    "login_hint",
    "access_type",
    "response_mode",
];

/// How an unencoded redirect_uri was cut.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Truncation {
    /// What the server reads as redirect_uri.
    pub seen: String,
    /// What the app meant to send.
    pub intended: String,
    /// The character that cut it (`&` or `#`).
    pub cut_at: char,
    /// The pieces that became separate parameters (`&`) or were never sent (`#`).
    pub lost: Vec<String>,
}

/// The truncation of an authorize link's redirect_uri, if its own `?`/`&`/`#` were sent raw.
/// `registered` (the config's URIs, may be empty) settles doubtful cases: when the value the
/// server reads is itself registered, nothing was cut.
pub(crate) fn truncation(req: &Request, registered: &[String]) -> Option<Truncation> {
    let url = req.raw_url();
    let query = url.query?;
    let pairs: Vec<&str> = query.split('&').collect();
    let name_of = |pair: &str| decode_component(pair.split_once('=').map_or(pair, |(n, _)| n));
    let i = pairs.iter().position(|p| name_of(p) == "redirect_uri")?;
    let raw = pairs[i].split_once('=').map_or("", |(_, v)| v);
    let seen = decode_component(raw);
    if registered.contains(&seen) {
        return None;
    }
    let is_last = pairs[i + 1..].iter().all(|p| p.is_empty());
    // `#` inside the value: the rest of the link became its fragment, which browsers never send.
    if let Some(fragment) = url.fragment.filter(|f| is_last && !f.is_empty()) {
        let (frag_uri, rest) = fragment.split_once('&').unwrap_or((fragment, ""));
        let intended = format!("{seen}#{}", decode_component(frag_uri));
        let mut lost = vec![format!("#{frag_uri}")];
        lost.extend(
            rest.split('&')
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
        return Some(Truncation {
            seen,
            intended,
            cut_at: '#',
            lost,
        });
    }
    // `&` inside the value: the redirect URI's own query pairs became authorize params.
    if !seen.contains('?') {
        return None;
    }
    let tail: Vec<&str> = pairs[i + 1..]
        .iter()
        .take_while(|p| !AUTHORIZE_PARAMS.contains(&name_of(p).as_str()))
        .filter(|p| !p.is_empty())
        .copied()
        .collect();
    if tail.is_empty() {
        return None;
    }
    let intended = decode_component(&format!("{raw}&{}", tail.join("&")));
    Some(Truncation {
        seen,
        intended,
        cut_at: '&',
        lost: tail.iter().map(|s| s.to_string()).collect(),
    })
}

/// A value encoded as `encodeURIComponent` would.
fn encode(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

fn check(cx: &mut Cx<'_>) {
    let registered: Vec<String> = cx
        .config()
        .map(|c| {
            c.app
                .redirect_uris
                .iter()
                .map(|r| r.value.clone())
                .chain(c.app.sdk_redirect_uri.iter().map(|r| r.value.clone()))
                .collect()
        })
        .unwrap_or_default();
    for ex in authorize_links(cx) {
        let Some(t) = truncation(&ex.request, &registered) else {
            continue;
        };
        let (message, fix) = match t.cut_at {
            '#' => {
                let fragment = t.intended[t.seen.len() + 1..].to_string();
                let path_route = format!(
                    "{}/{}",
                    t.seen.trim_end_matches('/'),
                    fragment.trim_start_matches('/')
                );
                (
                    format!(
                        "redirect_uri {} is not percent-encoded: its `#` starts the link's fragment, which the browser never sends, so Miro reads redirect_uri={} and never sees `{}`",
                        t.intended,
                        t.seen,
                        t.lost.join("&")
                    ),
                    format!(
                        "Register and send a redirect URI without a `#` (a path route such as {path_route}), percent-encoded as one value: a redirect URI cannot carry a fragment."
                    ),
                )
            }
            _ => (
                format!(
                    "redirect_uri {} is not percent-encoded: its `&` ends the value, so Miro reads redirect_uri={} and {} as separate parameters",
                    t.intended,
                    t.seen,
                    t.lost
                        .iter()
                        .map(|l| format!("`{l}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!(
                    "Percent-encode the whole redirect_uri value (encodeURIComponent, urllib.parse.quote(uri, safe='')): redirect_uri={}.",
                    encode(&t.intended)
                ),
            ),
        };
        cx.report(&ex, Part::Query, Some("redirect_uri"), message)
            .fix(fix)
            .evidence("sent", t.seen.clone())
            .evidence("intended", t.intended.clone())
            .evidence("lost", t.lost.clone())
            .diff(t.seen, t.intended);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(url: &str) -> Request {
        Request {
            method: "GET".into(),
            url: url.into(),
            headers: vec![],
            body: None,
            curl: None,
            params_cache: Default::default(),
        }
    }

    const A: &str =
        "https://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901";

    #[test]
    fn ampersand() {
        let t = truncation(
            &req(&format!(
                "{A}&redirect_uri=https://app.example.com/cb?a=1&b=2&state=x"
            )),
            &[],
        )
        .unwrap();
        assert_eq!(t.seen, "https://app.example.com/cb?a=1");
        assert_eq!(t.intended, "https://app.example.com/cb?a=1&b=2");
        assert_eq!(t.lost, vec!["b=2"]);
    }

    #[test]
    fn fragment() {
        let t = truncation(
            &req(&format!(
                "{A}&redirect_uri=http://localhost:8080/#/callback&state=x"
            )),
            &[],
        )
        .unwrap();
        assert_eq!(t.seen, "http://localhost:8080/");
        assert_eq!(t.intended, "http://localhost:8080/#/callback");
        assert_eq!(t.lost, vec!["#/callback", "state=x"]);
    }

    #[test]
    fn fine() {
        for u in [
            format!("{A}&redirect_uri=https://app.example.com/oauth/callback&state=x"),
            format!("{A}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fa%3D1%26b%3D2&state=x"),
            format!("{A}&redirect_uri=https://app.example.com/cb?tenant=acme&state=x"),
            format!("{A}&redirect_uri=https://app.example.com/cb&state=x#_=_"),
        ] {
            assert_eq!(truncation(&req(&u), &[]), None, "{u}");
        }
    }
}

//! `token-exchange-from-browser`: the token request carries headers only a browser sends
//! (`Origin`, `Sec-Fetch-*`, client hints, a `Referer` of the app's page): the exchange runs
//! in frontend code, which ships the client secret to every visitor.

use super::flow::is_real_request;
use crate::engine::classify::{realm, Realm};
use crate::model::RawUrl;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "token-exchange-from-browser",
    group: Group::Token,
    severity: Severity::Warning,
    summary: "the token request comes from a browser (Origin, Sec-Fetch-*, Referer): the client secret is exposed",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/token-exchange-from-browser.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// True for an `Origin`/`Referer` value pointing at Miro itself (the developer docs' "Try
/// it" console), which is not the app's own frontend.
fn is_miro_page(value: &str) -> bool {
    let host = RawUrl::split(value).host.to_ascii_lowercase();
    !matches!(realm(&host), Realm::NotMiro)
}

/// The browser headers found, as `(name, value)` in the order they matter.
pub(crate) fn browser_signals(req: &Request) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let ua_browser = req
        .header("user-agent")
        .is_some_and(|h| h.value.contains("Mozilla/"));
    if let Some(h) = req.header("origin") {
        let v = h.value.trim();
        if !v.is_empty() && !is_miro_page(v) {
            out.push((h.name.clone(), h.value.clone()));
        }
    }
    // Node's fetch (undici) sends `sec-fetch-mode: cors` from the server too, but never
    // `Sec-Fetch-Site`/`Sec-Fetch-Dest` or client hints.
    for name in ["sec-fetch-site", "sec-fetch-dest", "sec-ch-ua"] {
        if let Some(h) = req.header(name) {
            out.push((h.name.clone(), h.value.clone()));
        }
    }
    if let Some(h) = req.header("sec-fetch-mode") {
        if ua_browser || !out.is_empty() {
            out.push((h.name.clone(), h.value.clone()));
        }
    }
    if let Some(h) = req.header("referer") {
        let v = h.value.trim();
        let lower = v.to_ascii_lowercase();
        if (lower.starts_with("http://") || lower.starts_with("https://")) && !is_miro_page(v) {
            out.push((h.name.clone(), h.value.clone()));
        }
    }
    out
}

fn check(cx: &mut Cx<'_>) {
    for ex in cx.of_step(Step::Token) {
        let req = &ex.request;
        if !is_real_request(req) {
            continue;
        }
        let signals = browser_signals(req);
        let Some((first, _)) = signals.first() else {
            continue;
        };
        let first = first.clone();
        // Names only, with Origin's value: the rest is in the evidence.
        let listed = signals
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case("origin") {
                    format!("{n}: {v}")
                } else {
                    n.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let referer_code = req.header("referer").is_some_and(|h| {
            RawUrl::split(&h.value)
                .query
                .is_some_and(|q| q.split('&').any(|p| p.starts_with("code=")))
        });
        let mut message = format!(
            "the token request carries browser headers ({listed}): it runs in frontend code, so the client secret ships to every visitor"
        );
        if referer_code {
            message.push_str(", and the Referer holding the callback URL leaks the code");
        }
        let mut evidence: serde_json::Map<String, serde_json::Value> = serde_json::Map::new();
        for (n, v) in &signals {
            evidence.insert(n.to_ascii_lowercase(), v.clone().into());
        }
        cx.report(&ex, Part::Header, Some(&first), message)
            .fix("Move the token request to your backend and have the browser send only the code to it; keep the client secret on the server.")
            .evidence("headers", serde_json::Value::Object(evidence));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Header;

    fn req(headers: &[(&str, &str)]) -> Request {
        Request {
            method: "POST".into(),
            url: "https://api.miro.com/v1/oauth/token".into(),
            headers: headers
                .iter()
                .map(|(n, v)| Header {
                    name: (*n).into(),
                    value: (*v).into(),
                })
                .collect(),
            body: None,
            curl: None,
            params_cache: Default::default(),
        }
    }

    #[test]
    fn node_fetch_is_not_a_browser() {
        let r = req(&[("sec-fetch-mode", "cors"), ("user-agent", "node")]);
        assert!(browser_signals(&r).is_empty());
    }

    #[test]
    fn browser_headers() {
        let r = req(&[
            ("Origin", "https://app.example.com"),
            ("Sec-Fetch-Mode", "cors"),
        ]);
        assert_eq!(browser_signals(&r).len(), 2);
        let r = req(&[("Sec-Fetch-Mode", "cors"), ("User-Agent", "Mozilla/5.0")]);
        assert_eq!(browser_signals(&r).len(), 1);
        let r = req(&[("Origin", "https://developers.miro.com")]);
        assert!(browser_signals(&r).is_empty());
    }
}

//! `redirect-uri-exchange-mismatch`: the `redirect_uri` of an authorization_code exchange
//! differs from the one the authorize link sent (or is missing).

use super::flow::{deliveries, is_code_exchange, part_of, succeeded, token_attempts};
use crate::config::Config;
use crate::model::{decode_component, RawUrl};
use crate::rules::common::{describe_differences, uri_differences, UriDifference};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "redirect-uri-exchange-mismatch",
    group: Group::Token,
    severity: Severity::Error,
    summary: "redirect_uri in the code exchange differs from the authorize link's, or is missing",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/redirect-uri-exchange-mismatch.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// Where the expected redirect_uri came from.
enum Source {
    /// The authorize link's `redirect_uri` (exact comparison).
    Authorize(String),
    /// The URL Miro redirected the browser to (scheme, host, port and path only: browsers
    /// normalise what they record).
    Callback(String),
}

/// Params Miro adds to the redirect URI on the callback (facts §3).
const CALLBACK_PARAMS: &[&str] = &[
    "code",
    "state",
    "client_id",
    "team_id",
    "error",
    "error_description",
];

/// The redirect_uri a callback URL was sent to: the URL without the params Miro added.
fn callback_base(url: &str) -> String {
    let raw = RawUrl::split(url);
    let kept: Vec<&str> = raw
        .query
        .unwrap_or("")
        .split('&')
        .filter(|pair| {
            let name = decode_component(pair.split('=').next().unwrap_or(""));
            !pair.is_empty() && !CALLBACK_PARAMS.contains(&name.as_str())
        })
        .collect();
    let mut base = format!("{}://{}{}", raw.scheme, raw.authority, raw.path);
    if !kept.is_empty() {
        base.push('?');
        base.push_str(&kept.join("&"));
    }
    base
}

/// Scheme, lower-cased host, port without the scheme's default, path: what survives a
/// browser's normalisation of the URL it records.
fn normalised_origin_path(url: &str) -> (String, String, Option<String>, String) {
    let raw = RawUrl::split(url.trim());
    let scheme = raw.scheme.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "https" => Some("443"),
        "http" => Some("80"),
        _ => None,
    };
    let port = raw.port.filter(|p| Some(*p) != default).map(str::to_string);
    (
        scheme,
        raw.host.to_ascii_lowercase(),
        port,
        raw.path.to_string(),
    )
}

fn config_hint(config: Option<&Config>) -> Option<String> {
    let c = config?;
    if let Some(sdk) = &c.app.sdk_redirect_uri {
        return Some(sdk.value.clone());
    }
    match c.app.redirect_uris.as_slice() {
        [only] => Some(only.value.clone()),
        _ => None,
    }
}

fn check(cx: &mut Cx<'_>) {
    let authorizes: Vec<(usize, String)> = cx
        .of_step(Step::Authorize)
        .filter_map(|a| {
            a.request
                .query_params()
                .into_iter()
                .find(|p| p.name == "redirect_uri")
                .map(|p| (a.index, p.value))
        })
        .collect();
    let delivered = deliveries(cx);
    for ex in token_attempts(cx) {
        let req = &ex.request;
        if !is_code_exchange(req) || succeeded(&ex) {
            continue;
        }
        let code = req.param("code").map(|p| p.param.value);
        // The authorize link of this flow: the latest one before the exchange, else any.
        let authorize = authorizes
            .iter()
            .rev()
            .find(|(i, _)| *i < ex.index)
            .or_else(|| authorizes.first())
            .map(|(_, uri)| uri.clone());
        // Without one, the redirect Miro made: its `Location`, else the first callback
        // request that delivered this very code.
        let callback = || {
            let same_code = |d: &&super::flow::Delivery<'_>| {
                code.as_deref().is_some_and(|c| d.matches(c.trim()))
            };
            delivered
                .iter()
                .filter(same_code)
                .find(|d| d.ex.step != Step::Callback)
                .or_else(|| delivered.iter().find(same_code))
                .map(|d| match d.ex.step {
                    Step::Callback => callback_base(&d.ex.request.url),
                    _ => {
                        let loc =
                            d.ex.response
                                .as_ref()
                                .and_then(|r| r.header("location"))
                                .map(|h| h.value.clone())
                                .unwrap_or_default();
                        callback_base(&loc)
                    }
                })
        };
        let expected = match authorize {
            Some(a) => Some(Source::Authorize(a)),
            None => callback().map(Source::Callback),
        };
        let Some(sent) = req.param("redirect_uri") else {
            // Without a grant_type the request has a bigger problem (`grant-type-invalid`).
            if req.param("grant_type").is_some() {
                report_missing(cx, &ex, expected);
            }
            continue;
        };
        let value = sent.param.value.clone();
        let part = part_of(sent.place);
        if value.trim().is_empty() {
            report_missing(cx, &ex, expected);
            continue;
        }
        match expected {
            Some(Source::Authorize(want)) => {
                if value == want {
                    continue;
                }
                let diffs = uri_differences(&value, &want);
                report_mismatch(cx, &ex, part, value, want, &diffs, " in the authorize link");
            }
            Some(Source::Callback(cb)) => {
                let a = normalised_origin_path(&value);
                let b = normalised_origin_path(&cb);
                if a == b && value.trim() == value {
                    continue;
                }
                let mut diffs = uri_differences(&value, &cb);
                // Browsers record hosts lower-cased and drop default ports and their own
                // query additions: only differences that survive that are real.
                let same_port = a.2 == b.2;
                diffs.retain(|d| match d {
                    UriDifference::HostCase | UriDifference::Query | UriDifference::Encoding => {
                        false
                    }
                    UriDifference::Port => !same_port,
                    _ => true,
                });
                if diffs.is_empty() {
                    continue;
                }
                report_mismatch(
                    cx,
                    &ex,
                    part,
                    value,
                    cb,
                    &diffs,
                    ", where Miro redirected with this code",
                );
            }
            None => {}
        }
    }
}

/// Reports a `sent` redirect_uri that differs from the `expected` one by `diffs`; `seen`
/// says where the expected one was seen (after the URI in the message).
fn report_mismatch(
    cx: &mut Cx<'_>,
    ex: &Ex<'_>,
    part: Part,
    sent: String,
    expected: String,
    diffs: &[UriDifference],
    seen: &str,
) {
    let kinds = describe_differences(diffs);
    cx.report(
        ex,
        part,
        Some("redirect_uri"),
        format!(
            "redirect_uri {} in the token request differs from {expected}{seen} ({kinds}); Miro answers \"Redirect URI mismatch.\"",
            sent.trim()
        ),
    )
    .fix(format!(
        "Send redirect_uri={expected} in the token request, byte for byte as in the authorize link."
    ))
    .evidence("sent", sent.clone())
    .evidence("expected", expected.clone())
    .evidence("difference", kinds)
    .diff(sent, expected);
}

fn report_missing(cx: &mut Cx<'_>, ex: &Ex<'_>, expected: Option<Source>) {
    let known = match &expected {
        Some(Source::Authorize(u)) | Some(Source::Callback(u)) => Some(u.clone()),
        None => config_hint(cx.config()),
    };
    let empty = ex.request.param("redirect_uri").is_some();
    let what = if empty {
        "an empty redirect_uri"
    } else {
        "no redirect_uri"
    };
    let (message, fix) = match &known {
        Some(u) => (
            format!(
                "authorization_code exchange has {what}; Miro requires the redirect_uri of the authorize link ({u}) here too"
            ),
            format!("Add redirect_uri={u} to the token request, exactly as in the authorize link."),
        ),
        None => (
            format!(
                "authorization_code exchange has {what}; Miro requires the redirect_uri of the authorize link here too"
            ),
            "Add redirect_uri to the token request with exactly the value the authorize link sent.".to_string(),
        ),
    };
    let part = ex
        .request
        .param("redirect_uri")
        .map(|p| part_of(p.place))
        .unwrap_or(Part::Body);
    let r = cx
        .report(ex, part, Some("redirect_uri"), message)
        .fix(fix)
        .evidence("sent", serde_json::Value::Null);
    if let Some(u) = known {
        r.evidence("expected", u);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_base_drops_miro_params() {
        assert_eq!(
            callback_base(
                "https://app.example.com/oauth/callback?code=abc&state=s&client_id=1&team_id=2"
            ),
            "https://app.example.com/oauth/callback"
        );
        assert_eq!(
            callback_base("https://app.example.com/cb?tenant=acme&code=abc"),
            "https://app.example.com/cb?tenant=acme"
        );
    }

    #[test]
    fn normalised_ignores_default_port_and_host_case() {
        assert_eq!(
            normalised_origin_path("https://App.Example.com:443/cb"),
            normalised_origin_path("https://app.example.com/cb")
        );
        assert_ne!(
            normalised_origin_path("https://app.example.com/cb/"),
            normalised_origin_path("https://app.example.com/cb")
        );
    }
}

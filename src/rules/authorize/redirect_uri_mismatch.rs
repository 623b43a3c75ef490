//! `redirect-uri-mismatch`: a `redirect_uri` (authorize link or code exchange) that is not
//! byte-for-byte one of the registered URIs, or Miro's own "Redirect URI mismatch." answer.

use crate::model::Response;
use crate::rules::authorize::redirect_uri_not_encoded::truncation;
use crate::rules::common::{
    authorize_links, closest_uri, describe_differences, undeclared_form_params, uri_differences,
    visible, UriDifference,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "redirect-uri-mismatch",
    group: Group::Authorize,
    severity: Severity::Error,
    summary: "redirect_uri not byte-for-byte equal to a registered redirect URI",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/redirect-uri-mismatch.md"),
    // Where the flow shows the cause (the exchange's redirect_uri differs from the authorize
    // link's, or is missing), that rule says it more precisely.
    superseded_by: &["redirect-uri-exchange-mismatch"],
    reads: &[],
    check,
};

const THREE_PLACES: &str = "the redirect URI must be byte-identical in three places: the app settings (Redirect URI for OAuth 2.0), the authorize link's redirect_uri, and the token request's redirect_uri";

/// Miro's `401 {"code":"oauthError","message":"Redirect URI mismatch."}` (facts §4.4), or an
/// RFC-style error saying the same.
fn says_mismatch(resp: &Response) -> bool {
    let text = match resp.json_body() {
        Some(v) => ["message", "error_description", "error", "description"]
            .iter()
            .filter_map(|k| v.get(*k).and_then(|x| x.as_str()))
            .collect::<Vec<_>>()
            .join(" "),
        None => resp.body.clone().unwrap_or_default(),
    }
    .to_ascii_lowercase();
    text.contains("redirect")
        && (text.contains("mismatch")
            || text.contains("does not match")
            || text.contains("doesn't match"))
}

/// The redirect_uri a request sends, with where it is.
fn sent_redirect(req: &Request, step: Step) -> Option<(String, Part)> {
    if step == Step::Authorize {
        return req
            .query_params()
            .into_iter()
            .find(|p| p.name == "redirect_uri")
            .map(|p| (p.value, Part::Query));
    }
    if let Some(p) = req
        .params()
        .into_iter()
        .find(|p| p.param.name == "redirect_uri")
    {
        let part = if p.place == ParamPlace::Query {
            Part::Query
        } else {
            Part::Body
        };
        return Some((p.param.value, part));
    }
    undeclared_form_params(req)
        .into_iter()
        .find(|p| p.name == "redirect_uri")
        .map(|p| (p.value, Part::Body))
}

/// True for a token request that exchanges a code (not a refresh).
fn is_code_exchange(req: &Request) -> bool {
    let grant = req
        .params()
        .into_iter()
        .find(|p| p.param.name == "grant_type")
        .map(|p| p.param.value.trim().to_ascii_lowercase());
    !matches!(grant.as_deref(), Some("refresh_token"))
}

fn fix_for(sent: &str, closest: &str, diffs: &[UriDifference]) -> String {
    match diffs {
        [UriDifference::DoubleEncoded, ..] => format!(
            "Percent-encode redirect_uri exactly once, so that Miro decodes it to {closest}."
        ),
        [UriDifference::Whitespace] => {
            format!("Trim the redirect_uri value and send exactly {closest}.")
        }
        [UriDifference::Fragment] => format!(
            "Send exactly {closest}, without the fragment (a redirect URI cannot have one)."
        ),
        [UriDifference::TrailingSlash] if sent.trim_end().ends_with('/') => format!(
            "Send exactly {closest}, or register the URI with the trailing slash in the app settings."
        ),
        [UriDifference::TrailingSlash] => format!(
            "Send exactly {closest}, or register the URI without the trailing slash in the app settings."
        ),
        _ => format!("Send exactly {closest}, or register {} in the app settings.", sent.trim()),
    }
}

fn check(cx: &mut Cx<'_>) {
    let config = cx.config();
    let registered: Vec<String> = config
        .map(|c| {
            let mut v: Vec<String> = c
                .app
                .redirect_uris
                .iter()
                .map(|r| r.value.clone())
                .collect();
            if let Some(s) = &c.app.sdk_redirect_uri {
                if !s.value.is_empty() && !v.contains(&s.value) {
                    v.push(s.value.clone());
                }
            }
            v
        })
        .unwrap_or_default();

    let mut targets: Vec<Ex<'_>> = authorize_links(cx);
    targets.extend(
        cx.of_step(Step::Token)
            .filter(|e| is_code_exchange(&e.request)),
    );
    targets.sort_by_key(|e| e.index);
    let has_targets = !targets.is_empty();
    let authorize_uris: Vec<(usize, String)> = authorize_links(cx)
        .iter()
        .filter_map(|a| sent_redirect(&a.request, Step::Authorize).map(|(v, _)| (a.index, v)))
        .collect();

    let mut any_checked = false;
    for ex in targets {
        let what = if ex.step == Step::Authorize {
            "authorize link"
        } else {
            "token request"
        };
        let answered = ex.response.as_ref().is_some_and(says_mismatch);
        let sent = sent_redirect(&ex.request, ex.step);
        // Miro's own install link for Web SDK apps points at a page of miro.com.
        if ex.step == Step::Authorize && sent.as_ref().is_some_and(|(v, _)| v.starts_with('/')) {
            continue;
        }
        // The authorize link sent in the flow before this token request, if it differs.
        let other_authorize = if ex.step == Step::Token {
            authorize_uris
                .iter()
                .rev()
                .find(|(i, _)| *i < ex.index)
                .or(authorize_uris.first())
                .filter(|(_, a)| sent.as_ref().is_none_or(|(s, _)| s != a))
                .map(|(_, a)| a.clone())
        } else {
            None
        };

        if !registered.is_empty() {
            any_checked = true;
            let Some((value, part)) = &sent else {
                // Miro documents redirect_uri as required on the authorize link; a code
                // exchange without one is redirect-uri-exchange-mismatch's.
                if ex.step == Step::Authorize && !answered {
                    cx.report(
                        &ex,
                        Part::Query,
                        Some("redirect_uri"),
                        format!(
                            "authorize link sends no redirect_uri; Miro requires one of the registered redirect URIs ({})",
                            registered.join(", ")
                        ),
                    )
                    .fix(format!(
                        "Add redirect_uri={} (percent-encoded) to the authorize link.",
                        registered[0]
                    ))
                    .evidence("registered", registered.clone());
                    continue;
                }
                if answered {
                    cx.report(&ex, Part::Response, None, format!(
                        "Miro answered \"Redirect URI mismatch.\" and the {what} sends no redirect_uri; {THREE_PLACES}"
                    ))
                    .fix(format!("Send redirect_uri={} in the {what}.", registered[0]))
                    .evidence("registered", registered.clone());
                }
                continue;
            };
            if registered.iter().any(|r| r == value) {
                if answered {
                    let mut message = format!(
                        "Miro answered \"Redirect URI mismatch.\" although redirect_uri {value} is in the config's redirect_uris"
                    );
                    if let Some(a) = &other_authorize {
                        message.push_str(&format!(
                            ": the authorize link sent {a} ({}), and the token request must repeat it exactly",
                            describe_differences(&uri_differences(a, value))
                        ));
                    } else {
                        message
                            .push_str(": the app settings at Miro likely differ from the config");
                    }
                    cx.report(&ex, Part::Response, Some("redirect_uri"), message)
                        .fix("Make the redirect URI byte-identical in the app settings, the authorize link and the token request.")
                        .evidence("sent", value.clone())
                        .evidence("registered", registered.clone());
                }
                continue;
            }
            if ex.step == Step::Authorize {
                if let Some(t) = truncation(&ex.request, &registered) {
                    if registered.contains(&t.intended) {
                        continue; // redirect-uri-not-encoded says why
                    }
                }
            }
            let Some((closest, diffs)) = closest_uri(value, registered.iter().map(String::as_str))
            else {
                continue;
            };
            let shown = if value.trim() == value && !value.contains(char::is_control) {
                value.clone()
            } else {
                format!("\"{}\"", visible(value))
            };
            let message = format!(
                "redirect_uri {shown} in the {what} is not registered; the closest registered URI is {closest} ({})",
                describe_differences(&diffs)
            );
            cx.report(&ex, *part, Some("redirect_uri"), message)
                .fix(fix_for(value, closest, &diffs))
                .evidence("sent", value.clone())
                .evidence("registered", registered.clone())
                .evidence("closest", closest.to_string())
                .diff(value.clone(), closest.to_string());
            continue;
        }

        if !answered {
            continue;
        }
        any_checked = true;
        let mut message = match &sent {
            Some((v, _)) => format!(
                "Miro answered \"Redirect URI mismatch.\": redirect_uri {v} in the {what} is not byte-identical to a registered redirect URI"
            ),
            None => format!(
                "Miro answered \"Redirect URI mismatch.\" and the {what} sends no redirect_uri"
            ),
        };
        if let (Some(a), Some((v, _))) = (&other_authorize, &sent) {
            message.push_str(&format!(
                "; the authorize link sent {a} ({})",
                describe_differences(&uri_differences(v, a))
            ));
        }
        message.push_str(&format!("; {THREE_PLACES}"));
        let part = sent.as_ref().map(|(_, p)| *p).unwrap_or(Part::Response);
        let r = cx
            .report(&ex, part, Some("redirect_uri"), message)
            .fix("Copy the redirect URI from the app settings and send it byte for byte (scheme, www., host, port, path, trailing slash) in both the authorize link and the token request.")
            .note("give the app config (--config miro-oauth.toml with redirect_uris) to see which character differs");
        if let Some((v, _)) = &sent {
            let r = r.evidence("sent", v.clone());
            if let Some(a) = &other_authorize {
                r.evidence("authorize_redirect_uri", a.clone())
                    .diff(v.clone(), a.clone());
            }
        }
    }
    if !any_checked && has_targets {
        if config.is_none() {
            cx.skip("needs the app config's redirect_uris (or Miro's \"Redirect URI mismatch.\" response)");
        } else if registered.is_empty() {
            cx.skip("the config lists no redirect_uris");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Located};
    use crate::engine::{run, Options};

    const TOKEN: &str = "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=authorization_code&client_id=3458764512345678901&client_secret=Zt7qLmP4xR9sKd2VbN6wY1cHf8JuE3aQ&code=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_abcdefghijklmnopqrst&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%2F\n";
    const MISMATCH: &str =
        r#"{"status":401,"code":"oauthError","message":"Redirect URI mismatch.","type":"error"}"#;

    fn fired(response: Option<&str>, registered: &[&str]) -> Vec<String> {
        let mut flow = crate::read_flow(&[("t".into(), TOKEN.as_bytes().to_vec())]).unwrap();
        if let Some(r) = response {
            crate::attach_response(&mut flow, "r", r.as_bytes()).unwrap();
        }
        let config = (!registered.is_empty()).then(|| {
            let mut c = Config::empty();
            c.app.redirect_uris = registered
                .iter()
                .map(|r| Located::unplaced(r.to_string()))
                .collect();
            c
        });
        run(&[&super::RULE], &flow, config.as_ref(), &Options::default())
            .findings
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn miro_answer_without_config() {
        let m = fired(Some(MISMATCH), &[]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("three places"), "{m:?}");
        assert!(fired(None, &[]).is_empty());
        assert!(fired(Some(r#"{"status":401,"code":"oauthError","message":"Invalid authorization code","type":"error"}"#), &[]).is_empty());
    }

    #[test]
    fn config_comparison() {
        let m = fired(None, &["https://app.example.com/cb"]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("trailing slash"), "{m:?}");
        assert!(fired(None, &["https://app.example.com/cb/"]).is_empty());
    }
}

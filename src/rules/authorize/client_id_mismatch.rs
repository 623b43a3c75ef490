//! `client-id-mismatch`: the `client_id` differs from the config's, or between two steps of
//! one flow (authorize link, callback, token request, revoke).

use crate::rules::common::{
    authorize_links, basic_client_id, callbacks, input_name, is_placeholder, query_param, visible,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "client-id-mismatch",
    group: Group::Authorize,
    severity: Severity::Error,
    summary: "client_id differs from the config, or between two steps of one flow",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/client-id-mismatch.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// One client id seen in the flow.
struct Seen<'a> {
    ex: Ex<'a>,
    value: String,
    part: Part,
    name: &'static str,
    what: &'static str,
}

/// The client id a request carries (the param Miro reads first, else the Basic header).
fn sent_id(req: &Request, step: Step) -> Option<(String, Part, &'static str)> {
    let names: &[&'static str] = if step == Step::Revoke {
        &["clientId", "client_id"]
    } else {
        &["client_id"]
    };
    for name in names {
        if let Some(p) = req.params().into_iter().find(|p| p.param.name == *name) {
            let part = match p.place {
                ParamPlace::Query => Part::Query,
                _ => Part::Body,
            };
            return Some((p.param.value, part, name));
        }
    }
    if step == Step::Token {
        return basic_client_id(req).map(|id| (id, Part::Header, "Authorization"));
    }
    None
}

/// The placeholder of `Authorization: Basic [REDACTED]` credentials hidden as a whole.
fn hidden_basic(req: &Request) -> Option<String> {
    use crate::secret::{header_credentials, redaction, SecretKind};
    req.headers_named("authorization")
        .flat_map(|h| header_credentials(&h.name, &h.value))
        .find(|(kind, cred)| *kind == SecretKind::Basic && redaction(cred).is_some())
        .map(|(_, cred)| cred)
}

/// Digits only, once whitespace and quotes are taken away; the value as Miro compares it
/// otherwise.
fn tidy(value: &str) -> &str {
    value.trim().trim_matches(|c| c == '"' || c == '\'').trim()
}

fn describe_extra(value: &str) -> Option<&'static str> {
    if value != value.trim() {
        Some("has whitespace around it")
    } else if value != tidy(value) {
        Some("is wrapped in quotes")
    } else {
        None
    }
}

fn looks_like_id(v: &str) -> bool {
    (10..=25).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
}

fn check(cx: &mut Cx<'_>) {
    let mut seen: Vec<Seen<'_>> = Vec::new();
    for (links, what) in [
        (authorize_links(cx), "authorize link"),
        (callbacks(cx), "callback"),
    ] {
        for ex in links {
            if let Some(p) = query_param(&ex.request, "client_id") {
                seen.push(Seen {
                    ex,
                    value: p.value,
                    part: Part::Query,
                    name: "client_id",
                    what,
                });
            }
        }
    }
    for ex in cx.exchanges() {
        let what = match ex.step {
            Step::Token => "token request",
            Step::Revoke => "revoke request",
            _ => continue,
        };
        if let Some((value, part, name)) = sent_id(&ex.request, ex.step) {
            seen.push(Seen {
                ex,
                value,
                part,
                name,
                what,
            });
        } else if let Some(hidden) = hidden_basic(&ex.request) {
            cx.skip(format!(
                "{what} sends its client id only inside Basic credentials hidden as `{hidden}`: it cannot be compared"
            ));
        }
    }
    seen.retain(|s| !is_placeholder(&s.value, "client_id"));
    seen.sort_by_key(|s| s.ex.index);

    let configured = cx
        .config()
        .and_then(|c| c.app.client_id.as_ref())
        .map(|c| c.value.trim().to_string())
        .filter(|c| !c.is_empty());

    if let Some(want) = configured {
        for s in &seen {
            if s.value == want {
                continue;
            }
            let message = match describe_extra(&s.value) {
                Some(extra) if tidy(&s.value) == want => format!(
                    "{} sends client_id `{}`, which {extra}: Miro compares it exactly with {want}",
                    s.what,
                    visible(&s.value)
                ),
                _ => format!(
                    "{} sends client_id {}, but the config's client_id (the app's Client ID) is {want}",
                    s.what,
                    tidy(&s.value)
                ),
            };
            cx.report(&s.ex, s.part, Some(s.name), message)
                .fix(format!(
                    "Send client_id={want}, the Client ID of the app whose settings hold your redirect URI and secret."
                ))
                .evidence("sent", s.value.clone())
                .evidence("expected", want.clone())
                .diff(s.value.clone(), want.clone());
        }
        return;
    }

    // No config: values with stray whitespace or quotes never match any app.
    for s in &seen {
        if let Some(extra) = describe_extra(&s.value) {
            let clean = tidy(&s.value).to_string();
            if looks_like_id(&clean) {
                cx.report(
                    &s.ex,
                    s.part,
                    Some(s.name),
                    format!(
                        "{} sends client_id `{}`, which {extra}: Miro compares it exactly, so it matches no app",
                        s.what,
                        visible(&s.value)
                    ),
                )
                .fix(format!("Send client_id={clean} without surrounding whitespace or quotes."))
                .evidence("sent", s.value.clone())
                .evidence("expected", clean);
            }
        }
    }
    // A client id that is plainly the app's secret: 32 letters and digits (facts §6), or
    // the very value sent as client_secret.
    for s in seen.iter().filter(|s| s.name != "Authorization") {
        let v = tidy(&s.value);
        let secret = s.ex.request.param("client_secret").map(|p| p.param.value);
        let secret_shaped = v.len() == 32
            && v.bytes().all(|b| b.is_ascii_alphanumeric())
            && v.bytes().any(|b| b.is_ascii_alphabetic());
        let same_as_secret = secret.as_deref().is_some_and(|x| x.trim() == v);
        let swapped = secret.as_deref().is_some_and(|x| looks_like_id(tidy(x)));
        if (secret_shaped || same_as_secret) && !swapped {
            cx.report(
                &s.ex,
                s.part,
                Some(s.name),
                format!(
                    "{} sends the Client secret as client_id (a 32-character secret, not the numeric Client ID)",
                    s.what
                ),
            )
            .fix("Send the numeric Client ID from the app settings as client_id (the Client secret belongs only in the token request's client_secret).");
        }
    }
    // A token request whose client_id and client_secret look swapped.
    for s in seen
        .iter()
        .filter(|s| s.ex.step == Step::Token && s.name == "client_id")
    {
        let secret = s.ex.request.param("client_secret").map(|p| p.param.value);
        if let Some(secret) = secret {
            if looks_like_id(tidy(&secret)) && !looks_like_id(tidy(&s.value)) {
                cx.report(
                    &s.ex,
                    s.part,
                    Some("client_id"),
                    format!(
                        "{} looks like it swapped client_id and client_secret: client_secret is a numeric Client ID and client_id is not",
                        s.what
                    ),
                )
                .fix("Send the numeric Client ID as client_id and the app's Client secret as client_secret.");
            }
        }
    }
    // Across steps: every id should equal the first one seen (the authorize link's, when given).
    let reference = seen
        .iter()
        .find(|s| s.what == "authorize link")
        .or_else(|| seen.first());
    let Some(reference) = reference else {
        return;
    };
    let (ref_value, ref_what, ref_input, ref_name) = (
        tidy(&reference.value).to_string(),
        reference.what,
        reference.ex.input,
        match reference.ex.entry {
            Some(e) => format!("{}, entry {e}", input_name(cx, reference.ex.input)),
            None => input_name(cx, reference.ex.input),
        },
    );
    let ref_index = reference.ex.index;
    let mut findings = Vec::new();
    for s in &seen {
        if s.ex.index == ref_index || tidy(&s.value) == ref_value {
            continue;
        }
        findings.push((s.ex, s.part, s.name, s.what, s.value.clone()));
    }
    for (ex, part, name, what, value) in findings {
        let ref_place = if ref_input == ex.input && ex.entry.is_none() {
            format!("the {ref_what}")
        } else {
            format!("the {ref_what} ({ref_name})")
        };
        cx.report(
            &ex,
            part,
            Some(name),
            format!(
                "{what} sends client_id {}, but {ref_place} used {ref_value}: one flow must use one app's Client ID",
                tidy(&value)
            ),
        )
        .fix("Use the same app's Client ID (and its secret) in every step: authorize link, token request and refresh.")
        .evidence("sent", value.clone())
        .evidence("expected", ref_value.clone())
        .diff(tidy(&value).to_string(), ref_value.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Located};
    use crate::engine::{run, Options};

    fn fired(inputs: &[&str], config_id: Option<&str>) -> Vec<String> {
        let sources: Vec<(String, Vec<u8>)> = inputs
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("in{i}"), t.as_bytes().to_vec()))
            .collect();
        let flow = crate::read_flow(&sources).unwrap();
        let config = config_id.map(|id| {
            let mut c = Config::empty();
            c.app.client_id = Some(Located::unplaced(id.to_string()));
            c
        });
        run(&[&super::RULE], &flow, config.as_ref(), &Options::default())
            .findings
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const LINK: &str = "https://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=abc";

    #[test]
    fn config_mismatch() {
        let m = fired(&[LINK], Some("3458764599999999999"));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("the config's client_id"), "{m:?}");
        assert!(fired(&[LINK], Some("3458764512345678901")).is_empty());
    }

    #[test]
    fn flow_mismatch_without_config() {
        let token = "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=authorization_code&client_id=3458764599999999999&client_secret=Zt7qLmP4xR9sKd2VbN6wY1cHf8JuE3aQ&code=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_abcdefghijklmnopqrst&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb\n";
        assert_eq!(fired(&[LINK, token], None).len(), 1);
        assert!(fired(&[token], None).is_empty());
    }
}

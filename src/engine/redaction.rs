//! Values hidden by whoever shared the capture (`[REDACTED]`, `***`, `[FILTERED]`, this tool's
//! own mask…; see [`crate::secret::redaction`]). A rule that compares or judges such a value
//! would misfire (two `code=[REDACTED]` look like one code exchanged twice), so each rule
//! declares the [`Evidence`] it reads, and the engine lists it as skipped, naming the
//! placeholder, when the capture hides that evidence.

use crate::finding::Step;
use crate::model::{parse_params, Flow, Request, Response};
use crate::secret::{header_credentials, redaction, SecretKind};

/// A kind of value a rule reads and a sanitizer may hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Evidence {
    /// Authorization codes: on the callback and in code exchanges.
    Code,
    /// `state` on the authorization link and the callback.
    State,
    /// The client secret: a `client_secret` parameter or the secret half of Basic credentials.
    ClientSecret,
    /// Access tokens: bearer credentials, `access_token` parameters and token responses.
    AccessToken,
    /// Refresh tokens: `refresh_token` parameters and token responses.
    RefreshToken,
    /// `Authorization: Basic` credentials hidden as a whole (`Basic [REDACTED]`).
    BasicCredentials,
}

impl Evidence {
    /// Plural noun for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Evidence::Code => "authorization codes",
            Evidence::State => "`state` values",
            Evidence::ClientSecret => "client secrets",
            Evidence::AccessToken => "access tokens",
            Evidence::RefreshToken => "refresh tokens",
            Evidence::BasicCredentials => "Basic credentials",
        }
    }

    /// Stable name in `rules --format json` (`off_when_hidden`).
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Code => "code",
            Evidence::State => "state",
            Evidence::ClientSecret => "client_secret",
            Evidence::AccessToken => "access_token",
            Evidence::RefreshToken => "refresh_token",
            Evidence::BasicCredentials => "basic_credentials",
        }
    }

    /// Parameter and JSON field names that carry this evidence.
    fn names(self) -> &'static [&'static str] {
        match self {
            Evidence::Code => &["code"],
            Evidence::State => &["state"],
            Evidence::ClientSecret => &["client_secret"],
            Evidence::AccessToken => &["access_token"],
            Evidence::RefreshToken => &["refresh_token"],
            Evidence::BasicCredentials => &[],
        }
    }

    const ALL: [Evidence; 5] = [
        Evidence::Code,
        Evidence::State,
        Evidence::ClientSecret,
        Evidence::AccessToken,
        Evidence::RefreshToken,
    ];
}

/// Where a kind of evidence is hidden: how many values, the first one seen and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hidden {
    /// What is hidden.
    pub evidence: Evidence,
    /// How many values of that kind are hidden.
    pub count: usize,
    /// The first placeholder as written (`[REDACTED]`).
    pub example: String,
    /// Its style (`a [REDACTED] placeholder`).
    pub style: &'static str,
    /// Index into [`Flow::inputs`] of the first one.
    pub input: usize,
    /// Its HAR entry, if any.
    pub entry: Option<usize>,
}

/// Every kind of evidence the flow hides, in [`Evidence`] order.
pub fn hidden(flow: &Flow, steps: &[Step]) -> Vec<Hidden> {
    let mut out: Vec<Hidden> = Vec::new();
    for (e, step) in flow.exchanges.iter().zip(steps) {
        // Authorization links and callbacks are only read for codes and state.
        let oauth_only = matches!(step, Step::Authorize | Step::Callback);
        let mut note = |evidence: Evidence, value: &str| {
            if oauth_only && !matches!(evidence, Evidence::Code | Evidence::State) {
                return;
            }
            let Some(style) = redaction(value) else {
                return;
            };
            match out.iter_mut().find(|h| h.evidence == evidence) {
                Some(h) => h.count += 1,
                None => out.push(Hidden {
                    evidence,
                    count: 1,
                    example: shorten(value),
                    style,
                    input: e.input,
                    entry: e.entry,
                }),
            }
        };
        // Tokens are issued only by token responses: no other body is parsed.
        let issued = e.response.as_ref().filter(|_| *step == Step::Token);
        for_each_value(&e.request, issued, &mut note);
    }
    out.sort_by_key(|h| h.evidence);
    out
}

/// Calls `f` with every value of every kind of evidence a request and its response carry.
fn for_each_value(req: &Request, resp: Option<&Response>, f: &mut impl FnMut(Evidence, &str)) {
    for ev in Evidence::ALL {
        for p in req.params_ref() {
            if ev.names().contains(&p.param.name.as_str()) {
                f(ev, &p.param.value);
            }
        }
    }
    if let Some(fragment) = req.raw_url().fragment {
        for p in parse_params(fragment) {
            for ev in Evidence::ALL {
                if ev.names().contains(&p.name.as_str()) {
                    f(ev, &p.value);
                }
            }
        }
    }
    // The credentials as masking reads them: Basic as a whole and its secret, any other
    // scheme's token (also a value hidden as a whole, scheme included).
    // A hidden value counts once, though masking lists it with and without quotes.
    for h in req.headers_named("authorization") {
        let mut counted: Vec<Evidence> = Vec::new();
        for (kind, value) in header_credentials(&h.name, &h.value) {
            let evidence = match kind {
                SecretKind::Basic => Evidence::BasicCredentials,
                SecretKind::ClientSecret => Evidence::ClientSecret,
                _ => Evidence::AccessToken,
            };
            if !counted.contains(&evidence) && redaction(&value).is_some() {
                counted.push(evidence);
                f(evidence, &value);
            }
        }
    }
    if let Some(serde_json::Value::Object(map)) = resp.and_then(Response::json_body) {
        for ev in [Evidence::AccessToken, Evidence::RefreshToken] {
            if let Some(serde_json::Value::String(v)) = map.get(ev.names()[0]) {
                f(ev, v);
            }
        }
    }
}

/// A placeholder as quoted in a message (at most 40 characters).
fn shorten(value: &str) -> String {
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let v = v.as_str();
    if v.chars().count() <= 40 {
        v.to_string()
    } else {
        format!("{}…", v.chars().take(39).collect::<String>())
    }
}

/// The reason a rule reading `evidence` is skipped.
pub fn reason(h: &Hidden, flow: &Flow) -> String {
    let source = flow
        .inputs
        .get(h.input)
        .map(|i| i.source.as_str())
        .unwrap_or("the capture");
    let at = match h.entry {
        Some(n) => format!("{source} entry {n}"),
        None => source.to_string(),
    };
    let many = if h.count == 1 {
        "1 value".to_string()
    } else {
        format!("{} values", h.count)
    };
    format!(
        "the capture's {} are hidden (`{}` in {at}, {many}) and the rule needs their real values; share a copy made with `miro-oauth redact`, which keeps them comparable",
        h.evidence.describe(),
        h.example,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Exchange, Header, InputInfo, InputKind};

    fn flow(urls: &[&str], auth: Option<&str>) -> (Flow, Vec<Step>) {
        let mut flow = Flow::default();
        flow.inputs.push(InputInfo {
            index: 0,
            kind: InputKind::Url,
            source: "capture.txt".into(),
            har: None,
        });
        for u in urls {
            let mut request = Request {
                method: "GET".into(),
                url: (*u).into(),
                ..Default::default()
            };
            if let Some(a) = auth {
                request.headers.push(Header {
                    name: "Authorization".into(),
                    value: a.into(),
                });
            }
            flow.exchanges.push(Exchange {
                input: 0,
                entry: None,
                started: None,
                request,
                response: None,
            });
        }
        let steps = flow
            .exchanges
            .iter()
            .map(|e| crate::engine::classify::classify(&e.request, None))
            .collect();
        (flow, steps)
    }

    #[test]
    fn finds_hidden_codes_and_states_and_counts_them() {
        let (f, s) = flow(
            &[
                "https://app.example/cb?code=[REDACTED]&state=abc123",
                "https://app.example/cb?code=***&state=abc123",
            ],
            None,
        );
        let h = hidden(&f, &s);
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!(h[0].evidence, Evidence::Code);
        assert_eq!(h[0].count, 2);
        assert_eq!(h[0].example, "[REDACTED]");
        let r = reason(&h[0], &f);
        assert!(r.contains("authorization codes are hidden"), "{r}");
        assert!(r.contains("capture.txt"), "{r}");
        assert!(r.contains("(`[REDACTED]` in capture.txt, 2 values)"), "{r}");
    }

    #[test]
    fn bearer_and_basic_credentials() {
        let (f, s) = flow(
            &["https://api.miro.com/v2/boards"],
            Some("Bearer [FILTERED]"),
        );
        let h = hidden(&f, &s);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].evidence, Evidence::AccessToken);
        assert_eq!(h[0].style, "a `[FILTERED]` placeholder");
        let (f, s) = flow(
            &["https://api.miro.com/v1/oauth/token?grant_type=authorization_code"],
            Some("Basic ***"),
        );
        let h = hidden(&f, &s);
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!(h[0].evidence, Evidence::BasicCredentials);
        // Basic base64("id:***").
        let (f, s) = flow(
            &["https://api.miro.com/v1/oauth/token?grant_type=authorization_code"],
            Some("Basic aWQ6Kioq"),
        );
        let h = hidden(&f, &s);
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!(h[0].evidence, Evidence::ClientSecret);
    }

    #[test]
    fn real_values_and_own_redact_placeholders_are_not_hidden() {
        let (f, s) = flow(
            &["https://app.example/cb?code=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_MASKED-code-3f2a9c&state=9c1e0b7a2d"],
            Some("Bearer eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tWq2Lx9ZpB4cYm7HdJ0sFa"),
        );
        assert!(hidden(&f, &s).is_empty());
    }
}

//! Helpers shared by the flow and code rules of the token group: which token requests are
//! code exchanges or refreshes, where a code was delivered (callback or the authorize
//! redirect's `Location`), when an exchange happened, and how to name an exchange in a message.

use crate::engine::classify::{realm, Realm};
use crate::engine::{Cx, Ex};
use crate::finding::{Part, Step};
use crate::model::{decode_component, parse_params, Param, ParamPlace, RawUrl, Request};
pub(crate) use crate::rules::common::time_of;

/// Miro's authorization code lifetime (facts §3: "expires 10 minutes after issuance").
pub(crate) const CODE_LIFETIME_SECS: i64 = 600;

/// The `grant_type` as the server most likely reads it: trimmed, unquoted, lower-cased.
pub(crate) fn grant_type(req: &Request) -> Option<String> {
    req.param("grant_type").map(|p| {
        p.param
            .value
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim()
            .to_ascii_lowercase()
    })
}

fn has_value(req: &Request, name: &str) -> bool {
    req.param(name)
        .is_some_and(|p| !p.param.value.trim().is_empty())
}

/// What a token request is for, judged by what it carries: a `code` alone makes it a code
/// exchange and a `refresh_token` alone a refresh, whatever `grant_type` says (that mismatch
/// is `grant-type-invalid`'s); with both or neither, `grant_type` decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// `authorization_code`.
    CodeExchange,
    /// `refresh_token`.
    Refresh,
}

/// The purpose of a token request, when it can be told.
pub(crate) fn purpose(req: &Request) -> Option<Purpose> {
    match (has_value(req, "code"), has_value(req, "refresh_token")) {
        (true, false) => Some(Purpose::CodeExchange),
        (false, true) => Some(Purpose::Refresh),
        _ => match grant_type(req).as_deref() {
            Some("authorization_code") => Some(Purpose::CodeExchange),
            Some("refresh_token") => Some(Purpose::Refresh),
            _ => None,
        },
    }
}

/// An `authorization_code` exchange (see [`purpose`]).
pub(crate) fn is_code_exchange(req: &Request) -> bool {
    purpose(req) == Some(Purpose::CodeExchange)
}

/// A refresh (see [`purpose`]).
pub(crate) fn is_refresh(req: &Request) -> bool {
    purpose(req) == Some(Purpose::Refresh)
}

/// The finding part for a parameter's place.
pub(crate) fn part_of(place: ParamPlace) -> Part {
    match place {
        ParamPlace::Query => Part::Query,
        _ => Part::Body,
    }
}

/// Preflights and HEADs carry the URL but are never the exchange itself.
pub(crate) fn is_real_request(req: &Request) -> bool {
    !(req.method.eq_ignore_ascii_case("OPTIONS") || req.method.eq_ignore_ascii_case("HEAD"))
}

/// Token requests that reached the token endpoint as an exchange: not a CORS preflight, and
/// not answered with a redirect (a 3xx means the request never got to Miro's token logic).
pub(crate) fn token_attempts<'a>(cx: &Cx<'a>) -> Vec<Ex<'a>> {
    cx.of_step(Step::Token)
        .filter(|e| is_real_request(&e.request))
        .filter(|e| {
            !e.response
                .as_ref()
                .is_some_and(|r| (300..400).contains(&r.status))
        })
        .collect()
}

/// True when the exchange's response is a successful token response.
pub(crate) fn succeeded(ex: &Ex<'_>) -> bool {
    ex.response.as_ref().is_some_and(|r| {
        (200..300).contains(&r.status)
            && r.json_body()
                .is_some_and(|j| j.get("access_token").is_some() || j.get("accessToken").is_some())
    })
}

/// A code as the callback (or the authorize redirect) delivered it.
#[derive(Clone, Debug)]
pub(crate) struct Delivery<'a> {
    /// The exchange that shows it.
    pub ex: Ex<'a>,
    /// The code parameter (raw spelling and decoded value).
    pub code: Param,
    /// When it was delivered, when the capture says.
    pub at: Option<jiff::Timestamp>,
}

impl Delivery<'_> {
    /// The code with `+` read literally (percent-decoding only): the other reading of a `+`
    /// in a URL query, where many frameworks do not turn `+` into a space.
    pub fn literal(&self) -> String {
        percent_encoding::percent_decode_str(&self.code.raw)
            .decode_utf8_lossy()
            .into_owned()
    }

    /// Whether `value` is this code under either reading of `+`.
    pub fn matches(&self, value: &str) -> bool {
        self.code.value == value || self.literal() == value
    }
}

/// Every place the flow shows a code being delivered: callback requests with `code`, and
/// `Location` headers of Miro's redirect to the callback.
pub(crate) fn deliveries<'a>(cx: &Cx<'a>) -> Vec<Delivery<'a>> {
    // The first non-empty `code` of a query.
    let code_in = |params: Vec<Param>| {
        params
            .into_iter()
            .find(|p| p.name == "code" && !p.value.trim().is_empty())
    };
    let mut out = Vec::new();
    for ex in cx.exchanges() {
        let mut codes = Vec::new();
        if ex.step == Step::Callback && is_real_request(&ex.request) {
            codes.extend(code_in(ex.request.query_params()));
        }
        let from_miro = matches!(realm(&ex.request.host()), Realm::Web | Realm::OtherMiro);
        if let (true, Some(resp)) = (from_miro, ex.response.as_ref()) {
            if let Some(loc) = resp.header("location") {
                let query = RawUrl::split(&loc.value).query.map(parse_params);
                codes.extend(code_in(query.unwrap_or_default()));
            }
        }
        out.extend(codes.into_iter().map(|code| Delivery {
            ex,
            code,
            at: time_of(&ex),
        }));
    }
    out
}

/// How to name an exchange in a message: its input's source, and the HAR entry.
pub(crate) fn label(cx: &Cx<'_>, ex: &Ex<'_>) -> String {
    let source = cx
        .flow()
        .inputs
        .get(ex.input)
        .map(|i| i.source.as_str())
        .unwrap_or("input");
    match ex.entry {
        Some(e) if cx.flow().inputs.len() > 1 => format!("{source} entry {e}"),
        Some(e) => format!("entry {e}"),
        None => source.to_string(),
    }
}

/// `11 min 5 s`, `2 h 3 min`, `45 s`, `3 days 2 h`.
pub(crate) fn human_duration(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let plural = |n: i64, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) if s == 0 => format!("{m} min"),
        (0, 0, _) => format!("{m} min {s} s"),
        (0, _, 0) => format!("{h} h"),
        (0, _, _) => format!("{h} h {m} min"),
        (_, 0, _) => plural(d, "day"),
        _ => format!("{} {h} h", plural(d, "day")),
    }
}

/// Percent-decodes once more: what a value that was encoded twice really holds.
pub(crate) fn decode_again(value: &str) -> String {
    decode_component(value)
}

/// True when the value still holds `%XX` escapes after the server's one decoding.
pub(crate) fn has_percent_escape(value: &str) -> bool {
    let b = value.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(url: &str, body: Option<&str>) -> Request {
        Request {
            method: "POST".into(),
            url: url.into(),
            headers: vec![crate::model::Header {
                name: "Content-Type".into(),
                value: "application/x-www-form-urlencoded".into(),
            }],
            body: body.map(|b| crate::model::Body::Text(b.into())),
            curl: None,
            params_cache: Default::default(),
        }
    }

    #[test]
    fn grants() {
        let t = "https://api.miro.com/v1/oauth/token";
        assert!(is_code_exchange(&req(
            &format!("{t}?grant_type=authorization_code&code=x"),
            None
        )));
        assert!(is_code_exchange(&req(
            t,
            Some("grant_type=%22Authorization_Code%22&code=x")
        )));
        assert!(is_code_exchange(&req(t, Some("code=x&client_id=1"))));
        assert!(is_code_exchange(&req(
            t,
            Some("grant_type=authorization_code")
        )));
        // A refresh labelled as a code exchange is still a refresh.
        assert!(is_refresh(&req(
            t,
            Some("grant_type=authorization_code&refresh_token=r")
        )));
        assert!(is_refresh(&req(
            t,
            Some("grant_type=refresh_token&refresh_token=")
        )));
        assert!(is_refresh(&req(t, Some("refresh_token=r"))));
        assert!(!is_refresh(&req(t, Some("code=x&refresh_token=r"))));
        assert!(!is_code_exchange(&req(t, Some("code=x&refresh_token=r"))));
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(45), "45 s");
        assert_eq!(human_duration(660), "11 min");
        assert_eq!(human_duration(665), "11 min 5 s");
        assert_eq!(human_duration(7380), "2 h 3 min");
        assert_eq!(human_duration(86_400 * 3 + 7200), "3 days 2 h");
    }

    #[test]
    fn escapes() {
        assert!(has_percent_escape("abc%2Bdef"));
        assert!(!has_percent_escape("abc%zz"));
        assert_eq!(decode_again("a%2Bb"), "a+b");
    }
}

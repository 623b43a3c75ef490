//! `code-mangled`: the code sent to the token endpoint is not the code Miro delivered —
//! truncated, with whitespace or quotes, encoded twice, or with `+` turned into a space.

use super::flow::{
    deliveries, has_percent_escape, is_code_exchange, part_of, succeeded, token_attempts, Delivery,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "code-mangled",
    group: Group::Token,
    severity: Severity::Error,
    summary: "the code is truncated, has whitespace or quotes, is double-encoded, or had + turned into a space",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/code-mangled.md"),
    superseded_by: &[],
    reads: &[Evidence::Code],
    check,
};

/// The region prefix every Miro code, access and refresh token starts with (facts §6; its
/// meaning is undocumented, so only the shape is used).
const MIRO_PREFIX: &str = "eyJtaXJv";

/// What is wrong with a code, with the words for the message and the fix.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Damage {
    /// Wrapped in or containing quote characters.
    Quotes,
    /// Leading or trailing whitespace (a pasted newline, a space).
    EdgeWhitespace,
    /// A line break or tab inside.
    InnerBreak,
    /// A space inside where `+` was sent unencoded (form decoding turns `+` into a space);
    /// the 1-based character position of the first space.
    PlusToSpace(usize),
    /// A space inside, at this 1-based character position.
    Space(usize),
    /// `%XX` escapes survive the server's decoding: encoded twice. The first escape left.
    DoubleEncoded(String),
    /// The rest of the callback URL (`&state=…`, `#…`) came along.
    TrailingUrl,
    /// Shorter than the code the callback delivered: `sent` of `delivered` characters.
    Truncated { sent: usize, delivered: usize },
    /// Cut inside Miro's shape (`eyJtaXJv…_tail`): its length, and the tail's length when
    /// there is a `_`.
    TruncatedShape { len: usize, tail: Option<usize> },
    /// The callback delivered `%2B` (a literal `+`), and a space or `%20` arrived instead.
    PlusLost,
}

/// Checks a code on its own (no callback to compare with).
pub(crate) fn damage_alone(value: &str, raw: &str) -> Option<Damage> {
    if value.contains(['"', '\'']) {
        return Some(Damage::Quotes);
    }
    if value.trim() != value {
        return Some(Damage::EdgeWhitespace);
    }
    if value.contains(['\n', '\r', '\t']) {
        return Some(Damage::InnerBreak);
    }
    if let Some(i) = value.chars().position(|c| c == ' ') {
        return Some(if raw.contains('+') {
            Damage::PlusToSpace(i + 1)
        } else {
            Damage::Space(i + 1)
        });
    }
    if has_percent_escape(value) {
        let i = value.find('%').unwrap_or(0);
        let escape = value.get(i..i + 3).unwrap_or("%").to_string();
        return Some(Damage::DoubleEncoded(escape));
    }
    let lower = value.to_ascii_lowercase();
    if value.contains('#')
        || ["&state=", "&client_id=", "&team_id=", "?state="]
            .iter()
            .any(|p| lower.contains(p))
    {
        return Some(Damage::TrailingUrl);
    }
    None
}

/// Checks Miro's code shape: `eyJtaXJv…` (the region prefix), `_`, then the opaque tail.
/// The shortest tail in Miro's docs is 6 characters.
fn damage_shape(value: &str) -> Option<Damage> {
    if !value.starts_with(MIRO_PREFIX) {
        return None;
    }
    let len = value.chars().count();
    match value.split_once('_') {
        None => Some(Damage::TruncatedShape { len, tail: None }),
        Some((_, tail)) if tail.chars().count() < 6 => Some(Damage::TruncatedShape {
            len,
            tail: Some(tail.chars().count()),
        }),
        _ => None,
    }
}

/// Compares the sent code with the one the callback delivered.
pub(crate) fn damage_vs(value: &str, d: &Delivery<'_>) -> Option<Damage> {
    if d.matches(value) {
        return None;
    }
    let delivered = d.literal();
    let delivered_form = d.code.value.clone();
    for want in [&delivered, &delivered_form] {
        if want.starts_with(value) && value.len() < want.len() && !value.is_empty() {
            return Some(Damage::Truncated {
                sent: value.chars().count(),
                delivered: want.chars().count(),
            });
        }
    }
    if delivered.contains('+') && value.replace(' ', "+") == delivered {
        return Some(Damage::PlusLost);
    }
    if let Some(alone) = damage_alone(value, value) {
        // Only when removing the damage gives back the delivered code: else it is another code.
        let repaired = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        let undone = super::flow::decode_again(value);
        if repaired == delivered
            || undone == delivered
            || value.starts_with(delivered.as_str())
            || value.replace(['\n', '\r', '\t', ' '], "") == delivered
        {
            return Some(match alone {
                Damage::Space(i) => Damage::PlusToSpace(i),
                other => other,
            });
        }
    }
    None
}

fn words(d: &Damage) -> (String, &'static str) {
    const WHOLE: &str = "Send the whole code the callback delivered; look for column widths, regexes and copy-paste that cut it.";
    match d {
        Damage::Quotes => (
            "the code contains quote characters: a quoted value was sent literally".into(),
            "Send the code without quotes: in curl, quote the whole argument ('code=…'), not the value.",
        ),
        Damage::EdgeWhitespace => (
            "the code has whitespace around it (a pasted space or line break)".into(),
            "Trim the code before sending it, exactly as the callback delivered it.",
        ),
        Damage::InnerBreak => (
            "the code contains a line break or tab (wrapped when it was copied)".into(),
            "Send the code on one line, exactly as the callback delivered it.",
        ),
        Damage::PlusToSpace(i) => (
            format!("the code has a space at character {i} where a `+` was sent unencoded: form decoding turns `+` into a space"),
            "URL-encode the code when building the request (curl --data-urlencode, URLSearchParams, urlencode) so `+` travels as %2B.",
        ),
        Damage::Space(i) => (
            format!("the code has a space at character {i}; Miro codes have none"),
            "Send the code exactly as the callback delivered it, URL-encoded once.",
        ),
        Damage::DoubleEncoded(e) => (
            format!("the code is percent-encoded twice: after the server's one decoding it still holds {e}"),
            "Encode the code once: pass the decoded value from the callback to a single URL-encoding step.",
        ),
        Damage::TrailingUrl => (
            "the code carries the rest of the callback URL (`&state=…` or `#…`) inside its value".into(),
            "Read the code with a URL parser (the `code` query parameter alone) instead of cutting the callback URL by hand.",
        ),
        Damage::Truncated { sent, delivered } => (
            format!("the code is truncated: {sent} characters sent, the callback delivered {delivered}"),
            WHOLE,
        ),
        Damage::TruncatedShape { len, tail: None } => (
            format!("the code ({len} characters) stops inside Miro's region prefix `eyJtaXJv…`: the `_` and the tail after it are missing"),
            WHOLE,
        ),
        Damage::TruncatedShape { len, tail: Some(t) } => (
            format!("the code ({len} characters) looks truncated: its tail after `_` has {t} characters, where Miro codes carry a longer one"),
            WHOLE,
        ),
        Damage::PlusLost => (
            "the callback delivered a `+` in the code (%2B) but the exchange sent a space in its place".into(),
            "URL-encode the code when building the request so `+` travels as %2B.",
        ),
    }
}

fn check(cx: &mut Cx<'_>) {
    let delivered = deliveries(cx);
    for ex in token_attempts(cx) {
        if !is_code_exchange(&ex.request) || succeeded(&ex) {
            continue;
        }
        let Some(code) = ex.request.param("code") else {
            continue;
        };
        let (value, raw) = (code.param.value.as_str(), code.param.raw.as_str());
        if value.trim().is_empty() {
            continue; // code-missing
        }
        // The delivery to compare with: an exact one means the code arrived intact.
        let exact = delivered.iter().any(|d| d.matches(value));
        let nearest = delivered
            .iter()
            .rev()
            .find(|d| d.ex.index < ex.index)
            .or_else(|| delivered.first());
        let vs = if exact {
            None
        } else {
            nearest.and_then(|d| damage_vs(value, d).map(|dmg| (dmg, d)))
        };
        let compared = vs
            .as_ref()
            .map(|(_, d)| (super::flow::label(cx, &d.ex), d.code.value.chars().count()));
        let damage = vs
            .map(|(dmg, _)| dmg)
            .or_else(|| damage_alone(value, raw))
            .or_else(|| {
                if delivered.is_empty() {
                    damage_shape(value)
                } else {
                    None
                }
            });
        let Some(damage) = damage else {
            continue;
        };
        let (message, fix) = words(&damage);
        let r = cx
            .report(&ex, part_of(code.place), Some("code"), message)
            .fix(fix)
            .evidence("sent_length", value.chars().count());
        if let Some((from, len)) = compared {
            r.evidence("delivered_by", from)
                .evidence("delivered_length", len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_hT3kLm9PqR2sVw8XyZ4bC6dF1gJ0nA";

    #[test]
    fn alone() {
        assert_eq!(damage_alone(CODE, CODE), None);
        assert_eq!(damage_alone("\"abc\"", "%22abc%22"), Some(Damage::Quotes));
        assert_eq!(
            damage_alone("abc\n", "abc%0A"),
            Some(Damage::EdgeWhitespace)
        );
        assert_eq!(damage_alone("ab\ncd", "ab%0Acd"), Some(Damage::InnerBreak));
        assert_eq!(damage_alone("ab cd", "ab+cd"), Some(Damage::PlusToSpace(3)));
        assert_eq!(damage_alone("ab cd", "ab%20cd"), Some(Damage::Space(3)));
        assert_eq!(
            damage_alone("ab%2Bcd", "ab%252Bcd"),
            Some(Damage::DoubleEncoded("%2B".into()))
        );
        assert_eq!(
            damage_alone("abc&state=xyz", "abc%26state%3Dxyz"),
            Some(Damage::TrailingUrl)
        );
    }

    #[test]
    fn shape() {
        assert_eq!(damage_shape(CODE), None);
        assert_eq!(damage_shape("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_IIze1u"), None);
        assert_eq!(
            damage_shape("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ"),
            Some(Damage::TruncatedShape {
                len: 30,
                tail: None
            })
        );
        assert_eq!(
            damage_shape("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_hT3"),
            Some(Damage::TruncatedShape {
                len: 34,
                tail: Some(3)
            })
        );
        // Unknown formats are left alone.
        assert_eq!(damage_shape("a1b2"), None);
    }
}

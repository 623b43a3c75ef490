//! `state-mismatch`: the callback's `state` differs from the one the authorize link sent (or
//! is missing). Needs a flow with both.

use crate::model::decode_component;
use crate::rules::common::{authorize_links, callbacks, input_name, lost_in_fragment, query_param};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "state-mismatch",
    group: Group::Authorize,
    severity: Severity::Error,
    summary: "the callback's state differs from the state the authorize link sent",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/state-mismatch.md"),
    superseded_by: &[],
    reads: &[Evidence::State],
    check,
};

const FIX: &str = "Generate the state once per login, store it in the user's session before redirecting to Miro, and compare the callback's state with that stored value.";

/// Why two different states differ, when it shows.
fn hint(sent: &str, got: &str) -> Option<&'static str> {
    if sent.replace(' ', "+") == got.replace(' ', "+") {
        Some("a `+` and a space were swapped: percent-encode the state, or use URL-safe characters only")
    } else if decode_component(got) == sent || decode_component(sent) == got {
        Some("they differ only in percent-encoding: the state was encoded twice on one side")
    } else if !got.is_empty() && sent.starts_with(got) {
        Some("the callback's state is cut short: the state holds a character (`&`, `#`, `=`) that was sent unencoded")
    } else if sent.eq_ignore_ascii_case(got) {
        Some("they differ only in letter case")
    } else {
        None
    }
}

/// True when a decoded value still holds `%XX` escapes (it was encoded twice).
fn double_encoded(value: &str) -> bool {
    let b = value.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

fn check(cx: &mut Cx<'_>) {
    let links = authorize_links(cx);
    let backs = callbacks(cx);
    if links.is_empty() || backs.is_empty() {
        if !links.is_empty() || !backs.is_empty() {
            cx.skip("needs a flow with both the authorize link and the callback");
        }
        return;
    }
    for cb in backs {
        // The link this callback answers: the nearest one before it, else the first after it.
        let link = links
            .iter()
            .rev()
            .find(|l| l.index < cb.index)
            .or_else(|| links.iter().find(|l| l.index > cb.index));
        let Some(link) = link else {
            continue;
        };
        if lost_in_fragment(&link.request, "state") {
            continue; // never reached Miro: redirect-uri-not-encoded
        }
        let Some(sent) = query_param(&link.request, "state").filter(|p| !p.value.is_empty()) else {
            continue; // state-missing covers a link without state
        };
        let got = query_param(&cb.request, "state");
        let is_error = query_param(&cb.request, "error").is_some();
        let link_place = if link.input == cb.input {
            match link.entry {
                Some(e) => format!("the authorize link (entry {e})"),
                None => "the authorize link".to_string(),
            }
        } else {
            format!("the authorize link ({})", input_name(cx, link.input))
        };
        match got {
            None if is_error => {}
            None => {
                cx.report(
                    &cb,
                    Part::Query,
                    Some("state"),
                    format!(
                        "callback has no state, but {link_place} sent state `{}`: the callback cannot be tied to the login that started it",
                        sent.value
                    ),
                )
                .fix(FIX)
                .evidence("expected", sent.value.clone());
            }
            // A raw `+` in the link's state (base64!) reaches Miro as a space, and comes back
            // as one: the app compares it with the state it stored, which has the `+`.
            Some(got)
                if got.value == sent.value
                    && sent.raw.contains('+')
                    && !sent.raw.contains(['%', ' '])
                    && got.value.contains(' ') =>
            {
                cx.report(
                    &cb,
                    Part::Query,
                    Some("state"),
                    format!(
                        "callback state `{}` differs from state `{}` the app put in {link_place}: the `+` was sent unencoded, so Miro read it as a space and returned a space",
                        got.value, sent.raw
                    ),
                )
                .fix("Percent-encode the state when building the authorize link (encodeURIComponent), or generate it from URL-safe characters only (base64url).")
                .evidence("sent", sent.raw.clone())
                .evidence("received", got.value.clone())
                .diff(got.value.clone(), sent.raw.clone());
            }
            // A state encoded twice arrives still encoded (`%3D`) and comes back so; the app
            // compares it with the state it stored, before encoding.
            Some(got) if got.value == sent.value && double_encoded(&sent.value) => {
                cx.report(
                    &cb,
                    Part::Query,
                    Some("state"),
                    format!(
                        "callback state `{}` is still percent-encoded, so it differs from the state `{}` the app stored: the authorize link ({}) encoded the state twice",
                        got.value,
                        decode_component(&sent.value),
                        sent.raw
                    ),
                )
                .fix("Percent-encode the state exactly once when building the authorize link (URLSearchParams or encodeURIComponent, not both).")
                .evidence("sent", sent.raw.clone())
                .evidence("received", got.value.clone())
                .diff(got.value.clone(), decode_component(&sent.value));
            }
            Some(got) if got.value == sent.value => {}
            Some(got) => {
                let mut message = format!(
                    "callback state `{}` differs from state `{}` sent in {link_place}",
                    got.value, sent.value
                );
                if let Some(h) = hint(&sent.value, &got.value) {
                    message.push_str(&format!(" ({h})"));
                } else {
                    message.push_str(
                        ": the callback belongs to another login attempt, or the state was regenerated after the link was built",
                    );
                }
                cx.report(&cb, Part::Query, Some("state"), message)
                    .fix(FIX)
                    .evidence("sent", sent.value.clone())
                    .evidence("received", got.value.clone())
                    .diff(got.value.clone(), sent.value.clone());
            }
        }
    }
}

//! `code-invalid`: Miro answered "Invalid authorization code" and the capture does not show
//! why. The three causes are listed with how to tell them apart; where the flow shows the
//! cause, `code-expired`, `code-reused` or `code-mangled` fires instead.

use super::flow::{is_code_exchange, is_real_request};
use crate::rules::prelude::*;
use crate::rules::response::error_body::{error_body, miro_answer};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "code-invalid",
    group: Group::Token,
    severity: Severity::Error,
    summary:
        "Miro answered \"Invalid authorization code\": expired, already used, or altered in transit",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/code-invalid.md"),
    superseded_by: &["code-expired", "code-reused", "code-mangled"],
    reads: &[Evidence::Code],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in cx.exchanges() {
        let Some(resp) = ex.response.as_ref() else {
            continue;
        };
        if !is_real_request(&ex.request) {
            continue;
        }
        let relayed = match miro_answer(&ex) {
            Some(relayed) if relayed || ex.step == Step::Token => relayed,
            _ => continue,
        };
        let Some(err) = error_body(resp) else {
            continue;
        };
        let exchange = is_code_exchange(&ex.request);
        if !err.is_invalid_code(exchange && !relayed) {
            continue;
        }
        let via = if relayed {
            " (relayed by the app's backend)"
        } else {
            ""
        };
        cx.report(
            &ex,
            Part::Response,
            None,
            format!(
                "Miro rejected the authorization code{via}: {}; the capture does not show whether it expired, was already used, or was altered on the way",
                err.describe()
            ),
        )
        .fix("Start a new authorization and exchange the fresh code once, within 10 minutes, sending it exactly as the callback delivered it.")
        .evidence("status", err.status)
        .evidence("code", err.code.clone())
        .evidence("message", err.message.clone())
        .note("expired: more than 10 minutes passed between the callback and the exchange (compare the callback's and the token request's times; a HAR shows both)")
        .note("already used: the code was exchanged before (a second token request with it, a reloaded callback page, a React strict-mode double effect); the first exchange succeeded")
        .note("altered: the code sent differs from the callback's (truncated, whitespace or quotes, `+` turned into a space, encoded twice); give the callback URL and the token request together to compare");
    }
}

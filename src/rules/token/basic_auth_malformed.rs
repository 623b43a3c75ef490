//! `basic-auth-malformed`: an `Authorization: Basic` value on a token request that is not
//! standard base64 of `client_id:client_secret` (raw `id:secret`, no colon, base64url,
//! line-wrapped, a trailing newline from `echo`, placeholders, swapped parts).

use super::shape::{basic_headers, describe_placeholder, failed_token_requests, BasicProblem};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "basic-auth-malformed",
    group: Group::Token,
    severity: Severity::Error,
    summary: "Authorization: Basic value that is not base64 of client_id:client_secret",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/basic-auth-malformed.md"),
    superseded_by: &[],
    reads: &[Evidence::BasicCredentials],
    check,
};

const ENCODE: &str = "Encode client_id:client_secret with standard base64 on one line, without quotes (printf '%s' \"$CLIENT_ID:$CLIENT_SECRET\" | base64 -w0), or send client_id and client_secret as form parameters instead.";

fn describe(p: &BasicProblem) -> (String, String) {
    let encode = ENCODE.to_string();
    match p {
        BasicProblem::Empty => (
            // Worded without the capitalised scheme name: a bare `Basic` header value is
            // registered as a secret by the masker, which would mask the word.
            "the Authorization header names the basic scheme but carries no credentials after it".to_string(),
            encode,
        ),
        BasicProblem::Raw => (
            "Authorization: Basic carries client_id:client_secret as plain text; Basic credentials must be base64-encoded".to_string(),
            encode,
        ),
        BasicProblem::Quoted => (
            "the Basic credentials are wrapped in quotes, which are not part of base64".to_string(),
            encode,
        ),
        BasicProblem::Wrapped => (
            "the Basic credentials contain a line break or spaces (line-wrapped base64 output)".to_string(),
            encode,
        ),
        BasicProblem::UrlSafe => (
            "the Basic credentials use the base64url alphabet (`-`, `_`); Basic needs standard base64 (`+`, `/`)".to_string(),
            encode,
        ),
        BasicProblem::Unpadded => (
            "the Basic credentials lack the base64 `=` padding, which strict decoders reject".to_string(),
            encode,
        ),
        BasicProblem::NotBase64 => (
            "the Basic credentials are not base64, so they cannot decode to client_id:client_secret".to_string(),
            encode,
        ),
        BasicProblem::NotText => (
            "the Basic credentials decode to binary data, not client_id:client_secret (the secret alone, not encoded, looks like this)".to_string(),
            encode,
        ),
        BasicProblem::NoColon(text) => {
            let what = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
                format!("only the client id {text}")
            } else {
                format!("a single {}-character value", text.chars().count())
            };
            (
                format!("the Basic credentials decode to {what} with no `:`; Basic needs client_id:client_secret"),
                "Encode both parts joined by a colon, client_id:client_secret, or send client_id and client_secret as form parameters instead.".to_string(),
            )
        }
        BasicProblem::TrailingNewline => (
            "the Basic credentials encode a trailing line break (echo without -n), so the client secret Miro reads ends with a newline".to_string(),
            "Encode without the line break (printf '%s' \"$CLIENT_ID:$CLIENT_SECRET\" | base64 instead of echo), or send client_id and client_secret as form parameters instead.".to_string(),
        ),
        BasicProblem::Whitespace => (
            "the Basic credentials have spaces around the client id or the client secret".to_string(),
            "Encode client_id:client_secret without spaces, or send client_id and client_secret as form parameters instead.".to_string(),
        ),
        BasicProblem::EmptyPart { part } => (
            format!("the Basic credentials decode to client_id:client_secret with an empty {part}"),
            "Encode both the Client ID and the Client secret from the app settings, or send them as form parameters instead.".to_string(),
        ),
        BasicProblem::Placeholder { part, value } => (
            format!(
                "the Basic credentials decode to a {part} that is {}: the variable that should hold it was not set",
                describe_placeholder(value)
            ),
            "Encode the real Client ID and Client secret from the app settings, or send them as form parameters instead.".to_string(),
        ),
        BasicProblem::Swapped => (
            "the Basic credentials are client_secret:client_id, the wrong way round".to_string(),
            "Put the client id first: base64 of client_id:client_secret.".to_string(),
        ),
    }
}

fn check(cx: &mut Cx<'_>) {
    for ex in failed_token_requests(cx) {
        for b in basic_headers(&ex.request) {
            let Some(problem) = &b.problem else {
                continue;
            };
            let (message, fix) = describe(problem);
            cx.report(&ex, Part::Header, Some("Authorization"), message)
                .fix(fix)
                .evidence("expected", "Basic base64(client_id:client_secret)");
        }
    }
}

//! `basic-auth-only`: the client credentials travel only in an `Authorization: Basic` header
//! (curl `-u id:secret` does exactly that). Miro documents `client_id`/`client_secret` only as
//! request parameters (facts §4.1), so the header alone is likely not read.

use super::shape::{basic_headers, failed_token_requests, sent_params, usable_creds, BasicProblem};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "basic-auth-only",
    group: Group::Token,
    severity: Severity::Warning,
    summary:
        "client credentials only in a Basic header: Miro documents them only as request params",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/basic-auth-only.md"),
    superseded_by: &[],
    reads: &[Evidence::BasicCredentials],
    check,
};

fn check(cx: &mut Cx<'_>) {
    // A request Miro answered with a token shows the header worked: left out.
    for ex in failed_token_requests(cx) {
        let req = &ex.request;
        let params = sent_params(req);
        if params.iter().any(|p| p.name == "client_secret") {
            continue;
        }
        let carries_creds = basic_headers(req).iter().any(|b| {
            usable_creds(b).is_some()
                && !matches!(
                    b.problem,
                    Some(BasicProblem::NotBase64) | Some(BasicProblem::NotText)
                )
        });
        if !carries_creds {
            continue;
        }
        let from_curl_u = req.curl.as_ref().is_some_and(|c| c.user.is_some());
        let has_id = params.iter().any(|p| p.name == "client_id");
        let what = if has_id {
            "the client secret is sent only in an Authorization: Basic header"
        } else {
            "client_id and client_secret are sent only in an Authorization: Basic header"
        };
        let how = if from_curl_u { " (curl -u)" } else { "" };
        let fix = if from_curl_u {
            "Replace -u with --data-urlencode 'client_id=…' --data-urlencode 'client_secret=…' so the credentials travel as form parameters."
        } else {
            "Send client_id and client_secret as form parameters in the request body (the Basic header may stay)."
        };
        cx.report(
            &ex,
            Part::Header,
            Some("Authorization"),
            format!(
                "{what}{how}; Miro documents client_id and client_secret only as request parameters, so the header is likely not read"
            ),
        )
        .fix(fix);
    }
}

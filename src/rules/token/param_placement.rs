//! `param-placement`: token parameters where Miro's token endpoint does not read them (a JSON
//! or multipart body, a form body without the form content type, after a `#`), or curl data
//! that reaches Miro changed (`+`, `&`, `%` or spaces not URL-encoded; `--data-urlencode`
//! swallowing several pairs or encoding an encoded value twice). Query string, form body, or
//! a mix of both are all fine (facts §4.1).

use super::shape::{
    body_shape, canonical, curl_data_problems, failed_token_requests, join_names, read_params,
    sent_params, shown, split_elsewhere, unique_names, BodyShape, DataProblem, Place, Sent,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "param-placement",
    group: Group::Token,
    severity: Severity::Error,
    summary: "token params where Miro does not read them (JSON, multipart, undeclared form body) or mangled by curl -d",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/param-placement.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn is_are(names: &[String]) -> &'static str {
    if names.len() == 1 {
        "is"
    } else {
        "are"
    }
}

fn none_of(names: &[String]) -> &'static str {
    if names.len() == 1 {
        "it"
    } else {
        "none of them"
    }
}

/// The token parameters at `place` that Miro does not also read elsewhere.
fn lost(params: &[Sent], read: &[Sent], place: Place) -> Vec<String> {
    unique_names(params.iter().filter(|p| {
        p.place == place
            && canonical(&p.name).is_some()
            && !read.iter().any(|r| r.name == p.name && !r.value.is_empty())
    }))
}

fn check(cx: &mut Cx<'_>) {
    for ex in failed_token_requests(cx) {
        let req = &ex.request;
        let params = sent_params(req);
        let read = read_params(req);
        let is_curl = req.curl.is_some();
        let method = req.method.trim().to_ascii_uppercase();
        // A body on GET is a `token-method-wrong` problem first.
        let body_counts = method != "GET" && method != "HEAD";

        match body_shape(req) {
            BodyShape::Json { content_type } if body_counts => {
                let names = lost(&params, &read, Place::Json);
                if !names.is_empty() {
                    let (message, fix) = if content_type.as_deref()
                        == Some("application/x-www-form-urlencoded")
                    {
                        (
                            format!(
                                "the body is JSON but declared Content-Type: application/x-www-form-urlencoded: Miro parses it as a form and finds no {}",
                                join_names(&names)
                            ),
                            "Encode the body as form pairs (grant_type=…&code=…) instead of JSON.".to_string(),
                        )
                    } else {
                        (
                            format!(
                                "{} {} sent in a JSON body; Miro's token endpoint reads its parameters from the query string or a form body and likely ignores JSON, so it sees {}",
                                join_names(&names),
                                is_are(&names),
                                none_of(&names)
                            ),
                            if is_curl {
                                "Send the parameters with one --data-urlencode per parameter instead of a JSON body.".to_string()
                            } else {
                                "Send the parameters as an application/x-www-form-urlencoded body (URLSearchParams in JavaScript, data= in Python requests) instead of JSON.".to_string()
                            },
                        )
                    };
                    cx.report(&ex, Part::Body, Some(&names[0]), message)
                        .fix(fix)
                        .evidence(
                            "sent",
                            content_type.unwrap_or_else(|| "(no Content-Type)".to_string()),
                        )
                        .evidence("expected", "application/x-www-form-urlencoded")
                        .evidence("params", names.clone());
                }
            }
            BodyShape::Multipart if body_counts => {
                let names = lost(&params, &read, Place::Multipart);
                if !names.is_empty() {
                    let via = if req.curl.as_ref().is_some_and(|c| !c.form.is_empty()) {
                        " (curl -F)"
                    } else {
                        ""
                    };
                    cx.report(
                        &ex,
                        Part::Body,
                        Some(&names[0]),
                        format!(
                            "{} {} sent as multipart/form-data{via}; Miro does not document multipart bodies for its token endpoint and likely does not read them, so it sees {}",
                            join_names(&names),
                            is_are(&names),
                            none_of(&names)
                        ),
                    )
                    .fix(if is_curl {
                        "Replace each -F with --data-urlencode so that curl sends an application/x-www-form-urlencoded body."
                    } else {
                        "Send the parameters as an application/x-www-form-urlencoded body instead of multipart/form-data (data= rather than files= in Python requests, URLSearchParams rather than FormData in JavaScript)."
                    })
                    .evidence("sent", "multipart/form-data")
                    .evidence("expected", "application/x-www-form-urlencoded")
                    .evidence("params", names.clone());
                }
            }
            BodyShape::UndeclaredForm { content_type } if body_counts => {
                let names = lost(&params, &read, Place::UndeclaredForm);
                if !names.is_empty() {
                    let declared = match &content_type {
                        None => "is sent without a Content-Type header".to_string(),
                        Some(ct) => format!("is declared Content-Type: {ct}"),
                    };
                    let fix = match (&content_type, is_curl) {
                        (Some(ct), true) if ct == "application/json" => "Remove the Content-Type: application/json header so that curl sends the -d data as application/x-www-form-urlencoded.",
                        (Some(_), true) => "Replace the Content-Type header with Content-Type: application/x-www-form-urlencoded.",
                        (None, _) => "Send the header Content-Type: application/x-www-form-urlencoded with the form body.",
                        (Some(_), false) => "Declare the body as Content-Type: application/x-www-form-urlencoded.",
                    };
                    cx.report(
                        &ex,
                        Part::Body,
                        Some(&names[0]),
                        format!(
                            "the form body carrying {} {declared}, not application/x-www-form-urlencoded; Miro likely does not parse it, so it sees {}",
                            join_names(&names),
                            none_of(&names)
                        ),
                    )
                    .fix(fix)
                    .evidence(
                        "sent",
                        content_type.clone().unwrap_or_else(|| "(no Content-Type)".to_string()),
                    )
                    .evidence("expected", "application/x-www-form-urlencoded")
                    .evidence("params", names.clone());
                }
            }
            _ => {}
        }

        let names = lost(&params, &read, Place::Fragment);
        if !names.is_empty() {
            cx.report(
                &ex,
                Part::Url,
                Some(&names[0]),
                format!(
                    "an unencoded `#` in the URL starts a fragment, which is never sent: {} after it never {} Miro",
                    join_names(&names),
                    if names.len() == 1 { "reaches" } else { "reach" }
                ),
            )
            .fix("Percent-encode # as %23 inside parameter values, or move the parameters into a form body.")
            .evidence("params", names.clone());
        }

        for problem in curl_data_problems(req)
            .into_iter()
            .chain(split_elsewhere(req))
        {
            report_data(cx, &ex, problem, is_curl);
        }
    }
}

fn report_data(cx: &mut Cx<'_>, ex: &Ex<'_>, problem: DataProblem, is_curl: bool) {
    match problem {
        DataProblem::Split {
            place,
            read,
            full,
            overflow,
        } => {
            let o: Vec<String> = overflow.iter().map(|n| format!("`{n}`")).collect();
            let fix = if place.starts_with("sent with") || (is_curl && place.contains("body")) {
                format!(
                    "Send it with --data-urlencode 'redirect_uri={full}' so that its ? and & are encoded."
                )
            } else {
                let encoded: String = form_urlencoded::byte_serialize(full.as_bytes()).collect();
                format!("Percent-encode the whole value: redirect_uri={encoded}.")
            };
            cx.report(
                ex,
                if place.contains("query") { Part::Query } else { Part::Body },
                Some("redirect_uri"),
                format!(
                    "redirect_uri {place} is not URL-encoded: its own `&` splits it, so Miro reads redirect_uri={read} and {} as {}",
                    join_names(&o),
                    if o.len() == 1 {
                        "a separate parameter"
                    } else {
                        "separate parameters"
                    }
                ),
            )
            .fix(fix)
            .evidence("sent", read.clone())
            .evidence("expected", full.clone())
            .diff(read, full);
        }
        DataProblem::Plus { flag, name } => {
            let what = match name.as_str() {
                "code" => "a different code than the one Miro issued",
                "redirect_uri" => "a different redirect_uri than the one registered",
                _ => "a different value than the one sent",
            };
            cx.report(
                ex,
                Part::Body,
                Some(&name),
                format!(
                    "{name} sent with {flag} contains a raw `+`, which Miro's form decoding turns into a space, so it reads {what}"
                ),
            )
            .fix(format!(
                "Send it with --data-urlencode '{name}=…' so that the + is encoded as %2B."
            ));
        }
        DataProblem::Space { flag, name } => {
            cx.report(
                ex,
                Part::Body,
                Some(&name),
                format!("{name} sent with {flag} contains a raw space, which is not valid in a form body"),
            )
            .fix(format!(
                "Remove the space from {name}, or send it with --data-urlencode '{name}=…' if the space belongs to the value."
            ));
        }
        DataProblem::StrayPercent { flag, name } => {
            cx.report(
                ex,
                Part::Body,
                Some(&name),
                format!(
                    "{name} sent with {flag} contains a `%` not followed by two hex digits, so Miro's URL decoding mangles it"
                ),
            )
            .fix(format!(
                "Send it with --data-urlencode '{name}=…' so that the % is encoded as %25."
            ));
        }
        DataProblem::Swallowed { name, swallowed } => {
            cx.report(
                ex,
                Part::Body,
                Some(&name),
                format!(
                    "--data-urlencode '{name}=…&{}=…' encodes everything after the first `=`, the `&` and `=` included, so Miro reads one {name} parameter and no {}",
                    swallowed[0],
                    join_names(&swallowed)
                ),
            )
            .fix("Give each parameter its own --data-urlencode (--data-urlencode 'grant_type=authorization_code' --data-urlencode 'code=…').")
            .evidence("params", swallowed);
        }
        DataProblem::DoubleEncoded { name, value } => {
            let once = crate::model::decode_component(&value);
            cx.report(
                ex,
                Part::Body,
                Some(&name),
                format!(
                    "{name} `{}` is already percent-encoded and --data-urlencode encodes it again, so Miro reads it still encoded instead of `{}`",
                    shown(&value),
                    shown(&once)
                ),
            )
            .fix(format!(
                "Pass the plain value to --data-urlencode ('{name}={once}'), or send the encoded one with -d."
            ))
            .evidence("sent", value)
            .evidence("expected", once);
        }
    }
}

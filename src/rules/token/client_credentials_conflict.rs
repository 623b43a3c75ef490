//! `client-credentials-conflict`: client credentials given twice and disagreeing — the Basic
//! header against the `client_id`/`client_secret` params, or the same param twice with
//! different values. Whichever one Miro reads, the other is wrong.

use super::shape::{basic_headers, sent_params, token_requests, usable_creds, Sent};
use crate::rules::common::is_placeholder;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "client-credentials-conflict",
    group: Group::Token,
    severity: Severity::Warning,
    summary:
        "client credentials given twice (Basic header vs params, or a param twice) and disagreeing",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/client-credentials-conflict.md"),
    superseded_by: &[],
    reads: &[Evidence::ClientSecret, Evidence::BasicCredentials],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in token_requests(cx) {
        let req = &ex.request;
        let params = sent_params(req);
        let usable = |name: &'static str| -> Vec<&Sent> {
            params
                .iter()
                .filter(|p| p.name == name && !is_placeholder(&p.value, name))
                .collect()
        };

        // The same parameter twice with different values.
        for name in ["client_id", "client_secret"] {
            let mut distinct: Vec<&Sent> = Vec::new();
            for p in usable(name) {
                if !distinct.iter().any(|d| d.value.trim() == p.value.trim()) {
                    distinct.push(p);
                }
            }
            if distinct.len() < 2 {
                continue;
            }
            let (a, b) = (distinct[0], distinct[1]);
            let message = if name == "client_id" {
                format!(
                    "client_id is sent twice with different values ({} in {}, {} in {}): Miro reads one of them, and the other is wrong",
                    a.value.trim(),
                    a.place.words(),
                    b.value.trim(),
                    b.place.words()
                )
            } else {
                format!(
                    "client_secret is sent twice with different values (in {} and in {}): Miro reads one of them, and the other is wrong",
                    a.place.words(),
                    b.place.words()
                )
            };
            cx.report(&ex, b.place.part(), Some(name), message)
                .fix(format!(
                    "Send {name} once, with the value from the app settings."
                ))
                .evidence(
                    "sent",
                    distinct
                        .iter()
                        // Raw: the engine masks secrets in every finding unless
                        // --show-secrets.
                        .map(|p| p.value.trim().to_string())
                        .collect::<Vec<_>>(),
                );
        }

        // The Basic header against the parameters.
        for b in basic_headers(req) {
            let Some(creds) = usable_creds(&b) else {
                continue;
            };
            if is_placeholder(&creds.id, "client_id")
                || is_placeholder(&creds.secret, "client_secret")
            {
                continue;
            }
            if let Some(id) = usable("client_id").first() {
                if id.value.trim() != creds.id {
                    cx.report(
                        &ex,
                        Part::Header,
                        Some("Authorization"),
                        format!(
                            "the Authorization: Basic header carries client id {} but the client_id parameter is {}: whichever one Miro reads, the other is wrong",
                            creds.id,
                            id.value.trim()
                        ),
                    )
                    .fix("Send the same Client ID in the Basic header and the client_id parameter, or drop the Basic header.")
                    .evidence("basic", creds.id.clone())
                    .evidence("param", id.value.trim().to_string());
                }
            }
            if let Some(secret) = usable("client_secret").first() {
                if secret.value.trim() != creds.secret {
                    cx.report(
                        &ex,
                        Part::Header,
                        Some("Authorization"),
                        "the Authorization: Basic header and the client_secret parameter carry different client secrets: whichever one Miro reads, the other is wrong",
                    )
                    .fix("Send the same Client secret in the Basic header and the client_secret parameter, or drop the Basic header.")
                    .evidence("basic", creds.secret.clone())
                    .evidence("param", secret.value.trim().to_string());
                }
            }
        }
    }
}

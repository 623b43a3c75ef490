//! `rate-limited`: Miro answered 429. Reads `X-RateLimit-Limit`, `X-RateLimit-Remaining`
//! and `X-RateLimit-Reset` (epoch seconds) and says when to retry (facts §10).

use super::error_body::{error_body, miro_answer};
use crate::rules::prelude::*;
use crate::rules::token::flow::{human_duration, time_of};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "rate-limited",
    group: Group::Response,
    severity: Severity::Warning,
    summary: "Miro answered 429 Too Many Requests; says when the budget resets",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/rate-limited.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn header_num(resp: &crate::model::Response, name: &str) -> Option<i64> {
    resp.header(name)?
        .value
        .trim()
        .parse::<f64>()
        .ok()
        .map(|v| v as i64)
}

fn check(cx: &mut Cx<'_>) {
    for ex in cx.exchanges() {
        let Some(resp) = ex.response.as_ref() else {
            continue;
        };
        let err = error_body(resp);
        let too_many = resp.status == 429
            || (resp.status == 0
                && err.as_ref().is_some_and(|e| {
                    e.status == 429 || e.code.eq_ignore_ascii_case("tooManyRequests")
                }));
        if !too_many {
            continue;
        }
        if miro_answer(&ex).is_none() {
            continue;
        }
        let limit = header_num(resp, "x-ratelimit-limit");
        let remaining = header_num(resp, "x-ratelimit-remaining");
        let reset_raw = header_num(resp, "x-ratelimit-reset");
        let retry_after = header_num(resp, "retry-after");
        let sent_at = time_of(&ex);
        // Epoch seconds per Miro's docs; a small number is read as seconds from the request.
        let reset_at = reset_raw.and_then(|r| {
            if r > 1_000_000_000 {
                jiff::Timestamp::from_second(r).ok()
            } else {
                sent_at.and_then(|t| t.checked_add(jiff::SignedDuration::from_secs(r)).ok())
            }
        });
        let what = match &err {
            Some(e) => e.describe(),
            None => "429".to_string(),
        };
        let mut message = format!("Miro rate-limited the request ({what})");
        match (remaining, limit) {
            (Some(r), Some(l)) => message.push_str(&format!(
                "; {r} of {l} credits left in this minute's budget"
            )),
            (None, Some(l)) => message.push_str(&format!("; the budget is {l} credits per minute")),
            _ => {}
        }
        let after_request = match (reset_at, sent_at) {
            (Some(at), Some(t)) if at >= t => {
                format!(
                    " ({} after the request)",
                    human_duration(at.as_second() - t.as_second())
                )
            }
            _ => String::new(),
        };
        let fix_wait = match (reset_at, cx.now()) {
            (Some(at), Some(now)) if at > now => {
                message.push_str(&format!(
                    "; the budget resets at {at}{after_request}, in {}",
                    human_duration(at.as_second() - now.as_second())
                ));
                format!("Retry no earlier than {at}")
            }
            (Some(at), Some(_)) => {
                message.push_str(&format!(
                    "; the budget reset at {at}{after_request}, which has passed, so a retry can go now"
                ));
                "Retry once the reset time in X-RateLimit-Reset has passed".to_string()
            }
            (Some(at), None) => {
                message.push_str(&format!("; the budget resets at {at}{after_request}"));
                format!("Retry no earlier than {at}")
            }
            (None, _) => match retry_after {
                Some(s) => {
                    message.push_str(&format!("; Retry-After asks to wait {}", human_duration(s)));
                    format!("Wait {} before retrying", human_duration(s))
                }
                None => {
                    message.push_str("; the response gives no reset time (X-RateLimit-Reset), and the budget is per minute");
                    "Wait about a minute before retrying".to_string()
                }
            },
        };
        let r = cx
            .report(&ex, Part::Response, None, message)
            .fix(format!(
                "{fix_wait}, back off on every 429, and spread calls out: each call costs 50 to 2000 credits of the per-user, per-app budget."
            ))
            .evidence("status", 429);
        let r = match limit {
            Some(l) => r.evidence("x-ratelimit-limit", l),
            None => r,
        };
        let r = match remaining {
            Some(v) => r.evidence("x-ratelimit-remaining", v),
            None => r,
        };
        let r = match reset_raw {
            Some(v) => r.evidence("x-ratelimit-reset", v),
            None => r,
        };
        if let Some(at) = reset_at {
            r.evidence("resets_at", at.to_string());
        }
    }
}

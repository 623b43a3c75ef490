//! `plan-gated-endpoint`: explains a `403` from an endpoint that only Enterprise (or
//! Enterprise Guard) organizations can use, and that usually needs an admin role too. It
//! fires only on such a 403 that is not about scopes: a call that succeeded, or whose answer
//! was not captured, is left alone, since the plan cannot be seen from the request.

use super::{error_code, operation_of, rest_calls, status};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "plan-gated-endpoint",
    group: Group::Api,
    severity: Severity::Info,
    summary:
        "403 from an Enterprise-only endpoint: the plan or role, not the request, is the cause",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/plan-gated-endpoint.md"),
    superseded_by: &["scope-insufficient"],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in rest_calls(cx) {
        if ex.step != Step::Api || status(&ex) != Some(403) {
            continue;
        }
        let code = error_code(ex.response.as_ref());
        let names_scopes = ex
            .response
            .as_ref()
            .and_then(|r| r.json_body())
            .and_then(|b| {
                b.get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
            .is_some_and(|m| m.to_ascii_lowercase().contains("scope"));
        if code.as_deref() == Some("insufficientPermissions") || names_scopes {
            continue;
        }
        let Some(op) = operation_of(&ex.request) else {
            continue;
        };
        let Some(plan) = op.plan_required() else {
            continue;
        };
        let role = op
            .role_hint()
            .map(|r| format!(", and the user likely needs the {r} role"))
            .unwrap_or_default();
        let message = format!(
            "{} ({}) is available only to organizations on Miro's {plan} plan{role}; a 403{} that names no missing scope points there",
            op.display(),
            op.operation_id,
            code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
        );
        let fix = match op.role_hint() {
            Some(r) => format!("Call it with a token of a user who has the {r} role in an organization on the {plan} plan, or do without this endpoint."),
            None => format!("Call it for an organization on the {plan} plan, or do without this endpoint."),
        };
        let mut r = cx
            .report(&ex, Part::Response, None, message)
            .fix(fix)
            .evidence("operation", op.operation_id.clone())
            .evidence("plan", plan.to_string());
        if let Some(c) = code {
            r = r.evidence("response_code", c);
        }
        let _ = r;
    }
}

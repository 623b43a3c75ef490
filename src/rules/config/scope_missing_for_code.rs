//! `scope-missing-for-code`: the source (`--scan`) calls endpoints that need scopes the app
//! does not have.
use super::{at_source, config_name, key, scan_context};
use crate::catalog;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "scope-missing-for-code",
    group: Group::Config,
    severity: Severity::Error,
    summary: "the source calls an endpoint needing a scope the app does not have",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/scope-missing-for-code.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project, scan)) = scan_context(cx) else {
        return;
    };
    let scopes: Vec<&str> = config.app.scopes.iter().map(|s| s.value.as_str()).collect();
    if scopes.is_empty() {
        cx.skip(format!("the config lists no {}", key(config, "scopes")));
        return;
    }
    let file = config_name(config, project);
    for call in &scan.calls {
        let missing: Vec<String> = call
            .definite_scopes()
            .into_iter()
            .filter(|need| {
                !scopes
                    .iter()
                    .any(|have| catalog::scope_satisfies(have, need))
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let plans: Vec<String> = missing
            .iter()
            .filter_map(|s| {
                let plan = catalog::scope_info(s)?.plan.clone();
                (plan != "all plans").then(|| format!("{s} is an {plan} scope"))
            })
            .collect();
        let ids = call.operation_ids().join(", ");
        let plan_note = if plans.is_empty() {
            String::new()
        } else {
            format!(" ({})", plans.join("; "))
        };
        at_source(
            cx,
            project,
            &call.at,
            Some(&ids),
            format!(
                "{} calls {} ({ids}), which needs {}; the app's scopes are {}{plan_note}",
                call.code,
                call.endpoint(),
                missing.join(" and "),
                scopes.join(", ")
            ),
        )
        .fix(format!(
            "Enable {} in the app settings and add it to {} in {file}, then have users authorize the app again: a token keeps the scopes it was granted.",
            missing.join(" and "),
            key(config, "scopes")
        ))
        .evidence("operation", ids.clone())
        .evidence("needs", missing.clone())
        .evidence("scopes", scopes.clone());
    }
}

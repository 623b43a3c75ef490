//! `scope-param-ignored`: a `scope` parameter on the authorize link. Miro grants the scopes
//! enabled in the app settings; the parameter likely changes nothing (facts §2).

use crate::rules::common::{authorize_links, lost_in_fragment};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "scope-param-ignored",
    group: Group::Authorize,
    severity: Severity::Warning,
    summary: "scope parameter on the authorize link: scopes come from the app settings",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/scope-param-ignored.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let enabled: Option<Vec<String>> = cx
        .config()
        .map(|c| c.app.scopes.iter().map(|s| s.value.clone()).collect())
        .filter(|v: &Vec<String>| !v.is_empty());
    for ex in authorize_links(cx) {
        let Some(p) = ex
            .request
            .query_params()
            .into_iter()
            .find(|p| p.name == "scope" || p.name == "scopes")
        else {
            continue;
        };
        if p.value.trim().is_empty() || lost_in_fragment(&ex.request, &p.name) {
            continue;
        }
        let asked: Vec<String> = p
            .value
            .split([' ', ',', '+'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut message = format!(
            "authorize link sends {}={}; Miro grants the scopes enabled in the app settings, so this parameter likely has no effect",
            p.name,
            p.value.trim()
        );
        if let Some(enabled) = &enabled {
            let missing: Vec<&String> = asked.iter().filter(|s| !enabled.contains(s)).collect();
            if !missing.is_empty() {
                message.push_str(&format!(
                    "; {} {} not enabled for the app and will not be granted",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if missing.len() == 1 { "is" } else { "are" }
                ));
            }
        }
        let r = cx
            .report(&ex, Part::Query, Some(p.name.as_str()), message)
            .fix("Remove the scope parameter and enable the scopes you need under Permissions in the app settings (users who already authorized must authorize again to get new scopes).")
            .evidence("sent", asked);
        if let Some(enabled) = &enabled {
            r.evidence("enabled", enabled.clone());
        }
    }
}

//! `scope-unused`: scopes the app requests that no scanned call needs (least privilege).
use std::collections::BTreeSet;

use super::{at_config, config_name, key, scan_context, uses_web_sdk};
use crate::catalog;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "scope-unused",
    group: Group::Config,
    severity: Severity::Warning,
    summary: "a scope the app has that no scanned API call needs (least privilege)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/scope-unused.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project, scan)) = scan_context(cx) else {
        return;
    };
    let sdk = uses_web_sdk(config, project);
    if scan.calls.is_empty() && !sdk {
        cx.skip(format!(
            "the scan found no Miro API call in {} source file{}, so it cannot tell which scopes are used",
            scan.files_scanned,
            if scan.files_scanned == 1 { "" } else { "s" }
        ));
        return;
    }
    let used: BTreeSet<String> = scan
        .calls
        .iter()
        .flat_map(|c| c.possible_scopes())
        .collect();
    let file = config_name(config, project);
    let scopes_key = key(config, "scopes");
    let files: BTreeSet<&str> = scan.calls.iter().map(|c| c.at.file.as_str()).collect();
    for scope in &config.app.scopes {
        let s = scope.value.trim();
        if used.iter().any(|u| catalog::scope_satisfies(s, u)) {
            continue;
        }
        let Some(info) = catalog::scope_info(s) else {
            continue; // not a documented scope: the config loader's business
        };
        let web_sdk_scope = info.available_for.iter().any(|a| a == "Web SDK");
        // facts §11: identity:read, team:read, microphone:listen… have no REST operation;
        // with the Web SDK they are used in the board, where the scan cannot tell.
        if sdk && web_sdk_scope {
            continue;
        }
        let rest_ops = catalog::operations()
            .iter()
            .any(|o| o.scopes.iter().any(|x| catalog::scope_satisfies(x, s)));
        let message = if !rest_ops {
            format!(
                "scope {s} is enabled, but it is a Web SDK scope with no REST operation and the app does not use the Web SDK"
            )
        } else {
            format!(
                "scope {s} is enabled, but none of the {} Miro API call{} found in {} file{} needs it",
                scan.calls.len(),
                if scan.calls.len() == 1 { "" } else { "s" },
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            )
        };
        at_config(cx, config, project, scope, "scopes", message)
            .fix(format!(
                "Remove {s} from the app's scopes in the app settings and from {scopes_key} in {file}, unless code the scan cannot see needs it (then --ignore scope-unused)."
            ))
            .evidence("scope", s)
            .evidence("used", used.iter().cloned().collect::<Vec<_>>());
    }
}

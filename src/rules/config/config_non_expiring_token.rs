//! `config-non-expiring-token`: the app was created with non-expiring access tokens.
use super::{at_config, config_name, context};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "config-non-expiring-token",
    group: Group::Config,
    severity: Severity::Info,
    summary: "the app uses non-expiring access tokens (Miro recommends expiring ones)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/config-non-expiring-token.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    let Some(exp) = &config.app.expiring_tokens else {
        return;
    };
    if exp.value {
        return;
    }
    let file = config_name(config, project);
    // facts §5: the choice is made at app creation and cannot be changed afterwards.
    at_config(
        cx,
        config,
        project,
        exp,
        "expiring_tokens",
        "the app uses non-expiring access tokens: a leaked token works until the user uninstalls the app, and the choice cannot be changed on this app",
    )
    .fix(format!(
        "Create a new app with \"Expire user authorization token\" checked, move users to it, and set expiring_tokens = true in {file}."
    ))
    .evidence("expiring_tokens", false);
}

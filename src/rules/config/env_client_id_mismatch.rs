//! `env-client-id-mismatch`: the deployment's client id differs from the config's.
use super::{at_env, config_name, context, env_setting, place};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "env-client-id-mismatch",
    group: Group::Config,
    severity: Severity::Error,
    summary: "the deployment's client id (--env) differs from the config's client_id",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/env-client-id-mismatch.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    let Some(expected) = &config.app.client_id else {
        cx.skip("the config has no client_id to compare with");
        return;
    };
    let name = project.env_names.client_id.clone();
    let Some(value) = env_setting(cx, project, &name, "--env-var-client-id", "") else {
        return;
    };
    let sent = value.var.value.as_str();
    let want = expected.value.as_str();
    if sent == want {
        return;
    }
    let file = config_name(config, project);
    let how = if sent.trim() == want.trim() {
        "the same id with whitespace around it, which Miro does not trim".to_string()
    } else if sent.trim().is_empty() {
        "empty".to_string()
    } else {
        "another app's id: the deployment would sign users in to a different Miro app".to_string()
    };
    at_env(
        cx,
        project,
        &value,
        format!("{name} is {sent:?}, but the config's client_id is {want}: {how}"),
    )
    .fix(format!(
        "Set {name} to {want} in {}, or correct client_id in {file} if the app changed.",
        value.file.display
    ))
    .evidence("sent", sent)
    .evidence("expected", want)
    .note(format!(
        "client_id in the config: {}",
        place(&file, expected.line, expected.column)
    ));
}

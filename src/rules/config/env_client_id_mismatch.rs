//! `env-client-id-mismatch`: the deployment's client id differs from the config's.
use super::{at_env, config_name, context, place};
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
    if project.env_files.is_empty() {
        cx.skip("needs the deployment's environment (--env FILE)");
        return;
    }
    let name = project.env_names.client_id.clone();
    let Some(value) = project.env_value(&name) else {
        let hint = project
            .env_near(&name)
            .map(|n| {
                format!(
                    " ({} is set in {}: pass --env-var-client-id {} if the app reads that one)",
                    n.var.name, n.file.display, n.var.name
                )
            })
            .unwrap_or_default();
        cx.skip(format!("{name} is not set in the --env files{hint}"));
        return;
    };
    if !value.var.unresolved.is_empty() {
        cx.skip(format!(
            "{name} depends on ${{{}}}, which no --env file sets",
            value.var.unresolved.join("}, ${")
        ));
        return;
    }
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

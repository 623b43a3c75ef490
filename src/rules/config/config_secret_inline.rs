//! `config-secret-inline`: a client secret written in a committed file (the config or the
//! source) rather than read from the environment.
use super::{at_config, at_source, config_name, context};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "config-secret-inline",
    group: Group::Config,
    severity: Severity::Warning,
    summary: "a client secret is written in a committed file instead of the environment",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/config-secret-inline.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    let file = config_name(config, project);
    let env_name = project.env_names.client_secret.clone();
    if let Some(secret) = &config.app.client_secret {
        if !secret.value.trim().is_empty() {
            let len = secret.value.chars().count();
            at_config(
                cx,
                config,
                project,
                secret,
                "client_secret",
                format!(
                    "the client secret ({len} characters) is written in {file}: everyone who can read the repository or its history can act as the app"
                ),
            )
            .fix(format!(
                "Delete client_secret from {file}, set client_secret_env = \"{env_name}\", give the deployment the secret through that variable, and regenerate the secret in the app settings if the file was ever committed."
            ))
            .evidence("length", len);
        }
    }
    let Some(scan) = &project.scan else {
        return;
    };
    for s in &scan.secrets {
        let len = s.value.chars().count();
        at_source(
            cx,
            project,
            &s.at,
            Some(&s.name),
            format!(
                "a client secret ({len} characters) is written in the source as {}: everyone who can read the repository or its history can act as the app",
                s.name
            ),
        )
        .fix(format!(
            "Read the secret from the environment ({env_name}) instead of a literal, and regenerate it in the app settings since it was committed."
        ))
        .evidence("length", len);
    }
}

//! `env-redirect-uri-unregistered`: the redirect URI the deployment will send (from the
//! `--env` files) is not one of the registered redirect URIs.
use super::{at_env, config_name, context, env_setting, key};
use crate::rules::common::{closest_uri, describe_differences};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "env-redirect-uri-unregistered",
    group: Group::Config,
    severity: Severity::Error,
    summary: "the deployment's redirect URI (--env) is not a registered redirect URI",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/env-redirect-uri-unregistered.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    let registered: Vec<&str> = config
        .app
        .redirect_uris
        .iter()
        .map(|u| u.value.as_str())
        .collect();
    if registered.is_empty() {
        cx.skip("the config lists no redirect_uris to compare with");
        return;
    }
    let name = project.env_names.redirect_uri.clone();
    let hint_tail = format!("; Miro's clients read {name}");
    let Some(value) = env_setting(cx, project, &name, "--env-var-redirect-uri", &hint_tail) else {
        return;
    };
    let sent = value.var.value.as_str();
    // facts §16.4: the redirect_uri must be byte-identical to a registered one.
    if registered.contains(&sent) {
        return;
    }
    let file = config_name(config, project);
    let uris_key = key(config, "redirect_uris");
    let (message, fix, near) = match closest_uri(sent, registered.iter().copied()) {
        Some((near, diffs)) if !diffs.is_empty() && diffs.len() <= 2 => (
            format!(
                "{name} is {sent}, which is not a registered redirect URI; the closest registered URI is {near} ({})",
                describe_differences(&diffs)
            ),
            format!(
                "Set {name} to exactly {near} in {}, or register {sent} in the app settings and add it to {uris_key} in {file}.",
                value.file.display
            ),
            Some(near),
        ),
        _ => (
            format!(
                "{name} is {sent}, which is not a registered redirect URI: Miro answers \"Redirect URI mismatch.\" to every sign-in"
            ),
            format!(
                "Register {sent} in the app settings and add it to {uris_key} in {file}, or set {name} to one of the registered URIs."
            ),
            None,
        ),
    };
    let mut r = at_env(cx, project, &value, message)
        .fix(fix)
        .evidence("sent", sent)
        .evidence("registered", registered.clone());
    if let Some(near) = near {
        r = r.diff(sent, near);
    }
    let _ = r;
}

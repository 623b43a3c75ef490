//! Rules of the `config` group (see `spec/rules.md` §6): what `check` finds before a deploy —
//! the app config as registered with Miro, the deployment's environment (`--env`), the source
//! tree's Miro calls against the app's scopes (`--scan`), and the known pitfalls of Miro's
//! official clients (facts §18).
//!
//! These rules read [`Cx::project`], which only `check` provides ([`crate::engine::run_check`]):
//! under `doctor` they report nothing and are not listed as skipped, so a captured request is
//! never judged by deploy-time rules. Every finding points at a file, line and column: the
//! config value (`part: config`), the env assignment (`part: env`) or the code (`part: source`).

pub(crate) mod client_node_concurrent_refresh;
pub(crate) mod client_python_shared_storage;
pub(crate) mod client_python_token_expiry_not_stored;
pub(crate) mod config_non_expiring_token;
pub(crate) mod config_redirect_uri_insecure;
pub(crate) mod config_redirect_uri_invalid;
pub(crate) mod config_sdk_uri_insecure;
pub(crate) mod config_sdk_uri_missing;
pub(crate) mod config_secret_inline;
pub(crate) mod env_client_id_mismatch;
pub(crate) mod env_redirect_uri_unregistered;
pub(crate) mod scope_missing_for_code;
pub(crate) mod scope_unused;

use crate::config::{Config, ConfigFormat, Located};
use crate::engine::{Cx, Reported, Rule};
use crate::finding::{Location, Part, Severity, Step};
use crate::project::deps::Package;
use crate::project::scan::{ClientKind, ClientUse, FoundDependency, Scan, SourceRef};
use crate::project::{EnvValue, Project};

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[
    &client_node_concurrent_refresh::RULE,
    &client_python_shared_storage::RULE,
    &client_python_token_expiry_not_stored::RULE,
    &config_non_expiring_token::RULE,
    &config_redirect_uri_insecure::RULE,
    &config_redirect_uri_invalid::RULE,
    &config_sdk_uri_insecure::RULE,
    &config_sdk_uri_missing::RULE,
    &config_secret_inline::RULE,
    &env_client_id_mismatch::RULE,
    &env_redirect_uri_unregistered::RULE,
    &scope_missing_for_code::RULE,
    &scope_unused::RULE,
];

/// The config and project of a `check` run; `None` under `doctor`.
pub(crate) fn context<'a>(cx: &Cx<'a>) -> Option<(&'a Config, &'a Project)> {
    Some((cx.config()?, cx.project()?))
}

/// The key's name as the config file spells it (`redirect_uris` in miro-oauth.toml,
/// `redirectUris` in the manifest).
pub(crate) fn key(config: &Config, toml_key: &'static str) -> &'static str {
    if config.format != ConfigFormat::Manifest {
        return toml_key;
    }
    match toml_key {
        "redirect_uris" => "redirectUris",
        "sdk_redirect_uri" => "redirectUriForSdk",
        "sdk_uri" => "sdkUri",
        other => other,
    }
}

/// The config file's name for messages.
pub(crate) fn config_name(config: &Config, project: &Project) -> String {
    match &config.path {
        Some(p) => project.display_path(p),
        None => config.display_path(),
    }
}

/// Reports at a config value.
pub(crate) fn at_config<'c, T>(
    cx: &'c mut Cx<'_>,
    config: &Config,
    project: &Project,
    value: &Located<T>,
    toml_key: &'static str,
    message: impl Into<String>,
) -> Reported<'c> {
    let loc = project.config_location(config, value.line, value.column, key(config, toml_key));
    cx.report_at(usize::MAX, Step::Config, loc, message)
}

/// Reports at an env assignment.
pub(crate) fn at_env<'c>(
    cx: &'c mut Cx<'_>,
    project: &Project,
    value: &EnvValue<'_>,
    message: impl Into<String>,
) -> Reported<'c> {
    let loc = project.location(
        &value.file.display,
        value.var.line,
        value.var.column,
        Part::Env,
        Some(&value.var.name),
    );
    cx.report_at(usize::MAX, Step::Config, loc, message)
}

/// Reports at a place in a scanned file.
pub(crate) fn at_source<'c>(
    cx: &'c mut Cx<'_>,
    project: &Project,
    at: &SourceRef,
    name: Option<&str>,
    message: impl Into<String>,
) -> Reported<'c> {
    let loc: Location = project.location(&at.file, at.line, at.column, Part::Source, name);
    cx.report_at(usize::MAX, Step::Config, loc, message)
}

/// The config, project and `--scan` result of a `check` run; `None` under `doctor`, and
/// `None` after skipping the rule when no source tree was scanned.
pub(crate) fn scan_context<'a>(cx: &mut Cx<'a>) -> Option<(&'a Config, &'a Project, &'a Scan)> {
    let (config, project) = context(cx)?;
    let Some(scan) = &project.scan else {
        cx.skip("needs the source tree (--scan DIR)");
        return None;
    };
    Some((config, project, scan))
}

/// The deployment's value of the variable `name` (from the `--env` files), or `None` after
/// skipping the rule with the reason: no `--env` file, `name` not set (with a hint at a
/// variable of a similar name, the `flag` that would name it instead and `hint_tail`), or a
/// value that depends on variables no file sets.
pub(crate) fn env_setting<'p>(
    cx: &mut Cx<'_>,
    project: &'p Project,
    name: &str,
    flag: &str,
    hint_tail: &str,
) -> Option<EnvValue<'p>> {
    if project.env_files.is_empty() {
        cx.skip("needs the deployment's environment (--env FILE)");
        return None;
    }
    let Some(value) = project.env_value(name) else {
        let hint = project
            .env_near(name)
            .map(|n| {
                format!(
                    " ({} is set in {}: pass {flag} {} if the app reads that one{hint_tail})",
                    n.var.name, n.file.display, n.var.name
                )
            })
            .unwrap_or_default();
        cx.skip(format!("{name} is not set in the --env files{hint}"));
        return None;
    };
    if !value.var.unresolved.is_empty() {
        cx.skip(format!(
            "{name} depends on ${{{}}}, which no --env file sets",
            value.var.unresolved.join("}, ${")
        ));
        return None;
    }
    Some(value)
}

/// `file:line:column` for notes.
pub(crate) fn place(file: &str, line: usize, column: usize) -> String {
    if line == 0 {
        file.to_string()
    } else {
        format!("{file}:{line}:{column}")
    }
}

/// Is this host a loopback host (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`)?
/// RFC 8252 §7.3 and §8.3: loopback redirects never leave the machine.
pub(crate) fn is_loopback(host: &str) -> bool {
    let h = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "::1"
        || h.parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The registered redirect URIs and, when it is not among them, the SDK one, with their keys.
pub(crate) fn all_redirect_uris(config: &Config) -> Vec<(&Located<String>, &'static str)> {
    let mut v: Vec<(&Located<String>, &'static str)> = config
        .app
        .redirect_uris
        .iter()
        .map(|u| (u, "redirect_uris"))
        .collect();
    if let Some(sdk) = &config.app.sdk_redirect_uri {
        if !config
            .app
            .redirect_uris
            .iter()
            .any(|u| u.value == sdk.value)
        {
            v.push((sdk, "sdk_redirect_uri"));
        }
    }
    v
}

/// Whether tokens expire: `Some(true)`/`Some(false)` when the config says, else `None`.
pub(crate) fn expiring(config: &Config) -> Option<bool> {
    config.app.expiring_tokens.as_ref().map(|l| l.value)
}

/// The constructions of one client's high-level object, and whether the scan saw the
/// low-level one only.
pub(crate) fn high_level_uses(project: &Project, package: Package) -> (Vec<&ClientUse>, bool) {
    let Some(scan) = &project.scan else {
        return (Vec::new(), false);
    };
    let of: Vec<&ClientUse> = scan
        .clients
        .iter()
        .filter(|c| c.package == package)
        .collect();
    let high: Vec<&ClientUse> = of
        .iter()
        .copied()
        .filter(|c| c.kind == ClientKind::HighLevel)
        .collect();
    let low_only = high.is_empty() && !of.is_empty();
    (high, low_only)
}

/// Where a pitfall of one of Miro's official clients is reported.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ClientSite<'s> {
    /// The dependency on the package: the scan saw no construction of its high-level client.
    Dependency,
    /// A construction of the high-level client (`Miro`): its code.
    Use(&'s str),
}

/// Reports a pitfall of the high-level client of one of Miro's official packages: at each
/// construction of it, with a note at the dependency, or at the dependency when the scan saw
/// no construction. Nothing when the scan saw only the low-level client (the app then
/// refreshes with its own code), or neither. `finding` words the message for a site, with the
/// severity when it is not the rule's.
pub(crate) fn report_client_pitfall(
    cx: &mut Cx<'_>,
    project: &Project,
    package: Package,
    fix: &'static str,
    finding: impl Fn(ClientSite<'_>) -> (String, Option<Severity>),
) {
    let (high, low_only) = high_level_uses(project, package);
    if low_only {
        return;
    }
    let dep = dependency(project, package);
    let version = dep.and_then(|d| d.dep.version.clone());
    if high.is_empty() {
        let Some(d) = dep else {
            return;
        };
        let (message, severity) = finding(ClientSite::Dependency);
        let mut r = at_source(cx, project, &d.at, Some(&d.dep.written), message)
            .fix(fix)
            .evidence("version", version);
        if let Some(s) = severity {
            r = r.severity(s);
        }
        let _ = r;
        return;
    }
    let dep_place = dep.map(|d| place(&d.at.file, d.at.line, d.at.column));
    for use_ in high {
        let (message, severity) = finding(ClientSite::Use(&use_.code));
        let mut r = at_source(cx, project, &use_.at, Some("Miro"), message)
            .fix(fix)
            .evidence("version", version.clone());
        if let Some(s) = severity {
            r = r.severity(s);
        }
        if let Some(p) = &dep_place {
            r = r.note(format!("{} dependency: {p}", package.name()));
        }
        let _ = r;
    }
}

/// The dependency on a package to point at: a manifest the developer edits (`package.json`,
/// `requirements.txt`, `pyproject.toml`) before a lock file, then the first by path.
pub(crate) fn dependency(project: &Project, package: Package) -> Option<&FoundDependency> {
    let is_lock = |d: &FoundDependency| {
        d.dep.manifest.ends_with(".lock") || d.dep.manifest.contains("-lock.")
    };
    project
        .scan
        .as_ref()?
        .deps
        .iter()
        .filter(|d| d.dep.package == package)
        .min_by_key(|d| (is_lock(d), d.at.clone()))
}

/// `the app uses the Web SDK`: the config says so, or (when it does not say) the scan saw it.
pub(crate) fn uses_web_sdk(config: &Config, project: &Project) -> bool {
    match config.app.uses_web_sdk.as_ref().map(|l| l.value) {
        Some(v) => v,
        None => project.scan.as_ref().is_some_and(|s| s.uses_web_sdk()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "LOCALHOST",
            "app.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
        ] {
            assert!(is_loopback(h), "{h}");
        }
        for h in [
            "localhost.example.com",
            "10.0.0.1",
            "example.com",
            "0.0.0.0",
        ] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}

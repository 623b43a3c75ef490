//! `client-python-token-expiry-not-stored`: the Python client `miro_api`'s `Miro` never stores
//! the token's expiry, so it never refreshes, and expiring-token apps get 401 after an hour.
use super::{at_source, config_name, context, dependency, expiring, high_level_uses, place};
use crate::project::deps::Package;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "client-python-token-expiry-not-stored",
    group: Group::Config,
    severity: Severity::Error,
    summary: "Python miro_api's Miro client never refreshes expiring tokens (expiry not stored)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/client-python-token-expiry-not-stored.md"),
    superseded_by: &[],
    check,
};

const FIX: &str = "Give Miro(storage=…) a Storage whose set() fills state.token_expires_at (now + expires_in − 120 s) when the client leaves it None, or refresh and store the token pair yourself before it expires.";

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    let Some(scan) = &project.scan else {
        return;
    };
    let exp = expiring(config);
    if exp == Some(false) {
        return; // non-expiring tokens never need a refresh
    }
    if let Some(done) = scan.expiry_handled.first() {
        let _ = done; // the app sets token_expires_at itself (the workaround)
        return;
    }
    let (high, low_only) = high_level_uses(project, Package::PythonClient);
    if low_only {
        return; // MiroApi(token) only: refreshing is the app's own code
    }
    let dep = dependency(project, Package::PythonClient);
    // miroapp/api-clients:packages/miro-api-python/miro_api/miro_api_wrapper.py, `_get_token`:
    // the expiry is stored only `if payload.get("payload")`, a key the token response never has.
    let why = "miro_api's Miro stores the token's expiry only when the token response has a \"payload\" key, which it never has, so token_expires_at stays None and the client never refreshes";
    let when = match exp {
        Some(true) => "with expiring tokens every request fails with 401 about an hour after the user authorized".to_string(),
        _ => format!(
            "if the app uses expiring tokens, every request fails with 401 about an hour after the user authorized (set expiring_tokens in {} to say)",
            config_name(config, project)
        ),
    };
    let version = dep.and_then(|d| d.dep.version.clone());
    let dep_place = dep.map(|d| place(&d.at.file, d.at.line, d.at.column));
    if high.is_empty() {
        let Some(d) = dep else {
            return;
        };
        at_source(
            cx,
            project,
            &d.at,
            Some(&d.dep.written),
            format!("the app depends on miro_api: {why}; {when}"),
        )
        .severity(Severity::Warning)
        .fix(FIX)
        .evidence("version", version.clone());
        return;
    }
    for use_ in high {
        let mut r = at_source(
            cx,
            project,
            &use_.at,
            Some("Miro"),
            format!("{}: {why}; {when}", use_.code),
        )
        .fix(FIX)
        .evidence("version", version.clone());
        if exp.is_none() {
            r = r.severity(Severity::Warning);
        }
        if let Some(p) = &dep_place {
            r = r.note(format!("miro_api dependency: {p}"));
        }
        let _ = r;
    }
}

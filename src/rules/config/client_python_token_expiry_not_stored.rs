//! `client-python-token-expiry-not-stored`: the Python client `miro_api`'s `Miro` never stores
//! the token's expiry, so it never refreshes, and expiring-token apps get 401 after an hour.
use super::{config_name, context, expiring, report_client_pitfall, ClientSite};
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
    reads: &[],
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
    // With MiroApi(token) only, refreshing is the app's own code: nothing reported.
    report_client_pitfall(cx, project, Package::PythonClient, FIX, |site| match site {
        ClientSite::Dependency => (
            format!("the app depends on miro_api: {why}; {when}"),
            Some(Severity::Warning),
        ),
        ClientSite::Use(code) => (
            format!("{code}: {why}; {when}"),
            exp.is_none().then_some(Severity::Warning),
        ),
    });
}

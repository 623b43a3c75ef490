//! `client-node-concurrent-refresh`: the Node client `@mirohq/miro-api` can run two refreshes
//! at once, while Miro invalidates the old token pair on each refresh.
use super::{context, expiring, report_client_pitfall, ClientSite};
use crate::project::deps::Package;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "client-node-concurrent-refresh",
    group: Group::Config,
    severity: Severity::Warning,
    summary: "Node @mirohq/miro-api's Miro client can refresh twice at once and lose the token",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/client-node-concurrent-refresh.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

const FIX: &str = "Serialize refreshes per user: keep one in-flight refresh promise per user id (or a lock in the storage) so concurrent calls after expiry await the same refresh, and make storage.set durable before the new token is used.";

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    if project.scan.is_none() || expiring(config) == Some(false) {
        return; // without expiring tokens there is no refresh to race
    }
    // miroapp/api-clients:packages/miro-api/index.ts `getAccessToken`/`getToken`: a lazy
    // refresh once tokenExpiresAt passed, no guard against a second one, and `storage.set`
    // not awaited; facts §5: each refresh invalidates the old pair.
    let why = "refreshes lazily with nothing stopping two refreshes for the same user at once, and does not await storage.set: Miro invalidates the old token pair on each refresh, so concurrent requests after expiry leave one caller with a dead refresh token until the user authorizes again";
    // With new MiroApi(token) only, the app refreshes with its own code: nothing reported.
    report_client_pitfall(cx, project, Package::NodeClient, FIX, |site| {
        let message = match site {
            ClientSite::Dependency => {
                format!("the app depends on @mirohq/miro-api, whose Miro client {why}")
            }
            ClientSite::Use(code) => format!("{code}: the client {why}"),
        };
        (message, None)
    });
}

//! `client-node-concurrent-refresh`: the Node client `@mirohq/miro-api` can run two refreshes
//! at once, while Miro invalidates the old token pair on each refresh.
use super::{at_source, context, dependency, expiring, high_level_uses, place};
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
    let (high, low_only) = high_level_uses(project, Package::NodeClient);
    if low_only {
        return; // new MiroApi(token) only: the app refreshes with its own code
    }
    let dep = dependency(project, Package::NodeClient);
    let version = dep.and_then(|d| d.dep.version.clone());
    // miroapp/api-clients:packages/miro-api/index.ts `getAccessToken`/`getToken`: a lazy
    // refresh once tokenExpiresAt passed, no guard against a second one, and `storage.set`
    // not awaited; facts §5: each refresh invalidates the old pair.
    let why = "refreshes lazily with nothing stopping two refreshes for the same user at once, and does not await storage.set: Miro invalidates the old token pair on each refresh, so concurrent requests after expiry leave one caller with a dead refresh token until the user authorizes again";
    if high.is_empty() {
        let Some(d) = dep else {
            return;
        };
        at_source(
            cx,
            project,
            &d.at,
            Some(&d.dep.written),
            format!("the app depends on @mirohq/miro-api, whose Miro client {why}"),
        )
        .fix(FIX)
        .evidence("version", version);
        return;
    }
    let dep_place = dep.map(|d| place(&d.at.file, d.at.line, d.at.column));
    for use_ in high {
        let mut r = at_source(
            cx,
            project,
            &use_.at,
            Some("Miro"),
            format!("{}: the client {why}", use_.code),
        )
        .fix(FIX)
        .evidence("version", version.clone());
        if let Some(p) = &dep_place {
            r = r.note(format!("@mirohq/miro-api dependency: {p}"));
        }
        let _ = r;
    }
}

//! `client-python-shared-storage`: `Miro()` from the Python client without `storage=` shares
//! one in-memory storage with every other `Miro()` in the process.
use super::{at_source, context, high_level_uses};
use crate::project::deps::Package;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "client-python-shared-storage",
    group: Group::Config,
    severity: Severity::Warning,
    summary: "Python miro_api's Miro() without storage= shares one token store across instances",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/client-python-shared-storage.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((_, project)) = context(cx) else {
        return;
    };
    let (high, _) = high_level_uses(project, Package::PythonClient);
    for use_ in high.into_iter().filter(|u| !u.has_storage) {
        // miro_api_wrapper.py: `storage: Storage = InMemoryStorage()` is a default argument,
        // evaluated once, so every Miro() without storage= shares that one object.
        at_source(
            cx,
            project,
            &use_.at,
            Some("Miro"),
            format!(
                "{} has no storage=: every Miro() in the process shares the one InMemoryStorage default, so one user's tokens overwrite another's and all are lost on restart",
                use_.code
            ),
        )
        .fix("Pass each Miro() its own storage=, backed by a database for production (e.g. Miro(storage=DbStorage(user_id))).");
    }
}

//! Rules of the `callback` group (see `spec/rules.md`).

pub(crate) mod authorization_denied;

use crate::engine::Rule;

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[&authorization_denied::RULE];

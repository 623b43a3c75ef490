//! Rules of the `authorize` group (see `spec/rules.md`).

pub(crate) mod state_missing;

use crate::engine::Rule;

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[&state_missing::RULE];

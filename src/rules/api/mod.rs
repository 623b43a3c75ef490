//! Rules of the `api` group (see `spec/rules.md`).

use crate::engine::Rule;

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[];

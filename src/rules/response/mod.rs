//! Rules of the `response` group (see `spec/rules.md`).

use crate::engine::Rule;

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[];

//! Rules of the `response` group (see `spec/rules.md` §5): what Miro's answer says.

pub(crate) mod error_body;
pub(crate) mod miro_error_explained;
pub(crate) mod rate_limited;

use crate::engine::Rule;

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[&miro_error_explained::RULE, &rate_limited::RULE];

//! Rules of the `callback` group (see `spec/rules.md` §2): the redirect back to the app.
//! `code-missing` also reads the code exchange (a token request without `code`).

pub(crate) mod authorization_denied;
pub(crate) mod callback_error;
pub(crate) mod code_missing;

use crate::engine::Rule;

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[
    &authorization_denied::RULE,
    &callback_error::RULE,
    &code_missing::RULE,
];

//! Rules of the `authorize` group (see `spec/rules.md` §1): the link that sends the user to
//! `https://miro.com/oauth/authorize`. `client-id-missing` and `client-id-mismatch` also read
//! the token request, and `redirect-uri-mismatch` the code exchange: one rule per fault,
//! wherever it shows.

pub(crate) mod authorize_endpoint_wrong;
pub(crate) mod client_id_mismatch;
pub(crate) mod client_id_missing;
pub(crate) mod redirect_uri_mismatch;
pub(crate) mod redirect_uri_not_encoded;
pub(crate) mod response_type_invalid;
pub(crate) mod scope_param_ignored;
pub(crate) mod state_mismatch;
pub(crate) mod state_missing;

use crate::engine::Rule;

/// The rules of this group.
pub(crate) static RULES: &[&Rule] = &[
    &authorize_endpoint_wrong::RULE,
    &client_id_mismatch::RULE,
    &client_id_missing::RULE,
    &redirect_uri_mismatch::RULE,
    &redirect_uri_not_encoded::RULE,
    &response_type_invalid::RULE,
    &scope_param_ignored::RULE,
    &state_mismatch::RULE,
    &state_missing::RULE,
];

//! Rules of the `token` group (see `spec/rules.md` §3): the token request, refresh and revoke.

// Request-shape rules (endpoint, method, grant_type, credentials, parameter placement).
pub(crate) mod basic_auth_malformed;
pub(crate) mod basic_auth_only;
pub(crate) mod client_credentials_conflict;
pub(crate) mod client_secret_missing;
pub(crate) mod grant_type_invalid;
pub(crate) mod param_placement;
pub(crate) mod secret_in_url;
pub(crate) mod shape;
pub(crate) mod token_endpoint_wrong;
pub(crate) mod token_method_wrong;
pub(crate) mod unexpected_param;

// Flow and code rules (codes, redirect_uri across steps, refresh config, revoke).
pub(crate) mod code_expired;
pub(crate) mod code_invalid;
pub(crate) mod code_mangled;
pub(crate) mod code_reused;
pub(crate) mod flow;
pub(crate) mod redirect_uri_exchange_mismatch;
pub(crate) mod refresh_without_expiring_tokens;
pub(crate) mod revoke_request_invalid;
pub(crate) mod token_exchange_from_browser;

use crate::engine::Rule;

/// Request-shape rules of this group.
pub(crate) static RULES: &[&Rule] = &[
    &basic_auth_malformed::RULE,
    &basic_auth_only::RULE,
    &client_credentials_conflict::RULE,
    &client_secret_missing::RULE,
    &grant_type_invalid::RULE,
    &param_placement::RULE,
    &secret_in_url::RULE,
    &token_endpoint_wrong::RULE,
    &token_method_wrong::RULE,
    &unexpected_param::RULE,
];

/// Flow and code rules of this group.
pub(crate) static FLOW_RULES: &[&Rule] = &[
    &code_expired::RULE,
    &code_invalid::RULE,
    &code_mangled::RULE,
    &code_reused::RULE,
    &redirect_uri_exchange_mismatch::RULE,
    &refresh_without_expiring_tokens::RULE,
    &revoke_request_invalid::RULE,
    &token_exchange_from_browser::RULE,
];

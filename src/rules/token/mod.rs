//! Rules of the `token` group (see `spec/rules.md` §3): the token request, refresh and revoke.

// Request-shape rules (endpoint, method, grant_type, credentials, parameter placement).

// Flow and code rules (codes, redirect_uri across steps, refresh config, revoke).

use crate::engine::Rule;

/// Request-shape rules of this group.
pub(crate) static RULES: &[&Rule] = &[];

/// Flow and code rules of this group.
pub(crate) static FLOW_RULES: &[&Rule] = &[];

//! The rule registry. Each rule is one file under a group directory (the spec's sections),
//! declaring its id, severity, docs (`rules/<id>.md`) and check together. Each group's
//! `mod.rs` lists its rules in `RULES`; [`all`] joins them, sorted by id.

use std::sync::OnceLock;

use crate::engine::Rule;

pub mod api;
pub mod authorize;
pub mod callback;
pub mod common;
pub mod config;
pub mod response;
pub mod token;

/// Everything a rule file needs.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use crate::engine::{Cx, Evidence, Ex, Group, Needs, Rule};
    pub use crate::finding::{Part, Severity, Step};
    pub use crate::model::{ParamPlace, Request};
}

/// Every registered rule, sorted by id.
pub fn all() -> &'static [&'static Rule] {
    static ALL: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static Rule> = [
            authorize::RULES,
            callback::RULES,
            token::RULES,
            token::FLOW_RULES,
            api::RULES,
            response::RULES,
            config::RULES,
        ]
        .concat();
        v.sort_by_key(|r| r.id);
        v
    })
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| r.id == id)
}

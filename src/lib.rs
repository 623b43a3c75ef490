//! miro-oauth: a doctor and linter for Miro OAuth 2.0.
//!
//! Data flows one way: bytes → [`input`] (detected by content) → [`model::Flow`] → the
//! [`engine`] runs the selected [`rules`] → [`finding::Report`] → a [`render`]er.
//!
//! ```no_run
//! let flow = miro_oauth::read_flow(&[("token.sh".into(), std::fs::read("token.sh").unwrap())]).unwrap();
//! let report = miro_oauth::doctor(&flow, None, &miro_oauth::engine::Options::default());
//! assert!(!report.has_errors());
//! ```

pub mod catalog;
pub mod config;
pub mod engine;
pub mod error;
pub mod finding;
pub mod input;
pub mod model;
pub mod render;
pub mod rules;
pub mod secret;

use error::InputError;
use model::{Flow, InputInfo};

/// Reads inputs (name, bytes) in order into one flow. Several inputs form one flow in the
/// order given; within a HAR, entries are ordered by time.
pub fn read_flow(sources: &[(String, Vec<u8>)]) -> Result<Flow, InputError> {
    let mut flow = Flow::default();
    for (index, (name, bytes)) in sources.iter().enumerate() {
        let text = input::detect::to_text(name, bytes)?;
        let parsed = input::detect::parse_input(name, &text)?;
        flow.inputs.push(InputInfo {
            index,
            kind: parsed.kind,
            source: name.clone(),
        });
        flow.exchanges
            .extend(input::detect::exchanges(index, parsed));
    }
    Ok(flow)
}

/// Attaches a response given separately (`--response`) to the last exchange of the flow
/// that has none (or the last one).
pub fn attach_response(flow: &mut Flow, name: &str, bytes: &[u8]) -> Result<(), InputError> {
    let text = input::detect::to_text(name, bytes)?;
    let response = input::http::parse_response(&text).map_err(|e| e.in_source(name, &text))?;
    let target = flow
        .exchanges
        .iter()
        .rposition(|e| e.response.is_none())
        .or_else(|| flow.exchanges.len().checked_sub(1));
    match target {
        Some(i) => {
            flow.exchanges[i].response = Some(response);
            Ok(())
        }
        None => Err(InputError::Unrecognised {
            source_name: name.to_string(),
            message: "a response was given but no request to attach it to; give the request as an INPUT too".to_string(),
        }),
    }
}

/// Runs every rule over the flow.
pub fn doctor(
    flow: &Flow,
    config: Option<&config::Config>,
    options: &engine::Options,
) -> finding::Report {
    engine::run(rules::all(), flow, config, options)
}

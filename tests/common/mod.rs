//! Shared test support: loading a fixture case (inputs, config, response) and running doctor.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use miro_oauth::config::Config;
use miro_oauth::engine::Options;
use miro_oauth::finding::Report;

/// The "current time" every fixture runs with, so time-based rules are reproducible.
pub const FIXED_NOW: &str = "2026-11-22T12:00:00Z";

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every capture fixture (`fixtures/<dir>/*.{curl,url,http,har,flow}`), sorted.
pub fn capture_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root().join("fixtures")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ["curl", "url", "http", "har", "flow"].contains(&ext) {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// A fixture's name relative to `fixtures/` (`code-reused/curl-run-twice.flow`).
pub fn fixture_name(path: &Path) -> String {
    path.strip_prefix(root().join("fixtures"))
        .unwrap()
        .display()
        .to_string()
}

/// Splits a `.flow` file into its inputs (separated by lines of `---`).
pub fn split_flow(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            parts.push(String::new());
        } else {
            parts.last_mut().unwrap().push_str(line);
        }
    }
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The config of a fixture directory (`miro-oauth.toml` or `app-manifest.yaml` in it).
pub fn dir_config(dir: &Path) -> Option<Config> {
    for name in ["miro-oauth.toml", "app-manifest.yaml"] {
        let p = dir.join(name);
        if p.is_file() {
            return Some(
                miro_oauth::config::load::load(&p)
                    .unwrap_or_else(|e| panic!("fixture config {} is invalid: {e}", p.display())),
            );
        }
    }
    None
}

/// Options every fixture runs with.
pub fn options() -> Options {
    Options {
        now: Some(FIXED_NOW.parse().unwrap()),
        ..Options::default()
    }
}

/// Runs doctor on a text (a `.flow` text is split into several inputs) with a config.
pub fn run_text(
    name: &str,
    text: &str,
    is_flow: bool,
    config: Option<&Config>,
    response: Option<&str>,
) -> Report {
    let chunks = if is_flow {
        split_flow(text)
    } else {
        vec![text.to_string()]
    };
    let sources: Vec<(String, Vec<u8>)> = chunks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = if chunks.len() > 1 {
                format!("{name}#{}", i + 1)
            } else {
                name.to_string()
            };
            (n, c.as_bytes().to_vec())
        })
        .collect();
    let mut flow =
        miro_oauth::read_flow(&sources).unwrap_or_else(|e| panic!("{name}: cannot read: {e}"));
    if let Some(r) = response {
        miro_oauth::attach_response(&mut flow, &format!("{name}.response"), r.as_bytes())
            .unwrap_or_else(|e| panic!("{name}: bad response: {e}"));
    }
    miro_oauth::doctor(&flow, config, &options())
}

/// Runs a fixture file: its dir config, `.flow` splitting, and a sibling `<file>.response`.
pub fn run_fixture(path: &Path) -> Report {
    let dir = path.parent().unwrap();
    let rel = path.strip_prefix(root().join("fixtures")).unwrap_or(path);
    let name = rel.display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let response_path = PathBuf::from(format!("{}.response", path.display()));
    let response = std::fs::read_to_string(&response_path).ok();
    let is_flow = path.extension().is_some_and(|e| e == "flow");
    run_text(
        &name,
        &text,
        is_flow,
        dir_config(dir).as_ref(),
        response.as_deref(),
    )
}

/// The human rendering without colour, and the JSON, for snapshots.
pub fn rendered(report: &Report) -> String {
    let mut human = Vec::new();
    miro_oauth::render::render(
        report,
        miro_oauth::render::Format::Human,
        Default::default(),
        &mut human,
    )
    .unwrap();
    let mut json = Vec::new();
    miro_oauth::render::render(
        report,
        miro_oauth::render::Format::Json,
        Default::default(),
        &mut json,
    )
    .unwrap();
    format!(
        "{}\n---- json ----\n{}",
        String::from_utf8(human).unwrap(),
        String::from_utf8(json).unwrap()
    )
}

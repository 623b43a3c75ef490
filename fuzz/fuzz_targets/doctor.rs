#![no_main]
//! The whole pipeline: bytes → `read_flow` → `doctor` → every renderer into a `Vec`.
//!
//! Input layout (so fixtures work as seeds unchanged): an optional config after a line
//! `=== config ===`; the part before it is split on `\n---\n` into several inputs, like the
//! `.flow` fixtures. Each report is made without and (if given and valid) with the config.
use libfuzzer_sys::fuzz_target;
use miro_oauth::engine::Options;
use miro_oauth::render::{render, Format, RenderOptions};

const CONFIG_SEP: &[u8] = b"\n=== config ===\n";
const PART_SEP: &[u8] = b"\n---\n";

fn split<'a>(data: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(sep.len()).position(|w| w == sep) {
        out.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    out.push(rest);
    out
}

fn check(report: &miro_oauth::finding::Report, color: bool) {
    let mut out = Vec::new();
    render(report, Format::Human, RenderOptions { color }, &mut out).expect("human render");
    let mut json = Vec::new();
    render(report, Format::Json, RenderOptions::default(), &mut json).expect("json render");
    serde_json::from_slice::<serde_json::Value>(&json).expect("rendered JSON parses");
    let mut sarif = Vec::new();
    render(report, Format::Sarif, RenderOptions::default(), &mut sarif).expect("sarif render");
    serde_json::from_slice::<serde_json::Value>(&sarif).expect("rendered SARIF parses");
    let mut gh = Vec::new();
    render(report, Format::Github, RenderOptions::default(), &mut gh).expect("github render");
}

fuzz_target!(|data: &[u8]| {
    let (inputs, config) = match data.windows(CONFIG_SEP.len()).position(|w| w == CONFIG_SEP) {
        Some(i) => (&data[..i], Some(&data[i + CONFIG_SEP.len()..])),
        None => (data, None),
    };
    let sources: Vec<(String, Vec<u8>)> = split(inputs, PART_SEP)
        .into_iter()
        .take(8)
        .enumerate()
        .map(|(i, b)| (format!("input-{i}"), b.to_vec()))
        .collect();
    let Ok(flow) = miro_oauth::read_flow(&sources) else {
        return;
    };
    // A fixed clock keeps time-based rules deterministic.
    let options = Options {
        now: Some("2025-06-01T12:00:00Z".parse().unwrap()),
        ..Options::default()
    };
    let report = miro_oauth::doctor(&flow, None, &options);
    check(&report, data.len() % 2 == 0);
    let config = config
        .and_then(|c| std::str::from_utf8(c).ok())
        .and_then(|c| miro_oauth::config::load::parse(c, "miro-oauth.toml".as_ref()).ok());
    if let Some(config) = config {
        let report = miro_oauth::doctor(&flow, Some(&config), &options);
        check(&report, false);
        let shown = Options {
            show_secrets: true,
            ..options
        };
        check(&miro_oauth::doctor(&flow, Some(&config), &shown), true);
    }
});

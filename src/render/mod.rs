//! Renderers: turn a [`Report`] into human text, JSON, SARIF or GitHub Actions annotations.
//! Renderers only format; they never decide severity or filter findings.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::io::{self, Write};

use crate::finding::Report;

/// Output format (`--format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by flow step, with fixes and diffs; coloured on a terminal.
    #[default]
    Human,
    /// Stable JSON for scripts (schema in the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::`), shown as annotations.
    Github,
}

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// Renders a report in a format.
pub fn render(
    report: &Report,
    format: Format,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, options, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
    }
}

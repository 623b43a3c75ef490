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

/// Standard output for the commands' results: a failed write says it was stdout that could
/// not be written ("stdout: cannot write: No space left on device …"), where the OS error
/// alone names no subject. The error keeps its kind, so a closed pipe is still recognised.
pub struct Stdout(io::StdoutLock<'static>);

/// Locks standard output (see [`Stdout`]).
pub fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

fn stdout_error(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("stdout: cannot write: {e}"))
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(stdout_error)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf).map_err(stdout_error)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(stdout_error)
    }
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

//! `--format json`: the report as the JSON contract of spec/cli.md, pretty-printed.

use std::io::{self, Write};

use crate::finding::Report;

/// Writes the report as JSON followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

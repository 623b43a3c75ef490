//! `--format human`: findings grouped by input and flow step, each with where it is, the fix,
//! a character diff where one helps, and the `explain` pointer; then the skipped rules and a
//! summary. Colour only when asked (the CLI turns it off when not a terminal or NO_COLOR).

use std::io::{self, Write};

use colored::Colorize;

use crate::finding::{Finding, Note, Report, Severity};

fn paint(text: &str, color: bool, f: fn(&str) -> colored::ColoredString) -> String {
    if color {
        f(text).to_string()
    } else {
        text.to_string()
    }
}

fn severity_label(s: Severity, color: bool) -> String {
    let t = s.as_str();
    match (s, color) {
        (_, false) => t.to_string(),
        (Severity::Error, true) => t.red().bold().to_string(),
        (Severity::Warning, true) => t.yellow().bold().to_string(),
        (Severity::Info, true) => t.cyan().bold().to_string(),
    }
}

/// Where a finding is, as `source (entry N) (part: name)`.
fn where_text(report: &Report, f: &Finding) -> String {
    let l = &f.location;
    let mut s = match (&l.file, l.input.and_then(|i| report.inputs.get(i))) {
        (Some(file), _) => match (l.line, l.column) {
            (Some(line), Some(col)) => format!("{file}:{line}:{col}"),
            (Some(line), None) => format!("{file}:{line}"),
            _ => file.clone(),
        },
        (None, Some(input)) => input.source.clone(),
        (None, None) => "-".to_string(),
    };
    if let Some(e) = l.entry {
        s.push_str(&format!(" (entry {e})"));
    }
    let part = serde_json::to_value(l.part)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match &l.name {
        Some(n) => s.push_str(&format!(" ({part}: {n})")),
        None => s.push_str(&format!(" ({part})")),
    }
    s
}

/// A two-line diff with a marker line under the characters that differ.
fn diff_lines(sent: &str, expected: &str, color: bool) -> Vec<String> {
    use similar::{ChangeTag, TextDiff};
    // A character diff of huge values (a hostile input) is slow and unreadable: both lines
    // as they are.
    if sent.len() > 2048 || expected.len() > 2048 {
        return vec![format!("sent:     {sent}"), format!("expected: {expected}")];
    }
    let diff = TextDiff::from_chars(sent, expected);
    let mut sent_line = String::new();
    let mut exp_line = String::new();
    let mut marks = String::new();
    for change in diff.iter_all_changes() {
        let v = change.value();
        let width = v.chars().count();
        match change.tag() {
            ChangeTag::Equal => {
                sent_line.push_str(v);
                exp_line.push_str(v);
                marks.push_str(&" ".repeat(width));
            }
            ChangeTag::Delete => {
                sent_line.push_str(&paint(v, color, |s| s.red().underline()));
                marks.push_str(&"^".repeat(width));
            }
            ChangeTag::Insert => {
                exp_line.push_str(&paint(v, color, |s| s.green().underline()));
                // An insertion has no width on the sent line: mark the spot.
                if !marks.ends_with('^') {
                    marks.push('^');
                    sent_line.push_str(&paint("·", color, |s| s.red()));
                }
            }
        }
    }
    vec![
        format!("sent:     {sent_line}"),
        format!("expected: {exp_line}"),
        format!("          {}", marks.trim_end()),
    ]
}

/// `+m:ss.mmm` from the first entry.
fn offset_text(ms: Option<i64>) -> String {
    match ms {
        Some(ms) => format!("+{}:{:02}.{:03}", ms / 60_000, (ms / 1000) % 60, ms % 1000),
        None => "+?".to_string(),
    }
}

/// For each HAR input: the OAuth-relevant entries with the findings attached to each, and one
/// line that sums up everything else.
fn render_timelines(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    for input in &report.inputs {
        let Some(har) = &input.har else { continue };
        let rows: Vec<_> = report
            .timeline
            .iter()
            .filter(|r| r.input == input.index)
            .collect();
        let head = format!(
            "── timeline ({}: {} entries, {} OAuth-relevant)",
            input.source, har.entries, har.kept
        );
        writeln!(out, "{}", paint(&head, color, |s| s.bold()))?;
        let width = rows
            .iter()
            .map(|r| r.target.chars().count())
            .max()
            .unwrap_or(0)
            .min(60);
        for r in &rows {
            let target: String = r.target.chars().take(60).collect();
            let status = r
                .status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into());
            let entry = r.entry.map(|e| format!("#{e}")).unwrap_or_default();
            let rules = if r.rules.is_empty() {
                String::new()
            } else {
                paint(&r.rules.join(", "), color, |s| s.red())
            };
            let line = format!(
                "   {:>11}  {:6} {:7} {target:width$}  {status:>3}  {:11} {rules}",
                offset_text(r.offset_ms),
                entry,
                r.method,
                r.step.title().split(' ').next().unwrap_or(""),
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        let s = &har.summary;
        let quiet_kept = har.kept.saturating_sub(rows.len());
        let mut parts = Vec::new();
        if quiet_kept > 0 {
            let noun = if quiet_kept == 1 { "call" } else { "calls" };
            parts.push(format!("{quiet_kept} Miro {noun} without findings"));
        }
        if s.skipped() > 0 {
            let hosts: Vec<String> = s
                .skipped_hosts
                .iter()
                .take(3)
                .map(|(h, n)| format!("{h} ×{n}"))
                .collect();
            let more = if s.skipped_hosts.len() > 3 || s.other_hosts > 0 {
                ", …"
            } else {
                ""
            };
            parts.push(format!(
                "{} on other hosts ({}{more})",
                s.skipped(),
                hosts.join(", ")
            ));
        }
        if !parts.is_empty() {
            writeln!(
                out,
                "   {}",
                paint(&format!("… and {}", parts.join("; ")), color, |s| s
                    .dimmed())
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the report.
pub fn render(
    report: &Report,
    options: super::RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let color = options.color;
    render_timelines(report, color, out)?;
    // Captures group by input, HAR entry and step; file findings (`check`) by file.
    type GroupKey<'r> = (
        Option<usize>,
        Option<usize>,
        crate::finding::Step,
        Option<&'r str>,
    );
    let mut last_group: Option<GroupKey<'_>> = None;
    for f in &report.findings {
        let file = f
            .location
            .input
            .is_none()
            .then_some(())
            .and(f.location.file.as_deref());
        let group = (f.location.input, f.location.entry, f.step, file);
        if last_group != Some(group) {
            if last_group.is_some() {
                writeln!(out)?;
            }
            let source = f
                .location
                .input
                .and_then(|i| report.inputs.get(i))
                .map(|i| i.source.clone())
                .or_else(|| f.location.file.clone())
                .unwrap_or_default();
            let entry = f
                .location
                .entry
                .map(|e| format!(", entry {e}"))
                .unwrap_or_default();
            let title = match (file, f.location.part) {
                (Some(_), crate::finding::Part::Source) => "source",
                (Some(_), crate::finding::Part::Env) => "environment",
                _ => f.step.title(),
            };
            let head = format!("── {title} ({source}{entry})");
            writeln!(out, "{}", paint(&head, color, |s| s.bold()))?;
            last_group = Some(group);
        }
        writeln!(
            out,
            "{}{} {}",
            severity_label(f.severity, color),
            paint(&format!("[{}]:", f.rule), color, |s| s.bold()),
            f.message
        )?;
        writeln!(
            out,
            "  {} {}",
            paint("-->", color, |s| s.blue()),
            where_text(report, f)
        )?;
        // Sent vs expected, when the rule gave both and no diff shows them already.
        let has_diff = f.notes.iter().any(|n| matches!(n, Note::Diff { .. }));
        if !has_diff {
            let text = |k: &str| {
                f.evidence.get(k).and_then(|v| match v {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                })
            };
            if let (Some(sent), Some(expected)) = (text("sent"), text("expected")) {
                let bar = paint("|", color, |s| s.blue());
                writeln!(out, "   {bar} sent:     {sent}")?;
                writeln!(out, "   {bar} expected: {expected}")?;
            }
        }
        for note in &f.notes {
            match note {
                Note::Diff { sent, expected } => {
                    for line in diff_lines(sent, expected, color) {
                        writeln!(out, "   {} {line}", paint("|", color, |s| s.blue()))?;
                    }
                }
                Note::Text(t) => writeln!(out, "   {} {t}", paint("|", color, |s| s.blue()))?,
            }
        }
        if !f.fix.is_empty() {
            writeln!(out, "   {} fix: {}", paint("=", color, |s| s.blue()), f.fix)?;
        }
        writeln!(
            out,
            "   {} see: miro-oauth explain {}",
            paint("=", color, |s| s.blue()),
            f.rule
        )?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    // Skipped rules, grouped by reason so the list stays short.
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for s in &report.skipped {
        match reasons.iter_mut().find(|(r, _)| *r == s.reason) {
            Some((_, ids)) => ids.push(s.rule),
            None => reasons.push((&s.reason, vec![s.rule])),
        }
    }
    for (reason, ids) in &reasons {
        writeln!(
            out,
            "{} {} rule{} skipped: {reason}: {}",
            paint("note:", color, |s| s.dimmed()),
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", ")
        )?;
    }
    let s = &report.summary;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let line = format!(
        "{}, {}, {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    );
    if report.findings.is_empty() {
        writeln!(
            out,
            "{} no problems found ({line})",
            paint("ok:", color, |s| s.green().bold())
        )
    } else {
        writeln!(out, "{} {line}", paint("summary:", color, |s| s.bold()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_trailing_slash() {
        let l = diff_lines("https://a/cb/", "https://a/cb", false);
        assert_eq!(l[0], "sent:     https://a/cb/");
        assert_eq!(l[1], "expected: https://a/cb");
        assert_eq!(l[2], "                      ^");
    }
}

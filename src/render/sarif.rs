//! `--format sarif`: the report as SARIF 2.1.0 (via `serde-sarif`), for GitHub code scanning
//! (`github/codeql-action/upload-sarif`) and other SARIF viewers.
//!
//! One run; `tool.driver.rules` holds the metadata of every rule that has a result, from the
//! registry: `shortDescription` is the rule's summary, `fullDescription` and `help` its docs
//! (`rules/<id>.md`, the text `explain` prints), `defaultConfiguration.level` its default
//! severity. Each finding is a result with the rule's id and index, its level (`error`,
//! `warning`, `note` for info), the message and fix, and the file location: `location.file`
//! with line and column for config, env and source findings; for `doctor` the input's file
//! name (no region). Columns count Unicode code points (`columnKind`). Rules that could not
//! run are tool-execution notifications. Secrets are already masked by the engine.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_sarif::sarif;

use crate::finding::{Finding, Report, Severity};

/// The tool's name in SARIF.
pub const TOOL_NAME: &str = "miro-oauth";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: `/` separators, reserved and non-ASCII bytes
/// percent-encoded (RFC 3986), so `my app/.env` becomes `my%20app/.env`.
pub fn path_to_uri(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let p = path.replace('\\', "/");
    percent_encoding::utf8_percent_encode(&p, KEEP).to_string()
}

/// The file a finding points at: its `location.file`, else the input's source when that is a
/// file name (not stdin `-` or an inline `<arg>`).
fn finding_file(report: &Report, f: &Finding) -> Option<String> {
    if let Some(file) = &f.location.file {
        return Some(file.clone());
    }
    let input = report.inputs.get(f.location.input?)?;
    let source = input.source.split('#').next().unwrap_or(&input.source);
    (source != "-" && !source.starts_with('<') && !source.is_empty()).then(|| source.to_string())
}

fn text(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.to_string())
        .build()
}

fn markdown(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.to_string())
        .markdown(s.to_string())
        .build()
}

/// Builds the SARIF log for a report.
pub fn to_sarif(report: &Report) -> sarif::Sarif {
    // The rules with results, in id order; results refer to them by index.
    let mut ids: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    ids.sort_unstable();
    ids.dedup();
    let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<sarif::ReportingDescriptor> = ids
        .iter()
        .map(|id| {
            let rule = crate::rules::find(id);
            let mut props = BTreeMap::new();
            if let Some(r) = rule {
                props.insert("group".to_string(), serde_json::json!(r.group.as_str()));
            }
            let config = sarif::ReportingConfiguration::builder()
                .level(serde_json::json!(level(
                    rule.map_or(Severity::Warning, |r| r.severity)
                )))
                .build();
            let builder = sarif::ReportingDescriptor::builder()
                .id(id.to_string())
                .name(id.to_string())
                .default_configuration(config)
                .properties(
                    sarif::PropertyBag::builder()
                        .tags(vec![
                            TOOL_NAME.to_string(),
                            rule.map_or("", |r| r.group.as_str()).to_string(),
                        ])
                        .additional_properties(props)
                        .build(),
                );
            match rule {
                Some(r) => builder
                    .short_description(text(r.summary))
                    .full_description(markdown(r.docs))
                    .help(markdown(r.docs))
                    .build(),
                None => builder.build(),
            }
        })
        .collect();

    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .map(|f| {
            let mut message = f.message.clone();
            if !f.fix.is_empty() {
                message.push_str("\nfix: ");
                message.push_str(&f.fix);
            }
            let mut props = BTreeMap::new();
            props.insert(
                "part".to_string(),
                serde_json::to_value(f.location.part).unwrap_or_default(),
            );
            if let Some(n) = &f.location.name {
                props.insert("name".to_string(), serde_json::json!(n));
            }
            if !f.fix.is_empty() {
                props.insert("fix".to_string(), serde_json::json!(f.fix));
            }
            if !f.evidence.is_empty() {
                props.insert(
                    "evidence".to_string(),
                    serde_json::Value::Object(f.evidence.clone()),
                );
            }
            if let Some(i) = f.location.input {
                props.insert("input".to_string(), serde_json::json!(i));
            }
            if let Some(e) = f.location.entry {
                props.insert("entry".to_string(), serde_json::json!(e));
            }
            let builder = sarif::Result::builder()
                .rule_id(f.rule.to_string())
                .rule_index(index.get(f.rule).copied().unwrap_or(0) as i64)
                .level(
                    serde_json::from_value(serde_json::json!(level(f.severity)))
                        .unwrap_or(sarif::ResultLevel::Warning),
                )
                .message(sarif::Message::builder().text(message).build())
                .properties(
                    sarif::PropertyBag::builder()
                        .additional_properties(props)
                        .build(),
                );
            match finding_file(report, f) {
                Some(file) => {
                    let artifact = sarif::ArtifactLocation::builder()
                        .uri(path_to_uri(&file))
                        .build();
                    let physical = match f.location.line {
                        Some(line) => {
                            let region = match f.location.column {
                                Some(col) => sarif::Region::builder()
                                    .start_line(line as i64)
                                    .start_column(col as i64)
                                    .build(),
                                None => sarif::Region::builder().start_line(line as i64).build(),
                            };
                            sarif::PhysicalLocation::builder()
                                .artifact_location(artifact)
                                .region(region)
                                .build()
                        }
                        None => sarif::PhysicalLocation::builder()
                            .artifact_location(artifact)
                            .build(),
                    };
                    builder
                        .locations(vec![sarif::Location::builder()
                            .physical_location(physical)
                            .build()])
                        .build()
                }
                None => builder.build(),
            }
        })
        .collect();

    let notifications: Vec<sarif::Notification> = report
        .skipped
        .iter()
        .map(|s| {
            sarif::Notification::builder()
                .message(
                    sarif::Message::builder()
                        .text(format!("{} skipped: {}", s.rule, s.reason))
                        .build(),
                )
                .level(serde_json::json!("note"))
                .associated_rule(
                    sarif::ReportingDescriptorReference::builder()
                        .id(s.rule.to_string())
                        .build(),
                )
                .build()
        })
        .collect();
    let invocation = sarif::Invocation::builder()
        .execution_successful(true)
        .tool_execution_notifications(notifications)
        .build();

    let driver = sarif::ToolComponent::builder()
        .name(TOOL_NAME.to_string())
        .version(env!("CARGO_PKG_VERSION").to_string())
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .short_description(text(env!("CARGO_PKG_DESCRIPTION")))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json".to_string())
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// Writes the report as SARIF followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_sarif(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_relative_paths() {
        assert_eq!(path_to_uri("src/app.ts"), "src/app.ts");
        assert_eq!(path_to_uri("my app\\.env"), "my%20app/.env");
        assert_eq!(path_to_uri("dir#1/ä.py"), "dir%231/%C3%A4.py");
    }
}

//! Findings, skipped rules and the report: what the engine hands to the renderers.
//! The serialized shape is the JSON contract of `spec/cli.md`.

use serde::Serialize;

use crate::model::InputInfo;

/// How bad a finding is. Default severities are rule metadata, never decided by renderers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Will break the flow (exit code 1).
    Error,
    /// Likely wrong, or risky.
    Warning,
    /// Advice or explanation.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which part of a request or file a finding points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The URL as a whole (scheme, host, path).
    Url,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// The body.
    Body,
    /// The response.
    Response,
    /// The app config.
    Config,
    /// An env file.
    Env,
    /// A scanned source file.
    Source,
}

/// Where a finding is. See the JSON contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Index into the report's inputs.
    pub input: Option<usize>,
    /// HAR entry index, or null.
    pub entry: Option<usize>,
    /// Which part.
    pub part: Part,
    /// The parameter or header name, when the finding is about one.
    pub name: Option<String>,
    /// File path (config, env, source), relative to the current directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// The step of the OAuth flow a finding belongs to (human output groups by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// The link that sends the user to `miro.com/oauth/authorize`.
    Authorize,
    /// The redirect back to the app with `code`/`state` or `error`.
    Callback,
    /// `POST /v1/oauth/token` (code exchange or refresh).
    Token,
    /// Token revocation.
    Revoke,
    /// `GET /v1/oauth-token`.
    TokenInfo,
    /// A REST API call.
    Api,
    /// A SCIM call.
    Scim,
    /// The app config.
    Config,
    /// Anything else.
    Other,
}

impl Step {
    /// Heading used by the human renderer.
    pub fn title(self) -> &'static str {
        match self {
            Step::Authorize => "authorization request",
            Step::Callback => "callback",
            Step::Token => "token request",
            Step::Revoke => "token revocation",
            Step::TokenInfo => "token info",
            Step::Api => "REST API call",
            Step::Scim => "SCIM call",
            Step::Config => "app config",
            Step::Other => "other",
        }
    }
}

/// One failing check.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule id.
    pub rule: &'static str,
    /// Severity after selection/overrides.
    pub severity: Severity,
    /// What is wrong: lower-case, concrete, no final period.
    pub message: String,
    /// How to fix it: one imperative sentence.
    pub fix: String,
    /// Where.
    pub location: Location,
    /// The values that prove it (sent vs expected…). Secrets masked unless `--show-secrets`.
    pub evidence: serde_json::Map<String, serde_json::Value>,
    /// The flow step (not part of the JSON contract's required keys; added information).
    pub step: Step,
    /// Extra lines for the human renderer (e.g. a character diff); not serialized.
    #[serde(skip)]
    pub notes: Vec<Note>,
}

/// Extra human-only detail attached to a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A character diff between what was sent and what was expected.
    Diff {
        /// Label of the left side.
        sent: String,
        /// Label of the right side.
        expected: String,
    },
    /// A free-form line.
    Text(String),
}

/// A rule that did not run, and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// The rule id.
    pub rule: &'static str,
    /// Why it could not run.
    pub reason: String,
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
}

/// The result of a run: the JSON contract's top-level object.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Contract version.
    pub version: u32,
    /// The inputs, in order.
    pub inputs: Vec<InputInfo>,
    /// The findings, sorted.
    pub findings: Vec<Finding>,
    /// Rules that could not run.
    pub skipped: Vec<Skipped>,
    /// Counts.
    pub summary: Summary,
    /// For HAR inputs: the OAuth-relevant entries in order (human output only).
    #[serde(skip)]
    pub timeline: Vec<TimelineRow>,
}

/// One line of a HAR timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineRow {
    /// The input.
    pub input: usize,
    /// The HAR entry index.
    pub entry: Option<usize>,
    /// Milliseconds since the input's first entry, when known.
    pub offset_ms: Option<i64>,
    /// Request method.
    pub method: String,
    /// Host and path (no query: it may hold secrets).
    pub target: String,
    /// Response status, when captured.
    pub status: Option<u16>,
    /// The flow step.
    pub step: Step,
    /// Rules that fired on this entry.
    pub rules: Vec<&'static str>,
}

impl Report {
    /// True when any finding has severity `error` (exit code 1).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// Whether a rule fired.
    pub fn fired(&self, rule: &str) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }
}

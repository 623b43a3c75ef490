//! The rule engine: rule metadata ([`Rule`]), the context a check reads ([`Cx`]), and
//! [`run`], which selects rules, runs them over a [`Flow`], drops findings superseded by more
//! specific ones, masks secrets, sorts, and builds the [`Report`].
//!
//! Rules only report: they never print, exit or fail (style.md §7).

pub mod classify;
pub mod redaction;

use std::collections::BTreeSet;

use crate::config::Config;
use crate::finding::{
    Finding, Location, Note, Part, Report, Severity, Skipped, Step, Summary, TimelineRow,
};
use crate::model::{Exchange, Flow};
use crate::secret::Secrets;
pub use redaction::Evidence;

/// The spec section a rule belongs to (rules.md §1–§6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// §1 the authorization request.
    Authorize,
    /// §2 the callback.
    Callback,
    /// §3 token exchange, refresh and revoke.
    Token,
    /// §4 REST API calls.
    Api,
    /// §5 responses.
    Response,
    /// §6 app config, environment and source (`check`).
    Config,
}

impl Group {
    /// Name used in `rules` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Authorize => "authorize",
            Group::Callback => "callback",
            Group::Token => "token",
            Group::Api => "api",
            Group::Response => "response",
            Group::Config => "config",
        }
    }
}

/// What a rule needs before it can run; the engine records a [`Skipped`] when it is absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Runs on any input.
    Nothing,
    /// Needs the app config.
    Config,
}

/// A rule: id, default severity, docs and check, declared together in one file.
pub struct Rule {
    /// Stable kebab-case id (rules.md).
    pub id: &'static str,
    /// Spec section.
    pub group: Group,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary for `rules`.
    pub summary: &'static str,
    /// What must be present for the rule to run.
    pub needs: Needs,
    /// The `rules/<id>.md` text (`explain`, SARIF `fullDescription`).
    pub docs: &'static str,
    /// Rules that, when they fire on the same exchange, make this one's finding redundant
    /// (rules.md §5: `miro-error-explained` gives way to the specific rule).
    pub superseded_by: &'static [&'static str],
    /// Values the check compares or judges: when the capture hides them behind a sanitizer's
    /// placeholder (`[REDACTED]`, `***`), the rule is skipped with the reason instead of
    /// misfiring on the placeholder ([`redaction`]).
    pub reads: &'static [Evidence],
    /// The check.
    pub check: fn(&mut Cx<'_>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// Options of one run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only these rules (empty = all).
    pub select: Vec<String>,
    /// Not these rules.
    pub ignore: Vec<String>,
    /// The current time for time-based rules (`--now`).
    pub now: Option<jiff::Timestamp>,
    /// Print secrets unmasked.
    pub show_secrets: bool,
}

/// One exchange as a rule sees it: the exchange, its index and its classified step.
#[derive(Clone, Copy, Debug)]
pub struct Ex<'a> {
    /// Index in `Flow::exchanges`.
    pub index: usize,
    /// The exchange.
    pub exchange: &'a Exchange,
    /// Its step.
    pub step: Step,
}

impl<'a> std::ops::Deref for Ex<'a> {
    type Target = Exchange;
    fn deref(&self) -> &Exchange {
        self.exchange
    }
}

impl<'a> Ex<'a> {
    /// A location in this exchange.
    pub fn at(&self, part: Part, name: Option<&str>) -> Location {
        Location {
            input: Some(self.exchange.input),
            entry: self.exchange.entry,
            part,
            name: name.map(str::to_string),
            file: None,
            line: None,
            column: None,
        }
    }
}

/// What a check reads and reports into.
pub struct Cx<'a> {
    flow: &'a Flow,
    steps: &'a [Step],
    config: Option<&'a Config>,
    /// The app's environment and source (`check` only).
    project: Option<&'a crate::project::Project>,
    now: Option<jiff::Timestamp>,
    rule: &'static Rule,
    findings: Vec<(usize, Finding)>,
    skipped: Option<String>,
}

/// A finding being built; methods chain.
pub struct Reported<'b> {
    finding: &'b mut Finding,
}

impl<'b> Reported<'b> {
    /// Sets the fix (one imperative sentence).
    pub fn fix(self, fix: impl Into<String>) -> Self {
        self.finding.fix = fix.into();
        self
    }

    /// Adds an evidence value.
    pub fn evidence(self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.finding.evidence.insert(key.to_string(), value.into());
        self
    }

    /// Overrides the severity for this finding (e.g. a deprecated-but-working variant).
    pub fn severity(self, severity: Severity) -> Self {
        self.finding.severity = severity;
        self
    }

    /// Attaches a character diff for the human renderer.
    pub fn diff(self, sent: impl Into<String>, expected: impl Into<String>) -> Self {
        self.finding.notes.push(Note::Diff {
            sent: sent.into(),
            expected: expected.into(),
        });
        self
    }

    /// Attaches a free-form note line for the human renderer.
    pub fn note(self, text: impl Into<String>) -> Self {
        self.finding.notes.push(Note::Text(text.into()));
        self
    }
}

impl<'a> Cx<'a> {
    /// The flow.
    pub fn flow(&self) -> &'a Flow {
        self.flow
    }

    /// The app config, when one was given.
    pub fn config(&self) -> Option<&'a Config> {
        self.config
    }

    /// The current time (`--now`), when given.
    pub fn now(&self) -> Option<jiff::Timestamp> {
        self.now
    }

    /// The app's environment and source tree: present under `check` ([`run_check`]), absent
    /// under `doctor`. The `config` group's rules report nothing without it.
    pub fn project(&self) -> Option<&'a crate::project::Project> {
        self.project
    }

    /// Every exchange with its step, in flow order.
    pub fn exchanges(&self) -> impl Iterator<Item = Ex<'a>> + 'a {
        let steps = self.steps;
        self.flow
            .exchanges
            .iter()
            .enumerate()
            .map(move |(index, exchange)| Ex {
                index,
                exchange,
                step: steps[index],
            })
    }

    /// The exchanges of one step, in flow order.
    pub fn of_step(&self, step: Step) -> impl Iterator<Item = Ex<'a>> + 'a {
        self.exchanges().filter(move |e| e.step == step)
    }

    /// The exchange at an index.
    pub fn exchange(&self, index: usize) -> Option<Ex<'a>> {
        self.flow.exchanges.get(index).map(|exchange| Ex {
            index,
            exchange,
            step: self.steps[index],
        })
    }

    /// Reports a finding on an exchange.
    pub fn report(
        &mut self,
        ex: &Ex<'_>,
        part: Part,
        name: Option<&str>,
        message: impl Into<String>,
    ) -> Reported<'_> {
        let location = ex.at(part, name);
        self.report_at(ex.index, ex.step, location, message)
    }

    /// Reports a finding at an explicit location (config findings), attached to an exchange
    /// index for supersession (use `usize::MAX` for none).
    pub fn report_at(
        &mut self,
        exchange: usize,
        step: Step,
        location: Location,
        message: impl Into<String>,
    ) -> Reported<'_> {
        let finding = Finding {
            rule: self.rule.id,
            severity: self.rule.severity,
            message: message.into(),
            fix: String::new(),
            location,
            evidence: serde_json::Map::new(),
            step,
            notes: Vec::new(),
        };
        self.findings.push((exchange, finding));
        let last = self.findings.len() - 1;
        Reported {
            finding: &mut self.findings[last].1,
        }
    }

    /// Says the rule could not decide for the given reason (recorded in `skipped` when the
    /// rule reported nothing).
    pub fn skip(&mut self, reason: impl Into<String>) {
        if self.skipped.is_none() {
            self.skipped = Some(reason.into());
        }
    }
}

/// Runs the selected rules of `rules` over a flow.
pub fn run(
    rules: &[&'static Rule],
    flow: &Flow,
    config: Option<&Config>,
    options: &Options,
) -> Report {
    let steps: Vec<Step> = flow
        .exchanges
        .iter()
        .map(|e| classify::classify(&e.request, config))
        .collect();
    let mut all: Vec<(usize, Finding)> = Vec::new();
    let mut skipped: Vec<Skipped> = Vec::new();
    let hidden = redaction::hidden(flow, &steps);
    // Config rules judge the app's settings, not a capture: they belong to `check`.
    for rule in rules
        .iter()
        .copied()
        .filter(|r| r.group != Group::Config && selected(r.id, options))
    {
        if rule.needs == Needs::Config && config.is_none() {
            // Listed only where the capture has a step the rule looks at, so a lone REST
            // call does not list every authorize-link rule.
            if group_relevant(rule.group, flow, &steps) {
                skipped.push(Skipped {
                    rule: rule.id,
                    reason: "needs the app config (--config or miro-oauth.toml)".to_string(),
                });
            }
            continue;
        }
        let scope = Scope {
            flow,
            steps: &steps,
            config,
            project: None,
            now: options.now,
        };
        let Some(h) = rule
            .reads
            .iter()
            .find_map(|ev| hidden.iter().find(|h| h.evidence == *ev))
        else {
            run_rule(rule, &scope, &mut all, &mut skipped);
            continue;
        };
        // The capture hides what the rule reads: whatever it found may be about a
        // placeholder, and finding nothing proves nothing. Its own reason to skip (nothing
        // to look at) still wins, being the more basic one.
        let (mut found, mut own) = (Vec::new(), Vec::new());
        run_rule(rule, &scope, &mut found, &mut own);
        if !found.is_empty() || own.is_empty() {
            own = vec![Skipped {
                rule: rule.id,
                reason: redaction::reason(h, flow),
            }];
        }
        skipped.extend(own);
    }

    // Supersession: drop a finding when a rule it gives way to fired on the same exchange.
    let fired: BTreeSet<(usize, &str)> = all.iter().map(|(i, f)| (*i, f.rule)).collect();
    let by_id = |id: &str| rules.iter().find(|r| r.id == id);
    all.retain(|(i, f)| {
        let Some(rule) = by_id(f.rule) else {
            return true;
        };
        !rule
            .superseded_by
            .iter()
            .any(|other| fired.contains(&(*i, *other)))
    });

    sanitized_notes(flow, &steps, &all, &mut skipped, rules, options);
    let timeline = timeline(flow, &steps, &all);
    let findings: Vec<Finding> = all.into_iter().map(|(_, f)| f).collect();
    let secrets = (!options.show_secrets).then(|| Secrets::from_flow(flow));
    finish(
        findings,
        skipped,
        secrets.as_ref(),
        flow.inputs.clone(),
        timeline,
    )
}

/// What a rule runs against.
struct Scope<'a> {
    flow: &'a Flow,
    steps: &'a [Step],
    config: Option<&'a Config>,
    project: Option<&'a crate::project::Project>,
    now: Option<jiff::Timestamp>,
}

/// Runs one rule: its findings (with the exchange index each belongs to) go to `findings`;
/// when it reported nothing but said why it could not decide, that goes to `skipped`.
fn run_rule(
    rule: &'static Rule,
    scope: &Scope<'_>,
    findings: &mut Vec<(usize, Finding)>,
    skipped: &mut Vec<Skipped>,
) {
    let mut cx = Cx {
        flow: scope.flow,
        steps: scope.steps,
        config: scope.config,
        project: scope.project,
        now: scope.now,
        rule,
        findings: Vec::new(),
        skipped: None,
    };
    (rule.check)(&mut cx);
    if cx.findings.is_empty() {
        if let Some(reason) = cx.skipped {
            skipped.push(Skipped {
                rule: rule.id,
                reason,
            });
        }
    }
    findings.extend(cx.findings);
}

/// Masks secrets (unless `secrets` is None: `--show-secrets`), sorts and dedupes, counts:
/// the last step shared by `doctor` and `check`.
fn finish(
    mut findings: Vec<Finding>,
    mut skipped: Vec<Skipped>,
    secrets: Option<&Secrets>,
    inputs: Vec<crate::model::InputInfo>,
    timeline: Vec<TimelineRow>,
) -> Report {
    if let Some(secrets) = secrets.filter(|s| !s.is_empty()) {
        for f in &mut findings {
            f.message = secrets.scrub(&f.message);
            f.fix = secrets.scrub(&f.fix);
            for v in f.evidence.values_mut() {
                secrets.scrub_json(v);
            }
            for n in &mut f.notes {
                match n {
                    Note::Diff { sent, expected } => {
                        *sent = secrets.scrub(sent);
                        *expected = secrets.scrub(expected);
                    }
                    Note::Text(t) => *t = secrets.scrub(t),
                }
            }
        }
    }
    // Captures by input and HAR entry, files by line and column; then flow step and rule.
    findings.sort_by(|a, b| {
        let (la, lb) = (&a.location, &b.location);
        (&la.input, &la.entry, &la.file, la.line, la.column)
            .cmp(&(&lb.input, &lb.entry, &lb.file, lb.line, lb.column))
            .then(a.step.cmp(&b.step))
            .then(la.part.cmp(&lb.part))
            .then(a.rule.cmp(b.rule))
            .then(a.message.cmp(&b.message))
    });
    findings
        .dedup_by(|a, b| a.rule == b.rule && a.location == b.location && a.message == b.message);
    skipped.sort_by(|a, b| a.rule.cmp(b.rule));
    let mut summary = Summary::default();
    for f in &findings {
        match f.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    Report {
        version: 1,
        inputs,
        findings,
        skipped,
        summary,
        timeline,
    }
}

/// Whether a flow has a step that rules of `group` look at.
fn group_relevant(group: Group, flow: &Flow, steps: &[Step]) -> bool {
    let has = |wanted: &[Step]| steps.iter().any(|s| wanted.contains(s));
    match group {
        Group::Authorize => has(&[Step::Authorize, Step::Token]),
        Group::Callback => has(&[Step::Callback, Step::Token]),
        Group::Token => has(&[Step::Token, Step::Revoke]),
        Group::Api => has(&[Step::Api, Step::TokenInfo, Step::Scim, Step::Token]),
        Group::Response => flow.exchanges.iter().any(|e| e.response.is_some()),
        Group::Config => false,
    }
}

/// Rules that read bearer tokens or cookies: a sanitized HAR (no `Authorization` header and no
/// cookie anywhere: Chrome's default export since version 130 strips them) turns them off.
const NEEDS_CREDENTIAL_HEADERS: &[&str] = &[
    "access-token-expired",
    "access-token-superseded",
    "auth-header-missing",
    "auth-scheme-invalid",
    "scim-token-misuse",
    "sdk-id-token-as-access-token",
    "token-malformed",
];

/// Records, for each sanitized HAR with REST calls, which rules it turns off (those that did
/// not fire anyway), instead of letting them misfire or stay silently blind.
fn sanitized_notes(
    flow: &Flow,
    steps: &[Step],
    fired: &[(usize, Finding)],
    skipped: &mut Vec<Skipped>,
    rules: &[&'static Rule],
    options: &Options,
) {
    for input in &flow.inputs {
        let Some(har) = input.har.as_ref().filter(|h| h.sanitized) else {
            continue;
        };
        let api_calls = flow.exchanges.iter().zip(steps).any(|(e, s)| {
            e.input == input.index && matches!(s, Step::Api | Step::TokenInfo | Step::Scim)
        });
        if !api_calls {
            continue;
        }
        for id in NEEDS_CREDENTIAL_HEADERS {
            let active = rules.iter().any(|r| r.id == *id) && selected(id, options);
            if !active
                || fired.iter().any(|(_, f)| f.rule == *id)
                || skipped.iter().any(|s| s.rule == *id)
            {
                continue;
            }
            skipped.push(Skipped {
                rule: rules.iter().find(|r| r.id == *id).map(|r| r.id).unwrap_or("unknown"),
                reason: format!(
                    "{} looks sanitized: none of its {} entries has an Authorization header or a cookie (Chrome's default HAR export removes them; export with \"Allow to generate HAR with sensitive data\" to check tokens)",
                    input.source, har.entries
                ),
            });
        }
    }
}

/// The human timeline of a HAR: every OAuth step, plus any entry with a finding, in flow
/// order, with its offset from the input's first entry.
fn timeline(flow: &Flow, steps: &[Step], fired: &[(usize, Finding)]) -> Vec<TimelineRow> {
    let mut rows = Vec::new();
    for (i, (e, step)) in flow.exchanges.iter().zip(steps).enumerate() {
        let Some(input) = flow.inputs.get(e.input) else {
            continue;
        };
        let Some(har) = &input.har else {
            continue;
        };
        let mut rules: Vec<&'static str> = fired
            .iter()
            .filter(|(x, _)| *x == i)
            .map(|(_, f)| f.rule)
            .collect();
        rules.sort_unstable();
        rules.dedup();
        let oauth_step = matches!(
            step,
            Step::Authorize | Step::Callback | Step::Token | Step::Revoke | Step::TokenInfo
        );
        if !oauth_step && rules.is_empty() {
            continue;
        }
        let raw = e.request.raw_url();
        rows.push(TimelineRow {
            input: e.input,
            entry: e.entry,
            offset_ms: match (e.started, har.summary.first_started) {
                (Some(t), Some(first)) => {
                    Some((t.as_millisecond() - first.as_millisecond()).max(0))
                }
                _ => None,
            },
            method: e.request.method.clone(),
            target: format!("{}{}", raw.authority, raw.path),
            status: e.response.as_ref().map(|r| r.status),
            step: *step,
            rules,
        });
    }
    rows
}

fn selected(id: &str, options: &Options) -> bool {
    let listed = |list: &[String]| list.iter().any(|s| s == id || s == "ALL");
    (options.select.is_empty() || listed(&options.select)) && !listed(&options.ignore)
}

/// Runs the `check` rules — the selected rules of group [`Group::Config`] — on the app config
/// and its [`Project`](crate::project::Project) (env files, scanned source). Findings point
/// into files (`location.file`/`line`/`column`); secrets from the config, the env files and
/// the source are masked unless `options.show_secrets`.
pub fn run_check(
    rules: &[&'static Rule],
    config: &Config,
    project: &crate::project::Project,
    options: &Options,
) -> Report {
    let flow = Flow::default();
    let mut findings: Vec<(usize, Finding)> = Vec::new();
    let mut skipped: Vec<Skipped> = Vec::new();
    let scope = Scope {
        flow: &flow,
        steps: &[],
        config: Some(config),
        project: Some(project),
        now: options.now,
    };
    for rule in rules
        .iter()
        .copied()
        .filter(|r| r.group == Group::Config && selected(r.id, options))
    {
        run_rule(rule, &scope, &mut findings, &mut skipped);
    }
    let findings = findings.into_iter().map(|(_, f)| f).collect();
    let secrets = (!options.show_secrets).then(|| project.secrets(config));
    finish(findings, skipped, secrets.as_ref(), Vec::new(), Vec::new())
}

//! Command-line interface: clap definitions (the `--help` text users learn from) and the
//! commands, which read inputs and config, call the library and pick a renderer.

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use miro_oauth::config::{self, Config};
use miro_oauth::engine::Options;
use miro_oauth::render::{self, Format, RenderOptions};

const AFTER_HELP: &str = "\
Examples:
  miro-oauth doctor token.sh                      diagnose a curl command saved from devtools
  miro-oauth doctor 'https://miro.com/oauth/authorize?response_type=code&client_id=…'
  miro-oauth doctor authorize.url token.sh        several inputs form one flow, in order
  pbpaste | miro-oauth doctor -                   read the capture from stdin
  miro-oauth doctor token.http --response resp.json
  miro-oauth rules                                list every rule
  miro-oauth explain redirect-uri-mismatch        what a rule checks and how to fix it

Exit codes: 0 no error finding, 1 at least one error finding, 2 the tool could not do its job.";

/// A doctor and linter for Miro OAuth 2.0.
///
/// Give it what you captured when a Miro OAuth step failed — a curl command, a URL, a raw
/// HTTP request or a HAR file — and it tells you every check that fails, with the exact fix.
#[derive(Debug, Parser)]
#[command(name = "miro-oauth", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Diagnose captured requests: curl commands, URLs, raw HTTP requests, HAR files.
    ///
    /// The kind of each INPUT is detected from its content. An INPUT is a file path, `-` for
    /// stdin, or the text itself (a URL or curl command pasted as an argument). Several INPUTs
    /// are analysed together as one flow, in the order given: e.g. the authorize URL, then the
    /// callback URL, then the token-exchange curl.
    #[command(after_help = AFTER_HELP)]
    Doctor(DoctorArgs),
    /// List every rule: id, default severity, group, summary.
    Rules(RulesArgs),
    /// Show a rule's documentation: what it checks, why it breaks, how to fix, an example.
    Explain {
        /// The rule id, e.g. `redirect-uri-mismatch` (see `miro-oauth rules`).
        rule: String,
    },
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// The app's config: miro-oauth.toml or Miro's app manifest YAML. Default: found in the
    /// current directory or its parents; the MIRO_OAUTH_CONFIG env var overrides the search.
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to use colour. `auto` uses colour on a terminal, honouring NO_COLOR and
    /// CLICOLOR_FORCE.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// The "current time" for time-based rules (RFC 3339, e.g. 2026-11-22T10:00:00Z), for
    /// reproducible runs and post-mortems.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Print secrets unmasked (by default every token, secret, code and Basic credential is
    /// masked in every output format).
    #[arg(long)]
    show_secrets: bool,
    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,…")]
    select: Vec<String>,
    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,…")]
    ignore: Vec<String>,
}

#[derive(Debug, Args)]
struct DoctorArgs {
    /// Captured requests: files, `-` for stdin, or inline text.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<OsString>,
    /// The response the request got (raw HTTP response or just its JSON body), so Miro's
    /// error is explained. `-` reads stdin.
    #[arg(long, value_name = "FILE|-")]
    response: Option<OsString>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// Output format (`human` or `json`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Parses arguments and runs the command; returns the exit code or an error (exit 2).
pub fn run() -> Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr; usage
            // errors are exit 2, as the spec says for bad flags.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return Ok(ExitCode::from(code));
        }
    };
    match cli.command {
        Command::Doctor(args) => doctor(args),
        Command::Rules(args) => rules(args),
        Command::Explain { rule } => explain(&rule),
    }
}

fn use_color(choice: ColorChoice) -> bool {
    let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env("NO_COLOR") {
                false
            } else if env("CLICOLOR_FORCE")
                && std::env::var_os("CLICOLOR_FORCE") != Some("0".into())
            {
                true
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}

/// Reads an INPUT: `-` is stdin, an existing path is a file, anything else that looks like a
/// URL or a command is the text itself.
fn read_input(arg: &OsString, stdin_used: &mut bool) -> Result<(String, Vec<u8>)> {
    if arg == "-" {
        if *stdin_used {
            bail!("`-` (stdin) given twice; stdin can be read only once");
        }
        *stdin_used = true;
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("-: cannot read stdin")?;
        return Ok(("-".to_string(), buf));
    }
    let path = Path::new(arg);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|e| miro_oauth::error::InputError::Unreadable {
            source_name: path.display().to_string(),
            reason: e.to_string(),
        })?;
        return Ok((path.display().to_string(), bytes));
    }
    let text = arg.to_string_lossy();
    let t = text.trim_start();
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || t.starts_with("curl") {
        return Ok(("<arg>".to_string(), text.as_bytes().to_vec()));
    }
    if path.exists() {
        bail!(
            "{}: is not a regular file; expected a file with a captured request",
            path.display()
        );
    }
    bail!(
        "{}: no such file; expected a file path, `-` for stdin, or an inline URL or curl command",
        path.display()
    )
}

fn load_config(explicit: Option<&Path>) -> Result<Option<Config>> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let env = std::env::var_os("MIRO_OAUTH_CONFIG").filter(|v| !v.is_empty());
    match config::load::discover(explicit, env.as_deref(), &cwd) {
        Some(path) => Ok(Some(config::load::load(&path)?)),
        None => Ok(None),
    }
}

fn options(common: &CommonArgs) -> Result<Options> {
    let now = match &common.now {
        Some(s) => Some(s.parse::<jiff::Timestamp>().with_context(|| {
            format!("--now {s}: not an RFC 3339 time; expected e.g. 2026-11-22T10:00:00Z")
        })?),
        None => None,
    };
    for id in common.select.iter().chain(&common.ignore) {
        if id != "ALL" && miro_oauth::rules::find(id).is_none() {
            bail!("unknown rule `{id}` in --select/--ignore; see `miro-oauth rules` for the ids");
        }
    }
    Ok(Options {
        select: common.select.clone(),
        ignore: common.ignore.clone(),
        now,
        show_secrets: common.show_secrets,
    })
}

fn doctor(args: DoctorArgs) -> Result<ExitCode> {
    let opts = options(&args.common)?;
    let mut stdin_used = false;
    let mut sources = Vec::new();
    for arg in &args.inputs {
        sources.push(read_input(arg, &mut stdin_used)?);
    }
    let config = load_config(args.common.config.as_deref())?;
    let mut flow = miro_oauth::read_flow(&sources)?;
    if let Some(resp) = &args.response {
        let (name, bytes) = if resp == "-" {
            read_input(resp, &mut stdin_used)?
        } else {
            let p = Path::new(resp);
            let bytes =
                std::fs::read(p).map_err(|e| miro_oauth::error::InputError::Unreadable {
                    source_name: p.display().to_string(),
                    reason: e.to_string(),
                })?;
            (p.display().to_string(), bytes)
        };
        miro_oauth::attach_response(&mut flow, &name, &bytes)?;
    }
    let report = miro_oauth::doctor(&flow, config.as_ref(), &opts);
    let color = args.common.format == Format::Human && use_color(args.common.color);
    colored::control::set_override(color);
    let mut out = std::io::stdout().lock();
    render::render(
        &report,
        args.common.format,
        RenderOptions { color },
        &mut out,
    )?;
    out.flush()?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn rules(args: RulesArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let all = miro_oauth::rules::all();
    match args.format {
        Format::Json => {
            let v: Vec<serde_json::Value> = all
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "severity": r.severity.as_str(),
                        "group": r.group.as_str(),
                        "summary": r.summary,
                        "needs_config": r.needs == miro_oauth::engine::Needs::Config,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        Format::Human => {
            let width = all.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in all {
                writeln!(
                    out,
                    "{:width$}  {:7}  {:9}  {}",
                    r.id,
                    r.severity.as_str(),
                    r.group.as_str(),
                    r.summary
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn explain(id: &str) -> Result<ExitCode> {
    let Some(rule) = miro_oauth::rules::find(id) else {
        let near = miro_oauth::rules::all()
            .iter()
            .map(|r| (strsim(id, r.id), r.id))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(s, _)| *s > 0.6)
            .map(|(_, r)| format!(" (did you mean `{r}`?)"))
            .unwrap_or_default();
        bail!("unknown rule `{id}`{near}; see `miro-oauth rules` for the ids");
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} ({}, default severity {})\n",
        rule.id,
        rule.group.as_str(),
        rule.severity.as_str()
    )?;
    write!(
        out,
        "{}",
        rule.docs
            .trim_start_matches(&format!("# {}\n", rule.id))
            .trim_start()
    )?;
    if !rule.docs.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn strsim(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

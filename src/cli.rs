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
    /// Pre-deploy check for CI: lint the app config, the deployment's env files and the
    /// source tree's Miro API calls against the app's scopes.
    ///
    /// Reads the app's config (miro-oauth.toml or Miro's app manifest), the deployment's
    /// environment from dotenv files (--env, repeatable; a later file overrides an earlier
    /// one) and, with --scan DIR, the source tree: Miro REST calls (URLs, template strings,
    /// the official Node and Python clients) are matched to the scopes they need, and
    /// manifests and lock files to the official clients' known pitfalls.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// Write a copy of a HAR/curl/URL/raw request with every secret masked, safe to post on a
    /// forum or attach to a support ticket.
    ///
    /// Each secret (client secret, codes, tokens, Basic and Bearer credentials, cookies, JWT
    /// signatures) becomes a placeholder of the same length and shape, the same value always
    /// the same placeholder; everything else is kept byte for byte. A summary goes to stderr.
    Redact(RedactArgs),
    /// List every rule: id, default severity, group, summary.
    Rules(RulesArgs),
    /// Show a rule's documentation: what it checks, why it breaks, how to fix, an example.
    Explain {
        /// The rule id, e.g. `redirect-uri-mismatch` (see `miro-oauth rules`).
        rule: String,
    },
    /// Sign in through the browser and store the tokens (one-shot loopback callback server).
    ///
    /// Opens Miro's authorize link, catches the callback, checks `state` and exchanges the
    /// code the moment it arrives. Listens on the config's first http://localhost / 127.0.0.1 / [::1] redirect URI (or
    /// --redirect-uri), which must be registered in the app settings. Then shows the granted
    /// scopes, team and user. Exit 1 on a callback error, a state mismatch, a timeout or when
    /// Miro refuses the code (with the doctor's diagnosis).
    #[command(after_help = LIVE_AFTER_HELP)]
    Login(miro_oauth::live::LoginArgs),
    /// Exchange an authorization code or a callback URL for tokens and store them.
    #[command(after_help = LIVE_AFTER_HELP)]
    Exchange(miro_oauth::live::ExchangeArgs),
    /// Refresh the stored tokens (Miro rotates the pair; replaced atomically, under a lock).
    ///
    /// The old pair stops working at once, so the new pair replaces it atomically, and a lock
    /// keeps two refreshes from racing.
    #[command(after_help = LIVE_AFTER_HELP)]
    Refresh(miro_oauth::live::RefreshArgs),
    /// Show the stored token's team, user and scopes, and the configured scopes it lacks.
    ///
    /// Asks Miro (GET /v1/oauth-token) and compares the granted scopes with the config's.
    #[command(name = "token-info", after_help = LIVE_AFTER_HELP)]
    TokenInfo(miro_oauth::live::TokenInfoArgs),
    /// Revoke the stored token and its refresh token (v2; --v1 for the deprecated endpoint).
    #[command(after_help = LIVE_AFTER_HELP)]
    Revoke(miro_oauth::live::RevokeArgs),
}

const LIVE_AFTER_HELP: &str = "\
Examples:
  miro-oauth login                                  sign in through the browser, store the tokens
  miro-oauth login --no-browser                     print the authorize link instead of opening it
  miro-oauth exchange --callback-url 'http://localhost:3000/callback?code=…&state=…'
  miro-oauth refresh                                rotate the stored pair
  miro-oauth token-info                             team, user, scopes; which configured scopes are missing
  miro-oauth revoke                                 revoke and delete the stored tokens

The client secret is read from the variable named by client_secret_env in the config.
Exit codes: 0 success, 1 Miro said no (diagnosed), callback error, state mismatch or timeout,
2 the tool could not do its job (bad flags, no config, no secret in the environment, unreachable host).";

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
struct CheckArgs {
    /// A dotenv file with the deployment's environment (KEY=value lines). Repeatable; a
    /// later file overrides an earlier one, as with Compose's env_file.
    #[arg(long = "env", value_name = "FILE")]
    env: Vec<PathBuf>,
    /// Scan this source tree for Miro API calls, client use and dependencies (.gitignore is
    /// respected; node_modules, vendor, virtualenvs and target are always skipped).
    #[arg(long, value_name = "DIR")]
    scan: Option<PathBuf>,
    /// The variable that holds the client id in the env files.
    #[arg(long, value_name = "NAME", default_value = "MIRO_CLIENT_ID")]
    env_var_client_id: String,
    /// The variable that holds the client secret [default: the config's client_secret_env,
    /// else MIRO_CLIENT_SECRET].
    #[arg(long, value_name = "NAME")]
    env_var_client_secret: Option<String>,
    /// The variable that holds the redirect URI in the env files.
    #[arg(long, value_name = "NAME", default_value = "MIRO_REDIRECT_URL")]
    env_var_redirect_uri: String,
    #[command(flatten)]
    common: CommonArgs,
}

const CHECK_AFTER_HELP: &str = "\
Examples:
  miro-oauth check                                  lint the config found in . or a parent
  miro-oauth check --env .env.production --scan .   also the deployment's env and the source
  miro-oauth check --scan . --format sarif > miro-oauth.sarif
  miro-oauth check --scan . --format github         annotations in a GitHub Actions log

Exit codes: 0 no error finding, 1 at least one error finding, 2 the tool could not do its job.";

#[derive(Debug, Args)]
struct RedactArgs {
    /// The capture: a file, `-` for stdin, or inline text.
    #[arg(value_name = "INPUT")]
    input: OsString,
    /// Write the redacted copy here instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Fingerprint key, for reproducible placeholders (default: random per run).
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
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
        Command::Check(args) => check(args),
        Command::Redact(args) => redact(args),
        Command::Rules(args) => rules(args),
        Command::Explain { rule } => explain(&rule),
        Command::Login(args) => miro_oauth::live::login(&args).map(ExitCode::from),
        Command::Exchange(args) => miro_oauth::live::exchange(&args).map(ExitCode::from),
        Command::Refresh(args) => miro_oauth::live::refresh(&args).map(ExitCode::from),
        Command::TokenInfo(args) => miro_oauth::live::token_info(&args).map(ExitCode::from),
        Command::Revoke(args) => miro_oauth::live::revoke(&args).map(ExitCode::from),
    }
}

fn redact(args: RedactArgs) -> Result<ExitCode> {
    use miro_oauth::redact::{prepare_file, prepare_named, redact_input, Prepared, Redactor};
    let mut redactor = match &args.key {
        Some(k) => Redactor::new(k.as_bytes()),
        None => Redactor::with_random_key(),
    };
    let mut path = Path::new(&args.input).to_path_buf();
    // Stdin holding a HAR is spooled and streamed like a file.
    let mut _spool = None;
    let prepared = if let Some((name, read)) = read_streamed(&args.input, &mut false)? {
        match read {
            Stdin::Har(spool) => {
                path = spool.path().to_path_buf();
                let p = prepare_named(&name, &path, &mut redactor)?;
                _spool = Some(spool);
                p
            }
            Stdin::Text(bytes) => Prepared::Text(redact_input(&name, &bytes, &mut redactor)?),
        }
    } else if path.is_file() {
        let file = path.as_path();
        if let Some(out) = &args.output {
            let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y);
            if same(out, file) {
                bail!(
                    "{}: the output is the input; expected -o to name another file (the copy is written while the input is read)",
                    out.display()
                );
            }
        }
        // A HAR is streamed: read twice from disk, never held whole.
        prepare_file(file, &mut redactor)?
    } else {
        let (name, bytes) = read_input(&args.input, &mut false)?;
        Prepared::Text(redact_input(&name, &bytes, &mut redactor)?)
    };
    let target = args.output.as_ref().map(|p| p.display().to_string());
    let target = target.as_deref().unwrap_or("stdout");
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot write", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match prepared {
        Prepared::Text(text) => out
            .write_all(text.as_bytes())
            .with_context(|| format!("{target}: cannot write"))?,
        Prepared::Har => {
            let input = std::fs::File::open(&path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            redactor
                .redact_stream(std::io::BufReader::new(input), &mut out)
                .with_context(|| format!("{target}: cannot write the redacted copy"))?;
        }
    }
    out.flush()
        .with_context(|| format!("{target}: cannot write"))?;
    eprintln!("miro-oauth: {}", redactor.summary());
    Ok(ExitCode::SUCCESS)
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

/// Stdin or another stream (a named pipe, bash's `<(…)`, a device): a HAR is spooled to a
/// temporary file (so it is streamed like a file, never held whole); anything else is read,
/// up to [`miro_oauth::MAX_TEXT_INPUT`].
enum Stdin {
    Har(tempfile::NamedTempFile),
    Text(Vec<u8>),
}

fn read_stdin(stdin_used: &mut bool) -> Result<Stdin> {
    if *stdin_used {
        bail!("`-` (stdin) given twice; stdin can be read only once");
    }
    *stdin_used = true;
    read_stream("-", &mut std::io::stdin().lock())
}

/// A path that is neither a regular file nor a directory but can be read: a named pipe,
/// `/dev/fd/N` from bash's `<(pbpaste)`, a device.
fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Reads a stream (see [`Stdin`]) shown as `name`.
fn read_stream(name: &str, stream: &mut dyn Read) -> Result<Stdin> {
    let cannot_read = || {
        if name == "-" {
            "-: cannot read stdin".to_string()
        } else {
            format!("{name}: cannot read")
        }
    };
    let mut head = Vec::with_capacity(4096);
    (&mut *stream)
        .take(4096)
        .read_to_end(&mut head)
        .with_context(cannot_read)?;
    if miro_oauth::input::detect::looks_like_har(&head) {
        let spool = || format!("{name}: cannot spool to a temporary file");
        let mut file = tempfile::NamedTempFile::new().with_context(spool)?;
        file.write_all(&head).with_context(spool)?;
        std::io::copy(stream, &mut file).with_context(spool)?;
        return Ok(Stdin::Har(file));
    }
    let mut buf = head;
    let limit = miro_oauth::MAX_TEXT_INPUT;
    if !miro_oauth::read_limited(stream, &mut buf, limit).with_context(cannot_read)? {
        return Err(miro_oauth::error::InputError::too_large(name, buf.len() as u64).into());
    }
    Ok(Stdin::Text(buf))
}

/// An INPUT that is read as a stream: `-` (stdin) or a path that [`is_stream`]; `None` for
/// anything else (a file, inline text). Shared by `doctor` and `redact`.
fn read_streamed(arg: &OsString, stdin_used: &mut bool) -> Result<Option<(String, Stdin)>> {
    if arg == "-" {
        return Ok(Some(("-".to_string(), read_stdin(stdin_used)?)));
    }
    let path = Path::new(arg);
    if !is_stream(path) {
        return Ok(None);
    }
    let name = path.display().to_string();
    let mut file =
        std::fs::File::open(path).map_err(|e| miro_oauth::error::InputError::Unreadable {
            source_name: name.clone(),
            reason: e.to_string(),
        })?;
    Ok(Some((name.clone(), read_stream(&name, &mut file)?)))
}

/// Reads a whole file (or stream), refused above [`miro_oauth::MAX_TEXT_INPUT`].
fn read_whole(path: &Path) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| miro_oauth::error::InputError::Unreadable {
        source_name: name.clone(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    // A file's size for the message; a stream's is not known.
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::new();
    if !miro_oauth::read_limited(file, &mut bytes, miro_oauth::MAX_TEXT_INPUT)
        .map_err(unreadable)?
    {
        let size = size.max(bytes.len() as u64);
        return Err(miro_oauth::error::InputError::too_large(&name, size).into());
    }
    Ok(bytes)
}

fn read_input(arg: &OsString, stdin_used: &mut bool) -> Result<(String, Vec<u8>)> {
    if arg == "-" {
        return match read_stdin(stdin_used)? {
            Stdin::Text(buf) => Ok(("-".to_string(), buf)),
            // Where a whole text is needed (`--response -`): read the spool back.
            Stdin::Har(spool) => {
                let bytes = std::fs::read(spool.path()).context("-: cannot read stdin")?;
                Ok(("-".to_string(), bytes))
            }
        };
    }
    let path = Path::new(arg);
    if path.is_file() || is_stream(path) {
        return Ok((path.display().to_string(), read_whole(path)?));
    }
    input_text(arg, path)
}

/// An INPUT given inline (a URL or a curl command as the argument itself), or the error for a
/// path that is not a readable file.
fn input_text(arg: &OsString, path: &Path) -> Result<(String, Vec<u8>)> {
    let text = arg.to_string_lossy();
    let t = text.trim_start();
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || t.starts_with("curl") {
        return Ok(("<arg>".to_string(), text.as_bytes().to_vec()));
    }
    if path.is_dir() {
        bail!(
            "{}: is a directory; expected a file with a captured request",
            path.display()
        );
    }
    bail!(
        "{}: no such file; expected a file path, `-` for stdin, or an inline URL or curl command",
        path.display()
    )
}

/// Reads the inputs, with a progress bar on stderr for large files when stderr is a terminal.
fn read_with_progress(sources: &[miro_oauth::Source]) -> Result<miro_oauth::model::Flow> {
    // Below this size a file reads in well under a second: a bar would only flicker.
    const BAR_FROM_BYTES: u64 = 64 << 20;
    let interactive = std::io::stderr().is_terminal();
    let mut bar: Option<(usize, indicatif::ProgressBar)> = None;
    let flow = miro_oauth::read_sources(sources, &mut |input, read, total| {
        if !interactive || total < BAR_FROM_BYTES {
            return;
        }
        if bar.as_ref().is_none_or(|(i, _)| *i != input) {
            if let Some((_, old)) = bar.take() {
                old.finish_and_clear();
            }
            let name = match &sources[input] {
                miro_oauth::Source::File(p) => p.display().to_string(),
                miro_oauth::Source::NamedFile(n, _) => n.clone(),
                miro_oauth::Source::Bytes(n, _) => n.clone(),
            };
            let pb = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr(),
            );
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            pb.set_message(format!("reading {name}"));
            bar = Some((input, pb));
        }
        if let Some((_, pb)) = &bar {
            pb.set_position(read);
        }
    });
    if let Some((_, pb)) = bar {
        pb.finish_and_clear();
    }
    Ok(flow?)
}

/// Renders a report to stdout in the chosen format and maps it to the exit code: 1 when it
/// has an error finding, else 0.
fn emit(report: &miro_oauth::finding::Report, common: &CommonArgs) -> Result<ExitCode> {
    let color = common.format == Format::Human && use_color(common.color);
    colored::control::set_override(color);
    let mut out = render::stdout();
    render::render(report, common.format, RenderOptions { color }, &mut out)?;
    out.flush()?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
        // The cause first, then the form expected (anyhow's context would put jiff's cause
        // after the example).
        Some(s) => Some(s.parse::<jiff::Timestamp>().map_err(|e| {
            anyhow::anyhow!(
                "--now {s}: not an RFC 3339 time ({e}); expected a date, time and UTC offset \
                 such as 2026-11-22T10:00:00Z"
            )
        })?),
        None => None,
    };
    // `--select "a, b"`: the space after a comma is not part of the id.
    let trimmed = |ids: &[String]| ids.iter().map(|i| i.trim().to_string()).collect::<Vec<_>>();
    let (select, ignore) = (trimmed(&common.select), trimmed(&common.ignore));
    let listed = select
        .iter()
        .map(|id| ("--select", id))
        .chain(ignore.iter().map(|id| ("--ignore", id)));
    for (flag, id) in listed {
        if id.is_empty() {
            bail!(
                "{flag}: an empty rule id (a doubled or trailing comma?); expected rule ids \
                 separated by commas, such as {flag} code-reused,state-mismatch"
            );
        }
        if id != "ALL" && miro_oauth::rules::find(id).is_none() {
            bail!(
                "{flag} {id}: unknown rule{}; see `miro-oauth rules` for the ids",
                did_you_mean(id)
            );
        }
    }
    Ok(Options {
        select,
        ignore,
        now,
        show_secrets: common.show_secrets,
    })
}

fn doctor(args: DoctorArgs) -> Result<ExitCode> {
    let opts = options(&args.common)?;
    let mut stdin_used = false;
    let mut sources = Vec::new();
    // Spooled stdin lives until the flow is read.
    let mut spools = Vec::new();
    for arg in &args.inputs {
        // Files are handed to the library by path, so a HAR is streamed, never held whole.
        if arg != "-" && Path::new(arg).is_file() {
            sources.push(miro_oauth::Source::File(Path::new(arg).to_path_buf()));
        } else if let Some((name, read)) = read_streamed(arg, &mut stdin_used)? {
            match read {
                Stdin::Har(spool) => {
                    sources.push(miro_oauth::Source::NamedFile(
                        name,
                        spool.path().to_path_buf(),
                    ));
                    spools.push(spool);
                }
                Stdin::Text(bytes) => sources.push(miro_oauth::Source::Bytes(name, bytes)),
            }
        } else {
            let (name, bytes) = read_input(arg, &mut stdin_used)?;
            sources.push(miro_oauth::Source::Bytes(name, bytes));
        }
    }
    let config = load_config(args.common.config.as_deref())?;
    let mut flow = read_with_progress(&sources)?;
    if let Some(resp) = &args.response {
        let (name, bytes) = if resp == "-" {
            read_input(resp, &mut stdin_used)?
        } else {
            let p = Path::new(resp);
            (p.display().to_string(), read_whole(p)?)
        };
        miro_oauth::attach_response(&mut flow, &name, &bytes)?;
    }
    let report = miro_oauth::doctor(&flow, config.as_ref(), &opts);
    emit(&report, &args.common)
}

fn rules(args: RulesArgs) -> Result<ExitCode> {
    let mut out = render::stdout();
    let all = miro_oauth::rules::all();
    match args.format {
        Format::Sarif | Format::Github => {
            bail!("`rules` prints `human` or `json`; --format sarif and github are for doctor and check")
        }
        Format::Json => {
            let v: Vec<serde_json::Value> = all
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "severity": r.severity.as_str(),
                        "group": r.group.as_str(),
                        "summary": r.summary,
                        // Config rules judge the config itself, so they always need one.
                        "needs_config": r.needs == miro_oauth::engine::Needs::Config
                            || r.group == miro_oauth::engine::Group::Config,
                        // Evidence that, hidden by a sanitizer, turns the rule off.
                        "off_when_hidden": r.reads.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
                        "command": if r.group == miro_oauth::engine::Group::Config {
                            "check"
                        } else {
                            "doctor"
                        },
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

/// ` (did you mean `code-reused`?)` for the closest rule id, when one is close.
fn did_you_mean(id: &str) -> String {
    miro_oauth::rules::all()
        .iter()
        .map(|r| (strsim(id, r.id), r.id))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(s, _)| *s > 0.6)
        .map(|(_, r)| format!(" (did you mean `{r}`?)"))
        .unwrap_or_default()
}

fn explain(id: &str) -> Result<ExitCode> {
    let Some(rule) = miro_oauth::rules::find(id) else {
        bail!(
            "unknown rule `{id}`{}; see `miro-oauth rules` for the ids",
            did_you_mean(id)
        );
    };
    let mut out = render::stdout();
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
    if !rule.reads.is_empty() {
        let what: Vec<&str> = rule.reads.iter().map(|e| e.describe()).collect();
        writeln!(
            out,
            "\n## Hidden values\n\nSkipped, with the reason, when the capture hides its {} behind a sanitizer's placeholder (`[REDACTED]`, `***`, `[FILTERED]`, `xxxx`, or this tool's own `[kind len=N #fp]` mask): the check compares or judges those values. `miro-oauth redact` keeps them comparable.",
            what.join(" or ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn strsim(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

/// Where `check` looked for the config, for the message when none is found.
fn config_search_message(cwd: &Path, scan: Option<&Path>) -> String {
    let names = config::load::CONFIG_FILE_NAMES.join(", ");
    let mut places = format!("{} and its parents", cwd.display());
    if let Some(dir) = scan {
        places.push_str(&format!(", and in {} and its parents", dir.display()));
    }
    format!(
        "no app config found: looked for {names} in {places} (MIRO_OAUTH_CONFIG is not set); \
         `check` needs the app as registered with Miro: give --config FILE (miro-oauth.toml or \
         Miro's app manifest YAML), or create miro-oauth.toml with an [app] table listing \
         client_id, redirect_uris and scopes"
    )
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let opts = options(&args.common)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let env = std::env::var_os("MIRO_OAUTH_CONFIG").filter(|v| !v.is_empty());
    // The config is searched from the current directory up, then from the scanned tree up.
    let found = config::load::discover(args.common.config.as_deref(), env.as_deref(), &cwd)
        .or_else(|| {
            let dir = args.scan.as_deref()?;
            config::load::discover(None, None, dir)
        });
    let Some(path) = found else {
        bail!(config_search_message(&cwd, args.scan.as_deref()));
    };
    let config = config::load::load(&path)?;
    let mut project = miro_oauth::project::Project::new(&cwd);
    project.env_names = miro_oauth::project::EnvNames::for_config(&config);
    project.env_names.client_id = args.env_var_client_id.clone();
    project.env_names.redirect_uri = args.env_var_redirect_uri.clone();
    if let Some(name) = &args.env_var_client_secret {
        project.env_names.client_secret = name.clone();
    }
    for file in &args.env {
        project.add_env_file(file)?;
    }
    if let Some(dir) = &args.scan {
        project.scan_dir(dir)?;
    }
    let report = miro_oauth::project::check(&config, &project, &opts);
    emit(&report, &args.common)
}

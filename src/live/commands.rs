//! The live commands — `login`, `exchange`, `refresh`, `token-info`, `revoke` — with their
//! clap arguments (flattened into the CLI by `src/cli.rs`). Each returns the exit code: 0
//! success; 1 Miro said no, the callback carried an error, the state did not match, or the
//! callback never came; errors (`Err`) are exit 2: the tool could not do its job.
//!
//! When Miro answers with an error, the exact request sent and Miro's response become a
//! one-exchange [`Flow`] that the doctor's rules diagnose, rendered as `doctor` would.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine as _;
use clap::{ArgGroup, Args, ValueEnum};
use url::{Host, Url};

use super::callback::{judge, CallbackParams, CallbackServer, Verdict};
use super::client::{
    is_loopback, EndpointUrl, Endpoints, MiroClient, Sent, TokenContext, TokenResponse,
};
use super::store::{self, StoreLock, StoredToken, TokenStore};
use crate::config::{self, Config};
use crate::engine::Options;
use crate::model::{Exchange, Flow, InputInfo, InputKind};
use crate::render::{self, RenderOptions};
use crate::secret::{self, SecretKind, Secrets};

/// How long a command waits for another miro-oauth holding the token-store lock.
const LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the client secret is read from when the config names no variable (the name Miro's
/// Node client reads, facts §18).
const DEFAULT_SECRET_ENV: &str = "MIRO_CLIENT_SECRET";

/// Exit code: Miro said no, the callback carried an error, state mismatch, timeout.
pub const EXIT_REFUSED: u8 = 1;

/// When to colour the diagnosis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, honouring NO_COLOR and CLICOLOR_FORCE.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorWhen {
    fn enabled(self) -> bool {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto if set("NO_COLOR") => false,
            ColorWhen::Auto if set("CLICOLOR_FORCE") => {
                std::env::var_os("CLICOLOR_FORCE") != Some("0".into())
            }
            ColorWhen::Auto => std::io::stdout().is_terminal(),
        }
    }
}

/// Options every live command takes.
#[derive(Clone, Debug, Args)]
pub struct LiveOptions {
    /// The app's config: miro-oauth.toml or Miro's app manifest YAML. Default: found in the
    /// current directory or its parents; the MIRO_OAUTH_CONFIG env var overrides the search.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Miro's REST API base URL (token, token context, revoke) [default: the config's
    /// [miro] api_url, else https://api.miro.com]. https only; plain http only to loopback.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Miro's authorize URL [default: the config's [miro] auth_url, else
    /// https://miro.com/oauth/authorize]. https only; plain http only to loopback.
    #[arg(long, value_name = "URL")]
    pub auth_url: Option<String>,
    /// The token file [default: <config dir>/miro-oauth/tokens/<client_id>.json, e.g.
    /// ~/.config/miro-oauth/tokens/3458764512345678901.json on Linux].
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Print tokens, codes and the client secret unmasked (masked by default).
    #[arg(long)]
    pub show_secrets: bool,
    /// When to use colour in a diagnosis.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

/// `login`: authorize in the browser, catch the callback, exchange the code, store tokens.
#[derive(Clone, Debug, Args)]
pub struct LoginArgs {
    /// The loopback redirect URI to listen on [default: the first http://localhost,
    /// http://127.0.0.1 or http://[::1] URI of the config's redirect_uris]. It must be
    /// registered in the app settings exactly as given.
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// Do not open a browser: print the authorize link on stdout, on its own line, and wait.
    #[arg(long)]
    pub no_browser: bool,
    /// Seconds to wait for the callback.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub timeout: u64,
    /// Preselect this team on Miro's "Install & authorize" screen (`team_id`).
    #[arg(long, value_name = "ID")]
    pub team_id: Option<String>,
    #[command(flatten)]
    pub live: LiveOptions,
}

/// `exchange`: exchange a code (or the callback URL holding it) for tokens and store them.
#[derive(Clone, Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["code", "callback_url"])))]
pub struct ExchangeArgs {
    /// The authorization code (single-use, valid for 10 minutes).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    /// The full URL the browser was redirected to (`…?code=…&state=…`).
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// The redirect_uri sent in the authorize link; it must match byte for byte [default:
    /// the callback URL's address when registered, else the config's only redirect URI].
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// The state sent in the authorize link: the callback URL's state must equal it.
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,
    #[command(flatten)]
    pub live: LiveOptions,
}

/// `refresh`: exchange the stored refresh token for a new pair (Miro rotates both).
#[derive(Clone, Debug, Args)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub live: LiveOptions,
}

/// `token-info`: the stored token's context (team, user, scopes) from Miro.
#[derive(Clone, Debug, Args)]
pub struct TokenInfoArgs {
    #[command(flatten)]
    pub live: LiveOptions,
}

/// `revoke`: revoke the stored token (and with it its refresh token).
#[derive(Clone, Debug, Args)]
pub struct RevokeArgs {
    /// Use the deprecated v1 endpoint (`POST /v1/oauth/revoke?access_token=…`), which puts
    /// the token in the URL. The default is v2 with a JSON body.
    #[arg(long)]
    pub v1: bool,
    /// Keep the token file (holding the now revoked tokens) instead of deleting it.
    #[arg(long)]
    pub keep: bool,
    #[command(flatten)]
    pub live: LiveOptions,
}

/// What every live command works with.
struct Live {
    config: Config,
    client_id: String,
    endpoints: Endpoints,
    client: MiroClient,
    store: TokenStore,
    show_secrets: bool,
    color: bool,
}

fn load_config(explicit: Option<&std::path::Path>) -> Result<Config> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let env = std::env::var_os("MIRO_OAUTH_CONFIG").filter(|v| !v.is_empty());
    let Some(path) = config::load::discover(explicit, env.as_deref(), &cwd) else {
        bail!(
            "no app config found: looked for {} in {} and its parents (MIRO_OAUTH_CONFIG is not \
             set); live commands need the app's client_id, client_secret_env and redirect_uris: \
             give --config FILE or create miro-oauth.toml with an [app] table",
            config::load::CONFIG_FILE_NAMES.join(", "),
            cwd.display()
        );
    };
    Ok(config::load::load(&path)?)
}

impl Live {
    fn new(opts: &LiveOptions) -> Result<Live> {
        let mut config = load_config(opts.config.as_deref())?;
        let file = config.display_path();
        let client_id = config
            .app
            .client_id
            .as_ref()
            .map(|c| c.value.trim().to_string())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                anyhow!(
                    "{file}: no client_id in [app]; live commands need the app's Client ID \
                     (from the app settings page), e.g. client_id = \"3458764512345678901\""
                )
            })?;
        if let Some(u) = &opts.base_url {
            config.miro.api_url = u.clone();
        }
        if let Some(u) = &opts.auth_url {
            config.miro.auth_url = u.clone();
        }
        let endpoints = Endpoints::checked(&config.miro.auth_url, &config.miro.api_url).map_err(
            |(which, e)| {
                // The flag when given, else the config key (the defaults are valid).
                let (flag, given, key) = match which {
                    EndpointUrl::Auth => ("--auth-url", opts.auth_url.is_some(), "auth_url"),
                    EndpointUrl::Api => ("--base-url", opts.base_url.is_some(), "api_url"),
                };
                let from = if given {
                    flag.to_string()
                } else {
                    format!("[miro] {key} in {file}")
                };
                anyhow!("{from}: {e}")
            },
        )?;
        // Credentials go only to the configured API host; say so when that is not Miro's, so
        // a typo in [miro] or --base-url is seen before a secret leaves (loopback is a
        // local stand-in).
        let api_host = endpoints
            .api_url
            .host_str()
            .unwrap_or("")
            .to_ascii_lowercase();
        if api_host != "api.miro.com" && !endpoints.api_is_loopback() {
            eprintln!(
                "miro-oauth: warning: the client secret and tokens go to {} (not api.miro.com), \
                 as configured",
                endpoints.api_origin()
            );
        }
        let client = MiroClient::new(endpoints.clone())?;
        let path = match &opts.token_file {
            Some(p) => p.clone(),
            None => store::default_path(&client_id).ok_or_else(|| {
                anyhow!(
                    "cannot find the user's config directory for the token file; give \
                     --token-file PATH"
                )
            })?,
        };
        // The diagnosis is coloured like `doctor`'s.
        let color = opts.color.enabled();
        colored::control::set_override(color);
        Ok(Live {
            config,
            client_id,
            endpoints,
            client,
            store: TokenStore::new(path),
            show_secrets: opts.show_secrets,
            color,
        })
    }

    /// The client secret, from the environment variable the config names (`client_secret_env`,
    /// default MIRO_CLIENT_SECRET). An inline `client_secret` is used as a last resort, with a
    /// warning (the spec allows it; `config-secret-inline` flags it).
    fn secret(&self) -> Result<String> {
        let app = &self.config.app;
        let var = app
            .client_secret_env
            .as_ref()
            .map(|v| v.value.trim().to_string())
            .filter(|v| !v.is_empty());
        let named = var.is_some();
        let var = var.unwrap_or_else(|| DEFAULT_SECRET_ENV.to_string());
        if let Some(v) = std::env::var_os(&var).filter(|v| !v.is_empty()) {
            return v.into_string().map_err(|_| {
                anyhow!("the environment variable {var} is not valid UTF-8; expected the app's Client secret")
            });
        }
        if let Some(inline) = app.client_secret.as_ref().filter(|s| !s.value.is_empty()) {
            eprintln!(
                "miro-oauth: warning: {var} is not set; using the client_secret written in {} \
                 (move it to the environment: see `miro-oauth explain config-secret-inline`)",
                self.config.display_path()
            );
            return Ok(inline.value.clone());
        }
        let why = if named {
            format!(
                "named by client_secret_env in {}",
                self.config.display_path()
            )
        } else {
            format!(
                "the default, as {} has no client_secret_env",
                self.config.display_path()
            )
        };
        bail!(
            "the client secret is not in the environment: {var} is not set ({why}); expected \
             the app's Client secret from the app settings page, e.g. `export {var}=…`"
        )
    }

    fn mask(&self, kind: SecretKind, value: &str) -> String {
        if self.show_secrets {
            value.to_string()
        } else {
            secret::mask(kind, value)
        }
    }

    fn lock(&self) -> Result<StoreLock> {
        let lock = self.store.lock(LOCK_TIMEOUT)?;
        if let Some(mode) = store::loose_permissions(self.store.path()) {
            eprintln!(
                "miro-oauth: warning: {} has mode {mode:03o}: others can read the tokens; \
                 expected 600 (it is rewritten with 600 on the next save)",
                self.store.path().display()
            );
        }
        Ok(lock)
    }

    /// Loads the stored tokens under the lock; exit 2 when there are none or they belong to
    /// another app.
    fn load(&self, lock: &StoreLock) -> Result<StoredToken> {
        let loaded = lock.load()?;
        if let Some(p) = &loaded.recovered {
            eprintln!(
                "miro-oauth: recovered the tokens of an interrupted write ({}) into {}",
                p.display(),
                self.store.path().display()
            );
        }
        let Some(token) = loaded.token else {
            bail!(
                "{}: no stored tokens; expected the file written by `miro-oauth login` or \
                 `miro-oauth exchange` (run one of them first, or give --token-file PATH)",
                self.store.path().display()
            );
        };
        if token.client_id != self.client_id {
            bail!(
                "{}: holds tokens of the app with client_id {}, but the config's client_id is \
                 {}; expected this app's tokens (give --token-file for them)",
                self.store.path().display(),
                token.client_id,
                self.client_id
            );
        }
        Ok(token)
    }

    /// Miro said no: prints the error line and the doctor's diagnosis of the exchange just
    /// made; returns exit code 1.
    fn refused(&self, what: &str, sent: &Sent) -> Result<u8> {
        let flow = Flow {
            inputs: vec![InputInfo {
                index: 0,
                kind: InputKind::Http,
                source: format!("{what}, as sent"),
                har: None,
            }],
            exchanges: vec![Exchange {
                input: 0,
                entry: None,
                started: Some(jiff::Timestamp::now()),
                request: sent.request.clone(),
                response: Some(sent.response.clone()),
            }],
        };
        let options = Options {
            show_secrets: self.show_secrets,
            ..Options::default()
        };
        let report = crate::doctor(&flow, Some(&self.config), &options);
        let mut line = sent.error_line();
        if !self.show_secrets {
            line = Secrets::from_flow(&flow).scrub(&line);
        }
        eprintln!("miro-oauth: Miro refused {what}: {line}");
        let mut out = render::stdout();
        if report.findings.is_empty() {
            writeln!(
                out,
                "No rule explains this answer; `miro-oauth explain miro-error-explained` lists \
                 Miro's known errors."
            )?;
        } else {
            render::human::render(&report, RenderOptions { color: self.color }, &mut out)?;
        }
        out.flush()?;
        Ok(EXIT_REFUSED)
    }

    /// The record for a fresh token response (keeping what a refresh answer leaves out).
    fn record(&self, t: &TokenResponse, previous: Option<&StoredToken>) -> StoredToken {
        let now = jiff::Timestamp::now();
        let now = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
        let expires_at = t
            .expires_in
            .and_then(|s| now.checked_add(jiff::SignedDuration::from_secs(s)).ok())
            .map(|ts| ts.to_string());
        StoredToken {
            version: store::VERSION,
            generation: previous.map_or(1, |p| p.generation + 1),
            client_id: self.client_id.clone(),
            api_url: self.endpoints.api_url.to_string(),
            token_type: t.token_type.clone(),
            access_token: t.access_token.clone(),
            refresh_token: t.refresh_token.clone(),
            expires_at,
            scope: t
                .scope
                .clone()
                .or_else(|| previous.and_then(|p| p.scope.clone())),
            team_id: t
                .team_id
                .clone()
                .or_else(|| previous.and_then(|p| p.team_id.clone())),
            user_id: t
                .user_id
                .clone()
                .or_else(|| previous.and_then(|p| p.user_id.clone())),
            obtained_at: now.to_string(),
        }
    }

    /// The token context, for names in the summary; `None` when Miro does not answer 200.
    fn context(&self, access_token: &str) -> Option<TokenContext> {
        let sent = self.client.token_info(access_token).ok()?;
        if !sent.ok() {
            return None;
        }
        Some(TokenContext::parse(&sent.json()?))
    }

    fn configured_scopes(&self) -> Vec<String> {
        self.config
            .app
            .scopes
            .iter()
            .map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Prints what was obtained: team, user, scopes, masked tokens, expiry, store path.
    fn summary(&self, t: &StoredToken, ctx: Option<&TokenContext>) -> Result<()> {
        let mut out = render::stdout();
        let team = ctx
            .map(|c| c.team.clone())
            .filter(|e| e.id.is_some() || e.name.is_some())
            .map(|e| e.describe())
            .or_else(|| t.team_id.clone())
            .unwrap_or_else(|| "unknown".into());
        let user = ctx
            .map(|c| c.user.clone())
            .filter(|e| e.id.is_some() || e.name.is_some())
            .map(|e| e.describe())
            .or_else(|| t.user_id.clone())
            .unwrap_or_else(|| "unknown".into());
        let granted = granted_scopes(t, ctx);
        writeln!(out, "Team:          {team}")?;
        writeln!(out, "User:          {user}")?;
        writeln!(out, "Scopes:        {}", join_or_none(&granted))?;
        writeln!(
            out,
            "Access token:  {}{}",
            self.mask(SecretKind::AccessToken, &t.access_token),
            expiry_text(t)
        )?;
        match &t.refresh_token {
            Some(r) => writeln!(
                out,
                "Refresh token: {} (rotates on every refresh)",
                self.mask(SecretKind::RefreshToken, r)
            )?,
            None => writeln!(
                out,
                "Refresh token: none (the app uses non-expiring tokens)"
            )?,
        }
        writeln!(out, "Stored in:     {}", self.store.path().display())?;
        self.scope_gap(&mut out, &granted)?;
        out.flush()?;
        Ok(())
    }

    /// Says which configured scopes the token lacks (and which it has beyond the config).
    fn scope_gap(&self, out: &mut dyn Write, granted: &[String]) -> Result<()> {
        let configured = self.configured_scopes();
        if configured.is_empty() || granted.is_empty() {
            return Ok(());
        }
        let missing = scope_difference(&configured, granted);
        let extra = scope_difference(granted, &configured);
        if missing.is_empty() {
            writeln!(
                out,
                "All {} configured scopes are granted.",
                configured.len()
            )?;
        } else {
            writeln!(
                out,
                "Missing scopes: {} (configured in {} but not granted to this token; a token \
                 keeps the scopes of its authorization: enable them in the app settings, then \
                 run `miro-oauth login` again)",
                missing.join(" "),
                self.config.display_path()
            )?;
        }
        if !extra.is_empty() {
            writeln!(
                out,
                "Not in the config: {} (granted, but missing from the config's scopes)",
                extra.join(" ")
            )?;
        }
        Ok(())
    }

    /// Exchanges a code and stores the pair. `Err` only for exit-2 failures.
    fn exchange_and_store(
        &self,
        secret: &str,
        code: &str,
        redirect_uri: &str,
    ) -> Result<Exchanged> {
        let sent = self
            .client
            .exchange_code(&self.client_id, secret, code, redirect_uri)?;
        if !sent.ok() {
            return Ok(Exchanged::Refused(Box::new(sent)));
        }
        let tokens = parse_tokens(&sent)?;
        let lock = self.lock()?;
        let previous = lock.load().ok().and_then(|l| l.token);
        let record = self.record(&tokens, previous.as_ref());
        lock.save(&record)?;
        drop(lock);
        let ctx = self.context(&record.access_token);
        Ok(Exchanged::Stored(Box::new((record, ctx))))
    }
}

enum Exchanged {
    Stored(Box<(StoredToken, Option<TokenContext>)>),
    Refused(Box<Sent>),
}

fn parse_tokens(sent: &Sent) -> Result<TokenResponse> {
    sent.json()
        .as_ref()
        .and_then(TokenResponse::parse)
        .ok_or_else(|| {
            anyhow!(
                "{}: answered {} without an access_token; expected Miro's token JSON with \
                 access_token, refresh_token, expires_in, scope, team_id and user_id",
                sent.request.url,
                sent.response.status
            )
        })
}

fn join_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none reported".to_string()
    } else {
        v.join(" ")
    }
}

fn granted_scopes(t: &StoredToken, ctx: Option<&TokenContext>) -> Vec<String> {
    ctx.and_then(|c| c.scopes.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| t.scopes())
}

/// Scope spelling for comparison: the cases scope is spelled two ways (facts §17).
fn scope_key(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    if s == "organizations:cases:management" {
        "organization:cases:management".to_string()
    } else {
        s
    }
}

/// The scopes of `a` not in `b`.
pub fn scope_difference(a: &[String], b: &[String]) -> Vec<String> {
    let b: Vec<String> = b.iter().map(|s| scope_key(s)).collect();
    a.iter()
        .filter(|s| !b.contains(&scope_key(s)))
        .cloned()
        .collect()
}

fn expiry_text(t: &StoredToken) -> String {
    let Some(exp) = t.expires() else {
        return String::new();
    };
    let left = exp.as_second() - jiff::Timestamp::now().as_second();
    if left <= 0 {
        format!(", expired at {exp} (run `miro-oauth refresh`)")
    } else {
        format!(", expires {exp} (in {} min)", (left + 59) / 60)
    }
}

/// A fresh `state`: 32 random bytes, base64url (facts §2: returned unchanged on the callback).
fn random_state() -> Result<String> {
    random_state_with(getrandom::fill)
}

/// [`random_state`] with the random source passed in (a test injects a failing one: the OS
/// source cannot be taken away).
fn random_state_with(
    fill: impl FnOnce(&mut [u8]) -> Result<(), getrandom::Error>,
) -> Result<String> {
    let mut buf = [0u8; 32];
    fill(&mut buf).map_err(|e| anyhow!("cannot get random bytes for state: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

fn registered(config: &Config) -> Vec<String> {
    config
        .app
        .redirect_uris
        .iter()
        .map(|r| r.value.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect()
}

/// Warns when a redirect URI is not among the config's (Miro then answers "Redirect URI
/// mismatch.", facts §4.4).
fn warn_unregistered(config: &Config, uri: &str) {
    let list = registered(config);
    if !list.is_empty() && !list.iter().any(|r| r == uri) {
        eprintln!(
            "miro-oauth: warning: {uri} is not among the redirect_uris of {} ({}); Miro accepts \
             only a URI registered in the app settings, byte for byte",
            config.display_path(),
            list.join(", ")
        );
    }
}

/// For a URL given without its scheme (`localhost:3000/cb`, `127.0.0.1:3000/cb`,
/// `app.example.com/cb`), the URL that was probably meant: `http://` in front for a loopback
/// host, `https://` for another. The URL parser reads `localhost:` in the first as a scheme
/// (and then finds no host) and refuses the others as relative.
fn with_missing_scheme(text: &str) -> Option<String> {
    let t = text.trim();
    if t.contains("://") || t.starts_with(['/', '?', '#']) {
        return None;
    }
    match Url::parse(t) {
        Err(url::ParseError::RelativeUrlWithoutBase) => {}
        // `localhost:3000/…`: the host taken as the scheme, the port as the path.
        Ok(u) if u.cannot_be_a_base() && u.path().starts_with(|c: char| c.is_ascii_digit()) => {}
        _ => return None,
    }
    let url = Url::parse(&format!("http://{t}")).ok()?;
    let host = url.host()?;
    let hostlike = url.port().is_some()
        || is_loopback(&host)
        || !matches!(host, Host::Domain(d) if !d.contains('.'));
    if !hostlike {
        return None;
    }
    let scheme = if is_loopback(&host) { "http" } else { "https" };
    Some(format!("{scheme}://{t}"))
}

/// Refuses a URL flag given without its scheme, saying what was meant.
fn require_scheme(flag: &str, text: &str) -> Result<()> {
    match with_missing_scheme(text) {
        Some(meant) => bail!(
            "{flag} {text}: the scheme is missing (the URL parser finds no host in it); \
             expected an absolute URL such as {meant}"
        ),
        None => Ok(()),
    }
}

/// The loopback redirect URI `login` listens on.
fn login_redirect(config: &Config, flag: Option<&str>) -> Result<Url> {
    if let Some(uri) = flag {
        require_scheme("--redirect-uri", uri)?;
        warn_unregistered(config, uri);
        return Url::parse(uri).map_err(|e| {
            anyhow!("--redirect-uri {uri}: {e}; expected e.g. http://localhost:3000/callback")
        });
    }
    let list = registered(config);
    list.iter()
        .filter_map(|r| Url::parse(r).ok())
        .find(|u| u.scheme() == "http" && u.host().is_some_and(|h| is_loopback(&h)))
        .ok_or_else(|| {
            anyhow!(
                "{}: no loopback redirect URI in redirect_uris ({}); `login` listens on one: \
                 register e.g. http://localhost:3000/callback in the app settings, add it to \
                 redirect_uris, or give --redirect-uri",
                config.display_path(),
                if list.is_empty() {
                    "none".to_string()
                } else {
                    list.join(", ")
                }
            )
        })
}

/// The exact redirect URI string to send: a URL parsed by `url` may have gained a `/`, so
/// the registered spelling wins when it denotes the same URL.
fn spelled(config: &Config, url: &Url) -> String {
    registered(config)
        .into_iter()
        .find(|r| Url::parse(r).ok().as_ref() == Some(url))
        .unwrap_or_else(|| url.to_string())
}

/// The redirect URI for `exchange`.
fn exchange_redirect(
    config: &Config,
    flag: Option<&str>,
    callback: Option<&Url>,
) -> Result<String> {
    if let Some(uri) = flag {
        require_scheme("--redirect-uri", uri)?;
        warn_unregistered(config, uri);
        return Ok(uri.to_string());
    }
    let list = registered(config);
    if let Some(cb) = callback {
        let mut base = cb.clone();
        base.set_query(None);
        base.set_fragment(None);
        let same = |r: &String| {
            Url::parse(r)
                .ok()
                .map(|mut u| {
                    u.set_fragment(None);
                    u
                })
                .is_some_and(|u| u == base)
        };
        if let Some(r) = list.iter().find(|r| same(r)) {
            return Ok(r.clone());
        }
        warn_unregistered(config, base.as_str());
        return Ok(base.to_string());
    }
    match list.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "{}: no redirect_uris; expected --redirect-uri with the redirect_uri the authorize \
             link used",
            config.display_path()
        ),
        many => bail!(
            "{}: several redirect_uris ({}); give --redirect-uri with the one the authorize link \
             used (the exchange must send it byte for byte)",
            config.display_path(),
            many.join(", ")
        ),
    }
}

fn verdict_message(v: &Verdict) -> (String, String) {
    match v {
        Verdict::Error { error, description } => {
            let desc = description
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            let hint = if error == "access_denied" {
                "the consent was denied on Miro's screen; run login again and choose Allow"
            } else {
                "Miro did not issue a code; the description says why"
            };
            (
                "Authorization failed".to_string(),
                format!("The callback carried error={error}{desc}: {hint}."),
            )
        }
        Verdict::StateMismatch { received } => (
            "State mismatch".to_string(),
            match received {
                Some(_) => "The callback's state differs from the one this login sent: it \
                            belongs to another login attempt or was forged. The code was not \
                            used; run login again and finish it in this browser tab."
                    .to_string(),
                None => "The callback has no state, but this login sent one: the redirect did \
                         not come from this login attempt. The code was not used."
                    .to_string(),
            },
        ),
        Verdict::NoCode => (
            "No code".to_string(),
            "The callback carries neither a code nor an error; expected Miro's redirect with \
             code and state."
                .to_string(),
        ),
        Verdict::Code(_) => ("Signed in".to_string(), String::new()),
    }
}

/// `miro-oauth login`.
pub fn login(args: &LoginArgs) -> Result<u8> {
    let live = Live::new(&args.live)?;
    // Fail before the browser opens when the exchange could not happen anyway.
    let secret = live.secret()?;
    let redirect = login_redirect(&live.config, args.redirect_uri.as_deref())?;
    let redirect_text = args
        .redirect_uri
        .clone()
        .unwrap_or_else(|| spelled(&live.config, &redirect));
    let server = CallbackServer::bind(&redirect)?;
    let state = random_state()?;
    let link = live.endpoints.authorize_link(
        &live.client_id,
        &redirect_text,
        &state,
        args.team_id.as_deref(),
    );
    {
        let mut out = render::stdout();
        if args.no_browser {
            eprintln!("Open this link in a browser to authorize the app:");
        } else if webbrowser::open(link.as_str()).is_ok() {
            eprintln!("Opened the authorize link in the browser; if no tab appeared, open:");
        } else {
            eprintln!("Could not open a browser; open this link:");
        }
        writeln!(out, "{link}")?;
        out.flush()?;
    }
    eprintln!(
        "Waiting for Miro's redirect to {redirect_text} (up to {}s)…",
        args.timeout
    );
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let Some(callback) = server.wait(deadline) else {
        eprintln!(
            "miro-oauth: no callback arrived on {redirect_text} within {}s; expected the browser \
             to return there after the consent screen (is this URI registered in the app \
             settings? run login again, with a longer --timeout if needed)",
            args.timeout
        );
        return Ok(EXIT_REFUSED);
    };
    let verdict = judge(&callback.params, &state);
    let code = match verdict {
        Verdict::Code(code) => code,
        other => {
            let (title, message) = verdict_message(&other);
            callback.respond(400, &title, &message);
            eprintln!("miro-oauth: {}: {message}", title.to_lowercase());
            return Ok(EXIT_REFUSED);
        }
    };
    if let Some(cid) = callback
        .params
        .client_id
        .as_deref()
        .filter(|c| *c != live.client_id)
    {
        eprintln!(
            "miro-oauth: warning: the callback's client_id {cid} differs from the config's {}",
            live.client_id
        );
    }
    match live.exchange_and_store(&secret, &code, &redirect_text) {
        Ok(Exchanged::Stored(stored)) => {
            let (record, ctx) = *stored;
            let team = ctx
                .as_ref()
                .map(|c| c.team.describe())
                .or_else(|| record.team_id.clone())
                .unwrap_or_else(|| "your team".into());
            callback.respond(
                200,
                "Signed in to Miro",
                &format!("miro-oauth exchanged the code and stored the tokens for team {team}."),
            );
            eprintln!("Signed in.");
            live.summary(&record, ctx.as_ref())?;
            Ok(0)
        }
        Ok(Exchanged::Refused(sent)) => {
            let mut line = sent.error_line();
            if !live.show_secrets {
                line = Secrets::from_flow(&Flow {
                    inputs: vec![],
                    exchanges: vec![Exchange {
                        input: 0,
                        entry: None,
                        started: None,
                        request: sent.request.clone(),
                        response: None,
                    }],
                })
                .scrub(&line);
            }
            callback.respond(
                400,
                "Code exchange failed",
                &format!("Miro refused the code exchange: {line}. The terminal shows why."),
            );
            live.refused("the code exchange", &sent)
        }
        Err(e) => {
            callback.respond(
                500,
                "Code exchange failed",
                "miro-oauth could not complete the code exchange; the terminal shows why.",
            );
            Err(e)
        }
    }
}

/// `miro-oauth exchange`.
pub fn exchange(args: &ExchangeArgs) -> Result<u8> {
    let live = Live::new(&args.live)?;
    let secret = live.secret()?;
    let (code, redirect) = match (&args.code, &args.callback_url) {
        (Some(code), _) => {
            let code = code.trim().to_string();
            if code.is_empty() {
                bail!("--code is empty; expected the code from the callback URL");
            }
            (
                code,
                exchange_redirect(&live.config, args.redirect_uri.as_deref(), None)?,
            )
        }
        (None, Some(u)) => {
            // Not quoted: the URL holds the authorization code.
            if let Some(meant) = with_missing_scheme(u) {
                let path = meant.split(['?', '#']).next().unwrap_or(&meant);
                bail!(
                    "--callback-url: the scheme is missing (the URL parser finds no host in \
                     it); expected the full URL the browser was redirected to, such as \
                     {path}?code=…&state=…"
                );
            }
            let url = Url::parse(u.trim()).map_err(|e| {
                anyhow!(
                    "--callback-url: {e}; expected the full URL the browser was redirected to, \
                     e.g. http://localhost:3000/callback?code=…&state=…"
                )
            })?;
            let params = CallbackParams::from_url(&url);
            let expected = args.state.clone();
            let verdict = match &expected {
                Some(s) => judge(&params, s),
                None => match (&params.error, &params.code) {
                    (Some(_), _) => judge(&params, params.state.as_deref().unwrap_or("")),
                    (None, Some(c)) if !c.is_empty() => Verdict::Code(c.clone()),
                    _ => Verdict::NoCode,
                },
            };
            let code = match verdict {
                Verdict::Code(c) => c,
                Verdict::NoCode => bail!(
                    "--callback-url has no code parameter; expected the URL Miro redirected \
                     to, with code and state"
                ),
                other => {
                    let (title, message) = verdict_message(&other);
                    eprintln!("miro-oauth: {}: {message}", title.to_lowercase());
                    return Ok(EXIT_REFUSED);
                }
            };
            (
                code,
                exchange_redirect(&live.config, args.redirect_uri.as_deref(), Some(&url))?,
            )
        }
        (None, None) => bail!("give --code CODE or --callback-url URL"),
    };
    match live.exchange_and_store(&secret, &code, &redirect)? {
        Exchanged::Stored(stored) => {
            let (record, ctx) = *stored;
            live.summary(&record, ctx.as_ref())?;
            Ok(0)
        }
        Exchanged::Refused(sent) => live.refused("the code exchange", &sent),
    }
}

/// `miro-oauth refresh`.
///
/// Two refreshes never race: the second waits for the lock, and when it finds that the pair
/// changed while it waited (another refresh rotated it), it uses that pair instead of
/// rotating again with a refresh token Miro has just invalidated (facts §5, §18).
pub fn refresh(args: &RefreshArgs) -> Result<u8> {
    let live = Live::new(&args.live)?;
    let secret = live.secret()?;
    let before = live.store.peek().ok().flatten();
    let lock = live.lock()?;
    let current = live.load(&lock)?;
    let changed = before.as_ref().is_some_and(|b| {
        b.obtained_at != current.obtained_at || b.refresh_token != current.refresh_token
    });
    if changed {
        eprintln!(
            "The stored pair changed while this refresh waited (another refresh finished, or an \
             interrupted one was recovered); using it instead of rotating again."
        );
        drop(lock);
        let ctx = live.context(&current.access_token);
        live.summary(&current, ctx.as_ref())?;
        return Ok(0);
    }
    let Some(refresh_token) = current.refresh_token.clone() else {
        bail!(
            "{}: no refresh token is stored; the app uses non-expiring tokens (chosen when the \
             app was created), which need no refresh",
            live.store.path().display()
        );
    };
    let sent = live
        .client
        .refresh(&live.client_id, &secret, &refresh_token)?;
    if !sent.ok() {
        drop(lock);
        return live.refused("the refresh", &sent);
    }
    let tokens = parse_tokens(&sent)?;
    let record = live.record(&tokens, Some(&current));
    lock.save(&record)?;
    drop(lock);
    eprintln!("Refreshed; the previous pair is no longer valid.");
    let ctx = live.context(&record.access_token);
    live.summary(&record, ctx.as_ref())?;
    Ok(0)
}

/// `miro-oauth token-info`.
pub fn token_info(args: &TokenInfoArgs) -> Result<u8> {
    let live = Live::new(&args.live)?;
    let lock = live.lock()?;
    let current = live.load(&lock)?;
    drop(lock);
    let sent = live.client.token_info(&current.access_token)?;
    if !sent.ok() {
        let code = live.refused("the token-context request", &sent)?;
        let expired = current
            .expires()
            .is_some_and(|e| e <= jiff::Timestamp::now());
        if sent.response.status == 429 {
            // The diagnosis covers rate limits.
        } else if expired {
            eprintln!(
                "miro-oauth: the stored access token expired at {}; run `miro-oauth refresh`",
                current.expires_at.as_deref().unwrap_or("?")
            );
        } else {
            eprintln!(
                "miro-oauth: Miro no longer accepts the stored access token although it has not \
                 expired: it was revoked, the app was uninstalled from the team, or a refresh \
                 elsewhere replaced it; run `miro-oauth login` for a new one"
            );
        }
        return Ok(code);
    }
    let ctx = sent
        .json()
        .map(|v| TokenContext::parse(&v))
        .ok_or_else(|| {
            anyhow!(
            "{}: answered {} without JSON; expected the token context (type, team, user, scopes)",
            sent.request.url,
            sent.response.status
        )
        })?;
    let mut out = render::stdout();
    writeln!(
        out,
        "Token:         {} ({}){}",
        live.mask(SecretKind::AccessToken, &current.access_token),
        ctx.kind.as_deref().unwrap_or("unknown type"),
        expiry_text(&current)
    )?;
    writeln!(out, "Team:          {}", ctx.team.describe())?;
    writeln!(out, "User:          {}", ctx.user.describe())?;
    if ctx.organization != Default::default() {
        writeln!(out, "Organization:  {}", ctx.organization.describe())?;
    }
    if ctx.created_by != Default::default() {
        writeln!(out, "Created by:    {}", ctx.created_by.describe())?;
    }
    let granted = match &ctx.scopes {
        Some(s) => s.clone(),
        None => {
            writeln!(
                out,
                "Scopes:        not in Miro's answer; the stored grant says: {}",
                join_or_none(&current.scopes())
            )?;
            current.scopes()
        }
    };
    if ctx.scopes.is_some() {
        writeln!(out, "Scopes:        {}", join_or_none(&granted))?;
    }
    live.scope_gap(&mut out, &granted)?;
    out.flush()?;
    Ok(0)
}

/// `miro-oauth revoke`.
pub fn revoke(args: &RevokeArgs) -> Result<u8> {
    let live = Live::new(&args.live)?;
    let secret = if args.v1 { None } else { Some(live.secret()?) };
    let lock = live.lock()?;
    let current = live.load(&lock)?;
    let sent = match &secret {
        None => {
            eprintln!(
                "miro-oauth: warning: v1 revoke (POST /v1/oauth/revoke?access_token=…) is \
                 deprecated by Miro: it puts the access token in the URL, where server and proxy \
                 logs keep it; the default v2 revoke sends it in a JSON body"
            );
            live.client.revoke_v1(&current.access_token)?
        }
        Some(secret) => live
            .client
            .revoke_v2(&current.access_token, &live.client_id, secret)?,
    };
    if !sent.ok() {
        drop(lock);
        return live.refused("the revoke", &sent);
    }
    let mut out = render::stdout();
    writeln!(
        out,
        "Revoked {} (its refresh token too; the app stays installed).",
        live.mask(SecretKind::AccessToken, &current.access_token)
    )?;
    if args.keep {
        writeln!(
            out,
            "Kept {} (--keep); the tokens in it no longer work.",
            live.store.path().display()
        )?;
    } else {
        lock.remove()?;
        writeln!(out, "Removed {}.", live.store.path().display())?;
    }
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn missing_scopes() {
        assert_eq!(
            scope_difference(&s(&["boards:read", "boards:write"]), &s(&["boards:read"])),
            s(&["boards:write"])
        );
        assert!(scope_difference(
            &s(&["organizations:cases:management"]),
            &s(&["organization:cases:management"])
        )
        .is_empty());
    }

    #[test]
    fn state_is_random_and_url_safe() {
        let a = random_state().unwrap();
        let b = random_state().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    /// No random source: the message names what failed and why (as the binary prints it).
    #[test]
    fn state_without_random_source_fails() {
        let e = random_state_with(|_| Err(getrandom::Error::UNSUPPORTED)).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "cannot get random bytes for state: getrandom: this target is not supported"
        );
    }

    #[test]
    fn urls_without_scheme_are_recognised() {
        for (text, meant) in [
            ("localhost:3000/cb", Some("http://localhost:3000/cb")),
            (
                "127.0.0.1:3000/callback",
                Some("http://127.0.0.1:3000/callback"),
            ),
            ("[::1]:8080/cb", Some("http://[::1]:8080/cb")),
            ("localhost/cb", Some("http://localhost/cb")),
            (
                "app.example.com/oauth/cb",
                Some("https://app.example.com/oauth/cb"),
            ),
            (
                "localhost:3000/cb?code=x&state=y",
                Some("http://localhost:3000/cb?code=x&state=y"),
            ),
            // Absolute, relative or custom-scheme URLs are left to the other checks.
            ("http://localhost:3000/cb", None),
            ("/callback", None),
            ("callback", None),
            ("com.example.app:/oauth", None),
            ("myapp:callback", None),
            ("", None),
        ] {
            assert_eq!(with_missing_scheme(text).as_deref(), meant, "{text}");
        }
    }

    #[test]
    fn exchange_redirect_choice() {
        let mut c = Config::empty();
        c.app.redirect_uris = vec![
            crate::config::Located::unplaced("http://localhost:3000".to_string()),
            crate::config::Located::unplaced("https://app.example.com/cb".to_string()),
        ];
        let cb = Url::parse("http://localhost:3000/?code=x&state=y").unwrap();
        // The registered spelling (no trailing slash) wins over the parsed one.
        assert_eq!(
            exchange_redirect(&c, None, Some(&cb)).unwrap(),
            "http://localhost:3000"
        );
        assert!(exchange_redirect(&c, None, None).is_err());
        assert_eq!(
            exchange_redirect(&c, Some("https://app.example.com/cb"), None).unwrap(),
            "https://app.example.com/cb"
        );
    }
}

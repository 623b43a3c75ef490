//! Reads `miro-oauth.toml`, the tool's own config format, into [`Config`]. This file owns the
//! list of accepted keys, their types, and the messages for unknown keys (with did-you-mean),
//! wrong types and syntax errors, plus the line and column of every value.
//!
//! How positions are found: toml 0.8 has no spanned document tree, but its deserializer hands
//! out byte spans through [`toml::Spanned`]. The text is parsed once for syntax only (so the
//! toml crate's own errors are always syntax errors, placed at its span), then deserialized
//! into small span-carrying shapes, each step making the next one safe:
//!
//! 1. top-level keys with their spans, values without (a table made by a dotted key, as in
//!    `app.client_id = "…"`, has no span in toml 0.8, and asking for one fails);
//! 2. the keys of `[app]` and `[miro]` with their spans, values still without: unknown keys
//!    and table values (never valid there) are reported at the key;
//! 3. the same entries with value spans, now that every value is known to have one.
//!
//! Values go through `Item`, which accepts every TOML type and keeps a span for each array
//! element, so a wrong type becomes one of our messages rather than serde's.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::{AppConfig, Config, ConfigFormat, LineIndex, Located, MiroConfig};
use crate::error::{ConfigError, Position};

/// The keys accepted in `[app]`, in the order messages list them.
///
/// All but `sdk_uri` are the CLI spec's contract. `sdk_uri` is the manifest's `sdkUri`: it
/// is accepted so that everything a manifest can say can also be said in TOML (the
/// `config-sdk-uri-insecure` rule reads it).
pub const APP_KEYS: &[&str] = &[
    "client_id",
    "client_secret_env",
    "client_secret",
    "redirect_uris",
    "sdk_redirect_uri",
    "scopes",
    "expiring_tokens",
    "uses_web_sdk",
    "sdk_uri",
];

/// The keys accepted in the optional `[miro]` table.
pub const MIRO_KEYS: &[&str] = &["auth_url", "api_url"];

/// The tables accepted at the top level.
pub const TABLES: &[&str] = &["app", "miro"];

/// Parses `miro-oauth.toml` text; `path` is used in messages and stored in
/// [`Config::path`].
///
/// Every key of `[app]` is optional (rules that need a missing key are skipped), but the
/// `[app]` table itself is required. An empty `sdk_redirect_uri` or `sdk_uri` means none,
/// as `""` does in the manifest. When `uses_web_sdk` is absent and `sdk_uri` is set,
/// `uses_web_sdk` is taken as true (placed at `sdk_uri`), as for a manifest.
pub fn parse_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = FileCtx {
        text,
        path,
        lines: LineIndex::new(text),
    };

    // Syntax first: this is the only error that can come from the toml crate itself.
    if let Err(err) = toml::from_str::<toml::Table>(text) {
        return Err(file.syntax_error(&err));
    }

    // Step 1 (see the module docs): top-level keys, values without spans.
    let top = toml::from_str::<Entries<Item>>(text)
        .map_err(|err| file.syntax_error(&err))?
        .0;
    if top.is_empty() {
        return Err(file.semantic(
            "the config is empty: expected an [app] table with client_id, redirect_uris and scopes",
        ));
    }
    let mut has_app = false;
    for (key, value) in sorted(top) {
        let name = key.get_ref().as_str();
        let at_key = key.span().start;
        match (name, &value) {
            ("app", Item::Table) => has_app = true,
            ("miro", Item::Table) => {}
            ("app" | "miro", Item::Array(_)) if value.is_array_of_tables() => {
                return Err(file.at(
                    at_key,
                    format!(
                        "found an array of tables [[{name}]]: expected a single [{name}] table"
                    ),
                ));
            }
            ("app" | "miro", other) => {
                return Err(file.at(
                    at_key,
                    format!(
                        "`{name}` is {}: expected a table, written [{name}] on its own line",
                        other.describe()
                    ),
                ));
            }
            (_, other) => {
                let is_table = matches!(other, Item::Table) || other.is_array_of_tables();
                return Err(file.at(at_key, unknown_top_level(name, is_table)));
            }
        }
    }
    if !has_app {
        return Err(file.semantic(
            "no [app] table: expected an [app] table with client_id, redirect_uris and scopes",
        ));
    }

    // Step 2: keys of [app] and [miro], values without spans.
    let shapes: Sections<Item> = toml::from_str(text).map_err(|err| file.syntax_error(&err))?;
    let tables = [
        ("app", APP_KEYS, shapes.app),
        ("miro", MIRO_KEYS, shapes.miro),
    ];
    for (table, keys, entries) in tables {
        for (key, value) in sorted(entries.map(|e| e.0).unwrap_or_default()) {
            let name = key.get_ref().as_str();
            if !keys.contains(&name) {
                return Err(file.at(key.span().start, unknown_key_in(name, table)));
            }
            if let Item::Table = value {
                return Err(file.at(
                    key.span().start,
                    format!("`{name}` is a table: expected {}", expected_kind(name)),
                ));
            }
        }
    }

    // Step 3: every value left has a span.
    let sections: Sections<Spanned<Item>> =
        toml::from_str(text).map_err(|err| file.syntax_error(&err))?;
    let mut app = AppConfig::default();
    for (key, value) in sorted(sections.app.map(|e| e.0).unwrap_or_default()) {
        file.app_entry(&mut app, &key, value)?;
    }
    if app.uses_web_sdk.is_none() {
        if let Some(sdk_uri) = &app.sdk_uri {
            app.uses_web_sdk = Some(Located {
                value: true,
                line: sdk_uri.line,
                column: sdk_uri.column,
            });
        }
    }

    let mut miro = MiroConfig::default();
    for (key, value) in sorted(sections.miro.map(|e| e.0).unwrap_or_default()) {
        file.miro_entry(&mut miro, &key, value)?;
    }

    Ok(Config {
        path: Some(path.to_path_buf()),
        format: ConfigFormat::Toml,
        app,
        miro,
    })
}

/// The text and path being parsed, for turning spans into errors and positions.
struct FileCtx<'a> {
    text: &'a str,
    path: &'a Path,
    /// Positions of spans (one lookup per value: see [`LineIndex`]).
    lines: LineIndex<'a>,
}

impl FileCtx<'_> {
    fn position(&self, offset: usize) -> Position {
        self.lines.position(offset)
    }

    fn located<T>(&self, value: T, offset: usize) -> Located<T> {
        let p = self.position(offset);
        Located {
            value,
            line: p.line,
            column: p.column,
        }
    }

    fn at(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.display().to_string(),
            position: self.position(offset),
            message: message.into(),
        }
    }

    fn semantic(&self, message: impl Into<String>) -> ConfigError {
        ConfigError::Semantic {
            path: self.path.display().to_string(),
            message: message.into(),
        }
    }

    /// A toml error as one readable line at the toml error's position: the common unclear
    /// messages of the toml crate in plain words (see [`plain_syntax_message`]), the others
    /// as the crate words them.
    fn syntax_error(&self, err: &toml::de::Error) -> ConfigError {
        let offset = err.span().map(|s| s.start).unwrap_or(0);
        let raw = one_line(err.message());
        if raw.contains("too large to fit") {
            if let Some(message) = self.large_integer_message(offset) {
                return self.at(offset, message);
            }
        }
        let message = plain_syntax_message(&raw, self.text, offset).unwrap_or(raw);
        self.at(offset, message)
    }

    /// `client_id = 99999999999999999999` fails inside the toml parser; say what to do.
    fn large_integer_message(&self, offset: usize) -> Option<String> {
        let line_start = self.text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = self
            .text
            .get(offset..)?
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = self.text.get(line_start..line_end)?;
        let (key, value) = line.split_once('=')?;
        let key = key.trim().trim_matches('"');
        let key = key.rsplit('.').next().unwrap_or(key).trim();
        let digits: String = value
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '_')
            .filter(char::is_ascii_digit)
            .collect();
        if key != "client_id" || digits.is_empty() {
            return None;
        }
        // A hostile file may hold a megabyte of digits: show the start of them.
        let digits = shown(&digits);
        Some(format!(
            "client_id {digits} is too large for a toml integer (toml integers are signed \
             64-bit, and many 19-digit Miro client ids overflow): expected a quoted string, \
             client_id = \"{digits}\""
        ))
    }

    fn app_entry(
        &self,
        app: &mut AppConfig,
        key: &Spanned<String>,
        value: Spanned<Item>,
    ) -> Result<(), ConfigError> {
        let name = key.get_ref().as_str();
        match name {
            "client_id" => app.client_id = Some(self.client_id(value)?),
            "client_secret_env" => app.client_secret_env = Some(self.string(name, value)?),
            "client_secret" => app.client_secret = Some(self.string(name, value)?),
            "redirect_uris" => app.redirect_uris = self.strings(name, value)?,
            "sdk_redirect_uri" => app.sdk_redirect_uri = non_empty(self.string(name, value)?),
            "scopes" => app.scopes = self.strings(name, value)?,
            "expiring_tokens" => app.expiring_tokens = Some(self.boolean(name, value)?),
            "uses_web_sdk" => app.uses_web_sdk = Some(self.boolean(name, value)?),
            "sdk_uri" => app.sdk_uri = non_empty(self.string(name, value)?),
            _ => return Err(self.at(key.span().start, unknown_key_in(name, "app"))),
        }
        Ok(())
    }

    fn miro_entry(
        &self,
        miro: &mut MiroConfig,
        key: &Spanned<String>,
        value: Spanned<Item>,
    ) -> Result<(), ConfigError> {
        let name = key.get_ref().as_str();
        let slot = match name {
            "auth_url" => &mut miro.auth_url,
            "api_url" => &mut miro.api_url,
            _ => return Err(self.at(key.span().start, unknown_key_in(name, "miro"))),
        };
        let start = value.span().start;
        let url = self.string(name, value)?.value;
        // MiroConfig keeps no positions, so a bad URL must be caught here to be placed.
        match url::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => {}
            _ => {
                return Err(self.at(
                    start,
                    format!(
                        "`{name}` is the string {}: expected an absolute http(s) url such as {}",
                        quote(&url),
                        default_url(name)
                    ),
                ))
            }
        }
        *slot = url;
        Ok(())
    }

    fn client_id(&self, value: Spanned<Item>) -> Result<Located<String>, ConfigError> {
        let start = value.span().start;
        match value.into_inner() {
            Item::String(s) => Ok(self.located(s, start)),
            Item::Integer(n) => Err(self.at(
                start,
                format!(
                    "`client_id` is the integer {n}: expected a quoted string, \
                     client_id = \"{n}\" (toml integers are signed 64-bit, and many 19-digit \
                     Miro client ids overflow them)"
                ),
            )),
            other => Err(self.at(
                start,
                format!(
                    "`client_id` is {}: expected a quoted string such as \
                     client_id = \"3458764512345678901\"",
                    other.describe()
                ),
            )),
        }
    }

    fn string(&self, name: &str, value: Spanned<Item>) -> Result<Located<String>, ConfigError> {
        let start = value.span().start;
        match value.into_inner() {
            Item::String(s) => Ok(self.located(s, start)),
            other => {
                // A mistyped secret is still a secret: name its type, not its value.
                let found = if name == "client_secret" {
                    other.kind().to_string()
                } else {
                    other.describe()
                };
                Err(self.at(
                    start,
                    format!("`{name}` is {found}: expected a quoted string"),
                ))
            }
        }
    }

    fn strings(
        &self,
        name: &str,
        value: Spanned<Item>,
    ) -> Result<Vec<Located<String>>, ConfigError> {
        let start = value.span().start;
        match value.into_inner() {
            Item::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let start = item.span().start;
                    match item.into_inner() {
                        Item::String(s) => Ok(self.located(s, start)),
                        other => Err(self.at(
                            start,
                            format!(
                                "item {} of `{name}` is {}: expected a list of strings",
                                i + 1,
                                other.describe()
                            ),
                        )),
                    }
                })
                .collect(),
            Item::String(s) => Err(self.at(
                start,
                format!(
                    "`{name}` is a single string: expected a list of strings, {name} = [{}]",
                    quote(&s)
                ),
            )),
            other => Err(self.at(
                start,
                format!(
                    "`{name}` is {}: expected a list of strings",
                    other.describe()
                ),
            )),
        }
    }

    fn boolean(&self, name: &str, value: Spanned<Item>) -> Result<Located<bool>, ConfigError> {
        let start = value.span().start;
        match value.into_inner() {
            Item::Boolean(b) => Ok(self.located(b, start)),
            Item::String(s) if matches!(s.as_str(), "true" | "false") => Err(self.at(
                start,
                format!("`{name}` is the string \"{s}\": expected true or false, without quotes"),
            )),
            other => Err(self.at(
                start,
                format!("`{name}` is {}: expected true or false", other.describe()),
            )),
        }
    }
}

/// The default URL for a `[miro]` key, for messages.
fn default_url(key: &str) -> String {
    let d = MiroConfig::default();
    if key == "api_url" {
        d.api_url
    } else {
        d.auth_url
    }
}

/// Entries sorted by the key's position, so that the first problem in the file is the one
/// reported.
fn sorted<V>(mut entries: Vec<(Spanned<String>, V)>) -> Vec<(Spanned<String>, V)> {
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

fn non_empty(value: Located<String>) -> Option<Located<String>> {
    (!value.value.is_empty()).then_some(value)
}

/// A key or number for a message, shortened when long (a hostile file may hold a key of a
/// megabyte, which the message would otherwise repeat whole).
fn shown(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        cut + "..."
    } else {
        s.to_string()
    }
}

/// A string quoted for a message, shortened when long.
fn quote(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("{:?}", cut + "…")
    } else {
        format!("{s:?}")
    }
}

/// Joins a multi-line toml message into one line with a lower-case start.
fn one_line(message: &str) -> String {
    let joined = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid toml".to_string(),
    }
}

/// The toml crate's unclear syntax messages (after [`one_line`]) in plain words, saying what
/// is wrong and what was expected; `offset` is the error's position in `text`. `None` for a
/// message that is clear as it is.
///
/// toml 0.8 says "invalid basic string" both for a string left open at the end of its line
/// and for a control character inside one; its position tells them apart (the line's end,
/// or the character). At the end of the text after `key =` its message is empty.
fn plain_syntax_message(raw: &str, text: &str, offset: usize) -> Option<String> {
    let next = text.as_bytes().get(offset).copied();
    let at_line_end = matches!(next, None | Some(b'\n' | b'\r'));
    let after_equals = text
        .get(..offset)
        .is_some_and(|before| before.trim_end().ends_with('='));
    let value = "a quoted string (\"…\"), true or false, a number, an array [ … ] or an inline \
                 table { … }";
    let message = match raw {
        "invalid basic string" | "invalid literal string" => {
            let quote = if raw == "invalid basic string" {
                '"'
            } else {
                '\''
            };
            if at_line_end {
                format!(
                    "unterminated string: expected a closing `{quote}` before the end of the line"
                )
            } else {
                control_character_message(quote)
            }
        }
        "invalid multiline basic string" | "invalid multiline literal string" => {
            let (quote, quotes) = if raw == "invalid multiline basic string" {
                ('"', "\"\"\"")
            } else {
                ('\'', "'''")
            };
            if next.is_none() {
                format!(
                    "unterminated multi-line string: expected a closing `{quotes}` before the \
                     end of the file"
                )
            } else {
                control_character_message(quote)
            }
        }
        "invalid string; expected `\"`, `'`" if at_line_end || next == Some(b'#') => {
            format!("missing value: expected {value} after `=`")
        }
        "invalid toml" if after_equals => format!("missing value: expected {value} after `=`"),
        "invalid string; expected `\"`, `'`" => {
            format!("invalid value: expected {value} (text must be quoted)")
        }
        "invalid array; expected `]`" => "invalid array: expected values separated by `,` \
                                          and a closing `]` (text values must be quoted)"
            .to_string(),
        "invalid inline table; expected `}`" => "invalid inline table: expected `key = value` \
                                                 pairs separated by `,` and a closing `}` on \
                                                 the same line (no `,` after the last pair)"
            .to_string(),
        "invalid table header" | "invalid table header; expected `.`, `]`" => {
            "invalid table header: expected a table name closed by `]` on the same line, as in \
             [app]"
                .to_string()
        }
        "invalid table header; expected `.`, `]]`" => {
            "invalid array-of-tables header: expected a name closed by `]]` on the same line"
                .to_string()
        }
        "expected `.`, `=`" => {
            "expected `=` after the key, as in key = \"value\" (a key with spaces must be quoted)"
                .to_string()
        }
        "expected newline, `#`" => "unexpected text after the value: expected the end of the \
                                    line or a `#` comment (one key = value per line)"
            .to_string(),
        "invalid key" => "invalid key: expected a key name (letters, digits, `_` and `-`, or a \
                          quoted string) before `=`"
            .to_string(),
        _ if raw.starts_with("duplicate key ") => {
            format!("{raw}: expected each key once per table")
        }
        _ if raw.starts_with("invalid table header; duplicate key ") => format!(
            "table defined twice ({}): expected each table header once",
            &raw["invalid table header; ".len()..]
        ),
        _ => return None,
    };
    Some(message)
}

/// For a control character inside a string.
fn control_character_message(quote: char) -> String {
    let escape = if quote == '"' {
        "write it as an escape such as \\t or \\u0001"
    } else {
        "a '…' string cannot hold one; use a \"…\" string with an escape such as \\u0001"
    };
    format!("control character in a string: expected printable text ({escape})")
}

/// The message for a top-level key that is not `app` or `miro` (`is_table`: it is a table).
fn unknown_top_level(name: &str, is_table: bool) -> String {
    let known = name;
    let name = shown(name);
    if APP_KEYS.contains(&known) {
        return format!("`{name}` is outside any table: expected it under [app]");
    }
    if MIRO_KEYS.contains(&known) {
        return format!("`{name}` is outside any table: expected it under [miro]");
    }
    let found = if is_table {
        format!("unknown table [{name}]")
    } else {
        format!("unknown key `{name}` outside any table")
    };
    match did_you_mean(known, TABLES) {
        Some(s) => {
            format!("{found}; did you mean [{s}]? expected an [app] table and optionally [miro]")
        }
        None => format!("{found}: expected an [app] table and optionally [miro]"),
    }
}

/// What a key's value should be, for messages.
fn expected_kind(name: &str) -> &'static str {
    match name {
        "redirect_uris" | "scopes" => "a list of strings",
        "expiring_tokens" | "uses_web_sdk" => "true or false",
        "auth_url" | "api_url" => "an absolute http(s) url",
        _ => "a quoted string",
    }
}

/// The message for an unknown key in `[app]` or `[miro]`.
fn unknown_key_in(name: &str, table: &str) -> String {
    if table == "app" {
        unknown_key(name, "app", APP_KEYS, &[("miro", MIRO_KEYS)])
    } else {
        unknown_key(name, "miro", MIRO_KEYS, &[("app", APP_KEYS)])
    }
}

/// The message for an unknown key in `[table]`, naming the valid keys, a close match, or the
/// other table the key belongs in.
fn unknown_key(name: &str, table: &str, valid: &[&str], others: &[(&str, &[&str])]) -> String {
    let list = valid.join(", ");
    let known = name;
    let name = shown(name);
    for (other, keys) in others {
        if keys.contains(&known) {
            return format!(
                "`{name}` belongs in [{other}], not [{table}]; valid keys in [{table}]: {list}"
            );
        }
    }
    match did_you_mean(known, valid) {
        Some(s) => {
            format!("unknown key `{name}` in [{table}]; did you mean `{s}`? valid keys: {list}")
        }
        None => format!("unknown key `{name}` in [{table}]; valid keys: {list}"),
    }
}

/// The valid key closest to `name`: the same once case, `_` and `-` are ignored
/// (`redirectUris`, `Client-ID`), or within a small edit distance (`redirect_uri`, `scope`).
pub(crate) fn did_you_mean<'a>(name: &str, valid: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = norm(name);
    if wanted.is_empty() {
        return None;
    }
    let limit = (wanted.len() / 3).max(1);
    valid
        .iter()
        .map(|v| (norm(v), *v))
        // The distance is at least the difference in length: a megabyte-long key need not
        // be compared (a million-by-fifteen table per valid key took seconds).
        .filter(|(n, _)| n.len().abs_diff(wanted.len()) <= limit)
        .map(|(n, v)| (edit_distance(&wanted, &n), v))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, v)| v)
}

/// Levenshtein distance between two char slices.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The `[app]` and `[miro]` tables with spanned keys; everything else is skipped.
#[derive(Deserialize)]
#[serde(bound = "V: Deserialize<'de>")]
struct Sections<V> {
    #[serde(default)]
    app: Option<Entries<V>>,
    #[serde(default)]
    miro: Option<Entries<V>>,
}

/// A table's entries with the spans of their keys (keys parsed from a file always carry
/// spans; values only sometimes, hence `V`).
struct Entries<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    out.push((key, map.next_value::<V>()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

/// Any TOML value, reduced to what the checks need.
#[derive(Debug)]
enum Item {
    String(String),
    Integer(i128),
    Float(f64),
    Boolean(bool),
    Datetime(String),
    Array(Vec<Spanned<Item>>),
    Table,
}

impl Item {
    /// `[[name]]`: a non-empty list of tables.
    fn is_array_of_tables(&self) -> bool {
        match self {
            Item::Array(items) => {
                !items.is_empty() && items.iter().all(|i| matches!(i.get_ref(), Item::Table))
            }
            _ => false,
        }
    }

    /// The type alone, for messages about values that must not be shown.
    fn kind(&self) -> &'static str {
        match self {
            Item::String(_) => "a string",
            Item::Integer(_) => "an integer",
            Item::Float(_) => "a number",
            Item::Boolean(_) => "a boolean",
            Item::Datetime(_) => "a date-time",
            Item::Array(_) => "a list",
            Item::Table => "a table",
        }
    }

    /// What was found, for messages: "the string \"x\"", "the integer 5", "a table".
    fn describe(&self) -> String {
        match self {
            Item::String(s) => format!("the string {}", quote(s)),
            Item::Integer(n) => format!("the integer {n}"),
            Item::Float(x) => format!("the number {x}"),
            Item::Boolean(b) => format!("{b}"),
            Item::Datetime(d) => format!("the date-time {d}"),
            Item::Array(items) if items.is_empty() => "an empty list".to_string(),
            Item::Array(_) => "a list".to_string(),
            Item::Table => "a table".to_string(),
        }
    }
}

/// toml's name for the single field through which it hands a date-time to serde.
const TOML_DATETIME_FIELD: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any toml value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Item, E> {
        Ok(Item::Boolean(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Item, E> {
        Ok(Item::Integer(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Item, E> {
        Ok(Item::Integer(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Item, E> {
        Ok(Item::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
        Ok(Item::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Item, E> {
        Ok(Item::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Item>>()? {
            items.push(item);
        }
        Ok(Item::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        // A date-time arrives as a one-field map; tables have ordinary keys. Keys are read
        // as plain strings because the date-time's field cannot be read as a spanned one.
        let mut first = true;
        while let Some(key) = map.next_key::<String>()? {
            if first && key == TOML_DATETIME_FIELD {
                let text = map.next_value::<String>()?;
                return Ok(Item::Datetime(text));
            }
            first = false;
            map.next_value::<IgnoredAny>()?;
        }
        Ok(Item::Table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_syntax_errors_are_said_in_plain_words() {
        // (third line of an [app] table, line:column, message start). Each is a message of
        // the toml crate that plain_syntax_message rewords: a wording change in the crate
        // makes its case fail here rather than pass the crate's text through silently.
        let cases = [
            ("scopes = [\"boards:read", (3, 23), "unterminated string: expected a closing `\"` before the end of the line"),
            ("scopes = 'boards:read\r\n", (3, 22), "unterminated string: expected a closing `'`"),
            ("scopes = \"a\u{1}b\"", (3, 12), "control character in a string: expected printable text"),
            ("scopes = 'a\u{1}b'", (3, 12), "control character in a string: expected printable text (a '…' string"),
            ("scopes = \"\"\"abc", (3, 16), "unterminated multi-line string: expected a closing `\"\"\"`"),
            ("scopes = '''abc", (3, 16), "unterminated multi-line string: expected a closing `'''`"),
            ("scopes = \"\"\"a\u{1}\"\"\"", (3, 14), "control character in a string"),
            ("scopes = ", (3, 10), "missing value: expected a quoted string"),
            ("scopes = \n", (3, 10), "missing value: expected a quoted string"),
            ("scopes = {a =", (3, 14), "missing value: expected a quoted string"),
            ("scopes = # none", (3, 10), "missing value: expected a quoted string"),
            ("expiring_tokens = yes", (3, 19), "invalid value: expected a quoted string (\"…\"), true or false"),
            ("scopes = [a]", (3, 11), "invalid array: expected values separated by `,` and a closing `]`"),
            ("scopes = {a = 1", (3, 16), "invalid inline table: expected `key = value` pairs"),
            ("[app", (3, 5), "invalid table header: expected a table name closed by `]`"),
            ("[", (3, 1), "invalid table header: expected a table name closed by `]`"),
            ("[[app]", (3, 6), "invalid array-of-tables header: expected a name closed by `]]`"),
            ("sco pes = \"x\"", (3, 5), "expected `=` after the key"),
            ("scopes = \"a\" \"b\"", (3, 14), "unexpected text after the value: expected the end of the line"),
            ("= \"x\"", (3, 1), "invalid key: expected a key name"),
            ("scopes = \"x\"\nscopes = \"y\"", (4, 1), "duplicate key `scopes` in table `app`: expected each key once per table"),
            ("[app]", (3, 1), "table defined twice (duplicate key `app` in document root): expected each table header once"),
        ];
        for (line, (l, c), want) in cases {
            let text = format!("[app]\nclient_id = \"3458764512345678901\"\n{line}");
            let err = parse_toml(&text, Path::new("m.toml"))
                .unwrap_err()
                .to_string();
            let want = format!("m.toml:{l}:{c}: {want}");
            assert!(
                err.starts_with(&want),
                "{line:?}:\n  got  {err}\n  want {want}"
            );
        }
    }

    #[test]
    fn many_values_are_placed_in_linear_time() {
        // 100,000 redirect URIs, each placed: a rescan per value was quadratic (minutes).
        let uris: String = (0..100_000)
            .map(|i| format!("  \"https://x{i}.example.com/cb\",\n"))
            .collect();
        let text = format!("[app]\nredirect_uris = [\n{uris}]\n");
        let config = parse_toml(&text, Path::new("m.toml")).unwrap();
        let last = &config.app.redirect_uris[99_999];
        assert_eq!((last.line, last.column), (100_002, 3));
    }

    /// Step 3 on text that skipped step 2's key check: each entry of `[app]` and `[miro]`
    /// through `app_entry` / `miro_entry`, the first error if any.
    fn entries(text: &str) -> Result<(), ConfigError> {
        let file = FileCtx {
            text,
            path: Path::new("m.toml"),
            lines: LineIndex::new(text),
        };
        let sections: Sections<Spanned<Item>> = toml::from_str(text).unwrap();
        let mut app = AppConfig::default();
        for (key, value) in sorted(sections.app.map(|e| e.0).unwrap_or_default()) {
            file.app_entry(&mut app, &key, value)?;
        }
        let mut miro = MiroConfig::default();
        for (key, value) in sorted(sections.miro.map(|e| e.0).unwrap_or_default()) {
            file.miro_entry(&mut miro, &key, value)?;
        }
        Ok(())
    }

    /// `parse_toml` rejects unknown keys in step 2, before `app_entry` and `miro_entry` see
    /// them; their own fallbacks say the same, at the same place, should a key ever reach
    /// them (a key added to APP_KEYS or MIRO_KEYS but not handled there).
    #[test]
    fn entry_fallbacks_reject_unknown_keys() {
        for (text, expected) in [
            (
                "[app]\nclient_id = \"1\"\nredirect_uri = [\"https://a.example/cb\"]\n",
                "m.toml:3:1: unknown key `redirect_uri` in [app]; did you mean `redirect_uris`? valid keys: client_id, client_secret_env, client_secret, redirect_uris, sdk_redirect_uri, scopes, expiring_tokens, uses_web_sdk, sdk_uri",
            ),
            (
                "[app]\nclient_id = \"1\"\n[miro]\napi_url = \"https://api.miro.com\"\n  client_id = \"2\"\n",
                "m.toml:5:3: `client_id` belongs in [app], not [miro]; valid keys in [miro]: auth_url, api_url",
            ),
        ] {
            assert_eq!(entries(text).unwrap_err().to_string(), expected);
            let via_parse = parse_toml(text, Path::new("m.toml")).unwrap_err();
            assert_eq!(via_parse.to_string(), expected);
        }
    }

    /// Every key step 2 lets through is one `app_entry` / `miro_entry` handle.
    #[test]
    fn entries_handle_every_accepted_key() {
        let value = |key: &str| match key {
            "redirect_uris" | "scopes" => "[\"https://a.example/cb\"]",
            "expiring_tokens" | "uses_web_sdk" => "true",
            "auth_url" | "api_url" => "\"https://api.miro.com\"",
            "client_id" => "\"3458764512345678901\"",
            _ => "\"https://a.example/x\"",
        };
        let app: String = APP_KEYS
            .iter()
            .map(|k| format!("{k} = {}\n", value(k)))
            .collect();
        let miro: String = MIRO_KEYS
            .iter()
            .map(|k| format!("{k} = {}\n", value(k)))
            .collect();
        entries(&format!("[app]\n{app}[miro]\n{miro}")).unwrap();
    }

    #[test]
    fn long_keys_are_shortened_in_messages() {
        let key = "k".repeat(1_000_000);
        for text in [format!("[app]\n{key} = 1\n"), format!("[{key}]\n")] {
            let err = parse_toml(&text, Path::new("m.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.len() < 400, "{} bytes", err.len());
            assert!(err.contains(&format!("{}...", "k".repeat(60))), "{err}");
        }
        assert_eq!(did_you_mean(&key, APP_KEYS), None);
        assert_eq!(
            did_you_mean("redirect_uri", APP_KEYS),
            Some("redirect_uris")
        );
    }
}

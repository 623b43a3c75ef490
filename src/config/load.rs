//! Finding and reading the config: discovery (`--config`, `MIRO_OAUTH_CONFIG`, then a search
//! up from the current directory), reading the file (I/O and UTF-8 errors), and telling
//! `miro-oauth.toml` from Miro's app manifest YAML by content before handing the text to
//! [`parse_toml`] or [`parse_manifest`].

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::manifest::{parse_manifest, too_many_flow_openers, MANIFEST_KEYS};
use super::toml::{parse_toml, APP_KEYS, MIRO_KEYS};
use super::{Config, ConfigFormat};
use crate::error::{ConfigError, Position};

/// Config file names searched in a directory, in order.
///
/// The tool's own `miro-oauth.toml` (or the hidden `.miro-oauth.toml`) comes first. Miro's
/// examples keep the manifest at the project root as `app-manifest.yaml`, so that is found
/// too, after the TOML names (`.yml` last). Every name is tried in a directory before moving
/// to its parent: the nearest directory with a config wins.
pub const CONFIG_FILE_NAMES: &[&str] = &[
    "miro-oauth.toml",
    ".miro-oauth.toml",
    "app-manifest.yaml",
    "app-manifest.yml",
];

/// Finds the config: `explicit` (`--config`) wins, then the value of the environment variable
/// `MIRO_OAUTH_CONFIG` (passed in as `env_value`, not read here; an empty value counts as
/// unset), then the first [`CONFIG_FILE_NAMES`] match in `start` and its parents.
///
/// `explicit` and `env_value` are returned as given, without checking that the file exists,
/// so that [`load`] reports a missing file instead of the search silently picking another.
/// A relative `start` is made absolute against the current directory so that its parents
/// can be searched. `None` means no config was found.
pub fn discover(
    explicit: Option<&Path>,
    env_value: Option<&OsStr>,
    start: &Path,
) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    if let Some(value) = env_value.filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(value));
    }
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    start.ancestors().find_map(|dir| {
        CONFIG_FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// The most a config file (or an `--env` file) may weigh.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// Reads and parses a config file, detecting TOML vs manifest YAML by content (see
/// [`detect_format`]).
///
/// A file that cannot be read is [`ConfigError::Unreadable`]; a file that is not UTF-8 is
/// [`ConfigError::Invalid`] at the first bad byte.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let unreadable = |reason: String| ConfigError::Unreadable {
        path: path.display().to_string(),
        reason,
    };
    let file =
        std::fs::File::open(path).map_err(|err| unreadable(lower_first(&err.to_string())))?;
    let mut bytes = Vec::new();
    // A config is a few KB; a device or an endless pipe given as one is not read forever.
    if !crate::read_limited(file, &mut bytes, MAX_CONFIG_BYTES)
        .map_err(|err| unreadable(lower_first(&err.to_string())))?
    {
        return Err(unreadable(format!(
            "more than {} MiB; expected a miro-oauth.toml or an app manifest (a few KB)",
            MAX_CONFIG_BYTES >> 20
        )));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let bad = bytes.get(valid).copied().unwrap_or_default();
            return Err(ConfigError::Invalid {
                path: path.display().to_string(),
                position: Position::at_offset(prefix, valid),
                message: format!(
                    "the file is not valid utf-8 (byte 0x{bad:02x}): expected a utf-8 text file, \
                     miro-oauth.toml or Miro's app manifest yaml"
                ),
            });
        }
    };
    parse(&text, path)
}

/// Parses config text; `path` is used in messages and stored in [`Config::path`]. The format
/// comes from [`detect_format`].
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    match detect_format(text, path) {
        ConfigFormat::Toml => parse_toml(text, path),
        ConfigFormat::Manifest => parse_manifest(text, path),
    }
}

/// Decides whether `text` is `miro-oauth.toml` or an app manifest, by content.
///
/// 1. Text that is valid TOML with at least one key is TOML. (No manifest is valid TOML:
///    `key: value` is a TOML syntax error.)
/// 2. Text that is a YAML mapping is a manifest.
/// 3. Neither parses: the format the lines most resemble (`[table]` and `key = value` lines
///    against `key:` and `- item` lines, with the known keys of each format counting
///    more), so the syntax error comes from the right parser.
/// 4. A tie (e.g. an empty file) goes by the extension: `.yaml`/`.yml` is a manifest,
///    anything else TOML.
pub fn detect_format(text: &str, path: &Path) -> ConfigFormat {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if toml::from_str::<toml::Table>(text).is_ok_and(|t| !t.is_empty()) {
        return ConfigFormat::Toml;
    }
    // Text with too many `[`/`{` is not handed to the YAML reader here (it would be slow,
    // see `too_many_flow_openers`); the resemblance below decides, and `parse_manifest` says
    // what is wrong when it is YAML-like.
    if too_many_flow_openers(text).is_none()
        && matches!(
            serde_norway::from_str::<serde_norway::Value>(text),
            Ok(serde_norway::Value::Mapping(_))
        )
    {
        return ConfigFormat::Manifest;
    }
    let (toml_score, yaml_score) = resemblance(text);
    if toml_score > yaml_score {
        return ConfigFormat::Toml;
    }
    if yaml_score > toml_score {
        return ConfigFormat::Manifest;
    }
    match path.extension().and_then(OsStr::to_str) {
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
            ConfigFormat::Manifest
        }
        _ => ConfigFormat::Toml,
    }
}

/// How much the lines of `text` look like TOML and like YAML.
fn resemblance(text: &str) -> (usize, usize) {
    let (mut toml_score, mut yaml_score) = (0, 0);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = toml_header(line) {
            toml_score += if matches!(name, "app" | "miro") { 3 } else { 1 };
        } else if let Some(key) = key_before(line, '=') {
            let known = APP_KEYS.contains(&key) || MIRO_KEYS.contains(&key);
            toml_score += if known { 3 } else { 1 };
        } else if let Some(key) = key_before(line, ':') {
            yaml_score += if MANIFEST_KEYS.contains(&key) { 3 } else { 1 };
        } else if line.starts_with("- ") || line == "-" || line == "---" {
            yaml_score += 1;
        }
    }
    (toml_score, yaml_score)
}

/// The name in a `[name]` or `[[name]]` line.
fn toml_header(line: &str) -> Option<&str> {
    let line = line.split(" #").next().unwrap_or(line).trim_end();
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    let inner = inner
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(inner)
        .trim();
    let ok = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' '));
    ok.then_some(inner)
}

/// The bare key in `key = …` or `key: …` (separator `sep`), if the line starts with one.
fn key_before(line: &str, sep: char) -> Option<&str> {
    let (key, rest) = line.split_once(sep)?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''));
    // `key:value` without a space is a YAML scalar, not a key (e.g. `boards:read`).
    let yaml_ok = sep != ':' || rest.is_empty() || rest.starts_with([' ', '\t']);
    (bare && yaml_ok).then_some(key.trim_matches(['"', '\'']))
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

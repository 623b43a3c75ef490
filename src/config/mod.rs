//! The app's config: what the app looks like in Miro's app settings. Read from
//! `miro-oauth.toml` (see `toml.rs`) or Miro's app manifest YAML (see `manifest.rs`); both
//! map onto [`Config`]. Every value keeps the line and column it came from, so findings and
//! errors can point into the file.

use std::path::PathBuf;

use crate::error::Position;

/// A value with the 1-based line and column where it was written (0 when not from a file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
}

impl<T> Located<T> {
    /// A value with no known position.
    pub fn unplaced(value: T) -> Located<T> {
        Located {
            value,
            line: 0,
            column: 0,
        }
    }
}

/// Which file format the config was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    /// `miro-oauth.toml`.
    Toml,
    /// Miro's app manifest (YAML).
    Manifest,
}

/// The app as registered with Miro.
#[derive(Clone, Debug, Default)]
pub struct AppConfig {
    /// The Client ID (a numeric string).
    pub client_id: Option<Located<String>>,
    /// Name of the environment variable holding the client secret.
    pub client_secret_env: Option<Located<String>>,
    /// A client secret written inline in the file (flagged by `config-secret-inline`).
    pub client_secret: Option<Located<String>>,
    /// Redirect URIs exactly as registered.
    pub redirect_uris: Vec<Located<String>>,
    /// The redirect URI marked "Use this URI for SDK authorization".
    pub sdk_redirect_uri: Option<Located<String>>,
    /// The scopes enabled for the app.
    pub scopes: Vec<Located<String>>,
    /// Expiring tokens chosen at app creation (`None` when the config does not say).
    pub expiring_tokens: Option<Located<bool>>,
    /// The app uses the Web SDK.
    pub uses_web_sdk: Option<Located<bool>>,
    /// The manifest's `sdkUri` (the app URL loaded in the board iFrame).
    pub sdk_uri: Option<Located<String>>,
}

/// Miro hosts (overridable for tests and stand-ins).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MiroConfig {
    /// The authorize URL.
    pub auth_url: String,
    /// The REST API base URL.
    pub api_url: String,
}

impl Default for MiroConfig {
    fn default() -> Self {
        MiroConfig {
            auth_url: "https://miro.com/oauth/authorize".to_string(),
            api_url: "https://api.miro.com".to_string(),
        }
    }
}

/// A loaded config.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from (None when built in code).
    pub path: Option<PathBuf>,
    /// The file's format.
    pub format: ConfigFormat,
    /// The app.
    pub app: AppConfig,
    /// Miro hosts.
    pub miro: MiroConfig,
}

impl Config {
    /// An empty TOML-style config (used by tests and as a builder start).
    pub fn empty() -> Config {
        Config {
            path: None,
            format: ConfigFormat::Toml,
            app: AppConfig::default(),
            miro: MiroConfig::default(),
        }
    }

    /// The file name for messages (`miro-oauth.toml` when unknown).
    pub fn display_path(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "miro-oauth.toml".to_string())
    }
}

/// Byte offset → line and column, for the many lookups made while reading one config file.
///
/// [`Position::at_offset`] rescans the text before the offset on every call, so placing each
/// of 100,000 `redirect_uris` was quadratic (minutes for a 700 KB file). This keeps the line
/// starts, found once, and the last position asked for, so that lookups in increasing order
/// along one long line (a one-line array) count the characters between them only.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts (the first is 0).
    line_starts: Vec<usize>,
    /// The last lookup: (byte offset, its position).
    last: std::cell::Cell<Option<(usize, Position)>>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            text,
            line_starts,
            last: std::cell::Cell::new(None),
        }
    }

    /// The same as `Position::at_offset(text, offset)`.
    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let position = match self.last.get() {
            Some((at, p)) if p.line == line && at <= offset => Position {
                line,
                column: p.column + self.text[at..offset].chars().count(),
            },
            _ => Position {
                line,
                column: self.text[line_start..offset].chars().count() + 1,
            },
        };
        self.last.set(Some((offset, position)));
        position
    }
}

pub mod load;
pub mod manifest;
pub mod toml;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_position_at_offset() {
        let text = "ab\ncé d\n\n[x]\r\nlong é line é\n";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 2).chain((0..text.len()).rev()).collect();
        for offset in offsets {
            assert_eq!(
                index.position(offset),
                Position::at_offset(text, offset),
                "offset {offset}"
            );
        }
    }
}

//! Dotenv files (`check --env FILE`): the deployment's environment as `KEY=value` lines, with
//! the line and column of every value so findings can point into the file.
//!
//! The syntax is the common ground of dotenv (Node), python-dotenv and Docker Compose
//! `env_file`: blank lines and `#` comments; an optional `export ` prefix; spaces around `=`;
//! values unquoted (an inline comment starts at ` #`), single-quoted (literal), double-quoted
//! (`\n`, `\t`, `\"`, `\\`, `\$` escapes; may span lines) or back-quoted (literal); and
//! `${NAME}`, `${NAME:-default}`, `$NAME` expansion in unquoted and double-quoted values from
//! the variables defined before (this file and the `--env` files given earlier), as
//! dotenv-expand and Compose do. A line that is none of these is an error (exit 2) naming the
//! file, line and column.

use std::path::{Path, PathBuf};

use super::ProjectError;
use crate::error::Position;

/// One parsed env file.
#[derive(Clone, Debug)]
pub struct EnvFile {
    /// The path as given.
    pub path: PathBuf,
    /// The path for messages and locations (relative to the project base).
    pub display: String,
    /// The assignments, in file order (a name may appear twice: the last one wins).
    pub vars: Vec<EnvVar>,
}

/// One `NAME=value` assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    /// The variable name.
    pub name: String,
    /// The value after unquoting, escapes and expansion.
    pub value: String,
    /// 1-based line of the value (of its opening quote when quoted).
    pub line: usize,
    /// 1-based column of the value (of its opening quote when quoted), in characters.
    pub column: usize,
    /// Names referenced with `$NAME`/`${NAME}` that no earlier assignment defines: the value
    /// then depends on the runtime environment and cannot be checked here.
    pub unresolved: Vec<String>,
}

impl EnvFile {
    /// The last assignment of `name` in this file.
    pub fn get(&self, name: &str) -> Option<&EnvVar> {
        self.vars.iter().rev().find(|v| v.name == name)
    }
}

/// Parses dotenv text. `earlier` holds the variables of the env files given before this one,
/// for `${NAME}` expansion; `display` is the name used in errors and locations.
pub fn parse(
    text: &str,
    path: &Path,
    display: &str,
    earlier: &[&EnvVar],
) -> Result<EnvFile, ProjectError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut vars: Vec<EnvVar> = Vec::new();
    let err = |offset: usize, message: String| ProjectError::Parse {
        path: display.to_string(),
        position: Position::at_offset(text, offset),
        message,
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // One logical line starting at i.
        let line_end = text[i..].find('\n').map_or(text.len(), |n| i + n);
        let line = &text[i..line_end];
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if trimmed.trim_end().is_empty() || trimmed.starts_with('#') {
            i = line_end + 1;
            continue;
        }
        let mut k = i + lead;
        if let Some(rest) = text[k..line_end].strip_prefix("export") {
            if rest.starts_with([' ', '\t']) {
                k += "export".len();
                k += text[k..line_end].len() - text[k..line_end].trim_start().len();
            }
        }
        let name_len = text[k..line_end]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(line_end - k);
        let name = &text[k..k + name_len];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(err(
                k,
                format!(
                    "expected `NAME=value` (a variable name of letters, digits and `_`), found `{}`",
                    short(line.trim())
                ),
            ));
        }
        let mut j = k + name_len;
        j += text[j..line_end].len() - text[j..line_end].trim_start().len();
        if j >= line_end {
            // `NAME` alone: Compose passes the host's value through; nothing to check.
            i = line_end + 1;
            continue;
        }
        if bytes[j] != b'=' {
            return Err(err(
                j,
                // Only the first character: the rest may be the secret itself.
                format!(
                    "expected `=` after `{name}`, found `{}`",
                    text[j..line_end].chars().next().unwrap_or(' ')
                ),
            ));
        }
        j += 1;
        j += text[j..line_end].len() - text[j..line_end].trim_start().len();
        let value_pos = Position::at_offset(text, j);
        let (raw, expand, next) = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'' | b'`')) => {
                let (value, close) = quoted(text, j, q as char).ok_or_else(|| {
                    err(
                        j,
                        format!(
                            "unterminated {} quote in the value of `{name}`; expected a closing {}",
                            q as char, q as char
                        ),
                    )
                })?;
                let after_end = text[close + 1..]
                    .find('\n')
                    .map_or(text.len(), |n| close + 1 + n);
                let after = text[close + 1..after_end].trim();
                if !after.is_empty() && !after.starts_with('#') {
                    return Err(err(
                        close + 1,
                        format!(
                            "unexpected text after the quoted value of `{name}`; expected the end of the line or a `#` comment"
                        ),
                    ));
                }
                (value, q == b'"', after_end + 1)
            }
            _ => {
                let v = &text[j..line_end];
                // An inline comment starts at a `#` preceded by whitespace.
                let cut = v
                    .char_indices()
                    .find(|&(p, c)| c == '#' && p > 0 && v[..p].ends_with([' ', '\t']))
                    .map_or(v.len(), |(p, _)| p);
                (
                    v[..cut].trim_end().trim_end_matches('\r').to_string(),
                    true,
                    line_end + 1,
                )
            }
        };
        let mut unresolved = Vec::new();
        let value = if expand {
            expand_refs(
                &raw,
                |n| {
                    vars.iter()
                        .rev()
                        .find(|v| v.name == n)
                        .or_else(|| earlier.iter().rev().find(|v| v.name == n).copied())
                        .map(|v| v.value.clone())
                },
                &mut unresolved,
            )
        } else {
            raw
        };
        vars.push(EnvVar {
            name: name.to_string(),
            value,
            line: value_pos.line,
            column: value_pos.column,
            unresolved,
        });
        i = next;
    }
    Ok(EnvFile {
        path: path.to_path_buf(),
        display: display.to_string(),
        vars,
    })
}

/// The value of a quoted string starting at `start` (the quote) and the offset of its closing
/// quote. Double quotes process escapes; single and back quotes are literal. Both may span lines.
fn quoted(text: &str, start: usize, q: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((p, c)) = chars.next() {
        if c == q {
            return Some((out, start + 1 + p));
        }
        if c == '\\' && q == '"' {
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                // `\$` keeps a literal dollar; mark it so expansion leaves it alone.
                Some((_, '$')) => out.push('\u{0}'),
                Some((_, other)) => out.push(other),
                None => return None,
            }
            continue;
        }
        if c == '\\' && q == '\'' {
            // python-dotenv: `\'` and `\\` are escapes inside single quotes too.
            let rest = &text[start + 1 + p + 1..];
            if rest.starts_with('\'') || rest.starts_with('\\') {
                let (_, e) = chars.next()?;
                out.push(e);
                continue;
            }
        }
        out.push(c);
    }
    None
}

/// Expands `${NAME}`, `${NAME:-default}`, `${NAME-default}` and `$NAME`; names `lookup` cannot
/// resolve are kept as written and listed in `unresolved`.
fn expand_refs(
    raw: &str,
    lookup: impl Fn(&str) -> Option<String>,
    unresolved: &mut Vec<String>,
) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(p) = rest.find('$') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            if let Some(close) = inner.find('}') {
                let body = &inner[..close];
                let (name, default) = match body.find([':', '-']) {
                    Some(d) => {
                        let def = body[d..].trim_start_matches(':');
                        (&body[..d], Some(def.strip_prefix('-').unwrap_or(def)))
                    }
                    None => (body, None),
                };
                // `${NAME:-default}` also replaces an empty value.
                let found = lookup(name).filter(|v| !v.is_empty() || default.is_none());
                match (found, default) {
                    (Some(v), _) => out.push_str(&v),
                    (None, Some(d)) => out.push_str(d),
                    (None, None) => {
                        unresolved.push(name.to_string());
                        out.push_str(&rest[p..p + 2 + close + 1]);
                    }
                }
                rest = &inner[close + 1..];
                continue;
            }
        }
        let n = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if n == 0 || after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('$');
            rest = after;
            continue;
        }
        let name = &after[..n];
        match lookup(name) {
            Some(v) => out.push_str(&v),
            None => {
                unresolved.push(name.to_string());
                out.push('$');
                out.push_str(name);
            }
        }
        rest = &after[n..];
    }
    out.push_str(rest);
    out.replace('\u{0}', "$")
}

fn short(s: &str) -> String {
    let s = s.trim_end_matches('\r');
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> EnvFile {
        parse(text, Path::new(".env"), ".env", &[]).unwrap()
    }

    #[test]
    fn plain_quoted_export_and_comments() {
        let f = parse_ok(
            "# comment\n\nMIRO_CLIENT_ID=3458764512345678901\nexport MIRO_REDIRECT_URL = \"https://app.example.com/cb\" # prod\nSECRET='a#b $X'\nPLAIN=x #note\nHASH=a#b\n",
        );
        let get = |n: &str| f.get(n).unwrap();
        assert_eq!(get("MIRO_CLIENT_ID").value, "3458764512345678901");
        assert_eq!(
            (get("MIRO_CLIENT_ID").line, get("MIRO_CLIENT_ID").column),
            (3, 16)
        );
        assert_eq!(get("MIRO_REDIRECT_URL").value, "https://app.example.com/cb");
        assert_eq!(
            (
                get("MIRO_REDIRECT_URL").line,
                get("MIRO_REDIRECT_URL").column
            ),
            (4, 28)
        );
        assert_eq!(get("SECRET").value, "a#b $X");
        assert_eq!(get("PLAIN").value, "x");
        assert_eq!(get("HASH").value, "a#b");
    }

    #[test]
    fn expansion_and_escapes() {
        let earlier = EnvVar {
            name: "HOST".into(),
            value: "app.example.com".into(),
            line: 1,
            column: 6,
            unresolved: vec![],
        };
        let f = parse(
            "BASE=https://${HOST}\nURL=\"$BASE/cb\\n\"\nLIT='${BASE}'\nMISSING=${NOPE}/x\nDEF=${NOPE:-fallback}\nDOLLAR=\"\\$HOME\"\n",
            Path::new("e"),
            "e",
            &[&earlier],
        )
        .unwrap();
        assert_eq!(f.get("BASE").unwrap().value, "https://app.example.com");
        assert_eq!(f.get("URL").unwrap().value, "https://app.example.com/cb\n");
        assert_eq!(f.get("LIT").unwrap().value, "${BASE}");
        assert_eq!(f.get("MISSING").unwrap().value, "${NOPE}/x");
        assert_eq!(
            f.get("MISSING").unwrap().unresolved,
            vec!["NOPE".to_string()]
        );
        assert_eq!(f.get("DEF").unwrap().value, "fallback");
        assert_eq!(f.get("DOLLAR").unwrap().value, "$HOME");
    }

    #[test]
    fn multiline_double_quotes_and_crlf() {
        let f = parse_ok("KEY=\"line1\nline2\"\r\nNEXT=v\r\n");
        assert_eq!(f.get("KEY").unwrap().value, "line1\nline2");
        assert_eq!(f.get("NEXT").unwrap().value, "v");
        assert_eq!(f.get("NEXT").unwrap().line, 3);
    }

    #[test]
    fn errors_name_the_position() {
        let e = parse("A=1\nthis is not env\n", Path::new(".env"), ".env", &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            ".env:2:6: expected `=` after `this`, found `i`"
        );
        let e = parse("A=\"open\n", Path::new(".env"), ".env", &[]).unwrap_err();
        assert!(
            e.to_string().starts_with(".env:1:3: unterminated \" quote"),
            "{e}"
        );
        let e = parse("A='x' y\n", Path::new(".env"), ".env", &[]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(".env:1:6: unexpected text after the quoted value of `A`"),
            "{e}"
        );
        let e = parse("=x\n", Path::new(".env"), ".env", &[]).unwrap_err();
        assert!(
            e.to_string().starts_with(".env:1:1: expected `NAME=value`"),
            "{e}"
        );
    }

    #[test]
    fn name_alone_is_skipped() {
        let f = parse_ok("PASSED_THROUGH\nA=1\n");
        assert!(f.get("PASSED_THROUGH").is_none());
        assert_eq!(f.get("A").unwrap().value, "1");
    }
}

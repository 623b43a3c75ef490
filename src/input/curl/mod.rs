//! The curl-command parser: turns text holding one or more `curl` command lines (as pasted from
//! a terminal, a README or a browser's "Copy as cURL") into [`Request`]s, one per URL, filled
//! the way curl would put them on the wire.
//!
//! The work is split in three stages, each in its own submodule:
//!
//! 1. a shell tokenizer for the detected dialect — `bash` (POSIX sh/bash/zsh, including
//!    `$'…'` ANSI-C quoting, heredocs and here-strings), `cmd` (Windows `cmd.exe` `^`
//!    escaping followed by the C runtime's argument splitting) and `powershell` — producing
//!    commands: words after quote removal, plus where standard input comes from;
//! 2. `options`: curl's own option parser (the option table of `tool_getparam.c`, short-flag
//!    clusters, `--opt=value`, unique long-option prefixes, `--no-…`, `--next`);
//! 3. `build`: the request curl would send (method inference, implied headers, body joining,
//!    `--data-urlencode`, `-G`, `--url-query`, `-T`, `-u`).
//!
//! Nothing is ever read from disk or executed: `@file` arguments, `$VARIABLES` and `` `…` ``
//! command substitutions are kept as the literal text, like curlconverter's HTTP generator.

mod bash;
mod build;
mod cmd;
mod options;
mod powershell;
mod shell;
#[cfg(test)]
mod tests;

use crate::error::ParseError;
use crate::model::Request;

/// The shell a command was written for, which decides how quotes and escapes are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// POSIX shells (bash, zsh, sh): browsers' "Copy as cURL (bash)", most READMEs.
    Bash,
    /// Windows `cmd.exe`: `^` escapes and `^` line continuations ("Copy as cURL (cmd)").
    Cmd,
    /// PowerShell calling `curl.exe`: backtick escapes and continuations.
    PowerShell,
}

impl Dialect {
    /// The name recorded in [`crate::model::CurlDetails::dialect`].
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Dialect::Bash => "bash",
            Dialect::Cmd => "cmd",
            Dialect::PowerShell => "powershell",
        }
    }
}

/// Parses text holding one or more curl commands (a file may hold several commands, comments,
/// blank lines; pipes/redirections after a command are ignored). Returns one Request per URL
/// of each command, in order.
///
/// Commands that are not curl (`echo foo | curl …`, `export X=…`) are skipped; it is an error
/// when the text holds no curl command at all, when a quote is left open, when an option
/// misses its argument or when a curl command has no (valid) URL. Errors carry the byte offset
/// of the offending place.
pub fn parse_curl(text: &str) -> Result<Vec<Request>, ParseError> {
    let dialect = detect_dialect(text);
    let commands = shell::split_commands(text, dialect)?;
    let mut requests = Vec::new();
    let mut first_other: Option<&shell::Word> = None;
    let mut found_curl = false;
    for (index, command) in commands.iter().enumerate() {
        match shell::curl_word_index(&command.words) {
            Some(at) => {
                found_curl = true;
                let (Some(program), Some(args)) =
                    (command.words.get(at), command.words.get(at + 1..))
                else {
                    continue;
                };
                let ops = options::parse_args(program, args)?;
                let piped = match (&command.stdin, command.piped) {
                    (shell::Stdin::Inherited, true) => index
                        .checked_sub(1)
                        .and_then(|i| commands.get(i))
                        .and_then(shell::echo_output)
                        .map(shell::Stdin::Content),
                    _ => None,
                };
                let stdin = piped.as_ref().unwrap_or(&command.stdin);
                requests.extend(build::requests(ops, stdin, dialect)?);
            }
            None => {
                if first_other.is_none() {
                    first_other = command.words.first();
                }
            }
        }
    }
    if found_curl {
        return Ok(requests);
    }
    match first_other {
        Some(word) => Err(ParseError::new(word.offset, not_curl_message(&word.text))),
        None => Err(ParseError::new(
            0,
            "empty input; expected a curl command such as curl https://api.miro.com/v1/oauth/token",
        )),
    }
}

/// True when the text looks like a curl command (first meaningful word is curl / curl.exe,
/// optionally after a `$ ` or `> ` or `PS> ` prompt, leading comments/blank lines). Used by content detection.
pub fn looks_like_curl(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || is_comment_line(line) {
            continue;
        }
        let rest = match shell::prompt_len(line, 0) {
            Some(n) => line.get(n..).unwrap_or(""),
            // PowerShell's call operator: `& curl.exe …`
            None => line.strip_prefix("& ").unwrap_or(line).trim_start(),
        };
        let first = rest
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .trim_start_matches('@');
        let first = first.trim_matches(|c| c == '"' || c == '\'');
        return shell::is_curl_program(first);
    }
    false
}

/// Why the first word of a text holding no curl command is not `curl`, and what to do.
///
/// [`looks_like_curl`] sends a line starting `@curl` or a quoted `"curl …"` here, since the
/// person meant a curl command; these get a message naming the fix. (Windows cmd reads `@`
/// as echo off, so there `@curl` is a curl command and never reaches this.)
fn not_curl_message(word: &str) -> String {
    let shown = shell::ellipsize(word, 40);
    let unquoted = word.trim_start_matches('@');
    let program = unquoted.split_whitespace().next().unwrap_or("");
    if !shell::is_curl_program(program) {
        return format!("'{shown}' is not a curl command; expected a command starting with curl");
    }
    if unquoted.len() != program.len() {
        format!(
            "the whole command is quoted, so a shell would look for a program named \
             '{shown}'; expected a command starting with curl: remove the quotes around it"
        )
    } else {
        format!(
            "a leading `@` hides a command's echo only in a Windows batch file or a Makefile, \
             so a shell would look for a program named '{shown}'; expected a command starting \
             with curl: remove the `@`"
        )
    }
}

/// A whole line that is only a comment, in any of the three dialects.
fn is_comment_line(line: &str) -> bool {
    let lower = line.get(..4).map(|s| s.to_ascii_lowercase());
    line.starts_with('#')
        || line.starts_with("::")
        || lower.as_deref() == Some("rem ")
        || line.eq_ignore_ascii_case("rem")
}

/// Decides the shell dialect from the text as a whole (a file is written for one shell).
///
/// The line-continuation character is the strongest hint: the first line ending in `\`,
/// ` ^` or `` ` `` (the last two after a blank) decides bash, cmd or PowerShell. Then `^"`
/// (Chrome's "Copy as cURL (cmd)" quoting) means cmd, a `PS …>` prompt means PowerShell, and a `curl.exe` command (which
/// people type in PowerShell, where plain `curl` is an alias of `Invoke-WebRequest`) means
/// PowerShell. Everything else is bash.
pub(crate) fn detect_dialect(text: &str) -> Dialect {
    for line in text.lines() {
        let trimmed = line.trim_end();
        // cmd and PowerShell continuations are written after a blank (` ^`, `` ` ``); a
        // backtick glued to a word ends a bash command substitution instead
        let after_blank = |c: char| {
            trimmed
                .strip_suffix(c)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with([' ', '\t']))
        };
        if trimmed.ends_with('\\') {
            return Dialect::Bash;
        }
        if after_blank('^') {
            return Dialect::Cmd;
        }
        if after_blank('`') {
            return Dialect::PowerShell;
        }
    }
    if text.contains("^\"") {
        return Dialect::Cmd;
    }
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || is_comment_line(line) {
            continue;
        }
        if line.starts_with("PS>") || (line.starts_with("PS ") && line.contains('>')) {
            return Dialect::PowerShell;
        }
        let first = line
            .trim_start_matches("& ")
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        if first.to_ascii_lowercase().ends_with("curl.exe") {
            return Dialect::PowerShell;
        }
        break;
    }
    Dialect::Bash
}

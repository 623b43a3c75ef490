//! The POSIX-shell tokenizer (bash/zsh/sh), enough of bash's grammar to read curl commands the
//! way the shell would hand them to curl: quote removal (`'…'`, `"…"`, `$'…'` ANSI-C quoting
//! with `\n \' \\ \xHH \uHHHH` escapes, `$"…"`), backslash escapes and backslash-newline
//! continuations, `#` comments, command separators (newline `;` `&` `&&` `||` `|`),
//! redirections (`<`, `>`, `2>&1`, heredocs `<<EOF`/`<<-EOF`/`<<'EOF'`, here-strings `<<<`).
//!
//! Nothing is expanded: `$VAR`, `${VAR}`, `$(cmd)` and `` `cmd` `` stay as literal text
//! (quoted spans inside them included), as curlconverter does. Reference: the bash manual,
//! "Quoting" and "Redirections" (<https://www.gnu.org/software/bash/manual/bash.html>).

use super::shell::{
    bytes_to_string, head, push_char, tokenize, unterminated_quote, Command, Lexer, Stdin,
    Tokenizer, Word,
};
use crate::error::ParseError;

/// Splits bash text into simple commands.
pub(super) fn split(text: &str) -> Result<Vec<Command>, ParseError> {
    tokenize(text, BashState::default())
}

/// A heredoc whose body starts after the current line.
struct Heredoc {
    delim: Vec<u8>,
    strip_tabs: bool,
    quoted: bool,
    /// Index in `out` of the command it feeds.
    command: usize,
}

/// What the bash tokenizer keeps besides the shared [`Lexer`] state.
#[derive(Default)]
struct BashState {
    /// The current command has a redirection (so it is kept even without words).
    cur_has_redirect: bool,
    /// Heredocs declared on the current line.
    pending: Vec<Heredoc>,
}

type Bash<'a> = Lexer<'a, BashState>;

/// Bytes that end an unquoted word.
fn ends_word(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>')
}

/// Bytes that need a closer look inside an unquoted word.
fn special_in_word(c: u8) -> bool {
    ends_word(c) || matches!(c, b'\\' | b'\'' | b'"' | b'$' | b'`' | b'\r')
}

impl Tokenizer for Bash<'_> {
    const CONTINUATION: u8 = b'\\';

    fn end_line(&mut self) {
        self.finish();
        // the bodies of the heredocs declared on the line follow it (none at the end of the
        // text: they are empty)
        self.read_heredocs();
    }

    fn operator(&mut self, c: u8) -> Result<bool, ParseError> {
        match c {
            b'&' if self.peek(1) == Some(b'>') => {
                // `&>file` / `&>>file`: stdout and stderr to a file
                self.i += 1;
                self.redirect()?;
            }
            b';' | b'&' | b'|' => {
                let two = matches!(
                    (c, self.peek(1)),
                    (b';', Some(b';')) | (b'&', Some(b'&')) | (b'|', Some(b'|' | b'&'))
                );
                self.i += if two { 2 } else { 1 };
                self.finish();
                // `a | b`: b reads what a writes
                self.cur.piped = c == b'|' && (!two || self.at_prev(b"|&"));
            }
            b'<' | b'>' => self.redirect()?,
            b'0'..=b'9' if self.fd_redirect_len().is_some() => {
                self.i += self.fd_redirect_len().unwrap_or(0);
                self.redirect()?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn read_word(&mut self) -> Result<Word, ParseError> {
        Ok(self.word()?.0)
    }

    fn push_word(&mut self, word: Word) -> Result<(), ParseError> {
        self.cur.words.push(word);
        Ok(())
    }
}

impl Bash<'_> {
    /// True when the bytes just before the cursor are `s`.
    fn at_prev(&self, s: &[u8]) -> bool {
        self.i
            .checked_sub(s.len())
            .and_then(|start| self.b.get(start..self.i))
            .is_some_and(|prev| prev == s)
    }

    /// Length of the digits of an fd-numbered redirection (`2>`, `10<`) at the cursor.
    fn fd_redirect_len(&self) -> Option<usize> {
        let rest = self.b.get(self.i..)?;
        let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        match rest.get(digits) {
            Some(b'<' | b'>') => Some(digits),
            _ => None,
        }
    }

    /// Ends the current command (if it has anything).
    fn finish(&mut self) {
        if !self.cur.words.is_empty() || self.state.cur_has_redirect {
            self.out.push(std::mem::take(&mut self.cur));
        }
        self.cur = Command::default();
        self.state.cur_has_redirect = false;
    }

    /// Reads a redirection operator at the cursor and its target word.
    fn redirect(&mut self) -> Result<(), ParseError> {
        #[derive(PartialEq)]
        enum Kind {
            In,
            HereString,
            Heredoc { strip_tabs: bool },
            Other,
        }
        let kind = if self.at(b"<<<") {
            self.i += 3;
            Kind::HereString
        } else if self.at(b"<<-") {
            self.i += 3;
            Kind::Heredoc { strip_tabs: true }
        } else if self.at(b"<<") {
            self.i += 2;
            Kind::Heredoc { strip_tabs: false }
        } else if self.at(b"<&")
            || self.at(b"<>")
            || self.at(b">>")
            || self.at(b">&")
            || self.at(b">|")
        {
            self.i += 2;
            Kind::Other
        } else if self.at(b"<") {
            self.i += 1;
            Kind::In
        } else {
            self.i += 1;
            Kind::Other
        };
        while matches!(self.peek(0), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        // a redirection without a target (`curl x >`) is a bash syntax error; nothing to
        // take from it, so it is ignored rather than failing the whole parse
        match self.peek(0) {
            None => return Ok(()),
            Some(c) if ends_word(c) => return Ok(()),
            _ => {}
        }
        let (word, quoted) = self.word()?;
        self.state.cur_has_redirect = true;
        match kind {
            Kind::In => self.cur.stdin = Stdin::File(word.text),
            Kind::HereString => {
                let mut s = word.text;
                s.push('\n');
                self.cur.stdin = Stdin::Content(s);
            }
            Kind::Heredoc { strip_tabs } => {
                self.cur.stdin = Stdin::Content(String::new());
                self.state.pending.push(Heredoc {
                    delim: word.text.into_bytes(),
                    strip_tabs,
                    quoted,
                    command: self.out.len(),
                });
            }
            Kind::Other => {}
        }
        Ok(())
    }

    /// Reads the bodies of the heredocs declared on the line just ended.
    fn read_heredocs(&mut self) {
        for doc in std::mem::take(&mut self.state.pending) {
            let mut body: Vec<u8> = Vec::new();
            while let Some(rest) = self.b.get(self.i..) {
                if rest.is_empty() {
                    break;
                }
                let line_len = rest.iter().position(|&c| c == b'\n');
                let (line, advance) = match line_len {
                    Some(n) => (head(rest, n), n + 1),
                    None => (rest, rest.len()),
                };
                self.i += advance;
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let line = if doc.strip_tabs {
                    let tabs = line.iter().take_while(|&&c| c == b'\t').count();
                    line.get(tabs..).unwrap_or(line)
                } else {
                    line
                };
                if line == doc.delim.as_slice() {
                    break;
                }
                body.extend_from_slice(line);
                body.push(b'\n');
            }
            if !doc.quoted {
                body = unescape_heredoc(&body);
            }
            if let Some(cmd) = self.out.get_mut(doc.command) {
                cmd.stdin = Stdin::Content(bytes_to_string(body));
            } else {
                // the command is still being read (a heredoc inside a pipeline that goes on
                // after the body); it is the current one
                self.cur.stdin = Stdin::Content(bytes_to_string(body));
            }
        }
    }

    /// Reads one word at the cursor (which is not at a blank or an operator). Returns the word
    /// and whether any part of it was quoted or escaped (heredoc delimiters care).
    fn word(&mut self) -> Result<(Word, bool), ParseError> {
        let start = self.i;
        let mut buf: Vec<u8> = Vec::new();
        let mut quoted = false;
        while let Some(c) = self.peek(0) {
            match c {
                b'\r' if matches!(self.peek(1), Some(b'\n') | None) => break,
                b'\r' => {
                    buf.push(c);
                    self.i += 1;
                }
                _ if ends_word(c) => break,
                b'\\' => match self.peek(1) {
                    Some(b'\n') => self.i += 2,
                    Some(b'\r') if self.peek(2) == Some(b'\n') => self.i += 3,
                    Some(n) => {
                        buf.push(n);
                        self.i += 2;
                        quoted = true;
                    }
                    None => {
                        buf.push(b'\\');
                        self.i += 1;
                    }
                },
                b'\'' => {
                    quoted = true;
                    self.single_quoted(&mut buf)?;
                }
                b'"' => {
                    quoted = true;
                    self.i += 1;
                    self.double_quoted(&mut buf)?;
                }
                b'$' => match self.peek(1) {
                    Some(b'\'') => {
                        quoted = true;
                        self.ansi_c(&mut buf)?;
                    }
                    Some(b'"') => {
                        // `$"…"` is a locale-translated string: a double-quoted string here
                        quoted = true;
                        self.i += 2;
                        self.double_quoted(&mut buf)?;
                    }
                    Some(b'(' | b'{') => self.copy_expansion(&mut buf, "expansion")?,
                    _ => {
                        buf.push(b'$');
                        self.i += 1;
                    }
                },
                b'`' => self.copy_backticks(&mut buf)?,
                _ => self.take_plain_run(&mut buf, special_in_word),
            }
        }
        Ok((
            Word {
                text: bytes_to_string(buf),
                offset: start,
            },
            quoted,
        ))
    }

    /// `'…'`: everything literal up to the next `'`.
    fn single_quoted(&mut self, buf: &mut Vec<u8>) -> Result<(), ParseError> {
        let open = self.i;
        self.i += 1;
        if self.take_until(buf, |c| c == b'\'').is_none() {
            return Err(unterminated_quote(open, b'\''));
        }
        self.i += 1;
        Ok(())
    }

    /// `"…"`, the cursor just after the opening quote: `\` escapes only `$`, `` ` ``, `"`,
    /// `\` and newline; `$(…)` and `` `…` `` are copied literally.
    fn double_quoted(&mut self, buf: &mut Vec<u8>) -> Result<(), ParseError> {
        let open = self.i.saturating_sub(1);
        loop {
            let Some(c) = self.take_until(buf, |c| matches!(c, b'"' | b'\\' | b'`' | b'$')) else {
                return Err(unterminated_quote(open, b'"'));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => match self.peek(1) {
                    Some(e @ (b'$' | b'`' | b'"' | b'\\')) => {
                        buf.push(e);
                        self.i += 2;
                    }
                    Some(b'\n') => self.i += 2,
                    Some(b'\r') if self.peek(2) == Some(b'\n') => self.i += 3,
                    _ => {
                        buf.push(b'\\');
                        self.i += 1;
                    }
                },
                b'`' => self.copy_backticks(buf)?,
                b'$' if matches!(self.peek(1), Some(b'(' | b'{')) => {
                    self.copy_expansion(buf, "expansion")?
                }
                _ => {
                    buf.push(c);
                    self.i += 1;
                }
            }
        }
    }

    /// `$'…'`: ANSI-C quoting, as Chrome's "Copy as cURL (bash)" writes bodies holding quotes
    /// or control characters (bash manual, "ANSI-C Quoting").
    fn ansi_c(&mut self, buf: &mut Vec<u8>) -> Result<(), ParseError> {
        let open = self.i;
        let unterminated =
            move || ParseError::new(open, "unterminated $' quote; expected a closing '");
        self.i += 2;
        loop {
            let Some(c) = self.take_until(buf, |c| c == b'\'' || c == b'\\') else {
                return Err(unterminated());
            };
            if c == b'\'' {
                self.i += 1;
                return Ok(());
            }
            // a backslash escape
            let Some(e) = self.peek(1) else {
                return Err(unterminated());
            };
            self.i += 2;
            match e {
                b'a' => buf.push(0x07),
                b'b' => buf.push(0x08),
                b'e' | b'E' => buf.push(0x1b),
                b'f' => buf.push(0x0c),
                b'n' => buf.push(b'\n'),
                b'r' => buf.push(b'\r'),
                b't' => buf.push(b'\t'),
                b'v' => buf.push(0x0b),
                b'\\' | b'\'' | b'"' | b'?' => buf.push(e),
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    for _ in 0..2 {
                        match self.peek(0) {
                            Some(d @ b'0'..=b'7') => {
                                v = v * 8 + u32::from(d - b'0');
                                self.i += 1;
                            }
                            _ => break,
                        }
                    }
                    buf.push((v & 0xff) as u8);
                }
                b'x' => match self.hex_digits(2) {
                    Some(v) => buf.push(v as u8),
                    None => buf.extend_from_slice(b"\\x"),
                },
                b'u' => match self.hex_digits(4) {
                    Some(v) => push_char(buf, v),
                    None => buf.extend_from_slice(b"\\u"),
                },
                b'U' => match self.hex_digits(8) {
                    Some(v) => push_char(buf, v),
                    None => buf.extend_from_slice(b"\\U"),
                },
                b'c' => match self.peek(0) {
                    Some(x) => {
                        buf.push(x & 0x1f);
                        self.i += 1;
                    }
                    None => buf.extend_from_slice(b"\\c"),
                },
                other => {
                    buf.push(b'\\');
                    buf.push(other);
                }
            }
        }
    }

    /// Reads up to `max` hex digits at the cursor; None when there is none.
    fn hex_digits(&mut self, max: usize) -> Option<u32> {
        let mut v: u32 = 0;
        let mut n = 0;
        while n < max {
            let Some(d) = self.peek(0).and_then(|c| (c as char).to_digit(16)) else {
                break;
            };
            v = v.wrapping_mul(16).wrapping_add(d);
            self.i += 1;
            n += 1;
        }
        (n > 0).then_some(v)
    }

    /// Copies `` `…` `` literally (command substitution is never run).
    fn copy_backticks(&mut self, buf: &mut Vec<u8>) -> Result<(), ParseError> {
        let open = self.i;
        let mut j = open + 1;
        loop {
            match self.b.get(j) {
                Some(b'\\') => j += 2,
                Some(b'`') => break,
                Some(_) => j += 1,
                None => {
                    return Err(ParseError::new(
                        open,
                        "unterminated backtick command substitution; expected a closing `",
                    ))
                }
            }
        }
        buf.extend_from_slice(self.b.get(open..=j).unwrap_or(&[]));
        self.i = j + 1;
        Ok(())
    }
}

/// Heredoc bodies with an unquoted delimiter: bash removes backslash-newline and the
/// backslash before `$`, `` ` `` and `\`; expansions themselves stay literal here.
fn unescape_heredoc(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while let Some(&c) = body.get(i) {
        if c == b'\\' {
            match body.get(i + 1) {
                Some(b'\n') => {
                    i += 2;
                    continue;
                }
                Some(&e @ (b'$' | b'`' | b'\\')) => {
                    out.push(e);
                    i += 2;
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

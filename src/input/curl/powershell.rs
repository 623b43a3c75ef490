//! The PowerShell tokenizer for `curl.exe …` commands (argument mode): blanks separate
//! arguments; `'…'` is literal with `''` for a quote; `"…"` takes backtick escapes
//! (`` `" `` `` `n `` `` `t `` `` `` `` …) and `""` for a quote; a backtick escapes the next
//! character in bare words and continues the command when it ends a line; `#` and `<# … #>`
//! are comments; `;`, `|`, `&&`, `||` and newlines end a command; `>`-style redirections are
//! skipped; `--%` (stop-parsing) passes the rest of the line to the C runtime verbatim.
//!
//! `$variables` and `$( … )` subexpressions stay literal (nothing is evaluated).
//!
//! `\"` is read as a literal `"` everywhere (also inside `"…"` unless the `"` is followed by
//! a blank or the end, where it closes the string). That is what `curl.exe` receives under
//! Windows PowerShell 5.1's legacy argument passing, whose re-quoted command line goes through
//! the C runtime's `\"` rule, and it is what people mean by `-d "{\"a\":1}"`; PowerShell 7.3+
//! passes the backslash through instead, which breaks such commands anyway.
//!
//! Reference: `about_Quoting_Rules`, `about_Special_Characters`, `about_Parsing`
//! (learn.microsoft.com/powershell).

use super::cmd::{split_arg, Next, Pass1};
use super::shell::{
    bytes_to_string, head, push_char, tokenize, unterminated_quote, Command, Lexer, Stdin,
    Tokenizer, Word,
};
use crate::error::ParseError;

/// Splits PowerShell text into simple commands.
pub(super) fn split(text: &str) -> Result<Vec<Command>, ParseError> {
    tokenize(text, ())
}

/// The PowerShell tokenizer keeps nothing besides the shared [`Lexer`] state.
type Ps<'a> = Lexer<'a, ()>;

/// Bytes that end a bare word.
fn ends_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'>' | b'<' | b'\r'
    )
}

/// Bytes that need a closer look inside a bare word.
fn special_in_word(c: u8) -> bool {
    ends_word(c) || matches!(c, b'`' | b'\'' | b'"' | b'$' | b'\\')
}

impl Tokenizer for Ps<'_> {
    const CONTINUATION: u8 = b'`';

    fn end_line(&mut self) {
        self.finish();
    }

    fn operator(&mut self, c: u8) -> Result<bool, ParseError> {
        match c {
            b'<' if self.peek(1) == Some(b'#') => self.skip_block_comment(),
            b';' | b'|' => {
                self.i += if self.peek(1) == Some(b'|') { 2 } else { 1 };
                self.finish();
            }
            b'&' => {
                if self.peek(1) == Some(b'&') {
                    self.i += 2;
                    self.finish();
                } else if self.cur.words.is_empty() {
                    // the call operator: `& curl.exe …`
                    self.i += 1;
                } else {
                    self.i += 1;
                    self.finish();
                }
            }
            b'>' => self.redirect_out()?,
            b'0'..=b'9' | b'*' if self.peek(1) == Some(b'>') => {
                self.i += 1;
                self.redirect_out()?;
            }
            b'<' => {
                // `<` is reserved in PowerShell; read it leniently as an input file
                self.i += 1;
                self.skip_blanks();
                if self.peek(0).is_some_and(|c| !ends_word(c)) {
                    let w = self.word()?;
                    self.cur.stdin = Stdin::File(w.text);
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn read_word(&mut self) -> Result<Word, ParseError> {
        self.word()
    }

    /// A `--%` word starts stop-parsing mode; others are arguments.
    fn push_word(&mut self, word: Word) -> Result<(), ParseError> {
        if word.text == "--%" {
            self.stop_parsing()
        } else {
            self.cur.words.push(word);
            Ok(())
        }
    }
}

impl Ps<'_> {
    fn finish(&mut self) {
        if !self.cur.words.is_empty() {
            self.out.push(std::mem::take(&mut self.cur));
        }
        self.cur = Command::default();
    }

    fn skip_block_comment(&mut self) {
        let rest = self.b.get(self.i + 2..).unwrap_or(&[]);
        let n = rest
            .windows(2)
            .position(|w| w == b"#>")
            .map(|p| p + 2)
            .unwrap_or(rest.len());
        self.i += 2 + n;
    }

    /// `>`, `>>`, `2>`, `2>&1`, `*>`: skips the operator and its target.
    fn redirect_out(&mut self) -> Result<(), ParseError> {
        self.i += 1;
        if self.peek(0) == Some(b'>') {
            self.i += 1;
        }
        if self.peek(0) == Some(b'&') {
            // `2>&1` merges streams: no file target
            self.i += 1;
            while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
            return Ok(());
        }
        self.skip_blanks();
        if self.peek(0).is_some_and(|c| !ends_word(c)) {
            let _ = self.word()?;
        }
        Ok(())
    }

    /// `--%`: the rest of the line goes to the C runtime as written.
    fn stop_parsing(&mut self) -> Result<(), ParseError> {
        let mut p = Pass1::raw_at(self.text, self.i);
        while let Next::Arg(w) = split_arg(&mut p)? {
            self.cur.words.push(w);
        }
        // in raw mode the only separator is the end of the line (or a `|`): consume it
        p.next();
        self.i = p.position();
        self.finish();
        Ok(())
    }

    /// Reads one argument at the cursor.
    fn word(&mut self) -> Result<Word, ParseError> {
        let start = self.i;
        let mut buf: Vec<u8> = Vec::new();
        while let Some(c) = self.peek(0) {
            match c {
                b'\r' if !matches!(self.peek(1), Some(b'\n') | None) => {
                    buf.push(c);
                    self.i += 1;
                }
                _ if ends_word(c) => break,
                b'`' => {
                    if self.peek(1).is_none() {
                        // a backtick at the very end escapes nothing
                        self.i += 1;
                        break;
                    }
                    if self.line_break_len(1).is_some() {
                        break;
                    }
                    self.i += 1;
                    self.escape(&mut buf);
                }
                b'\'' => self.single_quoted(&mut buf)?,
                b'"' => self.double_quoted(&mut buf)?,
                b'$' if self.peek(1) == Some(b'(') => {
                    self.copy_expansion(&mut buf, "subexpression")?
                }
                b'\\' if self.peek(1) == Some(b'"') => {
                    buf.push(b'"');
                    self.i += 2;
                }
                _ => self.take_plain_run(&mut buf, special_in_word),
            }
        }
        Ok(Word {
            text: bytes_to_string(buf),
            offset: start,
        })
    }

    /// A backtick escape; the cursor is on the escaped character.
    fn escape(&mut self, buf: &mut Vec<u8>) {
        let Some(e) = self.peek(0) else {
            return;
        };
        self.i += 1;
        match e {
            b'0' => buf.push(0),
            b'a' => buf.push(0x07),
            b'b' => buf.push(0x08),
            b'e' => buf.push(0x1b),
            b'f' => buf.push(0x0c),
            b'n' => buf.push(b'\n'),
            b'r' => buf.push(b'\r'),
            b't' => buf.push(b'\t'),
            b'v' => buf.push(0x0b),
            b'u' if self.peek(0) == Some(b'{') => {
                let rest = self.b.get(self.i + 1..).unwrap_or(&[]);
                let close = rest.iter().take(7).position(|&c| c == b'}');
                let code = close.and_then(|n| {
                    std::str::from_utf8(head(rest, n))
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                });
                match (close, code) {
                    (Some(n), Some(code)) => {
                        push_char(buf, code);
                        self.i += n + 2;
                    }
                    _ => buf.push(b'u'),
                }
            }
            other => buf.push(other),
        }
    }

    /// `'…'` with `''` for a literal quote.
    fn single_quoted(&mut self, buf: &mut Vec<u8>) -> Result<(), ParseError> {
        let open = self.i;
        self.i += 1;
        loop {
            let Some(c) = self.take_until(buf, |c| c == b'\'' || c == b'\\') else {
                return Err(unterminated_quote(open, b'\''));
            };
            if c == b'\\' {
                if self.peek(1) == Some(b'"') {
                    buf.push(b'"');
                    self.i += 2;
                } else {
                    buf.push(b'\\');
                    self.i += 1;
                }
                continue;
            }
            if self.peek(1) == Some(b'\'') {
                buf.push(b'\'');
                self.i += 2;
                continue;
            }
            self.i += 1;
            return Ok(());
        }
    }

    /// `"…"` with backtick escapes, `""`, and `\"` (see the module docs).
    fn double_quoted(&mut self, buf: &mut Vec<u8>) -> Result<(), ParseError> {
        let open = self.i;
        self.i += 1;
        loop {
            let Some(c) = self.take_until(buf, |c| matches!(c, b'"' | b'`' | b'\\' | b'$')) else {
                return Err(unterminated_quote(open, b'"'));
            };
            match c {
                b'"' => {
                    if self.peek(1) == Some(b'"') {
                        buf.push(b'"');
                        self.i += 2;
                    } else {
                        self.i += 1;
                        return Ok(());
                    }
                }
                b'`' => {
                    self.i += 1;
                    self.escape(buf);
                }
                b'\\' => {
                    let closes = matches!(
                        self.peek(2),
                        None | Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'|')
                    );
                    if self.peek(1) == Some(b'"') && !closes {
                        buf.push(b'"');
                        self.i += 2;
                    } else {
                        buf.push(b'\\');
                        self.i += 1;
                    }
                }
                b'$' if self.peek(1) == Some(b'(') => self.copy_expansion(buf, "subexpression")?,
                _ => {
                    buf.push(c);
                    self.i += 1;
                }
            }
        }
    }
}

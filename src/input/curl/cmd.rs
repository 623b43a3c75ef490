//! The Windows `cmd.exe` tokenizer, modelled as the two passes a command really goes through:
//!
//! 1. **cmd.exe** reads the line: outside `"…"` a `^` escapes the next character (so `^&`,
//!    `^|`, `^<`, `^>` lose their meaning and `^"` does *not* toggle cmd's quote state), `^`
//!    before a newline continues the command on the next line and takes that line's first
//!    character literally (Chrome writes a newline in data as `^` + two newlines), and an
//!    unescaped `&`, `&&`, `||`, `|`, `<`, `>` or newline ends the command. Inside `"…"` every
//!    character is literal, `^` included. `%VAR%` is left as written (never expanded).
//! 2. **The C runtime** of `curl.exe` splits what cmd passed into `argv`: blanks separate
//!    arguments outside quotes, `"` toggles quoting, `""` inside quotes is a literal quote,
//!    `2n` backslashes before `"` give `n` backslashes and a quote toggle, `2n+1` give `n`
//!    backslashes and a literal `"`; other backslashes are literal.
//!
//! References: Microsoft, "Parsing C command-line arguments"; Chromium DevTools
//! `escapeStringWin` (the `^"…^"` quoting of "Copy as cURL (cmd)").
//!
//! Pass 1 is a streaming iterator and pass 2 pulls from it, so no per-byte side tables are
//! built (a 20 MB line stays a 20 MB buffer).

use super::shell::{bytes_to_string, prompt_len, Command, Stdin, Word};
use crate::error::ParseError;

/// Splits cmd text into simple commands.
pub(super) fn split(text: &str) -> Result<Vec<Command>, ParseError> {
    let mut p = Pass1::new(text, false);
    let mut out = Vec::new();
    let mut cur = Command::default();
    loop {
        match split_arg(&mut p)? {
            Next::Arg(word) => cur.words.push(word),
            Next::Sep(Sep::End) => {
                if !cur.words.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                if p.peek().is_none() {
                    return Ok(out);
                }
                p.next();
            }
            Next::Sep(Sep::RedirIn) => {
                p.next();
                if let Next::Arg(target) = split_arg(&mut p)? {
                    cur.stdin = Stdin::File(target.text);
                }
            }
            Next::Sep(Sep::RedirOut) => {
                p.next();
                // the target (`nul`, `out.txt`) is not an argument of curl
                let _ = split_arg(&mut p)?;
            }
        }
    }
}

/// What ends an argument besides blanks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sep {
    /// End of the command: newline, `&`, `&&`, `||`, `|`, or the end of the text.
    End,
    /// `<`: standard input from a file.
    RedirIn,
    /// `>`, `>>`, `2>`, `2>&1`: output redirection.
    RedirOut,
}

/// One event of pass 1.
#[derive(Clone, Copy, Debug)]
pub(super) enum Ev {
    /// A character for the C runtime (escaped characters included).
    Ch { b: u8, off: usize },
    /// An operator cmd acted on.
    Sep(Sep),
}

/// Pass 1 (cmd.exe's own reading), as an iterator of [`Ev`]s. With `raw` set it only splits
/// at newlines and `|` — the PowerShell `--%` stop-parsing mode, which hands the rest of the
/// line verbatim to the program's C runtime.
pub(super) struct Pass1<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    in_quote: bool,
    at_command_start: bool,
    raw: bool,
    peeked: Option<Option<Ev>>,
}

impl<'a> Pass1<'a> {
    /// A pass-1 reader over `text` (`raw`: PowerShell `--%` mode).
    pub(super) fn new(text: &'a str, raw: bool) -> Pass1<'a> {
        Pass1 {
            text,
            b: text.as_bytes(),
            i: 0,
            in_quote: false,
            at_command_start: !raw,
            raw,
            peeked: None,
        }
    }

    /// A raw (`--%`) reader starting at byte `at`.
    pub(super) fn raw_at(text: &'a str, at: usize) -> Pass1<'a> {
        let mut p = Pass1::new(text, true);
        p.i = at;
        p
    }

    /// The byte position pass 1 has read up to (after a peeked event).
    pub(super) fn position(&self) -> usize {
        self.i
    }

    /// The next event, without consuming it.
    pub(super) fn peek(&mut self) -> Option<Ev> {
        if self.peeked.is_none() {
            let ev = self.read();
            self.peeked = Some(ev);
        }
        self.peeked.flatten()
    }

    /// Consumes the next event.
    pub(super) fn next(&mut self) -> Option<Ev> {
        match self.peeked.take() {
            Some(ev) => ev,
            None => self.read(),
        }
    }

    /// Fast path for long arguments: takes a run of bytes that neither pass treats specially
    /// (no quote, caret, operator, blank, backslash or line break), when no event is peeked.
    fn take_plain_run(&mut self) -> &'a [u8] {
        if self.peeked.is_some() || self.at_command_start {
            return &[];
        }
        let b: &'a [u8] = self.b;
        let rest = b.get(self.i..).unwrap_or(&[]);
        let raw = self.raw;
        let n = rest
            .iter()
            .enumerate()
            .position(|(k, &c)| {
                matches!(c, b'"' | b'\\' | b' ' | b'\t' | b'\n' | b'\r' | b'|')
                    || (!raw && matches!(c, b'^' | b'&' | b'<' | b'>'))
                    || (!raw && c.is_ascii_digit() && rest.get(k + 1) == Some(&b'>'))
            })
            .unwrap_or(rest.len());
        self.i += n;
        rest.get(..n).unwrap_or(&[])
    }

    fn byte(&self, k: usize) -> Option<u8> {
        self.b.get(self.i.checked_add(k)?).copied()
    }

    /// At the start of a command: skips blanks, a prompt, `@` (echo off) and `rem`/`::`
    /// comment lines.
    fn command_start(&mut self) {
        loop {
            while matches!(self.byte(0), Some(b' ' | b'\t' | b'\r')) {
                self.i += 1;
            }
            if let Some(n) = prompt_len(self.text, self.i) {
                self.i += n;
                continue;
            }
            if self.byte(0) == Some(b'@') {
                self.i += 1;
                continue;
            }
            let rest = self.b.get(self.i..).unwrap_or(&[]);
            let is_rem = rest
                .get(..3)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"rem"))
                && matches!(rest.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
            if rest.starts_with(b"::") || is_rem {
                let n = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                self.i += n;
            }
            return;
        }
    }

    fn read(&mut self) -> Option<Ev> {
        if self.at_command_start {
            self.at_command_start = false;
            self.command_start();
        }
        loop {
            let off = self.i;
            let c = self.byte(0)?;
            if c == b'\r' && self.byte(1) == Some(b'\n') {
                self.i += 1;
                continue;
            }
            if c == b'\n' {
                // a newline ends the command even inside quotes (cmd reads line by line)
                self.i += 1;
                self.in_quote = false;
                self.at_command_start = !self.raw;
                return Some(Ev::Sep(Sep::End));
            }
            if self.raw {
                self.i += 1;
                if c == b'|' {
                    return Some(Ev::Sep(Sep::End));
                }
                return Some(Ev::Ch { b: c, off });
            }
            if c == b'"' {
                self.in_quote = !self.in_quote;
                self.i += 1;
                return Some(Ev::Ch { b: c, off });
            }
            if self.in_quote {
                self.i += 1;
                return Some(Ev::Ch { b: c, off });
            }
            match c {
                b'^' => match self.byte(1) {
                    Some(b'\n') | Some(b'\r') => {
                        // continuation: drop `^` and the line break; the next character is
                        // taken literally (a second newline becomes part of the argument)
                        self.i += if self.byte(1) == Some(b'\r') && self.byte(2) == Some(b'\n') {
                            3
                        } else {
                            2
                        };
                        let n = self.byte(0)?;
                        let off = self.i;
                        if n == b'\r' && self.byte(1) == Some(b'\n') {
                            self.i += 2;
                            return Some(Ev::Ch { b: b'\n', off });
                        }
                        self.i += 1;
                        return Some(Ev::Ch { b: n, off });
                    }
                    Some(n) => {
                        self.i += 2;
                        return Some(Ev::Ch { b: n, off: off + 1 });
                    }
                    None => {
                        self.i += 1;
                        continue;
                    }
                },
                b'&' | b'|' => {
                    self.i += if self.byte(1) == Some(c) { 2 } else { 1 };
                    self.at_command_start = true;
                    return Some(Ev::Sep(Sep::End));
                }
                b'<' => {
                    self.i += 1;
                    return Some(Ev::Sep(Sep::RedirIn));
                }
                b'>' => {
                    self.i += 1;
                    if self.byte(0) == Some(b'>') {
                        self.i += 1;
                    }
                    if self.byte(0) == Some(b'&') {
                        // `2>&1`: the target is a handle number, read as the "word"
                        self.i += 1;
                    }
                    return Some(Ev::Sep(Sep::RedirOut));
                }
                b'0'..=b'9'
                    if self.byte(1) == Some(b'>')
                        && (off == 0
                            || matches!(self.b.get(off - 1), Some(b' ' | b'\t' | b'\n'))) =>
                {
                    // `2>nul`: the handle number belongs to the redirection
                    self.i += 1;
                    continue;
                }
                _ => {
                    self.i += 1;
                    return Some(Ev::Ch { b: c, off });
                }
            }
        }
    }
}

/// What [`split_arg`] found.
pub(super) enum Next {
    /// An argument.
    Arg(Word),
    /// No argument before this separator (not consumed; `End` also at the end of the text).
    Sep(Sep),
}

/// Pass 2: the C runtime's argument splitting over pass-1 events. Skips blanks, then reads
/// one argument; stops before a separator.
pub(super) fn split_arg(p: &mut Pass1<'_>) -> Result<Next, ParseError> {
    while let Some(Ev::Ch {
        b: b' ' | b'\t', ..
    }) = p.peek()
    {
        p.next();
    }
    let start = match p.peek() {
        None => return Ok(Next::Sep(Sep::End)),
        Some(Ev::Sep(s)) => return Ok(Next::Sep(s)),
        Some(Ev::Ch { off, .. }) => off,
    };
    let mut buf: Vec<u8> = Vec::new();
    let mut in_q = false;
    let mut quote_at = start;
    loop {
        let run = p.take_plain_run();
        if !run.is_empty() {
            buf.extend_from_slice(run);
            continue;
        }
        match p.peek() {
            None | Some(Ev::Sep(_)) => break,
            Some(Ev::Ch {
                b: b' ' | b'\t', ..
            }) if !in_q => break,
            Some(Ev::Ch { b: b'\\', .. }) => {
                let mut n = 0usize;
                while let Some(Ev::Ch { b: b'\\', .. }) = p.peek() {
                    p.next();
                    n += 1;
                }
                if let Some(Ev::Ch { b: b'"', .. }) = p.peek() {
                    buf.extend(std::iter::repeat_n(b'\\', n / 2));
                    if n % 2 == 1 {
                        buf.push(b'"');
                        p.next();
                    }
                } else {
                    buf.extend(std::iter::repeat_n(b'\\', n));
                }
            }
            Some(Ev::Ch { b: b'"', off }) => {
                p.next();
                if in_q {
                    if let Some(Ev::Ch { b: b'"', .. }) = p.peek() {
                        // `""` inside quotes: a literal quote, still quoted
                        buf.push(b'"');
                        p.next();
                    } else {
                        in_q = false;
                    }
                } else {
                    in_q = true;
                    quote_at = off;
                }
            }
            Some(Ev::Ch { b, .. }) => {
                buf.push(b);
                p.next();
            }
        }
    }
    if in_q {
        // The C runtime would accept it, but a quote left open at the end of a line is
        // almost always a paste that lost its end (or an unescaped `&`/`|` that cmd split
        // the command at); say so instead of guessing.
        return Err(ParseError::new(
            quote_at,
            "unterminated double quote; expected a closing \" before the end of the command",
        ));
    }
    Ok(Next::Arg(Word {
        text: bytes_to_string(buf),
        offset: start,
    }))
}

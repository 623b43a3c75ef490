//! What the three shell tokenizers share: the [`Command`]/[`Word`] types they produce,
//! prompt skipping (`$ `, `> `, `PS C:\> `), recognising the `curl` program word, small
//! byte helpers, and for the line-oriented dialects (bash, PowerShell) the [`Lexer`] that
//! runs their reading loop, leaving each dialect its operators and quoting rules.
//!
//! Tokenizers work on bytes and build each word as bytes, so escapes that produce raw bytes
//! (`$'\xff'`) are kept until the word is finished, then decoded as UTF-8 (lossily) once —
//! never by repeated string concatenation.

use super::{bash, cmd, powershell, Dialect};
use crate::error::ParseError;

/// One argument of a command, after the shell's quote removal and escape processing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Word {
    /// The argument as the program receives it.
    pub text: String,
    /// Byte offset in the input where the word starts.
    pub offset: usize,
}

/// Where a command's standard input comes from; only `@-` style arguments (`-d @-`, `-T -`)
/// care.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) enum Stdin {
    /// Not redirected (a terminal or a pipe from another command we do not run).
    #[default]
    Inherited,
    /// `< file`: the file name (never read).
    File(String),
    /// A heredoc (`<<EOF`) or here-string (`<<< word`): the text itself.
    Content(String),
}

/// One simple command: its words and its standard input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Command {
    /// Words after quote removal; the first is the program.
    pub words: Vec<Word>,
    /// Standard input redirection, if any.
    pub stdin: Stdin,
    /// The command reads the previous command's output through a pipe (`echo … | curl …`).
    pub piped: bool,
}

/// What a command writes to a pipe when it is `echo` (the only producer worth reading:
/// `echo '{"a":1}' | curl -d @- …`): its arguments joined by spaces plus a newline
/// (`-n` drops the newline; `-e`/`-E` are skipped, escapes are not interpreted).
pub(super) fn echo_output(command: &Command) -> Option<String> {
    let (program, args) = command.words.split_first()?;
    if program.text != "echo" {
        return None;
    }
    let mut newline = true;
    let mut words = args.iter().map(|w| w.text.as_str()).peekable();
    while let Some(&flag) = words.peek() {
        match flag {
            "-n" => newline = false,
            "-e" | "-E" | "-ne" | "-en" => newline &= !flag.contains('n'),
            _ => break,
        }
        words.next();
    }
    let mut out = words.collect::<Vec<_>>().join(" ");
    if newline {
        out.push('\n');
    }
    Some(out)
}

/// Splits `text` into simple commands with the tokenizer of `dialect`.
pub(super) fn split_commands(text: &str, dialect: Dialect) -> Result<Vec<Command>, ParseError> {
    match dialect {
        Dialect::Bash => bash::split(text),
        Dialect::Cmd => cmd::split(text),
        Dialect::PowerShell => powershell::split(text),
    }
}

/// True for `curl`, `curl.exe`, `/usr/bin/curl`, `C:\Windows\System32\curl.exe` (any case:
/// Windows file names are case-insensitive).
pub(super) fn is_curl_program(word: &str) -> bool {
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    base.eq_ignore_ascii_case("curl") || base.eq_ignore_ascii_case("curl.exe")
}

/// Index of the `curl` word of a command, skipping what may precede the program: variable
/// assignments (`TOKEN=x curl …`), `sudo`/`time`/`env`/`command`/`exec`/`noglob`, and
/// PowerShell's call operator `&`. None when the command is not a curl command.
pub(super) fn curl_word_index(words: &[Word]) -> Option<usize> {
    for (i, word) in words.iter().enumerate() {
        let t = word.text.as_str();
        if is_curl_program(t) {
            return Some(i);
        }
        let is_assignment = t
            .split_once('=')
            .map(|(name, _)| {
                !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && name.as_bytes().first().is_some_and(|b| !b.is_ascii_digit())
            })
            .unwrap_or(false);
        let is_prefix = matches!(
            t,
            "sudo" | "time" | "env" | "command" | "exec" | "noglob" | "&" | "nohup"
        );
        if !(is_assignment || is_prefix) {
            return None;
        }
    }
    None
}

/// Length of a shell prompt at byte `at` of `text` that is directly followed by a curl
/// command: `$ `, `% `, `> `, `PS> `, `PS C:\path> `, `C:\path>`. None when there is no
/// prompt there (or what follows is not curl, so `> file` stays a redirection).
pub(super) fn prompt_len(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    // a prompt is short: look at a bounded window so that a line holding thousands of
    // commands (`a&b&c…`) is not rescanned at each of them
    let mut end = rest.len().min(256);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let window = rest.get(..end).unwrap_or("");
    let line = window.split('\n').next().unwrap_or(window);
    let candidates: [Option<usize>; 3] = [
        // `$ `, `% `, `> ` (bash, zsh, generic)
        match line.as_bytes() {
            [b'$' | b'%' | b'>', b' ' | b'\t', ..] => Some(1),
            _ => None,
        },
        // `PS> ` or `PS C:\Users\me> `
        if line.starts_with("PS>") {
            Some(3)
        } else if line.starts_with("PS ") {
            line.find('>').map(|i| i + 1)
        } else {
            None
        },
        // `C:\Users\me>` (cmd)
        match line.as_bytes() {
            [d, b':', b'\\', ..] if d.is_ascii_alphabetic() => line.find('>').map(|i| i + 1),
            _ => None,
        },
    ];
    for len in candidates.into_iter().flatten() {
        let after = line.get(len..)?;
        let trimmed = after.trim_start_matches([' ', '\t']);
        let word = trimmed
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        if is_curl_program(word.trim_start_matches('@')) {
            return Some(len + (after.len() - trimmed.len()));
        }
    }
    None
}

/// Decodes a finished word: no copy when it is valid UTF-8, lossy otherwise.
pub(super) fn bytes_to_string(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Appends `seg` to `buf`, turning `\r\n` into `\n` (text pasted from Windows; curlconverter
/// normalises line endings the same way before parsing).
pub(super) fn push_text(buf: &mut Vec<u8>, seg: &[u8]) {
    if !seg.contains(&b'\r') {
        buf.extend_from_slice(seg);
        return;
    }
    let mut iter = seg.iter().peekable();
    while let Some(&b) = iter.next() {
        if b == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        buf.push(b);
    }
}

/// The first `n` bytes of `s` (all of it when shorter).
pub(super) fn head(s: &[u8], n: usize) -> &[u8] {
    s.get(..n).unwrap_or(s)
}

/// Pushes the UTF-8 encoding of a code point (U+FFFD for surrogates and out-of-range values).
pub(super) fn push_char(buf: &mut Vec<u8>, code: u32) {
    let c = char::from_u32(code).unwrap_or('\u{fffd}');
    let mut tmp = [0u8; 4];
    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

/// Shortens a text for an error message (on a char boundary).
pub(super) fn ellipsize(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max_chars).collect();
    out.push('…');
    out
}

/// The error for a `'…'` or `"…"` (`quote`) opened at byte `open` and never closed.
pub(super) fn unterminated_quote(open: usize, quote: u8) -> ParseError {
    let message = if quote == b'\'' {
        "unterminated single quote; expected a closing '"
    } else {
        "unterminated double quote; expected a closing \""
    };
    ParseError::new(open, message)
}

/// The state of a line-oriented shell tokenizer (bash, PowerShell): the input, the cursor,
/// the commands read so far, and what the dialect keeps besides (`S`). A dialect implements
/// [`Tokenizer`] for its `Lexer` (its operators and how it reads a word: its quoting and
/// escaping rules); the byte-cursor helpers and the line structure are shared, here.
pub(super) struct Lexer<'a, S> {
    /// The input.
    pub text: &'a str,
    /// The input bytes.
    pub b: &'a [u8],
    /// The cursor: a byte offset in the input.
    pub i: usize,
    /// The commands read so far.
    pub out: Vec<Command>,
    /// The command being read.
    pub cur: Command,
    /// The dialect's own state.
    pub state: S,
}

/// What a dialect adds to the shared [`Lexer`] loop.
pub(super) trait Tokenizer {
    /// The escape character that continues a command on the next line (`\`, `` ` ``).
    const CONTINUATION: u8;
    /// Ends the current command at a newline or at the end of the text.
    fn end_line(&mut self);
    /// Reads the operator at the cursor, whose byte is `c`; false when `c` starts a word.
    fn operator(&mut self, c: u8) -> Result<bool, ParseError>;
    /// Reads one word at the cursor (which is not at a blank or an operator).
    fn read_word(&mut self) -> Result<Word, ParseError>;
    /// Adds a word to the current command.
    fn push_word(&mut self, word: Word) -> Result<(), ParseError>;
}

/// Splits `text` into simple commands with the tokenizer of a dialect, whose own state starts
/// as `state`.
pub(super) fn tokenize<'a, S>(text: &'a str, state: S) -> Result<Vec<Command>, ParseError>
where
    Lexer<'a, S>: Tokenizer,
{
    let mut t = Lexer {
        text,
        b: text.as_bytes(),
        i: 0,
        out: Vec::new(),
        cur: Command::default(),
        state,
    };
    t.run()?;
    Ok(t.out)
}

impl<S> Lexer<'_, S>
where
    Self: Tokenizer,
{
    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            self.skip_blanks();
            let Some(c) = self.peek(0) else {
                self.end_line();
                return Ok(());
            };
            if self.cur.words.is_empty() {
                if let Some(n) = prompt_len(self.text, self.i) {
                    self.i += n;
                    continue;
                }
            }
            match c {
                b'\n' => {
                    self.i += 1;
                    self.end_line();
                }
                // only reached at the start of a word: a comment up to the end of the line
                b'#' => self.skip_line(),
                _ if self.operator(c)? => {}
                _ => {
                    let before = self.i;
                    let word = self.read_word()?;
                    if self.i == before {
                        // defensive: never loop without progress
                        self.i += 1;
                        continue;
                    }
                    self.push_word(word)?;
                }
            }
        }
    }

    /// Skips spaces, tabs, carriage returns and escaped-newline continuations.
    pub(super) fn skip_blanks(&mut self) {
        loop {
            match self.peek(0) {
                Some(b' ' | b'\t' | b'\r') => self.i += 1,
                Some(c) if c == Self::CONTINUATION => match self.line_break_len(1) {
                    Some(n) => self.i += 1 + n,
                    None => return,
                },
                _ => return,
            }
        }
    }
}

/// Byte cursor helpers shared by the tokenizers.
impl<S> Lexer<'_, S> {
    /// The bytes from the cursor on.
    pub(super) fn rest(&self) -> &[u8] {
        self.b.get(self.i..).unwrap_or(&[])
    }

    /// The byte `k` positions ahead, if any.
    pub(super) fn peek(&self, k: usize) -> Option<u8> {
        self.b.get(self.i.checked_add(k)?).copied()
    }

    /// True when the input continues with `s` at the current position.
    pub(super) fn at(&self, s: &[u8]) -> bool {
        self.rest().starts_with(s)
    }

    /// Length of the line break (`\n` or `\r\n`) `k` positions ahead, if there is one.
    pub(super) fn line_break_len(&self, k: usize) -> Option<usize> {
        match self.peek(k)? {
            b'\n' => Some(1),
            b'\r' if self.peek(k + 1) == Some(b'\n') => Some(2),
            _ => None,
        }
    }

    /// Moves the cursor to the end of the line (a comment), before its newline.
    pub(super) fn skip_line(&mut self) {
        let rest = self.rest();
        self.i += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
    }

    /// Appends the text up to the next byte for which `stop` holds (see [`push_text`]) and
    /// moves the cursor onto that byte, which it returns. None, with nothing read, when there
    /// is no such byte (an unterminated quote).
    pub(super) fn take_until(
        &mut self,
        buf: &mut Vec<u8>,
        stop: impl Fn(u8) -> bool,
    ) -> Option<u8> {
        let rest = self.b.get(self.i..)?;
        let n = rest.iter().position(|&c| stop(c))?;
        push_text(buf, head(rest, n));
        self.i += n;
        rest.get(n).copied()
    }

    /// Appends the byte at the cursor and those after it up to the next one for which
    /// `special` holds (the fast path through long unquoted words).
    pub(super) fn take_plain_run(&mut self, buf: &mut Vec<u8>, special: impl Fn(u8) -> bool) {
        let rest = self.b.get(self.i..).unwrap_or(&[]);
        let run = rest
            .iter()
            .skip(1)
            .position(|&c| special(c))
            .map(|p| p + 1)
            .unwrap_or(rest.len());
        buf.extend_from_slice(head(rest, run));
        self.i += run;
    }

    /// Copies the `$(…)`, `$((…))` or `${…}` at the cursor literally (it is never expanded);
    /// `what` names it in the error when it is never closed.
    pub(super) fn copy_expansion(
        &mut self,
        buf: &mut Vec<u8>,
        what: &str,
    ) -> Result<(), ParseError> {
        let open = self.i;
        let Some(end) = expansion_end(self.b, open) else {
            let (opener, close) = if self.peek(1) == Some(b'{') {
                ('{', '}')
            } else {
                ('(', ')')
            };
            return Err(ParseError::new(
                open,
                format!("unterminated ${opener} {what}; expected a closing {close}"),
            ));
        };
        buf.extend_from_slice(self.b.get(open..end).unwrap_or(&[]));
        self.i = end;
        Ok(())
    }
}

/// Scans a `$( … )`, `$(( … ))` or `${ … }` expansion starting at `start` (the `$`) and
/// returns the index just after its closing bracket, skipping quoted spans and escapes so a
/// `)` inside quotes does not end it. None when it is never closed.
pub(super) fn expansion_end(b: &[u8], start: usize) -> Option<usize> {
    let open = *b.get(start + 1)?;
    let close = if open == b'{' { b'}' } else { b')' };
    let mut depth = 0usize;
    let mut i = start + 1;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 1,
            b'\'' if open == b'(' => {
                i = i + 1 + b.get(i + 1..)?.iter().position(|&x| x == b'\'')?;
            }
            b'"' => {
                let mut j = i + 1;
                loop {
                    match b.get(j)? {
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                i = j;
            }
            _ if c == open => depth += 1,
            _ if c == close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

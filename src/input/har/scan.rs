//! The byte-level streaming JSON scanner under the HAR reader: a fixed-size window over any
//! [`Read`], string/escape aware, that skips values without building them (long strings such
//! as base64 bodies are jumped through with `memchr`), walks the few objects the reader cares
//! about key by key, and keeps the JSON path for error messages.
//!
//! Memory: the window holds one read chunk plus, while a caller asks for it
//! ([`Scanner::retain_from_here`]), the bytes of the value being kept (one HAR entry). Nothing
//! else of the input stays in memory.
//!
//! Strictness: the structure is checked fully (brackets, commas, colons, strings, literals);
//! inside strings only the quoting is checked, and numbers are accepted as any run of number
//! characters. Entries that are kept are parsed again by serde, which checks everything.

use std::io::Read;

use memchr::memchr;

use crate::error::ParseError;

/// Longest key kept in a path segment (longer keys are cut for display).
const KEY_MAX: usize = 40;

/// One step of the JSON path, for error messages.
#[derive(Clone, Copy)]
pub(super) enum Seg {
    /// Inside an object, at this key (empty before the first key is read).
    Key { bytes: [u8; KEY_MAX], len: u8 },
    /// Inside an array, at this element.
    Index(usize),
}

impl Seg {
    fn empty_key() -> Seg {
        Seg::Key {
            bytes: [0; KEY_MAX],
            len: 0,
        }
    }

    fn key(raw: &[u8]) -> Seg {
        let mut bytes = [0; KEY_MAX];
        let len = raw.len().min(KEY_MAX);
        bytes[..len].copy_from_slice(&raw[..len]);
        Seg::Key {
            bytes,
            len: len as u8,
        }
    }
}

/// Segments shown at each end of a path deeper than twice this (see [`format_path`]).
const PATH_ENDS: usize = 8;

/// Formats a path as `log.entries[12].request.headers[3]`.
///
/// A path deeper than `2 * PATH_ENDS` segments (hostile nesting: `[[[[…` 10^5 deep) keeps
/// only its first and last `PATH_ENDS` segments around a `...(N more levels)...` marker, so
/// an error message stays one readable line instead of hundreds of kilobytes of `[0]`.
pub(super) fn format_path(path: &[Seg]) -> String {
    if path.len() > 2 * PATH_ENDS {
        let (head, rest) = path.split_at(PATH_ENDS);
        let (middle, tail) = rest.split_at(rest.len() - PATH_ENDS);
        return format!(
            "{}...({} more levels)...{}",
            format_path(head),
            middle.len(),
            format_path(tail).trim_start_matches('.')
        );
    }
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key { len: 0, .. } => {}
            Seg::Key { bytes, len } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&String::from_utf8_lossy(&bytes[..*len as usize]));
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// How a byte is named in an error message.
fn describe(b: u8) -> String {
    match b {
        b'"' => "'\"'".to_string(),
        0x21..=0x7e => format!("'{}'", b as char),
        b' ' => "a space".to_string(),
        _ => format!("byte 0x{b:02x}"),
    }
}

/// A short key read by [`Scanner::object`] (longer keys are marked as such and match nothing).
#[derive(Clone, Copy)]
pub(super) struct Key {
    bytes: [u8; KEY_MAX],
    len: usize,
    long: bool,
}

impl Key {
    /// The key's raw bytes (as written, escapes not decoded), empty for over-long keys.
    pub(super) fn as_bytes(&self) -> &[u8] {
        if self.long {
            &[]
        } else {
            &self.bytes[..self.len]
        }
    }
}

/// A streaming JSON scanner over a reader.
pub(super) struct Scanner<'p, R> {
    reader: R,
    /// The window; valid bytes are `buf[..end]`.
    buf: Vec<u8>,
    /// Next byte to look at.
    pos: usize,
    end: usize,
    /// Absolute input offset of `buf[0]`.
    base: u64,
    eof: bool,
    /// First byte the window must keep on refill (the value being retained), if any.
    retain: Option<usize>,
    /// The retention may be given up when it grows past the cap (nobody knows yet whether the
    /// value is wanted); then `lost` says where the value started.
    tentative: bool,
    lost: Option<u64>,
    /// Bytes asked of the reader per refill (and the size the window shrinks back to).
    chunk: usize,
    /// Largest retained value allowed, in bytes.
    max_retained: usize,
    /// Bytes read so far.
    read_total: u64,
    /// Where the scanner is, for error messages.
    path: Vec<Seg>,
    /// Reused for keys and decoded strings.
    scratch: Vec<u8>,
    progress: &'p mut dyn FnMut(u64),
}

impl<'p, R: Read> Scanner<'p, R> {
    /// A scanner reading `chunk` bytes at a time and retaining at most `max_retained` bytes.
    pub(super) fn new(
        reader: R,
        chunk: usize,
        max_retained: usize,
        progress: &'p mut dyn FnMut(u64),
    ) -> Self {
        let chunk = chunk.max(64);
        Scanner {
            reader,
            buf: vec![0; chunk],
            pos: 0,
            end: 0,
            base: 0,
            eof: false,
            retain: None,
            tentative: false,
            lost: None,
            chunk,
            max_retained,
            read_total: 0,
            path: Vec::with_capacity(32),
            scratch: Vec::new(),
            progress,
        }
    }

    /// Bytes read from the input so far.
    pub(super) fn bytes_read(&self) -> u64 {
        self.read_total
    }

    /// Absolute input offset of the next byte.
    pub(super) fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The current path (containers and keys the scanner is inside).
    pub(super) fn path(&self) -> &[Seg] {
        &self.path
    }

    // ---------------------------------------------------------------------------------------
    // The window.

    /// Reads more input into the window. Returns false at end of input.
    #[cold]
    fn refill(&mut self) -> Result<bool, ParseError> {
        if self.eof {
            return Ok(false);
        }
        let min_read = (self.chunk / 4).max(16);
        if self.buf.len() - self.end < min_read {
            // Drop what nobody needs any more: everything before the retained value, or
            // before the current position when nothing is retained.
            let keep_from = self.retain.map_or(self.pos, |r| r.min(self.pos));
            if keep_from > 0 {
                self.buf.copy_within(keep_from..self.end, 0);
                self.end -= keep_from;
                self.pos -= keep_from;
                self.base += keep_from as u64;
                if let Some(r) = self.retain.as_mut() {
                    *r -= keep_from;
                }
            }
            if self.buf.len() - self.end < min_read && self.end > self.max_retained {
                let start = self.base + self.retain.unwrap_or(0) as u64;
                if !self.tentative {
                    return Err(self.too_large(start));
                }
                // Undecided and too large: stop keeping it; wanting it later is the error.
                self.lost = Some(start);
                self.retain = None;
                self.buf.copy_within(self.pos..self.end, 0);
                self.base += self.pos as u64;
                self.end -= self.pos;
                self.pos = 0;
            }
            if self.buf.len() - self.end < min_read {
                // Still full: the retained value is larger than the window. Grow by doubling
                // (amortised copying stays linear), up to the cap.
                let want = (self.buf.len() * 2).max(self.end + self.chunk);
                self.buf.resize(want, 0);
            } else if self.retain.is_none() && self.buf.len() > 4 * self.chunk {
                // A large kept value is done: give its memory back.
                let mut small = vec![0; self.chunk.max(self.end + min_read)];
                small[..self.end].copy_from_slice(&self.buf[..self.end]);
                self.buf = small;
            }
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    self.read_total += n as u64;
                    (self.progress)(self.read_total);
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(ParseError::new(
                        (self.base + self.end as u64) as usize,
                        format!("cannot read the input: {e}"),
                    ))
                }
            }
        }
    }

    fn too_large(&self, at: u64) -> ParseError {
        let mut path = self.path.clone();
        // The retained value is the entry: name it, not whatever is inside it right now.
        if let Some(i) = path.iter().position(|s| matches!(s, Seg::Index(_))) {
            path.truncate(i + 1);
        }
        ParseError::new(
            at as usize,
            format!(
                "{} is larger than {}; expected HAR entries of a reasonable size (save the HAR without response bodies, or split it)",
                display_path(&path, "the value"),
                human_size(self.max_retained)
            ),
        )
    }

    /// Starts retaining the input from the next byte on (until [`Scanner::release`]),
    /// tentatively: past the cap the bytes are let go, and [`Scanner::confirm`] fails.
    pub(super) fn retain_from_here(&mut self) {
        self.retain = Some(self.pos);
        self.tentative = true;
        self.lost = None;
    }

    /// The retained value is wanted: from now on, growing past the cap is an error.
    pub(super) fn confirm(&mut self) -> Result<(), ParseError> {
        if let Some(at) = self.lost {
            return Err(self.too_large(at));
        }
        self.tentative = false;
        Ok(())
    }

    /// Stops retaining: the window may drop the bytes on its next refill.
    pub(super) fn release(&mut self) {
        self.retain = None;
        self.tentative = false;
        self.lost = None;
    }

    /// The retained bytes up to the current position, with the absolute offset of the first.
    pub(super) fn retained(&self) -> (&[u8], u64) {
        let from = self.retain.unwrap_or(self.pos);
        (&self.buf[from..self.pos], self.base + from as u64)
    }

    // ---------------------------------------------------------------------------------------
    // Errors.

    /// The current path as text (empty at the top level).
    pub(super) fn path_string(&self) -> String {
        format_path(&self.path)
    }

    /// An error at absolute offset `at`, prefixed with the current path.
    pub(super) fn error_at(&self, at: u64, message: &str) -> ParseError {
        let path = self.path_string();
        let message = if path.is_empty() {
            message.to_string()
        } else {
            format!("{path}: {message}")
        };
        ParseError::new(at as usize, message)
    }

    /// An error for byte `b` at the current position, which is not what was expected.
    pub(super) fn unexpected(&self, b: u8, expected: &str) -> ParseError {
        self.error_at(
            self.offset(),
            &format!("unexpected {}; expected {expected}", describe(b)),
        )
    }

    /// An error for the input ending early.
    pub(super) fn eof_error(&self, expected: &str) -> ParseError {
        let at = (self.base + self.end as u64) as usize;
        let path = self.path_string();
        if path.is_empty() {
            ParseError::new(at, format!("unexpected end of file; expected {expected}"))
        } else {
            ParseError::new(
                at,
                format!("unexpected end of file inside {path}; expected {expected}"),
            )
        }
    }

    // ---------------------------------------------------------------------------------------
    // Tokens.

    /// Skips whitespace; returns the next byte without consuming it (None at end of input).
    #[inline]
    pub(super) fn peek(&mut self) -> Result<Option<u8>, ParseError> {
        loop {
            while self.pos < self.end {
                match self.buf[self.pos] {
                    b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                    b => return Ok(Some(b)),
                }
            }
            if !self.refill()? {
                return Ok(None);
            }
        }
    }

    /// Like [`Scanner::peek`], but the end of input is an error naming `expected`.
    #[inline]
    pub(super) fn peek_expect(&mut self, expected: &str) -> Result<u8, ParseError> {
        match self.peek()? {
            Some(b) => Ok(b),
            None => Err(self.eof_error(expected)),
        }
    }

    /// The next byte without skipping whitespace (None at end of input).
    pub(super) fn peek_raw(&mut self) -> Result<Option<u8>, ParseError> {
        if self.pos < self.end || self.refill()? {
            Ok(Some(self.buf[self.pos]))
        } else {
            Ok(None)
        }
    }

    /// Consumes the byte just peeked.
    #[inline]
    pub(super) fn bump(&mut self) {
        self.pos += 1;
    }

    /// Consumes `expected` (after whitespace) or fails naming `what`.
    pub(super) fn expect_byte(&mut self, expected: u8, what: &str) -> Result<(), ParseError> {
        let b = self.peek_expect(what)?;
        if b != expected {
            return Err(self.unexpected(b, what));
        }
        self.pos += 1;
        Ok(())
    }

    /// Consumes a string (after whitespace). With `sink`, its raw bytes
    /// (escapes not decoded, quotes excluded) are appended to it.
    ///
    /// This is the hot loop: `memchr` finds the next `"`, and the run of backslashes before it
    /// tells whether it is escaped (an odd run) — so long strings cost one vectorised scan.
    fn string_raw(&mut self, mut sink: Option<&mut Vec<u8>>) -> Result<(), ParseError> {
        let b = self.peek_expect("a string")?;
        if b != b'"' {
            return Err(self.unexpected(b, "a string"));
        }
        self.pos += 1;
        // Backslashes at the end of what was scanned before a refill, still part of the run.
        let mut carried = 0usize;
        loop {
            let hay = &self.buf[self.pos..self.end];
            match find_quote(hay) {
                Some(i) => {
                    let mut run = hay[..i].iter().rev().take_while(|&&b| b == b'\\').count();
                    if run == i {
                        run += carried;
                    }
                    if let Some(s) = sink.as_deref_mut() {
                        s.extend_from_slice(&hay[..i]);
                    }
                    if run % 2 == 0 {
                        self.pos += i + 1;
                        return Ok(());
                    }
                    if let Some(s) = sink.as_deref_mut() {
                        s.push(b'"');
                    }
                    self.pos += i + 1;
                    carried = 0;
                }
                None => {
                    let run = hay.iter().rev().take_while(|&&b| b == b'\\').count();
                    carried = if run == hay.len() { carried + run } else { run };
                    if let Some(s) = sink.as_deref_mut() {
                        s.extend_from_slice(hay);
                    }
                    self.pos = self.end;
                    if !self.refill()? {
                        return Err(self.eof_error("'\"' closing the string"));
                    }
                }
            }
        }
    }

    /// Consumes a string and returns it decoded (lossy UTF-8, bad escapes kept as written).
    pub(super) fn string(&mut self, out: &mut String) -> Result<(), ParseError> {
        let mut raw = std::mem::take(&mut self.scratch);
        raw.clear();
        let result = self.string_raw(Some(&mut raw));
        out.clear();
        if result.is_ok() {
            unescape_into(&raw, out);
        }
        self.scratch = raw;
        result
    }

    /// Consumes a number or `true`/`false`/`null`, whose first byte is the next byte.
    /// Returns the literal's first byte (`t`, `f`, `n`, or a number character).
    fn literal(&mut self, text: Option<&mut String>) -> Result<u8, ParseError> {
        let start = self.offset();
        // Enough for any literal word and the numbers the reader reads as text.
        let mut word = [0u8; 32];
        let mut len = 0usize;
        let mut total = 0usize;
        while let Some(b) = self.peek_raw()? {
            if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) {
                break;
            }
            if len < word.len() {
                word[len] = b;
                len += 1;
            }
            total += 1;
            self.pos += 1;
        }
        let word = &word[..len];
        let first = word.first().copied().unwrap_or(b' ');
        let ok = match first {
            b't' => total == 4 && word == b"true",
            b'f' => total == 5 && word == b"false",
            b'n' => total == 4 && word == b"null",
            _ => {
                total > 0
                    && word
                        .iter()
                        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
            }
        };
        if !ok {
            return Err(self.error_at(
                start,
                "invalid literal; expected a number, true, false or null",
            ));
        }
        if let Some(t) = text {
            t.clear();
            t.push_str(std::str::from_utf8(word).unwrap_or(""));
        }
        Ok(first)
    }

    /// Reads a key and the colon after it; the key is also recorded in the path.
    fn key_and_colon(&mut self) -> Result<Key, ParseError> {
        // The previous key no longer describes where we are.
        if let Some(top) = self.path.last_mut() {
            *top = Seg::empty_key();
        }
        let b = self.peek_expect("a key string")?;
        if b != b'"' {
            return Err(self.unexpected(b, "a key string"));
        }
        let mut raw = std::mem::take(&mut self.scratch);
        raw.clear();
        let result = self.string_raw(Some(&mut raw));
        let mut key = Key {
            bytes: [0; KEY_MAX],
            len: raw.len().min(KEY_MAX),
            long: raw.len() > KEY_MAX,
        };
        key.bytes[..key.len].copy_from_slice(&raw[..key.len]);
        if let Some(top) = self.path.last_mut() {
            *top = Seg::key(&raw);
        }
        self.scratch = raw;
        result?;
        self.expect_byte(b':', "':' after the key")?;
        Ok(key)
    }

    /// Skips one value of any kind, checking its structure, without building it.
    pub(super) fn skip_value(&mut self) -> Result<(), ParseError> {
        let floor = self.path.len();
        let mut want_value = true;
        loop {
            if want_value {
                let b = self.peek_expect("a value")?;
                match b {
                    b'"' => self.string_raw(None)?,
                    b'{' => {
                        self.pos += 1;
                        if self.peek_expect("a key string or '}'")? == b'}' {
                            self.pos += 1;
                        } else {
                            self.path.push(Seg::empty_key());
                            self.key_and_colon()?;
                            continue;
                        }
                    }
                    b'[' => {
                        self.pos += 1;
                        if self.peek_expect("a value or ']'")? == b']' {
                            self.pos += 1;
                        } else {
                            self.path.push(Seg::Index(0));
                            continue;
                        }
                    }
                    b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                        self.literal(None)?;
                    }
                    _ => return Err(self.unexpected(b, "a value")),
                }
            }
            // After a value: close containers or move to the next member.
            if self.path.len() == floor {
                return Ok(());
            }
            let in_object = matches!(self.path.last(), Some(Seg::Key { .. }));
            let expected = if in_object {
                "',' or '}'"
            } else {
                "',' or ']'"
            };
            let b = self.peek_expect(expected)?;
            match (b, in_object) {
                (b',', true) => {
                    self.pos += 1;
                    self.key_and_colon()?;
                    want_value = true;
                }
                (b'}', true) | (b']', false) => {
                    self.pos += 1;
                    self.path.pop();
                    want_value = false;
                }
                (b',', false) => {
                    self.pos += 1;
                    if let Some(Seg::Index(i)) = self.path.last_mut() {
                        *i += 1;
                    }
                    want_value = true;
                }
                _ => return Err(self.unexpected(b, expected)),
            }
        }
    }

    /// Walks an object whose `{` is the next byte: calls `f` with each key, the value next;
    /// `f` must consume exactly that value. `what` names the object in errors.
    pub(super) fn object(
        &mut self,
        what: &str,
        f: impl FnMut(&mut Self, &Key) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        let b = self.peek_expect(what)?;
        if b != b'{' {
            return Err(self.unexpected(b, what));
        }
        self.pos += 1;
        self.object_members(f)
    }

    /// The members of an object whose `{` was just consumed (see [`Scanner::object`]).
    fn object_members(
        &mut self,
        mut f: impl FnMut(&mut Self, &Key) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        if self.peek_expect("a key string or '}'")? == b'}' {
            self.pos += 1;
            return Ok(());
        }
        self.path.push(Seg::empty_key());
        loop {
            let key = self.key_and_colon()?;
            f(self, &key)?;
            let b = self.peek_expect("',' or '}'")?;
            match b {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected(b, "',' or '}'")),
            }
        }
        self.path.pop();
        Ok(())
    }

    /// Walks an array whose `[` is the next byte: calls `f` with each index, the element next;
    /// `f` must consume exactly that element. Returns the number of elements.
    pub(super) fn array(
        &mut self,
        what: &str,
        f: impl FnMut(&mut Self, usize) -> Result<(), ParseError>,
    ) -> Result<usize, ParseError> {
        let b = self.peek_expect(what)?;
        if b != b'[' {
            return Err(self.unexpected(b, what));
        }
        self.pos += 1;
        self.array_elements(f)
    }

    /// The elements of an array whose `[` was just consumed (see [`Scanner::array`]).
    fn array_elements(
        &mut self,
        mut f: impl FnMut(&mut Self, usize) -> Result<(), ParseError>,
    ) -> Result<usize, ParseError> {
        if self.peek_expect("a value or ']'")? == b']' {
            self.pos += 1;
            return Ok(0);
        }
        self.path.push(Seg::Index(0));
        let mut i = 0;
        loop {
            if let Some(top) = self.path.last_mut() {
                *top = Seg::Index(i);
            }
            f(self, i)?;
            let b = self.peek_expect("',' or ']'")?;
            match b {
                b',' => {
                    self.pos += 1;
                    i += 1;
                }
                b']' => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected(b, "',' or ']'")),
            }
        }
        self.path.pop();
        Ok(i + 1)
    }

    /// Reads a value loosely as text: a string decoded, a number or `true`/`false` as written,
    /// `null` as empty; objects and arrays are skipped and read as empty. Returns whether the
    /// value was a non-null scalar.
    pub(super) fn loose_string(&mut self, out: &mut String) -> Result<bool, ParseError> {
        out.clear();
        match self.peek_expect("a value")? {
            b'"' => {
                self.string(out)?;
                Ok(true)
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let first = self.literal(Some(out))?;
                if first == b'n' {
                    out.clear();
                    return Ok(false);
                }
                Ok(true)
            }
            _ => {
                self.skip_value()?;
                Ok(false)
            }
        }
    }

    /// Reads an array loosely: calls `f` per element when it is an array, skips anything else.
    /// Returns the number of elements (0 for a non-array).
    pub(super) fn loose_array(
        &mut self,
        f: impl FnMut(&mut Self, usize) -> Result<(), ParseError>,
    ) -> Result<usize, ParseError> {
        if self.peek_expect("a value")? == b'[' {
            self.bump();
            self.array_elements(f)
        } else {
            self.skip_value()?;
            Ok(0)
        }
    }

    /// Reads an object loosely: walks it when it is an object, skips anything else.
    pub(super) fn loose_object(
        &mut self,
        f: impl FnMut(&mut Self, &Key) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        if self.peek_expect("a value")? == b'{' {
            self.bump();
            self.object_members(f)
        } else {
            self.skip_value()
        }
    }
}

/// The first `"` in `hay`. Escaped text (JSON or JS inside a string) has a `\"` every few
/// dozen bytes, where a `memchr` call costs more than it saves: the first 64 bytes are looked
/// at a word at a time, the rest with `memchr` (vectorised, for long base64 runs).
#[inline]
fn find_quote(hay: &[u8]) -> Option<usize> {
    const NEAR: usize = 64;
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = 0x2222_2222_2222_2222;
    let near = hay.len().min(NEAR);
    let mut i = 0;
    while i + 8 <= near {
        let mut word = [0u8; 8];
        word.copy_from_slice(&hay[i..i + 8]);
        let x = u64::from_le_bytes(word) ^ QUOTES;
        // The lowest flagged byte is exactly the first zero byte of `x` (false flags can only
        // appear above a true one, through the borrow).
        let zero = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    while i < near {
        if hay[i] == b'"' {
            return Some(i);
        }
        i += 1;
    }
    memchr(b'"', &hay[near..]).map(|j| j + near)
}

/// `256 MiB`, `4 KiB`, `100 bytes`.
fn human_size(n: usize) -> String {
    if n >= 1 << 20 && n & ((1 << 20) - 1) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n & ((1 << 10) - 1) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// The path as text, or `fallback` when it is empty.
pub(super) fn display_path(path: &[Seg], fallback: &str) -> String {
    let p = format_path(path);
    if p.is_empty() {
        fallback.to_string()
    } else {
        p
    }
}

/// Decodes JSON string escapes in `raw` into `out` (lossy UTF-8; a bad escape is kept as
/// written, a lone surrogate becomes U+FFFD).
pub(super) fn unescape_into(raw: &[u8], out: &mut String) {
    if !raw.contains(&b'\\') {
        out.push_str(&String::from_utf8_lossy(raw));
        return;
    }
    let mut bytes: Vec<u8> = Vec::with_capacity(raw.len());
    let mut i = 0;
    let hex4 = |s: &[u8]| -> Option<u32> {
        if s.len() < 4 {
            return None;
        }
        std::str::from_utf8(&s[..4])
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    while i < raw.len() {
        let b = raw[i];
        if b != b'\\' || i + 1 >= raw.len() {
            bytes.push(b);
            i += 1;
            continue;
        }
        let simple = match raw[i + 1] {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(c) = simple {
            bytes.push(c);
            i += 2;
            continue;
        }
        if raw[i + 1] != b'u' {
            bytes.push(b);
            i += 1;
            continue;
        }
        let Some(hi) = hex4(&raw[i + 2..]) else {
            bytes.push(b);
            i += 1;
            continue;
        };
        i += 6;
        let c = if (0xD800..0xDC00).contains(&hi) {
            // A high surrogate: combine with a following low one.
            match (raw.get(i..i + 2), hex4(raw.get(i + 2..).unwrap_or(&[]))) {
                (Some(b"\\u"), Some(lo)) if (0xDC00..0xE000).contains(&lo) => {
                    i += 6;
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                }
                _ => None,
            }
        } else {
            char::from_u32(hi)
        };
        let mut tmp = [0u8; 4];
        bytes.extend_from_slice(c.unwrap_or('\u{fffd}').encode_utf8(&mut tmp).as_bytes());
    }
    out.push_str(&String::from_utf8_lossy(&bytes));
}

/// The JSON path at byte `target` of `bytes` (one complete JSON value), for serde errors:
/// walks the structure up to `target` and formats the containers and keys it is inside.
pub(super) fn path_at(bytes: &[u8], target: usize, prefix: &[Seg]) -> String {
    let mut path: Vec<Seg> = prefix.to_vec();
    let floor = path.len();
    let mut i = 0;
    // Whether the next string in an object is a key.
    let mut expect_key = false;
    while i < bytes.len() && i < target {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(top) = path.last_mut() {
                        *top = Seg::key(&bytes[start..j.min(bytes.len())]);
                    }
                    expect_key = false;
                }
                i = j + 1;
                continue;
            }
            b'{' => {
                path.push(Seg::empty_key());
                expect_key = true;
            }
            b'[' => path.push(Seg::Index(0)),
            b'}' | b']' if path.len() > floor => {
                path.pop();
            }
            b',' if path.len() > floor => match path.last_mut() {
                Some(Seg::Index(n)) => *n += 1,
                Some(Seg::Key { .. }) => expect_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    format_path(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out `n` bytes per read, so tokens straddle refills.
    struct Drip<'a>(&'a [u8], usize);

    impl Read for Drip<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn strings(doc: &[u8], step: usize) -> Result<Vec<String>, ParseError> {
        let mut progress = |_| {};
        let mut s = Scanner::new(Drip(doc, step), 64, 1 << 20, &mut progress);
        let mut got = Vec::new();
        s.array("an array", |s, _| {
            let mut t = String::new();
            s.string(&mut t)?;
            got.push(t);
            Ok(())
        })?;
        assert_eq!(s.peek()?, None);
        Ok(got)
    }

    #[test]
    fn escaped_quotes_and_backslash_runs_across_refills() {
        let doc = br#"["a\"b", "c\\", "d\\\"e\\", "\\\\", "", "x\"\"y"]"#;
        for step in 1..9 {
            let got = strings(doc, step).unwrap();
            assert_eq!(got, ["a\"b", "c\\", "d\\\"e\\", "\\\\", "", "x\"\"y"]);
            let mut progress = |_| {};
            let mut s = Scanner::new(Drip(doc, step), 64, 1 << 20, &mut progress);
            s.skip_value().unwrap();
            assert_eq!(s.offset(), doc.len() as u64);
        }
        // An odd run escapes the quote: the string does not end there.
        let err = strings(br#"["a\\\"]"#, 1).unwrap_err();
        assert!(err.message.contains("closing the string"), "{err}");
    }

    /// `string` on a value that is not a string. (Its one caller in the reader, `loose_string`,
    /// looks at the first byte first; `string` still refuses what it cannot read.)
    #[test]
    fn string_refuses_a_non_string() {
        for step in [1, 3, 64] {
            let err = strings(br#"["a", 7]"#, step).unwrap_err();
            assert_eq!(err.offset, 6);
            assert_eq!(err.message, "[1]: unexpected '7'; expected a string");
            let err = strings(b"[{}]", step).unwrap_err();
            assert_eq!(err.offset, 1);
            assert_eq!(err.message, "[0]: unexpected '{'; expected a string");
        }
    }

    /// The loose readers walk an array or object and skip any other value, so they have no
    /// "expected an array/object" error of their own; errors inside are the walkers'.
    #[test]
    fn loose_readers_walk_or_skip() {
        let mut progress = |_| {};
        let doc = br#"[1, "x", {"a": [2]}] {"k": 1} "tail" [] {"a": 1, "b": [3, 4]} 5"#;
        let mut s = Scanner::new(Drip(doc, 5), 64, 1 << 20, &mut progress);
        let mut seen = Vec::new();
        assert_eq!(
            s.loose_array(|s, i| {
                seen.push(i);
                s.skip_value()
            })
            .unwrap(),
            3
        );
        assert_eq!(seen, [0, 1, 2]);
        assert_eq!(s.loose_array(|_, _| panic!("not an array")).unwrap(), 0);
        s.loose_object(|_, _| panic!("not an object")).unwrap();
        assert_eq!(s.loose_array(|_, _| panic!("empty")).unwrap(), 0);
        let mut keys = Vec::new();
        s.loose_object(|s, key| {
            keys.push(String::from_utf8_lossy(key.as_bytes()).into_owned());
            s.skip_value()
        })
        .unwrap();
        assert_eq!(keys, ["a", "b"]);
        s.loose_object(|_, _| panic!("not an object")).unwrap();
        assert_eq!(s.peek().unwrap(), None);

        let mut s = Scanner::new(Drip(b"[1 2]", 64), 64, 1 << 20, &mut progress);
        let err = s.loose_array(|s, _| s.skip_value()).unwrap_err();
        assert_eq!(err.message, "[0]: unexpected '2'; expected ',' or ']'");
        let mut s = Scanner::new(Drip(br#"{"a": 1 "b"}"#, 64), 64, 1 << 20, &mut progress);
        let err = s.loose_object(|s, _| s.skip_value()).unwrap_err();
        assert_eq!(err.message, "a: unexpected '\"'; expected ',' or '}'");
    }

    #[test]
    fn find_quote_agrees_with_a_plain_search() {
        let mut hay = vec![b'a'; 300];
        for at in [0, 1, 7, 8, 9, 63, 64, 65, 200, 299] {
            hay.fill(b'a');
            hay[at] = b'"';
            assert_eq!(find_quote(&hay), Some(at));
            // A byte one bit away from '"' does not match.
            hay[at] = b'"' ^ 0x80;
            assert_eq!(find_quote(&hay), None);
        }
        assert_eq!(find_quote(b""), None);
    }

    #[test]
    fn unescape_handles_surrogates_and_bad_escapes() {
        let mut out = String::new();
        unescape_into(br"a\u00e9\ud83d\ude00\n\q\ud800x", &mut out);
        assert_eq!(out, "a\u{e9}\u{1f600}\n\\q\u{fffd}x");
    }

    #[test]
    fn deep_paths_are_shortened() {
        let mut path = vec![Seg::key(b"log"), Seg::key(b"x")];
        path.extend((0..100_000).map(Seg::Index));
        let p = format_path(&path);
        assert!(p.len() < 200, "{p}");
        assert!(p.starts_with("log.x[0][1][2]"), "{p}");
        assert!(p.contains("...(99986 more levels)..."), "{p}");
        assert!(p.ends_with("[99998][99999]"), "{p}");
        let short = [Seg::key(b"log"), Seg::Index(3), Seg::key(b"request")];
        assert_eq!(format_path(&short), "log[3].request");
    }

    #[test]
    fn path_at_names_the_innermost_value() {
        let doc = br#"{"request":{"headers":[{"name":"a"},{"name":7}]}}"#;
        let at = doc.iter().position(|&b| b == b'7').unwrap();
        assert_eq!(path_at(doc, at, &[]), "request.headers[1].name");
    }
}

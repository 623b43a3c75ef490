//! miro-oauth: a doctor and linter for Miro OAuth 2.0.
//!
//! Data flows one way: bytes → [`input`] (detected by content) → [`model::Flow`] → the
//! [`engine`] runs the selected [`rules`] → [`finding::Report`] → a [`render`]er.
//!
//! ```no_run
//! let flow = miro_oauth::read_flow(&[("token.sh".into(), std::fs::read("token.sh").unwrap())]).unwrap();
//! let report = miro_oauth::doctor(&flow, None, &miro_oauth::engine::Options::default());
//! assert!(!report.has_errors());
//! ```

pub mod catalog;
pub mod config;
pub mod engine;
pub mod error;
pub mod finding;
pub mod input;
pub mod live;
pub mod model;
pub mod project;
pub mod redact;
pub mod render;
pub mod rules;
pub mod secret;

use error::InputError;
use model::{Flow, InputInfo};

/// Where an input comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Text already in memory (stdin, an inline argument, a test case), with its name.
    Bytes(String, Vec<u8>),
    /// A file, read by the parser for its kind: a HAR file is streamed, never held whole.
    File(std::path::PathBuf),
    /// A file shown under another name: stdin spooled to a temporary file (`-`).
    NamedFile(String, std::path::PathBuf),
}

/// The most a curl command, URL or raw HTTP request may weigh: they are read whole, and the
/// rules copy values into messages, so memory grows with them. No shell runs a command this
/// long (Linux caps one argument at 128 KiB); a large capture is a HAR, which is streamed.
pub const MAX_TEXT_INPUT: u64 = 32 << 20;

/// Reads `reader` to its end, appending to `buf`, but never past `limit` bytes in `buf`:
/// `Ok(false)` when there was more. Files report their size, a pipe (`<(…)`), a device
/// (`/dev/zero`) or a file still growing does not, so every whole read goes through this.
pub fn read_limited(
    reader: impl std::io::Read,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<bool> {
    use std::io::Read;
    let room = (limit + 1).saturating_sub(buf.len() as u64);
    reader.take(room).read_to_end(buf)?;
    Ok(buf.len() as u64 <= limit)
}

/// Reads inputs (name, bytes) in order into one flow. Several inputs form one flow in the
/// order given; within a HAR, entries are ordered by time.
pub fn read_flow(sources: &[(String, Vec<u8>)]) -> Result<Flow, InputError> {
    let sources: Vec<Source> = sources
        .iter()
        .map(|(n, b)| Source::Bytes(n.clone(), b.clone()))
        .collect();
    read_sources(&sources, &mut |_, _, _| {})
}

/// Reads inputs in order into one flow. `progress(input, bytes_read, total)` is called while a
/// large file is read (HAR files report as they stream).
pub fn read_sources(
    sources: &[Source],
    progress: &mut dyn FnMut(usize, u64, u64),
) -> Result<Flow, InputError> {
    let mut flow = Flow::default();
    for (index, source) in sources.iter().enumerate() {
        let (name, parsed) = match source {
            Source::Bytes(name, bytes) => {
                let head = &bytes[..bytes.len().min(4096)];
                if bytes.len() as u64 > MAX_TEXT_INPUT && !input::detect::looks_like_har(head) {
                    return Err(InputError::too_large(name, bytes.len() as u64));
                }
                let text = input::detect::to_text(name, bytes)?;
                (name.clone(), input::detect::parse_input(name, &text)?)
            }
            Source::File(path) => {
                let name = path.display().to_string();
                let parsed = read_file(index, &name, path, progress)?;
                (name, parsed)
            }
            Source::NamedFile(name, path) => {
                (name.clone(), read_file(index, name, path, progress)?)
            }
        };
        flow.inputs.push(InputInfo {
            index,
            kind: parsed.kind,
            source: name,
            har: parsed.har,
        });
        flow.exchanges
            .extend(input::detect::exchanges(index, parsed.items));
    }
    Ok(flow)
}

/// A file opened and sniffed: a HAR to stream, or the whole text of anything else.
pub(crate) enum Opened {
    /// A HAR: a reader over the whole file (the sniffed head put back), and its size.
    Har(
        std::io::BufReader<std::io::Chain<std::io::Cursor<Vec<u8>>, std::fs::File>>,
        u64,
    ),
    /// A curl command, URL or raw HTTP request, read whole (at most [`MAX_TEXT_INPUT`]).
    Text(Vec<u8>),
}

/// Opens a file shown as `name` and tells a HAR (streamed) from a small text (read whole,
/// refused above [`MAX_TEXT_INPUT`]) by its first 4 KiB: shared by `doctor` and `redact`.
pub(crate) fn open_input(name: &str, path: &std::path::Path) -> Result<Opened, InputError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| InputError::Unreadable {
        source_name: name.to_string(),
        reason: e.to_string(),
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::with_capacity(4096);
    (&mut file)
        .take(4096)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    if input::detect::looks_like_har(&head) {
        let reader = std::io::BufReader::new(std::io::Cursor::new(head).chain(file));
        return Ok(Opened::Har(reader, total));
    }
    if total > MAX_TEXT_INPUT && input::detect::is_utf16(&head) {
        return Err(InputError::Unrecognised {
            source_name: name.to_string(),
            message: format!(
                "UTF-16 text of {total} bytes: only UTF-8 is streamed, and UTF-16 is read whole up to {} MiB; expected UTF-8 (convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE-utf8.har)",
                MAX_TEXT_INPUT >> 20
            ),
        });
    }
    if total > MAX_TEXT_INPUT {
        return Err(InputError::too_large(name, total));
    }
    let mut bytes = head;
    if !read_limited(file, &mut bytes, MAX_TEXT_INPUT).map_err(unreadable)? {
        return Err(InputError::too_large(name, bytes.len() as u64));
    }
    Ok(Opened::Text(bytes))
}

/// A HAR reader's error placed by line and column in the file.
pub(crate) fn har_error(name: &str, path: &std::path::Path, e: error::ParseError) -> InputError {
    InputError::Parse {
        source_name: name.to_string(),
        // Count lines up to the offset, streaming.
        position: line_column(path, e.offset),
        message: e.message,
    }
}

/// Reads one file: a HAR is streamed from disk; anything else is read whole and detected.
fn read_file(
    index: usize,
    name: &str,
    path: &std::path::Path,
    progress: &mut dyn FnMut(usize, u64, u64),
) -> Result<input::detect::Parsed, InputError> {
    match open_input(name, path)? {
        Opened::Har(reader, total) => {
            input::detect::read_har_input(reader, &mut |n| progress(index, n, total))
                .map_err(|e| har_error(name, path, e))
        }
        Opened::Text(bytes) => {
            let text = input::detect::to_text(name, &bytes)?;
            input::detect::parse_input(name, &text)
        }
    }
}

/// The line and column of a byte offset in a file, read in chunks (the file may be huge).
pub(crate) fn line_column(path: &std::path::Path, offset: usize) -> error::Position {
    use std::io::Read;
    let (mut line, mut column) = (1, 1);
    if let Ok(file) = std::fs::File::open(path) {
        let mut reader = std::io::BufReader::new(file).take(offset as u64);
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            for &b in &buf[..n] {
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    // Count characters, not bytes: skip UTF-8 continuation bytes.
                    column += 1;
                }
            }
        }
    }
    error::Position { line, column }
}

/// Attaches a response given separately (`--response`) to the last exchange of the flow
/// that has none (or the last one).
pub fn attach_response(flow: &mut Flow, name: &str, bytes: &[u8]) -> Result<(), InputError> {
    let text = input::detect::to_text(name, bytes)?;
    let response = input::http::parse_response(&text).map_err(|e| e.in_source(name, &text))?;
    let target = flow
        .exchanges
        .iter()
        .rposition(|e| e.response.is_none())
        .or_else(|| flow.exchanges.len().checked_sub(1));
    match target {
        Some(i) => {
            flow.exchanges[i].response = Some(response);
            Ok(())
        }
        None => Err(InputError::Unrecognised {
            source_name: name.to_string(),
            message: "a response was given but no request to attach it to; give the request as an INPUT too".to_string(),
        }),
    }
}

/// Runs every rule over the flow.
pub fn doctor(
    flow: &Flow,
    config: Option<&config::Config>,
    options: &engine::Options,
) -> finding::Report {
    engine::run(rules::all(), flow, config, options)
}

#![no_main]
//! Raw HTTP request (with optional response) and response-only parsing.
use libfuzzer_sys::fuzz_target;
use miro_oauth::input::http::{looks_like_http, parse_http, parse_response};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = looks_like_http(&text);
    let _ = parse_http(&text);
    let _ = parse_response(&text);
});

#![no_main]
//! URL list parsing.
use libfuzzer_sys::fuzz_target;
use miro_oauth::input::url::{looks_like_urls, parse_urls};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = looks_like_urls(&text);
    let _ = parse_urls(&text);
});

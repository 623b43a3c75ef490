#![no_main]
//! `parse_curl` (bash, cmd and PowerShell syntaxes) and the detector on arbitrary text.
use libfuzzer_sys::fuzz_target;
use miro_oauth::input::curl::{looks_like_curl, parse_curl};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = looks_like_curl(&text);
    let _ = parse_curl(&text);
});

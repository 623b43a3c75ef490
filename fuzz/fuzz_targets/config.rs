#![no_main]
//! Config loading: `miro-oauth.toml` and app manifests (YAML), with format detection.
use libfuzzer_sys::fuzz_target;
use miro_oauth::config::load::{detect_format, parse};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The extension only breaks ties in detection; try both.
    for path in ["miro-oauth.toml", "app-manifest.yaml"] {
        let path = Path::new(path);
        let _ = detect_format(text, path);
        let _ = parse(text, path);
    }
});

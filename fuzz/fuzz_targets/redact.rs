#![no_main]
//! Redaction: `redact_input` (parse → collect secrets → replace) on arbitrary input, then the
//! redactor's own `redact` on the output again.
use libfuzzer_sys::fuzz_target;
use miro_oauth::redact::{redact_input, Redactor};

fuzz_target!(|data: &[u8]| {
    let mut redactor = Redactor::new(b"fuzz-key");
    if let Ok(out) = redact_input("input", data, &mut redactor) {
        let _ = redactor.summary();
        // Redacting already-redacted text must not panic either.
        let _ = redactor.redact(&out);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let mut r = Redactor::new(b"fuzz-key");
        r.collect_har(text);
        let _ = r.redact(text);
    }
});

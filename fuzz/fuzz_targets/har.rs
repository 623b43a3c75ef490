#![no_main]
//! HAR: the in-memory `parse_har`, and the streaming `read_har`/`read_har_with` fed by a
//! reader that returns odd chunk sizes (1, 2, 3, 5, 7, … bytes per `read`), so every token
//! and UTF-8 sequence is split at every position sooner or later.
use libfuzzer_sys::fuzz_target;
use miro_oauth::input::har::{oauth_relevant, parse_har, read_har, read_har_with, HarOptions};
use std::io::Read;

/// Returns at most `sizes[i % len]` bytes per read.
struct Choppy<'a> {
    data: &'a [u8],
    pos: usize,
    calls: usize,
    sizes: &'static [usize],
}

impl Read for Choppy<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.calls % self.sizes.len()];
        self.calls += 1;
        let n = want.min(buf.len()).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

const SIZES: &[&[usize]] = &[&[1], &[3, 1, 7, 2, 5, 11], &[4093, 1, 17]];

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_har(text);
    }
    // Bytes need not be UTF-8 for the streaming reader.
    let sizes = SIZES[data.len() % SIZES.len()];
    let mut last = 0u64;
    let r = read_har(
        Choppy {
            data,
            pos: 0,
            calls: 0,
            sizes,
        },
        &oauth_relevant,
        &mut |n| {
            assert!(n >= last, "progress went backwards: {last} -> {n}");
            last = n;
        },
    );
    if let Ok((_, summary)) = &r {
        assert!(summary.bytes as usize <= data.len());
    }
    // Small chunks and small limits reach the buffer-refill and too-large-entry paths.
    let options = HarOptions {
        chunk_size: 7,
        max_entry_bytes: 512,
        drop_bodies_over: Some(16),
    };
    let _ = read_har_with(
        Choppy {
            data,
            pos: 0,
            calls: 0,
            sizes: &[2, 9, 1],
        },
        &options,
        &|_| true,
        &mut |_| {},
    );
});

//! `redact`: a copy of a capture with every secret replaced by a placeholder that keeps the
//! evidence — safe to post on a forum or attach to a support ticket.
//!
//! A placeholder keeps the secret's kind, its length and every non-alphanumeric character in
//! place (dots of a JWT, the `_` of a Miro token, `%XX` escapes, spaces, quotes), so it stays
//! valid in the syntax around it (URL query, header, JSON string, shell quotes) and the rules
//! see the same shapes (`MASKED-<kind>-<fingerprint>`). Its alphanumeric characters come from a keyed fingerprint
//! (HMAC-SHA256) of the value: the same value always gets the same placeholder within a run,
//! and `--key` makes runs reproducible. The non-secret parts of a credential stay visible:
//! Miro's `eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_` token prefix, a JWT's header and payload (only
//! the signature is replaced), the client id inside Basic credentials, `Bearer`.
//!
//! The text is never re-serialized: secrets (and their percent-, form- and JSON-escaped
//! spellings) are replaced in the original text, everything else is kept byte for byte.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::error::InputError;
use crate::model::{decode_component, Flow, Request, Response};
use crate::secret::{is_placeholder, SecretKind};

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |x: u8| k.iter().map(|b| b ^ x).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// Label of a kind inside a placeholder (URL-safe, no `_`: a Miro token's `_` is structure).
fn label(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::ClientSecret => "client-secret",
        SecretKind::Code => "code",
        SecretKind::AccessToken => "access-token",
        SecretKind::RefreshToken => "refresh-token",
        SecretKind::Basic => "basic",
        // Not `token`: a placeholder inside a URL path would make it look like a token endpoint.
        SecretKind::Token => "secret",
        SecretKind::Saml => "saml",
    }
}

/// Fingerprint characters before the marker: 8 × log2(35) ≈ 41 bits, so two values never
/// share a placeholder by chance, even when the marker takes the rest.
const FINGERPRINT_LEAD: usize = 8;

/// Lower-case letters and digits, without `x` (`xxxx` reads as a hand-made redaction).
const FINGERPRINT_ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwyz";

const KINDS: [SecretKind; 7] = [
    SecretKind::ClientSecret,
    SecretKind::Code,
    SecretKind::AccessToken,
    SecretKind::RefreshToken,
    SecretKind::Basic,
    SecretKind::Token,
    SecretKind::Saml,
];

/// Where the `MASKED-<kind>-` marker of a placeholder sits (byte range), if `v` has one; a
/// marker cut short by the end of a short value runs to the end.
fn marker_span(v: &str) -> Option<(usize, usize)> {
    let start = v.find("MASKED-")?;
    let body = start + "MASKED-".len();
    let rest = &v[body..];
    KINDS
        .iter()
        .map(|k| label(*k))
        .filter_map(|l| {
            let full = format!("{l}-");
            if rest.starts_with(&full) {
                Some((start, body + full.len()))
            } else if !rest.is_empty() && full.starts_with(rest) {
                Some((start, v.len()))
            } else {
                None
            }
        })
        // `access-token-` before a hypothetical shorter label that prefixes it.
        .max_by_key(|s| s.1)
}

/// True when `a` and `b` are the same value, or the placeholders [`Redactor`] gives one value
/// under two kinds. A value redacted in two files (`redact` reads one at a time) gets its kind
/// from each file: the code of a callback URL is `MASKED-code-…` there and
/// `MASKED-access-token-…` when the same string is sent as a bearer token elsewhere. Outside
/// the markers the two placeholders are the same: same length, same characters kept, and the
/// fingerprint at each position depends on the value (and key) only. At least
/// [`FINGERPRINT_LEAD`] fingerprint characters must agree, so two values do not meet by chance.
pub fn same_secret(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.len() != b.len() {
        return false;
    }
    let (sa, sb) = (marker_span(a), marker_span(b));
    if sa.is_none() && sb.is_none() {
        return false;
    }
    // Bytes outside both markers must agree; a marker's bytes are ASCII, so any split point
    // falls on a char boundary of the other string only if the bytes before agree.
    let masked = |i: usize| {
        sa.is_some_and(|(s, e)| (s..e).contains(&i)) || sb.is_some_and(|(s, e)| (s..e).contains(&i))
    };
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    // Fingerprint characters: the lead before the first marker, and all after it.
    let first = sa.into_iter().chain(sb).map(|s| s.0).min().unwrap_or(0);
    let from = first.saturating_sub(FINGERPRINT_LEAD);
    let mut compared = 0;
    for i in 0..ab.len() {
        if masked(i) {
            continue;
        }
        if ab[i] != bb[i] {
            return false;
        }
        if i >= from && ab[i].is_ascii_alphanumeric() {
            compared += 1;
        }
    }
    compared >= FINGERPRINT_LEAD
}

/// Values that are not credentials but what a rule reports as such (`false`, `ACCESS_TOKEN`,
/// `%TOKEN%`, `$(cat token)`): left as written, like [`is_placeholder`] values.
fn not_a_secret(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let core = v.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    is_placeholder(v)
        || matches!(
            lower.as_str(),
            "true" | "false" | "[object promise]" | "bearer" | "basic" | "token"
        )
        // `ACCESS_TOKEN`, `TOKEN`; not a long random upper-case value (`ASPSESSIONID…=MCMD…`).
        || (core.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            && (core.contains('_') || core.len() < 16))
        || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
        || (v.starts_with("$(") && v.ends_with(')'))
        // Already masked: by this command, or by the doctor (`[code len=43 #1a2b3c]`).
        || v.contains("REDACTED")
        || v.contains("MASKED-")
        || (v.starts_with('[') && v.ends_with(']') && v.contains(" len="))
}

/// Every base64 flavour Basic credentials are seen in, padding optional.
fn basic_engines() -> [base64::engine::GeneralPurpose; 2] {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let cfg = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    [
        GeneralPurpose::new(&base64::alphabet::STANDARD, cfg),
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, cfg),
    ]
}

/// One known secret: its canonical (decoded) value, kind and placeholder.
#[derive(Clone, Debug)]
struct Entry {
    kind: SecretKind,
    placeholder: String,
}

/// What was redacted, by kind: distinct values and occurrences replaced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Kind label → (distinct values, occurrences replaced).
    pub by_kind: BTreeMap<&'static str, (usize, usize)>,
}

impl Summary {
    /// Total occurrences replaced.
    pub fn occurrences(&self) -> usize {
        self.by_kind.values().map(|(_, n)| n).sum()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let values: usize = self.by_kind.values().map(|(v, _)| v).sum();
        if self.by_kind.is_empty() {
            return write!(f, "redacted nothing: no secret found");
        }
        write!(
            f,
            "redacted {} occurrence(s) of {} secret(s):",
            self.occurrences(),
            values
        )?;
        for (kind, (v, n)) in &self.by_kind {
            write!(f, " {kind} {v} ({n}×)")?;
        }
        Ok(())
    }
}

/// Finds the secrets of a capture and replaces them in its text.
#[derive(Clone, Debug)]
pub struct Redactor {
    key: Vec<u8>,
    values: Vec<String>,
    entries: HashMap<String, Entry>,
    /// Raw spellings (as written, partly encoded) → canonical value.
    raw: Vec<(String, String)>,
    kept: Vec<String>,
    /// `raw`'s spellings and `kept`, for constant-time lookups (thousands of secrets).
    raw_seen: std::collections::HashSet<String>,
    kept_seen: std::collections::HashSet<String>,
    replaced: HashMap<String, usize>,
}

impl Redactor {
    /// A redactor with this fingerprint key (reproducible output).
    pub fn new(key: &[u8]) -> Redactor {
        Redactor {
            key: key.to_vec(),
            values: Vec::new(),
            entries: HashMap::new(),
            raw: Vec::new(),
            kept: Vec::new(),
            raw_seen: Default::default(),
            kept_seen: Default::default(),
            replaced: HashMap::new(),
        }
    }

    /// A redactor with a random key: placeholders cannot be matched across runs.
    pub fn with_random_key() -> Redactor {
        let mut key = [0u8; 32];
        if getrandom::fill(&mut key).is_err() {
            // No OS randomness: the time is still a key the reader does not know.
            let now = format!("{:?}", std::time::SystemTime::now());
            key.copy_from_slice(&Sha256::digest(now.as_bytes()));
        }
        Redactor::new(&key)
    }

    /// Adds a secret value (ignored when too short, a template, or already known).
    pub fn add(&mut self, kind: SecretKind, value: &str) {
        let v = value.trim();
        if v.chars().count() < 4 || self.entries.contains_key(v) || self.kept_seen.contains(v) {
            return;
        }
        let placeholder = if not_a_secret(v) {
            v.to_string()
        } else {
            self.placeholder_for(kind, v)
        };
        if placeholder == v {
            // A template or an already masked value: nothing to hide, and rules read it.
            self.kept.push(v.to_string());
            self.kept_seen.insert(v.to_string());
            return;
        }
        self.values.push(v.to_string());
        self.entries
            .insert(v.to_string(), Entry { kind, placeholder });
    }

    /// Adds a value as written (maybe percent-encoded) whose decoded form is a secret.
    fn add_raw(&mut self, kind: SecretKind, raw: &str, decoded: &str) {
        let (raw, decoded) = (raw.trim(), decoded.trim());
        if raw == decoded {
            return self.add(kind, raw);
        }
        self.add(kind, decoded);
        if self.entries.contains_key(decoded) && !self.raw_seen.contains(raw) {
            self.raw.push((raw.to_string(), decoded.to_string()));
            self.raw_seen.insert(raw.to_string());
        } else if self.kept_seen.contains(decoded) && self.kept_seen.insert(raw.to_string()) {
            self.kept.push(raw.to_string());
        }
    }

    /// Values seen in credential places but left as written: templates (`{{token}}`,
    /// `%MIRO_TOKEN%`, `undefined`), values already masked, values with nothing to mask.
    pub fn kept(&self) -> &[String] {
        &self.kept
    }

    /// The placeholder of a known secret value.
    pub fn placeholder(&self, value: &str) -> Option<&str> {
        self.entries.get(value).map(|e| e.placeholder.as_str())
    }

    /// Every known secret value with its kind, in the order found.
    pub fn values(&self) -> impl Iterator<Item = (&str, SecretKind)> {
        self.values
            .iter()
            .map(|v| (v.as_str(), self.entries[v].kind))
    }

    /// What [`Redactor::redact`] replaced so far.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for (value, n) in &self.replaced {
            let kind = label(self.entries[value].kind);
            let e = s.by_kind.entry(kind).or_default();
            e.0 += 1;
            e.1 += n;
        }
        s
    }

    fn placeholder_for(&mut self, kind: SecretKind, v: &str) -> String {
        if kind == SecretKind::Basic {
            if let Some(p) = self.basic_placeholder(v) {
                return p;
            }
        }
        // Words apart: a scheme word or a template stays, each credential word is masked.
        let mut out = String::with_capacity(v.len());
        let mut word = String::new();
        for c in v.chars().chain(std::iter::once('\0')) {
            if c.is_whitespace() || c == '"' || c == '\'' || c == '\0' {
                if !word.is_empty() {
                    out.push_str(&self.word(kind, &word));
                    word.clear();
                }
                if c != '\0' {
                    out.push(c);
                }
            } else {
                word.push(c);
            }
        }
        out
    }

    /// One word of a value: a scheme glued to the credential (`BearereyJ…`) and parameters
    /// swallowed into it (`…&state=…`) are kept apart.
    fn word(&self, kind: SecretKind, w: &str) -> String {
        if not_a_secret(w) {
            return w.to_string();
        }
        for scheme in ["bearer", "basic"] {
            if w.len() > scheme.len() + 4
                && w.is_char_boundary(scheme.len())
                && w[..scheme.len()].eq_ignore_ascii_case(scheme)
            {
                let (s, rest) = w.split_at(scheme.len());
                return format!("{s}{}", self.word(kind, rest));
            }
        }
        let mut out = String::with_capacity(w.len());
        for (i, seg) in w.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            match seg.split_once('=') {
                Some((name, value)) if i > 0 => {
                    out.push_str(name);
                    out.push('=');
                    match param_kind(name) {
                        Some(k) if !value.is_empty() && !not_a_secret(value) => {
                            out.push_str(&self.atom(k, value))
                        }
                        _ => out.push_str(value),
                    }
                }
                _ if seg.is_empty() || not_a_secret(seg) => out.push_str(seg),
                _ => out.push_str(&self.atom(kind, seg)),
            }
        }
        out
    }

    /// Basic credentials: base64 of `client_id:client_secret` keeps the client id (not a
    /// secret, and rules compare it) and masks the secret as a client secret.
    fn basic_placeholder(&mut self, v: &str) -> Option<String> {
        // The base64 characters, without quotes, spaces or literal `\n`s in or around them;
        // those stay where they are.
        let bytes = v.as_bytes();
        let mut core_at = vec![false; bytes.len()];
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'n') {
                i += 2;
                continue;
            }
            core_at[i] = bytes[i].is_ascii_alphanumeric() || b"+/=_-".contains(&bytes[i]);
            i += 1;
        }
        let core: String = v
            .bytes()
            .zip(&core_at)
            .filter(|(_, c)| **c)
            .map(|(b, _)| b as char)
            .collect();
        for engine in basic_engines() {
            let Ok(decoded) = engine.decode(&core) else {
                continue;
            };
            let text = String::from_utf8(decoded).ok()?;
            let (id, secret) = text.split_once(':')?;
            let masked = self.secret_part(secret);
            let mut enc = engine.encode(format!("{id}:{masked}"));
            if !core.ends_with('=') {
                enc = enc.trim_end_matches('=').to_string();
            }
            if enc.len() != core.len() {
                return None;
            }
            let mut enc = enc.bytes();
            let out: Vec<u8> = bytes
                .iter()
                .zip(&core_at)
                .map(|(b, c)| if *c { enc.next().unwrap_or(*b) } else { *b })
                .collect();
            return String::from_utf8(out).ok();
        }
        let (id, secret) = v.split_once(':')?;
        Some(format!("{id}:{}", self.secret_part(secret)))
    }

    fn secret_part(&mut self, secret: &str) -> String {
        let core = secret.trim();
        self.add(SecretKind::ClientSecret, core);
        match self.entries.get(core) {
            Some(e) if !core.is_empty() => secret.replacen(core, &e.placeholder, 1),
            _ => secret.to_string(),
        }
    }

    /// One credential word: the non-secret prefix kept, alphanumerics replaced.
    fn atom(&self, kind: SecretKind, w: &str) -> String {
        // Wrappers (`<…>`, quotes) stay; the prefix test looks inside them.
        let lead = w.find(|c: char| c.is_ascii_alphanumeric()).unwrap_or(0);
        let inner = &w[lead..];
        let keep = if inner.starts_with("eyJtaXJv") {
            // A Miro token or code: `eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_` + the secret tail; cut
            // before the `_`, only the (public) prefix is there.
            inner.find('_').map_or(inner.len(), |i| i + 1)
        } else if inner.starts_with("eyJ") && inner.matches('.').count() == 2 {
            // A JWT: header and payload are claims, the signature is the secret.
            inner.rfind('.').map_or(0, |i| i + 1)
        } else {
            0
        };
        let (head, tail) = w.split_at(lead + keep);
        self.fill(kind, head, tail)
    }

    /// Replaces the alphanumerics (and `-`, `_`) of `tail`, `%XX` escapes kept, by
    /// [`FINGERPRINT_LEAD`] fingerprint characters, then the marker `MASKED-<kind>-` (as much as
    /// fits), then more fingerprint characters. Each character of the fingerprint comes from a
    /// keyed digest of the value up to that character, and the layout depends on the position
    /// only: a truncated value gets a prefix of the placeholder of the full one, and one value
    /// gets the same characters outside the marker whatever its kind ([`same_secret`]). An
    /// all-digit value gets digits and no marker.
    fn fill(&self, kind: SecretKind, head: &str, tail: &str) -> String {
        let b = tail.as_bytes();
        let digits = tail
            .bytes()
            .all(|c| c.is_ascii_digit() || !c.is_ascii_alphanumeric());
        // `-` and `_` are safe in every syntax around a secret (URL, JSON, shell) and are part
        // of Miro tokens and JWT signatures: filling them keeps the marker in one piece.
        let slot = |c: u8| c.is_ascii_alphanumeric() || (!digits && (c == b'-' || c == b'_'));
        // Not `REDACTED`: rules take a token that says so as hidden by hand and judge nothing.
        let marker = if digits {
            String::new()
        } else {
            format!("MASKED-{}-", label(kind))
        };
        let marker = marker.as_bytes();
        let mut out = String::with_capacity(head.len() + tail.len());
        out.push_str(head);
        // A keyed digest of the value up to each character, chained (one hash per byte, so
        // linear in the value's length).
        let mut state = hmac_sha256(&self.key, head.as_bytes());
        let mut step = |bytes: &[u8]| {
            state = Sha256::new()
                .chain_update(state)
                .chain_update(bytes)
                .finalize()
                .into();
            u16::from_be_bytes([state[0], state[1]])
        };
        let mut slots: usize = 0;
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && is_escape(b, i) {
                step(&b[i..i + 3]);
                out.push_str(&tail[i..i + 3]);
                i += 3;
                continue;
            }
            let c = tail[i..].chars().next().unwrap_or('\0');
            let n = step(&b[i..i + c.len_utf8()]);
            if c.is_ascii() && slot(c as u8) {
                let in_marker = slots
                    .checked_sub(FINGERPRINT_LEAD)
                    .and_then(|k| marker.get(k).copied());
                let ch = in_marker.unwrap_or_else(|| {
                    if digits {
                        b'0' + (n % 10) as u8
                    } else {
                        FINGERPRINT_ALPHABET[usize::from(n) % FINGERPRINT_ALPHABET.len()]
                    }
                });
                out.push(ch as char);
                slots += 1;
            } else {
                out.push(c);
            }
            i += c.len_utf8();
        }
        out
    }

    /// Collects every credential in a flow: params, `Authorization`, cookies, `Set-Cookie`,
    /// tokens in response bodies, `-u` of a curl command.
    pub fn collect_flow(&mut self, flow: &Flow) {
        for ex in &flow.exchanges {
            self.collect_request(&ex.request);
            if let Some(r) = &ex.response {
                self.collect_response(r);
            }
        }
    }

    fn collect_request(&mut self, req: &Request) {
        for p in req.params() {
            if let Some(kind) = param_kind(&p.param.name) {
                self.add_raw(kind, &p.param.raw, &p.param.value);
            }
        }
        for h in &req.headers {
            self.collect_header(&h.name, &h.value);
        }
        if let Some(user) = req.curl.as_ref().and_then(|c| c.user.as_deref()) {
            if let Some((_, secret)) = user.split_once(':') {
                self.add(SecretKind::ClientSecret, secret);
            }
        }
    }

    fn collect_response(&mut self, r: &Response) {
        for h in &r.headers {
            self.collect_header(&h.name, &h.value);
        }
        if let Some(body) = r.json_body() {
            self.collect_json_tokens(&body);
        }
    }

    fn collect_json_tokens(&mut self, body: &serde_json::Value) {
        for (key, kind) in [
            ("access_token", SecretKind::AccessToken),
            ("refresh_token", SecretKind::RefreshToken),
            ("accessToken", SecretKind::AccessToken),
            ("refreshToken", SecretKind::RefreshToken),
            ("id_token", SecretKind::Token),
        ] {
            if let Some(v) = body.get(key).and_then(|v| v.as_str()) {
                self.add(kind, v);
            }
        }
    }

    fn collect_header(&mut self, name: &str, value: &str) {
        for (kind, v) in crate::secret::header_credentials(name, value) {
            self.add(kind, &v);
        }
    }

    /// Collects from a HAR document as a whole (every entry, not only the OAuth ones the
    /// doctor keeps): headers, `cookies` arrays, query and form params, response tokens.
    pub fn collect_har(&mut self, text: &str) {
        let t = text.trim_start_matches('\u{feff}').trim();
        let t = t
            .strip_prefix("onInputData(")
            .map(|r| r.trim_end().trim_end_matches(';').trim_end_matches(')'))
            .unwrap_or(t);
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(t) else {
            return;
        };
        let Some(entries) = doc.pointer("/log/entries").and_then(|e| e.as_array()) else {
            return;
        };
        let s = |v: &serde_json::Value, k: &str| {
            v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string()
        };
        for e in entries {
            for part in ["request", "response"] {
                let Some(m) = e.get(part) else { continue };
                for h in m
                    .get("headers")
                    .and_then(|h| h.as_array())
                    .into_iter()
                    .flatten()
                {
                    self.collect_header(&s(h, "name"), &s(h, "value"));
                }
                for c in m
                    .get("cookies")
                    .and_then(|h| h.as_array())
                    .into_iter()
                    .flatten()
                {
                    self.add(SecretKind::Token, &s(c, "value"));
                }
                let params = m
                    .get("queryString")
                    .and_then(|q| q.as_array())
                    .into_iter()
                    .flatten()
                    .chain(
                        m.pointer("/postData/params")
                            .and_then(|q| q.as_array())
                            .into_iter()
                            .flatten(),
                    );
                for p in params {
                    if let Some(kind) = param_kind(&s(p, "name")) {
                        let raw = s(p, "value");
                        self.add_raw(kind, &raw, &decode_component(&raw));
                    }
                }
                let body = m
                    .pointer("/content/text")
                    .and_then(|x| x.as_str())
                    .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok());
                if let Some(body) = body {
                    self.collect_json_tokens(&body);
                }
            }
        }
    }

    /// The (spelling, replacement, canonical value) table, longest spelling first.
    fn table(&self) -> Vec<(String, String, String)> {
        let mut t: Vec<(String, String, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut push = |s: String, r: String, v: &str| {
            if s.len() == r.len() && s != r && seen.insert(s.clone()) {
                t.push((s, r, v.to_string()));
            }
        };
        for v in &self.values {
            let p = &self.entries[v].placeholder;
            let form = |x: &str| form_urlencoded::byte_serialize(x.as_bytes()).collect::<String>();
            let pct = |x: &str| {
                percent_encoding::utf8_percent_encode(x, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            for (s, r) in [(v.clone(), p.clone()), (form(v), form(p)), (pct(v), pct(p))] {
                push(json_escaped(&s), json_escaped(&r), v);
                push(s, r, v);
            }
        }
        for (raw, value) in &self.raw {
            let r = respell(raw, &self.entries[value].placeholder);
            push(json_escaped(raw), json_escaped(&r), value);
            push(raw.clone(), r, value);
        }
        t.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        t
    }

    /// Replaces every known secret in `text`, everything else kept byte for byte.
    pub fn redact(&mut self, text: &str) -> String {
        let mut out = Vec::with_capacity(text.len());
        // Writing into a Vec cannot fail.
        let _ = self.redact_stream(text.as_bytes(), &mut out);
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// [`Redactor::redact`] from a reader to a writer, a chunk at a time: memory stays bounded
    /// by the chunk and the longest secret spelling, whatever the input's size.
    pub fn redact_stream(
        &mut self,
        mut input: impl Read,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        /// Bytes [`boundary_before`] looks back.
        const BEHIND: usize = 6;
        let table = self.table();
        let longest = table.iter().map(|t| t.0.len()).max().unwrap_or(0);
        // Spellings by their bytes, and for each first two bytes the lengths to try, longest
        // first: a lookup per (position, length) rather than a comparison per (position,
        // secret), so thousands of secrets sharing a prefix (`eyJtaXJv…`) stay fast.
        let mut by_text: HashMap<&[u8], usize> = HashMap::new();
        let mut lengths: HashMap<[u8; 2], Vec<usize>> = HashMap::new();
        for (i, (s, _, _)) in table.iter().enumerate() {
            let b = s.as_bytes();
            by_text.entry(b).or_insert(i);
            let key = [b[0], b.get(1).copied().unwrap_or(0)];
            let l = lengths.entry(key).or_default();
            if !l.contains(&b.len()) {
                l.push(b.len());
            }
        }
        for l in lengths.values_mut() {
            l.sort_unstable_by(|a, b| b.cmp(a));
        }
        let mut chunk = vec![0u8; 256 << 10];
        let mut buf: Vec<u8> = Vec::new();
        let (mut i, mut copied, mut eof) = (0usize, 0usize, false);
        loop {
            if !eof {
                match input.read(&mut chunk) {
                    Ok(0) => eof = true,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            // Positions whose longest match and the byte after it are in the buffer.
            let limit = if eof {
                buf.len()
            } else {
                buf.len().saturating_sub(longest + 1)
            };
            let b = &buf[..];
            while i < limit {
                let key = [b[i], b.get(i + 1).copied().unwrap_or(0)];
                let hit = lengths.get(&key).and_then(|ls| {
                    ls.iter().find_map(|&len| {
                        let k = *by_text.get(b.get(i..i + len)?)?;
                        (boundary_before(b, i) && boundary_after(b, i + len)).then_some(k)
                    })
                });
                match hit {
                    Some(k) => {
                        out.write_all(&b[copied..i])?;
                        out.write_all(table[k].1.as_bytes())?;
                        *self.replaced.entry(table[k].2.clone()).or_default() += 1;
                        i += table[k].0.len();
                        copied = i;
                    }
                    None => i += 1,
                }
            }
            if eof {
                return out.write_all(&buf[copied..]);
            }
            out.write_all(&buf[copied..i])?;
            // Keep the look-behind; the scanned and written rest goes.
            let drop = i.saturating_sub(BEHIND);
            buf.drain(..drop);
            i -= drop;
            copied = i;
        }
    }
}

fn param_kind(name: &str) -> Option<SecretKind> {
    Some(match name {
        "client_secret" | "clientSecret" => SecretKind::ClientSecret,
        "code" => SecretKind::Code,
        "access_token" | "accessToken" => SecretKind::AccessToken,
        "refresh_token" | "refreshToken" => SecretKind::RefreshToken,
        "id_token" | "password" | "passwd" | "client_assertion" | "X-Amz-Signature" => {
            SecretKind::Token
        }
        // A SAML response is a signed assertion (a bearer credential while it is valid); a
        // redirect-binding request carries its signature in `Signature`.
        "SAMLResponse" | "Signature" => SecretKind::Saml,
        _ => return None,
    })
}

fn is_escape(b: &[u8], i: usize) -> bool {
    i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()
}

/// A match must not start inside a longer word (`%XX` and `\x` escapes end a word).
fn boundary_before(b: &[u8], i: usize) -> bool {
    if i == 0 || !b[i - 1].is_ascii_alphanumeric() {
        return true;
    }
    (i >= 3 && b[i - 3] == b'%' && b[i - 2].is_ascii_hexdigit())
        || (i >= 2 && b[i - 2] == b'\\')
        || (i >= 6 && b[i - 6] == b'\\' && b[i - 5] == b'u')
}

fn boundary_after(b: &[u8], j: usize) -> bool {
    j >= b.len() || !b[j].is_ascii_alphanumeric()
}

/// The spelling of a string inside a JSON string literal.
fn json_escaped(s: &str) -> String {
    let q = serde_json::to_string(s).unwrap_or_default();
    q[1..q.len() - 1].to_string()
}

/// The placeholder spelled the way `raw` spells its decoded value: `%XX` escapes and `+`
/// kept, literal characters taken from the placeholder.
fn respell(raw: &str, placeholder: &str) -> String {
    let b = raw.as_bytes();
    let mut p = placeholder.chars();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && is_escape(b, i) {
            let byte = u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap_or(0);
            if byte.is_ascii_alphanumeric() {
                let c = p.next().unwrap_or('x');
                out.push_str(&format!("%{:02X}", c as u32 as u8));
            } else {
                if !(0x80..0xC0).contains(&byte) {
                    p.next();
                }
                out.push_str(&raw[i..i + 3]);
            }
            i += 3;
            continue;
        }
        let c = raw[i..].chars().next().unwrap_or('\0');
        let q = p.next().unwrap_or(c);
        out.push(if c == '+' { '+' } else { q });
        i += c.len_utf8();
    }
    out
}

/// What [`prepare_file`] made of a file.
#[derive(Debug)]
pub enum Prepared {
    /// A HAR: its secrets are collected; stream the file through [`Redactor::redact_stream`].
    Har,
    /// Anything else, read whole and redacted.
    Text(String),
}

/// Collects the secrets of a file. A HAR is read entry by entry (every entry, not only the
/// OAuth ones `doctor` keeps), never held whole: with [`Redactor::redact_stream`] for the
/// copy, memory stays bounded by the largest entry whatever the file's size. Other inputs are
/// small and redacted at once.
pub fn prepare_file(
    path: &std::path::Path,
    redactor: &mut Redactor,
) -> Result<Prepared, InputError> {
    prepare_named(&path.display().to_string(), path, redactor)
}

/// [`prepare_file`] for a file shown under another name (stdin spooled to a file: `-`).
pub fn prepare_named(
    name: &str,
    path: &std::path::Path,
    redactor: &mut Redactor,
) -> Result<Prepared, InputError> {
    let reader = match crate::open_input(name, path)? {
        crate::Opened::Text(bytes) => {
            return redact_input(name, &bytes, redactor).map(Prepared::Text)
        }
        crate::Opened::Har(reader, _) => reader,
    };
    // A large 2xx body off the OAuth paths (a video, a bundle) carries no token response;
    // dropping it keeps a 1 GB entry under the reader's entry limit. Pass 2 still replaces
    // every collected secret wherever it is, bodies included.
    let options = crate::input::har::HarOptions {
        drop_bodies_over: Some(1 << 20),
        ..Default::default()
    };
    crate::input::har::for_each_har_entry(reader, &options, &|_| true, &mut |_| {}, &mut |e| {
        redactor.collect_request(&e.request);
        if let Some(r) = &e.response {
            redactor.collect_response(r);
        }
        for c in &e.cookies {
            redactor.add(SecretKind::Token, c);
        }
    })
    .map_err(|e| crate::har_error(name, path, e))?;
    Ok(Prepared::Har)
}

/// Reads one input, collects its secrets and returns the redacted text.
pub fn redact_input(
    name: &str,
    bytes: &[u8],
    redactor: &mut Redactor,
) -> Result<String, InputError> {
    let flow = crate::read_flow(&[(name.to_string(), bytes.to_vec())])?;
    let text = crate::input::detect::to_text(name, bytes)?;
    redactor.collect_flow(&flow);
    if flow
        .inputs
        .first()
        .is_some_and(|i| i.kind == crate::model::InputKind::Har)
    {
        redactor.collect_har(&text);
    }
    // UTF-16 comes out as UTF-8: replacing secrets in the UTF-16 bytes is not done (their
    // spellings are collected as UTF-8), and the lossy UTF-8 of UTF-16 would keep them.
    if crate::input::detect::is_utf16(bytes) {
        return Ok(redactor.redact(&text));
    }
    // A BOM is kept: everything but the secrets is byte for byte (`to_text` checked UTF-8).
    let original = String::from_utf8_lossy(bytes);
    Ok(redactor.redact(&original))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn placeholder_keeps_shape() {
        let mut r = Redactor::new(b"k");
        let tok = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tWq2Lm9Xp4Yz7Ab1Cd5Ef0Gh";
        r.add(SecretKind::AccessToken, tok);
        let p = r.placeholder(tok).unwrap().to_string();
        assert_eq!(p.len(), tok.len());
        let (prefix, tail) = p.split_at("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_".len());
        assert_eq!(prefix, "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_");
        assert!(tail[8..].starts_with("MASKED-access-token-"), "{p}");
        assert!(
            !tail[..8].contains(|c: char| !c.is_ascii_alphanumeric()),
            "{p}"
        );
        // A truncated token gets a prefix of the full one's placeholder.
        let cut = &tok[..tok.len() - 9];
        r.add(SecretKind::AccessToken, cut);
        assert_eq!(r.placeholder(cut).unwrap(), &p[..cut.len()]);
        // Miro's documented example: `-` in the tail does not split the marker.
        let doc = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A63CDSK--x21xiI";
        r.add(SecretKind::AccessToken, doc);
        let d = r.placeholder(doc).unwrap();
        // 27 characters after the `_`: 8 fingerprint, the marker cut at its end.
        assert!(d.ends_with("MASKED-access-token"), "{d}");
        let mut r2 = Redactor::new(b"k");
        r2.add(SecretKind::Code, doc);
        assert!(same_secret(d, r2.placeholder(doc).unwrap()));
        assert_eq!(d.len(), doc.len());
        let out = r.redact(&format!("Bearer {tok} and {tok}"));
        assert_eq!(out, format!("Bearer {p} and {p}"));
        r.add(SecretKind::Code, "a+b/c==");
        let enc = r.redact("code=a%2Bb%2Fc%3D%3D");
        assert!(!enc.contains("a%2Bb"), "{enc}");
        assert_eq!(enc.len(), "code=a%2Bb%2Fc%3D%3D".len());
    }

    /// One value redacted by two runs (same key) under two kinds: the placeholders differ in
    /// their markers only, and [`same_secret`] matches them; two values never match.
    #[test]
    fn same_secret_across_kinds() {
        let as_kind = |kind, v: &str| {
            let mut r = Redactor::new(b"k");
            r.add(kind, v);
            r.placeholder(v).unwrap().to_string()
        };
        let miro = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_Cq3vJ9pXnR2sT8wYkL5mZ0aBcDe";
        // Another value (random tokens differ from their first character on; the fingerprint of
        // a position covers the value up to it, so a difference under the marker alone is lost).
        let other = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_Dq3vJ9pXnR2sT8wYkL5mZ0aBcDe";
        // 25 alphanumerics: room for `MASKED-code-` + 8, not for `MASKED-access-token-` + 8.
        let short = "q7Lm2Xv9Rt4Kp8Zs3Wn6Yb1Hd";
        for v in [miro, short] {
            let code = as_kind(SecretKind::Code, v);
            let token = as_kind(SecretKind::AccessToken, v);
            let refresh = as_kind(SecretKind::RefreshToken, v);
            assert_ne!(code, token, "{v}");
            assert!(code.contains("MASKED-code-"), "{code}");
            assert!(same_secret(&code, &token), "{code} / {token}");
            assert!(same_secret(&token, &refresh), "{token} / {refresh}");
            assert!(same_secret(&code, &code));
            assert!(!same_secret(&code, v));
        }
        let (a, b) = (
            as_kind(SecretKind::Code, miro),
            as_kind(SecretKind::AccessToken, other),
        );
        assert!(!same_secret(&a, &b), "{a} / {b}");
        let (a, b) = (
            as_kind(SecretKind::Code, miro),
            as_kind(SecretKind::Code, other),
        );
        assert!(!same_secret(&a, &b), "{a} / {b}");
        // Another key: another fingerprint.
        let mut r = Redactor::new(b"other key");
        r.add(SecretKind::AccessToken, miro);
        let token = r.placeholder(miro).unwrap();
        assert!(!same_secret(&as_kind(SecretKind::Code, miro), token));
        // Unredacted values are compared as they are.
        assert!(!same_secret("MASKED-code-abc", "MASKED-access-token-abc"));
        assert!(!same_secret("abcdefgh", "abcdefgi"));
    }
}

//! Secrets: finding every credential in a flow and masking it in output.
//!
//! The mask keeps what helps a diagnosis — the kind of secret, its length and a short
//! fingerprint (so two occurrences of the same value can be matched by eye) — never the value.
//! The engine scrubs every finding through [`Secrets::scrub`] before renderers see it.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::model::{Flow, Request};

/// What kind of secret a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretKind {
    /// `client_secret`.
    ClientSecret,
    /// An authorization code.
    Code,
    /// An access token.
    AccessToken,
    /// A refresh token.
    RefreshToken,
    /// Basic credentials (base64 or raw `id:secret`).
    Basic,
    /// Any other bearer-style credential (cookie value, unknown token).
    Token,
    /// A SAML response (a signed assertion: a bearer credential until it expires) or the
    /// `Signature` of a SAML redirect-binding request.
    Saml,
}

impl SecretKind {
    /// Short name used inside masks.
    pub fn label(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client_secret",
            SecretKind::Code => "code",
            SecretKind::AccessToken => "access_token",
            SecretKind::RefreshToken => "refresh_token",
            SecretKind::Basic => "basic",
            SecretKind::Token => "token",
            SecretKind::Saml => "saml",
        }
    }
}

/// The mask for a secret value: `[code len=43 #1a2b3c]`.
pub fn mask(kind: SecretKind, value: &str) -> String {
    format!(
        "[{} len={} #{}]",
        kind.label(),
        value.chars().count(),
        fingerprint(value)
    )
}

/// First 6 hex digits of SHA-256 of the value.
pub fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    digest.iter().take(3).map(|b| format!("{b:02x}")).collect()
}

/// The set of secret values seen in the inputs.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    values: Vec<(String, SecretKind)>,
    /// The values with their kinds, for constant-time lookups.
    known: std::collections::HashMap<String, SecretKind>,
    /// Every spelling of every value and its mask, matched in one pass (built on first use:
    /// a capture with thousands of secrets must not cost thousands of passes per finding).
    matcher: std::sync::OnceLock<Option<(aho_corasick::AhoCorasick, Vec<String>)>>,
}

/// Values shorter than this are not treated as secrets: masking `a` everywhere would mangle
/// output, and a one-letter "secret" reveals nothing worth hiding.
const MIN_SECRET_LEN: usize = 4;

impl Secrets {
    /// Adds a value (ignored when too short or already known).
    pub fn add(&mut self, kind: SecretKind, value: &str) {
        let v = value.trim();
        if v.chars().count() < MIN_SECRET_LEN || is_placeholder(v) || self.known.contains_key(v) {
            return;
        }
        self.known.insert(v.to_string(), kind);
        self.values.push((v.to_string(), kind));
        self.matcher = std::sync::OnceLock::new();
    }

    /// Collects every credential in a flow: params, auth headers, cookies, response tokens.
    pub fn from_flow(flow: &Flow) -> Secrets {
        let mut s = Secrets::default();
        for ex in &flow.exchanges {
            s.add_request(&ex.request);
            if let Some(body) = ex.response.as_ref().and_then(|r| r.json_body()) {
                for (key, kind) in [
                    ("access_token", SecretKind::AccessToken),
                    ("refresh_token", SecretKind::RefreshToken),
                    ("accessToken", SecretKind::AccessToken),
                    ("refreshToken", SecretKind::RefreshToken),
                ] {
                    if let Some(v) = body.get(key).and_then(|v| v.as_str()) {
                        s.add(kind, v);
                    }
                }
            }
        }
        // Longest first, so a token containing a shorter secret is masked whole.
        s.values
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        s
    }

    fn add_request(&mut self, req: &Request) {
        for p in req.params() {
            let kind = match p.param.name.as_str() {
                "client_secret" | "clientSecret" => SecretKind::ClientSecret,
                "code" => SecretKind::Code,
                "access_token" | "accessToken" => SecretKind::AccessToken,
                "refresh_token" | "refreshToken" => SecretKind::RefreshToken,
                _ => continue,
            };
            self.add(kind, &p.param.value);
            if p.param.raw != p.param.value {
                self.add(kind, &p.param.raw);
            }
        }
        for h in &req.headers {
            for (kind, value) in header_credentials(&h.name, &h.value) {
                self.add(kind, &value);
            }
        }
        if let Some(user) = req.curl.as_ref().and_then(|c| c.user.as_deref()) {
            if let Some((_, secret)) = user.split_once(':') {
                self.add(SecretKind::ClientSecret, secret);
            }
        }
    }

    /// Is there nothing to mask?
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The kind of a known secret value, if it is one.
    pub fn kind_of(&self, value: &str) -> Option<SecretKind> {
        self.known.get(value.trim()).copied()
    }

    /// Replaces every occurrence of every known secret (and its percent-encoded and
    /// form-encoded spellings) with its mask.
    pub fn scrub(&self, text: &str) -> String {
        let matcher = self.matcher.get_or_init(|| {
            let mut patterns = Vec::new();
            let mut masks = Vec::new();
            for (value, kind) in &self.values {
                let m = mask(*kind, value);
                for spelling in spellings(value) {
                    patterns.push(spelling);
                    masks.push(m.clone());
                }
            }
            // Leftmost-longest: a token containing a shorter secret is masked whole.
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                // Not a DFA: its construction grows with the patterns' total length, and a
                // hostile 10 KB secret (30 KB percent-encoded) took seconds to compile.
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .ok()
                .map(|ac| (ac, masks))
        });
        match matcher {
            Some((ac, masks)) => ac.replace_all(text, masks),
            None => text.to_string(),
        }
    }

    /// Scrubs every string inside a JSON value.
    pub fn scrub_json(&self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => *s = self.scrub(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| self.scrub_json(x)),
            serde_json::Value::Object(m) => m.values_mut().for_each(|x| self.scrub_json(x)),
            _ => {}
        }
    }
}

/// The credentials a header carries: `Authorization`/`Proxy-Authorization` (Basic: the
/// base64 value and the secret inside it, also when sent raw as `id:secret`; any other
/// scheme: the token, with and without quotes or a doubled `Bearer`), `Cookie` values and the
/// value a `Set-Cookie` sets. Shared by masking and by `redact`.
pub fn header_credentials(name: &str, value: &str) -> Vec<(SecretKind, String)> {
    let mut out = Vec::new();
    let v = value.trim();
    match name.to_ascii_lowercase().as_str() {
        "authorization" | "proxy-authorization" => {
            let (scheme, cred) = v.split_once(char::is_whitespace).unwrap_or(("", v));
            let cred = cred.trim();
            // A bare scheme word (`Authorization: Basic`) carries no credential.
            if scheme.is_empty()
                && ["basic", "bearer", "token"].contains(&cred.to_ascii_lowercase().as_str())
            {
                return out;
            }
            if scheme.eq_ignore_ascii_case("basic") {
                out.push((SecretKind::Basic, cred.to_string()));
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(cred)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok());
                let pair = decoded.as_deref().unwrap_or(cred);
                if let Some((_, secret)) = pair.split_once(':') {
                    out.push((SecretKind::ClientSecret, secret.to_string()));
                }
            } else {
                // Strip quotes and a doubled scheme so the bare token is found too.
                let bare = cred.trim_matches(|c| c == '"' || c == '\'');
                let bare = bare
                    .strip_prefix("Bearer ")
                    .or_else(|| bare.strip_prefix("bearer "))
                    .unwrap_or(bare)
                    .trim();
                out.push((SecretKind::AccessToken, bare.to_string()));
                out.push((SecretKind::AccessToken, cred.to_string()));
            }
        }
        "cookie" => {
            for pair in v.split(';') {
                if let Some((_, c)) = pair.split_once('=') {
                    out.push((SecretKind::Token, c.trim().to_string()));
                }
            }
        }
        "set-cookie" => {
            let first = v.split(';').next().unwrap_or("");
            if let Some((_, c)) = first.split_once('=') {
                out.push((SecretKind::Token, c.trim().to_string()));
            }
        }
        _ => {}
    }
    out
}

/// Masks what looks like a secret in free text that no parser has read: an error message
/// quoting the input it could not parse. `name=value`, `name: value` and `"name": "value"`
/// for secret-bearing names (`code`, `client_secret`, `*_token`, `*_secret`, `password`…),
/// `Bearer`/`Basic` credentials, a URL's password and Miro-style tokens (`eyJ…`) become
/// [`mask`]s; everything else is kept.
pub fn mask_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let Some((start, end, kind)) = next_secret(rest) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&mask(kind, &rest[start..end]));
        rest = &rest[end..];
    }
    out
}

/// Whether a word of running text looks like a random credential rather than prose: a digit,
/// mixed case, or long.
fn random_looking(v: &str) -> bool {
    v.len() >= 20
        || v.bytes().any(|b| b.is_ascii_digit())
        || (v.bytes().any(|b| b.is_ascii_lowercase()) && v.bytes().any(|b| b.is_ascii_uppercase()))
}

/// Characters a credential value is made of in running text.
fn value_char(c: char) -> bool {
    !(c.is_whitespace() || "&\"'`,;<>()[]{}".contains(c))
}

/// The next secret-looking value in `text`: its byte range and kind.
fn next_secret(text: &str) -> Option<(usize, usize, SecretKind)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Start of a word.
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
            // To the next character, not into the middle of one (`helloé`).
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let word_end = text[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(text.len(), |n| i + n);
        let word = &text[i..word_end];
        if word.is_empty() {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let lower = word.to_ascii_lowercase();
        // `Bearer x`, `Basic x`.
        if matches!(lower.as_str(), "bearer" | "basic") && text[word_end..].starts_with(' ') {
            let vs = word_end
                + 1
                + (text[word_end + 1..].len() - text[word_end + 1..].trim_start().len());
            let ve = text[vs..]
                .find(|c| !value_char(c))
                .map_or(text.len(), |n| vs + n);
            if ve - vs >= 8 && random_looking(&text[vs..ve]) {
                let kind = if lower == "basic" {
                    SecretKind::Basic
                } else {
                    SecretKind::AccessToken
                };
                return Some((vs, ve, kind));
            }
        }
        // `eyJ…` tokens (Miro's and JWTs) anywhere.
        if word.starts_with("eyJ") {
            let ve = text[i..]
                .find(|c| !value_char(c))
                .map_or(text.len(), |n| i + n);
            if ve - i >= 20 {
                return Some((i, ve, SecretKind::Token));
            }
        }
        // Not a path segment (`/v1/oauth/token: answered …`).
        let in_path = i > 0 && matches!(bytes[i - 1], b'/' | b'.');
        if let Some(kind) = secret_name(&lower).filter(|_| !in_path) {
            // `name=value`, `name: value`, `"name": "value"`, `name = "value"`.
            let mut j = word_end;
            let after = &text[j..];
            let sep = after.trim_start_matches(['"', '\'']).trim_start();
            let sep_at = j + (after.len() - sep.len());
            if let Some(c) = sep.chars().next().filter(|c| *c == '=' || *c == ':') {
                j = sep_at + c.len_utf8();
                let v = &text[j..];
                let trimmed = v.trim_start().trim_start_matches(['"', '\'']);
                let vs = j + (v.len() - trimmed.len());
                // Not `://` (a URL scheme).
                if !(c == ':' && text[j..].starts_with("//")) {
                    let ve = text[vs..]
                        .find(|c| !value_char(c))
                        .map_or(text.len(), |n| vs + n);
                    let scheme = ["bearer", "basic"]
                        .iter()
                        .any(|w| text[vs..ve].eq_ignore_ascii_case(w));
                    // `Authorization: Bearer x`: the scheme is not the secret; the next word
                    // is caught as Bearer credentials.
                    if ve - vs >= 4 && !scheme && random_looking(&text[vs..ve]) {
                        return Some((vs, ve, kind));
                    }
                }
            }
        }
        // `scheme://user:password@host`.
        if text[word_end..].starts_with("://") {
            let auth_start = word_end + 3;
            let auth_end = text[auth_start..]
                .find(|c: char| c == '/' || c == '?' || c == '#' || !value_char(c))
                .map_or(text.len(), |n| auth_start + n);
            let authority = &text[auth_start..auth_end];
            if let Some(at) = authority.rfind('@') {
                if let Some(colon) = authority[..at].find(':') {
                    let (ps, pe) = (auth_start + colon + 1, auth_start + at);
                    if pe > ps {
                        return Some((ps, pe, SecretKind::Token));
                    }
                }
            }
        }
        i = word_end;
    }
    None
}

/// The kind of secret a parameter, header or variable name carries, if any.
fn secret_name(lower: &str) -> Option<SecretKind> {
    Some(match lower {
        "code" => SecretKind::Code,
        "client_secret" | "clientsecret" | "client-secret" => SecretKind::ClientSecret,
        "access_token" | "accesstoken" => SecretKind::AccessToken,
        "refresh_token" | "refreshtoken" => SecretKind::RefreshToken,
        "id_token" | "token" | "password" | "passwd" | "secret" | "api_key" | "apikey"
        | "authorization" | "cookie" | "set-cookie" | "code_verifier" => SecretKind::Token,
        "samlresponse" | "signature" => SecretKind::Saml,
        "x-amz-signature" => SecretKind::Token,
        l if l.ends_with("_secret") || l.ends_with("-secret") => SecretKind::ClientSecret,
        l if l.ends_with("_token") || l.ends_with("-token") => SecretKind::Token,
        _ => return None,
    })
}

/// How a value was hidden by whoever shared the capture, when it was: a placeholder standing
/// for a real value that is no longer there. `[REDACTED]` and the like (Google's and
/// Cloudflare's HAR sanitizers, most hand-written scripts), `[sanitized]`, Rails' and
/// Sentry's `[FILTERED]`, `***`, `xxxx`, bullets, `<hidden>`/`<removed>`, a short stub
/// before an ellipsis (`eyJ...`), and this tool's own output mask (`[code len=43 #1a2b3c]`).
/// Not `redact`'s placeholders: they keep kind, length and equality, and rules judge them
/// like the real values.
pub fn redaction(value: &str) -> Option<&'static str> {
    let t = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if t.is_empty() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    if t.starts_with('[') && t.ends_with(']') && lower.contains(" len=") && lower.contains(" #") {
        return Some("miro-oauth's output mask");
    }
    for (word, style) in [
        ("redacted", "a `[REDACTED]` placeholder"),
        ("sanitized", "a `[sanitized]` placeholder"),
        ("filtered", "a `[FILTERED]` placeholder"),
        ("scrubbed", "a `[scrubbed]` placeholder"),
        ("censored", "a `[censored]` placeholder"),
        ("omitted", "an `<omitted>` placeholder"),
        ("<hidden>", "a `<hidden>` placeholder"),
        ("[hidden]", "a `[hidden]` placeholder"),
        ("<removed>", "a `<removed>` placeholder"),
        ("[removed]", "a `[removed]` placeholder"),
        ("***", "asterisks"),
        ("xxxx", "`xxxx`"),
    ] {
        if lower.contains(word) {
            return Some(style);
        }
    }
    if t.contains('\u{2022}') || t.contains('\u{25cf}') {
        return Some("bullets");
    }
    // `eyJ...`, `abc…`: a stub of a few characters before an ellipsis.
    let stub = t.trim_end_matches('.').trim_end_matches('\u{2026}');
    (stub.len() + 2 <= t.len() || t.ends_with('\u{2026}'))
        .then_some(())
        .filter(|()| stub.chars().count() < 12)
        .map(|()| "a stub cut off with an ellipsis")
}

/// A template placeholder rather than a credential (`undefined`, `${SECRET}`, `{{code}}`,
/// `YOUR_CLIENT_SECRET`, `<token>`, `$DO_API_TOKEN`): quoting it leaks nothing and helps the
/// diagnosis ("the code is the literal text `undefined`").
pub fn is_placeholder(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "undefined" | "null" | "none" | "nil" | "nan" | "[object object]"
    ) || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with('<')
            && v.ends_with('>')
            // `<ACCESS_TOKEN>`, `<your token>`; not a real token kept inside brackets.
            && v[1..v.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphabetic() || "_- ".contains(c)))
        || (v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || lower.starts_with("your_")
        || lower.starts_with("your-")
}

/// The value as written raw, form-encoded and percent-encoded.
fn spellings(value: &str) -> Vec<String> {
    let mut v = vec![value.to_string()];
    let form: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let pct = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    for s in [form, pct] {
        if !v.contains(&s) {
            v.push(s);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn mask_text_hides_secrets_in_free_text() {
        let cases = [
            (
                "found `Authorization Bearer LeakCheck123456`",
                "LeakCheck123456",
            ),
            (
                "unrecognised input starting `client_secret=Zk3qP9sLmN2xV7bT4wR8`",
                "Zk3qP9sL",
            ),
            ("expected `=` after `X`, found `: Zk3qP9sLmN2x`", ""),
            ("MIRO_CLIENT_SECRET: Zk3qP9sLmN2xV7bT", "Zk3qP9sLmN2xV7bT"),
            ("\"access_token\": \"abcdefgh12345\"", "abcdefgh12345"),
            (
                "https://user:Hunter2Hunter2@api.miro.com/",
                "Hunter2Hunter2",
            ),
            (
                "curl: invalid URL `https://x.com/cb?code=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_abc def`",
                "ImV1MDEifQ_abc",
            ),
            (
                "Authorization: Basic MzQ1ODc2NDUxMjM0NTY3ODkwMTpzZWNyZXQ=",
                "MzQ1ODc2NDUxMjM0NTY3",
            ),
        ];
        for (text, secret) in cases {
            let masked = mask_text(text);
            if !secret.is_empty() {
                assert!(!masked.contains(secret), "{text} -> {masked}");
                assert!(masked.contains(" len="), "{text} -> {masked}");
            }
        }
        // Ordinary text is kept byte for byte.
        for text in [
            "fixtures/a.har:3:7: expected `,` or `}` inside log.entries[0]",
            "unknown rule `code-reuse` (did you mean `code-reused`?)",
            "the code was exchanged twice; see https://api.miro.com/v1/oauth/token",
            "Bearer",
            "invalid basic string",
            "http://127.0.0.1:44025/v1/oauth/token: answered 200 without an access_token",
            "the token: expired",
            "helloé world …",
            "a…b: x\u{1f600}y Bearer",
        ] {
            assert_eq!(mask_text(text), text);
        }
    }

    use super::*;

    #[test]
    fn mask_hides_value_keeps_shape() {
        let m = mask(SecretKind::Code, "abcdef123456");
        assert!(m.starts_with("[code len=12 #"));
        assert!(!m.contains("abcdef"));
    }

    #[test]
    fn placeholders_are_not_secrets() {
        let mut s = Secrets::default();
        for p in [
            "undefined",
            "${MIRO_SECRET}",
            "{{code}}",
            "YOUR_CLIENT_SECRET",
            "<token>",
            "$TOKEN",
        ] {
            assert!(is_placeholder(p), "{p}");
            s.add(SecretKind::Code, p);
        }
        assert!(s.is_empty());
        assert!(!is_placeholder(
            "<eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tWq2>"
        ));
        s.add(SecretKind::Code, "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_abc");
        assert!(!s.is_empty());
    }

    #[test]
    fn scrub_masks_plain_and_encoded() {
        let mut s = Secrets::default();
        s.add(SecretKind::ClientSecret, "se/cr+et==");
        let out = s.scrub("a se/cr+et== b se%2Fcr%2Bet%3D%3D");
        assert!(!out.contains("se/cr"), "{out}");
        assert!(!out.contains("se%2Fcr"), "{out}");
    }
}

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
}

/// Values shorter than this are not treated as secrets: masking `a` everywhere would mangle
/// output, and a one-letter "secret" reveals nothing worth hiding.
const MIN_SECRET_LEN: usize = 4;

impl Secrets {
    /// Adds a value (ignored when too short or already known).
    pub fn add(&mut self, kind: SecretKind, value: &str) {
        let v = value.trim();
        if v.chars().count() < MIN_SECRET_LEN
            || is_placeholder(v)
            || self.values.iter().any(|(x, _)| x == v)
        {
            return;
        }
        self.values.push((v.to_string(), kind));
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
        self.values
            .iter()
            .find(|(v, _)| v == value.trim())
            .map(|(_, k)| *k)
    }

    /// Replaces every occurrence of every known secret (and its percent-encoded and
    /// form-encoded spellings) with its mask.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (value, kind) in &self.values {
            let m = mask(*kind, value);
            for spelling in spellings(value) {
                if out.contains(spelling.as_str()) {
                    out = out.replace(spelling.as_str(), &m);
                }
            }
        }
        out
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

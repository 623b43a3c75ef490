//! Reading error responses: Miro's own shape `{"status","code","message","type"}` (facts §4.4,
//! §10) and the RFC 6749 shape `{"error","error_description"}` that wrappers log and the MCP
//! realm uses. Shared by the response rules and the token rules that key on Miro's answer.

use crate::engine::classify::{realm, Realm};
use crate::engine::Ex;
use crate::finding::Step;
use crate::model::Response;

/// An error answer, read from a response body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    /// The HTTP status, or the body's `status` when the capture has no status line.
    pub status: u16,
    /// Miro's `code` (`oauthError`, `tokenNotProvided`, …) or the RFC `error`.
    pub code: String,
    /// Miro's `message` or the RFC `error_description` (may be empty).
    pub message: String,
    /// The body used the RFC 6749 shape rather than Miro's.
    pub rfc: bool,
}

impl ErrorBody {
    /// `code` and `message` for messages: `401 oauthError "Redirect URI mismatch."`.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if self.status != 0 {
            s.push_str(&self.status.to_string());
        }
        if !self.code.is_empty() {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&self.code);
        }
        if !self.message.is_empty() {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&format!("\"{}\"", self.message));
        }
        s
    }

    /// The message, lower-cased, for matching.
    pub fn message_lower(&self) -> String {
        self.message.to_ascii_lowercase()
    }

    /// Miro's "Invalid authorization code" (or an RFC `invalid_grant` on a code exchange
    /// that is not about the redirect URI).
    pub fn is_invalid_code(&self, code_exchange: bool) -> bool {
        let m = self.message_lower();
        if m.contains("invalid authorization code") {
            return true;
        }
        if m.contains("authorization code")
            && ["expired", "invalid", "used", "not found", "revoked"]
                .iter()
                .any(|w| m.contains(w))
        {
            return true;
        }
        if !code_exchange || m.contains("redirect") || m.contains("refresh") || m.contains("client")
        {
            return false;
        }
        // On a code exchange: "Invalid code", "code expired", or RFC `invalid_grant`.
        self.code.eq_ignore_ascii_case("invalid_grant")
            || (m.contains("code")
                && ["invalid", "expired", "used", "not found"]
                    .iter()
                    .any(|w| m.contains(w)))
    }
}

fn as_status(v: Option<&serde_json::Value>) -> Option<u16> {
    let v = v?;
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .and_then(|s| u16::try_from(s).ok())
}

fn as_text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads an error object (Miro or RFC shape) from a JSON object.
fn from_object(
    obj: &serde_json::Map<String, serde_json::Value>,
    http_status: u16,
) -> Option<ErrorBody> {
    let body_status = as_status(obj.get("status"));
    let status = if http_status != 0 {
        http_status
    } else {
        body_status.unwrap_or(0)
    };
    // RFC 6749 §5.2: {"error": "...", "error_description": "..."}.
    if let Some(error) = obj.get("error").and_then(|v| v.as_str()) {
        if !error.trim().is_empty() {
            return Some(ErrorBody {
                status,
                code: error.trim().to_string(),
                message: as_text(obj.get("error_description")).unwrap_or_default(),
                rfc: true,
            });
        }
    }
    // A wrapper that nests Miro's object: {"error": {"status":401,"code":…}}.
    if let Some(inner) = obj.get("error").and_then(|v| v.as_object()) {
        if let Some(e) = from_object(inner, http_status) {
            return Some(e);
        }
    }
    let code = as_text(obj.get("code"));
    let message = as_text(obj.get("message"));
    if code.is_none() && message.is_none() {
        return None;
    }
    let typed_error = obj
        .get("type")
        .and_then(|v| v.as_str())
        .is_some_and(|t| t.eq_ignore_ascii_case("error"));
    if !(typed_error || status >= 400) {
        return None;
    }
    Some(ErrorBody {
        status,
        code: code.unwrap_or_default(),
        message: message.unwrap_or_default(),
        rfc: false,
    })
}

/// The error a response carries, when its body is an error object.
pub(crate) fn error_body(resp: &Response) -> Option<ErrorBody> {
    match resp.json_body()? {
        serde_json::Value::Object(obj) => from_object(&obj, resp.status),
        _ => None,
    }
}

/// True when the body is Miro's own error shape (`type: "error"` with a `code`), which an
/// app's backend may relay unchanged.
pub(crate) fn is_miro_shaped(resp: &Response) -> bool {
    let Some(serde_json::Value::Object(obj)) = resp.json_body() else {
        return false;
    };
    obj.get("type")
        .and_then(|v| v.as_str())
        .is_some_and(|t| t == "error")
        && obj.get("code").is_some_and(|v| v.is_string())
}

/// Whether the response of this exchange is Miro answering the app: Miro's OAuth and REST
/// endpoints (not the calls Miro's own web app makes on `miro.com`, not the MCP realm), or
/// an app backend relaying Miro's error body unchanged. `Some(true)` when relayed.
pub(crate) fn miro_answer(ex: &Ex<'_>) -> Option<bool> {
    let resp = ex.response.as_ref()?;
    let api_step = matches!(
        ex.step,
        Step::Token | Step::Revoke | Step::TokenInfo | Step::Scim
    );
    match realm(&ex.request.host()) {
        Realm::Mcp => None,
        Realm::Api => Some(false),
        Realm::NotMiro if api_step || ex.step == Step::Api => Some(false),
        Realm::NotMiro => is_miro_shaped(resp).then_some(true),
        // On miro.com only the OAuth endpoints answer the app: other calls there are Miro's
        // own web app (and a REST call there is `api-host-wrong`).
        Realm::Web | Realm::OtherMiro => api_step.then_some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: Some(body.to_string()),
        }
    }

    #[test]
    fn miro_shape() {
        let e = error_body(&resp(
            401,
            r#"{"status":401,"code":"oauthError","message":"Redirect URI mismatch.","type":"error"}"#,
        ))
        .unwrap();
        assert_eq!(e.code, "oauthError");
        assert_eq!(e.message, "Redirect URI mismatch.");
        assert!(!e.rfc);
        assert_eq!(e.describe(), "401 oauthError \"Redirect URI mismatch.\"");
    }

    #[test]
    fn rfc_shape_and_status_from_body() {
        let e = error_body(&resp(
            0,
            r#"{"error":"invalid_grant","error_description":"code expired","status":"400"}"#,
        ))
        .unwrap();
        assert!(e.rfc);
        assert_eq!(e.status, 400);
        assert!(e.is_invalid_code(true));
        assert!(!e.is_invalid_code(false));
    }

    #[test]
    fn success_is_not_an_error() {
        assert!(error_body(&resp(200, r#"{"access_token":"x","message":"ok"}"#)).is_none());
        assert!(error_body(&resp(200, r#"[1,2]"#)).is_none());
        assert!(error_body(&resp(401, "<html>")).is_none());
    }

    #[test]
    fn invalid_code_spellings() {
        let e = |m: &str| ErrorBody {
            status: 401,
            code: "oauthError".into(),
            message: m.into(),
            rfc: false,
        };
        assert!(e("Invalid authorization code").is_invalid_code(true));
        assert!(e("invalid authorization code").is_invalid_code(false));
        assert!(!e("Invalid refresh token").is_invalid_code(true));
        assert!(e("Invalid code").is_invalid_code(true));
        assert!(!e("Invalid code").is_invalid_code(false));
        assert!(!e("Invalid client code").is_invalid_code(true));
    }
}

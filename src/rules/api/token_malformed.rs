//! `token-malformed`: the bearer token of a REST call is not a usable access token — an
//! unfilled placeholder, whitespace or a line break inside it, truncated (`…`, shorter than
//! the token the flow issued, or shorter than Miro's token shape), or another credential of
//! the flow sent in its place (refresh token, authorization code, client secret, client id).

use super::{
    access_token_param, issued_tokens, method_path, parse_auth, rest_calls, MIRO_TOKEN_PREFIX,
};
use crate::redact::same_secret;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "token-malformed",
    group: Group::Api,
    severity: Severity::Error,
    summary:
        "bearer token that is a placeholder, has whitespace, is truncated, or is another credential",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/token-malformed.md"),
    superseded_by: &[],
    reads: &[Evidence::AccessToken],
    check,
};

/// Why a token value is not a usable access token.
#[derive(Debug, PartialEq, Eq)]
enum Fault {
    Template,
    ShellVar,
    Angle,
    AngleWrapped,
    BearerInParam,
    Stray,
    Unset,
    Example,
    Whitespace { line_break: bool },
    Ellipsis,
    Truncated { sent: usize, issued: usize },
    ShapeTruncated,
    RefreshToken,
    Code,
    ClientSecret,
    ClientId,
}

fn placeholder(t: &str) -> Option<Fault> {
    let t = t.trim();
    let lower = t.to_ascii_lowercase();
    if t.starts_with("{{") || t.ends_with("}}") {
        return Some(Fault::Template);
    }
    if (t.starts_with("${") && t.ends_with('}'))
        || (t.starts_with('$')
            && t.len() > 1
            && t[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || (t.len() > 2
            && t.starts_with('%')
            && t.ends_with('%')
            && t[1..t.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || (t.starts_with("$(") && t.ends_with(')'))
    {
        return Some(Fault::ShellVar);
    }
    if t.starts_with('<') && t.ends_with('>') {
        let inner = &t[1..t.len() - 1];
        let tokenish = inner.len() >= 20
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        return Some(if tokenish {
            Fault::AngleWrapped
        } else {
            Fault::Angle
        });
    }
    if matches!(
        lower.as_str(),
        "undefined"
            | "null"
            | "none"
            | "nil"
            | "[object object]"
            | "[object promise]"
            | "nan"
            | "false"
    ) {
        return Some(Fault::Unset);
    }
    let squashed: String = lower
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if matches!(
        squashed.as_str(),
        "youraccesstoken"
            | "accesstoken"
            | "yourtoken"
            | "token"
            | "mytoken"
            | "myaccesstoken"
            | "insertaccesstoken"
            | "insertyouraccesstoken"
            | "yourmiroaccesstoken"
            | "miroaccesstoken"
            | "mirotoken"
    ) {
        return Some(Fault::Example);
    }
    None
}

/// The shape check of a Miro-prefixed token: cut before or just after the `_`.
fn shape_truncated(t: &str) -> bool {
    if !t.starts_with(MIRO_TOKEN_PREFIX) || t.contains('.') {
        return false;
    }
    match t.split_once('_') {
        // The prefix part alone is `eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ` (30 characters).
        None => t.len() <= 30,
        Some((_, tail)) => tail.len() < 8,
    }
}

struct Known {
    issued: Vec<String>,
    refresh: Vec<String>,
    codes: Vec<String>,
    secrets: Vec<String>,
    client_ids: Vec<String>,
}

fn known(cx: &Cx<'_>) -> Known {
    let mut k = Known {
        issued: Vec::new(),
        refresh: Vec::new(),
        codes: Vec::new(),
        secrets: Vec::new(),
        client_ids: Vec::new(),
    };
    for i in issued_tokens(cx) {
        k.issued.push(i.access_token);
        k.refresh.extend(i.refresh_token);
    }
    for ex in cx.exchanges() {
        let step = ex.step;
        for p in ex.request.params() {
            let v = p.param.value.trim().to_string();
            if v.len() < 4 {
                continue;
            }
            match p.param.name.as_str() {
                "refresh_token" => k.refresh.push(v),
                "code" if matches!(step, Step::Callback | Step::Token) => k.codes.push(v),
                "client_secret" | "clientSecret" => k.secrets.push(v),
                "client_id" | "clientId" => k.client_ids.push(v),
                _ => {}
            }
        }
    }
    if let Some(c) = cx.config() {
        if let Some(s) = &c.app.client_secret {
            k.secrets.push(s.value.trim().to_string());
        }
        if let Some(id) = &c.app.client_id {
            k.client_ids.push(id.value.trim().to_string());
        }
    }
    k
}

fn fault(t: &str, k: &Known) -> Option<Fault> {
    if super::is_redacted(t) {
        return None;
    }
    if let Some(f) = placeholder(t) {
        return Some(f);
    }
    if t.trim().chars().any(char::is_whitespace) || t.trim() != t {
        return Some(Fault::Whitespace {
            line_break: t.contains(['\n', '\r']),
        });
    }
    let lower = t.to_ascii_lowercase();
    if t.contains(['"', '\'', ',', ';', '\\', '`', '&'])
        || lower.starts_with("access_token=")
        || lower.starts_with("token=")
    {
        return Some(Fault::Stray);
    }
    if t.ends_with("...") || t.ends_with('…') {
        return Some(Fault::Ellipsis);
    }
    // `same_secret`: in files redacted one at a time the same value is a `MASKED-code-…` in
    // one and a `MASKED-access-token-…` in the other.
    let same = |v: &String| same_secret(v, t);
    if k.refresh.iter().any(same) && !k.issued.iter().any(same) {
        return Some(Fault::RefreshToken);
    }
    if k.codes.iter().any(same) {
        return Some(Fault::Code);
    }
    if k.secrets.iter().any(same) {
        return Some(Fault::ClientSecret);
    }
    if k.client_ids.iter().any(|c| c == t)
        || (t.len() >= 15 && t.len() <= 20 && t.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(Fault::ClientId);
    }
    if let Some(full) = k
        .issued
        .iter()
        .find(|a| a.len() > t.len() && a.starts_with(t))
    {
        return Some(Fault::Truncated {
            sent: t.chars().count(),
            issued: full.chars().count(),
        });
    }
    if shape_truncated(t) {
        return Some(Fault::ShapeTruncated);
    }
    None
}

fn describe(f: &Fault) -> String {
    match f {
        Fault::Template => "the token is an unfilled template variable in double braces (the Postman/Insomnia environment holding it is not selected or not set)".into(),
        Fault::ShellVar => "the token is an unexpanded variable reference (`$NAME`, `${…}` or `%NAME%`), not its value: a single-quoted shell string, an unset cmd variable, or a JavaScript string in plain quotes instead of backticks".into(),
        Fault::Angle => "the token is the documentation placeholder in angle brackets, not a real token".into(),
        Fault::Unset => "the token is the text a program prints for an unset or unresolved value (a variable that was never set, or a Promise that was not awaited), not a token".into(),
        Fault::Example => "the token is placeholder text from an example, not a real token".into(),
        Fault::AngleWrapped => "the token is wrapped in angle brackets, kept from the documentation's `<token>` placeholder; they are sent as part of the token".into(),
        Fault::BearerInParam => "the access_token parameter starts with `Bearer `: the scheme belongs only in the Authorization header, the parameter takes the bare token".into(),
        Fault::Stray => "the token carries stray characters (quotes, commas, semicolons, backslashes, `&` or a `name=` prefix from the JSON, URL or code it was copied from)".into(),
        Fault::Whitespace { line_break: true } => "the token contains a line break (copied across lines, or read from a file with its trailing newline)".into(),
        Fault::Whitespace { line_break: false } => "the token contains whitespace; a Miro token is one unbroken string".into(),
        Fault::Ellipsis => "the token ends with an ellipsis: it was copied from a display that shortens it".into(),
        Fault::Truncated { sent, issued } => format!("the token is truncated: {sent} characters of the {issued}-character access token issued earlier in the flow"),
        Fault::ShapeTruncated => "the token is likely truncated: it has Miro's token prefix but ends too soon after it".into(),
        Fault::RefreshToken => "the token is the refresh token of this flow, not the access token".into(),
        Fault::Code => "the token is the authorization code of this flow, not an access token: the code must first be exchanged at POST /v1/oauth/token".into(),
        Fault::ClientSecret => "the token is the app's client secret, not an access token".into(),
        Fault::ClientId => "the token is a numeric client ID, not an access token".into(),
    }
}

fn fix_for(f: &Fault) -> &'static str {
    match f {
        Fault::Code => "Exchange the code at POST https://api.miro.com/v1/oauth/token and send the access_token from the response as `Authorization: Bearer <access_token>`.",
        Fault::RefreshToken | Fault::ClientSecret | Fault::ClientId => "Send the access_token field of the token response as `Authorization: Bearer <access_token>`.",
        Fault::Whitespace { .. } => "Trim the stored token (strip spaces and line breaks) and send it as one unbroken string: `Authorization: Bearer <access_token>`.",
        Fault::Stray | Fault::AngleWrapped => "Send the bare token with nothing around it: `Authorization: Bearer <access_token>`.",
        Fault::BearerInParam => "Send the bare token in access_token, or send `Authorization: Bearer <access_token>` instead of the parameter.",
        Fault::Ellipsis | Fault::Truncated { .. } | Fault::ShapeTruncated => "Send the whole access_token value from the token response, copied or stored without cutting it.",
        _ => "Send the real access token from the token response as `Authorization: Bearer <access_token>`.",
    }
}

fn check(cx: &mut Cx<'_>) {
    let calls = rest_calls(cx);
    if calls.is_empty() {
        return;
    }
    let k = known(cx);
    for ex in calls {
        if ex.step == Step::Scim {
            continue;
        }
        // A curl command is the script, not the wire: `"Bearer $TOKEN"` (double quotes) or
        // cmd's `%TOKEN%` are expanded when the command runs, and the parsed command no
        // longer says which quotes were used, so a variable there is not a finding.
        let script = super::input_kind(cx, &ex) == Some(crate::model::InputKind::Curl);
        let mut candidates: Vec<(Part, &str, String)> = Vec::new();
        if let Some(h) = ex.request.headers_named("authorization").next() {
            let a = parse_auth(&h.value);
            if a.problem.is_none() {
                if let Some(t) = a.token {
                    candidates.push((Part::Header, "Authorization", t));
                }
            }
        }
        if let Some((place, v)) = access_token_param(&ex.request) {
            let part = if place == ParamPlace::Query {
                Part::Query
            } else {
                Part::Body
            };
            candidates.push((part, "access_token", v));
        }
        for (part, name, token) in candidates {
            let in_param = name == "access_token";
            let f = if in_param
                && token
                    .get(..7)
                    .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
            {
                Some(Fault::BearerInParam)
            } else {
                fault(&token, &k)
            };
            let Some(f) = f else {
                continue;
            };
            if script && f == Fault::ShellVar {
                continue;
            }
            cx.report(
                &ex,
                part,
                Some(name),
                format!("{}: {}", method_path(&ex.request), describe(&f)),
            )
            .fix(fix_for(&f))
            .evidence("sent", token.clone());
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Known {
        Known {
            issued: vec!["eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A63CDSK--x21xiI".into()],
            refresh: vec![],
            codes: vec![],
            secrets: vec![],
            client_ids: vec![],
        }
    }

    #[test]
    fn faults() {
        let k = none();
        assert_eq!(fault("{{access_token}}", &k), Some(Fault::Template));
        assert_eq!(fault("$MIRO_TOKEN", &k), Some(Fault::ShellVar));
        assert_eq!(fault("%MIRO_TOKEN%", &k), Some(Fault::ShellVar));
        assert_eq!(fault("${TOKEN}", &k), Some(Fault::ShellVar));
        assert_eq!(fault("<access_token>", &k), Some(Fault::Angle));
        assert_eq!(
            fault(
                "<eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A63CDSK--x21xiI>",
                &k
            ),
            Some(Fault::AngleWrapped)
        );
        assert_eq!(
            fault(
                "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A63CDSK--x21xiI\",",
                &k
            ),
            Some(Fault::Stray)
        );
        assert_eq!(fault("undefined", &k), Some(Fault::Unset));
        assert_eq!(fault("YOUR_ACCESS_TOKEN", &k), Some(Fault::Example));
        assert!(matches!(
            fault(
                "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91Occa\nII0A63CDSK--x21xiI",
                &k
            ),
            Some(Fault::Whitespace { line_break: true })
        ));
        assert!(matches!(
            fault("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A", &k),
            Some(Fault::Truncated { .. })
        ));
        assert_eq!(
            fault(
                "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P",
                &Known {
                    issued: vec![],
                    ..none()
                }
            ),
            Some(Fault::ShapeTruncated)
        );
        assert_eq!(fault("3458764512345678901", &k), Some(Fault::ClientId));
        assert_eq!(
            fault(
                "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A63CDSK--x21xiI",
                &k
            ),
            None
        );
        assert_eq!(
            fault(
                "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_Zk3nQ8sLw2VbR7tYp4XcJ9mD",
                &k
            ),
            None
        );
        // A legacy 27-character token and a JWT are not this rule's business.
        assert_eq!(fault("Ab3dEf6hIj9kLm2nOp5qRs8tUv1", &k), None);
        assert_eq!(fault("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", &k), None);
    }
}

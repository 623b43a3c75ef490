//! `api-host-wrong`: a REST call on the wrong host, scheme or version: `miro.com/api/v2/…`
//! (the REST API lives on `api.miro.com`), `api.miro.com/boards` (no `/v2`), legacy v1
//! resources (`/v1/boards/…`, `/v1/users/me`), unknown versions (`/v3`), `http://`, SCIM
//! outside `https://miro.com/api/v1/scim/`, and token info outside
//! `https://api.miro.com/v1/oauth-token`. The v1 OAuth endpoints and `/v2-experimental/` are
//! valid.

use super::{is_api_host, rest_calls};
use crate::catalog::{lookup, Match};
use crate::engine::classify::{realm, Realm};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "api-host-wrong",
    group: Group::Api,
    severity: Severity::Error,
    summary: "REST call on the wrong host, scheme or API version",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/api-host-wrong.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

const SCIM_RESOURCES: &[&str] = &[
    "users",
    "groups",
    "schemas",
    "serviceproviderconfig",
    "resourcetypes",
];

struct Problem {
    message: String,
    expected: String,
    fix: String,
}

fn join(segs: &[&str]) -> String {
    segs.iter().map(|s| format!("/{s}")).collect()
}

/// True when `v2` + these segments is a known operation (for any method).
fn known_v2(method: &str, rest: &[&str]) -> bool {
    let path = format!("/v2{}", join(rest));
    matches!(
        lookup(method, &path),
        Match::Found(_) | Match::MethodNotAllowed { .. }
    )
}

fn is_version(seg: &str) -> bool {
    let s = seg.to_ascii_lowercase();
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn rest_problem(
    method: &str,
    host: &str,
    scheme: &str,
    segs: &[&str],
    api_host: bool,
) -> Option<Problem> {
    let base = "https://api.miro.com";
    let http = scheme.eq_ignore_ascii_case("http");
    let Some(first) = segs.first().copied() else {
        return Some(Problem {
            message: "the REST call has no path; REST operations live under https://api.miro.com/v2/".into(),
            expected: format!("{base}/v2/…"),
            fix: "Call the operation's full URL under https://api.miro.com/v2/ (see https://developers.miro.com/reference).".into(),
        });
    };
    let rest = &segs[1..];
    let host_note = if api_host { "" } else { " on api.miro.com" };
    if (first == "v2" || first == "v2-experimental")
        && rest
            .first()
            .is_some_and(|s| is_version(s) || s.eq_ignore_ascii_case("v2-experimental"))
    {
        let expected = format!("{base}{}", join(rest));
        return Some(Problem {
            message: format!(
                "the path has two version segments (`/{first}/{}/`): the base URL already ends with the version and the path repeats it",
                rest[0]
            ),
            fix: format!("Send the request to {expected}."),
            expected,
        });
    }
    if first == "v2" || first == "v2-experimental" {
        if api_host && !http {
            return None;
        }
        let expected = format!("{base}{}", join(segs));
        let message = if api_host {
            "the REST call uses plain http://; Miro's API is served over HTTPS only, and a redirect would drop the Authorization header".to_string()
        } else {
            format!("the REST API is served by api.miro.com, not {host}")
        };
        return Some(Problem {
            message,
            fix: format!("Send the request to {expected}."),
            expected,
        });
    }
    if first.eq_ignore_ascii_case("v2") || first.eq_ignore_ascii_case("v2-experimental") {
        let fixed = first.to_ascii_lowercase();
        let expected = format!("{base}/{fixed}{}", join(rest));
        return Some(Problem {
            message: format!(
                "the version segment is `{first}`; Miro's paths are lower case (`/{fixed}/`){host_note}"
            ),
            fix: format!("Send the request to {expected}."),
            expected,
        });
    }
    // A prefix before the version: `/api/v2/…`, `/rest/v2/…`.
    if let Some(vi) = segs
        .iter()
        .position(|s| is_version(s) || s.eq_ignore_ascii_case("v2-experimental"))
        .filter(|&i| i > 0 && i <= 2)
    {
        let prefix = join(&segs[..vi]);
        let inner = rest_problem(method, "api.miro.com", "https", &segs[vi..], true);
        let expected = inner
            .map(|p| p.expected)
            .unwrap_or_else(|| format!("{base}{}", join(&segs[vi..])));
        return Some(Problem {
            message: if api_host {
                format!("the path starts with `{prefix}/`; on api.miro.com the version comes first (`/v2/...`)")
            } else {
                format!("the REST API is served by api.miro.com (`https://api.miro.com/v2/...`), not under `{prefix}/` on {host}")
            },
            fix: format!("Send the request to {expected}."),
            expected,
        });
    }
    if first.eq_ignore_ascii_case("v1") {
        let path = join(segs);
        if rest.len() >= 2
            && rest[0].eq_ignore_ascii_case("users")
            && rest[1].eq_ignore_ascii_case("me")
        {
            return Some(Problem {
                message: format!("{path} is a legacy REST v1 endpoint with no v2 equivalent; the v1 REST resources were retired in the move to v2 (only the v1 OAuth endpoints remain)"),
                expected: format!("{base}/v1/oauth-token"),
                fix: "Call GET https://api.miro.com/v1/oauth-token to get the token's user and team.".into(),
            });
        }
        let v2 = known_v2(method, rest);
        let expected = format!("{base}/v2{}", join(rest));
        return Some(Problem {
            message: format!("{path} is a legacy REST v1 resource; the v1 REST resources were replaced by v2 (only the v1 OAuth endpoints remain)"),
            fix: if v2 {
                format!("Send the request to {expected}.")
            } else {
                "Move the call to the matching v2 operation (see https://developers.miro.com/docs/rest-api-comparison-guide).".into()
            },
            expected: if v2 { expected } else { format!("{base}/v2/…") },
        });
    }
    if is_version(first) {
        let expected = format!("{base}/v2{}", join(rest));
        return Some(Problem {
            message: format!(
                "`/{first}/` is not a Miro REST API version; the REST API is `/v2/` (and `/v2-experimental/`)"
            ),
            fix: format!("Send the request to {expected}."),
            expected,
        });
    }
    if SCIM_RESOURCES.contains(&first.to_ascii_lowercase().as_str()) {
        let expected = format!("https://miro.com/api/v1/scim{}", join(segs));
        return Some(Problem {
            message: format!(
                "{} is a SCIM resource; SCIM is served under https://miro.com/api/v1/scim/ with a SCIM token",
                join(segs)
            ),
            fix: format!("Send the request to {expected} with the SCIM API token."),
            expected,
        });
    }
    let expected = format!("{base}/v2{}", join(segs));
    let known = known_v2(method, segs);
    Some(Problem {
        message: format!(
            "the path {} has no version segment; REST operations live under `/v2/`{}",
            join(segs),
            if known {
                ""
            } else {
                " (and this path is not one of them either)"
            }
        ),
        fix: if known {
            format!("Send the request to {expected}.")
        } else {
            "Call the operation's full URL under https://api.miro.com/v2/ (see https://developers.miro.com/reference).".into()
        },
        expected: if known {
            expected
        } else {
            "https://api.miro.com/v2/…".into()
        },
    })
}

fn scim_problem(host: &str, scheme: &str, segs: &[&str]) -> Option<Problem> {
    let i = segs.iter().position(|s| s.eq_ignore_ascii_case("scim"))?;
    let mut tail: &[&str] = &segs[i + 1..];
    if tail.first().is_some_and(|s| s.eq_ignore_ascii_case("v2")) {
        tail = &tail[1..];
    }
    let right_prefix = segs[..i].len() == 2
        && segs[0].eq_ignore_ascii_case("api")
        && segs[1].eq_ignore_ascii_case("v1")
        && segs[i + 1..].len() == tail.len();
    let right_host = realm(host) == Realm::Web;
    let https = scheme.eq_ignore_ascii_case("https");
    if right_prefix && right_host && https {
        return None;
    }
    let expected = format!("https://miro.com/api/v1/scim{}", join(tail));
    let message = if !right_host {
        format!("SCIM is served by miro.com (https://miro.com/api/v1/scim/), not {host}")
    } else if !https {
        "the SCIM call uses plain http://; SCIM is HTTPS only, and Miro redirects plain HTTP"
            .to_string()
    } else {
        format!(
            "the SCIM base path is {}; Miro's SCIM base is https://miro.com/api/v1/scim/",
            join(&segs[..=i + (segs[i + 1..].len() - tail.len())])
        )
    };
    Some(Problem {
        message,
        fix: format!("Send the request to {expected}."),
        expected,
    })
}

fn token_info_problem(host: &str, scheme: &str, path: &str, api_host: bool) -> Option<Problem> {
    let expected = "https://api.miro.com/v1/oauth-token".to_string();
    let norm = path.trim_end_matches('/');
    if api_host && scheme.eq_ignore_ascii_case("https") && norm == "/v1/oauth-token" {
        return None;
    }
    let message = if !api_host {
        format!("the token-info endpoint is on api.miro.com, not {host}")
    } else if !scheme.eq_ignore_ascii_case("https") {
        "the token-info call uses plain http://; Miro's API is HTTPS only".to_string()
    } else {
        format!("the token-info endpoint is /v1/oauth-token, not {path}: the OAuth endpoints stay on v1 and are not deprecated")
    };
    Some(Problem {
        message,
        fix: format!("Send the request to {expected}."),
        expected,
    })
}

fn check(cx: &mut Cx<'_>) {
    for ex in rest_calls(cx) {
        let req = &ex.request;
        let raw = req.raw_url();
        let host = req.host();
        // The config's `[miro] api_url` (a local stand-in, a proxy) is what the user chose:
        // its scheme and host are right by definition.
        let configured = cx.config().is_some_and(|c| {
            let a = crate::model::RawUrl::split(&c.miro.api_url);
            a.authority.eq_ignore_ascii_case(raw.authority)
                && a.scheme.eq_ignore_ascii_case(raw.scheme)
        });
        let scheme = if configured { "https" } else { raw.scheme };
        let api_host = configured || is_api_host(cx, &host);
        let segs: Vec<&str> = raw.path.split('/').filter(|s| !s.is_empty()).collect();
        let problem = match ex.step {
            Step::Scim => scim_problem(&host, scheme, &segs),
            Step::TokenInfo => token_info_problem(&host, scheme, raw.path, api_host),
            Step::Api => {
                let r = realm(&host);
                if api_host || matches!(r, Realm::Web | Realm::OtherMiro) {
                    rest_problem(&req.method, &host, scheme, &segs, api_host)
                } else {
                    None
                }
            }
            _ => None,
        };
        let Some(p) = problem else {
            continue;
        };
        let sent = format!("{}://{}{}", raw.scheme, raw.authority, raw.path);
        cx.report(&ex, Part::Url, None, p.message)
            .fix(p.fix)
            .evidence("sent", sent)
            .evidence("expected", p.expected);
    }
}

//! The one-shot loopback server `login` runs on the app's redirect URI: it waits for the
//! browser to come back from Miro's consent screen, judges the callback (facts §3: `code`,
//! `state`, `client_id`, `team_id`; or an RFC 6749 `error`), and answers the browser tab
//! with a readable page once the command knows the outcome.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use url::{Host, Url};

use super::client::is_loopback;

/// Why the redirect URI cannot be served locally (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// Not a URI this tool can listen on.
    #[error(
        "redirect URI {uri}: {why}; `login` listens on a loopback redirect URI such as \
         http://127.0.0.1:3000/callback or http://localhost:3000/callback, which must also be \
         registered in the app settings"
    )]
    Unusable {
        /// The redirect URI.
        uri: String,
        /// What is wrong with it.
        why: String,
    },
    /// The port could not be bound.
    #[error("cannot listen on {addr} for the callback: {reason}; expected the redirect URI's port to be free")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        reason: String,
    },
}

/// Where to listen for a redirect URI: it must be `http://` on a loopback host with an
/// explicit or default port. (`https://localhost` would need a certificate the browser
/// trusts, which a CLI cannot provide.)
pub fn listen_addr(redirect_uri: &Url) -> Result<SocketAddr, CallbackError> {
    let unusable = |why: &str| CallbackError::Unusable {
        uri: redirect_uri.to_string(),
        why: why.to_string(),
    };
    let Some(host) = redirect_uri.host() else {
        return Err(unusable("it has no host"));
    };
    if !is_loopback(&host) {
        return Err(unusable(
            "its host is not loopback (localhost, 127.0.0.1 or [::1])",
        ));
    }
    if redirect_uri.scheme() != "http" {
        return Err(unusable(
            "it is not plain http (a local server has no certificate the browser trusts)",
        ));
    }
    let ip = match host {
        Host::Ipv4(ip) => IpAddr::V4(ip),
        Host::Ipv6(ip) => IpAddr::V6(ip),
        // Browsers resolve `localhost` to 127.0.0.1 (falling back from ::1), so IPv4 serves.
        Host::Domain(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
    };
    let port = redirect_uri.port_or_known_default().unwrap_or(80);
    Ok(SocketAddr::new(ip, port))
}

/// The parameters of a callback request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallbackParams {
    /// `code`.
    pub code: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `client_id` (Miro adds it, facts §3).
    pub client_id: Option<String>,
    /// `team_id` (Miro adds it, facts §3).
    pub team_id: Option<String>,
    /// `error` (RFC 6749 §4.1.2.1; Miro's values are undocumented, facts §3).
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
}

impl CallbackParams {
    /// Reads the parameters of a callback URL's query.
    pub fn from_url(url: &Url) -> CallbackParams {
        let mut p = CallbackParams::default();
        for (k, v) in url.query_pairs() {
            let slot = match k.as_ref() {
                "code" => &mut p.code,
                "state" => &mut p.state,
                "client_id" => &mut p.client_id,
                "team_id" => &mut p.team_id,
                "error" => &mut p.error,
                "error_description" => &mut p.error_description,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(v.into_owned());
            }
        }
        p
    }
}

/// What a callback means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A code with the expected state: exchange it now.
    Code(String),
    /// Miro (or the user) refused: `error=…`.
    Error {
        /// `error`.
        error: String,
        /// `error_description`, if any.
        description: Option<String>,
    },
    /// The state is missing or differs from the one sent (possible CSRF, or a callback from
    /// another login attempt).
    StateMismatch {
        /// The state received, if any.
        received: Option<String>,
    },
    /// Neither a code nor an error.
    NoCode,
}

/// Judges a callback. An `error` wins over everything (a denied consent still carries the
/// state, but there is nothing to exchange); otherwise the state must match before the code
/// is used, so a forged callback never reaches the token endpoint.
pub fn judge(p: &CallbackParams, expected_state: &str) -> Verdict {
    if let Some(error) = &p.error {
        return Verdict::Error {
            error: error.clone(),
            description: p.error_description.clone(),
        };
    }
    if !p
        .state
        .as_deref()
        .is_some_and(|s| constant_time_eq(s.as_bytes(), expected_state.as_bytes()))
    {
        return Verdict::StateMismatch {
            received: p.state.clone(),
        };
    }
    match &p.code {
        Some(code) if !code.is_empty() => Verdict::Code(code.clone()),
        _ => Verdict::NoCode,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A callback that arrived; answer the browser with [`Callback::respond`].
pub struct Callback {
    /// The full callback URL (as the browser requested it, on the redirect URI's origin).
    pub url: Url,
    /// Its parameters.
    pub params: CallbackParams,
    request: tiny_http::Request,
}

impl Callback {
    /// Sends the browser tab a page and closes the connection.
    pub fn respond(self, status: u16, title: &str, message: &str) {
        let _ = self.request.respond(html_response(status, title, message));
    }
}

fn html_response(
    status: u16,
    title: &str,
    message: &str,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header =
        tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"text/html; charset=utf-8"[..])
            .expect("static header is valid");
    let no_store = tiny_http::Header::from_bytes(&b"Cache-Control"[..], &b"no-store"[..])
        .expect("static header is valid");
    tiny_http::Response::from_string(page(title, message))
        .with_status_code(status)
        .with_header(header)
        .with_header(no_store)
}

/// A small self-contained HTML page (title and one paragraph, both escaped).
pub fn page(title: &str, message: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} · miro-oauth</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.5}}</style>\
         </head><body><h1>{t}</h1><p>{m}</p><p>You can close this tab and return to the terminal.</p></body></html>\n",
        t = escape(title),
        m = escape(message)
    )
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The one-shot server.
pub struct CallbackServer {
    server: tiny_http::Server,
    redirect_uri: Url,
}

impl CallbackServer {
    /// Binds the redirect URI's loopback address.
    pub fn bind(redirect_uri: &Url) -> Result<CallbackServer, CallbackError> {
        let addr = listen_addr(redirect_uri)?;
        let server = tiny_http::Server::http(addr).map_err(|e| CallbackError::Bind {
            addr,
            reason: e.to_string(),
        })?;
        Ok(CallbackServer {
            server,
            redirect_uri: redirect_uri.clone(),
        })
    }

    /// Waits until `deadline` for a request on the redirect URI's path. Requests for other
    /// paths (a favicon, a stray tab) get a 404 page and the wait goes on. `None` on timeout.
    pub fn wait(&self, deadline: Instant) -> Option<Callback> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            let req = match self
                .server
                .recv_timeout(left.min(Duration::from_millis(500)))
            {
                Ok(Some(req)) => req,
                Ok(None) => continue,
                Err(_) => continue,
            };
            let Ok(url) = self.redirect_uri.join(req.url()) else {
                let _ = req.respond(html_response(
                    400,
                    "Bad request",
                    "The request URL could not be read.",
                ));
                continue;
            };
            if url.path() != self.redirect_uri.path() {
                let _ = req.respond(html_response(
                    404,
                    "Not the callback",
                    &format!(
                        "miro-oauth is waiting for Miro's redirect to {}.",
                        self.redirect_uri
                    ),
                ));
                continue;
            }
            let params = CallbackParams::from_url(&url);
            return Some(Callback {
                url,
                params,
                request: req,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> CallbackParams {
        CallbackParams::from_url(&Url::parse(&format!("http://127.0.0.1:3000/cb?{q}")).unwrap())
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            judge(&params("code=abc&state=s1&client_id=1&team_id=2"), "s1"),
            Verdict::Code("abc".into())
        );
        assert_eq!(
            judge(&params("code=abc&state=s2"), "s1"),
            Verdict::StateMismatch {
                received: Some("s2".into())
            }
        );
        assert_eq!(
            judge(&params("code=abc"), "s1"),
            Verdict::StateMismatch { received: None }
        );
        assert_eq!(
            judge(
                &params("error=access_denied&error_description=The+user+denied&state=s1"),
                "s1"
            ),
            Verdict::Error {
                error: "access_denied".into(),
                description: Some("The user denied".into())
            }
        );
        assert_eq!(judge(&params("state=s1"), "s1"), Verdict::NoCode);
    }

    #[test]
    fn listen_addresses() {
        let a = |s: &str| listen_addr(&Url::parse(s).unwrap());
        assert_eq!(
            a("http://localhost:3000/cb").unwrap(),
            "127.0.0.1:3000".parse().unwrap()
        );
        assert_eq!(
            a("http://[::1]:8080/").unwrap(),
            "[::1]:8080".parse().unwrap()
        );
        assert_eq!(a("http://127.0.0.1/").unwrap().port(), 80);
        assert!(a("https://localhost:3000/cb").is_err());
        assert!(a("http://app.example.com/cb").is_err());
    }

    /// Sends one raw HTTP/1.0 request and returns the whole answer.
    fn raw_request(addr: SocketAddr, request: &str) -> String {
        use std::io::{Read, Write};
        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        conn.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).unwrap();
        answer
    }

    /// A request target that cannot be joined onto the redirect URI (an absolute URL with an
    /// out-of-range port) gets the 400 page, and the wait goes on to the real callback.
    #[test]
    fn unreadable_request_url_gets_a_400_page() {
        let server = CallbackServer::bind(&Url::parse("http://127.0.0.1:0/cb").unwrap()).unwrap();
        let addr = server.server.server_addr().to_ip().unwrap();
        let client = std::thread::spawn(move || {
            let bad = raw_request(
                addr,
                "GET http://127.0.0.1:99999/cb?code=x HTTP/1.0\r\n\r\n",
            );
            let good = raw_request(addr, "GET /cb?code=c1&state=s1 HTTP/1.0\r\n\r\n");
            (bad, good)
        });
        let callback = server
            .wait(Instant::now() + Duration::from_secs(20))
            .expect("the real callback after the bad request");
        assert_eq!(callback.params.code.as_deref(), Some("c1"));
        callback.respond(200, "Done", "ok");
        let (bad, good) = client.join().unwrap();
        assert!(bad.starts_with("HTTP/1.0 400 "), "{bad}");
        assert!(
            bad.contains("<h1>Bad request</h1><p>The request URL could not be read.</p>"),
            "{bad}"
        );
        assert!(good.starts_with("HTTP/1.0 200 "), "{good}");
    }

    #[test]
    fn page_escapes() {
        let p = page("<b>", "a & \"b\"");
        assert!(p.contains("&lt;b&gt;"));
        assert!(p.contains("a &amp; &quot;b&quot;"));
    }
}

//! curl's command-line option parser, after `tool_getparam.c` (curl 8.x): the full option
//! table (so every option that takes an argument consumes it, even ones irrelevant here such
//! as `-o`, `-w`, `--connect-timeout`, `--cacert`), short-option clusters (`-sSL`, `-XPOST`,
//! `-H"x: y"` — the first letter that takes an argument takes the rest of the word, or the
//! next word), `--name=value` (accepted by curl since 8.x for long options), `--no-name` for
//! boolean options, `--expand-name`, unique prefixes of long names (`--sil` = `--silent`,
//! accepted by older curl and by curlconverter), `--` (end of options) and `-:`/`--next`
//! (start a new set of options for the following URLs).
//!
//! Options this crate does not know are recorded, never fatal, and take no argument.

use super::shell::{ellipsize, Word};
use crate::error::ParseError;
use crate::model::FormPart;

/// How an option uses the command line (curl's `ARG_BOOL`, `ARG_NONE`, `ARG_STRG/ARG_FILE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A switch that `--no-` turns off.
    Bool,
    /// A switch whose short letter turns it *off* (`ARG_BOOL|ARG_NO`, e.g. `-N` =
    /// `--no-buffer`).
    BoolNo,
    /// A switch without a `--no-` form.
    Flag,
    /// Takes an argument.
    Arg,
}

use Kind::{Arg, Bool, BoolNo, Flag};

/// curl's option table (`aliases[]` in `src/tool_getparam.c`, curl 8.15), sorted by name.
const OPTIONS: &[(&str, Option<char>, Kind)] = &[
    ("abstract-unix-socket", None, Arg),
    ("alpn", None, BoolNo),
    ("alt-svc", None, Arg),
    ("anyauth", None, Flag),
    ("append", Some('a'), Bool),
    ("aws-sigv4", None, Arg),
    ("basic", None, Bool),
    ("buffer", Some('N'), BoolNo),
    ("ca-native", None, Bool),
    ("cacert", None, Arg),
    ("capath", None, Arg),
    ("cert", Some('E'), Arg),
    ("cert-status", None, Bool),
    ("cert-type", None, Arg),
    ("ciphers", None, Arg),
    ("clobber", None, BoolNo),
    ("compressed", None, Bool),
    ("compressed-ssh", None, Bool),
    ("config", Some('K'), Arg),
    ("connect-timeout", None, Arg),
    ("connect-to", None, Arg),
    ("continue-at", Some('C'), Arg),
    ("cookie", Some('b'), Arg),
    ("cookie-jar", Some('c'), Arg),
    ("create-dirs", None, Bool),
    ("create-file-mode", None, Arg),
    ("crlf", None, Bool),
    ("crlfile", None, Arg),
    ("curves", None, Arg),
    ("data", Some('d'), Arg),
    ("data-ascii", None, Arg),
    ("data-binary", None, Arg),
    ("data-raw", None, Arg),
    ("data-urlencode", None, Arg),
    ("delegation", None, Arg),
    ("digest", None, Bool),
    ("disable", Some('q'), Bool),
    ("disable-eprt", None, Bool),
    ("disable-epsv", None, Bool),
    ("disallow-username-in-url", None, Bool),
    ("dns-interface", None, Arg),
    ("dns-ipv4-addr", None, Arg),
    ("dns-ipv6-addr", None, Arg),
    ("dns-servers", None, Arg),
    ("doh-cert-status", None, Bool),
    ("doh-insecure", None, Bool),
    ("doh-url", None, Arg),
    ("dump-ca-embed", None, Flag),
    ("dump-header", Some('D'), Arg),
    ("ech", None, Arg),
    ("egd-file", None, Arg),
    ("engine", None, Arg),
    ("eprt", None, Bool),
    ("epsv", None, Bool),
    ("etag-compare", None, Arg),
    ("etag-save", None, Arg),
    ("expect100-timeout", None, Arg),
    ("fail", Some('f'), Bool),
    ("fail-early", None, Bool),
    ("fail-with-body", None, Bool),
    ("false-start", None, Bool),
    ("follow", None, Bool),
    ("form", Some('F'), Arg),
    ("form-escape", None, Bool),
    ("form-string", None, Arg),
    ("ftp-account", None, Arg),
    ("ftp-alternative-to-user", None, Arg),
    ("ftp-create-dirs", None, Bool),
    ("ftp-method", None, Arg),
    ("ftp-pasv", None, Flag),
    ("ftp-port", Some('P'), Arg),
    ("ftp-pret", None, Bool),
    ("ftp-skip-pasv-ip", None, Bool),
    ("ftp-ssl", None, Bool),
    ("ftp-ssl-ccc", None, Bool),
    ("ftp-ssl-ccc-mode", None, Arg),
    ("ftp-ssl-control", None, Bool),
    ("ftp-ssl-reqd", None, Bool),
    ("get", Some('G'), Bool),
    ("globoff", Some('g'), Bool),
    ("happy-eyeballs-timeout-ms", None, Arg),
    ("haproxy-clientip", None, Arg),
    ("haproxy-protocol", None, Bool),
    ("head", Some('I'), Bool),
    ("header", Some('H'), Arg),
    // `--help [category]` only uses an argument when one follows; curl never consumes it
    ("help", Some('h'), Bool),
    ("hostpubmd5", None, Arg),
    ("hostpubsha256", None, Arg),
    ("hsts", None, Arg),
    ("http0.9", None, Bool),
    ("http1.0", Some('0'), Flag),
    ("http1.1", None, Flag),
    ("http2", None, Flag),
    ("http2-prior-knowledge", None, Flag),
    ("http3", None, Flag),
    ("http3-only", None, Flag),
    ("ignore-content-length", None, Bool),
    ("include", None, Bool),
    ("insecure", Some('k'), Bool),
    ("interface", None, Arg),
    ("ip-tos", None, Arg),
    ("ipfs-gateway", None, Arg),
    ("ipv4", Some('4'), Flag),
    ("ipv6", Some('6'), Flag),
    ("json", None, Arg),
    ("junk-session-cookies", Some('j'), Bool),
    ("keepalive", None, BoolNo),
    ("keepalive-cnt", None, Arg),
    ("keepalive-time", None, Arg),
    ("key", None, Arg),
    ("key-type", None, Arg),
    ("knownhosts", None, Arg),
    ("krb", None, Arg),
    ("krb4", None, Arg),
    ("libcurl", None, Arg),
    ("limit-rate", None, Arg),
    ("list-only", Some('l'), Bool),
    ("local-port", None, Arg),
    ("location", Some('L'), Bool),
    ("location-trusted", None, Bool),
    ("login-options", None, Arg),
    ("mail-auth", None, Arg),
    ("mail-from", None, Arg),
    ("mail-rcpt", None, Arg),
    ("mail-rcpt-allowfails", None, Bool),
    ("manual", Some('M'), Bool),
    ("max-filesize", None, Arg),
    ("max-redirs", None, Arg),
    ("max-time", Some('m'), Arg),
    ("metalink", None, Bool),
    ("mptcp", None, Bool),
    ("negotiate", None, Bool),
    ("netrc", Some('n'), Bool),
    ("netrc-file", None, Arg),
    ("netrc-optional", None, Bool),
    ("next", Some(':'), Flag),
    ("noproxy", None, Arg),
    ("npn", None, Bool),
    ("ntlm", None, Bool),
    ("ntlm-wb", None, Bool),
    ("oauth2-bearer", None, Arg),
    ("out-null", None, Bool),
    ("output", Some('o'), Arg),
    ("output-dir", None, Arg),
    ("parallel", Some('Z'), Bool),
    ("parallel-immediate", None, Bool),
    ("parallel-max", None, Arg),
    ("parallel-max-host", None, Arg),
    ("pass", None, Arg),
    ("path-as-is", None, Bool),
    ("pinnedpubkey", None, Arg),
    ("post301", None, Bool),
    ("post302", None, Bool),
    ("post303", None, Bool),
    ("preproxy", None, Arg),
    ("progress-bar", Some('#'), Bool),
    ("progress-meter", None, BoolNo),
    ("proto", None, Arg),
    ("proto-default", None, Arg),
    ("proto-redir", None, Arg),
    ("proxy", Some('x'), Arg),
    ("proxy-anyauth", None, Bool),
    ("proxy-basic", None, Bool),
    ("proxy-ca-native", None, Bool),
    ("proxy-cacert", None, Arg),
    ("proxy-capath", None, Arg),
    ("proxy-cert", None, Arg),
    ("proxy-cert-type", None, Arg),
    ("proxy-ciphers", None, Arg),
    ("proxy-crlfile", None, Arg),
    ("proxy-digest", None, Bool),
    ("proxy-header", None, Arg),
    ("proxy-http2", None, Bool),
    ("proxy-insecure", None, Bool),
    ("proxy-key", None, Arg),
    ("proxy-key-type", None, Arg),
    ("proxy-negotiate", None, Bool),
    ("proxy-ntlm", None, Bool),
    ("proxy-pass", None, Arg),
    ("proxy-pinnedpubkey", None, Arg),
    ("proxy-service-name", None, Arg),
    ("proxy-ssl-allow-beast", None, Bool),
    ("proxy-ssl-auto-client-cert", None, Bool),
    ("proxy-tls13-ciphers", None, Arg),
    ("proxy-tlsauthtype", None, Arg),
    ("proxy-tlspassword", None, Arg),
    ("proxy-tlsuser", None, Arg),
    ("proxy-tlsv1", None, Flag),
    ("proxy-user", Some('U'), Arg),
    ("proxy1.0", None, Arg),
    ("proxytunnel", Some('p'), Bool),
    ("pubkey", None, Arg),
    ("quote", Some('Q'), Arg),
    ("random-file", None, Arg),
    ("range", Some('r'), Arg),
    ("rate", None, Arg),
    ("raw", None, Bool),
    ("referer", Some('e'), Arg),
    ("remote-header-name", Some('J'), Bool),
    ("remote-name", Some('O'), Bool),
    ("remote-name-all", None, Bool),
    ("remote-time", Some('R'), Bool),
    ("remove-on-error", None, Bool),
    ("request", Some('X'), Arg),
    ("request-target", None, Arg),
    ("resolve", None, Arg),
    ("retry", None, Arg),
    ("retry-all-errors", None, Bool),
    ("retry-connrefused", None, Bool),
    ("retry-delay", None, Arg),
    ("retry-max-time", None, Arg),
    ("sasl-authzid", None, Arg),
    ("sasl-ir", None, Bool),
    ("service-name", None, Arg),
    ("sessionid", None, BoolNo),
    ("show-error", Some('S'), Bool),
    ("show-headers", Some('i'), Bool),
    ("sigalgs", None, Arg),
    ("silent", Some('s'), Bool),
    ("skip-existing", None, Bool),
    ("socks4", None, Arg),
    ("socks4a", None, Arg),
    ("socks5", None, Arg),
    ("socks5-basic", None, Bool),
    ("socks5-gssapi", None, Bool),
    ("socks5-gssapi-nec", None, Bool),
    ("socks5-gssapi-service", None, Arg),
    ("socks5-hostname", None, Arg),
    ("speed-limit", Some('Y'), Arg),
    ("speed-time", Some('y'), Arg),
    ("ssl", None, Bool),
    ("ssl-allow-beast", None, Bool),
    ("ssl-auto-client-cert", None, Bool),
    ("ssl-no-revoke", None, Bool),
    ("ssl-reqd", None, Bool),
    ("ssl-revoke-best-effort", None, Bool),
    ("ssl-sessions", None, Arg),
    ("sslv2", Some('2'), Flag),
    ("sslv3", Some('3'), Flag),
    ("stderr", None, Arg),
    ("styled-output", None, Bool),
    ("suppress-connect-headers", None, Bool),
    ("tcp-fastopen", None, Bool),
    ("tcp-nodelay", None, Bool),
    ("telnet-option", Some('t'), Arg),
    ("tftp-blksize", None, Arg),
    ("tftp-no-options", None, Bool),
    ("time-cond", Some('z'), Arg),
    ("tls-earlydata", None, Bool),
    ("tls-max", None, Arg),
    ("tls13-ciphers", None, Arg),
    ("tlsauthtype", None, Arg),
    ("tlspassword", None, Arg),
    ("tlsuser", None, Arg),
    ("tlsv1", Some('1'), Flag),
    ("tlsv1.0", None, Flag),
    ("tlsv1.1", None, Flag),
    ("tlsv1.2", None, Flag),
    ("tlsv1.3", None, Flag),
    ("tr-encoding", None, Bool),
    ("trace", None, Arg),
    ("trace-ascii", None, Arg),
    ("trace-config", None, Arg),
    ("trace-ids", None, Bool),
    ("trace-time", None, Bool),
    ("unix-socket", None, Arg),
    ("upload-file", Some('T'), Arg),
    ("upload-flags", None, Arg),
    ("url", None, Arg),
    ("url-query", None, Arg),
    ("use-ascii", Some('B'), Bool),
    ("user", Some('u'), Arg),
    ("user-agent", Some('A'), Arg),
    ("variable", None, Arg),
    ("verbose", Some('v'), Bool),
    ("version", Some('V'), Bool),
    ("vlan-priority", None, Arg),
    ("write-out", Some('w'), Arg),
    ("xattr", None, Bool),
];

/// Looks a long option name up: an exact name, else a unique prefix of one.
fn find_long(name: &str) -> Option<(&'static str, Kind)> {
    if let Some(&(long, _, kind)) = OPTIONS.iter().find(|(long, _, _)| *long == name) {
        return Some((long, kind));
    }
    if name.is_empty() {
        return None;
    }
    let mut hits = OPTIONS.iter().filter(|(long, _, _)| long.starts_with(name));
    match (hits.next(), hits.next()) {
        (Some(&(long, _, kind)), None) => Some((long, kind)),
        _ => None,
    }
}

/// Looks a short option letter up.
fn find_short(letter: char) -> Option<(&'static str, Kind)> {
    OPTIONS
        .iter()
        .find(|(_, short, _)| *short == Some(letter))
        .map(|&(long, _, kind)| (long, kind))
}

/// The `-d` family of options, which all feed the request body (or the query with `-G`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DataKind {
    /// `-d`, `--data`: `@file` reads a file and strips CR/LF.
    Data,
    /// `--data-ascii`: same as `--data`.
    Ascii,
    /// `--data-binary`: `@file` reads a file as is.
    Binary,
    /// `--data-raw`: no `@` handling.
    Raw,
    /// `--data-urlencode`: `[name]=content` / `[name]@file`, content URL-encoded.
    UrlEncode,
    /// `--json`: like `--data-binary`, joined without `&`, implies JSON headers.
    Json,
}

/// One data argument as given.
#[derive(Clone, Debug)]
pub(super) struct DataArg {
    /// Which option it was.
    pub kind: DataKind,
    /// The option as written (`-d`, `--data-raw`, `--data-bin` …).
    pub flag: String,
    /// The argument as the shell delivered it.
    pub arg: String,
}

/// Which authentication methods were asked for (`--basic`, `--digest`, …, `--anyauth`).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct AuthBits {
    /// `--digest`.
    pub digest: bool,
    /// `--ntlm` / `--ntlm-wb`.
    pub ntlm: bool,
    /// `--negotiate`.
    pub negotiate: bool,
    /// `--anyauth`.
    pub any: bool,
    /// `--aws-sigv4` (signs the request instead of sending credentials).
    pub aws_sigv4: bool,
}

impl AuthBits {
    /// True when credentials go out as `Authorization: Basic` on the first request: curl's
    /// default method is Basic, and any other method first waits for the server's challenge.
    pub(super) fn sends_basic(&self) -> bool {
        !(self.digest || self.ntlm || self.negotiate || self.any || self.aws_sigv4)
    }
}

/// One set of options (curl's `OperationConfig`): everything up to `--next`.
#[derive(Clone, Debug, Default)]
pub(super) struct Operation {
    /// URLs in order, with their offsets.
    pub urls: Vec<Word>,
    /// `-T` files, matched to URLs in order.
    pub uploads: Vec<String>,
    /// `-X` (last wins).
    pub method: Option<String>,
    /// `-I`.
    pub head: bool,
    /// `-G`.
    pub get: bool,
    /// `-H` arguments in order.
    pub headers: Vec<String>,
    /// `-A`.
    pub user_agent: Option<String>,
    /// `-e`.
    pub referer: Option<String>,
    /// `-b` arguments holding a `=` (the others are cookie files).
    pub cookies: Vec<String>,
    /// `-u`.
    pub user: Option<String>,
    /// `--oauth2-bearer`.
    pub bearer: Option<String>,
    /// Authentication methods asked for.
    pub auth: AuthBits,
    /// `-d` family in order.
    pub data: Vec<DataArg>,
    /// `-F` (false) / `--form-string` (true) arguments in order.
    pub forms: Vec<(bool, String)>,
    /// `--url-query` arguments.
    pub url_queries: Vec<String>,
    /// `-r`.
    pub range: Option<String>,
    /// Options not in the table, as written.
    pub unknown: Vec<String>,
    /// Options that take headers, credentials or options from a file this tool does not
    /// read (`-H @file`, `-K file`, `--netrc`, `-b cookie-file`), as written.
    pub unseen: Vec<String>,
    /// Where this operation starts (the `curl` word or `--next`), for "no URL" errors.
    pub offset: usize,
}

/// Parses the arguments after the `curl` word into operations (one, plus one per `--next`).
pub(super) fn parse_args(program: &Word, args: &[Word]) -> Result<Vec<Operation>, ParseError> {
    let mut ops = vec![Operation {
        offset: program.offset,
        ..Operation::default()
    }];
    let mut still_flags = true;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let text = word.text.as_str();
        let Some(cluster) = text.strip_prefix('-').filter(|_| still_flags) else {
            cur(&mut ops).urls.push(word.clone());
            continue;
        };
        if let Some(long) = cluster.strip_prefix('-') {
            if long.is_empty() {
                // `--`: everything after it is a URL, even when it starts with `-`
                still_flags = false;
                continue;
            }
            let (negated, body) = match long.strip_prefix("no-") {
                Some(rest) => (true, rest),
                None => (false, long.strip_prefix("expand-").unwrap_or(long)),
            };
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            match find_long(name) {
                // `--no-` only applies to switches (curl: "--no- prefix on a non-boolean")
                None => cur(&mut ops).unknown.push(text.to_string()),
                Some((_, Arg)) if negated => cur(&mut ops).unknown.push(text.to_string()),
                Some((canonical, Arg)) => {
                    let value = match inline {
                        Some(v) => v.to_string(),
                        None => take_next(args, &mut i, word, text)?.text.clone(),
                    };
                    let flag = text.split_once('=').map(|(f, _)| f).unwrap_or(text);
                    apply_arg(cur(&mut ops), canonical, flag, value, word.offset);
                }
                Some(("next", _)) => ops.push(Operation {
                    offset: word.offset,
                    ..Operation::default()
                }),
                Some((canonical, _)) => apply_switch(cur(&mut ops), canonical, !negated),
            }
            continue;
        }
        if cluster.is_empty() {
            // a lone `-` is an option to curl (an unknown one)
            cur(&mut ops).unknown.push(text.to_string());
            continue;
        }
        for (pos, letter) in cluster.char_indices() {
            match find_short(letter) {
                None => {
                    // curl rejects the whole word; record it and skip its other letters
                    cur(&mut ops).unknown.push(text.to_string());
                    break;
                }
                Some((canonical, Arg)) => {
                    let flag = format!("-{letter}");
                    let rest = cluster.get(pos + letter.len_utf8()..).unwrap_or("");
                    let value = if rest.is_empty() {
                        take_next(args, &mut i, word, &flag)?.text.clone()
                    } else {
                        rest.to_string()
                    };
                    apply_arg(cur(&mut ops), canonical, &flag, value, word.offset);
                    break;
                }
                Some(("next", _)) => ops.push(Operation {
                    offset: word.offset,
                    ..Operation::default()
                }),
                Some((canonical, kind)) => apply_switch(cur(&mut ops), canonical, kind != BoolNo),
            }
        }
    }
    for op in &ops {
        if op.urls.is_empty() {
            return Err(ParseError::new(
                op.offset,
                "no url in curl command; expected a url argument or --url <url>",
            ));
        }
    }
    Ok(ops)
}

/// The operation options currently apply to.
fn cur(ops: &mut Vec<Operation>) -> &mut Operation {
    if ops.is_empty() {
        ops.push(Operation::default());
    }
    let last = ops.len() - 1;
    &mut ops[last]
}

/// The argument of an option given as the next word.
fn take_next<'w>(
    args: &'w [Word],
    i: &mut usize,
    option: &Word,
    flag: &str,
) -> Result<&'w Word, ParseError> {
    match args.get(*i) {
        Some(v) => {
            *i += 1;
            Ok(v)
        }
        None => Err(ParseError::new(
            option.offset,
            format!(
                "option {} requires an argument; expected a value after it",
                ellipsize(flag, 40)
            ),
        )),
    }
}

/// Applies an option that takes an argument.
fn apply_arg(op: &mut Operation, name: &str, flag: &str, value: String, offset: usize) {
    let data = |kind| DataArg {
        kind,
        flag: flag.to_string(),
        arg: value.clone(),
    };
    match name {
        "request" => op.method = Some(value),
        "header" => {
            if value.starts_with('@') {
                op.unseen.push(format!("{flag} {value}"));
            }
            op.headers.push(value)
        }
        "config" | "netrc-file" => op.unseen.push(format!("{flag} {value}")),
        "cookie" if !value.contains('=') => op.unseen.push(format!("{flag} {value}")),
        "user-agent" => op.user_agent = Some(value),
        "referer" => op.referer = Some(value),
        // `-b name=value` is a cookie string; without `=` it names a cookie file to read
        "cookie" if value.contains('=') => op.cookies.push(value),
        "user" => op.user = Some(value),
        "oauth2-bearer" => op.bearer = Some(value),
        "aws-sigv4" => op.auth.aws_sigv4 = true,
        "data" => op.data.push(data(DataKind::Data)),
        "data-ascii" => op.data.push(data(DataKind::Ascii)),
        "data-binary" => op.data.push(data(DataKind::Binary)),
        "data-raw" => op.data.push(data(DataKind::Raw)),
        "data-urlencode" => op.data.push(data(DataKind::UrlEncode)),
        "json" => op.data.push(data(DataKind::Json)),
        "form" => op.forms.push((false, value)),
        "form-string" => op.forms.push((true, value)),
        "url" => op.urls.push(Word {
            text: value,
            offset,
        }),
        "url-query" => op.url_queries.push(value),
        "upload-file" => op.uploads.push(value),
        "range" => op.range = Some(value),
        // every other option's argument is consumed and has no effect on the request
        _ => {}
    }
}

/// Applies a switch (`toggle` false for `--no-…` and for `ARG_NO` short letters).
fn apply_switch(op: &mut Operation, name: &str, toggle: bool) {
    match name {
        "netrc" | "netrc-optional" if toggle => op.unseen.push(format!("--{name}")),
        "head" => op.head = toggle,
        "get" => op.get = toggle,
        // `--basic` is curl's default method already
        "digest" => op.auth.digest = toggle,
        "ntlm" | "ntlm-wb" => op.auth.ntlm = toggle,
        "negotiate" => op.auth.negotiate = toggle,
        "anyauth" => op.auth.any = true,
        _ => {}
    }
}

/// Parses one `-F`/`--form-string` argument like curl's `formparse()`
/// (`src/tool_formparse.c`): `name=value`, `name="quoted value"`, `name=@file[,file2]`,
/// `name=<file`, with `;type=`, `;filename=`, `;headers=`, `;encoder=` parameters stripped.
/// `literal` (`--form-string`) takes the value verbatim.
pub(super) fn form_parts(literal: bool, arg: &str) -> Vec<FormPart> {
    let Some((name, content)) = arg.split_once('=') else {
        // curl rejects it ("Illegally formatted input field"); keep the name for the record
        return vec![FormPart {
            name: arg.to_string(),
            value: String::new(),
            file: false,
        }];
    };
    let part = |value: String, file: bool| FormPart {
        name: name.to_string(),
        value,
        file,
    };
    if literal {
        return vec![part(content.to_string(), false)];
    }
    if let Some(files) = content.strip_prefix('@') {
        let mut parts = Vec::new();
        let mut rest = files;
        loop {
            let (word, after) = param_word(rest, ',');
            parts.push(part(word, true));
            match after.strip_prefix(',') {
                Some(more) => rest = more,
                None => break,
            }
        }
        return parts;
    }
    if let Some(file) = content.strip_prefix('<') {
        return vec![part(param_word(file, '\0').0, true)];
    }
    vec![part(param_word(content, '\0').0, false)]
}

/// curl's `get_param_word()` plus the parameter skipping of `get_param_part()`: reads a
/// value (a `"…"` string with `\"`/`\\` escapes, or text up to `;` or `end`, trailing blanks
/// trimmed), skips `;param=…` parameters, and returns the value and the text from `end` on.
fn param_word(s: &str, end: char) -> (String, &str) {
    let s = s.trim_start();
    let mut value = String::new();
    let mut rest = s;
    let mut quoted = false;
    if let Some(inner) = s.strip_prefix('"') {
        let mut chars = inner.char_indices();
        let mut closed = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match inner.get(i + 1..).and_then(|t| t.chars().next()) {
                    Some(e @ ('\\' | '"')) => {
                        value.push(e);
                        chars.next();
                    }
                    _ => value.push('\\'),
                },
                '"' => {
                    closed = Some(i + 1);
                    break;
                }
                c => value.push(c),
            }
        }
        match closed {
            Some(after) => {
                quoted = true;
                let tail = inner.get(after..).unwrap_or("");
                let stop = tail.find([';', end]).unwrap_or(tail.len());
                rest = tail.get(stop..).unwrap_or("");
            }
            // an unterminated quote is read as unquoted text
            None => value.clear(),
        }
    }
    if !quoted {
        let stop = s.find([';', end]).unwrap_or(s.len());
        value = s.get(..stop).unwrap_or(s).trim_end().to_string();
        rest = s.get(stop..).unwrap_or("");
    }
    // skip `;type=…`, `;filename=…` and friends up to the next `end`
    let stop = rest.find(end).unwrap_or(rest.len());
    (value, rest.get(stop..).unwrap_or(""))
}

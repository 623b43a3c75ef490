//! Unit tests of the curl parser: browser "Copy as cURL" output in the three dialects
//! (hand-written after what Chrome and Firefox emit), curl option semantics, errors with
//! offsets, and robustness (no panics, linear time).

use super::{detect_dialect, looks_like_curl, parse_curl, Dialect};
use crate::model::{Body, CurlData, FormPart, Request};

fn one(text: &str) -> Request {
    let mut reqs = parse_curl(text).unwrap_or_else(|e| panic!("parse failed: {e}\n{text}"));
    assert_eq!(reqs.len(), 1, "expected one request from {text}");
    reqs.remove(0)
}

fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.header(name).map(|h| h.value.as_str())
}

fn body(r: &Request) -> &str {
    r.body_text()
        .unwrap_or_else(|| panic!("no text body: {:?}", r.body))
}

fn err(text: &str) -> crate::error::ParseError {
    match parse_curl(text) {
        Ok(r) => panic!("expected an error for {text:?}, got {r:?}"),
        Err(e) => e,
    }
}

#[test]
fn chrome_bash_ansi_c_quoting() {
    // Chrome "Copy as cURL (bash)" switches to $'…' when the body holds a quote, `!` or a
    // control character, escaping them as \' \n \uXXXX
    let text = r#"curl 'https://api.miro.com/v1/oauth/token' \
  -H 'accept: application/json, text/plain, */*' \
  -H 'content-type: application/x-www-form-urlencoded' \
  -H 'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"' \
  --data-raw $'grant_type=authorization_code&code=eyJ\u0021x&state=it\'s\nnext\\line\x41\101'"#;
    let r = one(text);
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://api.miro.com/v1/oauth/token");
    assert_eq!(
        body(&r),
        "grant_type=authorization_code&code=eyJ!x&state=it's\nnext\\lineAA"
    );
    assert_eq!(
        header(&r, "sec-ch-ua"),
        Some(r#""Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99""#)
    );
    let curl = r.curl.as_ref().unwrap();
    assert_eq!(curl.dialect, "bash");
    assert_eq!(curl.data[0].flag, "--data-raw");
    assert!(curl.data[0].arg.starts_with("grant_type="));
    // the explicit content-type wins over the implied one
    assert_eq!(r.headers_named("content-type").count(), 1);
}

#[test]
fn ansi_c_escapes() {
    let r = one(r#"curl https://x/ --data-raw $'\a\b\e\f\t\v\"\?\x7\u20ac\U0001F600\cA\q\x'"#);
    assert_eq!(
        body(&r),
        "\u{7}\u{8}\u{1b}\u{c}\t\u{b}\"?\u{7}€😀\u{1}\\q\\x"
    );
    // a lone \xHH above 0x7f is a raw byte, not UTF-8: decoded lossily
    let r = one(r"curl https://x/ --data-raw $'caf\xe9'");
    assert_eq!(body(&r), "caf\u{fffd}");
}

#[test]
fn firefox_copy_as_curl() {
    // Firefox "Copy as cURL (POSIX)": single quotes, -X POST before the headers,
    // --data-raw, non-ASCII as $'\uXXXX'
    let text = "curl 'https://api.miro.com/v1/oauth/token' -X POST \
        -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' \
        -H 'Accept: */*' -H 'Accept-Language: en-US,en;q=0.5' \
        -H 'Accept-Encoding: gzip, deflate, br, zstd' \
        -H 'Content-Type: application/x-www-form-urlencoded' \
        -H 'Origin: https://example.com' -H 'Connection: keep-alive' \
        -H 'Sec-Fetch-Mode: cors' \
        --data-raw $'grant_type=authorization_code&code=abc&client_id=3458764&note=\\u20ac'";
    let r = one(text);
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.curl.as_ref().unwrap().explicit_method.as_deref(),
        Some("POST")
    );
    assert_eq!(
        header(&r, "user-agent"),
        Some("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
    );
    assert_eq!(
        body(&r),
        "grant_type=authorization_code&code=abc&client_id=3458764&note=€"
    );
    assert_eq!(r.form_params()[2].value, "3458764");
    assert_eq!(r.headers.len(), 8);
}

#[test]
fn windows_cmd_chrome_caret_quoting() {
    // Chrome "Copy as cURL (cmd)": every argument in ^"…^", specials as ^X, % as ^%^,
    // ^ line continuations, a newline in data as ^ + two newlines
    let text = "curl ^\"https://api.miro.com/v1/oauth/token^\" ^\r\n  -H ^\"accept: */*^\" ^\r\n  -H ^\"content-type: application/x-www-form-urlencoded^\" ^\r\n  --data-raw ^\"grant_type=authorization_code^&code=abc^&redirect_uri=https^%^3A^%^2F^%^2Fx^%^2Fcb^&note=^%^OS^%^ a^^b^\" ^\r\n  --compressed";
    let r = one(text);
    assert_eq!(r.curl.as_ref().unwrap().dialect, "cmd");
    assert_eq!(r.url, "https://api.miro.com/v1/oauth/token");
    assert_eq!(header(&r, "accept"), Some("*/*"));
    assert_eq!(
        body(&r),
        "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fx%2Fcb&note=%OS% a^b"
    );

    // JSON: \" for the C runtime, ^\ and ^" for cmd; a newline kept through ^<LF><LF>
    let json = "curl ^\"https://api.miro.com/v2/boards^\" ^\n  -H ^\"content-type: application/json^\" ^\n  --data-raw ^\"^{^\\^\"name^\\^\":^\\^\"a b^\\^\",^\\^\"d^\\^\":^\\^\"x^\n\ny^\\^\"^}^\"";
    let r = one(json);
    assert_eq!(body(&r), "{\"name\":\"a b\",\"d\":\"x\ny\"}");
}

#[test]
fn windows_cmd_plain_quotes_keep_carets() {
    // Older Chrome wrote plain "…" with ^& inside. Inside "…" cmd.exe takes ^ literally,
    // so curl really receives `^&`: the body below is what such a command sends.
    let text = "curl \"https://api.miro.com/v1/oauth/token\" ^\n  -H \"content-type: application/x-www-form-urlencoded\" ^\n  --data-raw \"grant_type=authorization_code^&code=abc\"";
    let r = one(text);
    assert_eq!(r.curl.as_ref().unwrap().dialect, "cmd");
    assert_eq!(
        header(&r, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(body(&r), "grant_type=authorization_code^&code=abc");
    // outside quotes the same escape is read by cmd: an unquoted ^& is a literal &
    let r = one("curl https://x/ ^\n  -d grant_type=authorization_code^&code=abc");
    assert_eq!(body(&r), "grant_type=authorization_code&code=abc");
    // and an unescaped & ends the command (the rest is another command, not curl)
    let r = one("curl https://x/ ^\n  -d a=1&echo done");
    assert_eq!(body(&r), "a=1");
}

#[test]
fn windows_cmd_crt_rules() {
    // "" inside quotes is a quote; 2n backslashes before " halve; redirections skipped
    let r = one("curl https://x/ ^\n -H \"X-A: say \"\"hi\"\"\" -d \"a\\\\\" -o NUL 2>&1");
    assert_eq!(header(&r, "x-a"), Some("say \"hi\""));
    assert_eq!(body(&r), "a\\");
    // a quote left open is reported at the quote
    let e = err("curl https://x/ ^\n -d \"abc");
    assert_eq!(e.offset, 22);
    assert!(
        e.message.contains("unterminated double quote"),
        "{}",
        e.message
    );
}

#[test]
fn powershell_curl_exe() {
    let text = "PS C:\\Users\\me> curl.exe -X POST \"https://api.miro.com/v1/oauth/token\" `\n  -H \"Content-Type: application/x-www-form-urlencoded\" `\n  -d \"grant_type=authorization_code&code=abc&redirect_uri=https://x/cb\" `\n  -d 'note=it''s' `\n  --data-raw \"tab=`t|q=`\"x`\"|dollar=`$HOME\" # a comment";
    let r = one(text);
    let curl = r.curl.as_ref().unwrap();
    assert_eq!(curl.dialect, "powershell");
    assert_eq!(r.method, "POST");
    assert_eq!(
        body(&r),
        "grant_type=authorization_code&code=abc&redirect_uri=https://x/cb&note=it's&tab=\t|q=\"x\"|dollar=$HOME"
    );
    // JSON written for curl.exe: `" and \" both give a quote
    let r = one("curl.exe https://api.miro.com/v2/boards -H 'Content-Type: application/json' --data \"{`\"a`\":1,\\\"b\\\":\\\"c d\\\"}\"");
    assert_eq!(body(&r), "{\"a\":1,\"b\":\"c d\"}");
    let r = one("curl.exe https://x/ -d '{\\\"a\\\":1}'");
    assert_eq!(body(&r), "{\"a\":1}");
    // `$(…)` and $variables are not evaluated; --% passes the rest verbatim
    let r =
        one("& curl.exe https://x/ -H \"Authorization: Bearer $($env:MIRO_TOKEN)\" --% -d \"a b\"");
    assert_eq!(
        header(&r, "authorization"),
        Some("Bearer $($env:MIRO_TOKEN)")
    );
    assert_eq!(body(&r), "a b");
}

#[test]
fn basic_auth_from_user() {
    let r = one(
        "curl -u id:secret -d grant_type=client_credentials https://api.miro.com/v1/oauth/token",
    );
    assert_eq!(header(&r, "authorization"), Some("Basic aWQ6c2VjcmV0"));
    assert_eq!(r.curl.as_ref().unwrap().user.as_deref(), Some("id:secret"));
    assert_eq!(r.headers[0].name, "Authorization");
    // an explicit Authorization header wins
    let r = one("curl -u id:secret -H 'Authorization: Bearer t' https://x/");
    assert_eq!(r.headers_named("authorization").count(), 1);
    assert_eq!(header(&r, "authorization"), Some("Bearer t"));
    // --digest waits for a challenge: nothing sent up front
    let r = one("curl --digest -u id:secret https://x/");
    assert_eq!(header(&r, "authorization"), None);
    // credentials in the URL are used for Basic too
    let r = one("curl https://id:s%40cret@x/");
    assert_eq!(header(&r, "authorization"), Some("Basic aWQ6c0BjcmV0"));
    // --oauth2-bearer
    let r = one("curl --oauth2-bearer TOKEN https://x/");
    assert_eq!(header(&r, "authorization"), Some("Bearer TOKEN"));
}

#[test]
fn data_urlencode_rules() {
    let r = one(
        "curl https://api.miro.com/v1/oauth/token --data-urlencode 'redirect_uri=https://x/cb?a=1' \
         --data-urlencode 'scope=boards:read boards:write' --data-urlencode '=a&b' \
         --data-urlencode 'plain é' --data-urlencode name@file.txt --data-urlencode @other",
    );
    assert_eq!(
        body(&r),
        "redirect_uri=https%3A%2F%2Fx%2Fcb%3Fa%3D1&scope=boards%3Aread+boards%3Awrite&a%26b&plain+%C3%A9&name=@file.txt&@other"
    );
    assert_eq!(
        r.curl.as_ref().unwrap().data[0],
        CurlData {
            flag: "--data-urlencode".into(),
            arg: "redirect_uri=https://x/cb?a=1".into(),
            urlencoded: true,
        }
    );
    assert_eq!(
        header(&r, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.form_params()[0].value, "https://x/cb?a=1");
}

#[test]
fn get_moves_data_to_query() {
    let r = one(
        "curl -G -d response_type=code -d client_id=123 'https://miro.com/oauth/authorize?x=1'",
    );
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.url,
        "https://miro.com/oauth/authorize?x=1&response_type=code&client_id=123"
    );
    assert!(r.body.is_none());
    assert!(r.header("content-type").is_none());
    assert!(r.curl.as_ref().unwrap().get);
    // -G data wins over --url-query; -X still wins the method
    let r = one("curl -X PUT --get --url-query a=1 --data b=2 https://x/p");
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("PUT", "https://x/p?b=2")
    );
    // an existing query ending in & gets no extra &
    let r = one("curl --url-query 'a=b c' --url-query +raw=%20 'https://x/p?q=1&'");
    assert_eq!(r.url, "https://x/p?q=1&a=b+c&raw=%20");
}

#[test]
fn json_option() {
    let r = one(r#"curl --json '{"name":' --json '"b"}' https://api.miro.com/v2/boards"#);
    assert_eq!(r.method, "POST");
    assert_eq!(body(&r), r#"{"name":"b"}"#);
    assert_eq!(header(&r, "content-type"), Some("application/json"));
    assert_eq!(header(&r, "accept"), Some("application/json"));
    // -H overrides, and `-H 'Accept:'` (removal) suppresses the implied header
    let r =
        one(r#"curl --json '{}' -H 'Content-Type: application/vnd+json' -H 'Accept:' https://x/"#);
    assert_eq!(header(&r, "content-type"), Some("application/vnd+json"));
    assert!(r.header("accept").is_none());
}

#[test]
fn short_option_clusters() {
    let r = one("curl -sSLkXPOST -H\"X-A: 1\" -dfoo=bar -uid:pw https://x/");
    assert_eq!(r.method, "POST");
    assert_eq!(header(&r, "x-a"), Some("1"));
    assert_eq!(body(&r), "foo=bar");
    assert_eq!(r.curl.as_ref().unwrap().user.as_deref(), Some("id:pw"));
    assert_eq!(r.curl.as_ref().unwrap().data[0].flag, "-d");
    // long options: --opt=value, unique prefixes, --no-…
    // (`--requ` would be ambiguous: --request, --request-target)
    let r = one("curl --data=a=b --request=PATCH --head --no-head --sil https://x/");
    assert_eq!((r.method.as_str(), body(&r)), ("PATCH", "a=b"));
    assert!(r.curl.as_ref().unwrap().unknown_options.is_empty());
}

#[test]
fn options_with_arguments_consume_them() {
    let r = one(
        "curl -o out.json -w '%{http_code}' -m 10 --max-time 5 --connect-timeout 3 \
         -x http://proxy:8080 -U u:p --cacert ca.pem --cert c.pem --key k.pem -c jar.txt \
         -K cfg.txt -D - -E cert:pass --retry 3 --resolve a:443:1.2.3.4 \
         https://api.miro.com/v2/boards",
    );
    assert_eq!(r.url, "https://api.miro.com/v2/boards");
    assert_eq!(r.method, "GET");
}

#[test]
fn unknown_options_are_recorded() {
    let r = one("curl --frobnicate --no-data https://x/");
    let curl = r.curl.as_ref().unwrap();
    assert!(curl.unknown_options.contains(&"--frobnicate".to_string()));
    // `--no-` on an option with an argument is unknown and consumes nothing
    assert!(curl.unknown_options.contains(&"--no-data".to_string()));
    // so `x` is a URL here
    assert_eq!(
        parse_curl("curl --frobnicate x https://x/").unwrap().len(),
        2
    );
}

#[test]
fn headers_special_forms() {
    let r = one("curl https://x/ -H 'X-Empty;' -H 'X-Drop:' -H 'Not a header' -H @headers.txt -H 'X-A:  v  ' -A 'agent/1' -e 'https://ref/;auto' -b 'a=1' -b cookies.txt -b 'b=2' -r 0-99");
    let names: Vec<(&str, &str)> = r
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("X-Empty", ""),
            ("X-A", "v"),
            ("Cookie", "a=1; b=2"),
            ("User-Agent", "agent/1"),
            ("Referer", "https://ref/"),
            ("Range", "bytes=0-99"),
        ]
    );
}

#[test]
fn form_parts() {
    let r = one(
        r#"curl -F 'name="a;b"' -F 'meta={"x":1};type=application/json' -F 'file=@"a b.png";filename=x.png' -F 'raw=<body.txt' --form-string 'lit=@not;type=x' https://x/"#,
    );
    assert_eq!(r.method, "POST");
    assert_eq!(header(&r, "content-type"), Some("multipart/form-data"));
    let part = |name: &str, value: &str, file: bool| FormPart {
        name: name.into(),
        value: value.into(),
        file,
    };
    assert_eq!(
        r.body,
        Some(Body::Multipart(vec![
            part("name", "a;b", false),
            part("meta", r#"{"x":1}"#, false),
            part("file", "a b.png", true),
            part("raw", "body.txt", true),
            part("lit", "@not;type=x", false),
        ]))
    );
    assert_eq!(r.curl.as_ref().unwrap().form.len(), 5);
}

#[test]
fn heredoc_and_stdin() {
    let text = "curl -X POST https://api.miro.com/v2/boards -H 'Content-Type: application/json' --data-binary @- <<'EOF'\n{\"name\": \"$NAME\",\r\n \"x\": 1}\nEOF\ncurl -d @- https://x/ <<EOF\na=1\nb=2\nEOF\ncurl -d @- https://x/ < body.txt\ncurl --data-urlencode q@- https://x/ <<< 'a b'\ncurl -T - https://x/up/ < local.bin\n";
    let reqs = parse_curl(text).unwrap();
    assert_eq!(reqs.len(), 5);
    assert_eq!(body(&reqs[0]), "{\"name\": \"$NAME\",\n \"x\": 1}\n");
    // -d strips CR and LF from what it reads, --data-binary does not
    assert_eq!(body(&reqs[1]), "a=1b=2");
    assert_eq!(body(&reqs[2]), "@body.txt");
    assert_eq!(body(&reqs[3]), "q=a+b%0A");
    assert_eq!(
        (
            reqs[4].method.as_str(),
            reqs[4].url.as_str(),
            body(&reqs[4])
        ),
        ("PUT", "https://x/up/local.bin", "local.bin")
    );
}

#[test]
fn echo_piped_into_data_at_stdin() {
    let reqs = parse_curl(
        "echo '{\"name\": \"b\"}' | curl --json @- https://api.miro.com/v2/boards\n\
         echo -n 'a b' | curl --data-binary @- https://x/\n\
         printf x | curl -d @- https://x/",
    )
    .unwrap();
    assert_eq!(body(&reqs[0]), "{\"name\": \"b\"}\n");
    assert_eq!(body(&reqs[1]), "a b");
    // only echo is understood; other producers leave `@-` as written
    assert_eq!(body(&reqs[2]), "@-");
}

#[test]
fn several_commands_comments_pipes() {
    let text = "#!/bin/sh\n# get a token\nexport T=abc\n$ curl -s https://a.example/x | jq .access_token\n\ncurl https://b.example/y > out.json 2>&1 && echo ok; curl https://c.example/z # trailing\n> curl https://d.example/w\n";
    let urls: Vec<String> = parse_curl(text)
        .unwrap()
        .into_iter()
        .map(|r| r.url)
        .collect();
    assert_eq!(
        urls,
        [
            "https://a.example/x",
            "https://b.example/y",
            "https://c.example/z",
            "https://d.example/w"
        ]
    );
}

#[test]
fn variables_and_substitutions_stay_literal() {
    let r = one(
        r#"curl "https://api.miro.com/v2/boards/${BOARD_ID}" -H "Authorization: Bearer $MIRO_TOKEN" -H "X-Sub: $(cat "token file") `date`" -d 'a=$NOT'"#,
    );
    assert_eq!(r.url, "https://api.miro.com/v2/boards/${BOARD_ID}");
    assert_eq!(header(&r, "authorization"), Some("Bearer $MIRO_TOKEN"));
    assert_eq!(header(&r, "x-sub"), Some(r#"$(cat "token file") `date`"#));
    assert_eq!(body(&r), "a=$NOT");
}

#[test]
fn urls_methods_and_next() {
    let reqs = parse_curl(
        "curl -d a=1 api.miro.com/v1/x https://b/ -T f.txt --next -I https://c/ --next -X null --url https://d/",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let summary: Vec<(&str, &str)> = reqs
        .iter()
        .map(|r| (r.method.as_str(), r.url.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            // -T pairs with the first URL: PUT, file name appended to the empty path
            ("PUT", "http://api.miro.com/v1/x"),
            ("POST", "https://b/"),
            ("HEAD", "https://c/"),
            // Safari's `-X null` means "unknown": inferred as curl would without -X
            ("GET", "https://d/"),
        ]
    );
    // both URLs of the first operation get the data
    assert_eq!(body(&reqs[0]), "a=1");
    assert_eq!(body(&reqs[1]), "a=1");
    assert_eq!(
        reqs[3].curl.as_ref().unwrap().explicit_method.as_deref(),
        Some("null")
    );
}

#[test]
fn errors_with_offsets() {
    let e = err("curl 'https://x/ -d a");
    assert_eq!(e.offset, 5);
    assert_eq!(e.message, "unterminated single quote; expected a closing '");
    let e = err("curl https://x/ -d \"a=1");
    assert_eq!(e.offset, 19);
    assert!(e.message.starts_with("unterminated double quote"));
    let e = err("curl https://x/ --data-raw $'abc");
    assert_eq!(e.offset, 27);
    let e = err("");
    assert_eq!(e.offset, 0);
    assert!(e.message.contains("empty input"), "{}", e.message);
    let e = err("  # only a comment\n\n");
    assert!(
        e.message.contains("expected a curl command"),
        "{}",
        e.message
    );
    let e = err("curl -s -H 'Accept: */*'");
    assert_eq!(e.offset, 0);
    assert!(e.message.contains("no url"), "{}", e.message);
    let e = err("curl https://x/ -H");
    assert_eq!(e.offset, 16);
    assert_eq!(
        e.message,
        "option -H requires an argument; expected a value after it"
    );
    let e = err("wget https://x/");
    assert_eq!(e.offset, 0);
    assert!(
        e.message.contains("'wget' is not a curl command"),
        "{}",
        e.message
    );
    // Text that detection takes for curl (see looks_like_curl) is told what to fix.
    let e = err("@curl https://x/");
    assert!(looks_like_curl("@curl https://x/"));
    assert_eq!(e.offset, 0);
    assert!(
        e.message.contains(
            "program named '@curl'; expected a command starting with curl: remove the `@`"
        ),
        "{}",
        e.message
    );
    let e = err("'curl https://x/'");
    assert!(looks_like_curl("'curl https://x/'"));
    assert!(
        e.message.starts_with("the whole command is quoted, so a shell would look for a program named 'curl https://x/'; expected a command starting with curl: remove the quotes around it"),
        "{}",
        e.message
    );
    // Windows cmd reads `@` as echo off.
    assert_eq!(
        parse_curl("@curl https://x/ ^\n  -d a=1\n").unwrap().len(),
        1
    );
    let e = err("curl --request POST \\\n@--url 'https://x/'");
    assert_eq!(e.offset, 22);
    assert!(e.message.contains("starts with '-'"), "{}", e.message);
    let e = err("curl –data a=1 https://x/");
    assert_eq!(e.offset, 5);
    assert!(e.message.contains("unicode dash"), "{}", e.message);
    // after `--`, `-x` is a URL (with a host curl could not resolve)
    let e = err("curl https://x/ -- -x");
    assert_eq!(e.offset, 19);
    assert!(
        e.message.contains("host '-x' starts with '-'"),
        "{}",
        e.message
    );
    let e = err("curl 'accept: application/json' https://x/");
    assert!(e.message.contains("contains whitespace"), "{}", e.message);
}

#[test]
fn detection() {
    assert!(looks_like_curl("curl https://x/"));
    assert!(looks_like_curl("\u{feff}# token\n\n$ curl -s https://x/"));
    assert!(looks_like_curl("PS C:\\> curl.exe https://x/"));
    assert!(looks_like_curl("PS> CURL.EXE https://x/"));
    assert!(looks_like_curl("> curl https://x/"));
    assert!(looks_like_curl("C:\\Users\\me>curl https://x/"));
    assert!(looks_like_curl("/usr/bin/curl https://x/"));
    assert!(!looks_like_curl("https://miro.com/oauth/authorize?x=1"));
    assert!(!looks_like_curl("POST /v1/oauth/token HTTP/1.1"));
    assert!(!looks_like_curl("curling is a sport"));
    assert!(!looks_like_curl(""));

    assert_eq!(detect_dialect("curl x \\\n -d 1"), Dialect::Bash);
    assert_eq!(detect_dialect("curl ^\"x^\""), Dialect::Cmd);
    assert_eq!(detect_dialect("curl x ^\n -d 1"), Dialect::Cmd);
    assert_eq!(detect_dialect("curl.exe x `\n -d 1"), Dialect::PowerShell);
    assert_eq!(detect_dialect("curl.exe https://x/"), Dialect::PowerShell);
    assert_eq!(detect_dialect("curl x -d @- < `echo f`"), Dialect::Bash);
}

/// Every prefix of tricky commands (cut anywhere, also inside multi-byte characters'
/// neighbourhood) parses or fails cleanly, in every dialect.
#[test]
fn never_panics_on_truncated_or_odd_input() {
    let samples = [
        "curl 'https://x/' \\\n -H $'a\\x41\\u00e9\\'' -d \"$(echo \")\") `x` ${y}\" <<EOF\nbody é\nEOF\n",
        "curl ^\"https://x/^\" ^\n -d ^\"a^&b^\" ^\n\n -H \"x: \"\"y\"\"\" 2>&1 < in.txt | more",
        "curl.exe `\n -d \"a`\"b\\\"c\" 'd''e' --% -H \"x y\" <# c #> # c\n",
        "PS C:\\> curl.exe -F 'a=@\"x,y\";type=text/plain,z' -u é:ü https://é/ü?q=ç#f",
        "curl -XPOST -H\"é\" --url-query +é --data-urlencode é@- https://x <<< é",
        "$ curl --json @- -T - -G -r 1 -e ';auto' -b = https://[::1]:8/ ; curl",
    ];
    for sample in samples {
        for (cut, _) in sample.char_indices() {
            let prefix = &sample[..cut];
            let _ = parse_curl(prefix);
            let _ = looks_like_curl(prefix);
            for dialect in [Dialect::Bash, Dialect::Cmd, Dialect::PowerShell] {
                let _ = super::shell::split_commands(prefix, dialect);
            }
        }
    }
    // pseudo-random bytes drawn from the characters the tokenizers care about
    let alphabet: Vec<char> = " \t\n\r'\"\\$`^&|<>;#@-=:%(){}x-é€\u{2013}"
        .chars()
        .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut s = String::from("curl ");
        for _ in 0..24 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let _ = parse_curl(&s);
        for dialect in [Dialect::Bash, Dialect::Cmd, Dialect::PowerShell] {
            let _ = super::shell::split_commands(&s, dialect);
        }
    }
}

/// A 20 MB single-line body parses in linear time, in each dialect.
#[test]
fn huge_single_line_is_linear() {
    let payload = "code=abc%2F".repeat(2_000_000);
    for (text, dialect) in [
        (format!("curl https://x/ -d '{payload}'"), "bash"),
        (format!("curl https://x/ -d {payload}"), "bash"),
        (
            format!("curl https://x/ --data-raw $'{payload}\\n'"),
            "bash",
        ),
        (format!("curl ^\"https://x/^\" -d ^\"{payload}^\""), "cmd"),
        (
            format!("curl.exe https://x/ -d \"{payload}\""),
            "powershell",
        ),
        // (encoding is linear too; a tenth of the size keeps unoptimised test runs short)
        (
            format!(
                "curl https://x/ --data-urlencode 'a={}'",
                &payload[..payload.len() / 10]
            ),
            "bash",
        ),
    ] {
        let started = std::time::Instant::now();
        let r = one(&text);
        let elapsed = started.elapsed();
        assert_eq!(r.curl.as_ref().unwrap().dialect, dialect);
        assert!(
            body(&r).len() + 64 >= text.len(),
            "{dialect}: body cut short"
        );
        // generous for unoptimised test builds on a shared machine; release is far faster
        assert!(elapsed.as_secs() < 10, "{dialect}: {elapsed:?}");
    }
}

#[test]
fn data_copied_to_many_urls_is_refused_not_expanded() {
    // 2,000 `-d` times 2,000 URLs: 4 million data copies if built; an error instead.
    let data: String = (0..2000).map(|i| format!(" -d a{i}=1")).collect();
    let urls = " https://api.miro.com/v1/oauth/token".repeat(2000);
    let e = err(&format!("curl{data}{urls}\n"));
    assert_eq!(e.offset, 0);
    assert!(e.message.contains("each of its 2000 urls"), "{}", e.message);
    // One long part name with many files.
    let name = "n".repeat(10_000);
    let files = ",f".repeat(100_000);
    let e = err(&format!("curl https://x -F '{name}=@f{files}'\n"));
    assert!(e.message.contains("names 100001 files"), "{}", e.message);
    // A heredoc read by many `-d @-`.
    let reads = " -d @-".repeat(1000);
    let doc = "x".repeat(100_000);
    let e = err(&format!("curl https://x{reads} <<EOF\n{doc}\nEOF\n"));
    assert!(
        e.message.contains("with @- in 1000 arguments"),
        "{}",
        e.message
    );
    // A few URLs, or one URL with a big body, are fine.
    let big = "a".repeat(20 << 20);
    assert_eq!(
        parse_curl(&format!("curl -d '{big}' https://x\n"))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        parse_curl("curl -d a=1 https://x https://y https://z\n")
            .unwrap()
            .len(),
        3
    );
}

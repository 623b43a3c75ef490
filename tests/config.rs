//! Integration tests for the config loader: `miro-oauth.toml`, Miro's app manifest YAML,
//! format detection, discovery, and robustness on broken input. Sample files live in
//! `fixtures/config/`.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use miro_oauth::config::load::{detect_format, discover, load, parse, CONFIG_FILE_NAMES};
use miro_oauth::config::manifest::parse_manifest;
use miro_oauth::config::toml::parse_toml;
use miro_oauth::config::{Config, ConfigFormat, Located};
use miro_oauth::error::{ConfigError, Position};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/config")
        .join(name)
}

fn load_fixture(name: &str) -> Config {
    let path = fixture(name);
    load(&path).unwrap_or_else(|e| panic!("{name} should load: {e}"))
}

fn load_err(name: &str) -> ConfigError {
    match load(&fixture(name)) {
        Ok(c) => panic!("{name} should fail, got {c:?}"),
        Err(e) => e,
    }
}

/// Value, line, column of a located string.
fn at(l: &Located<String>) -> (&str, usize, usize) {
    (l.value.as_str(), l.line, l.column)
}

fn opt_at(l: &Option<Located<String>>) -> Option<(&str, usize, usize)> {
    l.as_ref().map(at)
}

fn all_at(v: &[Located<String>]) -> Vec<(&str, usize, usize)> {
    v.iter().map(at).collect()
}

fn bool_at(l: &Option<Located<bool>>) -> Option<(bool, usize, usize)> {
    l.as_ref().map(|l| (l.value, l.line, l.column))
}

fn toml_err(text: &str) -> ConfigError {
    match parse(text, Path::new("miro-oauth.toml")) {
        Ok(c) => panic!("should fail:\n{text}\ngot {c:?}"),
        Err(e) => e,
    }
}

/// Position and message of an `Invalid` error.
fn invalid(err: &ConfigError) -> (usize, usize, &str) {
    match err {
        ConfigError::Invalid {
            position, message, ..
        } => (position.line, position.column, message.as_str()),
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}

fn semantic(err: &ConfigError) -> &str {
    match err {
        ConfigError::Semantic { message, .. } => message,
        other => panic!("expected a Semantic error, got {other:?}"),
    }
}

fn assert_message_style(message: &str) {
    assert!(!message.contains('\n'), "one line: {message:?}");
    assert!(!message.ends_with('.'), "no final period: {message:?}");
    let first = message.chars().next().expect("non-empty message");
    assert!(!first.is_uppercase(), "lower-case start: {message:?}");
}

// ---------------------------------------------------------------- miro-oauth.toml

#[test]
fn toml_with_every_key_has_values_and_positions() {
    let c = load_fixture("full.toml");
    assert_eq!(c.format, ConfigFormat::Toml);
    assert_eq!(c.path.as_deref(), Some(fixture("full.toml").as_path()));
    let a = &c.app;
    assert_eq!(opt_at(&a.client_id), Some(("3458764512345678901", 3, 13)));
    assert_eq!(
        opt_at(&a.client_secret_env),
        Some(("MIRO_CLIENT_SECRET", 4, 21))
    );
    assert_eq!(a.client_secret, None);
    assert_eq!(
        all_at(&a.redirect_uris),
        vec![
            ("https://app.example.com/oauth/callback", 6, 3),
            ("http://localhost:3000/oauth/callback", 7, 3),
        ]
    );
    assert_eq!(
        opt_at(&a.sdk_redirect_uri),
        Some(("https://app.example.com/oauth/callback", 9, 20))
    );
    assert_eq!(
        all_at(&a.scopes),
        vec![("boards:read", 10, 11), ("boards:write", 10, 26)]
    );
    assert_eq!(bool_at(&a.expiring_tokens), Some((true, 11, 19)));
    assert_eq!(bool_at(&a.uses_web_sdk), Some((false, 12, 16)));
    assert_eq!(
        opt_at(&a.sdk_uri),
        Some(("https://app.example.com/", 13, 11))
    );
    assert_eq!(c.miro.auth_url, "https://miro.example.test/oauth/authorize");
    assert_eq!(c.miro.api_url, "http://127.0.0.1:8080");
}

#[test]
fn minimal_toml_has_defaults() {
    let c = load_fixture("minimal.toml");
    assert_eq!(
        opt_at(&c.app.client_id),
        Some(("3458764512345678901", 2, 13))
    );
    assert!(c.app.redirect_uris.is_empty());
    assert!(c.app.scopes.is_empty());
    assert_eq!(c.app.expiring_tokens, None);
    assert_eq!(c.app.uses_web_sdk, None);
    assert_eq!(c.app.sdk_redirect_uri, None);
    assert_eq!(c.miro, miro_oauth::config::MiroConfig::default());
}

#[test]
fn empty_app_table_is_accepted() {
    let c = parse("[app]\n", Path::new("miro-oauth.toml")).unwrap();
    assert_eq!(c.app.client_id, None);
}

#[test]
fn inline_secret_is_read_for_the_rule_to_flag() {
    let c = load_fixture("inline-secret.toml");
    assert_eq!(
        opt_at(&c.app.client_secret),
        Some(("s3cr3t-inline-value", 3, 17))
    );
    assert_eq!(c.app.client_secret_env, None);
}

#[test]
fn typo_redirect_uri_names_file_position_key_and_suggestion() {
    let err = load_err("typo-redirect-uri.toml");
    let (line, column, message) = invalid(&err);
    assert_eq!((line, column), (3, 1));
    assert!(message.contains("`redirect_uri`"), "{message}");
    assert!(
        message.contains("did you mean `redirect_uris`?"),
        "{message}"
    );
    assert!(
        message.contains("valid keys: client_id, client_secret_env"),
        "{message}"
    );
    assert_message_style(message);
    let shown = err.to_string();
    assert!(
        shown.contains("typo-redirect-uri.toml:3:1: unknown key `redirect_uri` in [app]"),
        "{shown}"
    );
}

#[test]
fn typo_scope_suggests_scopes() {
    let err = load_err("typo-scope.toml");
    let (line, column, message) = invalid(&err);
    assert_eq!((line, column), (3, 1));
    assert!(message.contains("`scope`"), "{message}");
    assert!(message.contains("did you mean `scopes`?"), "{message}");
    assert!(err.to_string().contains("typo-scope.toml:3:1: "));
}

#[test]
fn camel_case_and_dashed_keys_suggest_the_toml_key() {
    let e = toml_err("[app]\nredirectUris = []\n");
    let m = invalid(&e).2;
    assert!(m.contains("did you mean `redirect_uris`?"), "{m}");
    let e = toml_err("[app]\nclient-id = \"1\"\n");
    assert!(invalid(&e).2.contains("did you mean `client_id`?"));
    let e = toml_err("[app]\nexpiring_token = true\n");
    assert!(invalid(&e).2.contains("did you mean `expiring_tokens`?"));
}

#[test]
fn unrelated_unknown_key_lists_valid_keys_without_a_guess() {
    let e = toml_err("[app]\nclient_id = \"1\"\n  colour = \"blue\"\n");
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (3, 3));
    assert!(!m.contains("did you mean"), "{m}");
    assert!(
        m.contains("unknown key `colour` in [app]; valid keys: client_id"),
        "{m}"
    );
}

#[test]
fn key_in_the_wrong_table_says_where_it_belongs() {
    let e = toml_err("[app]\nauth_url = \"https://miro.com/oauth/authorize\"\n");
    let (line, _, m) = invalid(&e);
    assert_eq!(line, 2);
    assert!(m.contains("`auth_url` belongs in [miro], not [app]"), "{m}");
    let e = toml_err("[app]\n[miro]\nscopes = []\n");
    assert!(invalid(&e)
        .2
        .contains("`scopes` belongs in [app], not [miro]"));
}

#[test]
fn keys_outside_any_table_and_unknown_tables() {
    let e = toml_err("client_id = \"1\"\n[app]\n");
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (1, 1));
    assert!(
        m.contains("`client_id` is outside any table: expected it under [app]"),
        "{m}"
    );

    let e = toml_err("[ap]\nclient_id = \"1\"\n");
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (1, 2));
    assert!(m.contains("unknown table [ap]; did you mean [app]?"), "{m}");

    let e = toml_err("[app]\n[[hooks]]\nurl = \"x\"\n");
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (2, 3));
    assert_eq!(
        m,
        "unknown table [hooks]: expected an [app] table and optionally [miro]"
    );
    let e = toml_err("[app]\n[miro]\n[extra]\n");
    assert_eq!(invalid(&e).0, 3);
}

#[test]
fn wrong_types_say_what_was_found_and_expected() {
    let cases: &[(&str, (usize, usize), &str)] = &[
        (
            "[app]\nredirect_uris = \"https://a.example/cb\"\n",
            (2, 17),
            "`redirect_uris` is a single string: expected a list of strings, redirect_uris = [\"https://a.example/cb\"]",
        ),
        (
            "[app]\nscopes = [\"boards:read\", 7]\n",
            (2, 26),
            "item 2 of `scopes` is the integer 7: expected a list of strings",
        ),
        (
            "[app]\nscopes = { read = true }\n",
            (2, 1),
            "`scopes` is a table: expected a list of strings",
        ),
        (
            "[app]\nexpiring_tokens = \"yes\"\n",
            (2, 19),
            "`expiring_tokens` is the string \"yes\": expected true or false",
        ),
        (
            "[app]\nexpiring_tokens = \"true\"\n",
            (2, 19),
            "`expiring_tokens` is the string \"true\": expected true or false, without quotes",
        ),
        (
            "[app]\nuses_web_sdk = 1\n",
            (2, 16),
            "`uses_web_sdk` is the integer 1: expected true or false",
        ),
        (
            "[app]\nclient_secret = 123456789\n",
            (2, 17),
            "`client_secret` is an integer: expected a quoted string",
        ),
        (
            "[app]\nclient_secret_env = [\"A\"]\n",
            (2, 21),
            "`client_secret_env` is a list: expected a quoted string",
        ),
        (
            "[app]\nsdk_redirect_uri = 1979-05-27\n",
            (2, 20),
            "`sdk_redirect_uri` is the date-time 1979-05-27: expected a quoted string",
        ),
        (
            "[app]\nclient_id = 3.5\n",
            (2, 13),
            "`client_id` is the number 3.5: expected a quoted string such as client_id = \"3458764512345678901\"",
        ),
        (
            "app = \"x\"\n",
            (1, 1),
            "`app` is the string \"x\": expected a table, written [app] on its own line",
        ),
        (
            "[app]\nscopes.read = true\n",
            (2, 1),
            "`scopes` is a table: expected a list of strings",
        ),
        (
            "[app.scopes]\nread = true\n",
            (1, 6),
            "`scopes` is a table: expected a list of strings",
        ),
        (
            "[app]\nredirect_uri.x = 1\n",
            (2, 1),
            "unknown key `redirect_uri` in [app]; did you mean `redirect_uris`? valid keys: client_id, client_secret_env, client_secret, redirect_uris, sdk_redirect_uri, scopes, expiring_tokens, uses_web_sdk, sdk_uri",
        ),
        (
            "[[app]]\nclient_id = \"1\"\n",
            (1, 3),
            "found an array of tables [[app]]: expected a single [app] table",
        ),
        (
            "[app]\n[miro]\napi_url = \"api.miro.com\"\n",
            (3, 11),
            "`api_url` is the string \"api.miro.com\": expected an absolute http(s) url such as https://api.miro.com",
        ),
    ];
    for (text, pos, expected) in cases {
        let e = toml_err(text);
        let (line, column, m) = invalid(&e);
        assert_eq!(m, *expected, "for {text:?}");
        assert_eq!((line, column), *pos, "for {text:?}: {m}");
        assert_message_style(m);
    }
}

#[test]
fn integer_client_id_says_to_quote_it() {
    let err = load_err("integer-client-id.toml");
    let (line, column, m) = invalid(&err);
    assert_eq!((line, column), (2, 13));
    assert!(m.contains("expected a quoted string"), "{m}");
    assert!(m.contains("client_id = \"3458764512345678901\""), "{m}");
    assert!(m.contains("64-bit"), "{m}");
    assert_message_style(m);
}

#[test]
fn overflowing_client_id_says_to_quote_it() {
    let err = load_err("overflowing-client-id.toml");
    let (line, column, m) = invalid(&err);
    assert_eq!((line, column), (2, 13));
    assert!(m.contains("too large for a toml integer"), "{m}");
    assert!(m.contains("client_id = \"9458764512345678901\""), "{m}");
    assert_message_style(m);
}

#[test]
fn toml_syntax_error_is_one_line_at_the_toml_position() {
    let err = load_err("syntax-error.toml");
    let (line, _, m) = invalid(&err);
    assert_eq!(line, 2);
    assert_message_style(m);
    assert!(err.to_string().contains("syntax-error.toml:2:"), "{err}");

    let e = toml_err("[app]\nclient_id = \"1\"\nclient_id = \"2\"\n");
    let (line, _, m) = invalid(&e);
    assert_eq!(line, 3);
    assert!(m.contains("duplicate key"), "{m}");
}

#[test]
fn empty_or_app_less_toml_says_what_is_expected() {
    let m = semantic(&toml_err("")).to_string();
    assert!(m.contains("empty") && m.contains("[app]"), "{m}");
    let m = semantic(&toml_err("# nothing here\n\n")).to_string();
    assert!(m.contains("[app]"), "{m}");
    let err = load_err("no-app.toml");
    let m = semantic(&err);
    assert!(
        m.starts_with("no [app] table: expected an [app] table"),
        "{m}"
    );
    assert_message_style(m);
}

#[test]
fn empty_sdk_redirect_uri_means_none_and_sdk_uri_implies_web_sdk() {
    let c = parse(
        "[app]\nsdk_redirect_uri = \"\"\nsdk_uri = \"https://a.example\"\n",
        Path::new("x.toml"),
    )
    .unwrap();
    assert_eq!(c.app.sdk_redirect_uri, None);
    assert_eq!(bool_at(&c.app.uses_web_sdk), Some((true, 3, 11)));
    let c = parse(
        "[app]\nuses_web_sdk = false\nsdk_uri = \"https://a.example\"\n",
        Path::new("x.toml"),
    )
    .unwrap();
    assert_eq!(bool_at(&c.app.uses_web_sdk), Some((false, 2, 16)));
}

#[test]
fn toml_columns_count_characters_and_accept_other_spellings() {
    // inline table, dotted keys, CRLF, BOM and a non-ASCII string before the value
    let text = "\u{feff}app = { client_secret_env = \"É\", scopes = [\"é\", \"boards:read\"] }\r\n";
    let c = parse(text, Path::new("miro-oauth.toml")).unwrap();
    assert_eq!(opt_at(&c.app.client_secret_env), Some(("É", 1, 29)));
    assert_eq!(
        all_at(&c.app.scopes),
        vec![("é", 1, 44), ("boards:read", 1, 49)]
    );

    let text = "app.client_id = \"1\"\r\napp.scopes = [\r\n  'boards:read',\r\n]\r\n";
    let c = parse(text, Path::new("miro-oauth.toml")).unwrap();
    assert_eq!(opt_at(&c.app.client_id), Some(("1", 1, 17)));
    assert_eq!(all_at(&c.app.scopes), vec![("boards:read", 3, 3)]);
}

#[test]
fn parse_toml_is_usable_directly() {
    let c = parse_toml("[app]\nscopes = []\n", Path::new("a.toml")).unwrap();
    assert_eq!(c.format, ConfigFormat::Toml);
    assert_eq!(c.display_path(), "a.toml");
}

// ---------------------------------------------------------------- app manifest

#[test]
fn github_app_cards_manifest_maps_onto_the_config() {
    let c = load_fixture("github-appcards.yaml");
    assert_eq!(c.format, ConfigFormat::Manifest);
    let a = &c.app;
    let uri = "https://peaceful-fairy-c2e727.netlify.app/.netlify/functions/authorize";
    assert_eq!(
        opt_at(&a.sdk_uri),
        Some(("https://peaceful-fairy-c2e727.netlify.app", 3, 9))
    );
    assert_eq!(all_at(&a.redirect_uris), vec![(uri, 7, 5)]);
    assert_eq!(opt_at(&a.sdk_redirect_uri), Some((uri, 8, 20)));
    assert_eq!(
        all_at(&a.scopes),
        vec![("boards:write", 10, 5), ("boards:read", 11, 5)]
    );
    assert_eq!(bool_at(&a.uses_web_sdk), Some((true, 3, 9)));
    assert_eq!(a.client_id, None);
    assert_eq!(a.client_secret_env, None);
    assert_eq!(a.client_secret, None);
    assert_eq!(a.expiring_tokens, None);
    assert_eq!(c.miro, miro_oauth::config::MiroConfig::default());
}

#[test]
fn rest_only_manifest_with_flow_lists() {
    let c = load_fixture("rest-only.yaml");
    assert_eq!(
        all_at(&c.app.redirect_uris),
        vec![("http://localhost:3000/", 3, 16)]
    );
    assert_eq!(all_at(&c.app.scopes), vec![("boards:read", 4, 10)]);
    assert_eq!(c.app.sdk_uri, None);
    assert_eq!(c.app.sdk_redirect_uri, None);
    // no sdkUri in the app's settings: not a Web SDK app (no position to give)
    assert_eq!(bool_at(&c.app.uses_web_sdk), Some((false, 0, 0)));
}

#[test]
fn redirect_uris_as_a_single_quoted_string() {
    let c = load_fixture("redirect-string.yaml");
    assert_eq!(
        opt_at(&c.app.sdk_uri),
        Some(("http://localhost:3000", 3, 9))
    );
    assert_eq!(
        all_at(&c.app.redirect_uris),
        vec![("http://localhost:3000/", 4, 15)]
    );
    assert_eq!(
        all_at(&c.app.scopes),
        vec![("boards:read", 6, 5), ("boards:write", 7, 5)]
    );
}

#[test]
fn empty_redirect_uris_and_empty_sdk_redirect() {
    let c = load_fixture("blob-maker.yaml");
    assert!(c.app.redirect_uris.is_empty());
    assert_eq!(c.app.sdk_redirect_uri, None);
    assert_eq!(
        opt_at(&c.app.sdk_uri),
        Some(("https://polar-near-sumac.glitch.me", 3, 9))
    );
    assert_eq!(all_at(&c.app.scopes).len(), 2);
    assert_eq!(bool_at(&c.app.uses_web_sdk), Some((true, 3, 9)));
}

#[test]
fn folded_scalar_sdk_uri_points_at_its_text() {
    let c = load_fixture("folded-sdk-uri.yaml");
    assert_eq!(
        opt_at(&c.app.sdk_uri),
        Some((
            "https://s3-miro-terms-banner-12345.s3.amazonaws.com/webassets/app.html",
            6,
            3
        ))
    );
    assert_eq!(all_at(&c.app.scopes), vec![("identity:read", 8, 5)]);
    assert!(c.app.redirect_uris.is_empty());
}

#[test]
fn manifest_odd_but_valid_shapes() {
    let text = "\u{feff}# comment\r\nappName: \"Ünïcödé app\"\r\nredirectUris: [\r\n  \"https://a.example/cb\",  # first\r\n  'https://b.example/cb' ]\r\nscopes:\r\n- boards:read\r\nredirectUriForSdk: |\r\n  https://a.example/cb\r\nnewFieldMiroAddedLater: {x: 1}\r\nsdkUri: ~\r\n";
    let c = parse_manifest(text, Path::new("app-manifest.yaml")).unwrap();
    assert_eq!(
        all_at(&c.app.redirect_uris),
        vec![
            ("https://a.example/cb", 4, 3),
            ("https://b.example/cb", 5, 3)
        ]
    );
    assert_eq!(all_at(&c.app.scopes), vec![("boards:read", 7, 3)]);
    // a literal block keeps its final newline: the value is what YAML says it is
    assert_eq!(
        opt_at(&c.app.sdk_redirect_uri),
        Some(("https://a.example/cb\n", 9, 3))
    );
    assert_eq!(c.app.sdk_uri, None);
    assert_eq!(bool_at(&c.app.uses_web_sdk), Some((false, 11, 9)));

    // positions count characters after non-ASCII text on the same line
    let c = parse_manifest(
        "appName: é\nscopes: [é, boards:read]\n",
        Path::new("m.yaml"),
    )
    .unwrap();
    assert_eq!(
        all_at(&c.app.scopes),
        vec![("é", 2, 10), ("boards:read", 2, 13)]
    );
}

#[test]
fn manifest_type_errors_point_at_the_value() {
    let err = load_err("manifest-bad-scopes.yaml");
    let (line, column, m) = invalid(&err);
    assert_eq!((line, column), (4, 5));
    assert_eq!(
        m,
        "item 2 of `scopes` is the number 42: expected a list of strings"
    );
    assert!(err.to_string().contains("manifest-bad-scopes.yaml:4:5: "));

    let cases: &[(&str, (usize, usize), &str)] = &[
        (
            "appName: x\nscopes: boards:read\n",
            (2, 9),
            "`scopes` is the string \"boards:read\": expected a list of strings",
        ),
        (
            "appName: x\nsdkUri:\n  - https://a.example\n",
            (3, 3),
            "`sdkUri` is a list: expected a string",
        ),
        (
            "appName: x\nredirectUris: {a: b}\n",
            (2, 15),
            "`redirectUris` is a mapping: expected a list of strings",
        ),
        (
            "appName: x\nredirectUriForSdk: true\n",
            (2, 20),
            "`redirectUriForSdk` is true: expected a string",
        ),
        (
            "- appName: x\n",
            (1, 1),
            "the manifest is a list: expected a mapping of fields such as appName, scopes and redirectUris",
        ),
    ];
    for (text, pos, expected) in cases {
        let e = parse_manifest(text, Path::new("app-manifest.yaml")).unwrap_err();
        let (line, column, m) = invalid(&e);
        assert_eq!(m, *expected, "for {text:?}");
        assert_eq!((line, column), *pos, "for {text:?}");
        assert_message_style(m);
    }
}

#[test]
fn manifest_syntax_errors_are_one_line_with_a_position() {
    let err = load_err("manifest-syntax-error.yaml");
    let (line, _, m) = invalid(&err);
    assert_eq!(line, 4, "{m}");
    assert!(!m.contains(" at line "), "{m}");
    assert_message_style(m);

    let e =
        parse_manifest("appName: a\nscopes: []\nscopes: []\n", Path::new("m.yaml")).unwrap_err();
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (3, 1), "{m}");
    assert_eq!(
        m,
        "the key \"scopes\" is repeated in the same mapping: expected each key once (remove or \
         merge the repeated entry)"
    );
    assert_message_style(m);
    let text = "appName: a\nicons:\n  colored: \"\"\n  colored: \"\"\n";
    let e = parse_manifest(text, Path::new("m.yaml")).unwrap_err();
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (4, 3), "{m}");
    assert!(
        m.starts_with("icons: the key \"colored\" is repeated in the same mapping"),
        "{m}"
    );

    let e = parse_manifest("appName: a\n---\nappName: b\n", Path::new("m.yaml")).unwrap_err();
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (2, 1), "{m}");
    assert!(m.starts_with("a second yaml document starts here: expected a single manifest"));
    assert_message_style(m);
}

#[test]
fn yaml_without_manifest_fields_is_rejected() {
    let e = parse_manifest("name: x\n", Path::new("m.yaml")).unwrap_err();
    assert!(semantic(&e).starts_with("no manifest fields found"));
    let e =
        parse_manifest("client_id: \"1\"\nredirect_uris: []\n", Path::new("m.yaml")).unwrap_err();
    let m = semantic(&e);
    assert!(
        m.contains("client_id, redirect_uris look like miro-oauth.toml keys"),
        "{m}"
    );
    let e = parse_manifest("", Path::new("m.yaml")).unwrap_err();
    assert!(semantic(&e).starts_with("the manifest is empty"));
}

// ---------------------------------------------------------------- format detection

#[test]
fn format_is_detected_by_content_not_extension() {
    let manifest = fs::read_to_string(fixture("rest-only.yaml")).unwrap();
    let toml = fs::read_to_string(fixture("minimal.toml")).unwrap();
    let c = parse(&manifest, Path::new("miro-oauth.toml")).unwrap();
    assert_eq!(c.format, ConfigFormat::Manifest);
    let c = parse(&toml, Path::new("app-manifest.yaml")).unwrap();
    assert_eq!(c.format, ConfigFormat::Toml);
    assert_eq!(
        detect_format(&manifest, Path::new("config")),
        ConfigFormat::Manifest
    );
    assert_eq!(
        detect_format(&toml, Path::new("config")),
        ConfigFormat::Toml
    );
}

#[test]
fn broken_files_get_the_error_of_the_format_they_resemble() {
    // broken TOML in a .yaml file: a TOML error
    let e = parse("[app]\nclient_id = \"1\nscopes = []\n", Path::new("x.yaml")).unwrap_err();
    assert_eq!(invalid(&e).0, 2);
    assert_eq!(
        detect_format("[app]\nclient_id = \"1\n", Path::new("x.yaml")),
        ConfigFormat::Toml
    );
    // broken manifest in a .toml file: a YAML error
    let text = fs::read_to_string(fixture("manifest-syntax-error.yaml")).unwrap();
    assert_eq!(
        detect_format(&text, Path::new("x.toml")),
        ConfigFormat::Manifest
    );
    let e = parse(&text, Path::new("x.toml")).unwrap_err();
    assert_eq!(invalid(&e).0, 4);
    // nothing to go by: the extension decides
    assert_eq!(
        detect_format("", Path::new("a.yml")),
        ConfigFormat::Manifest
    );
    assert_eq!(detect_format("", Path::new("a.toml")), ConfigFormat::Toml);
    assert_eq!(detect_format("# hi\n", Path::new("a")), ConfigFormat::Toml);
}

// ---------------------------------------------------------------- load

#[test]
fn load_reports_unreadable_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let e = load(&missing).unwrap_err();
    match &e {
        ConfigError::Unreadable { path, reason } => {
            assert!(path.ends_with("nope.toml"));
            assert_message_style(reason);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        load(dir.path()),
        Err(ConfigError::Unreadable { .. })
    ));

    let bad = dir.path().join("bad.toml");
    fs::write(&bad, b"[app]\nclient_id = \"12\xff34\"\n").unwrap();
    let e = load(&bad).unwrap_err();
    let (line, column, m) = invalid(&e);
    assert_eq!((line, column), (2, 16));
    assert!(m.contains("not valid utf-8"), "{m}");
    assert_message_style(m);
}

// ---------------------------------------------------------------- robustness

fn parse_never_panics(text: &str) {
    let _ = parse(text, Path::new("miro-oauth.toml"));
    let _ = parse(text, Path::new("app-manifest.yaml"));
    let _ = parse_toml(text, Path::new("t"));
    let _ = parse_manifest(text, Path::new("m"));
}

#[test]
fn truncated_configs_never_panic() {
    for name in [
        "full.toml",
        "github-appcards.yaml",
        "folded-sdk-uri.yaml",
        "rest-only.yaml",
    ] {
        let text = fs::read_to_string(fixture(name)).unwrap();
        for (i, _) in text.char_indices() {
            parse_never_panics(&text[..i]);
        }
    }
}

#[test]
fn garbage_and_deep_nesting_never_panic() {
    // a fixed pseudo-random byte stream, read lossily as text
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in [1usize, 7, 64, 500, 4096] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        parse_never_panics(&String::from_utf8_lossy(&bytes));
    }
    for text in [
        "\0\0\0",
        "[app]\nscopes = ",
        "[",
        "]]]]",
        "\u{feff}",
        ":",
        "- - - -",
        "&a [*a]",
        "appName: &a x\nscopes: [*a, *b]\n",
        "appName: !!binary aGk=\nscopes: !custom [a]\n",
        "? [a, b]\n: c\nappName: x\n",
        "--- \nappName: a\n---\nappName: b\n",
    ] {
        parse_never_panics(text);
    }
    let deep_toml = format!("[app]\nscopes = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    parse_never_panics(&deep_toml);
    let deep_yaml = format!(
        "appName: x\nscopes: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    parse_never_panics(&deep_yaml);
}

// ---------------------------------------------------------------- discovery

#[test]
fn discovery_finds_the_config_in_a_parent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let deep = root.join("a/b/c");
    fs::create_dir_all(&deep).unwrap();
    fs::write(root.join("a/miro-oauth.toml"), "[app]\n").unwrap();
    let found = discover(None, None, &deep).unwrap();
    assert_eq!(found, root.join("a/miro-oauth.toml"));
    assert!(load(&found).is_ok());
}

#[test]
fn discovery_prefers_the_nearest_directory_then_the_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let sub = root.join("sub");
    fs::create_dir_all(&sub).unwrap();
    fs::write(root.join("miro-oauth.toml"), "[app]\n").unwrap();
    fs::write(sub.join("app-manifest.yml"), "appName: x\n").unwrap();
    fs::write(sub.join(".miro-oauth.toml"), "[app]\n").unwrap();
    assert_eq!(
        discover(None, None, &sub),
        Some(sub.join(".miro-oauth.toml"))
    );
    fs::remove_file(sub.join(".miro-oauth.toml")).unwrap();
    assert_eq!(
        discover(None, None, &sub),
        Some(sub.join("app-manifest.yml"))
    );
    // a directory with a config name is not a config
    fs::remove_file(sub.join("app-manifest.yml")).unwrap();
    fs::create_dir(sub.join("miro-oauth.toml")).unwrap();
    assert_eq!(
        discover(None, None, &sub),
        Some(root.join("miro-oauth.toml"))
    );
    assert_eq!(CONFIG_FILE_NAMES[0], "miro-oauth.toml");
}

#[test]
fn explicit_path_wins_then_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("miro-oauth.toml"), "[app]\n").unwrap();
    let explicit = root.join("elsewhere.toml");
    let from_env = root.join("from-env.yaml");

    // explicit wins over env and search, even when it does not exist (load reports that)
    assert_eq!(
        discover(Some(&explicit), Some(from_env.as_os_str()), root),
        Some(explicit.clone())
    );
    // env wins over the search
    assert_eq!(
        discover(None, Some(from_env.as_os_str()), root),
        Some(from_env.clone())
    );
    // an empty env value counts as unset
    assert_eq!(
        discover(None, Some(OsStr::new("")), root),
        Some(root.join("miro-oauth.toml"))
    );
    assert!(matches!(
        load(&explicit),
        Err(ConfigError::Unreadable { .. })
    ));
}

#[test]
fn discovery_without_a_config_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // only meaningful when no ancestor of the temp dir has a config of its own
    let ancestor_has_one = dir
        .path()
        .ancestors()
        .skip(1)
        .any(|d| CONFIG_FILE_NAMES.iter().any(|n| d.join(n).is_file()));
    if !ancestor_has_one {
        assert_eq!(discover(None, None, dir.path()), None);
    }
}

#[test]
fn error_display_has_path_line_and_column() {
    let e = ConfigError::Invalid {
        path: "miro-oauth.toml".into(),
        position: Position { line: 3, column: 1 },
        message: "x".into(),
    };
    assert_eq!(e.to_string(), "miro-oauth.toml:3:1: x");
}

//! Every error message the tool can print has a test that shows it (hardening issue). Each
//! case runs the real binary (or, where the binary cannot reach a message, the library) and
//! checks the exit code and the parts of the message that matter: the file, the line:column
//! where there is one, and what was expected. Secrets quoted by an input must not come back.
//!
//! Inventory: message source (file:function) → test case(s). Cases in `DOCTOR_CASES` and
//! `LIVE_CASES` run in `doctor_check_redact_errors` / `live_errors`; the others are `#[test]`s,
//! here or, written `unit: file::test`, in the `#[cfg(test)]` module of that source file.
//!
//! src/main.rs:main "miro-oauth: error: {err:#}" → the prefix asserted in the cases below
//! src/cli.rs:run (clap usage errors)   → cli_missing_input, cli_bad_format_value,
//!                                        cli_bad_color_value, cli_unknown_subcommand,
//!                                        cli_unknown_option, exchange_needs_code_or_callback,
//!                                        exchange_code_conflicts_with_callback
//! src/cli.rs:read_input "`-` given twice"          → stdin_given_twice, stdin_twice_with_response
//! src/cli.rs:read_input "-: cannot read stdin"     → stdin_unreadable
//! src/cli.rs:read_input InputError::Unreadable     → input_unreadable (redact)
//! src/cli.rs:input_text "is a directory"          → input_is_directory
//! src/cli.rs:read_stream / read_whole "more than the 32 MiB" (a device, a pipe, --response)
//!                                      → endless_streams_are_refused_at_the_cap, text_input_too_large
//! src/config/load.rs:load "more than 4 MiB", src/project/mod.rs:add_env_file "more than 4 MiB"
//!                                      → endless_streams_are_refused_at_the_cap
//! src/cli.rs:input_text "no such file"             → input_missing_file, redact_input_missing
//! src/cli.rs:options "--now …: not an RFC 3339"    → now_not_rfc3339
//! src/cli.rs:options "unknown rule in --select"    → select_unknown_rule, ignore_unknown_rule
//! src/cli.rs:options "an empty rule id"          → select_empty_id
//! src/cli.rs:rules "`rules` prints human or json"  → rules_format_sarif
//! src/cli.rs:explain "unknown rule" (+did you mean) → explain_typo, explain_unknown
//! src/cli.rs:load_config/check, src/live/commands.rs:load_config
//!                                  "cannot read the current directory" → current_dir_deleted
//! src/cli.rs:config_search_message               → check_no_config, check_no_config_with_scan
//! src/cli.rs:redact "{path}: cannot write"       → redact_output_unwritable, stdout_unwritable
//! src/render/mod.rs:Stdout "stdout: cannot write" (doctor, check, rules, explain, the live
//!                                        commands' output) → stdout_unwritable
//! src/cli.rs:doctor --response InputError::Unreadable → response_missing_file, input_unreadable
//! src/lib.rs:read_file InputError::Unreadable    → input_unreadable (doctor)
//! src/lib.rs:read_file HAR error at line:column  → har_* (files)
//! src/lib.rs:attach_response "no request to attach it to" → response_without_request
//! src/error.rs:InputError::{Unreadable,Parse,Unrecognised}, ConfigError::* → via the cases here
//! src/error.rs:ParseError Display "(at byte N)"  → lib_parse_error_display
//! src/input/detect.rs:to_text NUL / invalid UTF-8 → input_nul_byte, input_invalid_utf8
//! src/input/detect.rs:to_text gzip / zip / invalid UTF-16 → input_gzip, input_zip,
//!                                        input_invalid_utf16
//! src/lib.rs:open_input UTF-16 over 32 MiB        → utf16_input_too_large
//! src/input/detect.rs:parse_input empty / unrecognised → input_blank, input_unrecognised
//! src/input/url.rs:parse_urls not a URL / no URL  → lib_url_errors (unreachable from the CLI)
//! src/input/url.rs:parse_urls whitespace          → url_whitespace
//! src/input/http.rs:header (request, response, --response) → http_bad_header,
//!                                        http_bad_response_header, response_bad_header
//! src/input/http.rs:parse_http empty / no request line → lib_http_errors (unreachable)
//! src/input/http.rs:parse_http no Host header     → http_missing_host
//! src/input/http.rs:parse_response empty / no status line → response_empty, response_not_http
//! src/input/curl/mod.rs:not_curl_message (quoted command, `@curl`) → curl_quoted_whole_command,
//!                                        curl_at_prefix; "not a curl command" → lib_curl_not_curl (unreachable)
//! src/input/curl/mod.rs:parse_curl empty input    → lib_curl_empty (unreachable)
//! src/input/curl/shell.rs:unterminated_quote      → curl_unterminated_single_quote,
//!                                        curl_unterminated_double_quote, curl_ps_unterminated_single_quote
//! src/input/curl/shell.rs:copy_expansion          → curl_unterminated_command_substitution,
//!                                        curl_unterminated_parameter_expansion,
//!                                        curl_ps_unterminated_subexpression
//! src/input/curl/bash.rs:ansi_c / copy_backticks  → curl_unterminated_ansi_c_quote, curl_unterminated_backtick
//! src/input/curl/cmd.rs:split_arg                 → curl_cmd_unterminated_quote
//! src/input/curl/options.rs:parse_args / take_next → curl_no_url, curl_option_missing_argument
//! src/input/curl/build.rs:check_url (empty, unicode dash, whitespace, '-', no host)
//!                                      → curl_empty_url, curl_unicode_dash, curl_url_with_space,
//!                                        curl_url_host_dash, curl_url_no_host
//! src/input/har/mod.rs:document (BOM, HARP '(')   → lib_har_document_errors (unreachable)
//! src/input/har/mod.rs:document (document, no log, no entries, HARP ')', trailing data)
//!                                      → har_harp_empty, har_no_log, har_no_entries,
//!                                        har_harp_unclosed, har_two_documents
//! src/input/har/mod.rs:log / entry / request      → har_log_not_object, har_entries_not_list,
//!                                        har_entry_not_object, har_entry_without_request,
//!                                        har_eof_before_request
//! src/input/har/mod.rs:parse_kept + entry.rs:humanize → har_header_not_object,
//!                                        har_response_is_list, har_headers_string
//! src/input/har/scan.rs:refill / too_large        → lib_har_read_error, lib_har_entry_too_large
//! src/input/har/scan.rs:string_raw eof / literal / key_and_colon / skip_value / object / array
//!                                      → har_unterminated_string, har_bad_literal, har_unquoted_key,
//!                                        har_missing_colon, har_missing_value,
//!                                        har_missing_comma_object, har_truncated,
//!                                        har_missing_comma_array, har_eof_in_document,
//!                                        har_eof_in_entries, har_stdin_truncated
//! src/input/har/scan.rs:string "unexpected …; expected a string" (loose_string, its caller,
//!                                        checks the quote first) → unit: scan.rs::string_refuses_a_non_string
//! src/config/load.rs:load (unreadable, not UTF-8) → config_missing_file, config_not_utf8
//! src/config/toml.rs:FileCtx::syntax_error / plain_syntax_message → toml_syntax,
//!                                        toml_syntax_unquoted_secret, toml_syntax_unterminated_secret
//! src/config/toml.rs:FileCtx::large_integer_message → toml_client_id_too_large
//! src/config/toml.rs:parse_toml (empty, [[app]], `app` not a table, no [app], key is a table)
//!                                      → toml_empty, toml_array_of_app_tables, toml_app_not_table,
//!                                        toml_no_app_table, toml_key_is_table
//! src/config/toml.rs:unknown_top_level            → toml_app_key_outside_table,
//!                                        toml_miro_key_outside_table, toml_unknown_table,
//!                                        toml_unknown_top_level_key
//! src/config/toml.rs:unknown_key                  → toml_typo_key, toml_unknown_key,
//!                                        toml_key_in_wrong_table, toml_miro_unknown_key
//! src/config/toml.rs:FileCtx::miro_entry (bad URL) → toml_miro_url_not_absolute
//! src/config/toml.rs:FileCtx::app_entry / miro_entry unknown-key fallbacks (step 2 of
//!                                        parse_toml rejects the same keys first, with the same
//!                                        text) → unit: toml.rs::entry_fallbacks_reject_unknown_keys
//! src/config/toml.rs:FileCtx::client_id           → toml_client_id_integer, toml_client_id_bool
//! src/config/toml.rs:FileCtx::string (secret masked) → toml_string_wrong_type,
//!                                        toml_client_secret_wrong_type
//! src/config/toml.rs:FileCtx::strings             → toml_list_item_wrong_type, toml_list_is_string,
//!                                        toml_list_wrong_type
//! src/config/toml.rs:FileCtx::boolean             → toml_bool_quoted, toml_bool_wrong_type
//! src/config/manifest.rs:Manifest::yaml_error     → yaml_syntax, yaml_two_documents, yaml_duplicate_key,
//!                                        yaml_alias_bomb
//! src/config/manifest.rs:parse_manifest / no_manifest_keys → yaml_empty, yaml_list, yaml_scalar,
//!                                        yaml_no_manifest_fields, yaml_toml_keys, yaml_toml_key
//! src/config/manifest.rs:Manifest::string / strings → yaml_string_wrong_type,
//!                                        yaml_list_item_wrong_type, yaml_list_wrong_type
//! src/project/mod.rs:add_env_file unreadable      → env_missing_file
//! src/project/scan.rs:scan (missing, not a dir)   → scan_missing_dir, scan_not_a_directory
//! src/project/env.rs:parse                        → env_bad_name, env_missing_equals,
//!                                        env_secret_line_position, env_unterminated_quote,
//!                                        env_text_after_quote
//! src/redact.rs:redact_input (InputError)         → redact_curl_parse_error, redact_har_truncated,
//!                                        redact_har_stdin
//! src/live/commands.rs:load_config / Live::new    → live_no_config, live_bad_config,
//!                                        live_no_client_id, live_base_url_not_absolute,
//!                                        live_base_url_insecure, live_base_url_user_info,
//!                                        live_base_url_fragment, live_base_url_query,
//!                                        live_base_url_bad_with_auth_url_given,
//!                                        live_auth_url_insecure, live_auth_url_not_absolute,
//!                                        live_auth_url_fragment, live_config_api_url_insecure,
//!                                        live_config_api_url_user_info,
//!                                        live_config_auth_url_insecure
//! src/live/commands.rs:Live::new no config dir (store::default_path None) → live_no_config_dir
//!                                        (runs as a uid without a passwd entry: root only)
//! src/live/commands.rs:Live::secret               → live_secret_missing_named,
//!                                        live_secret_missing_default, live_secret_not_utf8
//! src/live/commands.rs:Live::load                 → live_no_stored_tokens, live_tokens_of_other_app
//! src/live/commands.rs:Live::refused (exit 1)     → exchange_refused, refresh_refused,
//!                                        token_info_refused, token_info_refused_expired,
//!                                        revoke_refused, login_exchange_refused
//! src/live/commands.rs:Live::refused "No rule explains this answer" → revoke_refused_without_diagnosis
//! src/live/commands.rs:parse_tokens               → live_token_answer_without_access_token
//! src/live/commands.rs:login_redirect             → login_redirect_uri_unparsable, login_no_loopback_redirect
//! src/live/commands.rs:require_scheme (--redirect-uri, --callback-url without a scheme)
//!                                      → login_redirect_missing_scheme, exchange_redirect_missing_scheme,
//!                                        exchange_callback_url_missing_scheme
//! src/live/commands.rs:exchange_redirect          → exchange_no_redirect_uris, exchange_several_redirect_uris
//! src/live/commands.rs:verdict_message (exit 1)   → exchange_callback_access_denied,
//!                                        exchange_callback_error, exchange_callback_state_mismatch,
//!                                        exchange_callback_state_missing, login_callback_denied,
//!                                        login_callback_state_mismatch, login_callback_without_code
//! src/live/commands.rs:login (timeout, pages)     → login_times_out, login_exchange_unreachable
//! src/live/commands.rs:exchange                   → exchange_code_empty, exchange_callback_url_unparsable,
//!                                        exchange_callback_url_without_code
//! src/live/commands.rs:exchange "give --code CODE or --callback-url URL" (clap's required
//!                                        group answers first) → lib_exchange_without_code_or_callback
//! src/live/commands.rs:refresh                    → refresh_without_refresh_token
//! src/live/commands.rs:token_info                 → token_info_answer_not_json (+ refused above)
//! src/live/commands.rs:random_state "cannot get random bytes for state" (no OS random
//!                                        source; injected) →
//!                                        unit: commands.rs::state_without_random_source_fails
//! src/live/client.rs:EndpointError::{Invalid,Insecure,NotABase} (via Endpoints::checked,
//!                                        which says which URL) → the live_base_url_*,
//!                                        live_auth_url_* and live_config_*_url_* cases above
//! src/live/client.rs:EndpointError::NotConfigured → lib_endpoint_not_configured (unreachable)
//! src/live/client.rs:ClientError (MiroClient::new) → live_client_cannot_start
//! src/live/client.rs:SendError::Build (build_error) → live_token_with_control_character,
//!                                        unit: client.rs::unbuildable_request_is_not_sent
//! src/live/client.rs:TransportError (MiroClient::send) → live_unreachable_exchange,
//!                                        live_unreachable_refresh, live_unreachable_token_info,
//!                                        live_unreachable_revoke_v1, login_exchange_unreachable
//! src/live/callback.rs:listen_addr / CallbackServer::bind / wait → login_redirect_no_host,
//!                                        login_redirect_not_loopback, login_redirect_not_http,
//!                                        login_port_in_use, login_callback_denied (404 page),
//!                                        unit: callback.rs::unreadable_request_url_gets_a_400_page
//! src/live/store.rs:StoreError::Io                → live_token_dir_is_file, live_lock_file_is_dir,
//!                                        live_token_file_is_dir, live_token_file_unwritable,
//!                                        unit: store.rs::promoting_a_pending_file_fails,
//!                                        creating_the_temporary_file_fails,
//!                                        removing_the_token_file_fails,
//!                                        "cannot lock" (flock failing other than would-block;
//!                                        injected; Linux) → unit: store.rs::locking_fails,
//!                                        "cannot fsync the temporary token file" (injected)
//!                                        → unit: store.rs::fsyncing_the_temporary_file_fails
//! src/live/store.rs:StoreError::{Invalid,Persist,LockTimeout} → live_token_file_corrupt,
//!                                        live_token_file_not_replaceable, lib_store_lock_timeout
//!
//! Warnings (`miro-oauth: warning: …`, exit code unchanged) are not errors and not listed.
//!
//! Not covered: none (the three OS failures no test can provoke, random_state, "cannot lock"
//! and "cannot fsync", are injected through a function parameter in their unit tests).
//!
//! Messages that quote input could show a secret from it: the `secret_leak_*` tests pin the
//! seven found (each message now names, not quotes, the part at fault, and the binary masks
//! what still looks like a secret in any error: `secret::mask_text`).

mod stand_in;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// The variable the live configs (`live/*.toml` in [`FILES`]) name as `client_secret_env`.
const SECRET_VAR: &str = "MIRO_ERRORS_TEST_SECRET";
/// The stand-in app's client secret (tests/stand_in), also used in [`FILES`].
const APP_SECRET: &str = "Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA0";
/// The secret parts of the access and refresh tokens in the token files the tests write
/// (after Miro's public `eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_` prefix).
const ACCESS_SECRET: &str = "SecretAccess0123456789abcdefghij";
const REFRESH_SECRET: &str = "SecretRefresh0123456789abcdefghi";
/// An authorization code given on the command line.
const CODE_SECRET: &str = "SecretCode0123456789";

// ---------------------------------------------------------------------------------------------
// Running the binary.

/// The inputs, configs and env files the cases read, by path. They are written into a fresh
/// temp dir per test (see [`inputs`]) rather than kept under `fixtures/`, where
/// tests/registry.rs and tests/fixtures.rs take every directory for a rule's cases.
const FILES: &[(&str, &[u8])] = &[
    ("authorize-with-space.url", b"# the authorize link, pasted with a stray space\nhttps://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901 &state=x\n"),
    ("bad-header-with-token.http", b"GET /v2/boards HTTP/1.1\nHost: api.miro.com\nAuthorization Bearer eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_LeakCheckAccessToken0123\n\n"),
    ("bad-header.http", b"POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type application/x-www-form-urlencoded\n\ngrant_type=authorization_code\n"),
    ("bad-header.response", b"HTTP/1.1 401 Unauthorized\nWWW-Authenticate Bearer\n\n"),
    ("bad-response-header.http", b"GET /v2/boards HTTP/1.1\nHost: api.miro.com\nAuthorization: Bearer x\n\nHTTP/1.1 401 Unauthorized\nContent-Type application/json\n\n{\"status\":401}\n"),
    ("blank.txt", b"  \n\n\t\n"),
    ("empty-url.sh", b"curl '' -d code=abc\n"),
    ("empty.response", b""),
    ("missing-host.http", b"POST /v1/oauth/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=authorization_code&code=abc\n"),
    ("no-entries-to-attach.har", b"{\"log\":{\"entries\":[]}}\n"),
    ("no-url.sh", b"curl -X POST -d grant_type=authorization_code\n"),
    ("not-a-response.txt", b"Unauthorized\n"),
    ("notes.txt", b"The token exchange failed yesterday with 401\n"),
    ("nul-byte.sh", b"curl https://api.miro.com/v1/oauth/token -d code=abc\x00\n"),
    ("option-missing-argument.sh", b"curl https://api.miro.com/v1/oauth/token -H\n"),
    ("pasted-form-body.txt", b"client_secret=Zk3qP9sLmN2xV7bT4wR8\n"),
    ("token-error.json", b"{\"status\":400,\"code\":\"invalidRequest\",\"message\":\"Invalid authorization code\"}\n"),
    ("unicode-dash.sh", b"curl \xe2\x80\x93data code=abc https://api.miro.com/v1/oauth/token\n"),
    ("unterminated-ansi-c-quote.sh", b"curl https://api.miro.com/v1/oauth/token --data-raw $'code=abc\n"),
    ("unterminated-backtick.sh", b"curl https://api.miro.com/v2/boards -H Authorization:`cat token\n"),
    ("unterminated-cmd-quote.cmd", b"curl ^\"https://api.miro.com/v1/oauth/token^\" ^\n  --data-raw ^\"code=abc\n"),
    ("unterminated-command-substitution.sh", b"curl https://api.miro.com/v2/boards -H Authorization:$(cat token\n"),
    ("unterminated-double-quote.sh", b"curl https://api.miro.com/v1/oauth/token -d \"code=abc\n"),
    ("unterminated-parameter-expansion.sh", b"curl https://${MIRO_HOST/v2/boards\n"),
    ("unterminated-ps-single-quote.ps1", b"curl.exe https://api.miro.com/v1/oauth/token -d 'code=abc\n"),
    ("unterminated-ps-subexpression.ps1", b"curl.exe https://api.miro.com/v2/boards -H \"Authorization: Bearer $(Get-Token\"\n"),
    ("unterminated-single-quote.sh", b"curl -X POST https://api.miro.com/v1/oauth/token \\\n  -d 'grant_type=authorization_code\n"),
    ("url-host-dash.sh", b"curl https://api.miro.com/v1/oauth/token -- -d\n"),
    ("url-no-host.sh", b"curl https:///v1/oauth/token\n"),
    ("url-with-space-and-secret.sh", b"curl 'https://api.miro.com /v1/oauth/token?client_secret=Zk3qP9sL' -d grant_type=authorization_code\n"),
    ("url-with-space.sh", b"curl 'content-type: application/json' https://api.miro.com/v1/oauth/token\n"),
    ("config/app-key-outside-table.toml", b"client_id = \"3458764512345678901\"\n\n[app]\nscopes = [\"boards:read\"]\n"),
    ("config/app-not-table.toml", b"app = \"3458764512345678901\"\n"),
    ("config/array-of-app-tables.toml", b"[[app]]\nclient_id = \"3458764512345678901\"\n"),
    ("config/bool-quoted.toml", b"[app]\nclient_id = \"3458764512345678901\"\nexpiring_tokens = \"true\"\n"),
    ("config/bool-wrong-type.toml", b"[app]\nclient_id = \"3458764512345678901\"\nuses_web_sdk = 1\n"),
    ("config/client-id-bool.toml", b"[app]\nclient_id = true\n"),
    ("config/client-id-integer.toml", b"[app]\nclient_id = 3458764512345678\n"),
    ("config/client-id-too-large.toml", b"[app]\nclient_id = 34587645123456789012\n"),
    ("config/client-secret-wrong-type.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret = 86753091234567\n"),
    ("config/duplicate-key.yaml", b"appName: My app\nscopes:\n  - boards:read\nappName: Other app\n"),
    ("config/empty.toml", b"# nothing here yet\n"),
    ("config/empty.yaml", b"# the manifest goes here\n"),
    ("config/key-in-wrong-table.toml", b"[app]\nclient_id = \"3458764512345678901\"\napi_url = \"https://api.miro.com\"\n"),
    ("config/key-is-table.toml", b"[app]\nclient_id = \"3458764512345678901\"\n\n[app.scopes]\nboards = \"read\"\n"),
    ("config/list-is-string.toml", b"[app]\nclient_id = \"3458764512345678901\"\nredirect_uris = \"https://app.example.com/oauth/callback\"\n"),
    ("config/list-item-wrong-type.toml", b"[app]\nclient_id = \"3458764512345678901\"\nscopes = [\"boards:read\", 5]\n"),
    ("config/list-item-wrong-type.yaml", b"appName: My app\nscopes:\n  - boards:read\n  - {boards: write}\n"),
    ("config/list-wrong-type.toml", b"[app]\nclient_id = \"3458764512345678901\"\nscopes = 5\n"),
    ("config/list-wrong-type.yaml", b"appName: My app\nscopes: 5\n"),
    ("config/list.yaml", b"- appName: My app\n- scopes: [boards:read]\n"),
    ("config/miro-key-outside-table.toml", b"api_url = \"https://api.miro.com\"\n\n[app]\nclient_id = \"3458764512345678901\"\n"),
    ("config/miro-unknown-key.toml", b"[app]\nclient_id = \"3458764512345678901\"\n\n[miro]\nbase_url = \"https://api.miro.com\"\n"),
    ("config/miro-url-not-absolute.toml", b"[app]\nclient_id = \"3458764512345678901\"\n\n[miro]\napi_url = \"api.miro.com\"\n"),
    ("config/no-app-table.toml", b"[miro]\napi_url = \"https://api.miro.com\"\n"),
    ("config/no-manifest-fields.yaml", b"name: My app\nversion: 2\n"),
    ("config/not-utf8.toml", b"[app]\nclient_id = \"3458764512345678901\"\nscopes = [\"boards:read\", \"caf\xe9\"]\n"),
    ("config/scalar.yaml", b"My app\n"),
    ("config/string-wrong-type.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = 42\n"),
    ("config/string-wrong-type.yaml", b"appName: My app\nsdkUri:\n  - https://app.example.com\n"),
    ("config/syntax-unquoted-secret.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret = Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA0\n"),
    ("config/syntax-unterminated-secret.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret = \"Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA0\n"),
    ("config/syntax.toml", b"[app\nclient_id = \"3458764512345678901\"\n"),
    ("config/syntax.yaml", b"appName: My app\nscopes: [boards:read\n"),
    ("config/toml-key.yaml", b"app:\n  name: My app\n"),
    ("config/toml-keys.yaml", b"client_id: \"3458764512345678901\"\nredirect_uris:\n  - https://app.example.com/oauth/callback\n"),
    ("config/two-documents.yaml", b"appName: My app\n---\nappName: Other app\n"),
    ("config/alias-bomb.yaml", b"appName: x\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nredirectUris: *g\n"),
    ("config/typo-key.toml", b"[app]\nclient_id = \"3458764512345678901\"\nredirect_uri = [\"https://app.example.com/oauth/callback\"]\n"),
    ("config/unknown-key.toml", b"[app]\nclient_id = \"3458764512345678901\"\nwebhook_url = \"https://app.example.com/hook\"\n"),
    ("config/unknown-table.toml", b"[ap]\nclient_id = \"3458764512345678901\"\n"),
    ("config/unknown-top-level-key.toml", b"name = \"my app\"\n\n[app]\nclient_id = \"3458764512345678901\"\n"),
    ("config/valid.toml", b"[app]\nclient_id = \"3458764512345678901\"\nredirect_uris = [\"https://app.example.com/oauth/callback\"]\nscopes = [\"boards:read\"]\n"),
    ("env/bad-name.env", b"# production\n1MIRO_CLIENT_ID=3458764512345678901\n"),
    ("env/missing-equals.env", b"MIRO_CLIENT_ID 3458764512345678901\n"),
    ("env/secret-after-quote.env", b"MIRO_CLIENT_SECRET=\"Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA0\" Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA1\n"),
    ("env/text-after-quote.env", b"MIRO_REDIRECT_URL=\"https://app.example.com/oauth/callback\" # prod\nMIRO_CLIENT_ID=\"3458764512345678901\" extra\n"),
    ("env/unterminated-quote.env", b"MIRO_REDIRECT_URL=\"https://app.example.com/oauth/callback\n"),
    ("env/yaml-style-secret.env", b"MIRO_CLIENT_ID=3458764512345678901\nMIRO_CLIENT_SECRET: Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA0\n"),
    ("har/bad-literal.har", b"{\"log\":{\"entries\":[],\"pages\":[{\"id\":\"page_1\",\"pageTimings\":{\"onLoad\":tru}}]}}\n"),
    ("har/entries-not-list.har", b"{\"log\":{\"entries\":{}}}\n"),
    ("har/entry-not-object.har", b"{\"log\":{\"entries\":[\"GET https://miro.com/oauth/authorize\"]}}\n"),
    ("har/entry-without-request.har", b"{\"log\":{\"entries\":[\n  {\"startedDateTime\":\"2026-03-02T09:00:00Z\",\"time\":12}\n]}}\n"),
    ("har/eof-before-request.har", b"{\"log\":{\"entries\":[{\"request\":"),
    ("har/eof-in-document.har", b"{"),
    ("har/eof-in-entries.har", b"{\"log\":{\"entries\":["),
    ("har/harp-empty.har", b"onInputData("),
    ("har/harp-unclosed.har", b"onInputData({\"log\":{\"entries\":[]}}\n"),
    ("har/header-not-object.har", b"{\"log\":{\"entries\":[\n{\"request\":{\"method\":\"POST\",\"url\":\"https://api.miro.com/v1/oauth/token\",\"headers\":[5]}}\n]}}\n"),
    ("har/headers-string-with-token.har", b"{\"log\":{\"entries\":[\n{\"request\":{\"method\":\"GET\",\"url\":\"https://api.miro.com/v2/boards\",\"headers\":\"Authorization: Bearer eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_LeakCheckHarToken0123\"}}\n]}}\n"),
    ("har/log-not-object.har", b"{\"log\":[]}\n"),
    ("har/missing-colon.har", b"{\"log\" {\"entries\":[]}}\n"),
    ("har/missing-comma-array.har", b"{\"log\":{\"entries\":[{\"request\":{\"url\":\"https://api.miro.com/v2/boards\",\"headers\":[{\"name\":\"a\",\"value\":\"1\"} {\"name\":\"b\",\"value\":\"2\"}]}}]}}\n"),
    ("har/missing-comma-object.har", b"{\"log\":{\"entries\":[] \"version\":\"1.2\"}}\n"),
    ("har/missing-value.har", b"{\"log\":{\"comment\":,\"entries\":[]}}\n"),
    ("har/no-entries.har", b"{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"WebInspector\",\"version\":\"537.36\"}}}\n"),
    ("har/no-log.har", b"{\"version\":\"1.2\",\"creator\":{\"name\":\"x\"}}\n"),
    ("har/response-is-list.har", b"{\"log\":{\"entries\":[\n{\"request\":{\"method\":\"GET\",\"url\":\"https://api.miro.com/v2/boards\"},\"response\":[]}\n]}}\n"),
    ("har/truncated.har", b"{\"log\":{\"version\":\"1.2\",\"entries\":[{\"request\":{\"method\":\"POST\""),
    ("har/two-documents.har", b"{\"log\":{\"entries\":[]}}\n{\"log\":{\"entries\":[]}}\n"),
    ("har/unquoted-key.har", b"{\"log\":{entries:[]}}\n"),
    ("har/unterminated-string.har", b"{\"log\":{\"entries\":[{\"request\":{\"url\":\"https://miro.com/oauth/auth"),
    ("live/api-url-with-password.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"MIRO_ERRORS_TEST_SECRET\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\n\n[miro]\napi_url = \"https://miro-bot:Hunter2Hunter2@api.miro.com\"\n"),
    ("live/app.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"MIRO_ERRORS_TEST_SECRET\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\nscopes = [\"boards:read\"]\n"),
    ("live/insecure-auth-url.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"MIRO_ERRORS_TEST_SECRET\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\n\n[miro]\nauth_url = \"http://miro.com/oauth/authorize\"\n"),
    ("live/insecure-api-url.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"MIRO_ERRORS_TEST_SECRET\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\n\n[miro]\napi_url = \"http://api.example.com\"\n"),
    ("live/no-client-id.toml", b"[app]\nclient_secret_env = \"MIRO_ERRORS_TEST_SECRET\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\n"),
    ("live/no-redirect-uris.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"MIRO_ERRORS_TEST_SECRET\"\n"),
    ("live/no-secret-env.toml", b"[app]\nclient_id = \"3458764512345678901\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\n"),
    ("live/two-redirect-uris.toml", b"[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"MIRO_ERRORS_TEST_SECRET\"\nredirect_uris = [\n  \"https://app.example.com/oauth/callback\",\n  \"https://staging.example.com/oauth/callback\",\n]\n"),
];

/// A temp dir holding [`FILES`]; the cases run in it, so messages name the files as given.
fn inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in FILES {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// The binary with an environment that cannot leak into the runs: no config from the
/// environment, no secrets, no colour.
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_miro-oauth"));
    c.env_remove("MIRO_OAUTH_CONFIG")
        .env_remove("MIRO_CLIENT_SECRET")
        .env_remove(SECRET_VAR)
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl From<Output> for Out {
    fn from(o: Output) -> Out {
        Out {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `cmd`, writing `stdin` to it when given (a process that exits without reading it is
/// fine).
fn run(mut cmd: Command, stdin: Option<&[u8]>) -> Out {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("run miro-oauth");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let _ = pipe.write_all(bytes);
    }
    child
        .wait_with_output()
        .expect("wait for miro-oauth")
        .into()
}

/// Checks exit code, wanted substrings, secrets and panics; the problems, if any.
fn verdict(
    out: &Out,
    code: i32,
    contains: &[String],
    lacks: &[&str],
    what: &str,
) -> Result<(), String> {
    let mut problems = Vec::new();
    if contains.is_empty() {
        problems.push("the case asserts no message".to_string());
    }
    if out.code != Some(code) {
        problems.push(format!("exit code {:?}, expected {code}", out.code));
    }
    for want in contains {
        if !out.stderr.contains(want.as_str()) {
            problems.push(format!("stderr lacks {want:?}"));
        }
    }
    for secret in lacks {
        if out.stderr.contains(secret) || out.stdout.contains(secret) {
            problems.push(format!("the output shows the secret {secret:?}"));
        }
    }
    if out.stderr.contains("panicked") || out.stderr.contains("RUST_BACKTRACE") {
        problems.push("the tool panicked".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what}: {}\n    stderr: {}",
            problems.join("; "),
            out.stderr.trim_end().replace('\n', "\n            ")
        ))
    }
}

fn assert_out(out: &Out, code: i32, contains: &[&str], lacks: &[&str], what: &str) {
    let contains: Vec<String> = contains.iter().map(|s| s.to_string()).collect();
    if let Err(e) = verdict(out, code, &contains, lacks, what) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// The tables.

/// One run of the binary and what its stderr must say. In `args` and the expected texts,
/// `{name}` is replaced by the value the table's runner gives `name` (temp dirs, ports).
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    stdin: Option<&'static [u8]>,
    expect_code: i32,
    expect_stderr_contains: &'static [&'static str],
    /// Secrets in the input that must not appear on stdout or stderr.
    expect_stderr_lacks: &'static [&'static str],
    /// Variables removed from the table's environment for this case.
    env_remove: &'static [&'static str],
}

const CASE: Case = Case {
    name: "",
    args: &[],
    stdin: None,
    expect_code: 2,
    expect_stderr_contains: &[],
    expect_stderr_lacks: &[],
    env_remove: &[],
};

fn substitute(text: &str, vars: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Runs every case in `dir` and panics with the list of all failing cases.
fn run_table(cases: &[Case], dir: &Path, vars: &[(&str, String)], env: &[(&str, &str)]) {
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for case in cases {
        assert!(names.insert(case.name), "duplicate case name {}", case.name);
        let mut cmd = bin();
        cmd.current_dir(dir);
        cmd.args(case.args.iter().map(|a| substitute(a, vars)));
        for (k, v) in env {
            cmd.env(k, v);
        }
        for k in case.env_remove {
            cmd.env_remove(k);
        }
        let out = run(cmd, case.stdin);
        let contains: Vec<String> = case
            .expect_stderr_contains
            .iter()
            .map(|s| substitute(s, vars))
            .collect();
        if let Err(e) = verdict(
            &out,
            case.expect_code,
            &contains,
            case.expect_stderr_lacks,
            case.name,
        ) {
            failures.push(e);
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} of {} cases failed:\n  {}",
            failures.len(),
            cases.len(),
            failures.join("\n  ")
        );
    }
}

const AUTHORIZE: &str =
    "https://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901";

/// `doctor`, `check`, `redact`, `rules`, `explain` and the config loader, run in a dir
/// holding [`FILES`]; `{dir}` is that dir.
const DOCTOR_CASES: &[Case] = &[
    // --- clap: bad flags are exit 2 with clap's usage message.
    Case {
        name: "cli_missing_input",
        args: &["doctor"],
        expect_stderr_contains: &[
            "error: the following required arguments were not provided:",
            "<INPUT>...",
            "Usage: miro-oauth doctor <INPUT>...",
        ],
        ..CASE
    },
    Case {
        name: "cli_bad_format_value",
        args: &["doctor", AUTHORIZE, "--format", "xml"],
        expect_stderr_contains: &[
            "error: invalid value 'xml' for '--format <FORMAT>'",
            "[possible values: human, json, sarif, github]",
        ],
        ..CASE
    },
    Case {
        name: "cli_bad_color_value",
        args: &["doctor", AUTHORIZE, "--color", "sometimes"],
        expect_stderr_contains: &[
            "error: invalid value 'sometimes' for '--color <WHEN>'",
            "[possible values: auto, always, never]",
        ],
        ..CASE
    },
    Case {
        name: "cli_unknown_subcommand",
        args: &["docter", "token.sh"],
        expect_stderr_contains: &[
            "error: unrecognized subcommand 'docter'",
            "a similar subcommand exists: 'doctor'",
        ],
        ..CASE
    },
    Case {
        name: "cli_unknown_option",
        args: &["doctor", AUTHORIZE, "--verbose"],
        expect_stderr_contains: &["error: unexpected argument '--verbose' found"],
        ..CASE
    },
    // --- src/cli.rs
    Case {
        name: "stdin_given_twice",
        args: &["doctor", "-", "-"],
        stdin: Some(b"https://miro.com/oauth/authorize?response_type=code\n"),
        expect_stderr_contains: &[
            "miro-oauth: error: `-` (stdin) given twice; stdin can be read only once",
        ],
        ..CASE
    },
    Case {
        name: "stdin_twice_with_response",
        args: &["doctor", "-", "--response", "-"],
        stdin: Some(b"https://miro.com/oauth/authorize?response_type=code\n"),
        expect_stderr_contains: &[
            "miro-oauth: error: `-` (stdin) given twice; stdin can be read only once",
        ],
        ..CASE
    },
    Case {
        name: "input_is_directory",
        args: &["doctor", "har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har: is a directory; expected a file with a captured request",
        ],
        ..CASE
    },
    Case {
        name: "input_missing_file",
        args: &["doctor", "token.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: token.sh: no such file; expected a file path, `-` for stdin, or an inline URL or curl command",
        ],
        ..CASE
    },
    Case {
        name: "now_not_rfc3339",
        args: &["doctor", AUTHORIZE, "--now", "yesterday"],
        expect_stderr_contains: &[
            "miro-oauth: error: --now yesterday: not an RFC 3339 time (failed to parse four digit integer as year: invalid digit, expected 0-9 but got y); expected a date, time and UTC offset such as 2026-11-22T10:00:00Z\n",
        ],
        ..CASE
    },
    Case {
        name: "select_empty_id",
        args: &["doctor", AUTHORIZE, "--select", "code-reused,,state-mismatch"],
        expect_stderr_contains: &[
            "miro-oauth: error: --select: an empty rule id (a doubled or trailing comma?); expected rule ids separated by commas, such as --select code-reused,state-mismatch\n",
        ],
        ..CASE
    },
    Case {
        name: "select_unknown_rule",
        args: &["doctor", AUTHORIZE, "--select", "redirect-uri-missmatch"],
        expect_stderr_contains: &[
            "miro-oauth: error: --select redirect-uri-missmatch: unknown rule (did you mean `redirect-uri-mismatch`?); see `miro-oauth rules` for the ids",
        ],
        ..CASE
    },
    Case {
        name: "ignore_unknown_rule",
        args: &["check", "--config", "config/valid.toml", "--ignore", "ALL,scope-unsed"],
        expect_stderr_contains: &[
            "miro-oauth: error: --ignore scope-unsed: unknown rule (did you mean `scope-unused`?)",
        ],
        ..CASE
    },
    Case {
        name: "rules_format_sarif",
        args: &["rules", "--format", "sarif"],
        expect_stderr_contains: &[
            "miro-oauth: error: `rules` prints `human` or `json`; --format sarif and github are for doctor and check",
        ],
        ..CASE
    },
    Case {
        name: "explain_typo",
        args: &["explain", "redirect-uri-missmatch"],
        expect_stderr_contains: &[
            "miro-oauth: error: unknown rule `redirect-uri-missmatch` (did you mean `redirect-uri-mismatch`?); see `miro-oauth rules` for the ids",
        ],
        ..CASE
    },
    Case {
        name: "explain_unknown",
        args: &["explain", "frobnicate"],
        expect_stderr_contains: &[
            "miro-oauth: error: unknown rule `frobnicate`; see `miro-oauth rules` for the ids",
        ],
        ..CASE
    },
    Case {
        name: "check_no_config",
        args: &["check"],
        expect_stderr_contains: &[
            "miro-oauth: error: no app config found: looked for miro-oauth.toml, .miro-oauth.toml, app-manifest.yaml, app-manifest.yml in ",
            "{dir} and its parents (MIRO_OAUTH_CONFIG is not set); `check` needs the app as registered with Miro: give --config FILE",
        ],
        ..CASE
    },
    Case {
        name: "check_no_config_with_scan",
        args: &["check", "--scan", "har"],
        expect_stderr_contains: &[
            "{dir} and its parents, and in har and its parents (MIRO_OAUTH_CONFIG is not set)",
        ],
        ..CASE
    },
    Case {
        name: "redact_output_unwritable",
        args: &["redact", AUTHORIZE, "-o", "no-such-dir/redacted.url"],
        expect_stderr_contains: &[
            "miro-oauth: error: no-such-dir/redacted.url: cannot write: No such file or directory",
        ],
        ..CASE
    },
    Case {
        name: "redact_input_missing",
        args: &["redact", "session.har"],
        expect_stderr_contains: &["miro-oauth: error: session.har: no such file; expected a file path"],
        ..CASE
    },
    Case {
        name: "response_missing_file",
        args: &["doctor", AUTHORIZE, "--response", "response.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: response.json: cannot read: No such file or directory",
        ],
        ..CASE
    },
    // --- src/lib.rs
    Case {
        name: "response_without_request",
        args: &["doctor", "no-entries-to-attach.har", "--response", "token-error.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: token-error.json: a response was given but no request to attach it to; give the request as an INPUT too",
        ],
        ..CASE
    },
    // --- src/input/detect.rs
    Case {
        name: "input_nul_byte",
        args: &["doctor", "nul-byte.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: nul-byte.sh:1:53: ",
            "binary data (a NUL byte); expected text: a curl command, URL, raw HTTP request or HAR file",
        ],
        ..CASE
    },
    Case {
        name: "input_invalid_utf8",
        args: &["doctor", "-"],
        stdin: Some(b"curl https://api.miro.com/v1/oauth/token -d state=caf\xe9\n"),
        expect_stderr_contains: &[
            "miro-oauth: error: -:1:54: invalid UTF-8 (byte 0xe9); expected UTF-8 text (save the input as UTF-8)\n",
        ],
        ..CASE
    },
    Case {
        name: "input_gzip",
        args: &["doctor", "-"],
        stdin: Some(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"),
        expect_stderr_contains: &[
            "miro-oauth: error: -:1:1: gzip-compressed data; expected the uncompressed text: decompress it first (`gunzip -k FILE`, or `gzip -dc FILE | miro-oauth doctor -`)\n",
        ],
        ..CASE
    },
    Case {
        name: "input_zip",
        args: &["redact", "-"],
        stdin: Some(b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
        expect_stderr_contains: &[
            "miro-oauth: error: -:1:1: a zip archive (a zipped HAR, or a Fiddler .saz session); expected the text inside: unzip it and give the .har",
        ],
        ..CASE
    },
    Case {
        name: "input_invalid_utf16",
        args: &["doctor", "-"],
        // `curl x` in UTF-16LE, then a lone high surrogate.
        stdin: Some(b"\xff\xfec\x00u\x00r\x00l\x00 \x00x\x00\n\x00y\x00\x00\xd8"),
        expect_stderr_contains: &[
            "miro-oauth: error: -:2:2: invalid UTF-16 at byte 18 (an unpaired surrogate or an odd byte count); expected UTF-8 or UTF-16 text (save the input as UTF-8)\n",
        ],
        ..CASE
    },
    Case {
        name: "input_blank",
        args: &["doctor", "blank.txt"],
        expect_stderr_contains: &[
            "miro-oauth: error: blank.txt: empty input; expected a curl command, a URL, a raw HTTP request or a HAR file",
        ],
        ..CASE
    },
    Case {
        name: "input_unrecognised",
        args: &["doctor", "notes.txt"],
        expect_stderr_contains: &[
            "miro-oauth: error: notes.txt: unrecognised input starting `The token exchange failed yesterday with`; expected a curl command, a URL (http:// or https://), a raw HTTP request (`POST /path HTTP/1.1`) or a HAR file (JSON)",
        ],
        ..CASE
    },
    // --- src/input/url.rs
    Case {
        name: "url_whitespace",
        args: &["doctor", "authorize-with-space.url"],
        expect_stderr_contains: &[
            "miro-oauth: error: authorize-with-space.url:2:82: ",
            "unexpected whitespace inside a URL; expected one URL per line",
        ],
        ..CASE
    },
    // --- src/input/http.rs
    Case {
        name: "http_missing_host",
        args: &["doctor", "missing-host.http"],
        expect_stderr_contains: &[
            "miro-oauth: error: missing-host.http:1:1: ",
            "the request target is a path but there is no Host header; expected `Host: api.miro.com`",
        ],
        ..CASE
    },
    Case {
        name: "http_bad_header",
        args: &["doctor", "bad-header.http"],
        expect_stderr_contains: &[
            "miro-oauth: error: bad-header.http:3:1: ",
            "expected a header line `Name: value`, found a line starting `Content-Type` with no `:`",
        ],
        ..CASE
    },
    Case {
        name: "http_bad_response_header",
        args: &["doctor", "bad-response-header.http"],
        expect_stderr_contains: &[
            "miro-oauth: error: bad-response-header.http:6:1: ",
            "expected a header line `Name: value`, found a line starting `Content-Type` with no `:`",
        ],
        ..CASE
    },
    Case {
        name: "response_empty",
        args: &["doctor", AUTHORIZE, "--response", "empty.response"],
        expect_stderr_contains: &[
            "miro-oauth: error: empty.response:1:1: ",
            "empty response; expected `HTTP/1.1 401 …` or a JSON body",
        ],
        ..CASE
    },
    Case {
        name: "response_not_http",
        args: &["doctor", AUTHORIZE, "--response", "not-a-response.txt"],
        expect_stderr_contains: &[
            "miro-oauth: error: not-a-response.txt:1:1: ",
            "expected a status line like `HTTP/1.1 401 Unauthorized` or a JSON body",
        ],
        ..CASE
    },
    Case {
        name: "response_bad_header",
        args: &["doctor", AUTHORIZE, "--response", "bad-header.response"],
        expect_stderr_contains: &[
            "miro-oauth: error: bad-header.response:2:1: ",
            "expected a header line `Name: value`, found a line starting `WWW-Authenticate` with no `:`",
        ],
        ..CASE
    },
    // --- src/input/curl
    Case {
        name: "curl_unterminated_single_quote",
        args: &["doctor", "unterminated-single-quote.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-single-quote.sh:2:6: unterminated single quote; expected a closing '",
        ],
        ..CASE
    },
    Case {
        name: "curl_unterminated_double_quote",
        args: &["doctor", "unterminated-double-quote.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-double-quote.sh:1:45: ",
            "unterminated double quote; expected a closing \"",
        ],
        ..CASE
    },
    Case {
        name: "curl_unterminated_ansi_c_quote",
        args: &["doctor", "unterminated-ansi-c-quote.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-ansi-c-quote.sh:1:53: ",
            "unterminated $' quote; expected a closing '",
        ],
        ..CASE
    },
    Case {
        name: "curl_unterminated_backtick",
        args: &["doctor", "unterminated-backtick.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-backtick.sh:1:54: ",
            "unterminated backtick command substitution; expected a closing `",
        ],
        ..CASE
    },
    Case {
        name: "curl_unterminated_command_substitution",
        args: &["doctor", "unterminated-command-substitution.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-command-substitution.sh:1:54: ",
            "unterminated $( expansion; expected a closing )",
        ],
        ..CASE
    },
    Case {
        name: "curl_unterminated_parameter_expansion",
        args: &["doctor", "unterminated-parameter-expansion.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-parameter-expansion.sh:1:14: ",
            "unterminated ${ expansion; expected a closing }",
        ],
        ..CASE
    },
    Case {
        name: "curl_ps_unterminated_single_quote",
        args: &["doctor", "unterminated-ps-single-quote.ps1"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-ps-single-quote.ps1:1:49: ",
            "unterminated single quote; expected a closing '",
        ],
        ..CASE
    },
    Case {
        name: "curl_ps_unterminated_subexpression",
        args: &["doctor", "unterminated-ps-subexpression.ps1"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-ps-subexpression.ps1:1:67: ",
            "unterminated $( subexpression; expected a closing )",
        ],
        ..CASE
    },
    Case {
        name: "curl_cmd_unterminated_quote",
        args: &["doctor", "unterminated-cmd-quote.cmd"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-cmd-quote.cmd:2:15: ",
            "unterminated double quote; expected a closing \" before the end of the command",
        ],
        ..CASE
    },
    Case {
        name: "curl_option_missing_argument",
        args: &["doctor", "option-missing-argument.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: option-missing-argument.sh:1:42: ",
            "option -H requires an argument; expected a value after it",
        ],
        ..CASE
    },
    Case {
        name: "curl_no_url",
        args: &["doctor", "no-url.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: no-url.sh:1:1: ",
            "no url in curl command; expected a url argument or --url <url>",
        ],
        ..CASE
    },
    Case {
        name: "curl_empty_url",
        args: &["doctor", "empty-url.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: empty-url.sh:1:6: ",
            "empty url argument; expected a url such as https://api.miro.com/v1/oauth/token",
        ],
        ..CASE
    },
    Case {
        name: "curl_unicode_dash",
        args: &["doctor", "unicode-dash.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unicode-dash.sh:1:6: ",
            "'–data' starts with a unicode dash, so curl would read it as a url; expected an option starting with an ascii '-'",
        ],
        ..CASE
    },
    Case {
        name: "curl_url_with_space",
        args: &["doctor", "url-with-space.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: url-with-space.sh:1:6: ",
            "invalid url 'content-type: application/json': the host part contains whitespace; expected a url such as https://api.miro.com/v1/oauth/token (is an option missing before this argument?)",
        ],
        ..CASE
    },
    Case {
        name: "curl_url_host_dash",
        args: &["doctor", "url-host-dash.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: url-host-dash.sh:1:45: ",
            "invalid url '-d': host '-d' starts with '-'; expected a url such as https://api.miro.com/v1/oauth/token (is an option mistyped?)",
        ],
        ..CASE
    },
    Case {
        name: "curl_url_no_host",
        args: &["doctor", "url-no-host.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: url-no-host.sh:1:6: ",
            "invalid url 'https:///v1/oauth/token': no host; expected a url such as https://api.miro.com/v1/oauth/token",
        ],
        ..CASE
    },
    Case {
        name: "curl_quoted_whole_command",
        args: &["doctor", "-"],
        stdin: Some(b"\"curl https://api.miro.com/v1/oauth/token\"\n"),
        expect_stderr_contains: &[
            "miro-oauth: error: -:1:1: the whole command is quoted, so a shell would look for a program named 'curl https://api.miro.com/v1/oauth/token'; expected a command starting with curl: remove the quotes around it",
        ],
        ..CASE
    },
    Case {
        name: "curl_at_prefix",
        args: &["doctor", "-"],
        stdin: Some(b"@curl https://api.miro.com/v1/oauth/token\n"),
        expect_stderr_contains: &[
            "miro-oauth: error: -:1:1: a leading `@` hides a command's echo only in a Windows batch file or a Makefile, so a shell would look for a program named '@curl'; expected a command starting with curl: remove the `@`",
        ],
        ..CASE
    },
    // --- src/input/har (files: streamed and placed by src/lib.rs:line_column)
    Case {
        name: "har_truncated",
        args: &["doctor", "har/truncated.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/truncated.har:1:63: ",
            "unexpected end of file inside log.entries[0].request.method; expected ',' or '}'",
        ],
        ..CASE
    },
    Case {
        name: "har_no_log",
        args: &["doctor", "har/no-log.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/no-log.har:1:1: ",
            "no `log` object; expected a HAR document (a JSON object {\"log\": {\"entries\": [...]}})",
        ],
        ..CASE
    },
    Case {
        name: "har_no_entries",
        args: &["doctor", "har/no-entries.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/no-entries.har:1:1: ",
            "`log.entries` is missing; expected a list of entries",
        ],
        ..CASE
    },
    Case {
        name: "har_log_not_object",
        args: &["doctor", "har/log-not-object.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/log-not-object.har:1:8: ",
            "log: unexpected '['; expected an object (`log`)",
        ],
        ..CASE
    },
    Case {
        name: "har_entries_not_list",
        args: &["doctor", "har/entries-not-list.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/entries-not-list.har:1:19: ",
            "log.entries: unexpected '{'; expected a list of entries",
        ],
        ..CASE
    },
    Case {
        name: "har_entry_not_object",
        args: &["doctor", "har/entry-not-object.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/entry-not-object.har:1:20: ",
            "log.entries[0]: unexpected '\"'; expected an entry object",
        ],
        ..CASE
    },
    Case {
        name: "har_entry_without_request",
        args: &["doctor", "har/entry-without-request.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/entry-without-request.har:2:3: ",
            "log.entries[0]: no `request` object; expected an entry with a request (method, url, headers)",
        ],
        ..CASE
    },
    Case {
        name: "har_eof_before_request",
        args: &["doctor", "har/eof-before-request.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/eof-before-request.har:1:31: ",
            "unexpected end of file inside log.entries[0].request; expected a request object",
        ],
        ..CASE
    },
    Case {
        name: "har_two_documents",
        args: &["doctor", "har/two-documents.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/two-documents.har:2:1: ",
            "unexpected '{'; expected the end of the file after the HAR document",
        ],
        ..CASE
    },
    Case {
        name: "har_harp_empty",
        args: &["doctor", "har/harp-empty.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/harp-empty.har:1:13: ",
            "unexpected end of file; expected a HAR document (a JSON object {\"log\": {\"entries\": [...]}})",
        ],
        ..CASE
    },
    Case {
        name: "har_harp_unclosed",
        args: &["doctor", "har/harp-unclosed.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/harp-unclosed.har:2:1: ",
            "unexpected end of file; expected ')' closing the HARP padding",
        ],
        ..CASE
    },
    Case {
        name: "har_header_not_object",
        args: &["doctor", "har/header-not-object.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/header-not-object.har:2:84: ",
            "log.entries[0].request.headers[0]: expected a header object with name and value, found integer `5`",
        ],
        ..CASE
    },
    Case {
        name: "har_response_is_list",
        args: &["doctor", "har/response-is-list.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/response-is-list.har:2:80: ",
            "expected an object or null, found sequence",
        ],
        ..CASE
    },
    Case {
        name: "har_headers_string",
        args: &["doctor", "har/headers-string-with-token.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/headers-string-with-token.har:2:152: ",
            "log.entries[0].request.headers: expected a sequence, found a string",
        ],
        ..CASE
    },
    Case {
        name: "har_unterminated_string",
        args: &["doctor", "har/unterminated-string.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/unterminated-string.har:1:66: ",
            "unexpected end of file inside log.entries[0].request.url; expected '\"' closing the string",
        ],
        ..CASE
    },
    Case {
        name: "har_bad_literal",
        args: &["doctor", "har/bad-literal.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/bad-literal.har:1:70: ",
            "log.pages[0].pageTimings.onLoad: invalid literal; expected a number, true, false or null",
        ],
        ..CASE
    },
    Case {
        name: "har_unquoted_key",
        args: &["doctor", "har/unquoted-key.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/unquoted-key.har:1:9: ",
            "log: unexpected 'e'; expected a key string",
        ],
        ..CASE
    },
    Case {
        name: "har_missing_colon",
        args: &["doctor", "har/missing-colon.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/missing-colon.har:1:8: ",
            "log: unexpected '{'; expected ':' after the key",
        ],
        ..CASE
    },
    Case {
        name: "har_missing_value",
        args: &["doctor", "har/missing-value.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/missing-value.har:1:19: ",
            "log.comment: unexpected ','; expected a value",
        ],
        ..CASE
    },
    Case {
        name: "har_missing_comma_object",
        args: &["doctor", "har/missing-comma-object.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/missing-comma-object.har:1:22: ",
            "unexpected '\"'; expected ',' or '}'",
        ],
        ..CASE
    },
    Case {
        name: "har_missing_comma_array",
        args: &["doctor", "har/missing-comma-array.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/missing-comma-array.har:1:107: ",
            "log.entries[0].request.headers[0]: unexpected '{'; expected ',' or ']'",
        ],
        ..CASE
    },
    Case {
        name: "har_eof_in_document",
        args: &["doctor", "har/eof-in-document.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/eof-in-document.har:1:2: ",
            "unexpected end of file; expected a key string or '}'",
        ],
        ..CASE
    },
    Case {
        name: "har_eof_in_entries",
        args: &["doctor", "har/eof-in-entries.har"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/eof-in-entries.har:1:20: ",
            "unexpected end of file inside log.entries; expected a value or ']'",
        ],
        ..CASE
    },
    Case {
        // Not a file: read whole and placed by ParseError::in_source.
        name: "har_stdin_truncated",
        args: &["doctor", "-"],
        stdin: Some(b"{\"log\":{\"entries\":[\n  {\"request\":{\"method\":\"POST\""),
        expect_stderr_contains: &[
            "miro-oauth: error: -:2:30: ",
            "unexpected end of file inside log.entries[0].request.method; expected ',' or '}'",
        ],
        ..CASE
    },
    // --- src/redact.rs
    Case {
        name: "redact_curl_parse_error",
        args: &["redact", "unterminated-single-quote.sh"],
        expect_stderr_contains: &[
            "miro-oauth: error: unterminated-single-quote.sh:2:6: unterminated single quote; expected a closing '",
        ],
        ..CASE
    },
    Case {
        name: "redact_har_truncated",
        args: &["redact", "har/truncated.har", "--key", "k"],
        expect_stderr_contains: &[
            "miro-oauth: error: har/truncated.har:1:63: ",
            "unexpected end of file inside log.entries[0].request.method; expected ',' or '}'",
        ],
        ..CASE
    },
    Case {
        name: "redact_har_stdin",
        args: &["redact", "-"],
        stdin: Some(b"{\"log\":{\"entries\":["),
        expect_stderr_contains: &[
            "miro-oauth: error: -:1:20: ",
            "unexpected end of file inside log.entries; expected a value or ']'",
        ],
        ..CASE
    },
    // --- src/config/load.rs
    Case {
        name: "config_missing_file",
        args: &["doctor", AUTHORIZE, "--config", "config/missing.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/missing.toml: cannot read config: no such file or directory",
        ],
        ..CASE
    },
    Case {
        name: "config_not_utf8",
        args: &["doctor", AUTHORIZE, "--config", "config/not-utf8.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/not-utf8.toml:3:30: the file is not valid utf-8 (byte 0xe9): expected a utf-8 text file, miro-oauth.toml or Miro's app manifest yaml\n",
        ],
        ..CASE
    },
    // --- src/config/toml.rs
    Case {
        name: "toml_syntax",
        args: &["doctor", AUTHORIZE, "--config", "config/syntax.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/syntax.toml:1:5: invalid table header: expected a table name closed by `]` on the same line, as in [app]",
        ],
        ..CASE
    },
    Case {
        name: "toml_syntax_unquoted_secret",
        args: &["check", "--config", "config/syntax-unquoted-secret.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/syntax-unquoted-secret.toml:3:17: invalid value: expected a quoted string (\"…\"), true or false, a number, an array [ … ] or an inline table { … } (text must be quoted)",
        ],
        expect_stderr_lacks: &[APP_SECRET],
        ..CASE
    },
    Case {
        name: "toml_syntax_unterminated_secret",
        args: &["check", "--config", "config/syntax-unterminated-secret.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/syntax-unterminated-secret.toml:3:50: unterminated string: expected a closing `\"` before the end of the line",
        ],
        expect_stderr_lacks: &[APP_SECRET],
        ..CASE
    },
    Case {
        name: "toml_client_id_too_large",
        args: &["check", "--config", "config/client-id-too-large.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/client-id-too-large.toml:2:13: ",
            "client_id 34587645123456789012 is too large for a toml integer",
            "expected a quoted string, client_id = \"34587645123456789012\"",
        ],
        ..CASE
    },
    Case {
        name: "toml_empty",
        args: &["check", "--config", "config/empty.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/empty.toml: the config is empty: expected an [app] table with client_id, redirect_uris and scopes",
        ],
        ..CASE
    },
    Case {
        name: "toml_array_of_app_tables",
        args: &["check", "--config", "config/array-of-app-tables.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/array-of-app-tables.toml:1:3: ",
            "found an array of tables [[app]]: expected a single [app] table",
        ],
        ..CASE
    },
    Case {
        name: "toml_app_not_table",
        args: &["check", "--config", "config/app-not-table.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/app-not-table.toml:1:1: ",
            "`app` is the string \"3458764512345678901\": expected a table, written [app] on its own line",
        ],
        ..CASE
    },
    Case {
        name: "toml_app_key_outside_table",
        args: &["check", "--config", "config/app-key-outside-table.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/app-key-outside-table.toml:1:1: ",
            "`client_id` is outside any table: expected it under [app]",
        ],
        ..CASE
    },
    Case {
        name: "toml_miro_key_outside_table",
        args: &["check", "--config", "config/miro-key-outside-table.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/miro-key-outside-table.toml:1:1: ",
            "`api_url` is outside any table: expected it under [miro]",
        ],
        ..CASE
    },
    Case {
        name: "toml_unknown_table",
        args: &["check", "--config", "config/unknown-table.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/unknown-table.toml:1:2: ",
            "unknown table [ap]; did you mean [app]? expected an [app] table and optionally [miro]",
        ],
        ..CASE
    },
    Case {
        name: "toml_unknown_top_level_key",
        args: &["check", "--config", "config/unknown-top-level-key.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/unknown-top-level-key.toml:1:1: ",
            "unknown key `name` outside any table: expected an [app] table and optionally [miro]",
        ],
        ..CASE
    },
    Case {
        name: "toml_no_app_table",
        args: &["check", "--config", "config/no-app-table.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/no-app-table.toml: no [app] table: expected an [app] table with client_id, redirect_uris and scopes",
        ],
        ..CASE
    },
    Case {
        name: "toml_typo_key",
        args: &["doctor", AUTHORIZE, "--config", "config/typo-key.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/typo-key.toml:3:1: ",
            "unknown key `redirect_uri` in [app]; did you mean `redirect_uris`? valid keys: client_id, client_secret_env, client_secret, redirect_uris, sdk_redirect_uri, scopes, expiring_tokens, uses_web_sdk, sdk_uri",
        ],
        ..CASE
    },
    Case {
        name: "toml_unknown_key",
        args: &["check", "--config", "config/unknown-key.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/unknown-key.toml:3:1: ",
            "unknown key `webhook_url` in [app]; valid keys: client_id,",
        ],
        ..CASE
    },
    Case {
        name: "toml_key_in_wrong_table",
        args: &["check", "--config", "config/key-in-wrong-table.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/key-in-wrong-table.toml:3:1: ",
            "`api_url` belongs in [miro], not [app]; valid keys in [app]: client_id,",
        ],
        ..CASE
    },
    Case {
        name: "toml_key_is_table",
        args: &["check", "--config", "config/key-is-table.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/key-is-table.toml:4:6: ",
            "`scopes` is a table: expected a list of strings",
        ],
        ..CASE
    },
    Case {
        name: "toml_miro_url_not_absolute",
        args: &["check", "--config", "config/miro-url-not-absolute.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/miro-url-not-absolute.toml:5:11: ",
            "`api_url` is the string \"api.miro.com\": expected an absolute http(s) url such as https://api.miro.com",
        ],
        ..CASE
    },
    Case {
        name: "toml_miro_unknown_key",
        args: &["check", "--config", "config/miro-unknown-key.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/miro-unknown-key.toml:5:1: ",
            "unknown key `base_url` in [miro]; valid keys: auth_url, api_url",
        ],
        ..CASE
    },
    Case {
        name: "toml_client_id_integer",
        args: &["check", "--config", "config/client-id-integer.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/client-id-integer.toml:2:13: ",
            "`client_id` is the integer 3458764512345678: expected a quoted string, client_id = \"3458764512345678\"",
        ],
        ..CASE
    },
    Case {
        name: "toml_client_id_bool",
        args: &["check", "--config", "config/client-id-bool.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/client-id-bool.toml:2:13: ",
            "`client_id` is true: expected a quoted string such as client_id = \"3458764512345678901\"",
        ],
        ..CASE
    },
    Case {
        name: "toml_string_wrong_type",
        args: &["check", "--config", "config/string-wrong-type.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/string-wrong-type.toml:3:21: ",
            "`client_secret_env` is the integer 42: expected a quoted string",
        ],
        ..CASE
    },
    Case {
        name: "toml_client_secret_wrong_type",
        args: &["check", "--config", "config/client-secret-wrong-type.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/client-secret-wrong-type.toml:3:17: ",
            "`client_secret` is an integer: expected a quoted string",
        ],
        expect_stderr_lacks: &["86753091234567"],
        ..CASE
    },
    Case {
        name: "toml_list_item_wrong_type",
        args: &["check", "--config", "config/list-item-wrong-type.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/list-item-wrong-type.toml:3:26: ",
            "item 2 of `scopes` is the integer 5: expected a list of strings",
        ],
        ..CASE
    },
    Case {
        name: "toml_list_is_string",
        args: &["check", "--config", "config/list-is-string.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/list-is-string.toml:3:17: ",
            "`redirect_uris` is a single string: expected a list of strings, redirect_uris = [\"https://app.example.com/oauth/callback\"]",
        ],
        ..CASE
    },
    Case {
        name: "toml_list_wrong_type",
        args: &["check", "--config", "config/list-wrong-type.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/list-wrong-type.toml:3:10: ",
            "`scopes` is the integer 5: expected a list of strings",
        ],
        ..CASE
    },
    Case {
        name: "toml_bool_quoted",
        args: &["check", "--config", "config/bool-quoted.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/bool-quoted.toml:3:19: ",
            "`expiring_tokens` is the string \"true\": expected true or false, without quotes",
        ],
        ..CASE
    },
    Case {
        name: "toml_bool_wrong_type",
        args: &["check", "--config", "config/bool-wrong-type.toml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/bool-wrong-type.toml:3:16: ",
            "`uses_web_sdk` is the integer 1: expected true or false",
        ],
        ..CASE
    },
    // --- src/config/manifest.rs
    Case {
        name: "yaml_syntax",
        args: &["check", "--config", "config/syntax.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/syntax.yaml:3:1: ",
            "did not find expected ',' or ']', while parsing a flow sequence",
        ],
        ..CASE
    },
    Case {
        name: "yaml_two_documents",
        args: &["check", "--config", "config/two-documents.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/two-documents.yaml:2:1: a second yaml document starts here: expected a single manifest (one yaml document, with no `---` or `...` line after its content)",
        ],
        ..CASE
    },
    Case {
        name: "yaml_duplicate_key",
        args: &["check", "--config", "config/duplicate-key.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/duplicate-key.yaml:4:1: the key \"appName\" is repeated in the same mapping: expected each key once",
        ],
        ..CASE
    },
    Case {
        name: "yaml_alias_bomb",
        args: &["check", "--config", "config/alias-bomb.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/alias-bomb.yaml:3:8: too many alias expansions (`*name` references that repeat anchored content many times over, a \"billion laughs\" document); expected a manifest that repeats little or no anchored content\n",
        ],
        ..CASE
    },
    Case {
        name: "yaml_empty",
        args: &["check", "--config", "config/empty.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/empty.yaml: the manifest is empty: expected Miro's app manifest with appName, scopes and redirectUris",
        ],
        ..CASE
    },
    Case {
        name: "yaml_list",
        args: &["check", "--config", "config/list.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/list.yaml:1:1: ",
            "the manifest is a list: expected a mapping of fields such as appName, scopes and redirectUris",
        ],
        ..CASE
    },
    Case {
        name: "yaml_scalar",
        args: &["check", "--config", "config/scalar.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/scalar.yaml:1:1: ",
            "the manifest is the string \"My app\": expected a mapping of fields such as appName, scopes and redirectUris",
        ],
        ..CASE
    },
    Case {
        name: "yaml_no_manifest_fields",
        args: &["check", "--config", "config/no-manifest-fields.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/no-manifest-fields.yaml: no manifest fields found: expected Miro's app manifest with fields such as appName, sdkVersion, sdkUri, scopes, redirectUris, redirectUriForSdk, boardPicker, icons",
        ],
        ..CASE
    },
    Case {
        name: "yaml_toml_keys",
        args: &["check", "--config", "config/toml-keys.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/toml-keys.yaml: no manifest fields found, but client_id, redirect_uris look like miro-oauth.toml keys: write them as toml under [app] (client_id = \"…\"), or use the manifest fields appName,",
        ],
        ..CASE
    },
    Case {
        name: "yaml_toml_key",
        args: &["check", "--config", "config/toml-key.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/toml-key.yaml: no manifest fields found, but app looks like a miro-oauth.toml key: write it as toml under [app]",
        ],
        ..CASE
    },
    Case {
        name: "yaml_string_wrong_type",
        args: &["check", "--config", "config/string-wrong-type.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/string-wrong-type.yaml:3:3: ",
            "`sdkUri` is a list: expected a string",
        ],
        ..CASE
    },
    Case {
        name: "yaml_list_item_wrong_type",
        args: &["check", "--config", "config/list-item-wrong-type.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/list-item-wrong-type.yaml:4:5: ",
            "item 2 of `scopes` is a mapping: expected a list of strings",
        ],
        ..CASE
    },
    Case {
        name: "yaml_list_wrong_type",
        args: &["check", "--config", "config/list-wrong-type.yaml"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/list-wrong-type.yaml:2:9: ",
            "`scopes` is the number 5: expected a list of strings",
        ],
        ..CASE
    },
    // --- src/project
    Case {
        name: "env_missing_file",
        args: &["check", "--config", "config/valid.toml", "--env", "env/production.env"],
        expect_stderr_contains: &[
            "miro-oauth: error: env/production.env: cannot read --env file: No such file or directory",
        ],
        ..CASE
    },
    Case {
        name: "scan_missing_dir",
        args: &["check", "--config", "config/valid.toml", "--scan", "no-such-src"],
        expect_stderr_contains: &[
            "miro-oauth: error: no-such-src: cannot read --scan directory: No such file or directory",
        ],
        ..CASE
    },
    Case {
        name: "scan_not_a_directory",
        args: &["check", "--config", "config/valid.toml", "--scan", "notes.txt"],
        expect_stderr_contains: &[
            "miro-oauth: error: notes.txt: cannot read --scan directory: not a directory",
        ],
        ..CASE
    },
    Case {
        name: "env_bad_name",
        args: &["check", "--config", "config/valid.toml", "--env", "env/bad-name.env"],
        expect_stderr_contains: &[
            "miro-oauth: error: env/bad-name.env:2:1: ",
            "expected `NAME=value` (a variable name of letters, digits and `_`), found `1MIRO_CLIENT_ID=3458764512345678901`",
        ],
        ..CASE
    },
    Case {
        name: "env_missing_equals",
        args: &["check", "--config", "config/valid.toml", "--env", "env/missing-equals.env"],
        expect_stderr_contains: &[
            "miro-oauth: error: env/missing-equals.env:1:16: ",
            "expected `=` after `MIRO_CLIENT_ID`, found `3`",
        ],
        ..CASE
    },
    Case {
        name: "env_unterminated_quote",
        args: &["check", "--config", "config/valid.toml", "--env", "env/unterminated-quote.env"],
        expect_stderr_contains: &[
            "miro-oauth: error: env/unterminated-quote.env:1:19: ",
            "unterminated \" quote in the value of `MIRO_REDIRECT_URL`; expected a closing \"",
        ],
        ..CASE
    },
    Case {
        name: "env_text_after_quote",
        args: &["check", "--config", "config/valid.toml", "--env", "env/text-after-quote.env"],
        expect_stderr_contains: &[
            "miro-oauth: error: env/text-after-quote.env:2:37: ",
            "unexpected text after the quoted value of `MIRO_CLIENT_ID`; expected the end of the line or a `#` comment",
        ],
        ..CASE
    },
    Case {
        name: "env_secret_line_position",
        args: &["check", "--config", "config/valid.toml", "--env", "env/yaml-style-secret.env"],
        expect_stderr_contains: &[
            "miro-oauth: error: env/yaml-style-secret.env:2:19: ",
            "expected `=` after `MIRO_CLIENT_SECRET`",
        ],
        ..CASE
    },
];

#[test]
fn doctor_check_redact_errors() {
    let dir = inputs();
    let vars = [("dir", dir.path().display().to_string())];
    run_table(DOCTOR_CASES, dir.path(), &vars, &[]);
}

/// The live commands, run in a dir holding [`FILES`] (configs under `live/`)
/// and `{SECRET_VAR}` set to the app's secret. `{tmp}` is a temp dir holding token files,
/// `{closed}` a loopback URL nothing listens on, `{standin}` the stand-in Miro,
/// `{canned}` a server answering 200 with bodies that are not what was asked for, `{issuer}`
/// one answering every token request with a fresh token, `{busy}` a port in use.
const LIVE_CASES: &[Case] = &[
    Case {
        name: "exchange_needs_code_or_callback",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "error: the following required arguments were not provided:",
            "<--code <CODE>|--callback-url <URL>>",
        ],
        ..CASE
    },
    Case {
        name: "exchange_code_conflicts_with_callback",
        args: &["exchange", "--config", "live/app.toml", "--code", "a", "--callback-url", "http://127.0.0.1:3000/callback?code=a"],
        expect_stderr_contains: &[
            "error: the argument '--code <CODE>' cannot be used with '--callback-url <URL>'",
        ],
        ..CASE
    },
    // --- src/live/commands.rs: Live::new
    Case {
        name: "live_no_config",
        args: &["token-info", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: no app config found: looked for miro-oauth.toml, .miro-oauth.toml, app-manifest.yaml, app-manifest.yml in ",
            "live commands need the app's client_id, client_secret_env and redirect_uris: give --config FILE or create miro-oauth.toml with an [app] table",
        ],
        ..CASE
    },
    Case {
        name: "live_bad_config",
        args: &["refresh", "--config", "config/typo-key.toml", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: config/typo-key.toml:3:1: unknown key `redirect_uri` in [app]; did you mean `redirect_uris`?",
        ],
        ..CASE
    },
    Case {
        name: "live_no_client_id",
        args: &["token-info", "--config", "live/no-client-id.toml", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: live/no-client-id.toml: no client_id in [app]; live commands need the app's Client ID (from the app settings page), e.g. client_id = \"3458764512345678901\"",
        ],
        ..CASE
    },
    Case {
        name: "live_base_url_not_absolute",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "api.miro.com"],
        expect_stderr_contains: &[
            "miro-oauth: error: --base-url: api.miro.com: not an absolute URL; expected e.g. https://api.miro.com\n",
        ],
        ..CASE
    },
    Case {
        name: "live_base_url_insecure",
        args: &["refresh", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "http://api.example.com"],
        expect_stderr_contains: &[
            "miro-oauth: error: --base-url: http://api.example.com/: credentials go over https only (plain http is allowed to loopback hosts such as 127.0.0.1 or localhost, for local stand-ins); expected an https:// URL",
        ],
        ..CASE
    },
    Case {
        name: "live_base_url_user_info",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "https://miro-bot@api.miro.com"],
        expect_stderr_contains: &[
            "miro-oauth: error: --base-url: https://miro-bot@api.miro.com: user info in the URL; expected a plain base URL such as https://api.miro.com",
        ],
        ..CASE
    },
    Case {
        name: "live_base_url_fragment",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "https://api.miro.com/#v2"],
        expect_stderr_contains: &[
            "miro-oauth: error: --base-url: https://api.miro.com/#v2: a #fragment; expected a plain base URL such as https://api.miro.com",
        ],
        ..CASE
    },
    Case {
        name: "live_base_url_query",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "https://api.miro.com/?region=eu"],
        expect_stderr_contains: &[
            "miro-oauth: error: --base-url: https://api.miro.com/?region=eu: a ?query; expected a plain base URL such as https://api.miro.com",
        ],
        ..CASE
    },
    Case {
        name: "live_auth_url_insecure",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--auth-url", "ftp://miro.com/oauth/authorize"],
        expect_stderr_contains: &[
            "miro-oauth: error: --auth-url: ftp://miro.com/oauth/authorize: credentials go over https only",
        ],
        ..CASE
    },
    Case {
        name: "live_auth_url_not_absolute",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "https://api.miro.com", "--auth-url", "miro.com/oauth/authorize"],
        expect_stderr_contains: &[
            "miro-oauth: error: --auth-url: miro.com/oauth/authorize: not an absolute URL; expected e.g. https://miro.com/oauth/authorize\n",
        ],
        ..CASE
    },
    Case {
        name: "live_auth_url_fragment",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--auth-url", "https://miro.com/oauth/authorize#x"],
        expect_stderr_contains: &[
            "miro-oauth: error: --auth-url: https://miro.com/oauth/authorize#x: a #fragment; expected a plain URL such as https://miro.com/oauth/authorize\n",
        ],
        ..CASE
    },
    Case {
        name: "live_base_url_bad_with_auth_url_given",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--auth-url", "https://miro.com/oauth/authorize", "--base-url", "http://api.example.com"],
        expect_stderr_contains: &[
            "miro-oauth: error: --base-url: http://api.example.com/: credentials go over https only",
        ],
        ..CASE
    },
    Case {
        name: "live_config_auth_url_insecure",
        args: &["login", "--no-browser", "--config", "live/insecure-auth-url.toml", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: [miro] auth_url in live/insecure-auth-url.toml: http://miro.com/oauth/authorize: credentials go over https only",
        ],
        ..CASE
    },
    Case {
        name: "live_config_api_url_insecure",
        args: &["token-info", "--config", "live/insecure-api-url.toml", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: [miro] api_url in live/insecure-api-url.toml: http://api.example.com/: credentials go over https only",
        ],
        ..CASE
    },
    Case {
        name: "live_config_api_url_user_info",
        args: &["token-info", "--config", "live/api-url-with-password.toml", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: [miro] api_url in live/api-url-with-password.toml: ",
            "user info in the URL; expected a plain base URL such as https://api.miro.com",
        ],
        ..CASE
    },
    // --- Live::secret
    Case {
        name: "live_secret_missing_named",
        args: &["refresh", "--config", "live/app.toml", "--token-file", "{tmp}/good.json"],
        env_remove: &[SECRET_VAR],
        expect_stderr_contains: &[
            "miro-oauth: error: the client secret is not in the environment: MIRO_ERRORS_TEST_SECRET is not set (named by client_secret_env in live/app.toml); expected the app's Client secret from the app settings page, e.g. `export MIRO_ERRORS_TEST_SECRET=…`",
        ],
        ..CASE
    },
    Case {
        name: "live_secret_missing_default",
        args: &["exchange", "--config", "live/no-secret-env.toml", "--token-file", "{tmp}/t.json", "--code", "abc"],
        expect_stderr_contains: &[
            "miro-oauth: error: the client secret is not in the environment: MIRO_CLIENT_SECRET is not set (the default, as live/no-secret-env.toml has no client_secret_env)",
        ],
        ..CASE
    },
    // --- Live::load and the token store
    Case {
        name: "live_no_stored_tokens",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/none/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/none/t.json: no stored tokens; expected the file written by `miro-oauth login` or `miro-oauth exchange` (run one of them first, or give --token-file PATH)",
        ],
        ..CASE
    },
    Case {
        name: "live_tokens_of_other_app",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/other-app.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/other-app.json: holds tokens of the app with client_id 3458764500000000000, but the config's client_id is 3458764512345678901; expected this app's tokens (give --token-file for them)",
        ],
        expect_stderr_lacks: &[ACCESS_SECRET],
        ..CASE
    },
    Case {
        name: "live_token_file_corrupt",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/corrupt.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/corrupt.json: not a miro-oauth token file (EOF while parsing a string at line 1 column 56); expected the JSON written by `miro-oauth login`",
        ],
        expect_stderr_lacks: &["SecretAc"],
        ..CASE
    },
    Case {
        name: "live_token_file_is_dir",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/token-dir.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/token-dir.json: cannot read the token file: Is a directory",
        ],
        ..CASE
    },
    Case {
        name: "live_token_dir_is_file",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/not-a-dir/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/not-a-dir: cannot create the token directory: File exists",
        ],
        ..CASE
    },
    Case {
        name: "live_lock_file_is_dir",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/locked/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/locked/t.json.lock: cannot open the lock file: Is a directory",
        ],
        // The OS error once, not twice.
        expect_stderr_lacks: &["(os error 21): Is a directory"],
        ..CASE
    },
    Case {
        name: "live_token_file_not_replaceable",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/occupied.json", "--base-url", "{issuer}", "--code", CODE_SECRET],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/occupied.json: cannot replace the token file; the new tokens are kept in {tmp}/.occupied.json.",
            ".pending, and the next miro-oauth run promotes them: ",
        ],
        expect_stderr_lacks: &[CODE_SECRET, APP_SECRET, "IssuedAccess"],
        ..CASE
    },
    Case {
        name: "refresh_without_refresh_token",
        args: &["refresh", "--config", "live/app.toml", "--token-file", "{tmp}/no-refresh.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: {tmp}/no-refresh.json: no refresh token is stored; the app uses non-expiring tokens",
        ],
        expect_stderr_lacks: &[ACCESS_SECRET],
        ..CASE
    },
    // --- login: the redirect URI and the callback server
    Case {
        name: "login_redirect_uri_unparsable",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--redirect-uri", "/callback"],
        expect_stderr_contains: &[
            "miro-oauth: error: --redirect-uri /callback: relative URL without a base; expected e.g. http://localhost:3000/callback",
        ],
        ..CASE
    },
    Case {
        name: "login_no_loopback_redirect",
        args: &["login", "--no-browser", "--config", "live/two-redirect-uris.toml", "--token-file", "{tmp}/t.json"],
        expect_stderr_contains: &[
            "miro-oauth: error: live/two-redirect-uris.toml: no loopback redirect URI in redirect_uris (https://app.example.com/oauth/callback, https://staging.example.com/oauth/callback); `login` listens on one",
        ],
        ..CASE
    },
    Case {
        name: "login_redirect_missing_scheme",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--redirect-uri", "localhost:3000/callback"],
        expect_stderr_contains: &[
            "miro-oauth: error: --redirect-uri localhost:3000/callback: the scheme is missing (the URL parser finds no host in it); expected an absolute URL such as http://localhost:3000/callback\n",
        ],
        ..CASE
    },
    Case {
        name: "login_redirect_no_host",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--redirect-uri", "file:///tmp/callback"],
        expect_stderr_contains: &[
            "miro-oauth: error: redirect URI file:///tmp/callback: it has no host; `login` listens on a loopback redirect URI such as http://127.0.0.1:3000/callback",
        ],
        ..CASE
    },
    Case {
        name: "login_redirect_not_loopback",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--redirect-uri", "http://app.example.com/oauth/callback"],
        expect_stderr_contains: &[
            "miro-oauth: error: redirect URI http://app.example.com/oauth/callback: its host is not loopback (localhost, 127.0.0.1 or [::1])",
        ],
        ..CASE
    },
    Case {
        name: "login_redirect_not_http",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--redirect-uri", "https://localhost:3000/callback"],
        expect_stderr_contains: &[
            "miro-oauth: error: redirect URI https://localhost:3000/callback: it is not plain http (a local server has no certificate the browser trusts)",
        ],
        ..CASE
    },
    Case {
        name: "login_port_in_use",
        args: &["login", "--no-browser", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--redirect-uri", "http://127.0.0.1:{busy}/callback"],
        expect_stderr_contains: &[
            "miro-oauth: error: cannot listen on 127.0.0.1:{busy} for the callback: Address already in use",
            "expected the redirect URI's port to be free",
        ],
        ..CASE
    },
    // --- exchange
    Case {
        name: "exchange_code_empty",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--code", " "],
        expect_stderr_contains: &[
            "miro-oauth: error: --code is empty; expected the code from the callback URL",
        ],
        ..CASE
    },
    Case {
        name: "exchange_redirect_missing_scheme",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--code", CODE_SECRET, "--redirect-uri", "127.0.0.1:3000/callback"],
        expect_stderr_contains: &[
            "miro-oauth: error: --redirect-uri 127.0.0.1:3000/callback: the scheme is missing (the URL parser finds no host in it); expected an absolute URL such as http://127.0.0.1:3000/callback\n",
        ],
        expect_stderr_lacks: &[CODE_SECRET],
        ..CASE
    },
    Case {
        name: "exchange_callback_url_missing_scheme",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--callback-url", "localhost:3000/callback?code=SecretCode0123456789&state=abc"],
        expect_stderr_contains: &[
            "miro-oauth: error: --callback-url: the scheme is missing (the URL parser finds no host in it); expected the full URL the browser was redirected to, such as http://localhost:3000/callback?code=…&state=…\n",
        ],
        expect_stderr_lacks: &[CODE_SECRET],
        ..CASE
    },
    Case {
        name: "exchange_callback_url_unparsable",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--callback-url", "callback?code=abc"],
        expect_stderr_contains: &[
            "miro-oauth: error: --callback-url: relative URL without a base; expected the full URL the browser was redirected to, e.g. http://localhost:3000/callback?code=…&state=…",
        ],
        ..CASE
    },
    Case {
        name: "exchange_callback_url_without_code",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--callback-url", "http://127.0.0.1:3000/callback?state=abc"],
        expect_stderr_contains: &[
            "miro-oauth: error: --callback-url has no code parameter; expected the URL Miro redirected to, with code and state",
        ],
        ..CASE
    },
    Case {
        name: "exchange_callback_access_denied",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--callback-url", "http://127.0.0.1:3000/callback?error=access_denied&error_description=The+user+has+denied+access&state=s1"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: authorization failed: The callback carried error=access_denied (The user has denied access): the consent was denied on Miro's screen; run login again and choose Allow.",
        ],
        ..CASE
    },
    Case {
        name: "exchange_callback_error",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--callback-url", "http://127.0.0.1:3000/callback?error=invalid_request&state=s1"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: authorization failed: The callback carried error=invalid_request: Miro did not issue a code; the description says why.",
        ],
        ..CASE
    },
    Case {
        name: "exchange_callback_state_mismatch",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--state", "mine", "--callback-url", "http://127.0.0.1:3000/callback?code=SecretCode0123456789&state=forged"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: state mismatch: The callback's state differs from the one this login sent: it belongs to another login attempt or was forged. The code was not used",
        ],
        expect_stderr_lacks: &[CODE_SECRET],
        ..CASE
    },
    Case {
        name: "exchange_callback_state_missing",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--state", "mine", "--callback-url", "http://127.0.0.1:3000/callback?code=SecretCode0123456789"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: state mismatch: The callback has no state, but this login sent one: the redirect did not come from this login attempt. The code was not used.",
        ],
        expect_stderr_lacks: &[CODE_SECRET],
        ..CASE
    },
    Case {
        name: "exchange_no_redirect_uris",
        args: &["exchange", "--config", "live/no-redirect-uris.toml", "--token-file", "{tmp}/t.json", "--code", CODE_SECRET],
        expect_stderr_contains: &[
            "miro-oauth: error: live/no-redirect-uris.toml: no redirect_uris; expected --redirect-uri with the redirect_uri the authorize link used",
        ],
        expect_stderr_lacks: &[CODE_SECRET],
        ..CASE
    },
    Case {
        name: "exchange_several_redirect_uris",
        args: &["exchange", "--config", "live/two-redirect-uris.toml", "--token-file", "{tmp}/t.json", "--code", CODE_SECRET],
        expect_stderr_contains: &[
            "miro-oauth: error: live/two-redirect-uris.toml: several redirect_uris (https://app.example.com/oauth/callback, https://staging.example.com/oauth/callback); give --redirect-uri with the one the authorize link used",
        ],
        expect_stderr_lacks: &[CODE_SECRET],
        ..CASE
    },
    // --- no answer: src/live/client.rs TransportError (URLs shown without their query)
    Case {
        name: "live_unreachable_exchange",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "{closed}", "--code", CODE_SECRET],
        expect_stderr_contains: &[
            "miro-oauth: error: cannot reach {closed}/v1/oauth/token: ",
            "Connection refused",
            "; expected Miro's API to answer there (check [miro] api_url in the config, --base-url, and the network)",
        ],
        expect_stderr_lacks: &[CODE_SECRET, APP_SECRET],
        ..CASE
    },
    Case {
        name: "live_unreachable_refresh",
        args: &["refresh", "--config", "live/app.toml", "--token-file", "{tmp}/good.json", "--base-url", "{closed}"],
        expect_stderr_contains: &["miro-oauth: error: cannot reach {closed}/v1/oauth/token: "],
        expect_stderr_lacks: &[REFRESH_SECRET, ACCESS_SECRET, APP_SECRET],
        ..CASE
    },
    Case {
        name: "live_unreachable_token_info",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/good.json", "--base-url", "{closed}"],
        expect_stderr_contains: &["miro-oauth: error: cannot reach {closed}/v1/oauth-token: "],
        expect_stderr_lacks: &[ACCESS_SECRET],
        ..CASE
    },
    Case {
        name: "live_unreachable_revoke_v1",
        args: &["revoke", "--v1", "--config", "live/app.toml", "--token-file", "{tmp}/good.json", "--base-url", "{closed}"],
        expect_stderr_contains: &["miro-oauth: error: cannot reach {closed}/v1/oauth/revoke: "],
        expect_stderr_lacks: &[ACCESS_SECRET],
        ..CASE
    },
    // --- answers that are not what was asked for
    Case {
        name: "live_token_answer_without_access_token",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "{canned}", "--code", CODE_SECRET],
        expect_stderr_contains: &[
            "miro-oauth: error: {canned}/v1/oauth/token: answered 200 without an access_token; expected Miro's token JSON",
        ],
        expect_stderr_lacks: &[CODE_SECRET, APP_SECRET],
        ..CASE
    },
    Case {
        name: "token_info_answer_not_json",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/good.json", "--base-url", "{canned}"],
        expect_stderr_contains: &[
            "miro-oauth: error: {canned}/v1/oauth-token: answered 200 without JSON; expected the token context (type, team, user, scopes)",
        ],
        expect_stderr_lacks: &[ACCESS_SECRET],
        ..CASE
    },
    // --- Miro says no (exit 1), against the stand-in: Miro's error line, secrets scrubbed
    Case {
        name: "exchange_refused",
        args: &["exchange", "--config", "live/app.toml", "--token-file", "{tmp}/t.json", "--base-url", "{standin}", "--code", CODE_SECRET],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: Miro refused the code exchange: 401 oauthError \"Invalid authorization code\"",
        ],
        expect_stderr_lacks: &[CODE_SECRET, APP_SECRET],
        ..CASE
    },
    Case {
        name: "refresh_refused",
        args: &["refresh", "--config", "live/app.toml", "--token-file", "{tmp}/good.json", "--base-url", "{standin}"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: Miro refused the refresh: 401 oauthError \"Invalid refresh token\"",
        ],
        expect_stderr_lacks: &[REFRESH_SECRET, APP_SECRET],
        ..CASE
    },
    Case {
        name: "token_info_refused",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/good.json", "--base-url", "{standin}"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: Miro refused the token-context request: 400 invalidParameters \"Invalid token provided\"",
            "miro-oauth: Miro no longer accepts the stored access token although it has not expired: it was revoked, the app was uninstalled from the team, or a refresh elsewhere replaced it; run `miro-oauth login` for a new one",
        ],
        expect_stderr_lacks: &[ACCESS_SECRET],
        ..CASE
    },
    Case {
        name: "token_info_refused_expired",
        args: &["token-info", "--config", "live/app.toml", "--token-file", "{tmp}/expired.json", "--base-url", "{standin}"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: Miro refused the token-context request: 400 invalidParameters \"Invalid token provided\"",
            "miro-oauth: the stored access token expired at 2026-01-01T01:00:00Z; run `miro-oauth refresh`",
        ],
        expect_stderr_lacks: &[ACCESS_SECRET],
        ..CASE
    },
    Case {
        name: "revoke_refused",
        args: &["revoke", "--config", "live/app.toml", "--token-file", "{tmp}/good.json", "--base-url", "{standin}"],
        expect_code: 1,
        expect_stderr_contains: &[
            "miro-oauth: Miro refused the revoke: 404 notFound \"Failed to revoke token\"",
        ],
        expect_stderr_lacks: &[ACCESS_SECRET, APP_SECRET],
        ..CASE
    },
];

fn token_json(client_id: &str, refresh: bool, expires_at: Option<&str>) -> String {
    let mut v = serde_json::json!({
        "version": 1,
        "generation": 1,
        "client_id": client_id,
        "api_url": "https://api.miro.com/",
        "token_type": "bearer",
        "access_token": format!("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_{ACCESS_SECRET}"),
        "scope": "boards:read",
        "obtained_at": "2026-01-01T00:00:00Z",
    });
    if refresh {
        v["refresh_token"] = format!("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_{REFRESH_SECRET}").into();
    }
    if let Some(e) = expires_at {
        v["expires_at"] = e.into();
    }
    v.to_string()
}

/// Writes a token file with mode 0600 (no warning about loose permissions).
fn write_token_file(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// A loopback URL nothing listens on: a port the OS handed out and took back.
fn closed_port_url() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

/// A server answering every request from `answer(path)`; runs until the test process ends.
fn canned_server(answer: fn(&str) -> (u16, String)) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let path = req.url().split('?').next().unwrap_or("").to_string();
            let (status, body) = answer(&path);
            let header =
                tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..])
                    .unwrap();
            let _ = req.respond(
                tiny_http::Response::from_string(body)
                    .with_status_code(status)
                    .with_header(header),
            );
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn live_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let app = "3458764512345678901";
    write_token_file(&t.join("good.json"), &token_json(app, true, None));
    write_token_file(
        &t.join("expired.json"),
        &token_json(app, true, Some("2026-01-01T01:00:00Z")),
    );
    write_token_file(&t.join("no-refresh.json"), &token_json(app, false, None));
    write_token_file(
        &t.join("other-app.json"),
        &token_json("3458764500000000000", true, None),
    );
    let full = token_json(app, true, None);
    let cut = full.find(ACCESS_SECRET).unwrap() + 8;
    write_token_file(&t.join("corrupt.json"), &full[..cut]);
    std::fs::create_dir_all(t.join("token-dir.json")).unwrap();
    std::fs::write(
        t.join("not-a-dir"),
        "a file where the token directory should be",
    )
    .unwrap();
    std::fs::create_dir_all(t.join("locked/t.json.lock")).unwrap();
    std::fs::create_dir_all(t.join("occupied.json")).unwrap();
    std::fs::write(
        t.join("occupied.json/keep"),
        "a directory where the token file should be",
    )
    .unwrap();

    let stand = stand_in::StandIn::start(stand_in::App::new("http://127.0.0.1:3000/callback"));
    let canned = canned_server(|path| match path {
        "/v1/oauth/token" => (
            200,
            r#"{"token_type":"bearer","scope":"boards:read"}"#.into(),
        ),
        _ => (200, "<html>Miro is down for maintenance</html>".into()),
    });
    let issuer = canned_server(|_| {
        (
            200,
            r#"{"access_token":"eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_IssuedAccess0123456789abcdef","token_type":"bearer","expires_in":3600,"scope":"boards:read"}"#.into(),
        )
    });
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let vars = [
        ("tmp", t.display().to_string()),
        ("closed", closed_port_url()),
        ("standin", stand.base().to_string()),
        ("canned", canned),
        ("issuer", issuer),
        ("busy", busy.local_addr().unwrap().port().to_string()),
    ];
    let dir = inputs();
    run_table(LIVE_CASES, dir.path(), &vars, &[(SECRET_VAR, APP_SECRET)]);
    drop(busy);
}

// ---------------------------------------------------------------------------------------------
// Cases that need their own setup.

/// `-` when stdin cannot be read (here: a directory).
#[test]
fn stdin_unreadable() {
    let mut cmd = bin();
    cmd.arg("doctor").arg("-");
    let dir = tempfile::tempdir().unwrap();
    cmd.stdin(std::fs::File::open(dir.path()).unwrap());
    let out = run(cmd, None);
    assert_out(
        &out,
        2,
        &["miro-oauth: error: -: cannot read stdin: Is a directory"],
        &[],
        "stdin_unreadable",
    );
}

/// A file that exists but cannot be read: `/proc/self/mem` fails every read at offset 0.
#[cfg(target_os = "linux")]
#[test]
fn input_unreadable() {
    let runs: [&[&str]; 3] = [
        &["doctor", "/proc/self/mem"],
        &["redact", "/proc/self/mem"],
        &["doctor", AUTHORIZE, "--response", "/proc/self/mem"],
    ];
    for args in runs {
        let mut cmd = bin();
        cmd.args(args);
        assert_out(
            &run(cmd, None),
            2,
            &["miro-oauth: error: /proc/self/mem: cannot read: Input/output error"],
            &[],
            &format!("input_unreadable {args:?}"),
        );
    }
}

/// Standard output cannot be written (`> /dev/full`): the message names stdout, not only the
/// OS error. A large redacted copy fails in its first write, a small one when flushed.
#[cfg(target_os = "linux")]
#[test]
fn stdout_unwritable() {
    let big = format!(
        "curl https://api.miro.com/v2/boards -H 'X-Pad: {}'\n",
        "a".repeat(20_000)
    );
    let runs: [(&[&str], Option<&[u8]>); 9] = [
        (&["doctor", AUTHORIZE], None),
        (&["doctor", AUTHORIZE, "--format", "json"], None),
        (&["doctor", AUTHORIZE, "--format", "sarif"], None),
        (&["rules"], None),
        (&["rules", "--format", "json"], None),
        (&["explain", "state-missing"], None),
        (&["redact", AUTHORIZE], None),
        (&["redact", "-"], Some(big.as_bytes())),
        (&["check", "--config", "config/valid.toml"], None),
    ];
    let dir = inputs();
    for (args, stdin) in runs {
        let mut cmd = bin();
        cmd.current_dir(dir.path())
            .args(args)
            .stdout(std::fs::File::create("/dev/full").unwrap());
        assert_out(
            &run(cmd, stdin),
            2,
            &["miro-oauth: error: stdout: cannot write: No space left on device (os error 28)\n"],
            &[],
            &format!("stdout_unwritable {args:?}"),
        );
    }
}

/// The current directory was deleted under the tool (config discovery needs it).
#[cfg(unix)]
#[test]
fn current_dir_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let gone = tmp.path().join("gone");
    let runs: [&[&str]; 3] = [&["doctor", AUTHORIZE], &["check"], &["token-info"]];
    for args in runs {
        std::fs::create_dir_all(&gone).unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(r#"cd "$1" && rmdir "$1" && shift && exec "$@""#)
            .arg("sh")
            .arg(&gone)
            .arg(env!("CARGO_BIN_EXE_miro-oauth"))
            .args(args)
            .env_remove("MIRO_OAUTH_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        assert_out(
            &run(cmd, None),
            2,
            &["miro-oauth: error: cannot read the current directory: No such file or directory"],
            &[],
            &format!("current_dir_deleted {args:?}"),
        );
    }
}

/// The secret variable holds bytes that are not UTF-8.
#[cfg(unix)]
#[test]
fn live_secret_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = inputs();
    let mut cmd = bin();
    cmd.current_dir(dir.path())
        .args(["refresh", "--config", "live/app.toml", "--token-file"])
        .arg(tmp.path().join("t.json"))
        .env(SECRET_VAR, std::ffi::OsStr::from_bytes(b"Zk3q\xff\xfe"));
    assert_out(
        &run(cmd, None),
        2,
        &["miro-oauth: error: the environment variable MIRO_ERRORS_TEST_SECRET is not valid UTF-8; expected the app's Client secret"],
        &[],
        "live_secret_not_utf8",
    );
}

// --- login: the tool's callback server meets a browser (played by this test).

struct Login {
    _dir: tempfile::TempDir,
    child: Child,
    stdout: BufReader<std::process::ChildStdout>,
    /// The authorize link the tool printed.
    link: String,
    /// `http://127.0.0.1:PORT` of the callback server.
    callback_base: String,
}

/// Starts `login --no-browser` with a config whose redirect URI is a free loopback port and
/// whose API is `api`; returns once the authorize link is printed (the server is listening).
fn start_login(api: &str, timeout_secs: u64) -> Login {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let callback_base = format!("http://127.0.0.1:{port}");
    let config = dir.path().join("miro-oauth.toml");
    std::fs::write(
        &config,
        format!(
            "[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"{SECRET_VAR}\"\n\
             redirect_uris = [\"{callback_base}/callback\"]\n\n[miro]\napi_url = \"{api}\"\n\
             auth_url = \"{api}/oauth/authorize\"\n"
        ),
    )
    .unwrap();
    let mut cmd = bin();
    cmd.current_dir(dir.path())
        .args([
            "login",
            "--no-browser",
            "--timeout",
            &timeout_secs.to_string(),
        ])
        .arg("--token-file")
        .arg(dir.path().join("tokens.json"))
        .env(SECRET_VAR, APP_SECRET);
    let mut child = cmd.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut link = String::new();
    stdout.read_line(&mut link).unwrap();
    Login {
        _dir: dir,
        child,
        stdout,
        link: link.trim().to_string(),
        callback_base,
    }
}

impl Login {
    fn state(&self) -> String {
        url::Url::parse(&self.link)
            .unwrap_or_else(|e| panic!("no authorize link printed ({e}): {:?}", self.link))
            .query_pairs()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .expect("a state in the authorize link")
    }

    /// The browser asks the callback server for `path_and_query`: (status, page).
    fn browse(&self, path_and_query: &str) -> (u16, String) {
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let resp = client
            .get(format!("{}{path_and_query}", self.callback_base))
            .send()
            .expect("the callback server answers");
        let status = resp.status().as_u16();
        (status, resp.text().unwrap())
    }

    fn finish(mut self) -> Out {
        let status = self.child.wait().unwrap();
        let mut stdout = String::new();
        let _ = self.stdout.read_to_string(&mut stdout);
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        Out {
            code: status.code(),
            stdout,
            stderr,
        }
    }
}

fn assert_page(page: &(u16, String), status: u16, contains: &[&str], lacks: &[&str], what: &str) {
    assert_eq!(page.0, status, "{what}: status of the page {:?}", page.1);
    for want in contains {
        assert!(
            page.1.contains(want),
            "{what}: the page lacks {want:?}: {}",
            page.1
        );
    }
    for secret in lacks {
        assert!(
            !page.1.contains(secret),
            "{what}: the page shows {secret:?}"
        );
    }
}

#[test]
fn login_callback_denied() {
    let login = start_login(&closed_port_url(), 30);
    let page = login.browse("/favicon.ico");
    assert_page(
        &page,
        404,
        &[
            "Not the callback",
            format!(
                "miro-oauth is waiting for Miro&#39;s redirect to {}/callback.",
                login.callback_base
            )
            .as_str(),
        ],
        &[],
        "login_wrong_path_page",
    );
    let state = login.state();
    let page = login.browse(&format!(
        "/callback?error=access_denied&error_description=The+user+has+denied+access&state={state}"
    ));
    assert_page(
        &page,
        400,
        &[
            "Authorization failed",
            "The callback carried error=access_denied",
        ],
        &[],
        "login_callback_denied",
    );
    assert_out(
        &login.finish(),
        1,
        &["miro-oauth: authorization failed: The callback carried error=access_denied (The user has denied access): the consent was denied on Miro's screen; run login again and choose Allow."],
        &[],
        "login_callback_denied",
    );
}

#[test]
fn login_callback_state_mismatch() {
    let login = start_login(&closed_port_url(), 30);
    let page = login.browse(&format!("/callback?code={CODE_SECRET}&state=forged"));
    assert_page(
        &page,
        400,
        &["State mismatch"],
        &[CODE_SECRET],
        "login_callback_state_mismatch",
    );
    assert_out(
        &login.finish(),
        1,
        &["miro-oauth: state mismatch: The callback's state differs from the one this login sent: it belongs to another login attempt or was forged. The code was not used; run login again and finish it in this browser tab."],
        &[CODE_SECRET],
        "login_callback_state_mismatch",
    );
}

#[test]
fn login_callback_without_code() {
    let login = start_login(&closed_port_url(), 30);
    let state = login.state();
    let page = login.browse(&format!("/callback?state={state}"));
    assert_page(&page, 400, &["No code"], &[], "login_callback_without_code");
    assert_out(
        &login.finish(),
        1,
        &["miro-oauth: no code: The callback carries neither a code nor an error; expected Miro's redirect with code and state."],
        &[],
        "login_callback_without_code",
    );
}

#[test]
fn login_exchange_unreachable() {
    let api = closed_port_url();
    let login = start_login(&api, 30);
    let state = login.state();
    let page = login.browse(&format!("/callback?code={CODE_SECRET}&state={state}"));
    assert_page(
        &page,
        500,
        &[
            "Code exchange failed",
            "miro-oauth could not complete the code exchange; the terminal shows why.",
        ],
        &[CODE_SECRET, APP_SECRET],
        "login_exchange_unreachable",
    );
    assert_out(
        &login.finish(),
        2,
        &[&format!(
            "miro-oauth: error: cannot reach {api}/v1/oauth/token: "
        )],
        &[CODE_SECRET, APP_SECRET],
        "login_exchange_unreachable",
    );
}

#[test]
fn login_exchange_refused() {
    let stand = stand_in::StandIn::start(stand_in::App::new("http://127.0.0.1:3000/callback"));
    let login = start_login(stand.base(), 30);
    let state = login.state();
    let page = login.browse(&format!("/callback?code={CODE_SECRET}&state={state}"));
    assert_page(
        &page,
        400,
        &[
            "Code exchange failed",
            "Miro refused the code exchange: 401 oauthError &quot;Invalid authorization code&quot;. The terminal shows why.",
        ],
        &[CODE_SECRET, APP_SECRET],
        "login_exchange_refused",
    );
    assert_out(
        &login.finish(),
        1,
        &["miro-oauth: Miro refused the code exchange: 401 oauthError \"Invalid authorization code\""],
        &[CODE_SECRET, APP_SECRET],
        "login_exchange_refused",
    );
}

#[test]
fn login_times_out() {
    let login = start_login(&closed_port_url(), 1);
    let redirect = format!("{}/callback", login.callback_base);
    assert_out(
        &login.finish(),
        1,
        &[&format!(
            "miro-oauth: no callback arrived on {redirect} within 1s; expected the browser to return there after the consent screen"
        )],
        &[],
        "login_times_out",
    );
}

/// Miro's answer is an error no rule explains: the error line on stderr, and on stdout the
/// pointer to the known errors instead of a diagnosis.
#[test]
fn revoke_refused_without_diagnosis() {
    let api = canned_server(|_| (503, "upstream unavailable".into()));
    let dir = inputs();
    let tokens = tempfile::tempdir().unwrap();
    let token_file = tokens.path().join("tokens.json");
    write_token_file(&token_file, &token_json("3458764512345678901", true, None));
    let mut cmd = bin();
    cmd.current_dir(dir.path())
        .args([
            "revoke",
            "--config",
            "live/app.toml",
            "--base-url",
            &api,
            "--token-file",
        ])
        .arg(&token_file)
        .env(SECRET_VAR, APP_SECRET);
    let out = run(cmd, None);
    assert_out(
        &out,
        1,
        &["miro-oauth: Miro refused the revoke: HTTP 503"],
        &[ACCESS_SECRET, APP_SECRET],
        "revoke_refused_without_diagnosis",
    );
    assert!(
        out.stdout.contains(
            "No rule explains this answer; `miro-oauth explain miro-error-explained` lists Miro's known errors."
        ),
        "revoke_refused_without_diagnosis: stdout: {}",
        out.stdout
    );
    assert!(token_file.exists(), "a refused revoke keeps the token file");
}

// ---------------------------------------------------------------------------------------------
// Messages the binary cannot reach (its own checks answer first): through the library.

#[test]
fn lib_parse_error_display() {
    let e = miro_oauth::input::curl::parse_curl("curl https://api.miro.com/v1/oauth/token -H")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option -H requires an argument; expected a value after it (at byte 41)"
    );
    let text = "curl 'https://api.miro.com\n";
    let e = miro_oauth::input::curl::parse_curl(text)
        .unwrap_err()
        .in_source("token.sh", text);
    assert_eq!(
        e.to_string(),
        "token.sh:1:6: unterminated single quote; expected a closing '"
    );
}

/// `detect` sends text to the URL parser only when every line is a URL.
#[test]
fn lib_url_errors() {
    use miro_oauth::input::url::parse_urls;
    let text = "https://miro.com/oauth/authorize?response_type=code\nmiro.com/callback?code=x\n";
    assert_eq!(
        parse_urls(text)
            .unwrap_err()
            .in_source("links.txt", text)
            .to_string(),
        "links.txt:2:1: expected a URL starting with http:// or https://"
    );
    let text = "# nothing but a comment\n";
    assert_eq!(
        parse_urls(text)
            .unwrap_err()
            .in_source("links.txt", text)
            .to_string(),
        "links.txt:1:1: no URL found; expected one URL per line"
    );
}

/// `detect` sends text to the HTTP parser only when it starts with a request line.
#[test]
fn lib_http_errors() {
    use miro_oauth::input::http::parse_http;
    assert_eq!(
        parse_http("\n\n")
            .unwrap_err()
            .in_source("req.http", "\n\n")
            .to_string(),
        "req.http:1:1: empty input; expected an HTTP request line"
    );
    let text = "\nHost: api.miro.com\n";
    assert_eq!(
        parse_http(text)
            .unwrap_err()
            .in_source("req.http", text)
            .to_string(),
        "req.http:2:1: expected a request line like `POST /v1/oauth/token HTTP/1.1`"
    );
}

/// `detect` rejects empty input before the curl parser sees it.
#[test]
fn lib_curl_empty() {
    let e = miro_oauth::input::curl::parse_curl("  # only a comment\n").unwrap_err();
    assert_eq!(e.offset, 0);
    assert_eq!(
        e.message,
        "empty input; expected a curl command such as curl https://api.miro.com/v1/oauth/token"
    );
}

/// `detect` sends to the curl parser only text whose first command names curl (possibly as
/// `@curl` or quoted whole, which get their own messages above); any other first word is
/// refused here.
#[test]
fn lib_curl_not_curl() {
    let e =
        miro_oauth::input::curl::parse_curl("wget https://api.miro.com/v2/boards\n").unwrap_err();
    assert_eq!(e.offset, 0);
    assert_eq!(
        e.message,
        "'wget' is not a curl command; expected a command starting with curl"
    );
}

fn read_har(bytes: &[u8]) -> miro_oauth::error::ParseError {
    miro_oauth::input::har::read_har(bytes, &miro_oauth::input::har::oauth_relevant, &mut |_| {})
        .expect_err("a HAR error")
}

/// `detect` sends to the HAR reader only input that starts with `{` (after a whole BOM) or
/// `onInputData(`.
#[test]
fn lib_har_document_errors() {
    let e = read_har(b"\xef\xbb{\"log\":{\"entries\":[]}}");
    assert_eq!(e.offset, 2);
    assert_eq!(
        e.message,
        "invalid UTF-8 at the start; expected a HAR document (a JSON object {\"log\": {\"entries\": [...]}})"
    );
    let e = read_har(b"harCallback {\"log\":{\"entries\":[]}}");
    assert_eq!(e.offset, 12);
    assert_eq!(
        e.message,
        "unexpected '{'; expected '(' after the HARP callback name (as in `onInputData({...});`)"
    );
}

#[test]
fn lib_har_entry_too_large() {
    let big = "x".repeat(4096);
    let har = format!(
        r#"{{"log":{{"entries":[{{"request":{{"method":"GET","url":"https://api.miro.com/v2/boards","headers":[{{"name":"x-big","value":"{big}"}}]}}}}]}}}}"#
    );
    let options = miro_oauth::input::har::HarOptions {
        chunk_size: 64,
        max_entry_bytes: 1024,
        drop_bodies_over: None,
    };
    let e = miro_oauth::input::har::read_har_with(
        har.as_bytes(),
        &options,
        &miro_oauth::input::har::oauth_relevant,
        &mut |_| {},
    )
    .expect_err("too large");
    assert_eq!(e.offset, 19);
    assert_eq!(
        e.message,
        "log.entries[0] is larger than 1 KiB; expected HAR entries of a reasonable size (save the HAR without response bodies, or split it)"
    );
}

#[test]
fn lib_har_read_error() {
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("the disk went away"));
            }
            let head = b"{\"log\":{\"entries\":[";
            let n = head.len().min(buf.len());
            buf[..n].copy_from_slice(&head[..n]);
            self.0 = 0;
            Ok(n)
        }
    }
    let e = miro_oauth::input::har::read_har(
        Failing(1),
        &miro_oauth::input::har::oauth_relevant,
        &mut |_| {},
    )
    .expect_err("a read error");
    assert_eq!(e.offset, 19);
    assert_eq!(e.message, "cannot read the input: the disk went away");
}

/// Every request the live client builds goes to the configured API, so the guard's message
/// shows only here.
#[test]
fn lib_endpoint_not_configured() {
    let endpoints = miro_oauth::live::client::Endpoints::new(
        "https://miro.com/oauth/authorize",
        "https://api.miro.com",
    )
    .unwrap();
    let url = url::Url::parse("https://api.miro.com.evil.example/v1/oauth/token?client_secret=x")
        .unwrap();
    let e = endpoints.allow_credentials(&url).unwrap_err();
    assert_eq!(
        e.to_string(),
        "refusing to send credentials to https://api.miro.com.evil.example/v1/oauth/token: only the configured Miro API (https://api.miro.com) receives them; expected a URL on that host"
    );
}

/// The binary waits 60 s for the lock; the library takes the timeout as a parameter.
#[test]
fn lib_store_lock_timeout() {
    let tmp = tempfile::tempdir().unwrap();
    let store = miro_oauth::live::store::TokenStore::new(tmp.path().join("tokens.json"));
    let _held = store.lock(Duration::from_secs(5)).unwrap();
    let e = store
        .lock(Duration::from_millis(200))
        .err()
        .expect("lock timeout");
    assert_eq!(
        e.to_string(),
        format!(
            "{}: another miro-oauth process has held the token-store lock for 200ms; expected it to finish (remove the lock file only if no miro-oauth is running)",
            tmp.path().join("tokens.json.lock").display()
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Secret leaks once found: each message below quoted the input that holds the secret.

fn leaks(args: &[&str], secret: &str, what: &str) {
    let dir = inputs();
    let mut cmd = bin();
    cmd.current_dir(dir.path()).args(args);
    let out = run(cmd, None);
    assert_eq!(out.code, Some(2), "{what}: {}", out.stderr);
    assert!(
        !out.stderr.contains(secret),
        "{what}: the error shows the secret {secret:?}: {}",
        out.stderr
    );
}

#[test]

fn secret_leak_http_header_line() {
    leaks(
        &["doctor", "bad-header-with-token.http"],
        "LeakChec",
        "http header",
    );
}

#[test]

fn secret_leak_har_type_error() {
    leaks(
        &["doctor", "har/headers-string-with-token.har"],
        "LeakCheckHarToken0123",
        "HAR type error",
    );
}

#[test]

fn secret_leak_env_missing_equals() {
    leaks(
        &[
            "check",
            "--config",
            "config/valid.toml",
            "--env",
            "env/yaml-style-secret.env",
        ],
        APP_SECRET,
        "env `=` error",
    );
}

#[test]

fn secret_leak_env_text_after_quote() {
    leaks(
        &[
            "check",
            "--config",
            "config/valid.toml",
            "--env",
            "env/secret-after-quote.env",
        ],
        "Zk3qP9sLmN2xV7bT4wR8yH6cJ1dF5gA1",
        "env text after quote",
    );
}

#[test]

fn secret_leak_curl_invalid_url() {
    leaks(
        &["doctor", "url-with-space-and-secret.sh"],
        "Zk3qP9sL",
        "curl invalid url",
    );
}

#[test]

fn secret_leak_unrecognised_input() {
    leaks(
        &["doctor", "pasted-form-body.txt"],
        "Zk3qP9sLmN2xV7bT4wR8",
        "unrecognised input",
    );
}

#[test]

fn secret_leak_api_url_password() {
    leaks(
        &[
            "token-info",
            "--config",
            "live/api-url-with-password.toml",
            "--token-file",
            "/nonexistent/t.json",
        ],
        "Hunter2Hunter2",
        "api_url user info",
    );
}

// ---------------------------------------------------------------------------------------------
// Size limits: a curl command, URL or raw HTTP request is read whole, up to MAX_TEXT_INPUT.

#[test]
fn text_input_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let limit = miro_oauth::MAX_TEXT_INPUT as usize;
    let mut big = b"curl https://api.miro.com/v1/oauth/token -d code=".to_vec();
    big.resize(limit + 10, b'A');
    let path = dir.path().join("big.sh");
    std::fs::write(&path, &big).unwrap();
    let expected = format!(
        "{} bytes is more than the 32 MiB read whole for a curl command, URL or raw HTTP request; expected one request (a large capture belongs in a HAR file, which is streamed)",
        limit + 10
    );
    for args in [
        vec!["doctor", "big.sh"],
        vec!["redact", "big.sh"],
        vec![
            "doctor",
            "https://api.miro.com/v2/boards",
            "--response",
            "big.sh",
        ],
    ] {
        let mut cmd = bin();
        cmd.current_dir(dir.path()).args(&args);
        let out = run(cmd, None);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("miro-oauth: error: big.sh: {expected}")),
            "{args:?}: {}",
            out.stderr
        );
    }
    // From stdin: read up to the limit, then refused.
    let mut cmd = bin();
    cmd.args(["doctor", "-"]);
    let out = run(cmd, Some(&big));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("miro-oauth: error: -: more than the 32 MiB read whole"),
        "{}",
        out.stderr
    );
}

/// Paths that are neither files nor directories are read as streams, with the same caps: an
/// endless device is refused once past the cap, not read until memory runs out.
#[cfg(target_os = "linux")]
#[test]
fn endless_streams_are_refused_at_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("miro-oauth.toml");
    std::fs::write(
        &config,
        "[app]\nclient_id = \"3458764512345678901\"\nredirect_uris = [\"https://app.example.com/cb\"]\nscopes = [\"boards:read\"]\n",
    )
    .unwrap();
    let input =
        "/dev/zero: more than the 32 MiB read whole for a curl command, URL or raw HTTP request";
    let cases: [(&[&str], &str); 6] = [
        (&["doctor", "/dev/zero"], input),
        (&["redact", "/dev/zero"], input),
        (&["doctor", "https://api.miro.com/v2/boards", "--response", "/dev/zero"], input),
        (
            &["check", "--config", "/dev/zero"],
            "/dev/zero: cannot read config: more than 4 MiB; expected a miro-oauth.toml or an app manifest (a few KB)",
        ),
        (
            &["doctor", "--config", "/dev/zero", "https://api.miro.com/v2/boards"],
            "/dev/zero: cannot read config: more than 4 MiB",
        ),
        (
            &["check", "--config", "miro-oauth.toml", "--env", "/dev/zero"],
            "/dev/zero: cannot read --env file: more than 4 MiB; expected a .env file of KEY=value lines",
        ),
    ];
    for (args, expected) in cases {
        let mut cmd = bin();
        cmd.current_dir(dir.path()).args(args);
        let out = run(cmd, None);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("miro-oauth: error: {expected}")),
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// A named pipe (what bash's `<(pbpaste)` hands over) is read like stdin: a command is
/// diagnosed, a HAR is spooled and streamed (and redacted).
#[cfg(target_os = "linux")]
#[test]
fn named_pipes_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let har = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/access-token-superseded/har-old-token-after-refresh.har"
    ))
    .unwrap();
    let curl = b"curl -X POST https://api.miro.com/v1/oauth/token -d grant_type=authorisation_code -d code=abc -d client_id=1 -d client_secret=s -d redirect_uri=https://app.example.com/cb".to_vec();
    for (i, (args, content, expect)) in [
        (vec!["doctor"], curl.clone(), "grant-type-invalid"),
        (
            vec!["doctor", "--format", "json"],
            har.clone(),
            "\"findings\"",
        ),
        (vec!["redact", "--key", "k"], har.clone(), "\"entries\""),
    ]
    .into_iter()
    .enumerate()
    {
        let fifo = dir.path().join(format!("pipe{i}"));
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, content).unwrap())
        };
        let mut cmd = bin();
        cmd.args(&args).arg(&fifo);
        let out = run(cmd, None);
        writer.join().unwrap();
        assert!(matches!(out.code, Some(0 | 1)), "{args:?}: {}", out.stderr);
        assert!(out.stdout.contains(expect), "{args:?}: {}", out.stdout);
    }
}

// ---------------------------------------------------------------------------------------------
// Live-command failures that need a condition injected: a damaged token, a process that cannot
// start threads, a user without a home, a file-size limit; and the exchange guard clap hides.

/// A token file whose access token holds a control character: token-info cannot put it in
/// the Authorization header, and says so before sending anything.
#[test]
fn live_token_with_control_character() {
    let dir = inputs();
    let mut token: serde_json::Value =
        serde_json::from_str(&token_json("3458764512345678901", true, None)).unwrap();
    token["access_token"] = format!("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_{ACCESS_SECRET}\n").into();
    let path = dir.path().join("t.json");
    write_token_file(&path, &token.to_string());
    let closed = closed_port_url();
    let mut cmd = bin();
    cmd.current_dir(dir.path())
        .env(SECRET_VAR, APP_SECRET)
        .args(["token-info", "--config", "live/app.toml", "--token-file"])
        .arg(&path)
        .args(["--base-url", &closed]);
    let out = run(cmd, None);
    assert_out(
        &out,
        2,
        &[
            &format!("miro-oauth: error: cannot build the request to {closed}/v1/oauth-token: builder error: failed to parse header value; expected header values without control characters (token-info sends the stored access token in one: run `miro-oauth login` for a new token)"),
        ],
        &[ACCESS_SECRET, APP_SECRET],
        "live_token_with_control_character",
    );
}

/// MiroClient::new fails when reqwest cannot start its worker thread: here every new thread
/// asks for a 1 PiB stack (RUST_MIN_STACK), more than the address space.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
#[test]
fn live_client_cannot_start() {
    let dir = inputs();
    let mut cmd = bin();
    cmd.current_dir(dir.path())
        .env(SECRET_VAR, APP_SECRET)
        .env("RUST_MIN_STACK", (1u64 << 50).to_string())
        .args(["token-info", "--config", "live/app.toml", "--token-file"])
        .arg(dir.path().join("t.json"));
    let out = run(cmd, None);
    assert_out(
        &out,
        2,
        &[
            "miro-oauth: error: cannot start the HTTP client: builder error: ",
            "; expected to start its worker thread (check the process's limits on threads, memory and open files)",
        ],
        &[APP_SECRET],
        "live_client_cannot_start",
    );
}

/// store::default_path finds no config directory for a user without HOME, XDG_CONFIG_HOME
/// or a passwd entry: the binary runs as such a user (which needs root; skipped otherwise).
#[cfg(unix)]
#[test]
fn live_no_config_dir() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        dir.path().join("miro-oauth.toml"),
        "[app]\nclient_id = \"3458764512345678901\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\n",
    )
    .unwrap();
    // A uid no passwd file gives a home to.
    const NOBODY_AT_ALL: u32 = 2_000_000_123;
    let mut cmd = bin();
    cmd.current_dir(dir.path())
        .env_remove("HOME")
        .env_remove("XDG_CONFIG_HOME")
        .uid(NOBODY_AT_ALL)
        .gid(NOBODY_AT_ALL)
        .args(["token-info", "--config", "miro-oauth.toml"]);
    let child = match cmd.spawn() {
        Ok(child) => child,
        // Not root (setuid refused), or the binary is not reachable by that user.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            eprintln!("live_no_config_dir skipped: cannot run as uid {NOBODY_AT_ALL}: {e}");
            return;
        }
        Err(e) => panic!("run miro-oauth: {e}"),
    };
    let out: Out = child.wait_with_output().unwrap().into();
    assert_out(
        &out,
        2,
        &["miro-oauth: error: cannot find the user's config directory for the token file; give --token-file PATH"],
        &[],
        "live_no_config_dir",
    );
}

/// The temporary token file cannot be written: the binary runs with a file-size limit of 0
/// (`ulimit -f 0`, SIGXFSZ ignored, so a write fails with EFBIG instead of killing it).
#[cfg(unix)]
#[test]
fn live_token_file_unwritable() {
    let issuer = canned_server(|_| {
        (
            200,
            r#"{"access_token":"eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_IssuedAccess0123456789abcdef","token_type":"bearer","expires_in":3600,"scope":"boards:read"}"#.into(),
        )
    });
    let dir = inputs();
    let tokens = dir.path().join("tokens");
    let plain = bin();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
        .arg(plain.get_program());
    for (k, v) in plain.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.current_dir(dir.path())
        .env(SECRET_VAR, APP_SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .args(["exchange", "--config", "live/app.toml", "--token-file"])
        .arg(tokens.join("t.json"))
        .args(["--base-url", &issuer, "--code", CODE_SECRET]);
    let out = run(cmd, None);
    assert_out(
        &out,
        2,
        &[
            &format!("miro-oauth: error: {}/.t.json.", tokens.display()),
            ".pending: cannot write the temporary token file: File too large",
        ],
        &[CODE_SECRET, APP_SECRET, "IssuedAccess"],
        "live_token_file_unwritable",
    );
    // Nothing half-written is left to be promoted later.
    let left: Vec<_> = std::fs::read_dir(&tokens)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("t.json.lock")]);
}

/// clap's required group keeps the binary from calling `exchange` without --code or
/// --callback-url (exchange_needs_code_or_callback); a library caller can.
#[test]
fn lib_exchange_without_code_or_callback() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("miro-oauth.toml");
    std::fs::write(
        &config,
        format!("[app]\nclient_id = \"3458764512345678901\"\nclient_secret = \"{APP_SECRET}\"\nredirect_uris = [\"http://127.0.0.1:3000/callback\"]\n"),
    )
    .unwrap();
    let args = miro_oauth::live::ExchangeArgs {
        code: None,
        callback_url: None,
        redirect_uri: None,
        state: None,
        live: miro_oauth::live::LiveOptions {
            config: Some(config),
            base_url: None,
            auth_url: None,
            token_file: Some(dir.path().join("t.json")),
            show_secrets: false,
            color: miro_oauth::live::commands::ColorWhen::Never,
        },
    };
    let e = miro_oauth::live::exchange(&args).expect_err("neither --code nor --callback-url");
    assert_eq!(format!("{e:#}"), "give --code CODE or --callback-url URL");
    assert!(!dir.path().join("t.json").exists());
}

/// A UTF-16 file is read whole, so one over the cap is refused, saying how to convert it
/// (instead of the message for an oversized curl command).
#[test]
fn utf16_input_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = vec![0xff, 0xfe];
    big.resize(miro_oauth::MAX_TEXT_INPUT as usize + 4, 0x20);
    std::fs::write(dir.path().join("big.har"), &big).unwrap();
    let mut cmd = bin();
    cmd.current_dir(dir.path()).args(["doctor", "big.har"]);
    let out = run(cmd, None);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "miro-oauth: error: big.har: UTF-16 text of {} bytes: only UTF-8 is streamed, and UTF-16 is read whole up to 32 MiB; expected UTF-8 (convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE-utf8.har)",
            big.len()
        )),
        "{}",
        out.stderr
    );
}

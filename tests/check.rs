//! `check`, the pre-deploy gate: every case of the `config` group's rules under
//! `fixtures/<rule-id>/` (a config file alone, or an app tree with a config, `.env*` files and
//! sources) fires its rule, and `ok-` cases stay quiet, each with a snapshot of the human and
//! JSON output; the sample apps of `fixtures/check/` with explicit file:line:column
//! assertions; SARIF validated against the SARIF 2.1.0 schema; the GitHub annotation format;
//! the docs examples of each `check` rule; and the CLI contract (exit codes, errors, secrets).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use miro_oauth::engine::{Group, Options};
use miro_oauth::finding::{Part, Report};
use miro_oauth::project::{EnvNames, Project};
use miro_oauth::render::{self, Format};

const SECRET: &str = "Xy7Pq2Lm9Rt4Vb8Nc3Kd6Fg1Hj5Ws0Ze";

fn fixtures() -> PathBuf {
    common::root().join("fixtures")
}

/// The config of an app tree: `miro-oauth.toml` or `app-manifest.yaml` in it.
fn tree_config(dir: &Path) -> PathBuf {
    ["miro-oauth.toml", "app-manifest.yaml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{}: no miro-oauth.toml or app-manifest.yaml", dir.display()))
}

/// The env files of an app tree: `.env`, `.env.*` and `*.env` at its root, in name order.
fn tree_env_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            p.is_file() && (n == ".env" || n.starts_with(".env.") || n.ends_with(".env"))
        })
        .collect();
    v.sort();
    v
}

/// Runs `check` like `miro-oauth check --config C [--env E]... [--scan S]` from `base`.
fn run_check(base: &Path, config: &Path, envs: &[PathBuf], scan: Option<&Path>) -> Report {
    let config = miro_oauth::config::load::load(config)
        .unwrap_or_else(|e| panic!("fixture config is invalid: {e}"));
    let mut project = Project::new(base);
    project.env_names = EnvNames::for_config(&config);
    for e in envs {
        project
            .add_env_file(e)
            .unwrap_or_else(|err| panic!("fixture env is invalid: {err}"));
    }
    if let Some(dir) = scan {
        project.scan_dir(dir).unwrap();
    }
    miro_oauth::project::check(&config, &project, &Options::default())
}

/// A rule case: a config file alone, or an app tree (config, env files, scanned).
fn run_case(path: &Path) -> Report {
    if path.is_dir() {
        run_check(
            &fixtures(),
            &tree_config(path),
            &tree_env_files(path),
            Some(path),
        )
    } else {
        run_check(&fixtures(), path, &[], None)
    }
}

fn render_to_string(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    render::render(report, format, Default::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn check_fixtures() {
    insta::glob!("../fixtures", "*/*", |path| {
        let rule_id = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Some(rule) = miro_oauth::rules::find(&rule_id) else {
            return;
        };
        if rule.group != Group::Config {
            return;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let is_case = path.is_dir() || [".toml", ".yaml", ".yml"].iter().any(|x| name.ends_with(x));
        if !is_case {
            return;
        }
        let report = run_case(path);
        let fired: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
        if name.starts_with("ok-") {
            assert!(
                !report.fired(&rule_id),
                "{}: `{rule_id}` fired on an ok- case: {fired:?}",
                path.display()
            );
        } else {
            assert!(
                report.fired(&rule_id),
                "{}: `{rule_id}` did not fire; fired: {fired:?}; skipped: {:?}",
                path.display(),
                report.skipped
            );
            // Every check finding points into a file.
            for f in report.findings.iter().filter(|f| f.rule == rule_id) {
                assert!(
                    f.location.file.is_some() && f.location.input.is_none(),
                    "{}: {f:?}",
                    path.display()
                );
            }
        }
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(common::rendered(&report));
        });
    });
}

/// Runs a sample app of `fixtures/check/` from its root, as CI would.
fn sample_app(app: &str, envs: &[&str]) -> Report {
    let dir = fixtures().join("check").join(app);
    let envs: Vec<PathBuf> = envs.iter().map(|e| dir.join(e)).collect();
    run_check(&dir, &tree_config(&dir), &envs, Some(&dir))
}

/// The (file, line, column, part) of the findings of a rule.
fn places(report: &Report, rule: &str) -> Vec<(String, usize, usize, Part)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            (
                f.location.file.clone().unwrap_or_default(),
                f.location.line.unwrap_or(0),
                f.location.column.unwrap_or(0),
                f.location.part,
            )
        })
        .collect()
}

fn place(file: &str, line: usize, column: usize, part: Part) -> (String, usize, usize, Part) {
    (file.to_string(), line, column, part)
}

#[test]
fn node_app() {
    let report = sample_app("node-app", &[".env", ".env.production"]);
    assert_eq!(
        places(&report, "scope-missing-for-code"),
        vec![
            place("src/routes/notes.ts", 7, 32, Part::Source),
            place("src/routes/notes.ts", 17, 9, Part::Source),
        ]
    );
    assert_eq!(
        places(&report, "env-redirect-uri-unregistered"),
        vec![place(".env.production", 3, 19, Part::Env)]
    );
    assert_eq!(
        places(&report, "client-node-concurrent-refresh"),
        vec![place("src/server.js", 5, 14, Part::Source)]
    );
    assert_eq!(
        places(&report, "scope-unused"),
        vec![place("miro-oauth.toml", 9, 26, Part::Config)]
    );
    // node_modules and the gitignored dist/ are never scanned.
    let json = render_to_string(&report, Format::Json);
    assert!(
        !json.contains("node_modules") && !json.contains("dist/"),
        "{json}"
    );
    insta::assert_snapshot!(common::rendered(&report));
}

#[test]
fn python_requests_app() {
    let report = sample_app("python-requests-app", &["deploy/production.env"]);
    assert_eq!(
        places(&report, "scope-missing-for-code"),
        vec![place("retro/miro.py", 36, 29, Part::Source)]
    );
    assert_eq!(
        places(&report, "scope-unused"),
        vec![place("miro-oauth.toml", 5, 42, Part::Config)]
    );
    insta::assert_snapshot!(common::rendered(&report));
}

#[test]
fn python_miro_api_app() {
    let report = sample_app("python-miro-api-app", &[".env"]);
    assert_eq!(
        places(&report, "client-python-token-expiry-not-stored"),
        vec![place("standup/app.py", 8, 12, Part::Source)]
    );
    assert_eq!(
        places(&report, "client-python-shared-storage"),
        vec![place("standup/app.py", 8, 12, Part::Source)]
    );
    assert!(report
        .findings
        .iter()
        .all(|f| f.rule != "scope-missing-for-code"));
    insta::assert_snapshot!(common::rendered(&report));
}

#[test]
fn ts_fetch_app_with_manifest() {
    let report = sample_app("ts-fetch-app", &[".env.local"]);
    assert_eq!(
        places(&report, "config-sdk-uri-missing"),
        vec![place("app-manifest.yaml", 8, 20, Part::Config)]
    );
    assert_eq!(
        places(&report, "scope-missing-for-code"),
        vec![place("src/api/miro.ts", 17, 27, Part::Source)]
    );
    // identity:read is a Web SDK scope and the app uses the Web SDK: not unused.
    assert!(!report.fired("scope-unused"), "{:?}", report.findings);
    insta::assert_snapshot!(common::rendered(&report));
}

#[test]
fn github_format() {
    let report = sample_app("node-app", &[".env", ".env.production"]);
    let out = render_to_string(&report, Format::Github);
    for line in out.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        let (props, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(!props.contains(": ") && !message.contains('\n'), "{line}");
    }
    insta::assert_snapshot!(out);
}

fn sarif_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/schema/sarif-schema-2.1.0.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("the SARIF 2.1.0 schema is missing at {path} ({e}): it is needed to validate --format sarif")
    });
    let mut schema: serde_json::Value =
        serde_json::from_str(&text).expect("the SARIF schema is JSON");
    // The published schema's `language` patterns end in an unescaped `]`, which ECMA-262 in
    // unicode mode (and this validator's meta-schema check) rejects. Our SARIF sets no
    // `language`, so escaping it changes nothing that is checked.
    fn escape_bracket(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match x {
                        serde_json::Value::String(p) if k == "pattern" => {
                            *p = p.replace("}]?$", "}\\]?$");
                        }
                        _ => escape_bracket(x),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(escape_bracket),
            _ => {}
        }
    }
    escape_bracket(&mut schema);
    // This copy of the schema keeps the log's own constraints under `definitions.Root` and
    // leaves the root unconstrained (anything would validate): validate against `Root`.
    if schema.get("properties").is_none() {
        assert!(
            schema
                .pointer("/definitions/Root/properties/runs")
                .is_some(),
            "{path}: neither the root nor definitions.Root constrains a SARIF log"
        );
        schema["allOf"] = serde_json::json!([{ "$ref": "#/definitions/Root" }]);
    }
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(
    validator: &jsonschema::Validator,
    what: &str,
    report: &Report,
) -> serde_json::Value {
    let text = render_to_string(report, Format::Sarif);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF does not validate:\n{}",
        errors.join("\n")
    );
    value
}

#[test]
fn sarif_validates_against_the_schema() {
    let validator = sarif_validator();
    for (app, envs) in [
        ("node-app", &[".env", ".env.production"][..]),
        ("python-requests-app", &["deploy/production.env"][..]),
        ("python-miro-api-app", &[".env"][..]),
        ("ts-fetch-app", &[".env.local"][..]),
    ] {
        assert_valid_sarif(&validator, app, &sample_app(app, envs));
    }
    // doctor reports too: inputs with a file name, inline inputs without a location.
    let doctor = common::run_fixture(&fixtures().join("inputs/authorize.url"));
    assert_valid_sarif(&validator, "doctor", &doctor);
    let inline = common::run_text(
        "<arg>",
        "https://miro.com/oauth/authorize?response_type=token&client_id=3458764512345678901",
        false,
        None,
        None,
    );
    assert_valid_sarif(&validator, "doctor <arg>", &inline);
    // The validator is not vacuous: a level SARIF does not define is rejected.
    let mut bad =
        serde_json::to_value(render::sarif::to_sarif(&sample_app("node-app", &[".env"]))).unwrap();
    bad["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(
        !validator.is_valid(&bad),
        "the schema accepts level `fatal`"
    );
}

#[test]
fn sarif_rule_metadata_comes_from_the_registry() {
    let report = sample_app("ts-fetch-app", &[".env.local"]);
    let value = assert_valid_sarif(&sarif_validator(), "ts-fetch-app", &report);
    let rules = value["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(!rules.is_empty());
    for r in rules {
        let rule = miro_oauth::rules::find(r["id"].as_str().unwrap()).unwrap();
        assert_eq!(r["shortDescription"]["text"], rule.summary);
        assert_eq!(r["fullDescription"]["text"], rule.docs);
        assert_eq!(r["help"]["markdown"], rule.docs);
    }
    for res in value["runs"][0]["results"].as_array().unwrap() {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(res["ruleId"], rules[i]["id"]);
    }
    insta::assert_json_snapshot!(value, {
        ".runs[].tool.driver.version" => "[version]",
        ".runs[].tool.driver.semanticVersion" => "[version]",
        ".runs[].tool.driver.rules[].fullDescription.text" => "[rules/<id>.md]",
        ".runs[].tool.driver.rules[].help.text" => "[rules/<id>.md]",
        ".runs[].tool.driver.rules[].help.markdown" => "[rules/<id>.md]",
        ".runs[].tool.driver.rules[].fullDescription.markdown" => "[rules/<id>.md]",
    });
}

// ---------------------------------------------------------------------------------------------
// Docs examples.

/// The fenced blocks of a docs section: (info string, body).
fn blocks(docs: &str, heading: &str) -> Vec<(String, String)> {
    let Some(start) = docs.find(heading) else {
        return Vec::new();
    };
    let rest = &docs[start + heading.len()..];
    let rest = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut out = Vec::new();
    let mut lines = rest.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push((info.trim().to_string(), body));
        }
    }
    out
}

/// Writes a docs example to a temp tree and runs `check` on it: the `toml` block is
/// `miro-oauth.toml`, a `dotenv NAME` block an `--env` file, any other `LANG PATH` block a
/// file of the scanned tree.
fn run_docs_example(rule: &str, heading: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let mut envs = Vec::new();
    let mut scan = false;
    let mut config = None;
    for (info, body) in blocks(miro_oauth::rules::find(rule).unwrap().docs, heading) {
        let (lang, name) = info.split_once(' ').unwrap_or((info.as_str(), ""));
        let name = if lang == "toml" && name.is_empty() {
            "miro-oauth.toml"
        } else {
            name
        };
        assert!(
            !name.is_empty(),
            "{rule}: `{heading}` block `{info}` names no file"
        );
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, body).unwrap();
        match lang {
            "toml" if name == "miro-oauth.toml" => config = Some(path),
            "dotenv" => envs.push(path),
            _ => scan = true,
        }
    }
    let config = config.unwrap_or_else(|| panic!("{rule}: `{heading}` has no toml block"));
    run_check(dir.path(), &config, &envs, scan.then_some(dir.path()))
}

#[test]
fn docs_examples_of_check_rules() {
    for rule in miro_oauth::rules::all()
        .iter()
        .filter(|r| r.group == Group::Config)
    {
        let example = run_docs_example(rule.id, "## Example");
        assert!(
            example.fired(rule.id),
            "{}: the Example does not fire; fired {:?}, skipped {:?}",
            rule.id,
            example.findings.iter().map(|f| f.rule).collect::<Vec<_>>(),
            example.skipped
        );
        let instead = run_docs_example(rule.id, "## Use instead");
        assert!(
            !instead.fired(rule.id),
            "{}: the Use instead example fires: {:?}",
            rule.id,
            instead.findings
        );
    }
}

// ---------------------------------------------------------------------------------------------
// doctor is unaffected.

#[test]
fn check_rules_are_silent_under_doctor() {
    let config = miro_oauth::config::load::load(
        &fixtures().join("config-secret-inline/secret-in-config.toml"),
    )
    .unwrap();
    let report = common::run_text(
        "authorize.url",
        "https://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901&redirect_uri=http%3A%2F%2Fapp.example.com%2Fcb&state=x1",
        false,
        Some(&config),
        None,
    );
    let check_ids: Vec<&str> = miro_oauth::rules::all()
        .iter()
        .filter(|r| r.group == Group::Config)
        .map(|r| r.id)
        .collect();
    assert!(report.findings.iter().all(|f| !check_ids.contains(&f.rule)));
    assert!(report.skipped.iter().all(|s| !check_ids.contains(&s.rule)));
}

// ---------------------------------------------------------------------------------------------
// CLI.

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_miro-oauth"));
    c.env_remove("MIRO_OAUTH_CONFIG")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(dir);
    c
}

fn out(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn cli_without_config_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = out(&bin(dir.path()).arg("check").output().unwrap());
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("no app config found"), "{stderr}");
    assert!(
        stderr.contains("miro-oauth.toml, .miro-oauth.toml, app-manifest.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&dir.path().display().to_string()),
        "{stderr}"
    );
    assert!(stderr.contains("--config FILE"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn cli_exit_codes_and_formats() {
    let app = fixtures().join("check/node-app");
    for format in ["human", "json", "sarif", "github"] {
        let o = bin(&app)
            .args([
                "check",
                "--env",
                ".env",
                "--env",
                ".env.production",
                "--scan",
                ".",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let (code, stdout, stderr) = out(&o);
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(
            !stdout.is_empty() && stderr.is_empty(),
            "{format}: {stderr}"
        );
        assert!(!stdout.contains(SECRET), "{format} shows the secret");
    }
    // Only warnings and infos: exit 0.
    let ok = fixtures().join("config-non-expiring-token");
    let (code, stdout, _) = out(&bin(&ok)
        .args(["check", "--config", "non-expiring.toml"])
        .output()
        .unwrap());
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("info[config-non-expiring-token]"),
        "{stdout}"
    );
    // --select / --ignore.
    let (code, stdout, _) = out(&bin(&app)
        .args([
            "check",
            "--env",
            ".env.production",
            "--scan",
            ".",
            "--select",
            "scope-unused",
            "--format",
            "json",
        ])
        .output()
        .unwrap());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule"] == "scope-unused"));
}

#[test]
fn cli_bad_inputs_exit_2_with_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("miro-oauth.toml"),
        "[app]\nclient_id = \"3458764512345678901\"\nredirect_uris = [\"https://a.example/cb\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.env"), "A=1\nnot an assignment\n").unwrap();
    let (code, _, stderr) = out(&bin(dir.path())
        .args(["check", "--env", "bad.env"])
        .output()
        .unwrap());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad.env:2:5: expected `=` after `not`"),
        "{stderr}"
    );
    let (code, _, stderr) = out(&bin(dir.path())
        .args(["check", "--env", "missing.env"])
        .output()
        .unwrap());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("missing.env: cannot read --env file"),
        "{stderr}"
    );
    let (code, _, stderr) = out(&bin(dir.path())
        .args(["check", "--scan", "nowhere"])
        .output()
        .unwrap());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("nowhere: cannot read --scan directory"),
        "{stderr}"
    );
    let (code, _, stderr) = out(&bin(dir.path())
        .args(["rules", "--format", "sarif"])
        .output()
        .unwrap());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`rules` prints `human` or `json`"),
        "{stderr}"
    );
}

#[test]
fn cli_config_found_from_the_scanned_tree() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing in the temp dir: the config is found in the --scan directory.
    let scan_dir = fixtures().join("scope-unused/ok-all-used");
    let (code, stdout, stderr) = out(&bin(dir.path())
        .args([
            "check",
            "--scan",
            scan_dir.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap());
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn cli_secrets_masked_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("miro-oauth.toml"),
        "[app]\nclient_id = \"3458764512345678901\"\nredirect_uris = [\"https://a.example/cb\"]\n",
    )
    .unwrap();
    // The secret pasted into the client id's variable: the finding quotes the value.
    std::fs::write(
        dir.path().join(".env"),
        format!("MIRO_CLIENT_SECRET={SECRET}\nMIRO_CLIENT_ID={SECRET}\n"),
    )
    .unwrap();
    for format in ["human", "json", "sarif", "github"] {
        let (code, stdout, _) = out(&bin(dir.path())
            .args(["check", "--env", ".env", "--format", format])
            .output()
            .unwrap());
        assert_eq!(code, 1);
        assert!(
            stdout.contains("env-client-id-mismatch"),
            "{format}: {stdout}"
        );
        assert!(
            !stdout.contains(SECRET),
            "{format} shows the secret: {stdout}"
        );
        assert!(
            stdout.contains("[client_secret len=32 #"),
            "{format}: {stdout}"
        );
    }
    let (_, stdout, _) = out(&bin(dir.path())
        .args(["check", "--env", ".env", "--show-secrets"])
        .output()
        .unwrap());
    assert!(stdout.contains(SECRET));
}

#[test]
fn cli_doctor_sarif_and_github() {
    let dir = tempfile::tempdir().unwrap();
    let url = fixtures().join("inputs/authorize.url");
    for format in ["sarif", "github"] {
        let o = bin(dir.path())
            .args(["doctor", url.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        let (code, stdout, stderr) = out(&o);
        assert!(code == 0 || code == 1, "{format}: {stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        if format == "sarif" {
            let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(v["version"], "2.1.0");
        }
    }
}

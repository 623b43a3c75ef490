//! The rule registry stays honest: ids sorted, unique, kebab-case; every rule has its docs
//! with the fixed headings, fixtures that fire and fixtures that stay quiet; every docs file
//! and fixture directory belongs to a registered rule; and each doc's `## Example` fires the
//! rule while its `## Use instead` does not (the docs cannot drift from the code).

mod common;

use std::collections::BTreeSet;

use miro_oauth::rules;

const FIXTURE_EXTS: &[&str] = &["curl", "url", "http", "har", "flow"];

/// Cases of `check` rules (group `config`): a config file alone, or an app tree directory
/// (config, env files, sources) — run by `tests/check.rs`.
const CHECK_CASE_EXTS: &[&str] = &["toml", "yaml", "yml"];

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[test]
fn ids_sorted_unique_kebab() {
    let ids: Vec<&str> = rules::all().iter().map(|r| r.id).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "ids must be sorted and unique: {ids:?}"
    );
    for id in &ids {
        assert!(is_kebab(id), "{id} is not kebab-case");
    }
    let table: String = rules::all()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} — {}\n",
                r.id,
                r.severity.as_str(),
                r.group.as_str(),
                r.summary
            )
        })
        .collect();
    insta::assert_snapshot!(table);
}

#[test]
fn every_rule_has_docs_and_fixtures() {
    let root = common::root();
    for r in rules::all() {
        for h in [
            format!("# {}\n", r.id),
            "## What it does".into(),
            "## Why is this bad?".into(),
            "## Example".into(),
            "## Use instead".into(),
            "## References".into(),
        ] {
            assert!(r.docs.contains(&h), "{}: docs lack `{}`", r.id, h.trim());
        }
        let on_disk = std::fs::read_to_string(root.join("rules").join(format!("{}.md", r.id)))
            .unwrap_or_else(|_| panic!("rules/{}.md missing", r.id));
        assert_eq!(
            on_disk, r.docs,
            "{}: compiled docs differ from rules/{}.md",
            r.id, r.id
        );
        let dir = root.join("fixtures").join(r.id);
        let check_rule = r.group == miro_oauth::engine::Group::Config;
        let cases: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} lacks fixtures/{}/", r.id, r.id))
            .map(|e| e.unwrap())
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                let ext = |xs: &[&str]| xs.iter().any(|x| n.ends_with(&format!(".{x}")));
                ext(FIXTURE_EXTS) || (check_rule && (ext(CHECK_CASE_EXTS) || e.path().is_dir()))
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            cases.iter().any(|n| !n.starts_with("ok-")),
            "{}: no firing fixture",
            r.id
        );
        assert!(
            cases.iter().any(|n| n.starts_with("ok-")),
            "{}: no ok- fixture",
            r.id
        );
    }
}

#[test]
fn no_orphan_docs_or_fixture_dirs() {
    let root = common::root();
    let ids: BTreeSet<&str> = rules::all().iter().map(|r| r.id).collect();
    for e in std::fs::read_dir(root.join("rules")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(id) = name.strip_suffix(".md") {
            assert!(
                ids.contains(id),
                "rules/{name} documents no registered rule"
            );
        }
    }
    for e in std::fs::read_dir(root.join("fixtures")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() && !["check", "clean", "config", "inputs"].contains(&name.as_str()) {
            assert!(
                ids.contains(name.as_str()),
                "fixtures/{name}/ belongs to no registered rule"
            );
        }
    }
}

/// The fenced block after a heading, with its info string.
fn block_after<'a>(docs: &'a str, heading: &str) -> Option<(&'a str, &'a str)> {
    let rest = &docs[docs.find(heading)? + heading.len()..];
    let rest = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let start = rest.find("```")?;
    let after = &rest[start + 3..];
    let nl = after.find('\n')?;
    let info = after[..nl].trim();
    let body = &after[nl + 1..];
    let end = body.find("\n```")?;
    Some((info, &body[..end + 1]))
}

#[test]
fn docs_examples_behave() {
    let root = common::root();
    for r in rules::all() {
        let config = common::dir_config(&root.join("fixtures").join(r.id));
        for (heading, should_fire) in [("## Example", true), ("## Use instead", false)] {
            let (info, body) = block_after(r.docs, heading)
                .unwrap_or_else(|| panic!("{}: `{heading}` has no fenced example", r.id));
            assert!(
                FIXTURE_EXTS.contains(&info) || info == "toml",
                "{}: example info string `{info}`",
                r.id
            );
            if info == "toml" {
                continue; // config rules are exercised by `check`, not `doctor`
            }
            let report = common::run_text(
                &format!("{}.md", r.id),
                body,
                info == "flow",
                config.as_ref(),
                None,
            );
            assert_eq!(
                report.fired(r.id),
                should_fire,
                "{}: the `{heading}` example {} fire; fired: {:?}",
                r.id,
                if should_fire { "does not" } else { "does" },
                report.findings.iter().map(|f| f.rule).collect::<Vec<_>>()
            );
        }
    }
}

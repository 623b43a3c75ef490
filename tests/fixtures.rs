//! Every fixture under `fixtures/<rule-id>/`: a case fires its directory's rule, an `ok-` case
//! must not, and cases under `fixtures/clean/` must produce no finding at all. One snapshot per
//! fixture holds the plain human rendering and the JSON output.

mod common;

use std::path::Path;

fn case_rule(path: &Path) -> String {
    path.parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn is_ok_case(path: &Path) -> bool {
    path.file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("ok-")
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures", "*/*.{curl,url,http,har,flow}", |path| {
        let rule = case_rule(path);
        if rule == "inputs" {
            return; // sample inputs for the README and CLI tests, not rule cases
        }
        let report = common::run_fixture(path);
        let fired: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
        if rule == "clean" {
            assert!(
                report.findings.is_empty(),
                "{}: a clean capture produced findings: {fired:?}",
                path.display()
            );
        } else {
            assert!(
                miro_oauth::rules::find(&rule).is_some(),
                "{}: fixtures/{rule} is not a registered rule id",
                path.display()
            );
            if is_ok_case(path) {
                assert!(
                    !report.fired(&rule),
                    "{}: `{rule}` fired on an ok- case: {fired:?}",
                    path.display()
                );
            } else {
                assert!(
                    report.fired(&rule),
                    "{}: `{rule}` did not fire; fired: {fired:?}",
                    path.display()
                );
            }
        }
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(common::rendered(&report));
        });
    });
}

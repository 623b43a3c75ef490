//! The README's rule table is generated from the registry, never maintained by hand: this test
//! fails when they differ. `UPDATE_README=1 cargo test --test readme` rewrites the table.

mod common;

const START: &str = "<!-- rules:start -->\n";
const END: &str = "<!-- rules:end -->";

fn table() -> String {
    let mut t = String::from("| rule | severity | group | catches |\n|---|---|---|---|\n");
    for r in miro_oauth::rules::all() {
        t.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.id,
            r.severity.as_str(),
            r.group.as_str(),
            r.summary.replace('|', "\\|")
        ));
    }
    t
}

#[test]
fn readme_rule_table_matches_registry() {
    let path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme
        .find(START)
        .expect("README lacks <!-- rules:start -->")
        + START.len();
    let end = readme.find(END).expect("README lacks <!-- rules:end -->");
    let expected = table();
    if readme[start..end] != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "README rule table is out of date; run `UPDATE_README=1 cargo test --test readme`. Expected:\n{expected}"
            );
        }
    }
}

/// The README's quick-start output is what `doctor` really prints for the bundled example.
#[test]
fn readme_quick_start_output_is_real() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let cmd = "$ cargo run --release -- doctor fixtures/inputs/token-exchange.sh\n";
    let start = readme
        .find(cmd)
        .expect("README lacks the quick-start command")
        + cmd.len();
    let end = start + readme[start..].find("\n```").expect("unclosed block");
    let shown = &readme[start..=end];
    // Integration tests run in the package root, as a user following the README does.
    let path = std::path::PathBuf::from("fixtures/inputs/token-exchange.sh");
    let flow =
        miro_oauth::read_sources(&[miro_oauth::Source::File(path)], &mut |_, _, _| {}).unwrap();
    let report = miro_oauth::doctor(&flow, None, &miro_oauth::engine::Options::default());
    let mut out = Vec::new();
    miro_oauth::render::render(
        &report,
        miro_oauth::render::Format::Human,
        Default::default(),
        &mut out,
    )
    .unwrap();
    assert_eq!(
        shown,
        String::from_utf8(out).unwrap(),
        "README quick start is stale"
    );
}

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

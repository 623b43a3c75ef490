//! Dependency manifests and lock files in the scanned tree: which of Miro's packages the app
//! depends on, in which version, and where that is written (file, line, column).
//!
//! Read: `package.json`, `package-lock.json` / `npm-shrinkwrap.json`, `yarn.lock` (classic and
//! berry), `pnpm-lock.yaml`, `requirements*.txt`, `pyproject.toml` (PEP 621, Poetry, PEP 735
//! groups), `Pipfile`, `Pipfile.lock`, `poetry.lock` and `uv.lock`. Only Miro's own packages
//! are looked for (facts §18): the Node client `@mirohq/miro-api`, the Python client
//! `miro_api` (PyPI normalises it to `miro-api`) and the Web SDK typings `@mirohq/websdk-types`.
//! A manifest that does not parse is not an error: the dependency is then looked for in the text.

use serde_json::Value;

/// Which Miro package a dependency is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Package {
    /// `@mirohq/miro-api`, the official Node client.
    NodeClient,
    /// `miro_api`, the official Python client.
    PythonClient,
    /// `@mirohq/websdk-types` / `@mirohq/websdk-react-hooks`: the app uses the Web SDK.
    WebSdk,
}

impl Package {
    /// The package's display name.
    pub fn name(self) -> &'static str {
        match self {
            Package::NodeClient => "@mirohq/miro-api",
            Package::PythonClient => "miro_api",
            Package::WebSdk => "@mirohq/websdk-types",
        }
    }
}

/// A dependency on one of Miro's packages found in a manifest or lock file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// Which package.
    pub package: Package,
    /// The name as written (`miro-api`, `@mirohq/miro-api`).
    pub written: String,
    /// The version or requirement as written (`^2.2.4`, `==2.1.0`, `2.2.4`), when given.
    pub version: Option<String>,
    /// The manifest's file name (`package.json`, `poetry.lock`…).
    pub manifest: String,
    /// 1-based line of the name in the file.
    pub line: usize,
    /// 1-based column of the name in the file.
    pub column: usize,
}

/// Is this file name a manifest or lock file [`parse`] reads?
pub fn is_manifest(file_name: &str) -> bool {
    matches!(
        file_name,
        "package.json"
            | "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "pyproject.toml"
            | "Pipfile"
            | "Pipfile.lock"
            | "poetry.lock"
            | "uv.lock"
    ) || (file_name.starts_with("requirements") && file_name.ends_with(".txt"))
}

/// The Miro dependencies declared in a manifest's text.
pub fn parse(file_name: &str, text: &str) -> Vec<Dependency> {
    // Cheap pre-filter: lock files can be megabytes, and almost none mention Miro.
    if !text.contains("miro") && !text.contains("Miro") && !text.contains("MIRO") {
        return Vec::new();
    }
    let mut out = match file_name {
        "package.json" => package_json(text),
        "package-lock.json" | "npm-shrinkwrap.json" => package_lock(text),
        "yarn.lock" => yarn_lock(text),
        "pnpm-lock.yaml" => pnpm_lock(text),
        "pyproject.toml" | "Pipfile" => python_toml(text),
        "Pipfile.lock" => pipfile_lock(text),
        "poetry.lock" | "uv.lock" => python_lock(text),
        _ => requirements(text),
    };
    for d in &mut out {
        d.manifest = file_name.to_string();
    }
    out
}

const NODE_PACKAGES: &[(&str, Package)] = &[
    ("@mirohq/miro-api", Package::NodeClient),
    ("@mirohq/websdk-types", Package::WebSdk),
    ("@mirohq/websdk-react-hooks", Package::WebSdk),
];

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become `-`.
fn normalize_python(name: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn python_package(name: &str) -> Option<Package> {
    (normalize_python(name) == "miro-api").then_some(Package::PythonClient)
}

/// 1-based line and column of byte offset `at`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let p = crate::error::Position::at_offset(text, at);
    (p.line, p.column)
}

fn dep(
    package: Package,
    written: &str,
    version: Option<String>,
    text: &str,
    at: usize,
) -> Dependency {
    let (line, column) = position(text, at);
    Dependency {
        package,
        written: written.to_string(),
        version: version.filter(|v| !v.trim().is_empty()),
        manifest: String::new(),
        line,
        column,
    }
}

/// Offset of the first `needle` that is a JSON key or string (`"needle"`), pointing inside
/// the quotes; else of the first plain occurrence.
fn find_quoted(text: &str, needle: &str) -> Option<usize> {
    text.find(&format!("\"{needle}\""))
        .map(|i| i + 1)
        .or_else(|| text.find(needle))
}

fn package_json(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let json: Option<Value> = serde_json::from_str(text).ok();
    for (name, package) in NODE_PACKAGES {
        let version = json.as_ref().and_then(|j| {
            [
                "dependencies",
                "devDependencies",
                "peerDependencies",
                "optionalDependencies",
            ]
            .iter()
            .find_map(|k| j.get(k)?.get(name)?.as_str().map(str::to_string))
        });
        let declared = match &json {
            Some(_) => version.is_some(),
            None => text.contains(&format!("\"{name}\"")),
        };
        if declared {
            if let Some(at) = find_quoted(text, name) {
                out.push(dep(*package, name, version, text, at));
            }
        }
    }
    out
}

fn package_lock(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let json: Option<Value> = serde_json::from_str(text).ok();
    for (name, package) in NODE_PACKAGES {
        let key = format!("node_modules/{name}");
        let version = json.as_ref().and_then(|j| {
            j.get("packages")
                .and_then(|p| p.get(&key))
                .or_else(|| j.get("dependencies").and_then(|d| d.get(name)))
                .and_then(|e| e.get("version"))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let at = find_quoted(text, &key).or_else(|| find_quoted(text, name));
        if let Some(at) = at {
            if json.is_none() || version.is_some() {
                out.push(dep(*package, name, version, text, at));
            }
        }
    }
    out
}

fn yarn_lock(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    for (name, package) in NODE_PACKAGES {
        for (start, line) in lines_at(text) {
            // Entry headers are unindented: `"@mirohq/miro-api@^2.2.4":`,
            // `@mirohq/miro-api@^2.2.4, @mirohq/miro-api@^2.0.0:`, berry `"…@npm:^2.2.4":`.
            if line.starts_with([' ', '\t', '#']) {
                continue;
            }
            let Some(col) = line.find(&format!("{name}@")) else {
                continue;
            };
            let rest = &text[start + line.len()..];
            let version = rest
                .lines()
                .take_while(|l| l.starts_with([' ', '\t']) || l.is_empty())
                .find_map(|l| {
                    let l = l.trim();
                    l.strip_prefix("version ")
                        .or_else(|| l.strip_prefix("version: "))
                        .map(|v| v.trim_matches('"').to_string())
                });
            out.push(dep(*package, name, version, text, start + col));
            break;
        }
    }
    out
}

fn pnpm_lock(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    for (name, package) in NODE_PACKAGES {
        // `/@mirohq/miro-api@2.2.4:` (v6), `'@mirohq/miro-api@2.2.4':` (v9), or an importer's
        // `'@mirohq/miro-api':` followed by `version: 2.2.4`.
        let at_version = text.find(&format!("{name}@"));
        let version = at_version.map(|i| {
            let v = &text[i + name.len() + 1..];
            v[..v.find([':', '\'', '"', '(', '\n', ' ']).unwrap_or(v.len())].to_string()
        });
        let at = at_version.or_else(|| text.find(name));
        if let Some(at) = at {
            out.push(dep(*package, name, version, text, at));
        }
    }
    out
}

/// `requirements*.txt`: `miro_api==2.1.0`, `miro-api>=2 ; python_version>"3.8"`, `miro_api[x]`.
fn requirements(text: &str) -> Vec<Dependency> {
    for (start, line) in lines_at(text) {
        let content = line.split('#').next().unwrap_or("");
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('-') {
            continue;
        }
        let lead = content.len() - trimmed.len();
        let (name, version) = split_requirement(trimmed);
        if let Some(package) = python_package(name) {
            return vec![dep(package, name, Some(version), text, start + lead)];
        }
    }
    Vec::new()
}

/// The lines of `text` (each with its line break) and the byte offset each starts at.
fn lines_at(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line))
    })
}

/// A PEP 508 requirement that starts with the package name (`miro_api[extra]>=2.1 ;
/// python_version > '3.8'`): the name as written, and the version specifier without extras
/// and markers (empty when there is none).
fn split_requirement(spec: &str) -> (&str, String) {
    let name_len = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let rest = spec[name_len..].trim_start();
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']').map_or("", |(_, after)| after),
        None => rest,
    };
    let version = rest.split(';').next().unwrap_or("").trim().to_string();
    (&spec[..name_len], version)
}

/// `pyproject.toml` (PEP 621 `dependencies`, optional and PEP 735 groups, Poetry tables) and
/// `Pipfile` (`[packages]`, `[dev-packages]`).
fn python_toml(text: &str) -> Vec<Dependency> {
    let Ok(doc) = toml::from_str::<toml::Table>(text) else {
        return requirements_in_text(text);
    };
    let mut found: Option<(String, Option<String>)> = None;
    let mut consider = |name: &str, version: Option<String>| {
        if found.is_none() && python_package(name).is_some() {
            found = Some((name.to_string(), version));
        }
    };
    let mut lists: Vec<&toml::Value> = Vec::new();
    if let Some(project) = doc.get("project") {
        lists.extend(project.get("dependencies"));
        if let Some(opt) = project
            .get("optional-dependencies")
            .and_then(|v| v.as_table())
        {
            lists.extend(opt.values());
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(|v| v.as_table()) {
        lists.extend(groups.values());
    }
    for list in lists {
        for spec in list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
        {
            let (name, version) = split_requirement(spec.trim());
            consider(name, Some(version));
        }
    }
    let mut tables: Vec<&toml::Table> = Vec::new();
    if let Some(poetry) = doc.get("tool").and_then(|t| t.get("poetry")) {
        for key in ["dependencies", "dev-dependencies"] {
            tables.extend(poetry.get(key).and_then(|v| v.as_table()));
        }
        if let Some(groups) = poetry.get("group").and_then(|v| v.as_table()) {
            for g in groups.values() {
                tables.extend(g.get("dependencies").and_then(|v| v.as_table()));
            }
        }
    }
    for key in ["packages", "dev-packages"] {
        tables.extend(doc.get(key).and_then(|v| v.as_table()));
    }
    for table in tables {
        for (name, v) in table {
            let version = match v {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Table(t) => t
                    .get("version")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                _ => None,
            };
            consider(name, version);
        }
    }
    match found {
        Some((name, version)) => locate_python(text, &name)
            .map(|at| vec![dep(Package::PythonClient, &name, version, text, at)])
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// Where a Python package name is written (any spelling of it, as a whole word).
fn locate_python(text: &str, written: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(written) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + written.len()..].chars().next();
        let word = |c: Option<char>| {
            c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if !word(before) && !word(after) {
            return Some(at);
        }
        from = at + written.len();
    }
    None
}

/// Fallback for unparsable TOML: a requirement-like mention of the package.
fn requirements_in_text(text: &str) -> Vec<Dependency> {
    for written in ["miro_api", "miro-api", "miro.api"] {
        if let Some(at) = locate_python(text, written) {
            return vec![dep(Package::PythonClient, written, None, text, at)];
        }
    }
    Vec::new()
}

fn pipfile_lock(text: &str) -> Vec<Dependency> {
    let Ok(json) = serde_json::from_str::<Value>(text) else {
        return requirements_in_text(text);
    };
    for section in ["default", "develop"] {
        let Some(map) = json.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (name, entry) in map {
            if python_package(name).is_some() {
                let version = entry
                    .get("version")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                if let Some(at) = find_quoted(text, name) {
                    return vec![dep(Package::PythonClient, name, version, text, at)];
                }
            }
        }
    }
    Vec::new()
}

/// `poetry.lock` / `uv.lock`: `[[package]]` tables with `name` and `version`.
fn python_lock(text: &str) -> Vec<Dependency> {
    let Ok(doc) = toml::from_str::<toml::Table>(text) else {
        return requirements_in_text(text);
    };
    for p in doc
        .get("package")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let Some(name) = p.get("name").and_then(|v| v.as_str()) else {
            continue;
        };
        if python_package(name).is_some() {
            let version = p
                .get("version")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let at = find_quoted(text, name).unwrap_or(0);
            return vec![dep(Package::PythonClient, name, version, text, at)];
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(file: &str, text: &str) -> Dependency {
        let v = parse(file, text);
        assert_eq!(v.len(), 1, "{file}: {v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn npm_manifests() {
        let d = one(
            "package.json",
            "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"@mirohq/miro-api\": \"^2.2.4\"\n  }\n}\n",
        );
        assert_eq!(
            (d.package, d.version.as_deref(), d.line, d.column),
            (Package::NodeClient, Some("^2.2.4"), 4, 6)
        );
        let d = one(
            "package-lock.json",
            "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/@mirohq/miro-api\": {\n      \"version\": \"2.2.4\"\n    }\n  }\n}\n",
        );
        assert_eq!((d.version.as_deref(), d.line), (Some("2.2.4"), 4));
        let d = one(
            "yarn.lock",
            "# yarn lockfile v1\n\n\"@mirohq/miro-api@^2.2.4\":\n  version \"2.2.4\"\n  resolved \"x\"\n",
        );
        assert_eq!(
            (d.version.as_deref(), d.line, d.column),
            (Some("2.2.4"), 3, 2)
        );
        let d = one(
            "pnpm-lock.yaml",
            "lockfileVersion: '9.0'\npackages:\n\n  '@mirohq/miro-api@2.2.4':\n    resolution: {}\n",
        );
        assert_eq!((d.version.as_deref(), d.line), (Some("2.2.4"), 4));
    }

    #[test]
    fn python_manifests() {
        let d = one(
            "requirements.txt",
            "flask==3.0\n# miro_api is below\nMiro-API[extra]>=2.1 ; python_version > '3.8'\n",
        );
        assert_eq!(
            (d.package, d.version.as_deref(), d.line, d.column),
            (Package::PythonClient, Some(">=2.1"), 3, 1)
        );
        let d = one(
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\n  \"requests\",\n  \"miro_api>=2\",\n]\n",
        );
        assert_eq!(
            (d.version.as_deref(), d.line, d.column),
            (Some(">=2"), 5, 4)
        );
        let d = one(
            "pyproject.toml",
            "[tool.poetry.dependencies]\npython = \"^3.11\"\nmiro-api = \"^2.1\"\n",
        );
        assert_eq!((d.version.as_deref(), d.line), (Some("^2.1"), 3));
        let d = one(
            "poetry.lock",
            "[[package]]\nname = \"miro-api\"\nversion = \"2.1.0\"\n",
        );
        assert_eq!((d.version.as_deref(), d.line), (Some("2.1.0"), 2));
        let d = one(
            "Pipfile.lock",
            "{\"default\": {\n  \"miro-api\": {\"version\": \"==2.1.0\"}\n}}\n",
        );
        assert_eq!((d.version.as_deref(), d.line), (Some("==2.1.0"), 2));
    }

    #[test]
    fn near_misses_are_not_dependencies() {
        assert!(parse("requirements.txt", "miro-api-extras==1\nmymiro_api==2\n").is_empty());
        assert!(parse("package.json", "{\"dependencies\": {\"@mirohq/miro-api-mock\": \"1\"}, \"description\": \"uses miro\"}").is_empty());
        assert!(is_manifest("requirements-dev.txt") && !is_manifest("README.md"));
    }
}

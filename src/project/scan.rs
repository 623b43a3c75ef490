//! The source scan (`check --scan DIR`): finds the app's Miro REST calls, its use of Miro's
//! official clients and of the Web SDK, and its Miro dependencies, each with file, line and
//! column.
//!
//! # Walking
//!
//! The tree is walked like ripgrep walks it (the `ignore` crate, in parallel): `.gitignore`,
//! `.ignore` and `.git/info/exclude` rules apply even outside a Git checkout, hidden files and
//! directories are skipped, and so are directories that hold other people's code or build
//! output whether or not they are ignored ([`SKIP_DIRS`]: `node_modules`, `vendor`, virtualenvs,
//! `target`…): the Miro clients' own sources in `node_modules` would otherwise count as the
//! app's calls. Only source files are read (by extension, [`lang_of`]); minified bundles
//! (`*.min.js`), files over [`MAX_SOURCE_BYTES`] and binary files (a NUL byte in the first
//! 8 KiB, as Git decides) are skipped and counted. Manifests and lock files are read
//! whatever their size up to [`MAX_MANIFEST_BYTES`].
//!
//! # Finding calls
//!
//! A file is looked at closely only when it mentions Miro at all (`miro`, `Miro` or `MIRO`);
//! those candidate files are kept and analysed after the walk, once every file's base-URL
//! constants and the project's dependencies are known. In a candidate file:
//!
//! - string literals holding an `api.miro.com` URL, in any language: JS/TS template literals
//!   (`${boardId}`), Python f-strings (`{board_id}`), C# `$"…"`, Ruby `#{…}`, Kotlin `$id`,
//!   Swift `\(id)`, `%s`/`{}` format strings, and concatenations
//!   (`'…/v2/boards/' + id + '/items'`, PHP's `.`). Interpolations become path parameters.
//! - base-URL constants (`const MIRO_API = 'https://api.miro.com/v2'`, `self.base_url = …`)
//!   and their uses in any candidate file (`` `${MIRO_API}/boards/${id}` ``,
//!   `f"{self.base_url}/boards"`, `MIRO_API + '/boards'`); an HTTP client created with such a
//!   base (`baseURL:`) makes relative paths (`'/boards/…'`) in call arguments count too.
//! - API paths without the host (`'/v2/boards/…'`), as the clients' own `call()` takes them.
//! - low-level methods of Miro's official clients, named after the spec's operationIds
//!   (`create-sticky-note-item` → `.createStickyNoteItem(` in Node, `.create_sticky_note_item(`
//!   in Python), plus the Node client's high-level helpers (`board.getAllItems()`), in files
//!   that import the client (or in any candidate file when a manifest depends on it).
//!   `miro.board.…` is the Web SDK, not REST, and is recorded as Web SDK use.
//!
//! The HTTP method comes from the call around the URL: the callee (`requests.post`,
//! `axios.delete`, `client.PutAsync`), a `method: 'PATCH'` option or a leading method argument
//! (`request("POST", url)`, `http.MethodPost`), `fetch`'s default GET, or, for a URL assigned to
//! a variable, the call that variable is passed to. When the method cannot be told, every
//! operation on that path is a candidate: [`ApiCall::definite_scopes`] is then what all of them
//! need, [`ApiCall::possible_scopes`] what any of them may need.
//!
//! Lines that start with a comment marker are skipped. Calls through other wrappers (an
//! `api` object passed into a file that never mentions Miro, URLs read from config at
//! runtime) cannot be seen: `scope-unused` says so in its fix.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use super::deps::{self, Dependency, Package};
use super::ProjectError;
use crate::catalog::{self, Operation};

/// Directories never descended into: dependencies, virtualenvs and build output hold code the
/// app did not write (the Miro clients' own sources would count as calls).
pub const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "site-packages",
    "venv",
    "__pycache__",
    "target",
];

/// Source files larger than this are skipped (generated bundles, fixtures dumps).
pub const MAX_SOURCE_BYTES: u64 = 2 * 1024 * 1024;

/// Manifests and lock files larger than this are skipped.
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// A place in a scanned file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceRef {
    /// The path, relative to the project base, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The language family of a source file, which decides the syntax the scanner expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// JavaScript, TypeScript and their component formats (Vue, Svelte, Astro).
    Js,
    /// Python.
    Python,
    /// HTML (inline scripts, the Web SDK script tag).
    Html,
    /// PHP (`.` concatenation, `"$var"` interpolation).
    Php,
    /// Languages whose comments start with `#` (Ruby, shell, Perl, R, Elixir…).
    HashComment,
    /// Other C-like languages (Go, Java, Kotlin, C#, Rust, Swift, Dart…).
    Other,
}

/// How a call was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CallVia {
    /// A URL (or API path) in the code.
    Url,
    /// A method of the Node client `@mirohq/miro-api`.
    NodeClient,
    /// A method of the Python client `miro_api`.
    PythonClient,
}

/// One Miro REST call found in the source.
#[derive(Clone, Debug)]
pub struct ApiCall {
    /// Where it is.
    pub at: SourceRef,
    /// How it was written.
    pub via: CallVia,
    /// The HTTP method, when the code tells it.
    pub method: Option<String>,
    /// The path as written, interpolations shown as `{}` (`/v2/boards/{}/sticky_notes`).
    pub path: String,
    /// The code that makes the call (the URL expression or `.method(`), shortened.
    pub code: String,
    /// The operations it may be: one when method and path are known, several when not.
    pub ops: Vec<&'static Operation>,
}

impl ApiCall {
    /// `POST /v2/boards/{board_id}/sticky_notes` when one operation matches, else the method
    /// (or `?`) and the path as written.
    pub fn endpoint(&self) -> String {
        match self.ops.as_slice() {
            // Same-wire-path variants (get-items, get-items-by-tag…) are one endpoint.
            [op, rest @ ..]
                if rest
                    .iter()
                    .all(|o| o.method == op.method && o.path == op.path) =>
            {
                op.display()
            }
            _ => format!("{} {}", self.method.as_deref().unwrap_or("*"), self.path),
        }
    }

    /// The operationIds it may be, comma-separated.
    pub fn operation_ids(&self) -> Vec<&'static str> {
        let mut v: Vec<&str> = self.ops.iter().map(|o| o.operation_id.as_str()).collect();
        v.dedup();
        v
    }

    /// Scopes every candidate operation needs (so the call certainly needs them).
    pub fn definite_scopes(&self) -> Vec<String> {
        let Some((first, rest)) = self.ops.split_first() else {
            return Vec::new();
        };
        first
            .scopes
            .iter()
            .filter(|s| {
                rest.iter()
                    .all(|o| o.scopes.iter().any(|t| catalog::scope_satisfies(t, s)))
            })
            .cloned()
            .collect()
    }

    /// Scopes any candidate operation needs (so the call may use them).
    pub fn possible_scopes(&self) -> BTreeSet<String> {
        self.ops
            .iter()
            .flat_map(|o| o.scopes.iter().cloned())
            .collect()
    }
}

/// Which official client object the code creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientKind {
    /// `new Miro(…)` (Node) / `Miro(…)` (Python): stores tokens and refreshes them itself.
    HighLevel,
    /// `new MiroApi(token)` / `MiroApi(token)`: takes a token; refreshing is the app's job.
    LowLevel,
}

/// A construction of an official client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientUse {
    /// Where.
    pub at: SourceRef,
    /// Node or Python.
    pub package: Package,
    /// High-level (refreshes) or low-level.
    pub kind: ClientKind,
    /// The call as written, shortened.
    pub code: String,
    /// Whether a `storage` option/argument is passed.
    pub has_storage: bool,
}

/// A client secret written as a literal in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineSecret {
    /// Where the literal is.
    pub at: SourceRef,
    /// The name it is assigned to (`clientSecret`).
    pub name: String,
    /// The value (masked in every output unless `--show-secrets`).
    pub value: String,
}

/// A Miro dependency and the file that declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDependency {
    /// Where (the file and the name's position).
    pub at: SourceRef,
    /// What.
    pub dep: Dependency,
}

/// What the scan found.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    /// The scanned directory as given.
    pub root: PathBuf,
    /// Source files read.
    pub files_scanned: usize,
    /// Source files skipped (binary, too large, minified, unreadable).
    pub files_skipped: usize,
    /// REST calls, sorted by place.
    pub calls: Vec<ApiCall>,
    /// Miro dependencies in manifests and lock files, sorted by place.
    pub deps: Vec<FoundDependency>,
    /// Constructions of the official clients.
    pub clients: Vec<ClientUse>,
    /// Web SDK use (`miro.board.…`, the SDK script), first per file.
    pub web_sdk: Vec<SourceRef>,
    /// Client secrets written in the source.
    pub secrets: Vec<InlineSecret>,
    /// Python code that handles `token_expires_at` itself (works around the Python client's
    /// expiry bug), first per file.
    pub expiry_handled: Vec<SourceRef>,
}

impl Scan {
    /// Whether some manifest depends on this package.
    pub fn depends_on(&self, package: Package) -> bool {
        self.deps.iter().any(|d| d.dep.package == package)
    }

    /// Whether the app uses the Web SDK (a `miro.board` call, the SDK script or its typings).
    pub fn uses_web_sdk(&self) -> bool {
        !self.web_sdk.is_empty() || self.depends_on(Package::WebSdk)
    }
}

/// The language of a file, from its extension; `None` for files the scan does not read.
pub fn lang_of(file_name: &str) -> Option<Lang> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" | "vue" | "svelte"
        | "astro" => Lang::Js,
        "py" | "pyw" => Lang::Python,
        "html" | "htm" => Lang::Html,
        "php" => Lang::Php,
        "rb" | "sh" | "bash" | "zsh" | "pl" | "r" | "ex" | "exs" | "cr" | "nim" | "jl" | "ps1" => {
            Lang::HashComment
        }
        "go" | "java" | "kt" | "kts" | "scala" | "groovy" | "cs" | "fs" | "rs" | "swift"
        | "dart" | "c" | "h" | "cc" | "cpp" | "hpp" | "m" | "mm" | "lua" | "clj" | "erl" => {
            Lang::Other
        }
        _ => return None,
    })
}

/// A file kept for analysis after the walk.
struct Candidate {
    file: String,
    lang: Lang,
    text: String,
}

#[derive(Default)]
struct Collected {
    files_scanned: usize,
    files_skipped: usize,
    candidates: Vec<Candidate>,
    deps: Vec<FoundDependency>,
    errors: Vec<(PathBuf, String)>,
}

impl Collected {
    fn merge(&mut self, other: Collected) {
        self.files_scanned += other.files_scanned;
        self.files_skipped += other.files_skipped;
        self.candidates.extend(other.candidates);
        self.deps.extend(other.deps);
        self.errors.extend(other.errors);
    }
}

struct Builder<'a> {
    shared: &'a Mutex<Collected>,
    base: &'a Path,
}

impl<'s> ParallelVisitorBuilder<'s> for Builder<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Visitor {
            shared: self.shared,
            base: self.base,
            local: Collected::default(),
        })
    }
}

struct Visitor<'a> {
    shared: &'a Mutex<Collected>,
    base: &'a Path,
    local: Collected,
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        let local = std::mem::take(&mut self.local);
        if let Ok(mut shared) = self.shared.lock() {
            shared.merge(local);
        }
    }
}

impl ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        let entry = match entry {
            Ok(e) => e,
            Err(_) => {
                // Unreadable directories and broken links: counted, not fatal (ripgrep does
                // the same and keeps searching).
                self.local.files_skipped += 1;
                return WalkState::Continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            return WalkState::Continue;
        }
        let Some(name) = entry.file_name().to_str() else {
            return WalkState::Continue;
        };
        let path = entry.path();
        if deps::is_manifest(name) {
            if let Some(text) = read_text(path, MAX_MANIFEST_BYTES, false) {
                let file = relative(self.base, path);
                for dep in deps::parse(name, &text) {
                    self.local.deps.push(FoundDependency {
                        at: SourceRef {
                            file: file.clone(),
                            line: dep.line,
                            column: dep.column,
                        },
                        dep,
                    });
                }
            }
            return WalkState::Continue;
        }
        let Some(lang) = lang_of(name) else {
            return WalkState::Continue;
        };
        if name.ends_with(".min.js") || name.ends_with(".bundle.js") {
            self.local.files_skipped += 1;
            return WalkState::Continue;
        }
        let Some(text) = read_text(path, MAX_SOURCE_BYTES, true) else {
            self.local.files_skipped += 1;
            return WalkState::Continue;
        };
        self.local.files_scanned += 1;
        if mentions_miro(&text) {
            self.local.candidates.push(Candidate {
                file: relative(self.base, path),
                lang,
                text,
            });
        }
        WalkState::Continue
    }
}

/// Reads a file as text: `None` when unreadable, larger than `max`, or (with `binary_check`)
/// holding a NUL byte in its first 8 KiB. Invalid UTF-8 is replaced, not rejected.
fn read_text(path: &Path, max: u64, binary_check: bool) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    if len > max {
        return None;
    }
    let mut buf = Vec::with_capacity(len as usize + 1);
    // The size said is not a bound (`/proc`, a file still growing).
    if !crate::read_limited(&mut f, &mut buf, max).ok()? {
        return None;
    }
    if binary_check && buf[..buf.len().min(8192)].contains(&0) {
        return None;
    }
    Some(match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// `str::contains` has a SIMD fast path for short needles; three passes over a file that
/// mentions nothing cost less than one case-insensitive pass.
fn mentions_miro(text: &str) -> bool {
    text.contains("miro") || text.contains("Miro") || text.contains("MIRO")
}

/// `path` relative to `base` when it is inside it, with `/` separators.
pub(crate) fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        ".".to_string()
    } else {
        s
    }
}

/// Walks `root` and analyses what it holds. `base` is the directory file paths are made
/// relative to (the current directory).
pub fn scan(root: &Path, base: &Path) -> Result<Scan, ProjectError> {
    let meta = std::fs::metadata(root).map_err(|e| ProjectError::Unreadable {
        path: root.display().to_string(),
        reason: e.to_string(),
        what: "--scan directory",
    })?;
    if !meta.is_dir() {
        return Err(ProjectError::Unreadable {
            path: root.display().to_string(),
            reason: "not a directory".to_string(),
            what: "--scan directory",
        });
    }
    // Paths are made relative to the base in the same form as the walk yields them.
    let abs_base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
    let walk_root = if root.is_absolute() {
        root.to_path_buf()
    } else {
        abs_base.join(root)
    };
    let shared = Mutex::new(Collected::default());
    let mut builder = WalkBuilder::new(&walk_root);
    builder
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIP_DIRS.contains(&n)))
        });
    builder.build_parallel().visit(&mut Builder {
        shared: &shared,
        base: &abs_base,
    });
    let mut collected = shared.into_inner().unwrap_or_default();
    collected.candidates.sort_by(|a, b| a.file.cmp(&b.file));
    collected.deps.sort_by(|a, b| a.at.cmp(&b.at));
    let mut scan = Scan {
        root: root.to_path_buf(),
        files_scanned: collected.files_scanned,
        files_skipped: collected.files_skipped,
        deps: collected.deps,
        ..Scan::default()
    };
    analyse(&collected.candidates, &mut scan);
    Ok(scan)
}

/// Analyses candidate files (already known to mention Miro) into `scan`.
fn analyse(candidates: &[Candidate], scan: &mut Scan) {
    // 1. Base-URL constants, from every candidate file (a config module defines them, the
    //    others use them).
    let mut bases: BTreeMap<String, Base> = BTreeMap::new();
    for c in candidates {
        for (name, base) in base_definitions(&c.text, c.lang) {
            bases.entry(name).or_insert(base);
        }
    }
    let node_dep = scan.depends_on(Package::NodeClient);
    let python_dep = scan.depends_on(Package::PythonClient);
    for c in candidates {
        let mut f = FileScan::new(c, &bases);
        f.url_calls();
        f.client_calls(node_dep, python_dep);
        f.client_constructions();
        f.web_sdk();
        f.inline_secrets();
        f.expiry_handling();
        scan.calls.extend(f.calls);
        scan.clients.extend(f.clients);
        scan.web_sdk.extend(f.web_sdk.into_iter().take(1));
        scan.secrets.extend(f.secrets);
        scan.expiry_handled.extend(f.expiry.into_iter().take(1));
    }
    scan.calls.sort_by(|a, b| a.at.cmp(&b.at));
    scan.clients.sort_by(|a, b| a.at.cmp(&b.at));
}

/// A base-URL constant: its URL text (`https://api.miro.com/v2`) and whether it configures an
/// HTTP client (`baseURL:`), which makes relative paths in that client's calls Miro paths.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Base {
    url: String,
    client: bool,
}

/// The paths that are only a base: the host, or the host and a version.
fn is_base_path(path: &str) -> bool {
    matches!(
        path.trim_end_matches('/'),
        "" | "/v1" | "/v2" | "/v2-experimental"
    )
}

/// The path after `api.miro.com` in a URL (without port, query or fragment).
fn path_after_host(url: &str) -> Option<&str> {
    let i = url.find("api.miro.com")?;
    let rest = &url[i + "api.miro.com".len()..];
    let rest = rest.strip_prefix(":443").unwrap_or(rest);
    if !(rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
        return None; // `api.miro.com.evil.test`, `api.miro.community`
    }
    Some(rest[..rest.find(['?', '#']).unwrap_or(rest.len())].trim_end())
}

/// `NAME = 'https://api.miro.com/v2'` (or `NAME: …`, `self.NAME = …`) in a file.
fn base_definitions(text: &str, lang: Lang) -> Vec<(String, Base)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("api.miro.com") {
        let Some(q) = open_quote(text, i) else {
            continue;
        };
        if line_is_comment(text, q, lang) {
            continue;
        }
        let Some(lit) = parse_literal(text, q, lang) else {
            continue;
        };
        let url = render(&lit.pieces, &BTreeMap::new());
        let Some(path) = path_after_host(&url) else {
            continue;
        };
        if !is_base_path(path) || followed_by_concat(text, lit.end, lang) {
            continue;
        }
        if let Some((name, key)) = assigned_name(text, lit.start) {
            let client = matches!(
                key.to_ascii_lowercase().as_str(),
                "baseurl" | "base_url" | "prefixurl" | "baseuri" | "base_uri" | "basepath"
            );
            out.push((
                name,
                Base {
                    url: url.trim_end_matches('/').to_string(),
                    client,
                },
            ));
        }
    }
    out
}

/// The line/column index of one file.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn at(&self, text: &str, file: &str, offset: usize) -> SourceRef {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        SourceRef {
            file: file.to_string(),
            line,
            column: text[start..end].chars().count() + 1,
        }
    }
}

/// The analysis of one candidate file.
struct FileScan<'a> {
    c: &'a Candidate,
    text: &'a str,
    lines: Lines,
    bases: &'a BTreeMap<String, Base>,
    calls: Vec<ApiCall>,
    clients: Vec<ClientUse>,
    web_sdk: Vec<SourceRef>,
    secrets: Vec<InlineSecret>,
    expiry: Vec<SourceRef>,
    seen_starts: BTreeSet<usize>,
}

impl<'a> FileScan<'a> {
    fn new(c: &'a Candidate, bases: &'a BTreeMap<String, Base>) -> FileScan<'a> {
        FileScan {
            c,
            text: &c.text,
            lines: Lines::new(&c.text),
            bases,
            calls: Vec::new(),
            clients: Vec::new(),
            web_sdk: Vec::new(),
            secrets: Vec::new(),
            expiry: Vec::new(),
            seen_starts: BTreeSet::new(),
        }
    }

    fn at(&self, offset: usize) -> SourceRef {
        self.lines.at(self.text, &self.c.file, offset)
    }

    /// URL literals, base-constant uses and host-less API paths.
    fn url_calls(&mut self) {
        let text = self.text;
        let lang = self.c.lang;
        let mut starts: Vec<(usize, Option<String>)> = Vec::new();
        // (a) literals holding the host.
        for (i, _) in text.match_indices("api.miro.com") {
            if let Some(q) = open_quote(text, i) {
                starts.push((literal_start(text, q), None));
            }
        }
        // (b) uses of base constants.
        let client_base = self.file_client_base();
        for name in self.bases.keys() {
            for (i, _) in text.match_indices(name.as_str()) {
                if !is_word_at(text, i, name.len()) {
                    continue;
                }
                let chain_start = chain_start(text, i);
                let before = text[..chain_start].trim_end_matches([' ', '\t']);
                if before.ends_with("${") || before.ends_with('{') {
                    // Inside a template literal or f-string: the literal is the expression.
                    let brace = before.len() - if before.ends_with("${") { 2 } else { 1 };
                    if let Some(q) = enclosing_quote(text, brace) {
                        starts.push((literal_start(text, q), None));
                    }
                } else if followed_by_concat(text, i + name.len(), lang) {
                    starts.push((chain_start, None));
                }
            }
        }
        // Format strings whose first placeholder may be a base constant (`'%s/boards/%s' % (API, id)`).
        if !self.bases.is_empty() {
            for needle in ["%s/", "{}/", "{0}/"] {
                for (i, _) in text.match_indices(needle) {
                    if i > 0 && matches!(text.as_bytes()[i - 1], b'\'' | b'"' | b'`') {
                        starts.push((literal_start(text, i - 1), None));
                    }
                }
            }
        }
        // (c) API paths without the host; (d) relative paths of a client with a Miro base.
        for needle in ["/v2/", "/v2-experimental/", "/v1/oauth"] {
            for (i, _) in text.match_indices(needle) {
                if i > 0 && matches!(text.as_bytes()[i - 1], b'\'' | b'"' | b'`') {
                    starts.push((literal_start(text, i - 1), None));
                }
            }
        }
        if let Some(base) = client_base {
            for needle in ["/boards", "/orgs/", "/audit/", "/sessions/"] {
                for (i, _) in text.match_indices(needle) {
                    if i > 0 && matches!(text.as_bytes()[i - 1], b'\'' | b'"' | b'`') {
                        let q = i - 1;
                        let start = literal_start(text, q);
                        let before = text[..start].trim_end();
                        if before.ends_with('(') {
                            starts.push((start, Some(base.clone())));
                        }
                    }
                }
            }
        }
        starts.sort();
        for (start, prefix) in starts {
            if !self.seen_starts.insert(start) {
                continue;
            }
            self.url_call_at(start, prefix.as_deref());
        }
    }

    /// The base URL of an HTTP client configured in this file (`baseURL: 'https://api.miro.com/v2'`
    /// or `baseURL: MIRO_API`).
    fn file_client_base(&self) -> Option<String> {
        for (name, base) in base_definitions(self.text, self.c.lang) {
            if base.client {
                let _ = name;
                return Some(base.url);
            }
        }
        for (name, base) in self.bases {
            for key in ["baseURL", "baseUrl", "base_url", "prefixUrl"] {
                for (i, _) in self.text.match_indices(key) {
                    let rest = self.text[i + key.len()..].trim_start_matches(['"', '\'']);
                    let rest = rest.trim_start();
                    let rest = rest
                        .strip_prefix(':')
                        .or_else(|| rest.strip_prefix('='))
                        .map(str::trim_start);
                    if let Some(rest) = rest {
                        let rest = rest
                            .strip_prefix("this.")
                            .or_else(|| rest.strip_prefix("self."))
                            .unwrap_or(rest);
                        if rest.starts_with(name.as_str())
                            && !rest[name.len()..]
                                .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                        {
                            return Some(base.url.clone());
                        }
                    }
                }
            }
        }
        None
    }

    fn url_call_at(&mut self, start: usize, client_base: Option<&str>) {
        let text = self.text;
        let lang = self.c.lang;
        if line_is_comment(text, start, lang) {
            return;
        }
        let Some((mut pieces, end)) = parse_chain(text, start, lang) else {
            return;
        };
        // `"%s/boards/%s" % (API, id)`, `"{}/boards".format(API)`, `fmt.Sprintf("%s/…", base)`:
        // a leading positional placeholder takes the first argument (a base constant, often).
        if matches!(pieces.first(), Some(Piece::Expr(e)) if e == "%" || e.is_empty() || e == "0") {
            if let Some(first) = format_args(text, start, end, lang).into_iter().next() {
                pieces[0] = Piece::Expr(first);
            }
        }
        let url = render(&pieces, self.bases);
        let path = match path_after_host(&url) {
            Some(p) => p.to_string(),
            None => {
                let rel = url.split(['?', '#']).next().unwrap_or("").trim_end();
                if !rel.starts_with('/') {
                    return;
                }
                match client_base {
                    Some(base) if !rel.starts_with("/v1/") && !rel.starts_with("/v2") => {
                        match path_after_host(base) {
                            Some(b) => format!("{}{rel}", b.trim_end_matches('/')),
                            None => return,
                        }
                    }
                    _ => rel.to_string(),
                }
            }
        };
        if is_base_path(&path) || !(path.starts_with("/v1/") || path.starts_with("/v2")) {
            return;
        }
        let method = http_method(text, start, end, lang);
        let ops = resolve(method.as_deref(), &path);
        if ops.is_empty() {
            return; // not a Miro operation (the token endpoint, a typo: doctor's business)
        }
        // The query string is cut: it is not part of the endpoint and may carry a token.
        let expr = &text[start..end];
        let code = match expr.find('?') {
            Some(q) => {
                // Close the literal the cut opened: `…/jobs?…`
                let quote = expr.chars().take(4).find(|c| matches!(c, '\'' | '"' | '`'));
                format!(
                    "{}?…{}",
                    shorten(&expr[..q]),
                    quote.map(String::from).unwrap_or_default()
                )
            }
            None => shorten(expr),
        };
        self.calls.push(ApiCall {
            at: self.at(start),
            via: CallVia::Url,
            method,
            path,
            code,
            ops,
        });
    }

    /// `.createStickyNoteItem(` / `.create_sticky_note_item(` in files that use a client.
    fn client_calls(&mut self, node_dep: bool, python_dep: bool) {
        let text = self.text;
        let (package, map) = match self.c.lang {
            Lang::Js => {
                let imports = [
                    "@mirohq/miro-api",
                    "MiroApi",
                    "new Miro",
                    "MiroLowlevelApi",
                    "miro.as(",
                ]
                .iter()
                .any(|m| text.contains(m));
                if !(imports || node_dep) {
                    return;
                }
                (Package::NodeClient, &client_methods().0)
            }
            Lang::Python => {
                if !(text.contains("miro_api") || python_dep) {
                    return;
                }
                (Package::PythonClient, &client_methods().1)
            }
            _ => return,
        };
        let bytes = text.as_bytes();
        for (dot, _) in text.match_indices('.') {
            let name_start = dot + 1;
            let name_len = bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            if name_len < 3 {
                continue;
            }
            let name = &text[name_start..name_start + name_len];
            let Some(op) = map.get(name) else {
                continue;
            };
            let after = text[name_start + name_len..].trim_start_matches([' ', '\t']);
            if !after.starts_with('(') {
                continue;
            }
            let receiver_start = chain_start(text, dot);
            let receiver = &text[receiver_start..dot];
            if receiver == "miro.board" || receiver.starts_with("miro.board.") {
                continue; // Web SDK (`miro.board.createConnector`), recorded by web_sdk()
            }
            if receiver.is_empty() || line_is_comment(text, dot, self.c.lang) {
                continue;
            }
            let at = self.at(receiver_start);
            self.calls.push(ApiCall {
                at,
                via: if package == Package::NodeClient {
                    CallVia::NodeClient
                } else {
                    CallVia::PythonClient
                },
                method: Some(op.method.clone()),
                path: op.path.clone(),
                code: format!(
                    "{}(…)",
                    shorten(&text[receiver_start..name_start + name_len])
                ),
                ops: vec![op],
            });
        }
    }

    /// `new Miro(`, `new MiroApi(` (Node); `Miro(`, `MiroApi(` (Python).
    fn client_constructions(&mut self) {
        let text = self.text;
        let lang = self.c.lang;
        let (package, patterns): (Package, &[(&str, ClientKind)]) = match lang {
            Lang::Js => (
                Package::NodeClient,
                &[
                    ("new Miro", ClientKind::HighLevel),
                    ("new MiroApi", ClientKind::LowLevel),
                    ("new MiroLowlevelApi", ClientKind::LowLevel),
                ],
            ),
            Lang::Python if text.contains("miro_api") => (
                Package::PythonClient,
                &[
                    ("Miro", ClientKind::HighLevel),
                    ("MiroApi", ClientKind::LowLevel),
                ],
            ),
            _ => return,
        };
        for (pattern, kind) in patterns {
            for (i, _) in text.match_indices(pattern) {
                let word_start = i + pattern.rfind(' ').map_or(0, |s| s + 1);
                let word_len = i + pattern.len() - word_start;
                if !is_word_at(text, word_start, word_len) {
                    continue;
                }
                let after = text[i + pattern.len()..].trim_start_matches([' ', '\t']);
                if !after.starts_with('(') {
                    continue;
                }
                let before = text[..i].trim_end();
                if lang == Lang::Python
                    && (before.ends_with("class")
                        || before.ends_with("def")
                        || before.ends_with("import"))
                {
                    continue;
                }
                if line_is_comment(text, i, lang) {
                    continue;
                }
                let paren = text.len() - after.len();
                let args_end = matching_close(text, paren)
                    .unwrap_or_else(|| floor_boundary(text, paren + 2000));
                let args = &text[paren..args_end];
                let has_storage = args.contains("storage");
                // The arguments are left out of the code shown: they may hold credentials.
                self.clients.push(ClientUse {
                    at: self.at(i),
                    package,
                    kind: *kind,
                    code: format!("{pattern}(…)"),
                    has_storage,
                });
            }
        }
    }

    fn web_sdk(&mut self) {
        if !matches!(self.c.lang, Lang::Js | Lang::Html) {
            return;
        }
        for needle in ["miro.board.", "sdk/v2/miro.js"] {
            for (i, _) in self.text.match_indices(needle) {
                if needle == "miro.board." && i > 0 {
                    let b = self.text.as_bytes()[i - 1];
                    if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' {
                        continue; // `myMiro.board.`, `window.miro.board` is fine below
                    }
                }
                if !line_is_comment(self.text, i, self.c.lang) {
                    let at = self.at(i);
                    self.web_sdk.push(at);
                    return;
                }
            }
        }
        // `window.miro.board.` / `globalThis.miro.board.`
        if let Some(i) = self.text.find(".miro.board.") {
            let at = self.at(i + 1);
            self.web_sdk.push(at);
        }
    }

    /// `clientSecret: 'abc…'`, `client_secret = "…"`, `MIRO_CLIENT_SECRET = '…'`.
    fn inline_secrets(&mut self) {
        let text = self.text;
        let lower = text.to_ascii_lowercase();
        for (i, _) in lower.match_indices("secret") {
            let before = &lower[..i];
            if !(before.ends_with("client")
                || before.ends_with("client_")
                || before.ends_with("client-"))
            {
                continue;
            }
            let name_start = chain_start(text, i);
            let name_end = i + text.as_bytes()[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            let rest = text[name_end..]
                .trim_start_matches(['"', '\''])
                .trim_start_matches([' ', '\t']);
            let rest = match rest.strip_prefix(":=").or_else(|| rest.strip_prefix("=>")) {
                Some(r) => r,
                None => match rest.strip_prefix(['=', ':']) {
                    Some(r) if !r.starts_with('=') => r,
                    _ => continue,
                },
            };
            let value_start = text.len() - rest.trim_start_matches([' ', '\t']).len();
            let q = value_start;
            if !matches!(text.as_bytes().get(q), Some(b'\'' | b'"' | b'`')) {
                continue;
            }
            let Some(lit) = parse_literal(text, q, self.c.lang) else {
                continue;
            };
            let [Piece::Text(value)] = lit.pieces.as_slice() else {
                continue;
            };
            let plausible = value.len() >= 16
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !value.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && !crate::rules::common::is_placeholder(value, "client_secret")
                && !value.to_ascii_lowercase().contains("secret");
            if !plausible || line_is_comment(text, q, self.c.lang) {
                continue;
            }
            self.secrets.push(InlineSecret {
                at: self.at(q),
                name: text[name_start..name_end].to_string(),
                value: value.clone(),
            });
        }
    }

    fn expiry_handling(&mut self) {
        if self.c.lang != Lang::Python {
            return;
        }
        for (i, _) in self.text.match_indices("token_expires_at") {
            if !line_is_comment(self.text, i, Lang::Python) {
                let at = self.at(i);
                self.expiry.push(at);
                return;
            }
        }
    }
}

/// A client method name → the operation it calls.
type MethodMap = HashMap<String, &'static Operation>;

/// The low-level method names of the clients: Node camelCase and Python snake_case, from the
/// operationIds (SCIM operations are not in the clients), plus the Node client's high-level
/// helpers that are not named after an operation.
fn client_methods() -> &'static (MethodMap, MethodMap) {
    static MAPS: OnceLock<(MethodMap, MethodMap)> = OnceLock::new();
    MAPS.get_or_init(|| {
        let mut node = HashMap::new();
        let mut python = HashMap::new();
        for op in catalog::operations().iter().filter(|o| !o.is_scim()) {
            let words = id_words(&op.operation_id);
            node.entry(camel(&words)).or_insert(op);
            python.entry(words.join("_")).or_insert(op);
        }
        // miroapp/api-clients:packages/miro-api/highlevel/Board.ts and Api.ts
        for (alias, id) in [
            ("getAllItems", "get-items"),
            ("getAllMembers", "get-board-members"),
            ("getAllTags", "get-tags-from-board"),
            ("getAllConnectors", "get-connectors"),
            ("getAllBoards", "get-boards"),
            ("getBoard", "get-specific-board"),
            ("getItem", "get-specific-item"),
            ("createImageItem", "create-image-item-using-url"),
            ("createDocumentItem", "create-document-item-using-url"),
        ] {
            if let Some(op) = catalog::by_operation_id(id) {
                node.entry(alias.to_string()).or_insert(op);
            }
        }
        (node, python)
    })
}

/// `create-sticky-note-item` → `[create, sticky, note, item]`; `getItemsByGroupId` →
/// `[get, items, by, group, id]`.
fn id_words(id: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in id.split(['-', '_']).filter(|p| !p.is_empty()) {
        let mut cur = String::new();
        for c in part.chars() {
            if c.is_ascii_uppercase() && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            cur.push(c.to_ascii_lowercase());
        }
        if !cur.is_empty() {
            words.push(cur);
        }
    }
    words
}

fn camel(words: &[String]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i == 0 {
            out.push_str(w);
        } else {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                out.push(f.to_ascii_uppercase());
                out.extend(cs);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Operations for a method and path.

/// The operations a call may be. With a method and a path whose parameters sit in parameter
/// positions, the catalog's own matching decides (most specific template, same-wire-path
/// variants). Otherwise every operation whose template fits, `{}` matching any segment.
fn resolve(method: Option<&str>, path: &str) -> Vec<&'static Operation> {
    if let Some(m) = method {
        if let catalog::Match::Found(f) = catalog::lookup(m, path) {
            let mut v = vec![f.op];
            v.extend(f.variants);
            return v;
        }
    }
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    catalog::operations()
        .iter()
        .filter(|o| !o.is_scim())
        .filter(|o| method.is_none_or(|m| o.method.eq_ignore_ascii_case(m)))
        .filter(|o| {
            let t: Vec<&str> = o.path.split('/').filter(|s| !s.is_empty()).collect();
            t.len() == segs.len()
                && t.iter().zip(&segs).all(|(t, s)| {
                    s.contains("{}") || (t.starts_with('{') && t.ends_with('}')) || t == s
                })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Literals and expressions.

/// A part of a string expression.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Literal text.
    Text(String),
    /// An interpolated or concatenated expression, as written.
    Expr(String),
}

/// A parsed string literal.
#[derive(Clone, Debug)]
struct Literal {
    /// Offset of the literal's prefix (`f` of `f"…"`, `$` of `$"…"`) or quote.
    start: usize,
    /// Offset just past the closing quote.
    end: usize,
    pieces: Vec<Piece>,
}

/// The quote that opens the literal holding the host at `host`: only a scheme (`https://`,
/// `//`) may stand between them.
fn open_quote(text: &str, host: usize) -> Option<usize> {
    let before = &text[..host];
    for prefix in ["https://", "http://", "//", "wss://", ""] {
        if let Some(b) = before.strip_suffix(prefix) {
            if let Some(q) = b.len().checked_sub(1) {
                if matches!(text.as_bytes()[q], b'\'' | b'"' | b'`') {
                    return Some(q);
                }
            }
        }
    }
    None
}

/// The offset where a literal starts, counting a string prefix (`f`, `rf`, `$`, `@$`).
fn literal_start(text: &str, quote: usize) -> usize {
    let bytes = text.as_bytes();
    let mut s = quote;
    while s > 0
        && quote - s < 3
        && matches!(
            bytes[s - 1],
            b'f' | b'F' | b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'$' | b'@'
        )
    {
        s -= 1;
    }
    // A prefix is only a prefix when it is not the tail of an identifier (`buf"` is not f"").
    if s < quote && s > 0 && (bytes[s - 1].is_ascii_alphanumeric() || bytes[s - 1] == b'_') {
        return quote;
    }
    s
}

/// The quote opening the literal that contains offset `inside` (for `${NAME}` found inside a
/// template literal): the nearest quote before it on the same line.
fn enclosing_quote(text: &str, inside: usize) -> Option<usize> {
    let line_start = text[..inside].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..inside]
        .rfind(['`', '"', '\''])
        .map(|i| line_start + i)
}

/// Parses the literal whose quote or prefix starts at `at`.
fn parse_literal(text: &str, at: usize, lang: Lang) -> Option<Literal> {
    let bytes = text.as_bytes();
    let mut q = at;
    while q < bytes.len() && !matches!(bytes[q], b'\'' | b'"' | b'`') {
        q += 1;
        if q - at > 3 {
            return None;
        }
    }
    let quote = *bytes.get(q)?;
    let prefix = text[at..q].to_ascii_lowercase();
    if text[q..].starts_with("\"\"\"") || text[q..].starts_with("'''") {
        return None; // docstrings
    }
    let template = quote == b'`' && lang != Lang::Python;
    let braces = prefix.contains('f') || prefix.contains('$');
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut i = q + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == quote {
            if !cur.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut cur)));
            }
            let pieces = if template || braces {
                pieces
            } else {
                split_placeholders(&pieces, lang)
            };
            return Some(Literal {
                start: at,
                end: i + 1,
                pieces,
            });
        }
        if b == b'\n' && !template {
            return None;
        }
        if b == b'\\' && !prefix.contains('r') && !prefix.contains('@') {
            // Keep `\(` for Swift interpolation; drop other escapes' backslash.
            if bytes.get(i + 1) == Some(&b'(') {
                cur.push_str("\\(");
            } else if let Some(c) = text[i + 1..].chars().next() {
                cur.push(c);
                i += c.len_utf8();
            }
            i += 1 + usize::from(bytes.get(i + 1) == Some(&b'('));
            continue;
        }
        if template && b == b'$' && bytes.get(i + 1) == Some(&b'{') {
            let close = matching_close(text, i + 1)?;
            if !cur.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut cur)));
            }
            pieces.push(Piece::Expr(text[i + 2..close].trim().to_string()));
            i = close + 1;
            continue;
        }
        if braces && b == b'{' {
            if bytes.get(i + 1) == Some(&b'{') {
                cur.push('{');
                i += 2;
                continue;
            }
            let close = matching_close(text, i)?;
            if !cur.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut cur)));
            }
            let expr = text[i + 1..close].trim();
            // f"{x!r}", f"{x:>10}"
            let expr = expr.split(['!', ':']).next().unwrap_or(expr);
            pieces.push(Piece::Expr(expr.to_string()));
            i = close + 1;
            continue;
        }
        if braces && b == b'}' && bytes.get(i + 1) == Some(&b'}') {
            cur.push('}');
            i += 2;
            continue;
        }
        let c = text[i..].chars().next()?;
        cur.push(c);
        i += c.len_utf8();
    }
    None
}

/// Turns placeholders written inside plain strings into expressions: `{name}`, `${x}`,
/// `#{x}`, `\(x)`, `%s`/`%d`/`%v`/`%(name)s`, and `$name` (PHP, Kotlin, Dart, shell).
fn split_placeholders(pieces: &[Piece], lang: Lang) -> Vec<Piece> {
    let mut out = Vec::new();
    for p in pieces {
        let Piece::Text(t) = p else {
            out.push(p.clone());
            continue;
        };
        let bytes = t.as_bytes();
        let mut cur = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let rest = &t[i..];
            let mut expr: Option<(usize, String)> = None;
            if rest.starts_with("${") || rest.starts_with("#{") || rest.starts_with('{') {
                let open = if rest.starts_with('{') { 0 } else { 1 };
                if let Some(close) = rest.find('}') {
                    if close > open {
                        expr = Some((close + 1, rest[open + 1..close].to_string()));
                    }
                }
            } else if let Some(r) = rest.strip_prefix("\\(") {
                if let Some(close) = r.find(')') {
                    expr = Some((close + 3, r[..close].to_string()));
                }
            } else if let Some(r) = rest.strip_prefix('%') {
                if let Some(r2) = r.strip_prefix('(') {
                    if let Some(close) = r2.find(')') {
                        expr = Some((close + 4, r2[..close].to_string()));
                    }
                } else if r.starts_with(['s', 'd', 'v', 'i']) {
                    expr = Some((2, "%".to_string()));
                }
            } else if rest.starts_with('$') && lang != Lang::Js && lang != Lang::Python {
                let n = rest[1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len() - 1);
                if n > 0 {
                    expr = Some((n + 1, rest[1..n + 1].to_string()));
                }
            }
            match expr {
                Some((len, e)) => {
                    if !cur.is_empty() {
                        out.push(Piece::Text(std::mem::take(&mut cur)));
                    }
                    out.push(Piece::Expr(e));
                    i += len;
                }
                None => {
                    let c = rest.chars().next().unwrap_or(' ');
                    cur.push(c);
                    i += c.len_utf8();
                }
            }
        }
        if !cur.is_empty() {
            out.push(Piece::Text(cur));
        }
    }
    out
}

/// The URL text of pieces: a leading expression naming a base constant becomes the base's
/// URL; every other expression becomes `{}`.
fn render(pieces: &[Piece], bases: &BTreeMap<String, Base>) -> String {
    let mut out = String::new();
    for (i, p) in pieces.iter().enumerate() {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Expr(e) => {
                let last = e
                    .rsplit(['.', ' '])
                    .next()
                    .unwrap_or(e)
                    .trim_end_matches(['!', '?', ')'])
                    .trim_start_matches('$');
                match bases.get(last) {
                    Some(base) if i == 0 => out.push_str(&base.url),
                    _ => out.push_str("{}"),
                }
            }
        }
    }
    out
}

/// Parses a concatenation chain starting at `start` (a literal or a name): its pieces and
/// the offset just past it.
fn parse_chain(text: &str, start: usize, lang: Lang) -> Option<(Vec<Piece>, usize)> {
    let mut pieces = Vec::new();
    let (first, mut end) = operand(text, start, lang)?;
    pieces.extend(first);
    for _ in 0..12 {
        let Some(next) = concat_operator(text, end, lang) else {
            break;
        };
        match operand(text, next, lang) {
            Some((p, e)) => {
                pieces.extend(p);
                end = e;
            }
            None => break,
        }
    }
    Some((pieces, end))
}

/// One operand of a concatenation: a literal, or an expression up to the next operator.
fn operand(text: &str, at: usize, lang: Lang) -> Option<(Vec<Piece>, usize)> {
    let bytes = text.as_bytes();
    let s = literal_start(text, at);
    let mut q = at;
    while q < bytes.len()
        && matches!(
            bytes[q],
            b'f' | b'F' | b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'$' | b'@'
        )
        && q - at < 3
    {
        q += 1;
    }
    if q < bytes.len() && matches!(bytes[q], b'\'' | b'"' | b'`') {
        let lit = parse_literal(text, s.min(at), lang)?;
        return Some((lit.pieces, lit.end));
    }
    // An expression: names, member access, calls and indexing, balanced.
    let mut i = at;
    let mut depth = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => depth -= 1,
            b',' | b';' | b'\n' if depth == 0 => break,
            b' ' | b'\t' if depth == 0 => break,
            b'+' if depth == 0 => break,
            b'.' if depth == 0 && lang == Lang::Php => break,
            b'\'' | b'"' | b'`' if depth == 0 => break,
            _ => {}
        }
        i += 1;
    }
    (i > at).then(|| (vec![Piece::Expr(text[at..i].to_string())], i))
}

/// After an operand ending at `end`: the start of the next operand when a `+` (or PHP `.`)
/// follows, across whitespace, newlines and Python line continuations.
fn concat_operator(text: &str, end: usize, lang: Lang) -> Option<usize> {
    let rest = &text[end..];
    let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n', '\\']);
    let op_at = end + rest.len() - trimmed.len();
    let after = if let Some(r) = trimmed.strip_prefix('+') {
        if r.starts_with(['+', '=']) {
            return None;
        }
        r
    } else if lang == Lang::Php {
        let r = trimmed.strip_prefix('.')?;
        if r.starts_with(['.', '=']) {
            return None;
        }
        r
    } else {
        return None;
    };
    let next = after.trim_start_matches([' ', '\t', '\r', '\n', '\\']);
    let _ = op_at;
    (!next.is_empty()).then(|| text.len() - next.len())
}

fn followed_by_concat(text: &str, end: usize, lang: Lang) -> bool {
    concat_operator(text, end, lang).is_some()
}

/// The arguments that fill a format string's placeholders: after a Python `%` or
/// `.format(`, or the call arguments after the string in `sprintf`-like calls.
fn format_args(text: &str, start: usize, end: usize, lang: Lang) -> Vec<String> {
    let split = |inner: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut cur = String::new();
        for c in inner.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    out.push(std::mem::take(&mut cur).trim().to_string());
                    continue;
                }
                _ => {}
            }
            cur.push(c);
        }
        if !cur.trim().is_empty() {
            out.push(cur.trim().to_string());
        }
        out
    };
    let after = text[end..].trim_start();
    let at = text.len() - after.len();
    if lang == Lang::Python {
        if let Some(rest) = after.strip_prefix('%') {
            let rest = rest.trim_start();
            let r_at = text.len() - rest.len();
            if rest.starts_with('(') {
                if let Some(close) = matching_close(text, r_at) {
                    return split(&text[r_at + 1..close]);
                }
            }
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            return vec![rest[..n].to_string()];
        }
    }
    if after.starts_with(".format(") {
        let open = at + ".format".len();
        if let Some(close) = matching_close(text, open) {
            return split(&text[open + 1..close]);
        }
    }
    let before = text[..start].trim_end();
    if before.ends_with('(') {
        let p = before.len() - 1;
        let callee = &text[chain_start(text, p)..p].to_ascii_lowercase();
        if callee.ends_with("printf") || callee.ends_with("format") {
            if let Some(close) = matching_close(text, p) {
                let args = split(&text[p + 1..close]);
                return args.into_iter().skip(1).collect();
            }
        }
    }
    Vec::new()
}

/// `i` clamped to the text and moved back to a character boundary.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Is `text[i..i+len]` a whole word (not part of a longer identifier)?
fn is_word_at(text: &str, i: usize, len: usize) -> bool {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let before = i > 0 && ident(bytes[i - 1]);
    let after = bytes.get(i + len).is_some_and(|&b| ident(b));
    !before && !after
}

/// The start of the dotted name chain ending just before `end` (`this.api` of
/// `this.api.getItems`, `self.base_url`).
fn chain_start(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut s = end;
    while s > 0 {
        let b = bytes[s - 1];
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.' {
            s -= 1;
        } else if b == b')' || b == b']' {
            // `miro.as(userId).getBoard`, `items[0].id`: step over the balanced group.
            let open = if b == b')' { b'(' } else { b'[' };
            let mut depth = 0usize;
            let mut k = s;
            let mut found = None;
            while k > 0 && s - k < 200 {
                k -= 1;
                if bytes[k] == b {
                    depth += 1;
                } else if bytes[k] == open {
                    depth -= 1;
                    if depth == 0 {
                        found = Some(k);
                        break;
                    }
                }
            }
            match found {
                Some(k) => s = k,
                None => break,
            }
        } else {
            break;
        }
    }
    s
}

/// The offset of the bracket closing the one at `open` (`(`, `[` or `{`), skipping quoted
/// strings; `None` when unbalanced within 4000 bytes.
fn matching_close(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (o, c) = match bytes.get(open)? {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut i = open;
    let mut quote: Option<u8> = None;
    while i < bytes.len() && i - open < 4000 {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
        } else if matches!(b, b'\'' | b'"' | b'`') {
            quote = Some(b);
        } else if b == o {
            depth += 1;
        } else if b == c {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// Does the line holding `at` start with a comment marker of the language?
fn line_is_comment(text: &str, at: usize, lang: Lang) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let prefix = text[line_start..at].trim_start();
    prefix.starts_with("//")
        || prefix.starts_with("/*")
        || prefix.starts_with("* ")
        || prefix == "*"
        || prefix.starts_with("<!--")
        || (matches!(lang, Lang::Python | Lang::HashComment) && prefix.starts_with('#'))
        || (lang == Lang::Python && prefix.starts_with("\"\"\""))
}

/// For a value starting at `value_start`: the name it is assigned to and the key spelling
/// (`const MIRO_API = '…'` → `MIRO_API`; `baseURL: '…'` → `baseURL`; `self.base_url = …` →
/// `base_url`).
fn assigned_name(text: &str, value_start: usize) -> Option<(String, String)> {
    let before = text[..value_start].trim_end_matches([' ', '\t']);
    let before = before
        .strip_suffix(":=")
        .or_else(|| before.strip_suffix("?="))
        .or_else(|| before.strip_suffix('='))
        .or_else(|| before.strip_suffix(':'))?;
    if before.ends_with(['=', '!', '<', '>']) {
        return None;
    }
    // Type annotations: `MIRO_API: str = '…'`, `const MIRO_API: string = '…'`.
    let before = before.trim_end_matches([' ', '\t']);
    let before = match before.rfind(':') {
        Some(c)
            if before[c + 1..]
                .trim()
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '_')
                && !before[c + 1..].trim().is_empty()
                && !before[..c].trim_end().is_empty() =>
        {
            &before[..c]
        }
        _ => before,
    };
    let before = before.trim_end_matches([' ', '\t', '"', '\'']);
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .map_or(0, |i| i + 1);
    let name = &before[start..];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((name.to_string(), name.to_string()))
}

/// The HTTP method of the call that the URL expression `text[start..end]` is part of.
fn http_method(text: &str, start: usize, end: usize, lang: Lang) -> Option<String> {
    http_method_at(text, start, end, lang, 0)
}

fn http_method_at(
    text: &str,
    start: usize,
    end: usize,
    lang: Lang,
    depth: usize,
) -> Option<String> {
    let before = text[..start].trim_end();
    let paren = if before.ends_with('(') {
        Some(before.len() - 1)
    } else if before.ends_with(',') {
        Some(enclosing_paren(text, before.len() - 1)?)
    } else {
        None
    };
    if let Some(p) = paren {
        if let Some(m) = callee_method(text, p, start) {
            return Some(m);
        }
        // A call that builds the URL (`fmt.Sprintf(…)`, `urljoin(…)`, `new URL(…)`,
        // `String.format(…)`): the method is where that call's result goes.
        if depth >= 3 {
            return None;
        }
        let close = matching_close(text, p)?;
        let callee_start = chain_start(text, p);
        if callee_start == p {
            return None; // a parenthesised expression or a tuple, not a call
        }
        return http_method_at(text, callee_start, close + 1, lang, depth + 1);
    }
    // An assignment: follow the variable to the call it is passed to.
    let (name, _) = assigned_name(text, start)?;
    let window_end = floor_boundary(text, end + 3000);
    let mut from = end;
    while let Some(i) = text[from..window_end].find(name.as_str()) {
        let at = from + i;
        from = at + name.len();
        if !is_word_at(text, at, name.len()) {
            continue;
        }
        let chain = chain_start(text, at);
        let b = text[..chain].trim_end();
        if b.ends_with('(') {
            if let Some(m) = callee_method(text, b.len() - 1, chain) {
                return Some(m);
            }
        } else if b.ends_with(',') {
            if let Some(open) = enclosing_paren(text, b.len() - 1) {
                if let Some(m) = callee_method(text, open, chain) {
                    return Some(m);
                }
            }
        }
    }
    // `{ url: '…', method: 'POST' }`: the method in the same object literal.
    let _ = lang;
    let obj_end = text[end..window_end].find('}').map_or(end, |i| end + i);
    let obj_start = text[..start].rfind('{').unwrap_or(start);
    method_in_args(&text[obj_start..obj_end])
}

/// The `(` that encloses offset `inside`, within the statement.
fn enclosing_paren(text: &str, inside: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = inside;
    while i > 0 && inside - i < 600 {
        i -= 1;
        match bytes[i] {
            b')' | b']' | b'}' => depth += 1,
            b'(' if depth == 0 => return Some(i),
            b'(' | b'[' | b'{' => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
            }
            b';' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

const VERBS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/// The method of the call whose `(` is at `paren`; `arg_start` is where the URL argument is.
fn callee_method(text: &str, paren: usize, arg_start: usize) -> Option<String> {
    let mut name_end = paren;
    let bytes = text.as_bytes();
    // TypeScript generics: `http.get<Board>(`.
    if name_end > 0 && bytes[name_end - 1] == b'>' {
        if let Some(lt) = text[..name_end].rfind('<') {
            name_end = lt;
        }
    }
    let callee_start = chain_start(text, name_end);
    let callee = &text[callee_start..name_end];
    let last = callee
        .rsplit('.')
        .next()
        .unwrap_or(callee)
        .trim_start_matches('$');
    let lower = last.to_ascii_lowercase();
    let base = lower.strip_suffix("async").unwrap_or(&lower);
    if let Some(v) = VERBS.iter().find(|v| v.eq_ignore_ascii_case(base)) {
        return Some(v.to_string());
    }
    let close = matching_close(text, paren).unwrap_or_else(|| floor_boundary(text, paren + 3000));
    let args = &text[paren + 1..close.max(paren + 1)];
    if let Some(m) = method_in_args(args) {
        return Some(m);
    }
    let _ = arg_start;
    if matches!(
        base,
        "fetch" | "ofetch" | "ky" | "got" | "urlopen" | "usefetch" | "getjson"
    ) {
        return Some("GET".to_string());
    }
    None
}

/// A method named in call arguments or an options object: `method: 'POST'`,
/// `method="DELETE"`, `"method": "PUT"`, a leading `"POST",` argument, `http.MethodPatch`,
/// `HttpMethod.Post`, `Method::DELETE`.
fn method_in_args(args: &str) -> Option<String> {
    let lead = args.trim_start();
    for v in VERBS {
        for q in ['\'', '"', '`'] {
            let quoted = format!("{q}");
            if let Some(r) = lead.strip_prefix(&quoted) {
                if r.len() > v.len()
                    && r[..v.len()].eq_ignore_ascii_case(v)
                    && r[v.len()..].starts_with(q)
                {
                    return Some(v.to_string());
                }
            }
        }
    }
    let lower = args.to_ascii_lowercase();
    for (i, _) in lower.match_indices("method") {
        let rest = lower[i + "method".len()..]
            .trim_start_matches(['"', '\''])
            .trim_start();
        let rest = rest
            .strip_prefix("=>")
            .or_else(|| rest.strip_prefix(':'))
            .or_else(|| rest.strip_prefix('='))
            .map(str::trim_start);
        let Some(rest) = rest else {
            // `http.MethodPost`, `HttpMethod.Post`, `Method::POST`
            let tail = lower[i + "method".len()..].trim_start_matches(['.', ':']);
            if let Some(v) = VERBS
                .iter()
                .find(|v| tail.starts_with(&v.to_ascii_lowercase()))
            {
                return Some(v.to_string());
            }
            continue;
        };
        let rest = rest.trim_start_matches(['"', '\'', '`']);
        if let Some(v) = VERBS.iter().find(|v| {
            rest.starts_with(&v.to_ascii_lowercase())
                && !rest[v.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        }) {
            return Some(v.to_string());
        }
    }
    None
}

/// The code, on one line, at most 80 characters.
fn shorten(code: &str) -> String {
    let one: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        format!("{}…", one.chars().take(79).collect::<String>())
    } else {
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls_in(file: &str, text: &str) -> Vec<ApiCall> {
        let lang = lang_of(file).unwrap();
        let c = Candidate {
            file: file.to_string(),
            lang,
            text: text.to_string(),
        };
        let mut scan = Scan::default();
        analyse(&[c], &mut scan);
        scan.calls
    }

    fn one(file: &str, text: &str) -> (String, String, usize, usize) {
        let calls = calls_in(file, text);
        assert_eq!(calls.len(), 1, "{file}: {calls:#?}");
        let c = &calls[0];
        (
            c.method.clone().unwrap_or_else(|| "?".into()),
            c.endpoint(),
            c.at.line,
            c.at.column,
        )
    }

    #[test]
    fn js_template_literal_with_fetch_options() {
        let t = "const r = await fetch(`https://api.miro.com/v2/boards/${boardId}/sticky_notes`, {\n  method: 'POST',\n  headers,\n});\n";
        assert_eq!(
            one("a.js", t),
            (
                "POST".into(),
                "POST /v2/boards/{board_id}/sticky_notes".into(),
                1,
                23
            )
        );
    }

    #[test]
    fn fetch_defaults_to_get() {
        let t = "fetch('https://api.miro.com/v2/boards/' + id + '/items')";
        assert_eq!(one("a.ts", t).1, "GET /v2/boards/{board_id}/items");
    }

    #[test]
    fn python_fstring_and_requests_verb() {
        let t = "import requests\nr = requests.delete(f\"https://api.miro.com/v2/boards/{board['id']}/tags/{tag_id}\", headers=h)\n";
        assert_eq!(
            one("a.py", t),
            (
                "DELETE".into(),
                "DELETE /v2/boards/{board_id}/tags/{tag_id}".into(),
                2,
                21
            )
        );
    }

    #[test]
    fn python_concatenation_across_lines() {
        let t = "url = ('https://api.miro.com/v2/boards/' +\n       board_id + '/sticky_notes')\nrequests.post(url, json=body)\n";
        let calls = calls_in("a.py", t);
        assert_eq!(calls.len(), 1);
        assert_eq!(
            calls[0].endpoint(),
            "POST /v2/boards/{board_id}/sticky_notes"
        );
    }

    #[test]
    fn assigned_url_follows_the_variable() {
        let t = "const url = `https://api.miro.com/v2/boards/${id}/items`;\nconst res = await axios.get(url, { headers });\n";
        assert_eq!(one("a.js", t).1, "GET /v2/boards/{board_id}/items");
    }

    #[test]
    fn unknown_method_keeps_every_candidate() {
        let t = "const url = `https://api.miro.com/v2/boards/${id}`;\nsend(url);\n";
        let calls = calls_in("a.js", t);
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].method, None);
        assert_eq!(calls[0].endpoint(), "* /v2/boards/{}");
        assert!(calls[0].definite_scopes().is_empty());
        assert_eq!(
            calls[0].possible_scopes().into_iter().collect::<Vec<_>>(),
            vec!["boards:read".to_string(), "boards:write".to_string()]
        );
        // Only one operation on this path: its scope is needed whatever the method.
        let t = "const url = `https://api.miro.com/v2/boards/${id}/sticky_notes`;\nsend(url);\n";
        assert_eq!(
            calls_in("a.js", t)[0].definite_scopes(),
            vec!["boards:write".to_string()]
        );
    }

    #[test]
    fn base_constant_across_files() {
        let config = Candidate {
            file: "config.js".into(),
            lang: Lang::Js,
            text: "export const MIRO_API = 'https://api.miro.com/v2';\n".into(),
        };
        let user = Candidate {
            file: "boards.js".into(),
            lang: Lang::Js,
            text: "import { MIRO_API } from './config';\nawait fetch(`${MIRO_API}/boards/${id}`, { method: 'DELETE' });\nawait got.post(MIRO_API + '/boards', { json });\n".into(),
        };
        let mut scan = Scan::default();
        analyse(&[config, user], &mut scan);
        let got: Vec<String> = scan.calls.iter().map(|c| c.endpoint()).collect();
        assert_eq!(got, vec!["DELETE /v2/boards/{board_id}", "POST /v2/boards"]);
    }

    #[test]
    fn axios_client_with_miro_base() {
        let t = "const miro = axios.create({ baseURL: 'https://api.miro.com/v2' });\nawait miro.patch(`/boards/${id}`, body);\n";
        assert_eq!(one("a.ts", t).1, "PATCH /v2/boards/{board_id}");
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            one("a.go", "req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf(\"https://api.miro.com/v2/boards/%s/cards\", id), body)").1,
            "POST /v2/boards/{board_id}/cards"
        );
        assert_eq!(
            one(
                "a.rb",
                "res = HTTParty.get(\"https://api.miro.com/v2/boards/#{board_id}/items\")"
            )
            .1,
            "GET /v2/boards/{board_id}/items"
        );
        assert_eq!(
            one(
                "a.cs",
                "var r = await client.PutAsync($\"https://api.miro.com/v2/boards\", content);"
            )
            .1,
            "PUT /v2/boards"
        );
        assert_eq!(
            one("a.php", "$r = $http->request('GET', 'https://api.miro.com/v2/boards/' . $id . '/connectors');").1,
            "GET /v2/boards/{board_id}/connectors"
        );
    }

    #[test]
    fn format_strings_take_their_arguments() {
        let t = "API = 'https://api.miro.com/v2'\nrequests.request('DELETE', '%s/boards/%s/items/%s' % (API, b, i))\nrequests.get('{}/boards/{}/tags'.format(API, b))\n";
        let got: Vec<String> = calls_in("a.py", t).iter().map(|c| c.endpoint()).collect();
        assert_eq!(
            got,
            vec![
                "DELETE /v2/boards/{board_id}/items/{item_id}",
                "GET /v2/boards/{board_id}/tags"
            ]
        );
        let t = "const base = \"https://api.miro.com\"\nreq, _ := http.NewRequest(\"GET\", fmt.Sprintf(\"%s/v2/boards/%s/frames/%s\", base, b, f), nil)\n";
        assert_eq!(
            one("a.go", t).1,
            "GET /v2/boards/{board_id}/frames/{item_id}"
        );
    }

    #[test]
    fn comments_hosts_and_unknown_paths_are_not_calls() {
        assert!(calls_in("a.js", "// fetch('https://api.miro.com/v2/boards')\n").is_empty());
        assert!(calls_in("a.py", "# requests.get('https://api.miro.com/v2/boards')\n").is_empty());
        assert!(calls_in("a.js", "fetch('https://api.miro.com.evil.test/v2/boards')").is_empty());
        // The token endpoint is not a catalog operation: doctor's business, not a scope.
        assert!(calls_in(
            "a.js",
            "fetch('https://api.miro.com/v1/oauth/token', {method: 'POST'})"
        )
        .is_empty());
        assert!(calls_in("a.js", "const docs = 'see api.miro.com for details';").is_empty());
    }

    #[test]
    fn node_and_python_client_methods() {
        let t = "import { Miro } from '@mirohq/miro-api'\nconst miro = new Miro()\nconst api = miro.as(userId)\nawait api.createStickyNoteItem(boardId, { data })\nconst board = await api.getBoard(boardId)\nfor await (const item of board.getAllItems()) {}\nawait miro.board.createStickyNote({ content: 'sdk' })\n";
        let calls = calls_in("server.ts", t);
        let got: Vec<(String, usize)> = calls.iter().map(|c| (c.endpoint(), c.at.line)).collect();
        assert_eq!(
            got,
            vec![
                ("POST /v2/boards/{board_id}/sticky_notes".to_string(), 4),
                ("GET /v2/boards/{board_id}".to_string(), 5),
                ("GET /v2/boards/{board_id}/items".to_string(), 6),
            ]
        );
        let t = "from miro_api import MiroApi\napi = MiroApi(token)\napi.create_sticky_note_item(board_id, req)\n";
        assert_eq!(
            one("app.py", t),
            (
                "POST".into(),
                "POST /v2/boards/{board_id}/sticky_notes".into(),
                3,
                1
            )
        );
    }

    #[test]
    fn client_constructions_and_markers() {
        let c = Candidate {
            file: "app.py".into(),
            lang: Lang::Python,
            text: "from miro_api import Miro\nclass Miro2: pass\nmiro = Miro(storage=RedisStorage())\nother = Miro()\n# state.token_expires_at\n".into(),
        };
        let mut scan = Scan::default();
        analyse(&[c], &mut scan);
        let got: Vec<(usize, bool)> = scan
            .clients
            .iter()
            .map(|c| (c.at.line, c.has_storage))
            .collect();
        assert_eq!(got, vec![(3, true), (4, false)]);
        assert!(scan.expiry_handled.is_empty());
    }

    #[test]
    fn inline_secret_literals() {
        let c = Candidate {
            file: "a.js".into(),
            lang: Lang::Js,
            text: "const miro = new Miro({\n  clientId: '3458764512345678901',\n  clientSecret: 'Xy7Pq2Lm9Rt4Vb8Nc3Kd6Fg1Hj5Ws0Ze',\n  other: process.env.MIRO_CLIENT_SECRET,\n})\nconst CLIENT_SECRET = 'MIRO_CLIENT_SECRET'\n".into(),
        };
        let mut scan = Scan::default();
        analyse(&[c], &mut scan);
        assert_eq!(scan.secrets.len(), 1);
        assert_eq!(
            (scan.secrets[0].at.line, scan.secrets[0].at.column),
            (3, 17)
        );
        assert_eq!(scan.secrets[0].name, "clientSecret");
    }

    #[test]
    fn no_panic_on_any_prefix_or_odd_text() {
        // Every cut of a text full of the scanner's triggers and multi-byte characters, with
        // the windows (3000/2000 bytes) ending inside a character.
        let mut text = String::from(
            "from miro_api import Miro, MiroApi\nAPI = 'https://api.miro.com/v2' # é\n",
        );
        text.push_str("x = requests.post(f\"{API}/boards/{b}/cards\" % (API,), json={'é': 'ü'})\n");
        text.push_str("m = Miro(storage=\"ü\"); m.api.create_tag(b, {'t': '日本'})\nclient_secret = '日本語日本語日本語日本語'\n");
        text.push_str("fetch(`https://api.miro.com/v2/boards/${'é'}/items?x=ü`, {method: 'POST'\n");
        text.push_str(&"日本語".repeat(1200));
        text.push_str("'/v2/boards/' + `${MIRO_API}/orgs/ + \"%s/boards\" {}/ \\( `$");
        for (lang_file, _) in [("a.py", 0), ("a.js", 0), ("a.php", 0), ("a.go", 0)] {
            let cuts: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .step_by(7)
                .collect();
            for i in cuts {
                let _ = calls_in(lang_file, &text[..i]);
            }
        }
    }

    #[test]
    fn operation_id_spellings() {
        assert_eq!(
            camel(&id_words("create-sticky-note-item")),
            "createStickyNoteItem"
        );
        assert_eq!(
            id_words("getItemsByGroupId").join("_"),
            "get_items_by_group_id"
        );
        assert_eq!(camel(&id_words("unGroup")), "unGroup");
    }
}

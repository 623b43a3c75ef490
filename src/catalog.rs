//! Miro's endpoint → scope catalog: every operation of Miro's published OpenAPI spec with the
//! scopes it needs, its plan (Enterprise, Enterprise Guard), rate-limit level and auth kind,
//! plus the operations Miro removed from the spec. The data is `rules/endpoint-scopes.json`
//! (provenance in `rules/endpoint-scopes.provenance.txt`), embedded and parsed once.
//!
//! [`lookup`] matches a captured method + path against the path templates: `{board_id}`
//! matches any segment (`uXjVN1bT0aE=`, `uXjVN1bT0aE%3D`, numbers…), a trailing slash, `//`,
//! the query string and percent-encoding are ignored, and the most specific template wins
//! (a literal segment beats a parameter: `/items/bulk` over `/items/{item_id}`). When nothing
//! matches it says whether the path exists with another method, whether the operation was
//! removed from the spec, or which operations are nearest. Templates are split into segment
//! tables once, grouped by method and segment count, so a lookup is a short scan.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use serde::Deserialize;

const DATA: &str = include_str!("../rules/endpoint-scopes.json");

/// One operation of Miro's REST API (an entry of `operations`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// HTTP method, upper case.
    pub method: String,
    /// Path template (`/v2/boards/{board_id}/sticky_notes`); SCIM paths are relative to
    /// [`Operation::base_url`] (`/Users`).
    pub path: String,
    /// The spec's operationId (`create-sticky-note-item`).
    pub operation_id: String,
    /// One-line summary (`Create sticky note item`).
    pub summary: String,
    /// The spec's tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Scopes the token needs; all of them (empty: none listed).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `v1`, `v2`, `v2-experimental` or `scim`.
    pub family: String,
    /// Where the path is rooted (`https://api.miro.com`, `https://miro.com/api/v1/scim`).
    #[serde(default)]
    pub base_url: String,
    /// `oauth2-bearer` or `scim-token`.
    #[serde(default)]
    pub auth: String,
    /// `Level 1` … `Level 4`, when the spec says.
    pub rate_limit_level: Option<String>,
    /// `Enterprise` or `Enterprise Guard`, when the operation is plan-gated.
    pub plan: Option<String>,
    /// Extra remarks from the extraction (deprecation, SCIM base, duplicate wire paths).
    pub note: Option<String>,
    /// Another operation has the same method and path (JSON vs multipart body, or told apart
    /// by a required query parameter); they need the same scopes.
    #[serde(default)]
    pub shares_wire_path: bool,
    /// Query parameters the operation requires.
    #[serde(default)]
    pub required_query_params: Vec<String>,
    /// Deprecated in the spec.
    #[serde(default)]
    pub deprecated: bool,
    /// Request body media types.
    #[serde(default)]
    pub request_content_types: Vec<String>,
    /// The spec's own path, when it was normalised.
    pub spec_path: Option<String>,
}

impl Operation {
    /// `GET /v2/boards/{board_id}`.
    pub fn display(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The full URL template (`https://api.miro.com/v2/boards/{board_id}`).
    pub fn url_template(&self) -> String {
        format!("{}{}", self.base_url.trim_end_matches('/'), self.path)
    }

    /// Authenticated with a SCIM token rather than an OAuth access token.
    pub fn is_scim(&self) -> bool {
        self.auth == "scim-token" || self.family == "scim"
    }

    /// The plan the operation needs: its own `plan`, else the strictest plan of its scopes
    /// (e.g. `auditlogs:read` is an Enterprise scope). None for operations on all plans.
    pub fn plan_required(&self) -> Option<&str> {
        if let Some(p) = self.plan.as_deref() {
            return Some(p);
        }
        let mut best: Option<&str> = None;
        for s in &self.scopes {
            if let Some(info) = scope_info(s) {
                match info.plan.as_str() {
                    "Enterprise Guard" => return Some("Enterprise Guard"),
                    "Enterprise" => best = Some("Enterprise"),
                    _ => {}
                }
            }
        }
        best
    }

    /// The admin role such operations usually need, where Miro's operation descriptions say
    /// so for the family (facts §10: "several also need a Company Admin or eDiscovery Admin
    /// role"). A hint for messages, not a per-operation fact: word it as "may".
    pub fn role_hint(&self) -> Option<&'static str> {
        if self.scopes.iter().any(|s| s.ends_with("cases:management")) {
            Some("eDiscovery Admin")
        } else if self.plan_required().is_some() {
            Some("Company Admin")
        } else {
            None
        }
    }
}

/// An operation present in earlier revisions of the spec and absent now.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedOperation {
    /// HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// The operationId it had.
    pub operation_id: String,
    /// Its summary.
    pub summary: String,
    /// The scopes it needed.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Last spec commit that had it.
    pub last_seen_commit: String,
    /// Date of that commit (`2025-11-07`).
    pub last_seen_date: String,
    /// Date of the first spec commit that had it.
    pub first_seen_date: String,
}

impl RemovedOperation {
    /// `GET /v2-experimental/webhooks/subscriptions`.
    pub fn display(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// A documented scope.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeInfo {
    /// What it grants.
    pub description: String,
    /// `all plans`, `Enterprise` or `Enterprise Guard`.
    pub plan: String,
    /// `Web SDK`, `REST API`.
    #[serde(default)]
    pub available_for: Vec<String>,
}

#[derive(Deserialize)]
struct RemovedBlock {
    operations: Vec<RemovedOperation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalog {
    operations: Vec<Operation>,
    removed_from_spec: RemovedBlock,
    scopes: BTreeMap<String, ScopeInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Lit(String),
    Param,
}

struct Template {
    segs: Vec<Seg>,
    /// Literal segments folded for similarity ([`fold`]); None for parameters.
    folded: Vec<Option<Vec<char>>>,
    /// Literal segments compare case-insensitively (SCIM, RFC 7644 resource endpoints).
    fold_case: bool,
}

struct Catalog {
    raw: RawCatalog,
    ops: Vec<Template>,
    removed: Vec<Template>,
    /// (method, segment count) → operation indexes.
    by_method_len: HashMap<(String, usize), Vec<usize>>,
    /// segment count → operation indexes (any method).
    by_len: HashMap<usize, Vec<usize>>,
}

fn template(path: &str, fold_case: bool) -> Template {
    let segs = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Seg::Param
            } else {
                Seg::Lit(s.to_string())
            }
        })
        .collect::<Vec<_>>();
    let folded = segs
        .iter()
        .map(|s| match s {
            Seg::Lit(l) => Some(fold(l)),
            Seg::Param => None,
        })
        .collect();
    Template {
        segs,
        folded,
        fold_case,
    }
}

fn catalog() -> &'static Catalog {
    static CAT: OnceLock<Catalog> = OnceLock::new();
    CAT.get_or_init(|| {
        let raw: RawCatalog =
            serde_json::from_str(DATA).expect("rules/endpoint-scopes.json is valid");
        let ops: Vec<Template> = raw
            .operations
            .iter()
            .map(|o| template(&o.path, o.is_scim()))
            .collect();
        let removed = raw
            .removed_from_spec
            .operations
            .iter()
            .map(|o| template(&o.path, false))
            .collect();
        let mut by_method_len: HashMap<(String, usize), Vec<usize>> = HashMap::new();
        let mut by_len: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, t) in ops.iter().enumerate() {
            let method = raw.operations[i].method.to_ascii_uppercase();
            by_method_len
                .entry((method, t.segs.len()))
                .or_default()
                .push(i);
            by_len.entry(t.segs.len()).or_default().push(i);
        }
        Catalog {
            raw,
            ops,
            removed,
            by_method_len,
            by_len,
        }
    })
}

/// Every current operation.
pub fn operations() -> &'static [Operation] {
    &catalog().raw.operations
}

/// Every operation removed from the spec.
pub fn removed_operations() -> &'static [RemovedOperation] {
    &catalog().raw.removed_from_spec.operations
}

/// The operation with this operationId.
pub fn by_operation_id(id: &str) -> Option<&'static Operation> {
    operations().iter().find(|o| o.operation_id == id)
}

/// What the catalog says about a documented scope (either spelling of the cases scope).
pub fn scope_info(scope: &str) -> Option<&'static ScopeInfo> {
    catalog().raw.scopes.get(scope.trim())
}

/// True when a granted scope satisfies a required one. Miro spells the eDiscovery scope two
/// ways (facts §17: `organization:cases:management` in the spec, `organizations:cases:management`
/// on the scopes page): both are accepted.
pub fn scope_satisfies(granted: &str, required: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim();
        if s == "organizations:cases:management" {
            "organization:cases:management".to_string()
        } else {
            s.to_string()
        }
    };
    norm(granted) == norm(required)
}

/// An operation found for a method + path.
#[derive(Clone, Debug)]
pub struct Found {
    /// The operation (among same-wire-path duplicates, the one whose required query
    /// parameters the request carries, else the plain one).
    pub op: &'static Operation,
    /// The other operations with the same method and path template (`sharesWirePath`).
    pub variants: Vec<&'static Operation>,
}

/// A near operation and how far it is (0 = same shape; about 1 per differing segment).
#[derive(Clone, Debug)]
pub struct Near {
    /// The operation.
    pub op: &'static Operation,
    /// Distance: segment edits (a misspelt segment counts its share of changed letters), plus
    /// 0.5 for another method.
    pub distance: f32,
}

/// The result of [`lookup`].
#[derive(Clone, Debug)]
pub enum Match {
    /// A current operation matches.
    Found(Found),
    /// No current operation matches, but one Miro removed from the spec does.
    Removed(&'static RemovedOperation),
    /// The path exists with other methods only.
    MethodNotAllowed {
        /// The operations on that path (one per method).
        allowed: Vec<&'static Operation>,
    },
    /// Nothing matches; the nearest operations, best first (may be empty).
    Unknown {
        /// Up to three candidates.
        nearest: Vec<Near>,
    },
}

impl Match {
    /// The matched operation, when one was found.
    pub fn operation(&self) -> Option<&'static Operation> {
        match self {
            Match::Found(f) => Some(f.op),
            _ => None,
        }
    }
}

/// A request path split for matching: decoded segments and the query parameter names.
struct ReqPath {
    segs: Vec<String>,
    query_names: Vec<String>,
}

fn split_request_path(path: &str) -> ReqPath {
    let path = path.trim();
    // A whole URL is accepted too.
    let path = match path.find("://") {
        Some(i) => {
            let rest = &path[i + 3..];
            match rest.find(['/', '?', '#']) {
                Some(j) if rest.as_bytes()[j] == b'/' => &rest[j..],
                Some(j) => &rest[j..j],
                None => "",
            }
        }
        None => path,
    };
    let path = path.split('#').next().unwrap_or("");
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    // SCIM operations are listed relative to https://miro.com/api/v1/scim.
    if segs.len() >= 3
        && segs[0].eq_ignore_ascii_case("api")
        && segs[1].eq_ignore_ascii_case("v1")
        && segs[2].eq_ignore_ascii_case("scim")
    {
        segs.drain(..3);
    }
    let query_names = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| crate::model::decode_component(p.split('=').next().unwrap_or("")))
        .collect();
    ReqPath { segs, query_names }
}

/// How specific a template match is: 1 per literal segment, earlier literals weigh more.
/// None when the template does not match.
fn match_template(t: &Template, segs: &[String]) -> Option<Vec<bool>> {
    if t.segs.len() != segs.len() {
        return None;
    }
    let mut spec = Vec::with_capacity(segs.len());
    for (ts, rs) in t.segs.iter().zip(segs) {
        match ts {
            Seg::Param => {
                if rs.is_empty() {
                    return None;
                }
                spec.push(false);
            }
            Seg::Lit(l) => {
                let eq = if t.fold_case {
                    l.eq_ignore_ascii_case(rs)
                } else {
                    l == rs
                };
                if !eq {
                    return None;
                }
                spec.push(true);
            }
        }
    }
    Some(spec)
}

fn method_for_matching(method: &str) -> String {
    let m = method.trim().to_ascii_uppercase();
    if m == "HEAD" {
        "GET".to_string()
    } else {
        m
    }
}

/// Finds the operation a captured request calls. `path` is the request path (a whole URL is
/// accepted); its query string only chooses among same-wire-path duplicates.
pub fn lookup(method: &str, path: &str) -> Match {
    let cat = catalog();
    let req = split_request_path(path);
    let method = method_for_matching(method);
    let n = req.segs.len();

    // 1. Same method, most specific template.
    if let Some(found) = find_current(&method, &req) {
        return Match::Found(found);
    }
    // Nearest-match scoring compares the path with every template: a path far longer than
    // any of Miro's (a hostile 1 MB one) is near to none of them.
    if n > 32 || path.len() > 4096 {
        return Match::Unknown {
            nearest: Vec::new(),
        };
    }
    lookup_rest(cat, &method, &req, n)
}

/// The current operation a request calls, when there is one: [`lookup`] without the work
/// of explaining a miss (for rules that only need the operation).
pub fn lookup_operation(method: &str, path: &str) -> Option<&'static Operation> {
    let req = split_request_path(path);
    find_current(&method_for_matching(method), &req).map(|f| f.op)
}

fn find_current(method: &str, req: &ReqPath) -> Option<Found> {
    let cat = catalog();
    let n = req.segs.len();
    let mut best: Option<(Vec<bool>, Vec<usize>)> = None;
    for &i in cat
        .by_method_len
        .get(&(method.to_string(), n))
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        if let Some(spec) = match_template(&cat.ops[i], &req.segs) {
            match &mut best {
                Some((b, idx)) if *b == spec => idx.push(i),
                Some((b, _)) if *b > spec => {}
                _ => best = Some((spec, vec![i])),
            }
        }
    }
    let (_, idx) = best?;
    let ops: Vec<&'static Operation> = idx.iter().map(|&i| &cat.raw.operations[i]).collect();
    let chosen = choose_variant(&ops, &req.query_names);
    let variants = ops
        .iter()
        .copied()
        .filter(|o| !std::ptr::eq(*o, chosen))
        .collect();
    Some(Found {
        op: chosen,
        variants,
    })
}

fn lookup_rest(cat: &'static Catalog, method: &str, req: &ReqPath, n: usize) -> Match {
    // 2. An operation removed from the spec.
    let removed = &cat.raw.removed_from_spec.operations;
    let mut best_removed: Option<(Vec<bool>, usize)> = None;
    for (i, t) in cat.removed.iter().enumerate() {
        if removed[i].method.eq_ignore_ascii_case(method) {
            if let Some(spec) = match_template(t, &req.segs) {
                if best_removed.as_ref().is_none_or(|(b, _)| spec > *b) {
                    best_removed = Some((spec, i));
                }
            }
        }
    }
    if let Some((_, i)) = best_removed {
        return Match::Removed(&removed[i]);
    }

    // 3. The path exists with other methods.
    let mut best_any: Option<(Vec<bool>, Vec<usize>)> = None;
    for &i in cat.by_len.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
        if let Some(spec) = match_template(&cat.ops[i], &req.segs) {
            match &mut best_any {
                Some((b, idx)) if *b == spec => idx.push(i),
                Some((b, _)) if *b > spec => {}
                _ => best_any = Some((spec, vec![i])),
            }
        }
    }
    if let Some((_, idx)) = best_any {
        let mut allowed: Vec<&'static Operation> = Vec::new();
        for i in idx {
            let op = &cat.raw.operations[i];
            if !allowed.iter().any(|a| a.method == op.method) {
                allowed.push(op);
            }
        }
        allowed.sort_by_key(|o| method_rank(&o.method));
        return Match::MethodNotAllowed { allowed };
    }

    // 4. Nearest by path similarity.
    Match::Unknown {
        nearest: nearest(method, &req.segs),
    }
}

fn method_rank(m: &str) -> usize {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .iter()
        .position(|x| *x == m)
        .unwrap_or(9)
}

/// Among same-wire-path duplicates: the one whose required query params are all present
/// (most of them), else one without required params, else the first.
fn choose_variant(ops: &[&'static Operation], query: &[String]) -> &'static Operation {
    let satisfied = |o: &Operation| {
        o.required_query_params
            .iter()
            .all(|p| query.iter().any(|q| q == p))
    };
    ops.iter()
        .copied()
        .filter(|o| satisfied(o))
        .max_by_key(|o| (o.required_query_params.len(), usize::MAX - index_of(ops, o)))
        .unwrap_or(ops[0])
}

fn index_of(ops: &[&Operation], o: &Operation) -> usize {
    ops.iter()
        .position(|x| std::ptr::eq(*x, o))
        .unwrap_or(usize::MAX)
}

/// Letters compared for similarity: lower case, `-` and `_` alike.
fn fold(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| match c {
            '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn char_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 24
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
}

/// A request segment prepared for similarity: kept as written when it reads like a path word
/// (`sticky_notes`, `v2`), else an id (`uXjVN1bT0aE=`, `3458764…`), which every parameter
/// takes and no literal resembles.
enum ReqSeg {
    Word { text: String, folded: Vec<char> },
    Id,
}

fn prepare(seg: &str) -> ReqSeg {
    let wordish = !seg.is_empty()
        && seg.len() <= 32
        && seg.chars().filter(|c| c.is_ascii_digit()).count() <= 3
        && seg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && seg.chars().any(|c| c.is_ascii_alphabetic());
    if wordish {
        ReqSeg::Word {
            text: seg.to_string(),
            folded: fold(seg),
        }
    } else {
        ReqSeg::Id
    }
}

/// Cost of putting request segment `r` where the template has segment `i` (0..=1).
fn seg_cost(t: &Template, i: usize, r: &ReqSeg) -> f32 {
    match (&t.segs[i], r) {
        (Seg::Param, ReqSeg::Id) => 0.0,
        // A plain lower-case word (`me`, `list`) is an unlikely id: a parameter takes it,
        // but at a small cost, so literal matches rank first.
        (Seg::Param, ReqSeg::Word { text, .. }) if is_word(text) => 0.3,
        (Seg::Param, ReqSeg::Word { .. }) => 0.0,
        (Seg::Lit(_), ReqSeg::Id) => 1.0,
        (Seg::Lit(l), ReqSeg::Word { text, folded }) => {
            if l == text {
                return 0.0;
            }
            let a = t.folded[i].as_deref().unwrap_or(&[]);
            if a == folded.as_slice() {
                return 0.2;
            }
            let d = char_distance(a, folded) as f32 / a.len().max(folded.len()).max(1) as f32;
            d.min(1.0)
        }
    }
}

/// Edit distance between a request path and a template, over segments.
fn path_distance(t: &Template, r: &[ReqSeg]) -> f32 {
    let n = t.segs.len();
    let mut prev: Vec<f32> = (0..=r.len()).map(|j| j as f32).collect();
    let mut cur = vec![0f32; r.len() + 1];
    for i in 0..n {
        cur[0] = (i + 1) as f32;
        for j in 0..r.len() {
            let sub = prev[j] + seg_cost(t, i, &r[j]);
            cur[j + 1] = sub.min(prev[j + 1] + 1.0).min(cur[j] + 1.0);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[r.len()]
}

/// Nearest-operation results by request shape (method + words, ids blanked): a HAR with
/// thousands of calls to the same unknown path computes them once.
type NearestCache = Mutex<HashMap<String, Vec<(usize, f32)>>>;

fn nearest_cache() -> &'static NearestCache {
    static CACHE: OnceLock<NearestCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn nearest(method: &str, segs: &[String]) -> Vec<Near> {
    let cat = catalog();
    let prepared: Vec<ReqSeg> = segs.iter().map(|s| prepare(s)).collect();
    let mut key = method.to_string();
    for p in &prepared {
        key.push('/');
        match p {
            ReqSeg::Word { text, .. } => key.push_str(text),
            ReqSeg::Id => key.push('\0'),
        }
    }
    if let Some(hit) = nearest_cache()
        .lock()
        .ok()
        .and_then(|c| c.get(&key).cloned())
    {
        return hit
            .into_iter()
            .map(|(i, distance)| Near {
                op: &cat.raw.operations[i],
                distance,
            })
            .collect();
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut scored: Vec<(usize, f32)> = Vec::new();
    for (i, t) in cat.ops.iter().enumerate() {
        let op = &cat.raw.operations[i];
        if op.is_scim() || !seen.insert((op.method.as_str(), op.path.as_str())) {
            continue;
        }
        let mut d = path_distance(t, &prepared);
        if !op.method.eq_ignore_ascii_case(method) {
            d += 0.5;
        }
        scored.push((i, d));
    }
    let ops = &cat.raw.operations;
    scored.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then(method_rank(&ops[a.0].method).cmp(&method_rank(&ops[b.0].method)))
    });
    scored.truncate(3);
    if let Ok(mut c) = nearest_cache().lock() {
        if c.len() >= 4096 {
            c.clear();
        }
        c.insert(key, scored.clone());
    }
    scored
        .into_iter()
        .map(|(i, distance)| Near {
            op: &ops[i],
            distance,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(m: &str, p: &str) -> &'static Operation {
        match lookup(m, p) {
            Match::Found(f) => f.op,
            other => panic!("{m} {p}: {other:?}"),
        }
    }

    #[test]
    fn parses_whole_catalog() {
        assert_eq!(operations().len(), 197);
        assert!(removed_operations().len() >= 10);
        assert!(scope_info("boards:read").is_some());
    }

    #[test]
    fn params_match_any_id_shape() {
        for p in [
            "/v2/boards/uXjVN1bT0aE=",
            "/v2/boards/uXjVN1bT0aE%3D",
            "/v2/boards/3458764512345678901",
            "/v2/boards/uXjVN1bT0aE=/",
            "//v2/boards/uXjVN1bT0aE=?team_id=1",
            "https://api.miro.com/v2/boards/o9J_kzZ-AbC=?x=1#f",
        ] {
            assert_eq!(found("GET", p).operation_id, "get-specific-board", "{p}");
        }
    }

    #[test]
    fn literal_beats_param() {
        let op = found("POST", "/v2/boards/uXjVN1bT0aE=/items/bulk");
        assert_eq!(op.path, "/v2/boards/{board_id}/items/bulk");
        let op = found(
            "GET",
            "/v2/boards/uXjVN1bT0aE=/groups/items?group_item_id=1",
        );
        assert_eq!(op.path, "/v2/boards/{board_id}/groups/items");
        let op = found("GET", "/v2/boards/uXjVN1bT0aE=/groups/3458764512345678901");
        assert_eq!(op.path, "/v2/boards/{board_id}/groups/{group_id}");
    }

    #[test]
    fn shared_wire_paths_pick_by_query() {
        let Match::Found(f) = lookup("GET", "/v2/boards/b/items?tag_id=123") else {
            panic!()
        };
        assert_eq!(f.op.required_query_params, vec!["tag_id".to_string()]);
        assert!(!f.variants.is_empty());
        assert!(f.variants.iter().all(|v| v.scopes == f.op.scopes));
        let Match::Found(f) = lookup("GET", "/v2/boards/b/items?limit=10") else {
            panic!()
        };
        assert!(f.op.required_query_params.is_empty());
    }

    #[test]
    fn experimental_scim_and_auth() {
        assert_eq!(
            found("GET", "/v2-experimental/boards/b/mindmap_nodes").family,
            "v2-experimental"
        );
        let scim = found("GET", "/api/v1/scim/Users/123");
        assert!(scim.is_scim());
        assert!(found("get", "/api/v1/scim/users").is_scim());
        assert_eq!(found("GET", "/v1/oauth-token").operation_id, "token-info");
        assert!(found("POST", "/v1/oauth/revoke?access_token=x").deprecated);
        assert_eq!(found("HEAD", "/v2/boards").method, "GET");
    }

    #[test]
    fn removed_operations_are_recognised() {
        let Match::Removed(r) = lookup("GET", "/v2-experimental/webhooks/subscriptions") else {
            panic!()
        };
        assert_eq!(r.last_seen_date, "2025-11-07");
        assert!(matches!(
            lookup("GET", "/v2/teams_settings/3458764500000000001"),
            Match::Removed(_)
        ));
    }

    #[test]
    fn method_not_allowed() {
        let Match::MethodNotAllowed { allowed } = lookup("GET", "/v2/boards/b/sticky_notes") else {
            panic!()
        };
        assert_eq!(allowed[0].method, "POST");
    }

    #[test]
    fn nearest_suggestions() {
        let Match::Unknown { nearest } = lookup("POST", "/v2/boards/b/sticky-notes") else {
            panic!()
        };
        assert_eq!(nearest[0].op.operation_id, "create-sticky-note-item");
        let Match::Unknown { nearest } = lookup("GET", "/v2/board/b") else {
            panic!()
        };
        assert_eq!(nearest[0].op.path, "/v2/boards/{board_id}");
        let Match::Unknown { nearest } = lookup("POST", "/v2/boards/b/sticky_note") else {
            panic!()
        };
        assert_eq!(nearest[0].op.path, "/v2/boards/{board_id}/sticky_notes");
    }

    #[test]
    fn plans_and_scopes() {
        let op = found("GET", "/v2/orgs/1/teams");
        assert_eq!(op.plan_required(), Some("Enterprise"));
        assert_eq!(op.role_hint(), Some("Company Admin"));
        let op = found("GET", "/v2/audit/logs?createdAfter=a&createdBefore=b");
        assert_eq!(op.plan_required(), Some("Enterprise"));
        let op = found("GET", "/v2/orgs/1/cases");
        assert_eq!(op.plan_required(), Some("Enterprise Guard"));
        assert_eq!(op.role_hint(), Some("eDiscovery Admin"));
        assert_eq!(found("GET", "/v2/boards").plan_required(), None);
        assert!(scope_satisfies(
            "organizations:cases:management",
            "organization:cases:management"
        ));
        assert!(!scope_satisfies("boards:read", "boards:write"));
    }

    #[test]
    fn fast_enough() {
        let t = std::time::Instant::now();
        for i in 0..5000 {
            let _ = lookup("GET", &format!("/v2/boards/b{i}/items/{i}"));
        }
        assert!(t.elapsed().as_secs() < 5);
    }
}

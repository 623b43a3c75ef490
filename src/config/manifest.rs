//! Reads Miro's app manifest (the YAML behind App settings > "Edit in Manifest") into
//! [`Config`]. This file owns the mapping from manifest fields to the config model, the type
//! checks on the fields that are mapped, and the line and column of every mapped value.
//!
//! Mapping: `redirectUris` → `redirect_uris` (a list, or a single string as seen in Miro's
//! examples), `redirectUriForSdk` → `sdk_redirect_uri` (`""` means none), `scopes` →
//! `scopes`, `sdkUri` → `sdk_uri`, and `uses_web_sdk` is true when `sdkUri` is non-empty,
//! false otherwise (the manifest is the app's whole settings: no `sdkUri`, no Web SDK app).
//! The manifest carries no client id and no token-expiry choice, so those stay `None`.
//!
//! Unknown fields are accepted and ignored: the manifest is Miro's format, not ours, and Miro
//! may add fields at any time; failing on them would make the tool reject valid exports.
//! For the same reason the fields that are not mapped (`appName`, `sdkVersion`,
//! `boardPicker`, `icons`) are not type-checked: Miro validates them when the manifest is
//! saved.
//!
//! How positions are found: serde_norway has no spans, but every error raised while a node
//! is being deserialized carries that node's mark from libyaml. To locate a value, a small
//! probe deserializer walks the document to it (by key and list index) and fails there on
//! purpose; the failure's `location()` is the value's position. The positions therefore
//! come from the same YAML parser that read the values (flow or block lists, quotes,
//! comments, anchors), with no hand-written YAML scanning. Each probe re-parses the text,
//! which is fine for manifests (a few dozen lines). For block scalars (`sdkUri: >-`) libyaml
//! marks the `>`; the position is moved to the first line of the scalar's text, where the
//! URL actually is.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_norway::{Mapping, Value};

use super::{AppConfig, Config, ConfigFormat, LineIndex, Located, MiroConfig};
use crate::error::{ConfigError, Position};

/// The manifest fields this tool knows. Only `sdkUri`, `scopes`, `redirectUris` and
/// `redirectUriForSdk` are mapped; the others mark the text as a manifest.
pub const MANIFEST_KEYS: &[&str] = &[
    "appName",
    "sdkVersion",
    "sdkUri",
    "scopes",
    "redirectUris",
    "redirectUriForSdk",
    "boardPicker",
    "icons",
];

/// Parses app manifest YAML; `path` is used in messages and stored in [`Config::path`].
///
/// The document must be a mapping with at least one field from [`MANIFEST_KEYS`]; nothing
/// else is required, since a manifest Miro exported is taken as it is.
pub fn parse_manifest(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = Manifest {
        text,
        path,
        lines: LineIndex::new(text),
        probes_left: Cell::new((PROBE_BYTES / text.len().max(1)).max(MIN_PROBES)),
    };

    if let Some(at) = too_many_flow_openers(text) {
        return Err(ConfigError::Invalid {
            path: path.display().to_string(),
            position: file.lines.position(at),
            message: format!(
                "more than {MAX_FLOW_OPENERS} `[` and `{{` in the manifest (outside comments): \
                 expected Miro's app manifest, whose lists and mappings nest a few levels \
                 (flow collections nested or repeated this much are refused before parsing)"
            ),
        });
    }

    let doc: Value = serde_norway::from_str(text).map_err(|err| file.yaml_error(&err))?;
    let map = match doc {
        Value::Null => {
            return Err(file.semantic(
                "the manifest is empty: expected Miro's app manifest with appName, scopes and \
                 redirectUris",
            ))
        }
        Value::Mapping(map) => map,
        other => {
            return Err(file.at(
                &[],
                format!(
                    "the manifest is {}: expected a mapping of fields such as appName, scopes \
                     and redirectUris",
                    describe(&other)
                ),
            ))
        }
    };
    if !MANIFEST_KEYS.iter().any(|k| map.contains_key(*k)) {
        return Err(file.semantic(no_manifest_keys(&map)));
    }

    let mut app = AppConfig {
        redirect_uris: file.strings(&map, "redirectUris", true)?,
        sdk_redirect_uri: file.string(&map, "redirectUriForSdk")?,
        scopes: file.strings(&map, "scopes", false)?,
        sdk_uri: file.string(&map, "sdkUri")?,
        ..AppConfig::default()
    };
    app.uses_web_sdk = Some(match &app.sdk_uri {
        Some(uri) => Located {
            value: true,
            line: uri.line,
            column: uri.column,
        },
        None if map.contains_key("sdkUri") => file.located(false, &[Step::Key("sdkUri")]),
        None => Located::unplaced(false),
    });

    Ok(Config {
        path: Some(path.to_path_buf()),
        format: ConfigFormat::Manifest,
        app,
        miro: MiroConfig::default(),
    })
}

/// The message for a YAML mapping with none of the manifest fields.
fn no_manifest_keys(map: &Mapping) -> String {
    let toml_keys: Vec<&str> = map
        .keys()
        .filter_map(Value::as_str)
        .filter(|k| super::toml::APP_KEYS.contains(k) || *k == "app")
        .collect();
    if toml_keys.is_empty() {
        format!(
            "no manifest fields found: expected Miro's app manifest with fields such as {}",
            MANIFEST_KEYS.join(", ")
        )
    } else {
        let (them, look) = if toml_keys.len() == 1 {
            ("it", "looks like a miro-oauth.toml key")
        } else {
            ("them", "look like miro-oauth.toml keys")
        };
        format!(
            "no manifest fields found, but {} {look}: write {them} as toml under [app] \
             (client_id = \"…\"), or use the manifest fields {}",
            toml_keys.join(", "),
            MANIFEST_KEYS.join(", ")
        )
    }
}

/// Bytes of YAML the position probes may re-read in all (see [`Manifest::position`]).
const PROBE_BYTES: usize = 1 << 20;

/// Probes allowed however large the file.
const MIN_PROBES: usize = 8;

/// The text and path being parsed.
struct Manifest<'a> {
    text: &'a str,
    path: &'a Path,
    lines: LineIndex<'a>,
    /// Probes left for placing values (see [`Manifest::position`]).
    probes_left: Cell<usize>,
}

impl Manifest<'_> {
    /// The position of the node at `path`, or 0:0 when the probe cannot reach it or the probe
    /// budget is spent.
    ///
    /// Every probe parses the whole text again: fine for a manifest of a few dozen lines, but
    /// placing each of 20,000 scopes that way was quadratic (minutes). The probes share a
    /// budget of [`PROBE_BYTES`] re-read bytes (thousands of probes for a real manifest);
    /// values past it are left unplaced (line 0), as values that come from no file are.
    fn position(&self, path: &[Step]) -> Position {
        let left = self.probes_left.get();
        if left == 0 {
            return Position { line: 0, column: 0 };
        }
        self.probes_left.set(left - 1);
        self.probed_position(path)
    }

    /// The position of the node at `path` (0:0 when unreachable), whatever the budget: for
    /// the one value an error is about.
    fn probed_position(&self, path: &[Step]) -> Position {
        probe(self.text, path)
            .map(|offset| self.lines.position(skip_block_indicator(self.text, offset)))
            .unwrap_or(Position { line: 0, column: 0 })
    }

    fn located<T>(&self, value: T, path: &[Step]) -> Located<T> {
        let p = self.position(path);
        Located {
            value,
            line: p.line,
            column: p.column,
        }
    }

    fn at(&self, path: &[Step], message: impl Into<String>) -> ConfigError {
        let mut position = self.probed_position(path);
        if position.line == 0 {
            position = Position { line: 1, column: 1 };
        }
        ConfigError::Invalid {
            path: self.path.display().to_string(),
            position,
            message: message.into(),
        }
    }

    fn semantic(&self, message: impl Into<String>) -> ConfigError {
        ConfigError::Semantic {
            path: self.path.display().to_string(),
            message: message.into(),
        }
    }

    /// A serde_norway error as one line at its position (libyaml's byte index).
    /// A duplicate key is placed at its second occurrence rather than at the start of its
    /// mapping, where serde_norway puts it; a second document (which serde_norway reports
    /// with no position) at the `---` that starts it.
    fn yaml_error(&self, err: &serde_norway::Error) -> ConfigError {
        let mut message = clean_yaml_message(&err.to_string());
        let offset = if message.contains("more than one document") {
            message = "a second yaml document starts here: expected a single manifest (one \
                       yaml document, with no `---` or `...` line after its content)"
                .to_string();
            second_document_offset(self.text)
        } else if let Some(at) = message.find("duplicate entry ") {
            // serde_norway puts the path of a nested mapping first ("icons: duplicate …").
            let what = &message[at + "duplicate entry ".len()..];
            message = format!("{}{}", &message[..at], duplicate_key_message(what));
            find_duplicate_key(self.text).or(err.location().map(|l| l.index()))
        } else if message.contains("repetition limit exceeded") {
            message = "too many alias expansions (`*name` references that repeat anchored \
                       content many times over, a \"billion laughs\" document); expected a \
                       manifest that repeats little or no anchored content"
                .to_string();
            first_alias_offset(self.text).or(err.location().map(|l| l.index()))
        } else {
            err.location().map(|l| l.index())
        };
        match offset {
            Some(offset) => ConfigError::Invalid {
                path: self.path.display().to_string(),
                position: self.lines.position(offset),
                message,
            },
            None => self.semantic(message),
        }
    }

    /// An optional string field; null and `""` mean none.
    fn string(&self, map: &Mapping, key: &str) -> Result<Option<Located<String>>, ConfigError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(self.located(s.clone(), &[Step::Key(key)]))),
            Some(other) => Err(self.at(
                &[Step::Key(key)],
                format!("`{key}` is {}: expected a string", describe(other)),
            )),
        }
    }

    /// A list of strings; null means empty. With `single`, a plain string is a one-item
    /// list (`""` an empty one).
    fn strings(
        &self,
        map: &Mapping,
        key: &str,
        single: bool,
    ) -> Result<Vec<Located<String>>, ConfigError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) if single && s.is_empty() => Ok(Vec::new()),
            Some(Value::String(s)) if single => {
                Ok(vec![self.located(s.clone(), &[Step::Key(key)])])
            }
            Some(Value::Sequence(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let at = [Step::Key(key), Step::Index(i)];
                    match item {
                        Value::String(s) => Ok(self.located(s.clone(), &at)),
                        other => Err(self.at(
                            &at,
                            format!(
                                "item {} of `{key}` is {}: expected a list of strings",
                                i + 1,
                                describe(other)
                            ),
                        )),
                    }
                })
                .collect(),
            Some(other) => Err(self.at(
                &[Step::Key(key)],
                format!("`{key}` is {}: expected a list of strings", describe(other)),
            )),
        }
    }
}

/// What a YAML value is, for messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "empty".to_string(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {:?}", clip(s)),
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a mapping".to_string(),
        Value::Tagged(t) => format!("a value tagged {}", clip(&t.tag.to_string())),
    }
}

/// A value for a message, shortened when long (a hostile file may hold a megabyte scalar).
fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() > MAX {
        s.chars().take(MAX).chain("...".chars()).collect()
    } else {
        s.to_string()
    }
}

/// Most `[` and `{` a manifest may hold (see [`too_many_flow_openers`]).
pub const MAX_FLOW_OPENERS: usize = 64;

/// The offset of the `[` or `{` past [`MAX_FLOW_OPENERS`] of them, when the text has that many.
///
/// libyaml (under serde_norway) looks, for every token, at every flow collection it is
/// inside: `scopes: [[[[…` 100,000 deep takes minutes to read (quadratic in the depth), and
/// serde_norway refuses it (recursion limit 128) only after reading it whole. The depth
/// cannot exceed the number of `[` and `{` in the text, so capping that number caps the
/// work, without having to tell flow indicators from text in quoted or block scalars, which
/// only libyaml's scanner knows.
///
/// Brackets after a comment's `#` are not counted when the line holds no quote character:
/// such a `#` (at the start of the line or after a blank) starts a comment, or the line is
/// text inside a multi-line quoted or block scalar; either way nothing on the rest of it is
/// a flow indicator. (Lines are split at every YAML line break, NEL, LS and PS included.)
pub fn too_many_flow_openers(text: &str) -> Option<usize> {
    let mut count = 0;
    let mut line_start = 0;
    for line in text.split_inclusive(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        let b = line.as_bytes();
        let counted = if b.contains(&b'\'') || b.contains(&b'"') {
            b
        } else {
            let comment = (0..b.len())
                .find(|&i| b[i] == b'#' && (i == 0 || matches!(b[i - 1], b' ' | b'\t')));
            &b[..comment.unwrap_or(b.len())]
        };
        for (i, &c) in counted.iter().enumerate() {
            if c == b'[' || c == b'{' {
                count += 1;
                if count > MAX_FLOW_OPENERS {
                    return Some(line_start + i);
                }
            }
        }
        line_start += line.len();
    }
    None
}

/// serde_norway's message without its " at line L column C" parts (the position is reported
/// separately), on one line, lower-case first.
fn clean_yaml_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let skip = position_suffix_len(after);
        if skip == 0 {
            out.push_str(" at ");
        }
        rest = &after[skip..];
    }
    out.push_str(rest);
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid yaml".to_string(),
    }
}

/// The length of "line 3 column 7" or "position 12" at the start of `s`, or 0.
fn position_suffix_len(s: &str) -> usize {
    fn number(s: &str) -> usize {
        s.bytes().take_while(u8::is_ascii_digit).count()
    }
    if let Some(r) = s.strip_prefix("line ") {
        let n = number(r);
        if n > 0 {
            if let Some(c) = r[n..].strip_prefix(" column ") {
                let m = number(c);
                if m > 0 {
                    return "line ".len() + n + " column ".len() + m;
                }
            }
        }
    } else if let Some(r) = s.strip_prefix("position ") {
        let n = number(r);
        if n > 0 {
            return "position ".len() + n;
        }
    }
    0
}

/// For a block scalar (`|` or `>` indicator at `offset`), the offset of the first
/// non-blank character of its text; otherwise `offset` unchanged.
fn skip_block_indicator(text: &str, offset: usize) -> usize {
    let Some(rest) = text.get(offset..) else {
        return offset;
    };
    if !rest.starts_with(['|', '>']) {
        return offset;
    }
    let Some(nl) = rest.find('\n') else {
        return offset;
    };
    let mut pos = offset + nl + 1;
    for line in text[pos..].split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if !line.trim().is_empty() {
            return pos + indent;
        }
        pos += line.len();
    }
    offset
}

/// One step of the way to a node: a mapping key or a list index.
#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The message the probe fails with on reaching its node.
const FOUND: &str = "\u{1}miro-oauth probe reached its node\u{1}";

/// The byte offset of the node at `path`, found by failing there on purpose (see the module
/// docs).
fn probe(text: &str, path: &[Step]) -> Option<usize> {
    let result = Probe(path).deserialize(serde_norway::Deserializer::from_str(text));
    match result {
        Err(err) if err.to_string().contains(FOUND) => err.location().map(|l| l.index()),
        _ => None,
    }
}

/// Walks to the node at its path and fails there with [`FOUND`].
struct Probe<'p>(&'p [Step<'p>]);

impl Probe<'_> {
    fn leaf<T, E: de::Error>(&self) -> Result<T, E> {
        if self.0.is_empty() {
            Err(E::custom(FOUND))
        } else {
            Err(E::custom("probe: path goes through a scalar"))
        }
    }
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any yaml node")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.leaf()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.leaf()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.leaf()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.leaf()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.leaf()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.leaf()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.leaf()
    }
    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.leaf()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.0.split_first() {
            None => Err(de::Error::custom(FOUND)),
            Some((Step::Index(i), rest)) => {
                for _ in 0..*i {
                    if seq.next_element::<IgnoredAny>()?.is_none() {
                        return Err(de::Error::custom("probe: index out of range"));
                    }
                }
                seq.next_element_seed(Probe(rest))?;
                Err(de::Error::custom("probe: index out of range"))
            }
            Some((Step::Key(_), _)) => Err(de::Error::custom("probe: expected a mapping")),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match self.0.split_first() {
            None => Err(de::Error::custom(FOUND)),
            Some((Step::Key(key), rest)) => {
                while let Some(k) = map.next_key::<Value>()? {
                    if k.as_str() == Some(*key) {
                        map.next_value_seed(Probe(rest))?;
                        break;
                    }
                    map.next_value::<IgnoredAny>()?;
                }
                Err(de::Error::custom("probe: key not found"))
            }
            Some((Step::Index(_), _)) => Err(de::Error::custom("probe: expected a list")),
        }
    }
}

/// The message for serde_norway's "duplicate entry {what}", `what` being "with key \"k\"",
/// "with key 5", "with null key" or "in YAML map" (a complex key).
fn duplicate_key_message(what: &str) -> String {
    let key = match what.strip_prefix("with key ") {
        Some(key) => format!("the key {key}"),
        None if what == "with null key" => "the null key".to_string(),
        None => "a key".to_string(),
    };
    format!(
        "{key} is repeated in the same mapping: expected each key once (remove or merge the \
         repeated entry)"
    )
}

/// The byte offset at which the second document of a multi-document stream starts: the
/// `---` line that opens it, else (after a `...` line) where its content starts.
///
/// serde_norway keeps no mark for `---` itself, so the parser is asked where the second
/// document's first node is (by failing there on purpose, as [`probe`] does; a document
/// libyaml cannot parse fails at the error's mark instead), and the nearest document
/// marker line before that is taken. A line starting with `---` or `...` followed by a
/// space or its end is always a document marker: YAML forbids one inside a scalar.
fn second_document_offset(text: &str) -> Option<usize> {
    let second = serde_norway::Deserializer::from_str(text).nth(1)?;
    let at = match Probe(&[]).deserialize(second) {
        Err(err) => err.location()?.index().min(text.len()),
        Ok(()) => return None,
    };
    if !text.is_char_boundary(at) {
        return Some(at);
    }
    let is_marker = |line: &str, marker: &str| {
        line.strip_prefix(marker)
            .is_some_and(|rest| rest.chars().next().is_none_or(char::is_whitespace))
    };
    let mut end = at;
    loop {
        let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = text[start..].split('\n').next().unwrap_or("");
        // An empty node is marked at the next token: a marker at `at` follows the document.
        let follows = start == at;
        if is_marker(line, "---") && !follows {
            return Some(start);
        }
        if (is_marker(line, "...") && !follows) || start == 0 {
            return Some(at);
        }
        end = start - 1;
    }
}

/// The byte offset of the first key that repeats an earlier key of the same mapping.
fn find_duplicate_key(text: &str) -> Option<usize> {
    let result = DuplicateProbe.deserialize(serde_norway::Deserializer::from_str(text));
    match result {
        Err(err) if err.to_string().contains(FOUND) => err.location().map(|l| l.index()),
        _ => None,
    }
}

/// Walks the whole document and fails with [`FOUND`] on the first repeated mapping key.
struct DuplicateProbe;

impl<'de> DeserializeSeed<'de> for DuplicateProbe {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DuplicateProbe {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any yaml node")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        IgnoredAny.visit_enum(data).map(|_| ())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(DuplicateProbe)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while map.next_key_seed(KeyCheck(&mut seen))?.is_some() {
            map.next_value_seed(DuplicateProbe)?;
        }
        Ok(())
    }
}

/// Reads a mapping key and fails with [`FOUND`] (at the key) if it was seen before. Only
/// scalar keys are compared; a complex key is skipped. A set, not a list: a mapping of
/// 100,000 keys must not cost 10^10 comparisons.
struct KeyCheck<'s>(&'s mut HashSet<String>);

impl KeyCheck<'_> {
    fn check<E: de::Error>(self, key: String) -> Result<(), E> {
        if !self.0.insert(key) {
            return Err(E::custom(FOUND));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for KeyCheck<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyCheck<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.check(format!("bool:{v}"))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.check(format!("int:{v}"))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.check(format!("int:{v}"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.check(format!("float:{v}"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.check(format!("str:{v}"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.check("null".to_string())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.check("null".to_string())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        IgnoredAny.visit_enum(data).map(|_| ())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| ())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        IgnoredAny.visit_map(map).map(|_| ())
    }
}

/// Byte offset of the first alias (`*name` where a value starts), outside comments.
fn first_alias_offset(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.split(" #").next().unwrap_or(line);
        let b = content.as_bytes();
        for i in 0..b.len() {
            let starts_value = i == 0 || matches!(b[i - 1], b' ' | b'[' | b',' | b'{' | b'\t');
            if b[i] == b'*'
                && starts_value
                && b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric())
            {
                return Some(offset + i);
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_openers_are_capped_before_parsing() {
        let deep = format!(
            "appName: x\nscopes: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(too_many_flow_openers(&deep), Some(19 + MAX_FLOW_OPENERS));
        let err = parse_manifest(&deep, Path::new("m.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("m.yaml:2:"), "{err}");
        assert!(err.contains("more than 64 `[` and `{`"), "{err}");
        // Comment lines without quotes do not count; a quote on the line makes it count.
        let comments = format!("{}appName: x\nscopes: [a]\n", "# [[[[ {{{{\n".repeat(100));
        assert_eq!(too_many_flow_openers(&comments), None);
        assert!(parse_manifest(&comments, Path::new("m.yaml")).is_ok());
        let quoted = "a: 'x' # [[[[[[[[\n".repeat(10);
        assert!(too_many_flow_openers(&quoted).is_some());
        // A `#` glued to a word is not a comment; a NEL ends a line as a newline does.
        assert!(too_many_flow_openers(&"a: x#[[[[[[[[\n".repeat(10)).is_some());
        let nel = format!("a: x #c\u{85}b: {}", "[".repeat(100));
        assert!(too_many_flow_openers(&nel).is_some());
    }

    #[test]
    fn many_list_items_are_read_in_linear_time() {
        // 20,000 scopes: placing each by re-parsing the file took minutes; past the probe
        // budget items are unplaced.
        let items: String = (0..20_000).map(|i| format!("  - s{i}:read\n")).collect();
        let text = format!("appName: x\nscopes:\n{items}");
        let config = parse_manifest(&text, Path::new("m.yaml")).unwrap();
        assert_eq!(config.app.scopes.len(), 20_000);
        assert_eq!(
            (config.app.scopes[0].line, config.app.scopes[0].column),
            (3, 5)
        );
        assert_eq!(config.app.scopes[19_999].line, 0);
        // A small manifest has every value placed.
        let small = "appName: x\nscopes: [a, b]\nredirectUris:\n  - https://x/cb\n";
        let config = parse_manifest(small, Path::new("m.yaml")).unwrap();
        assert!(config.app.scopes.iter().all(|s| s.line == 2));
        assert_eq!(config.app.redirect_uris[0].line, 4);
    }

    #[test]
    fn a_second_document_is_placed_at_its_start() {
        // (text, line:column of the second document's start)
        let cases = [
            ("appName: a\n---\nappName: b\n", (2, 1)),
            ("---\nappName: a\n---\nappName: b\n", (3, 1)),
            ("appName: a\n--- # two\n# c\n\nappName: b\n", (2, 1)),
            ("appName: a\n---\n", (2, 1)),
            ("appName: a\n---\n--- \n", (2, 1)),
            ("appName: a\n---\n...\n", (2, 1)),
            ("appName: a\n--- |\n  text\n", (2, 1)),
            ("appName: a\n---\nb: [\n", (2, 1)),
            ("appName: a\n...\n---\nb: 1\n", (3, 1)),
            // libyaml wants a `---` after `...`; the content is where it stops.
            ("appName: a\n...\nb: 1\n", (3, 1)),
            ("%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n---\nb: 1\n", (6, 1)),
        ];
        for (text, (line, column)) in cases {
            let err = parse_manifest(text, Path::new("m.yaml"))
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with(&format!("m.yaml:{line}:{column}: a second yaml document")),
                "{text:?}: {err}"
            );
        }
    }
}

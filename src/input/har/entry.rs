//! One kept HAR entry: the lenient serde shapes it is parsed into (every field optional, loose
//! types accepted the way real exporters write them) and the conversion into the model's
//! [`Request`] and [`Response`].

use base64::Engine as _;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::model::{Body, FormPart, Header, Request, Response};

/// `log.entries[i]`, only the fields the rules read.
#[derive(Default, Deserialize)]
#[serde(default, expecting = "an entry object")]
pub(super) struct RawEntry {
    #[serde(rename = "startedDateTime", deserialize_with = "loose_opt")]
    pub started: Option<String>,
    #[serde(deserialize_with = "opt_object")]
    pub request: Option<RawRequest>,
    #[serde(deserialize_with = "opt_object")]
    pub response: Option<RawResponse>,
}

#[derive(Default, Deserialize)]
#[serde(default, expecting = "a request object")]
pub(super) struct RawRequest {
    #[serde(deserialize_with = "loose")]
    method: String,
    #[serde(deserialize_with = "loose")]
    url: String,
    #[serde(deserialize_with = "loose_list")]
    headers: Vec<RawHeader>,
    #[serde(rename = "postData", deserialize_with = "opt_object")]
    post_data: Option<RawPostData>,
    /// Any shape (IE 11 writes an object): only a list's `value` strings are read.
    cookies: serde_json::Value,
}

#[derive(Default, Deserialize)]
#[serde(default, expecting = "a header object with name and value")]
struct RawHeader {
    #[serde(deserialize_with = "loose")]
    name: String,
    #[serde(deserialize_with = "loose")]
    value: String,
}

#[derive(Default, Deserialize)]
#[serde(default, expecting = "a postData object")]
struct RawPostData {
    #[serde(rename = "mimeType", deserialize_with = "loose")]
    mime_type: String,
    #[serde(deserialize_with = "loose_opt")]
    text: Option<String>,
    #[serde(deserialize_with = "loose_list")]
    params: Vec<RawParam>,
}

#[derive(Default, Deserialize)]
#[serde(default, expecting = "a param object with name and value")]
struct RawParam {
    #[serde(deserialize_with = "loose")]
    name: String,
    /// chrome-har writes JSON objects here; they are kept as their JSON text.
    #[serde(deserialize_with = "loose_any")]
    value: String,
    #[serde(rename = "fileName", deserialize_with = "loose_opt")]
    file_name: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default, expecting = "a response object")]
pub(super) struct RawResponse {
    #[serde(deserialize_with = "loose_status")]
    status: u16,
    #[serde(deserialize_with = "loose_list")]
    headers: Vec<RawHeader>,
    #[serde(deserialize_with = "opt_object")]
    content: Option<RawContent>,
    /// Any shape (IE 11 writes an object): only a list's `value` strings are read.
    cookies: serde_json::Value,
}

#[derive(Default, Deserialize)]
#[serde(default, expecting = "a content object")]
struct RawContent {
    #[serde(deserialize_with = "loose_opt")]
    text: Option<String>,
    #[serde(deserialize_with = "loose_opt")]
    encoding: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Loose types.

/// A scalar as text: strings as they are, numbers and booleans as written, null as `None`.
struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(d.deserialize_any(LooseVisitor)?.unwrap_or_default())
}

fn loose_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(LooseVisitor)
}

/// Any value as text: a string as it is, null as empty, anything else as its JSON.
fn loose_any<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// A status code written as a number or a string; 0 when absent, null or out of range.
fn loose_status<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = u16;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a status code (a number or a string)")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u16, E> {
            Ok(u16::try_from(v).unwrap_or(0))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u16, E> {
            Ok(u16::try_from(v).unwrap_or(0))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u16, E> {
            Ok(if (0.0..65536.0).contains(&v) {
                v as u16
            } else {
                0
            })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<u16, E> {
            Ok(v.trim().parse().unwrap_or(0))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<u16, E> {
            Ok(0)
        }
        fn visit_unit<E: de::Error>(self) -> Result<u16, E> {
            Ok(0)
        }
    }
    d.deserialize_any(V)
}

/// A list, or null / absent as empty.
fn loose_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An object, or null as absent; other scalars (exporters writing `""` for "none") as absent
/// too, but an array is an error.
fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object or null")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
            // Consume it so the error position is after the array, then refuse it.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<T>, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

// ---------------------------------------------------------------------------------------------
// Conversion.

fn headers(raw: Vec<RawHeader>) -> Vec<Header> {
    raw.into_iter()
        .map(|h| Header {
            name: h.name,
            value: h.value.trim().to_string(),
        })
        .collect()
}

/// The `value` strings of a HAR `cookies` list; nothing for any other shape.
fn cookie_values(cookies: serde_json::Value) -> Vec<String> {
    match cookies {
        serde_json::Value::Array(list) => list
            .into_iter()
            .filter_map(|c| match c {
                serde_json::Value::Object(mut m) => match m.remove("value") {
                    Some(serde_json::Value::String(v)) => Some(v),
                    _ => None,
                },
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl RawRequest {
    /// The values of the `cookies` list (secrets for `redact`; the rules read headers).
    pub(super) fn take_cookies(&mut self) -> Vec<String> {
        cookie_values(std::mem::take(&mut self.cookies))
    }

    /// The model request. The body is the parts of a multipart `params` list, else the `text`
    /// when there is one, else `params` joined as `a=b&c=d` (values as the exporter wrote them).
    pub(super) fn into_request(self) -> Request {
        let body = self.post_data.and_then(|p| {
            let multipart = p
                .mime_type
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/");
            if multipart && !p.params.is_empty() {
                // Parts say more than the raw multipart text (which the model does not parse).
                return Some(Body::Multipart(
                    p.params
                        .into_iter()
                        .map(|x| FormPart {
                            name: x.name,
                            value: x.value,
                            file: x.file_name.is_some(),
                        })
                        .collect(),
                ));
            }
            match p.text {
                Some(t) if !t.is_empty() => Some(Body::Text(t)),
                _ if p.params.is_empty() => None,
                _ => {
                    let mut joined = String::new();
                    for (i, x) in p.params.iter().enumerate() {
                        if i > 0 {
                            joined.push('&');
                        }
                        joined.push_str(&x.name);
                        joined.push('=');
                        joined.push_str(&x.value);
                    }
                    Some(Body::Text(joined))
                }
            }
        });
        Request {
            method: self.method,
            url: self.url,
            headers: headers(self.headers),
            body,
            curl: None,
            params_cache: Default::default(),
        }
    }
}

impl RawResponse {
    /// The values of the `cookies` list.
    pub(super) fn take_cookies(&mut self) -> Vec<String> {
        cookie_values(std::mem::take(&mut self.cookies))
    }

    /// The model response; a base64 body is decoded (lossy UTF-8), an undecodable one dropped.
    pub(super) fn into_response(self) -> Response {
        let body = self.content.and_then(|c| {
            let text = c.text?;
            let base64 = c
                .encoding
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"));
            if !base64 {
                return Some(text);
            }
            decode_base64(&text).map(|b| String::from_utf8_lossy(&b).into_owned())
        });
        Response {
            status: self.status,
            headers: headers(self.headers),
            body: body.filter(|t| !t.is_empty()),
        }
    }
}

/// Standard base64, padding optional, whitespace (line breaks of some exporters) ignored.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{general_purpose, DecodePaddingMode, GeneralPurpose};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        general_purpose::NO_PAD.with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        LENIENT.decode(compact).ok()
    } else {
        LENIENT.decode(text).ok()
    }
}

/// Turns serde_json's `invalid type: integer `3`, expected a string or null at line 1 column
/// 9` into `expected a string or null, found integer `3`` (the position is reported apart).
pub(super) fn humanize(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) if err.line() != 0 => &text[..i],
        _ => &text[..],
    };
    if let Some(rest) = text
        .strip_prefix("invalid type: ")
        .or_else(|| text.strip_prefix("invalid value: "))
    {
        if let Some(i) = rest.rfind(", expected ") {
            // `string "Authorization: Bearer …"`: the type, not the text (it may be a secret).
            let found = &rest[..i];
            let found = if found.starts_with("string ") {
                "a string"
            } else {
                found
            };
            return format!(
                "expected {}, found {found}",
                &rest[i + ", expected ".len()..],
            );
        }
    }
    text.to_string()
}

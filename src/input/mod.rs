//! Input parsers: curl commands, URLs, raw HTTP and HAR, each turned into [`crate::model`]
//! requests. [`detect`] tells the kinds apart by content, never by file name.

pub mod curl;
pub mod detect;
pub mod har;
pub mod http;
pub mod url;

//! The live commands (issue #5): talk to Miro for real. `login` runs a one-shot loopback
//! callback server and exchanges the code the moment it arrives; `exchange`, `refresh`,
//! `token-info` and `revoke` call the token, token-context and revoke endpoints.
//!
//! - [`client`]: where credentials may go (the configured API host, https or loopback http)
//!   and the HTTP requests, recorded exactly as sent.
//! - [`callback`]: the one-shot server on the redirect URI and the judging of a callback.
//! - [`store`]: the token file (0600, atomic replace, lock, crash recovery).
//! - [`commands`]: the commands and their clap arguments; when Miro says no, the request and
//!   response are diagnosed by the doctor's rules.

pub mod callback;
pub mod client;
pub mod commands;
pub mod store;

pub use commands::{
    exchange, login, refresh, revoke, token_info, ExchangeArgs, LiveOptions, LoginArgs,
    RefreshArgs, RevokeArgs, TokenInfoArgs,
};

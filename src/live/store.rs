//! The token store: one JSON file (mode 0600) per app holding the access and refresh token,
//! their expiry, scope, team and user. Writes are atomic (temporary file in the same
//! directory, fsync, rename, fsync of the directory) and happen under an exclusive lock file,
//! because Miro rotates the pair on every refresh and the old refresh token dies with it
//! (facts §5): losing the new pair, or two refreshes racing, leaves no valid refresh token.
//!
//! A crash between the fsync of the temporary file and the rename leaves the old file intact
//! and the new pair in a `.<name>.<random>.pending` file next to it. Because Miro already
//! invalidated the old pair at that point, the next locked load promotes the newest complete
//! pending file ([`StoreLock::load`]).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The format version written in the file.
pub const VERSION: u32 = 1;

/// Environment variable for the crash-safety test: when set, `save` exits the process right
/// after the temporary file is written and fsynced, before the rename, as a crash would.
pub const CRASH_BEFORE_RENAME_ENV: &str = "MIRO_OAUTH_TEST_CRASH_BEFORE_RENAME";

/// The stored tokens of one app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// Incremented on every save; orders a pending file against the store (a wall clock can
    /// repeat or go back, a counter cannot).
    #[serde(default)]
    pub generation: u64,
    /// The app's client id (a token is only good with its own app's credentials).
    pub client_id: String,
    /// The API base the token was issued by.
    pub api_url: String,
    /// `bearer`.
    pub token_type: String,
    /// The access token.
    pub access_token: String,
    /// The refresh token (expiring-token apps only, facts §5).
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// When the access token expires (RFC 3339), from `expires_in`.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Granted scopes, space-separated as Miro sends them.
    #[serde(default)]
    pub scope: Option<String>,
    /// The team the app was installed in.
    #[serde(default)]
    pub team_id: Option<String>,
    /// The user who authorized.
    #[serde(default)]
    pub user_id: Option<String>,
    /// When this pair was obtained (RFC 3339).
    pub obtained_at: String,
}

impl StoredToken {
    /// The expiry as a timestamp.
    pub fn expires(&self) -> Option<jiff::Timestamp> {
        self.expires_at.as_deref()?.parse().ok()
    }

    fn obtained(&self) -> Option<jiff::Timestamp> {
        self.obtained_at.parse().ok()
    }

    /// The granted scopes as a list.
    pub fn scopes(&self) -> Vec<String> {
        self.scope
            .as_deref()
            .unwrap_or("")
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The default store path for an app: `<config dir>/miro-oauth/tokens/<client_id>.json`
/// (`~/.config` on Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
pub fn default_path(client_id: &str) -> Option<PathBuf> {
    let safe: String = client_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Some(
        dirs::config_dir()?
            .join("miro-oauth")
            .join("tokens")
            .join(format!("{safe}.json")),
    )
}

/// A token file.
#[derive(Clone, Debug)]
pub struct TokenStore {
    path: PathBuf,
}

/// Errors of the store (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// I/O on a path.
    #[error("{path}: {what}")]
    Io {
        /// The path.
        path: String,
        /// What was being done.
        what: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a token store.
    #[error("{path}: not a miro-oauth token file ({reason}); expected the JSON written by `miro-oauth login`")]
    Invalid {
        /// The path.
        path: String,
        /// The parse error.
        reason: String,
    },
    /// The lock was held too long by another process.
    #[error("{path}: another miro-oauth process has held the token-store lock for {}; expected it to finish (remove the lock file only if no miro-oauth is running)", wait_text(*waited))]
    LockTimeout {
        /// The lock file.
        path: String,
        /// How long we waited.
        waited: Duration,
    },
    /// A pending write could not be renamed into place; the new pair is kept in `pending`.
    #[error("{path}: cannot replace the token file; the new tokens are kept in {pending}, and the next miro-oauth run promotes them")]
    Persist {
        /// The store.
        path: String,
        /// The kept temporary file.
        pending: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A wait for the lock message: milliseconds under a second (a whole-second count would say
/// "0s"), else seconds to a tenth ("60s", "1.5s").
fn wait_text(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        return format!("{}ms", d.as_millis());
    }
    let secs = format!("{:.1}", d.as_secs_f64());
    format!("{}s", secs.strip_suffix(".0").unwrap_or(&secs))
}

fn io(path: &Path, what: &'static str) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.display().to_string();
    move |source| StoreError::Io { path, what, source }
}

impl TokenStore {
    /// A store at this path.
    pub fn new(path: impl Into<PathBuf>) -> TokenStore {
        TokenStore { path: path.into() }
    }

    /// The token file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The lock file next to it (`<name>.lock`).
    pub fn lock_path(&self) -> PathBuf {
        let mut name = self.file_name();
        name.push_str(".lock");
        self.dir().join(name)
    }

    fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "tokens.json".to_string())
    }

    /// Reads the file without the lock (a rename is atomic, so a reader sees the old or the
    /// new content, never a mix). `None` when there is no file.
    pub fn peek(&self) -> Result<Option<StoredToken>, StoreError> {
        read(&self.path)
    }

    /// Creates the directory (mode 0700 for the directories it creates), then takes the
    /// exclusive lock, waiting up to `timeout`.
    pub fn lock(&self, timeout: Duration) -> Result<StoreLock, StoreError> {
        self.lock_with(timeout, fs4::FileExt::try_lock)
    }

    /// [`TokenStore::lock`] with the lock call passed in (a test injects a failure that no
    /// local file system gives).
    fn lock_with(
        &self,
        timeout: Duration,
        try_lock: impl Fn(&File) -> Result<(), fs4::TryLockError>,
    ) -> Result<StoreLock, StoreError> {
        let dir = self.dir();
        create_dir(&dir).map_err(io(&dir, "cannot create the token directory"))?;
        let lock_path = self.lock_path();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path, "cannot open the lock file"))?;
        let start = Instant::now();
        loop {
            match try_lock(&file) {
                Ok(()) => break,
                Err(fs4::TryLockError::WouldBlock) => {
                    if start.elapsed() >= timeout {
                        return Err(StoreError::LockTimeout {
                            path: lock_path.display().to_string(),
                            waited: timeout,
                        });
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(fs4::TryLockError::Error(e)) => {
                    return Err(io(&lock_path, "cannot lock")(e));
                }
            }
        }
        Ok(StoreLock {
            store: self.clone(),
            _file: file,
        })
    }
}

/// Holds the store's exclusive lock (released when dropped: closing the file drops it).
pub struct StoreLock {
    store: TokenStore,
    _file: File,
}

/// What a locked load found.
#[derive(Debug)]
pub struct Loaded {
    /// The tokens, if any.
    pub token: Option<StoredToken>,
    /// A pending file from an interrupted write was promoted.
    pub recovered: Option<PathBuf>,
}

impl StoreLock {
    /// The store.
    pub fn store(&self) -> &TokenStore {
        &self.store
    }

    /// Reads the store, first promoting the newest complete pending file left by an
    /// interrupted write (it holds the pair Miro issued last; the stored one is already dead).
    pub fn load(&self) -> Result<Loaded, StoreError> {
        let current = read(&self.store.path)?;
        let mut recovered = None;
        let mut best: Option<(PathBuf, StoredToken)> = None;
        for pending in self.pending_files() {
            let Ok(Some(t)) = read(&pending) else {
                // Cut short by the crash before its fsync: never a valid pair. Remove it.
                let _ = fs::remove_file(&pending);
                continue;
            };
            let newer_than = |other: &StoredToken| {
                t.generation > other.generation
                    || (t.generation == other.generation
                        && matches!((t.obtained(), other.obtained()), (Some(a), Some(b)) if a > b))
            };
            let same_app = current.as_ref().is_none_or(|c| c.client_id == t.client_id);
            let beats_current = current.as_ref().is_none_or(&newer_than);
            let beats_best = best.as_ref().is_none_or(|(_, b)| newer_than(b));
            if same_app && beats_current && beats_best {
                if let Some((old, _)) = best.take() {
                    let _ = fs::remove_file(old);
                }
                best = Some((pending, t));
            } else {
                let _ = fs::remove_file(&pending);
            }
        }
        let token = match best {
            Some((pending, t)) => {
                fs::rename(&pending, &self.store.path)
                    .map_err(io(&self.store.path, "cannot promote a pending token file"))?;
                sync_dir(&self.store.dir());
                recovered = Some(pending);
                Some(t)
            }
            None => current,
        };
        Ok(Loaded { token, recovered })
    }

    fn pending_files(&self) -> Vec<PathBuf> {
        let prefix = format!(".{}.", self.store.file_name());
        let Ok(entries) = fs::read_dir(self.store.dir()) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".pending"))
            })
            .collect()
    }

    /// Replaces the stored tokens atomically: write a temporary file (0600) in the same
    /// directory, fsync it, rename it over the store, fsync the directory.
    pub fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        self.save_with(token, File::sync_all)
    }

    /// [`StoreLock::save`] with the fsync of the temporary file passed in (a test injects a
    /// failure: a real one needs a faulty or full device).
    fn save_with(
        &self,
        token: &StoredToken,
        sync: impl FnOnce(&File) -> std::io::Result<()>,
    ) -> Result<(), StoreError> {
        let dir = self.store.dir();
        let path = &self.store.path;
        let mut json = serde_json::to_string_pretty(token).expect("a token record serializes");
        json.push('\n');
        // tempfile creates the file with mode 0600 on Unix, so the secret is never readable
        // by others, not even for a moment.
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", self.store.file_name()))
            .suffix(".pending")
            .tempfile_in(&dir)
            .map_err(io(&dir, "cannot create a temporary token file"))?;
        tmp.write_all(json.as_bytes())
            .map_err(io(tmp.path(), "cannot write the temporary token file"))?;
        sync(tmp.as_file()).map_err(io(tmp.path(), "cannot fsync the temporary token file"))?;
        if std::env::var_os(CRASH_BEFORE_RENAME_ENV).is_some_and(|v| !v.is_empty()) {
            // Test hook: die like a crash would (no destructors, so the temporary file stays).
            std::process::exit(70);
        }
        if let Err(e) = tmp.persist(path) {
            let kept = e.file.into_temp_path().keep();
            return Err(StoreError::Persist {
                path: path.display().to_string(),
                pending: kept
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| "a temporary file".to_string()),
                source: e.error,
            });
        }
        sync_dir(&dir);
        Ok(())
    }

    /// Removes the token file (after a revoke).
    pub fn remove(&self) -> Result<(), StoreError> {
        match fs::remove_file(&self.store.path) {
            Ok(()) => {
                sync_dir(&self.store.dir());
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(&self.store.path, "cannot remove the token file")(e)),
        }
    }
}

fn read(path: &Path) -> Result<Option<StoredToken>, StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path, "cannot read the token file")(e)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StoreError::Invalid {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
}

fn create_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Makes a rename durable: fsync the directory (Unix; a no-op where directories cannot be
/// opened, e.g. Windows).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The file's permission bits when they let others read it (Unix), for a warning.
pub fn loose_permissions(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(rt: &str, at: &str) -> StoredToken {
        StoredToken {
            version: VERSION,
            generation: 1,
            client_id: "1".into(),
            api_url: "https://api.miro.com".into(),
            token_type: "bearer".into(),
            access_token: format!("at-{rt}"),
            refresh_token: Some(rt.into()),
            expires_at: None,
            scope: Some("boards:read boards:write".into()),
            team_id: None,
            user_id: None,
            obtained_at: at.into(),
        }
    }

    #[test]
    fn save_load_roundtrip_with_0600() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("sub/t.json"));
        let lock = store.lock(Duration::from_secs(1)).unwrap();
        assert_eq!(lock.load().unwrap().token, None);
        let t = token("r1", "2026-01-01T00:00:00Z");
        lock.save(&t).unwrap();
        assert_eq!(lock.load().unwrap().token, Some(t.clone()));
        assert_eq!(store.peek().unwrap(), Some(t));
        assert_eq!(loose_permissions(store.path()), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(lock.pending_files().is_empty());
    }

    #[test]
    fn lock_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("t.json"));
        let held = store.lock(Duration::from_secs(1)).unwrap();
        assert!(matches!(
            store.lock(Duration::from_millis(100)),
            Err(StoreError::LockTimeout { .. })
        ));
        drop(held);
        assert!(store.lock(Duration::from_millis(100)).is_ok());
    }

    #[test]
    fn newest_complete_pending_file_is_promoted() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("t.json"));
        let lock = store.lock(Duration::from_secs(1)).unwrap();
        lock.save(&token("old", "2026-01-01T00:00:00Z")).unwrap();
        let write = |name: &str, t: &str| fs::write(dir.path().join(name), t).unwrap();
        // Same second as the stored pair: the generation decides, not the clock.
        let mut newer = token("new", "2026-01-01T00:00:00Z");
        newer.generation = 2;
        write(".t.json.a.pending", &serde_json::to_string(&newer).unwrap());
        write(
            ".t.json.b.pending",
            &serde_json::to_string(&token("older", "2025-12-31T00:00:00Z")).unwrap(),
        );
        write(".t.json.c.pending", "{\"version\":1,\"client");
        let loaded = lock.load().unwrap();
        assert_eq!(loaded.token, Some(newer));
        assert!(loaded.recovered.is_some());
        assert!(lock.pending_files().is_empty());
    }

    /// The OS error of a `StoreError::Io` (its `Display` is `{path}: {what}`; the binary
    /// shows the OS error after it, through the error chain).
    fn io_kind(e: StoreError) -> std::io::ErrorKind {
        match e {
            StoreError::Io { source, .. } => source.kind(),
            other => panic!("expected StoreError::Io, got {other:?}"),
        }
    }

    /// A pending file cannot be promoted when the rename fails. Here the token path ends in
    /// `/` (`--token-file dir/t.json/`): no file is there to read, but a rename of a file
    /// onto a name with a trailing slash fails (ENOTDIR), even as root.
    #[cfg(unix)]
    #[test]
    fn promoting_a_pending_file_fails() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("t.json/"));
        let lock = store.lock(Duration::from_secs(1)).unwrap();
        let pending = dir.path().join(".t.json.a.pending");
        fs::write(
            &pending,
            serde_json::to_string(&token("new", "2026-01-01T00:00:00Z")).unwrap(),
        )
        .unwrap();
        let e = lock.load().unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: cannot promote a pending token file",
                store.path().display()
            )
        );
        assert_eq!(io_kind(e), std::io::ErrorKind::NotADirectory);
        // The pending pair is not lost: the next run can still promote it.
        assert!(pending.exists());
    }

    /// The temporary file cannot be created when the directory went away after the lock was
    /// taken (another process removed it).
    #[test]
    fn creating_the_temporary_file_fails() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("tokens");
        let store = TokenStore::new(sub.join("t.json"));
        let lock = store.lock(Duration::from_secs(1)).unwrap();
        fs::remove_dir_all(&sub).unwrap();
        let e = lock.save(&token("r1", "2026-01-01T00:00:00Z")).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: cannot create a temporary token file", sub.display())
        );
        assert_eq!(io_kind(e), std::io::ErrorKind::NotFound);
    }

    /// The token file cannot be removed when a non-empty directory stands in its place
    /// (unlink refuses directories, even as root).
    #[test]
    fn removing_the_token_file_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), "not a token file").unwrap();
        let store = TokenStore::new(&path);
        let lock = store.lock(Duration::from_secs(1)).unwrap();
        let e = lock.remove().unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: cannot remove the token file", path.display())
        );
        // EISDIR on Linux (macOS says EPERM).
        #[cfg(target_os = "linux")]
        assert_eq!(io_kind(e), std::io::ErrorKind::IsADirectory);
        assert!(path.join("keep").exists());
        // No file at all is not an error: there is nothing to remove.
        fs::remove_dir_all(&path).unwrap();
        assert!(lock.remove().is_ok());
    }

    /// The lock call fails with something other than "would block" (ENOLCK: the kernel is
    /// out of lock memory): reported at once, not waited out as a held lock.
    #[cfg(target_os = "linux")]
    #[test]
    fn locking_fails() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("t.json"));
        let calls = std::cell::Cell::new(0);
        let e = store
            .lock_with(Duration::from_secs(1), |_| {
                calls.set(calls.get() + 1);
                Err(fs4::TryLockError::Error(std::io::Error::from_raw_os_error(
                    37,
                )))
            })
            .err()
            .expect("the lock fails");
        assert_eq!(
            format!("{:#}", anyhow::Error::from(e)),
            format!(
                "{}: cannot lock: No locks available (os error 37)",
                store.lock_path().display()
            )
        );
        assert_eq!(calls.get(), 1);
    }

    /// The fsync of the temporary file fails (EIO): the stored pair is untouched and the
    /// temporary file is not left to be promoted later.
    #[cfg(unix)]
    #[test]
    fn fsyncing_the_temporary_file_fails() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("t.json"));
        let lock = store.lock(Duration::from_secs(1)).unwrap();
        let old = token("old", "2026-01-01T00:00:00Z");
        lock.save(&old).unwrap();
        let mut pending = None;
        let e = lock
            .save_with(&token("new", "2026-01-02T00:00:00Z"), |f| {
                pending = fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .find(|p| p.extension().is_some_and(|x| x == "pending"));
                assert!(f.metadata().unwrap().len() > 0);
                Err(std::io::Error::from_raw_os_error(5))
            })
            .unwrap_err();
        let pending = pending.expect("the temporary file exists at the fsync");
        assert_eq!(
            format!("{:#}", anyhow::Error::from(e)),
            format!(
                "{}: cannot fsync the temporary token file: Input/output error (os error 5)",
                pending.display()
            )
        );
        assert!(!pending.exists());
        assert_eq!(lock.load().unwrap().token, Some(old));
    }

    #[test]
    fn scopes_split() {
        assert_eq!(
            token("r", "x").scopes(),
            vec!["boards:read".to_string(), "boards:write".to_string()]
        );
    }
}

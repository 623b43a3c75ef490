//! What `check` knows about the app beyond its config: the deployment's environment (`--env`
//! dotenv files, [`env`]), and with `--scan DIR` the source tree's Miro calls, client use and
//! dependencies ([`scan`], [`deps`]). The engine hands a [`Project`] to the rules of the
//! `config` group through [`crate::engine::Cx::project`]; [`check`] runs them.
//!
//! Paths in findings are relative to [`Project::base`] (the current directory), so CI
//! annotations and SARIF point at files in the checkout.

pub mod deps;
pub mod env;
pub mod scan;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::engine::Options;
use crate::error::Position;
use crate::finding::{Location, Part, Report};
use crate::secret::{SecretKind, Secrets};

/// The names of the environment variables that hold the app's credentials. The defaults are
/// the ones Miro's official Node and Python clients read (facts §18).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvNames {
    /// The client id (`MIRO_CLIENT_ID`).
    pub client_id: String,
    /// The client secret (`MIRO_CLIENT_SECRET`, or the config's `client_secret_env`).
    pub client_secret: String,
    /// The redirect URI (`MIRO_REDIRECT_URL`).
    pub redirect_uri: String,
}

impl Default for EnvNames {
    fn default() -> Self {
        EnvNames {
            client_id: "MIRO_CLIENT_ID".to_string(),
            client_secret: "MIRO_CLIENT_SECRET".to_string(),
            redirect_uri: "MIRO_REDIRECT_URL".to_string(),
        }
    }
}

impl EnvNames {
    /// The defaults, with the secret's name taken from the config's `client_secret_env` when
    /// it sets one.
    pub fn for_config(config: &Config) -> EnvNames {
        let mut names = EnvNames::default();
        if let Some(n) = &config.app.client_secret_env {
            if !n.value.trim().is_empty() {
                names.client_secret = n.value.trim().to_string();
            }
        }
        names
    }
}

/// A file `check` could not read or parse (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file or directory could not be read.
    #[error("{path}: cannot read {what}: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// The OS error text.
        reason: String,
        /// What it was meant to be (`--env file`, `--scan directory`).
        what: &'static str,
    },
    /// An env file with a line that is not dotenv syntax.
    #[error("{path}:{position}: {message}")]
    Parse {
        /// The path as given.
        path: String,
        /// Where.
        position: Position,
        /// What was wrong and what was expected.
        message: String,
    },
}

/// The app's environment and source, as `check` sees them.
#[derive(Clone, Debug)]
pub struct Project {
    /// Paths in findings are relative to this directory.
    pub base: PathBuf,
    /// The `--env` files, in the order given (a later file overrides an earlier one).
    pub env_files: Vec<env::EnvFile>,
    /// Which variables hold the credentials.
    pub env_names: EnvNames,
    /// The `--scan` result.
    pub scan: Option<scan::Scan>,
}

/// A variable's effective value: the last assignment across the env files.
#[derive(Clone, Copy, Debug)]
pub struct EnvValue<'a> {
    /// The file it is set in.
    pub file: &'a env::EnvFile,
    /// The assignment.
    pub var: &'a env::EnvVar,
}

impl Project {
    /// An empty project whose paths are relative to `base`.
    pub fn new(base: impl Into<PathBuf>) -> Project {
        Project {
            base: base.into(),
            env_files: Vec::new(),
            env_names: EnvNames::default(),
            scan: None,
        }
    }

    /// `path` for messages and locations: relative to the base when inside it.
    pub fn display_path(&self, path: &Path) -> String {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let (p, b) = (abs(path), abs(&self.base));
        match p.strip_prefix(&b) {
            Ok(rel) => scan::relative(Path::new(""), rel),
            Err(_) => path.display().to_string().replace('\\', "/"),
        }
    }

    /// Reads and adds an env file (`--env FILE`).
    pub fn add_env_file(&mut self, path: &Path) -> Result<(), ProjectError> {
        let unreadable = |reason: String| ProjectError::Unreadable {
            path: path.display().to_string(),
            reason,
            what: "--env file",
        };
        let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
        let mut bytes = Vec::new();
        let limit = crate::config::load::MAX_CONFIG_BYTES;
        if !crate::read_limited(file, &mut bytes, limit).map_err(|e| unreadable(e.to_string()))? {
            return Err(unreadable(format!(
                "more than {} MiB; expected a .env file of KEY=value lines",
                limit >> 20
            )));
        }
        let text = String::from_utf8_lossy(&bytes);
        self.add_env_text(path, &text)
    }

    /// Adds env text as if read from `path`.
    pub fn add_env_text(&mut self, path: &Path, text: &str) -> Result<(), ProjectError> {
        let display = self.display_path(path);
        let earlier: Vec<&env::EnvVar> = self.env_files.iter().flat_map(|f| &f.vars).collect();
        let file = env::parse(text, path, &display, &earlier)?;
        self.env_files.push(file);
        Ok(())
    }

    /// Scans a source tree (`--scan DIR`).
    pub fn scan_dir(&mut self, dir: &Path) -> Result<(), ProjectError> {
        self.scan = Some(scan::scan(dir, &self.base)?);
        Ok(())
    }

    /// The effective value of a variable across the env files (the last assignment wins, as
    /// when several `env_file`s are listed in Compose).
    pub fn env_value(&self, name: &str) -> Option<EnvValue<'_>> {
        self.env_files
            .iter()
            .rev()
            .find_map(|file| file.get(name).map(|var| EnvValue { file, var }))
    }

    /// A variable whose name looks like `name` (another spelling of the same setting, e.g.
    /// `MIRO_REDIRECT_URI` for `MIRO_REDIRECT_URL`), for hints when `name` is not set.
    pub fn env_near(&self, name: &str) -> Option<EnvValue<'_>> {
        let key = |n: &str| {
            n.to_ascii_uppercase()
                .replace("URI", "URL")
                .replace(['_', '-', '.'], "")
        };
        let wanted = key(name);
        let tail = |n: &str| {
            let k = key(n);
            ["CLIENTID", "CLIENTSECRET", "REDIRECTURL"]
                .into_iter()
                .find(|t| k.ends_with(t))
        };
        self.env_files.iter().rev().find_map(|file| {
            file.vars.iter().rev().find_map(|var| {
                let k = key(&var.name);
                let same = var.name != name
                    && (k == wanted
                        || (tail(&var.name).is_some() && tail(&var.name) == tail(name)));
                same.then_some(EnvValue { file, var })
            })
        })
    }

    /// The secrets `check` must mask: the config's inline secret, the env files' secret
    /// variable (and any variable whose name says it is a secret or token), and secrets
    /// written in the source.
    pub fn secrets(&self, config: &Config) -> Secrets {
        let mut s = Secrets::default();
        if let Some(v) = &config.app.client_secret {
            s.add(SecretKind::ClientSecret, &v.value);
        }
        for file in &self.env_files {
            for var in &file.vars {
                let upper = var.name.to_ascii_uppercase();
                if var.name == self.env_names.client_secret || upper.contains("SECRET") {
                    s.add(SecretKind::ClientSecret, &var.value);
                } else if upper.contains("TOKEN") || upper.contains("PASSWORD") {
                    s.add(SecretKind::Token, &var.value);
                }
            }
        }
        if let Some(scan) = &self.scan {
            for secret in &scan.secrets {
                s.add(SecretKind::ClientSecret, &secret.value);
            }
        }
        s
    }

    /// A location in a file, relative path already computed.
    pub fn location(
        &self,
        file: &str,
        line: usize,
        column: usize,
        part: Part,
        name: Option<&str>,
    ) -> Location {
        Location {
            input: None,
            entry: None,
            part,
            name: name.map(str::to_string),
            file: Some(file.to_string()),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
        }
    }

    /// A location in the config file.
    pub fn config_location(
        &self,
        config: &Config,
        line: usize,
        column: usize,
        name: &str,
    ) -> Location {
        let file = match &config.path {
            Some(p) => self.display_path(p),
            None => config.display_path(),
        };
        self.location(&file, line, column, Part::Config, Some(name))
    }
}

/// Runs the `check` rules (the `config` group) on a config and a project.
pub fn check(config: &Config, project: &Project, options: &Options) -> Report {
    crate::engine::run_check(crate::rules::all(), config, project, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_last_file_wins_and_near_names() {
        let mut p = Project::new(".");
        p.add_env_text(
            Path::new(".env"),
            "MIRO_CLIENT_ID=1\nMIRO_REDIRECT_URI=https://a/cb\n",
        )
        .unwrap();
        p.add_env_text(Path::new(".env.production"), "MIRO_CLIENT_ID=2\n")
            .unwrap();
        let v = p.env_value("MIRO_CLIENT_ID").unwrap();
        assert_eq!(
            (v.var.value.as_str(), v.file.display.as_str()),
            ("2", ".env.production")
        );
        assert!(p.env_value("MIRO_REDIRECT_URL").is_none());
        assert_eq!(
            p.env_near("MIRO_REDIRECT_URL").unwrap().var.name,
            "MIRO_REDIRECT_URI"
        );
        assert!(p.env_near("MIRO_CLIENT_ID").is_none());
    }

    #[test]
    fn display_paths_are_relative_to_the_base() {
        let p = Project::new("/work/app");
        assert_eq!(
            p.display_path(Path::new("/work/app/deploy/.env")),
            "deploy/.env"
        );
        assert_eq!(
            p.display_path(Path::new("/elsewhere/.env")),
            "/elsewhere/.env"
        );
    }
}

//! The `miro-oauth` binary: parses arguments, runs a command, and maps the outcome to the exit
//! code in exactly one place (0 clean, 1 error findings, 2 the tool could not do its job).

mod cli;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`miro-oauth rules | head`) is not an error worth reporting.
            let broken_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .map(std::io::Error::kind)
                    .or_else(|| {
                        e.downcast_ref::<serde_json::Error>()
                            .and_then(serde_json::Error::io_error_kind)
                    })
                    == Some(std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            // An error may quote the input it could not parse: secrets in it are masked.
            let message = miro_oauth::secret::mask_text(&format!("{err:#}"));
            let _ = writeln!(stderr, "miro-oauth: error: {message}");
            ExitCode::from(2)
        }
    }
}

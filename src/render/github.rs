//! `--format github`: GitHub Actions workflow commands, one per finding, which the runner
//! turns into annotations on the pull request:
//!
//! ```text
//! ::error file=miro-oauth.toml,line=4,col=3,title=config-redirect-uri-insecure::redirect URI …%0Afix: …
//! ```
//!
//! `error` findings are `::error`, warnings `::warning`, infos `::notice`. The message carries
//! the fix on a second line. Escaping follows `@actions/core` (`toolkit/packages/core/src/command.ts`):
//! in the message `%`, `\r`, `\n` become `%25`, `%0D`, `%0A`; in properties `:` and `,`
//! become `%3A` and `%2C` too. A finding without a file (an inline `doctor` input) has no
//! `file=`; without a line, no `line=`.

use std::io::{self, Write};

use crate::finding::{Report, Severity};

/// Escapes a command's message (`escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value (`escapeProperty`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one workflow command per finding.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props: Vec<String> = Vec::new();
        let file = f.location.file.clone().or_else(|| {
            let input = report.inputs.get(f.location.input?)?;
            let source = input.source.split('#').next().unwrap_or(&input.source);
            (source != "-" && !source.starts_with('<')).then(|| source.to_string())
        });
        if let Some(file) = file {
            props.push(format!(
                "file={}",
                escape_property(&file.replace('\\', "/"))
            ));
            if let Some(line) = f.location.line {
                props.push(format!("line={line}"));
                if let Some(col) = f.location.column {
                    props.push(format!("col={col}"));
                }
            }
        }
        props.push(format!("title={}", escape_property(f.rule)));
        let mut message = f.message.clone();
        if !f.fix.is_empty() {
            message.push_str("\nfix: ");
            message.push_str(&f.fix);
        }
        writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        assert_eq!(escape_property("dir,1/a:b.toml"), "dir%2C1/a%3Ab.toml");
        assert_eq!(escape_property("100%\n"), "100%25%0A");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn one_command_per_finding() {
        use crate::finding::{Finding, Location, Part, Step, Summary};
        let finding = |severity, file: Option<&str>, line| Finding {
            rule: "config-secret-inline",
            severity,
            message: "the secret, 100% inline\nsecond line".to_string(),
            fix: "Move it, now.".to_string(),
            location: Location {
                input: None,
                entry: None,
                part: Part::Config,
                name: None,
                file: file.map(str::to_string),
                line,
                column: line.map(|_| 3),
            },
            evidence: Default::default(),
            step: Step::Config,
            notes: Vec::new(),
        };
        let report = Report {
            version: 1,
            inputs: Vec::new(),
            findings: vec![
                finding(Severity::Error, Some("a,b/miro-oauth.toml"), Some(4)),
                finding(Severity::Warning, Some("x.toml"), None),
                finding(Severity::Info, None, None),
            ],
            skipped: Vec::new(),
            summary: Summary::default(),
            timeline: Vec::new(),
        };
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=a%2Cb/miro-oauth.toml,line=4,col=3,title=config-secret-inline::the secret, 100%25 inline%0Asecond line%0Afix: Move it, now.\n\
             ::warning file=x.toml,title=config-secret-inline::the secret, 100%25 inline%0Asecond line%0Afix: Move it, now.\n\
             ::notice title=config-secret-inline::the secret, 100%25 inline%0Asecond line%0Afix: Move it, now.\n"
        );
    }
}

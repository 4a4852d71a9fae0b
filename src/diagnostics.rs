//! Diagnostics: errors and warnings that point at a place in a file.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of failing on the first one, so one
//! build tells an editor about everything that is wrong. A diagnostic names the file, line and
//! column, says what is wrong and, where we can tell, how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; the build still succeeds.
    Warning,
    /// Stops the build; the previous output is kept.
    Error,
}

/// One problem, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File the problem is in, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when we can say.
    pub help: Option<String>,
    /// The offending source line, shown under the message.
    #[serde(skip)]
    pub excerpt: Option<Box<Excerpt>>,
}

/// The most characters of a source line shown under a diagnostic; a longer line is cut to
/// this many around the column, so one huge line cannot flood a terminal or the overlay.
pub const EXCERPT_CHARS: usize = 120;
/// The most characters of a message or help text (they can quote the input).
pub const MESSAGE_CHARS: usize = 1000;

/// A source line as shown under a diagnostic: the whole line, or a window of it around the
/// column with `…` where it was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The line's text, or the window of it shown.
    pub text: String,
    /// 1-based column of the caret in `text` (in characters); 0 for none.
    pub caret: usize,
}

impl Excerpt {
    /// The part of `line` around 1-based `column` (0: no column) that is shown.
    fn around(line: &str, column: usize) -> Excerpt {
        if line.chars().nth(EXCERPT_CHARS).is_none() {
            return Excerpt { text: line.to_string(), caret: column };
        }
        // A third of the window before the caret, the rest after it.
        let first = column.saturating_sub(1).saturating_sub(EXCERPT_CHARS / 3);
        let mut text: String = line.chars().skip(first).take(EXCERPT_CHARS).collect();
        let cut_end = line.chars().nth(first + EXCERPT_CHARS).is_some();
        let mut caret = column.saturating_sub(first);
        if first > 0 {
            text.insert(0, '…');
            caret += 1;
        }
        if cut_end {
            text.push('…');
        }
        Excerpt { text, caret: if column == 0 { 0 } else { caret } }
    }
}

/// A size in MiB, the unit the limits are set in: "5.0 MiB".
pub fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// `text`, cut to at most `max` characters with `…` at the cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

impl Diagnostic {
    /// An error about `file`, not yet pointed at a line.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    /// A warning about `file`, not yet pointed at a line.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, message)
    }

    fn new(severity: Severity, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.into(),
            line: 0,
            column: 0,
            message: shorten(&message.into(), MESSAGE_CHARS),
            help: None,
            excerpt: None,
        }
    }

    /// Points the diagnostic at a byte offset of `source`.
    pub fn at(mut self, source: &SourceText, offset: usize) -> Self {
        let (line, column) = source.line_col(offset);
        self.line = line;
        self.column = column;
        self.excerpt = source.line_text(line, column).map(Box::new);
        self
    }

    /// Points the diagnostic at a known line and column.
    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Adds how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shorten(&help.into(), MESSAGE_CHARS));
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, the form editors and terminals make clickable.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => file.to_string(),
            (line, 0) => format!("{file}:{line}"),
            (line, column) => format!("{file}:{line}:{column}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}: {}", self.location(), self.message)?;
        if let Some(excerpt) = &self.excerpt {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            write!(f, "\n {pad} |\n {gutter} | {}", excerpt.text)?;
            if excerpt.caret > 0 {
                let caret_pad = " ".repeat(excerpt.caret - 1);
                write!(f, "\n {pad} | {caret_pad}^")?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Diagnostics collected by a stage, kept in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds several, keeping their order.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any of them is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// All of them, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// All of them, in the order found, as a `Vec`.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The text of a source file with a line index, so byte offsets can be reported as line:col.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path as shown in diagnostics (relative to the site root).
    pub path: PathBuf,
    /// The file's full contents.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Indexes the lines of `text`, the contents of the file at `path`.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceText { path: path.into(), text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..floor_char_boundary(&self.text, offset)].chars().count() + 1;
        (line, column)
    }

    /// The text of a 1-based line, without its line break, as shown under a diagnostic at
    /// `column` (0: none): a long line is cut to [`EXCERPT_CHARS`] around the column.
    pub fn line_text(&self, line: usize, column: usize) -> Option<Excerpt> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        Some(Excerpt::around(self.text[start..end].trim_end_matches(['\n', '\r']), column))
    }

    /// The path shown in diagnostics.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The closest of `candidates` to a misspelt `word`, if any is close enough to suggest.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, c)| *distance <= (c.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// Byte offset of the key at `path` (`["branding", "primary_colour"]`) in a TOML text, for
/// pointing a diagnostic at it: the key itself, not the first place its name occurs.
pub fn toml_key_offset(text: &str, path: &[&str]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let document = DeTable::parse(text).ok()?;
    let (last, parents) = path.split_last()?;
    let mut table = document.get_ref();
    for parent in parents {
        let (_, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *parent)?;
        let DeValue::Table(inner) = value.get_ref() else { return None };
        table = inner;
    }
    table.iter().find(|(k, _)| k.get_ref().as_ref() == *last).map(|(k, _)| k.span().start)
}

/// Turns a TOML parse error into a diagnostic, `offset` being where the TOML starts in the file.
pub fn toml_diagnostic(source: &SourceText, error: &toml::de::Error, offset: usize) -> Diagnostic {
    let at = offset + error.span().map_or(0, |span| span.start);
    let message = error.message().trim().to_string();
    let mut diagnostic = Diagnostic::error(source.path(), message.clone()).at(source, at);
    if message.contains("unknown field") {
        diagnostic =
            diagnostic.with_help("remove the field or correct its name (see README, \"Content format\")");
    } else if message.contains("missing field") {
        diagnostic = diagnostic.with_help("add the field (see README, \"Content format\")");
    } else {
        diagnostic =
            diagnostic.with_help("check the TOML syntax: strings need quotes, lists use [\"a\", \"b\"]");
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let source = SourceText::new("x.md", "ab\n“c” d\n".to_string());
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(3), (2, 1));
        let d = source.text.find('d').unwrap();
        assert_eq!(source.line_col(d), (2, 5));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let source = SourceText::new("x.md", format!("first\n{line}\n"));
        let excerpt = source.line_text(2, 5001).unwrap();
        assert!(excerpt.text.chars().count() <= EXCERPT_CHARS + 2, "{}", excerpt.text);
        assert_eq!(excerpt.text.chars().nth(excerpt.caret - 1), Some('X'), "{excerpt:?}");
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        assert_eq!(source.line_text(1, 2).unwrap(), Excerpt { text: "first".into(), caret: 2 });
        let shown =
            Diagnostic::error("x.md", "m".repeat(10 * MESSAGE_CHARS)).at(&source, 6 + 5000).to_string();
        assert!(shown.len() < 4 * MESSAGE_CHARS, "{} bytes", shown.len());
    }

    #[test]
    fn suggestions_need_to_be_close() {
        assert_eq!(did_you_mean("shcool", ["school", "title"]), Some("school"));
        assert_eq!(did_you_mean("colour", ["school", "title"]), None);
    }
}

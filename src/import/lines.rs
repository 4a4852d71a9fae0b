//! Lines: the source as a list of lines, cleaned of page-break debris, with bullet glyphs and
//! clause numbers found and hard-wrapped lines joined.
//!
//! Text is kept as *inline Markdown* from here on: characters that Markdown would read as
//! syntax (`` ` ``, `<tag`, `&name;`, `[`, `~`, `\`, and the `{#` of an id pin) are escaped
//! when the line is read, and a `.docx`'s bold and italic runs are already `**…**` / `*…*`. A
//! `.txt` file's own `**` / `*` markers are kept as emphasis (the seeds use them so). Whether a
//! line starts with something Markdown would read as a block (`#`, `1.`, `-`) is dealt with
//! when it is written.

use super::Note;
use super::cues::{self, ends_sentence};
use crate::analyse::ids;
use regex::Regex;
use std::sync::LazyLock;

/// What the source itself says a line is (a `.docx` paragraph style or list); `Plain` for text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Plain text, or a `.docx` paragraph with no heading, title or list style.
    Plain,
    /// A heading style: 1 for Heading 1.
    Heading(u8),
    /// The document's Title style.
    Title,
    /// A bulleted (or lettered) list item, 0 for the outermost level.
    Bullet(u8),
    /// A table: rows of cells, each cell inline Markdown.
    Table(Vec<Vec<String>>),
}

/// One line (a `.docx` paragraph) as read.
#[derive(Debug, Clone)]
pub struct RawLine {
    /// 1-based line (or paragraph) number in the source.
    pub no: usize,
    /// Inline Markdown; `\n` is a line break inside the paragraph.
    pub text: String,
    /// What the source says the line is.
    pub hint: Hint,
}

/// A cleaned line, ready to classify.
#[derive(Debug, Clone)]
pub struct Line {
    /// First and last source line it was made from (more than one when joined).
    pub no: usize,
    /// Last source line it was made from.
    pub last_no: usize,
    /// Inline Markdown without the bullet glyph; may hold `\n` (line breaks).
    pub text: String,
    /// `text` as plain words: no emphasis markers or escapes, line breaks as spaces.
    pub plain: String,
    /// Leading whitespace of the source line (a tab counts 4).
    pub indent: usize,
    /// The bullet glyph(s) stripped from the start (`-`, `·`, `•`, `➤`, `>`, `o`, …).
    pub glyph: Option<String>,
    /// A multi-level clause number at the start of `plain`, as written (`1.1.`).
    pub number: Option<String>,
    /// Blank lines (and removed debris) between this line and the one before.
    pub blank_before: usize,
    /// What the source says the line is.
    pub hint: Hint,
}

impl Line {
    pub(crate) fn words(&self) -> usize {
        self.plain.split_whitespace().count()
    }

    /// The first letter-or-digit character of the plain text.
    pub fn first_char(&self) -> Option<char> {
        self.plain.chars().find(|c| c.is_alphanumeric())
    }

    pub(crate) fn starts_lowercase(&self) -> bool {
        self.plain.chars().next().is_some_and(|c| c.is_lowercase())
    }

    /// Plain text: no heading hint, bullet glyph or clause number.
    pub fn is_plain(&self) -> bool {
        self.hint == Hint::Plain && self.glyph.is_none() && self.number.is_none()
    }

    /// A heading that starts with a number or with "Section N" (not "Appendix").
    pub fn is_numbered_or_section_heading(&self) -> bool {
        self.is_plain()
            && (cues::numbered_heading(&self.plain) || cues::section_heading(&self.plain).is_some())
    }

    /// Running text: eight words or more ending a sentence, or twenty words or more.
    pub fn is_running_text(&self) -> bool {
        self.hint == Hint::Plain
            && self.glyph.is_none()
            && ((self.words() >= 8 && ends_sentence(&self.plain)) || self.words() >= 20)
            && !cues::is_date_line(&self.plain)
    }
}

/// Splits text into raw lines, escaping Markdown syntax (emphasis markers are kept).
pub fn from_text(text: &str) -> Vec<RawLine> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let no = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        // A form feed is a page break: the text on either side is on lines of its own.
        for (k, part) in line.split('\u{c}').enumerate() {
            if k > 0 {
                out.push(RawLine { no, text: String::new(), hint: Hint::Plain });
            }
            out.push(RawLine { no, text: escape_inline(part, true), hint: Hint::Plain });
        }
    }
    while out.last().is_some_and(|l| l.text.trim().is_empty()) {
        out.pop();
    }
    out
}

/// Escapes what Markdown would otherwise read as inline syntax. With `keep_emphasis`, `*` and
/// `_` are left as they are (emphasis written in the source); otherwise they are escaped too.
pub fn escape_inline(text: &str, keep_emphasis: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '`' | '[' | ']' | '~' => true,
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => is_entity_at(&chars[i + 1..]),
            // The source's own `{#x}` is text, not an id pin (the pin needs an unescaped `{`).
            '{' => next == Some('#'),
            '*' | '_' => !keep_emphasis,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `rest` (after a `&`) reads as an HTML entity: `amp;`, `#39;`, `#x27;`.
fn is_entity_at(rest: &[char]) -> bool {
    let body: String = rest.iter().take(33).take_while(|c| **c != ';').collect();
    let closed = rest.get(body.chars().count()) == Some(&';');
    closed
        && !body.is_empty()
        && (body.chars().all(|c| c.is_ascii_alphanumeric())
            || body
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric())))
}

/// Inline Markdown as plain words: escapes resolved, emphasis markers dropped, line breaks as
/// spaces, whitespace collapsed.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars.next().unwrap_or('\\'));
            }
            '*' => {}
            '\n' => out.push(' '),
            other => out.push(other),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Bullet glyphs a line may start with, possibly several ("- > ", " - ➤ ").
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:(?:[-–·•➤>▪■◦○●‣⁃»*]|o)(?:\s+|$))+").unwrap());
/// A lone page number, or "Page 3", "Page 3 of 12", "- 3 -".
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d{1,3}|page\s+\d{1,3}(?:\s+of\s+\d{1,3})?|[-–]\s*\d{1,3}\s*[-–])$").unwrap()
});
/// Words a hard-wrapped line may end with but a finished line does not.
const FUNCTION_WORDS: [&str; 32] = [
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "from", "as", "that",
    "which", "who", "is", "are", "be", "their", "its", "our", "your", "this", "these", "those", "into",
    "than", "but", "nor",
];

/// Characters that are page-layout debris, not text: non-breaking and other fixed-width spaces
/// become ordinary spaces; zero-width characters and soft hyphens are removed.
fn clean_chars(text: &str) -> (String, bool) {
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
                changed = true;
                out.push(' ');
            }
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => changed = true,
            c if c.is_control() && !matches!(c, '\t' | '\n') => changed = true,
            c => out.push(c),
        }
    }
    (out, changed)
}

fn last_word(plain: &str) -> String {
    plain.split_whitespace().last().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// Cleans the raw lines and turns them into [`Line`]s: debris removed, tab tables found,
/// bullets and numbers found, hard-wrapped lines joined.
pub fn prepare(raw: Vec<RawLine>, notes: &mut Vec<Note>) -> Vec<Line> {
    let mut cleaned_spaces = 0usize;
    let mut first_cleaned = 0usize;
    // 1. Characters, indentation, debris.
    let mut rows: Vec<(RawLine, usize)> = Vec::with_capacity(raw.len());
    for mut line in raw {
        if let Hint::Table(table) = &mut line.hint {
            for cell in table.iter_mut().flatten() {
                *cell = clean_chars(cell).0.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            table.retain(|r| r.iter().any(|c| !c.is_empty()));
            if table.is_empty() {
                continue;
            }
        }
        let (text, changed) = clean_chars(&line.text);
        if changed {
            cleaned_spaces += 1;
            if first_cleaned == 0 {
                first_cleaned = line.no;
            }
        }
        let indent =
            text.chars().take_while(|c| matches!(c, ' ' | '\t')).map(|c| if c == '\t' { 4 } else { 1 }).sum();
        line.text = text.trim().to_string();
        rows.push((line, indent));
    }
    if cleaned_spaces > 0 {
        notes.push(Note::repaired(
            first_cleaned,
            format!(
                "replaced non-breaking or zero-width spaces and control characters on {cleaned_spaces} line(s) with ordinary spaces"
            ),
        ));
    }
    // 2. Tab-separated tables (two or more rows of two or more cells).
    let rows = find_tab_tables(rows);
    // 3. Lines: blanks counted, page numbers dropped, glyphs and numbers found.
    let mut lines: Vec<Line> = Vec::new();
    let mut blanks = 0usize;
    for (raw, indent) in rows {
        if !matches!(raw.hint, Hint::Table(_)) {
            let flat = plain(&raw.text);
            if flat.is_empty() {
                blanks += 1;
                continue;
            }
            if raw.hint == Hint::Plain && PAGE_NUMBER.is_match(&flat) {
                notes.push(Note::repaired(raw.no, format!("removed the page number “{flat}”")));
                blanks += 1;
                continue;
            }
        }
        let mut text = match &raw.hint {
            Hint::Table(_) => String::new(),
            _ => collapse_spaces(&raw.text),
        };
        let mut glyph = None;
        if matches!(raw.hint, Hint::Plain | Hint::Bullet(_))
            && let Some(m) = BULLET.find(&text)
        {
            // `*` followed by more emphasis is bold, not a bullet.
            let is_emphasis = text.starts_with("**");
            if !is_emphasis {
                glyph = Some(m.as_str().trim().to_string());
                text = text[m.end()..].to_string();
            }
        }
        let flat = plain(&text);
        if flat.is_empty() && !matches!(raw.hint, Hint::Table(_)) {
            blanks += 1;
            continue;
        }
        let number = if matches!(raw.hint, Hint::Plain | Hint::Bullet(_)) {
            ids::clause_number(&flat).map(|n| n.written.to_string())
        } else {
            None
        };
        lines.push(Line {
            no: raw.no,
            last_no: raw.no,
            text,
            plain: flat,
            indent,
            glyph,
            number,
            blank_before: blanks,
            hint: raw.hint,
        });
        blanks = 0;
    }
    join_wrapped(lines, notes)
}

/// Runs of spaces and tabs inside a line become one space (line breaks are kept).
fn collapse_spaces(text: &str) -> String {
    text.split('\n')
        .map(|part| part.split([' ', '\t']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Cells of a tab-separated line, if it has two or more non-empty ones.
fn tab_cells(text: &str) -> Option<Vec<String>> {
    if !text.contains('\t') {
        return None;
    }
    let cells: Vec<String> = text.split('\t').map(|c| collapse_spaces(c.trim())).collect();
    let filled = cells.iter().filter(|c| !c.is_empty()).count();
    // "Signed:<tab>Date:" is a signature line, not a table row.
    let labels_only = cells.iter().filter(|c| !c.is_empty()).all(|c| c.trim_end().ends_with(':'));
    (filled >= 2 && !labels_only).then(|| {
        let mut cells = cells;
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        cells
    })
}

fn find_tab_tables(rows: Vec<(RawLine, usize)>) -> Vec<(RawLine, usize)> {
    let mut out: Vec<(RawLine, usize)> = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        let mut table = Vec::new();
        while j < rows.len() && rows[j].0.hint == Hint::Plain {
            match tab_cells(&rows[j].0.text) {
                Some(cells) => table.push(cells),
                None => break,
            }
            j += 1;
        }
        if table.len() >= 2 {
            let no = rows[i].0.no;
            out.push((RawLine { no, text: String::new(), hint: Hint::Table(table) }, 0));
            i = j;
        } else {
            out.push(rows[i].clone());
            i += 1;
        }
    }
    out
}

/// Hard-wrap repair. A line is joined to the one before when
///
/// - it starts with a lower-case letter, and the line before (of five words or more, or a list
///   item or numbered clause) does not end a sentence — even across up to three blank lines,
///   which is how a page break splits a sentence; or
/// - the line before (five words or more) ends with a word no finished line ends with ("of",
///   "the", "and", …) and this line is plain text, with at most one blank line between.
///
/// Headings, tables and list items are never joined into something else; a list item starting
/// lower case is joined, if at all, when its list is read (see `classify`).
fn join_wrapped(lines: Vec<Line>, notes: &mut Vec<Note>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut()
            && should_join(prev, &line)
        {
            if line.blank_before > 0 {
                notes.push(Note::repaired(
                    line.no,
                    format!(
                        "joined this line to line {} (a sentence broken by a page or line break)",
                        prev.last_no
                    ),
                ));
            }
            prev.text.push(' ');
            prev.text.push_str(&line.text);
            prev.plain.push(' ');
            prev.plain.push_str(&line.plain);
            prev.last_no = line.last_no;
            continue;
        }
        out.push(line);
    }
    out
}

fn should_join(prev: &Line, line: &Line) -> bool {
    let joinable_hints = matches!(prev.hint, Hint::Plain | Hint::Bullet(_)) && line.hint == Hint::Plain;
    if !joinable_hints || line.glyph.is_some() || line.number.is_some() || ends_sentence(&prev.plain) {
        return false;
    }
    let long_enough =
        prev.words() >= 5 || ((prev.glyph.is_some() || prev.number.is_some()) && prev.words() >= 2);
    if !long_enough {
        return false;
    }
    if line.starts_lowercase() && line.blank_before <= 3 {
        return true;
    }
    let ends_open = FUNCTION_WORDS.contains(&last_word(&prev.plain).as_str());
    ends_open
        && prev.words() >= 5
        && line.blank_before <= 1
        && !cues::is_date_line(&line.plain)
        && !cues::is_signature_line(&line.plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(text: &str) -> Vec<Line> {
        prepare(from_text(text), &mut Vec::new())
    }

    #[test]
    fn escapes_markdown_but_keeps_source_emphasis() {
        assert_eq!(
            escape_inline("a <b> & [c] `d` ~e~ **f** \\", true),
            "a \\<b> & \\[c\\] \\`d\\` \\~e\\~ **f** \\\\"
        );
        assert_eq!(escape_inline("x*y_z &amp;", false), "x\\*y\\_z \\&amp;");
        assert_eq!(plain("**Bold** \\[x\\]\nnext"), "Bold [x] next");
    }

    #[test]
    fn bullets_numbers_and_debris() {
        let lines =
            prepared("- > adults must\n\n12\n\n- 6.11 Adults must not\n·\u{a0}Keep records\no nested item\n");
        assert_eq!(lines.len(), 4);
        assert_eq!((lines[0].glyph.as_deref(), lines[0].text.as_str()), (Some("- >"), "adults must"));
        assert_eq!(lines[1].number.as_deref(), Some("6.11"));
        assert_eq!(lines[1].blank_before, 3, "blank, page number, blank");
        assert_eq!(lines[2].text, "Keep records");
        assert_eq!(lines[3].glyph.as_deref(), Some("o"));
    }

    #[test]
    fn hard_wraps_are_joined_but_sentences_and_headings_are_not() {
        let lines = prepared(
            "This is a long line that was broken in the\nmiddle of a sentence.\n\nIntroduction\nThe next paragraph starts here.\nstudents are taught:\nreviewed in line with the rolling programme\tof\nPolicy reviews.\n",
        );
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "This is a long line that was broken in the middle of a sentence.",
                "Introduction",
                "The next paragraph starts here.",
                "students are taught:",
                "reviewed in line with the rolling programme of Policy reviews.",
            ]
        );
    }

    #[test]
    fn tab_tables_but_not_signature_lines() {
        let lines = prepared("Version\tAuthor\nV. 1\tK Pratt\n\nSigned:\tDate:\nHead:\tDate:\n");
        assert!(matches!(&lines[0].hint, Hint::Table(rows) if rows.len() == 2));
        assert_eq!(lines[1].text, "Signed: Date:");
    }
}

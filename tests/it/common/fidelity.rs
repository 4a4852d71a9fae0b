//! The sentence comparison the fidelity tests share: how a seed is cut into sentences and a
//! content file's Markdown is reduced to its words, so "is every sentence of the seed there?"
//! means the same in tests/content_fidelity.rs and tests/import.rs.

use regex::Regex;
use std::sync::LazyLock;

/// Fragments shorter than this (page numbers, stray letters) are not compared.
pub const MIN_FRAGMENT_CHARS: usize = 4;

pub static BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:[-·•➤>o]\s+)+").unwrap());
pub static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s{0,3}#{1,6}(?:\s+|$)").unwrap());
pub static PIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\{#[A-Za-z0-9][A-Za-z0-9._-]*\}\s*$").unwrap());
pub static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:[-*+]\s+)+").unwrap());
pub static TABLE_RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\|?[\s:|-]+\|?\s*$").unwrap());
pub static ESCAPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\([!-/:-@\[-`{-~])").unwrap());

/// Collapses whitespace and drops `**` / `*` emphasis markers.
pub fn normalise(text: &str) -> String {
    let text = text.replace("**", "").replace('*', "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises one fragment: whitespace, emphasis, then leading bullet glyphs.
pub fn normalise_fragment(text: &str) -> String {
    let text = normalise(text);
    BULLET.replace(&text, "").trim().to_string()
}

/// Splits a line into sentences: after `.`, `!` or `?` followed by whitespace.
pub fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|(_, next)| next.is_whitespace()) {
            let end = i + c.len_utf8();
            out.push(&line[start..end]);
            start = end;
        }
    }
    out.push(&line[start..]);
    out
}

/// A seed's fragments, with their 1-based line numbers.
pub fn seed_fragments(seed: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in seed.lines().enumerate() {
        for sentence in sentences(line) {
            let fragment = normalise_fragment(sentence);
            if fragment.chars().count() >= MIN_FRAGMENT_CHARS {
                out.push((n + 1, fragment));
            }
        }
    }
    out
}

/// Which lines of a content body to compare.
#[derive(Clone, Copy, PartialEq)]
pub enum Keep {
    /// Everything, editor's notes included (for "is every seed sentence here?").
    All,
    /// Everything but `::: note` blocks (for "does every sentence come from the seed?").
    SourceOnly,
}

/// The body's lines with the Markdown syntax stripped, one entry per source line; table rows
/// are split into their cells.
pub fn markdown_lines(body: &str, keep: Keep) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_route: Option<&str> = None;
    let mut in_note = false;
    for (n, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(fence) = in_route {
            if trimmed.starts_with(fence) {
                in_route = None;
            }
            continue;
        }
        for fence in ["```", "~~~"] {
            if trimmed
                .strip_prefix(fence)
                .is_some_and(|info| info.trim_start_matches(['`', '~']).trim() == "route")
            {
                in_route = Some(fence);
            }
        }
        if in_route.is_some() {
            continue;
        }
        if let Some(rest) = line.strip_prefix(":::") {
            in_note = rest.trim() == "note";
            continue;
        }
        if in_note && keep == Keep::SourceOnly {
            continue;
        }
        if line.contains('|') && TABLE_RULE.is_match(line) {
            continue;
        }
        let line = HEADING.replace(line, "");
        let line = PIN.replace(&line, "");
        let line = line.trim_end();
        // A trailing backslash is a Markdown hard line break.
        let line = line.strip_suffix('\\').unwrap_or(line);
        let line = LIST_MARKER.replace(line, "");
        let line = ESCAPE.replace_all(&line, "$1");
        for cell in line.split('|') {
            let cell = normalise(cell);
            if !cell.is_empty() {
                out.push((n + 1, cell));
            }
        }
    }
    out
}

/// The seed fragments missing from the content body, as "seed line N: text".
pub fn missing_from_content(seed: &str, body: &str) -> Vec<String> {
    let text = markdown_lines(body, Keep::All).into_iter().map(|(_, l)| l).collect::<Vec<_>>().join(" ");
    seed_fragments(seed)
        .into_iter()
        .filter(|(_, fragment)| !text.contains(fragment.as_str()))
        .map(|(line, fragment)| format!("seed line {line}: {fragment}"))
        .collect()
}

//! Clause numbers and anchor ids: how a heading or clause gets the id it is known by.
//!
//! The rules are documented in `docs/content-format.md` ("Clause ids"); this module is their
//! one implementation.

use regex::Regex;
use std::sync::LazyLock;

static CLAUSE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}(?:\.\d{1,3})+)(\.?)(?:\s+|$)").unwrap());
static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:section\s+)?(\d{1,3}(?:\.\d{1,3})*)\.?(?:[\s:–-]|$)").unwrap());
static APPENDIX_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^appendix\s+(\d{1,3}|[a-z])\b").unwrap());
static PINNED_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*\{#([^{}]*)\}\s*$").unwrap());

/// A clause number at the start of a clause's text: `("1.1.", "1.1", rest-offset)`.
pub struct ClauseNumber<'a> {
    /// As written, with its trailing dot if it has one: `1.1.`.
    pub written: &'a str,
    /// As an id: `1.1`.
    pub id: &'a str,
    /// Length of the number and the space after it, to strip from the text.
    pub len: usize,
}

/// Finds a multi-level clause number (`1.1`, `2.3.13`, `1.1.`) at the start of `text`.
pub fn clause_number(text: &str) -> Option<ClauseNumber<'_>> {
    let c = CLAUSE_NUMBER.captures(text)?;
    let id = c.get(1)?.as_str();
    let written_end = c.get(2)?.end();
    Some(ClauseNumber { written: &text[..written_end], id, len: c.get(0)?.end() })
}

/// The id of a heading with no explicit `{#id}`.
pub fn heading_id(title: &str) -> String {
    let title = title.trim();
    if let Some(c) = APPENDIX_HEADING.captures(title) {
        return format!("appendix-{}", c[1].to_lowercase());
    }
    if let Some(c) = NUMBERED_HEADING.captures(title) {
        return format!("section-{}", &c[1]);
    }
    let slug = slug::slugify(title);
    if slug.is_empty() { "section".to_string() } else { slug }
}

/// A pinned id at the end of a clause's text (`... {#my-id}`): the id as written, well formed
/// or not (the id check reports it; an empty pin is returned as `{#}`), and where the pin
/// starts.
pub fn pinned_id(text: &str) -> Option<(String, usize)> {
    let c = PINNED_ID.captures(text)?;
    let id = if c[1].is_empty() { "{#}".to_string() } else { c[1].to_string() };
    Some((id, c.get(0)?.start()))
}

/// `a`, `b`, … `z`, `aa`, `ab`, … for the `n`th item (1-based) of a clause's list.
pub fn letter(n: usize) -> String {
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_numbers_are_multi_level() {
        let n = clause_number("1.1. This policy").unwrap();
        assert_eq!((n.written, n.id, &"1.1. This policy"[n.len..]), ("1.1.", "1.1", "This policy"));
        let n = clause_number("2.3.13 Some social media").unwrap();
        assert_eq!((n.written, n.id), ("2.3.13", "2.3.13"));
        assert!(clause_number("2020 was a year").is_none());
        assert!(clause_number("1. Introduction").is_none());
        assert!(clause_number("1.5million").is_none());
    }

    #[test]
    fn heading_ids() {
        assert_eq!(heading_id("1. Introduction"), "section-1");
        assert_eq!(heading_id("6 Responsibilities when using social media (Appendix 1)"), "section-6");
        assert_eq!(heading_id("1.2 Scope"), "section-1.2");
        assert_eq!(heading_id("Section 3 Social Contact with Students."), "section-3");
        assert_eq!(heading_id("Section 2: Safer Social Media Practice"), "section-2");
        assert_eq!(heading_id("Appendix 1 - Staff and Governors Social Media Agreement"), "appendix-1");
        assert_eq!(heading_id("Use of images"), "use-of-images");
        assert_eq!(heading_id("The Do’s"), "the-do-s");
        assert_eq!(heading_id("—"), "section");
    }

    #[test]
    fn letters_run_on_past_z() {
        assert_eq!(letter(1), "a");
        assert_eq!(letter(26), "z");
        assert_eq!(letter(27), "aa");
    }

    #[test]
    fn pinned_ids() {
        assert_eq!(pinned_id("Some text {#my-id}"), Some(("my-id".into(), 9)));
        assert_eq!(pinned_id("Some text {#my id}"), Some(("my id".into(), 9)));
        assert_eq!(pinned_id("{#}"), Some(("{#}".into(), 0)));
        assert!(pinned_id("{# not at the end").is_none());
    }
}

//! Superseded guidance and law, and the citations of it found in policies.

use regex::Regex;
use serde::Serialize;

/// A superseded document and how to find it in text.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Unique in the list; a site's entry with a built-in id replaces that entry.
    pub id: String,
    /// The superseded document as people name it (`Data Protection Act 1998`).
    pub cited: String,
    /// How policies write it: a case-insensitive regex, optionally capturing the edition's `year`.
    pub pattern: Regex,
    /// What replaced it (`Data Protection Act 2018 and UK GDPR ...`).
    pub replacement: String,
    /// When it was replaced, as written (`2018`).
    pub since: String,
    /// With a `year` capture, only editions before this year are stale.
    pub stale_before: Option<i32>,
    /// When the entry was last checked against its source (`YYYY-MM` or `YYYY-MM-DD`).
    pub checked: Option<String>,
    /// The guidance that replaces the cited document, by name and date.
    pub source: Option<String>,
}

impl Reference {
    /// Every stale citation of this reference in `text`: byte ranges.
    pub fn find(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        self.pattern
            .captures_iter(text)
            .filter(|c| match (self.stale_before, c.name("year")) {
                (Some(before), Some(year)) => year.as_str().parse::<i32>().is_ok_and(|y| y < before),
                (Some(_), None) => false,
                (None, _) => true,
            })
            .filter_map(|c| c.get(0).map(|m| m.range()))
            .collect()
    }
}

/// A stale citation found in a policy.
#[derive(Debug, Clone, Serialize)]
pub struct StaleCitation {
    /// Clause id where it was found (non-policy material has none).
    pub clause: Option<String>,
    /// The label of that clause (`6.11`, `¶ 3`).
    pub clause_label: Option<String>,
    /// The words as the policy writes them.
    pub text: String,
    /// The superseded document, as [`Reference::cited`] names it.
    pub cited: String,
    /// What replaced it, from [`Reference::replacement`].
    pub replacement: String,
    /// When it was replaced, from [`Reference::since`].
    pub since: String,
}

//! How a site's data files relate to the domain knowledge built into policykb: which built-in
//! entries the site replaces or switches off, and the date of the built-in reference list.

use serde::Serialize;
use std::path::PathBuf;

/// What a site changed of the built-in defaults, for `policykb check`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DefaultsUse {
    /// When the built-in list of superseded guidance was last checked (`YYYY-MM` or
    /// `YYYY-MM-DD`).
    pub references_checked: String,
    /// Built-in entries the site's own files replace or switch off, file by file.
    pub changes: Vec<DefaultChange>,
}

/// One built-in entry a site file replaces or switches off.
#[derive(Debug, Clone, Serialize)]
pub struct DefaultChange {
    /// The site file, relative to the site root.
    pub file: PathBuf,
    /// 1-based line of the entry in the site file; 0 when it could not be pointed at.
    pub line: usize,
    /// What kind of entry: "topic", "concern", "reference", "abbreviation", "synonym group",
    /// "spelling-variant group", "filler word", "search setting".
    pub kind: &'static str,
    /// The entry's id (`contact-parents`), or its first word for a word group.
    pub id: String,
    /// Whether the site replaced the entry or switched it off.
    pub change: Change,
}

/// What a site did to a built-in entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// The site's entry with the same id is used instead.
    Replaced,
    /// The site's `[off]` table switches it off.
    SwitchedOff,
}

//! The topic taxonomy (`topics.toml`, built in or a site's own) and the editor's settled
//! assignments and stances for each policy (`content/topics/<slug>.toml`), as read from disk.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic};
use crate::model::{Stance, Topic};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The topic taxonomy's file, relative to the site root.
pub const TOPICS_FILE: &str = "content/topics.toml";
const CURATED_DIR: &str = "content/topics";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    #[serde(default)]
    topic: Vec<Topic>,
    /// Built-in topics to switch off: `topic = ["id", ...]`.
    #[serde(default)]
    off: BTreeMap<String, Vec<String>>,
}

/// An editor's `content/topics/<slug>.toml`, as parsed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedFile {
    /// `[clauses]`: each clause id's topic ids (`"2.1" = ["scope"]`); `[]` for none.
    #[serde(default)]
    pub clauses: BTreeMap<String, Vec<String>>,
    /// `[stance]`: the stance the editor settled, by topic id (`scope = { stance = "required" }`).
    #[serde(default)]
    pub stance: BTreeMap<String, CuratedStance>,
}

/// A settled stance on one topic.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedStance {
    /// Where the school stands on the topic.
    pub stance: Stance,
    /// Id of the clause the stance rests on (`2.1`), if one does.
    pub clause: Option<String>,
}

/// An editor's file for one policy, with its text for pointing at its lines.
#[derive(Debug)]
pub struct Curated {
    /// The file's path and text.
    pub source: SourceText,
    /// The file, parsed.
    pub file: CuratedFile,
}

impl Curated {
    /// Offset of the line `key = ...` (key bare or quoted) in the TOML table `[table]`, for
    /// pointing at it; the start of the table (or file) if not found.
    pub fn key_offset(&self, table: &str, key: &str) -> usize {
        key_offset(&self.source, table, key)
    }
}

/// Parses a taxonomy: its topics and its `[off]` table (list name → ids to switch off).
pub fn parse_topics(
    source: &SourceText,
    diagnostics: &mut Diagnostics,
) -> (Vec<Topic>, BTreeMap<String, Vec<String>>) {
    match toml::from_str::<TopicsFile>(&source.text) {
        Ok(file) => {
            let mut seen = std::collections::HashSet::new();
            for topic in &file.topic {
                if !seen.insert(topic.id.as_str()) {
                    diagnostics.push(
                        Diagnostic::error(source.path(), format!("topic `{}` is defined twice", topic.id))
                            .at(source, offset_of(source, &format!("\"{}\"", topic.id), 2)),
                    );
                }
            }
            (file.topic, file.off)
        }
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, 0));
            Default::default()
        }
    }
}

/// Byte offset of the `nth` occurrence (1-based) of `needle`, or of the first, for pointing.
fn offset_of(source: &SourceText, needle: &str, nth: usize) -> usize {
    let mut found = source.text.match_indices(needle).map(|(i, _)| i);
    let first = found.next().unwrap_or(0);
    found.nth(nth.saturating_sub(2)).unwrap_or(first)
}

/// Offset of the line `key = ...` (key bare or quoted) in the TOML table `[table]`, for
/// pointing at it; the start of the table (or file) if not found.
fn key_offset(source: &SourceText, table: &str, key: &str) -> usize {
    let header = format!("[{table}]");
    let mut in_table = false;
    let mut table_start = 0;
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_table = trimmed == header;
            if in_table {
                table_start = offset;
            }
        } else if in_table {
            let rest = trimmed.strip_prefix(&format!("\"{key}\"")).or_else(|| trimmed.strip_prefix(key));
            if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
                return offset + (line.len() - line.trim_start().len());
            }
        }
        offset += line.len();
    }
    table_start
}

pub(crate) fn load_curated(root: &Path, slug: &str, diagnostics: &mut Diagnostics) -> Option<Curated> {
    let path = Path::new(CURATED_DIR).join(format!("{slug}.toml"));
    let source = super::read_source(root, &path, diagnostics, true)?;
    match toml::from_str::<CuratedFile>(&source.text) {
        Ok(file) => Some(Curated { source, file }),
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            None
        }
    }
}

//! The topic taxonomy (`content/topics.toml`) and the editor's settled assignments and
//! stances for each policy (`content/topics/<slug>.toml`), as read from disk.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic};
use crate::model::{Stance, Topic};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const TOPICS_FILE: &str = "content/topics.toml";
pub const CURATED_DIR: &str = "content/topics";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    #[serde(default)]
    topic: Vec<Topic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedFile {
    #[serde(default)]
    pub clauses: BTreeMap<String, ClauseTopics>,
    #[serde(default)]
    pub stance: BTreeMap<String, CuratedStance>,
}

/// One clause's entry: its topics, settled by an editor, or suggested by `policykb import`
/// until the editor deletes the `suggested` marker.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ClauseTopics {
    /// `"6.11" = ["contact-parents"]`
    Settled(Vec<String>),
    /// `"6.11" = { suggested = 0.62, topics = ["contact-parents"] }`, or `{ topics = [...] }`
    /// once accepted.
    Marked(MarkedTopics),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkedTopics {
    pub topics: Vec<String>,
    /// How sure the automatic assignment was (0.5 to 1) when it suggested the topics.
    pub suggested: Option<f32>,
}

impl ClauseTopics {
    pub fn topics(&self) -> &[String] {
        match self {
            ClauseTopics::Settled(topics) | ClauseTopics::Marked(MarkedTopics { topics, .. }) => topics,
        }
    }

    /// The confidence of a suggestion not yet accepted.
    pub fn suggested(&self) -> Option<f32> {
        match self {
            ClauseTopics::Marked(marked) => marked.suggested,
            ClauseTopics::Settled(_) => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedStance {
    pub stance: Stance,
    pub clause: Option<String>,
}

/// An editor's file for one policy, with its text for pointing at its lines.
#[derive(Debug)]
pub struct Curated {
    pub source: SourceText,
    pub file: CuratedFile,
}

impl Curated {
    /// Offset of the line `key = ...` (key bare or quoted) in the TOML table `[table]`, for
    /// pointing at it; the start of the table (or file) if not found.
    pub fn key_offset(&self, table: &str, key: &str) -> usize {
        key_offset(&self.source, table, key)
    }
}

/// Reads the taxonomy; a site without one has no topics.
pub fn load_topics(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Topic> {
    let Some(source) = super::read_source(root, Path::new(TOPICS_FILE), diagnostics, true) else {
        return Vec::new();
    };
    match toml::from_str::<TopicsFile>(&source.text) {
        Ok(file) => {
            let mut seen = std::collections::HashSet::new();
            for topic in &file.topic {
                if !seen.insert(topic.id.as_str()) {
                    diagnostics.push(
                        Diagnostic::error(source.path(), format!("topic `{}` is defined twice", topic.id))
                            .at(&source, offset_of(&source, &format!("\"{}\"", topic.id), 2)),
                    );
                }
            }
            file.topic
        }
        Err(e) => {
            diagnostics.push(toml_diagnostic(&source, &e, 0));
            Vec::new()
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

pub fn load_curated(root: &Path, slug: &str, diagnostics: &mut Diagnostics) -> Option<Curated> {
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

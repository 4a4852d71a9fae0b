//! The topic taxonomy (`topics.toml`, built in or a site's own) and the editor's settled
//! assignments and stances for each policy (`content/topics/<slug>.toml`), as read from disk.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, did_you_mean, toml_diagnostic};
use crate::model::{Stance, Topic};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The topic taxonomy's file, relative to the site root.
pub const TOPICS_FILE: &str = "content/topics.toml";
/// The folder of the editor's settled topics, one file per policy, relative to the site root.
pub const CURATED_DIR: &str = "content/topics";

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
    pub clauses: BTreeMap<String, ClauseTopics>,
    /// `[stance]`: the stance the editor settled, by topic id (`scope = { stance = "required" }`).
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

/// A clause's topics written as a table, with the marker of a suggestion.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkedTopics {
    /// The topic ids.
    pub topics: Vec<String>,
    /// How sure the automatic assignment was (0.5 to 1) when it suggested the topics.
    pub suggested: Option<f32>,
}

impl ClauseTopics {
    /// The clause's topic ids, suggested or settled.
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
            let ids: Vec<&str> = file.topic.iter().map(|t| t.id.as_str()).collect();
            super::check_listed_ids(source, "topic", &ids, diagnostics);
            (file.topic, file.off)
        }
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, 0));
            Default::default()
        }
    }
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

/// Warns about files in `content/topics/` that belong to no policy (of those named `slugs`):
/// a typo in the name would otherwise leave every settled topic unused.
pub fn report_unused_curated(root: &Path, slugs: &[String], diagnostics: &mut Diagnostics) {
    let Ok(entries) = std::fs::read_dir(root.join(CURATED_DIR)) else { return };
    let mut names: Vec<std::path::PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    names.sort();
    for path in names {
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else { continue };
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        if is_toml && slugs.contains(&stem) {
            continue;
        }
        let shown = Path::new(CURATED_DIR).join(path.file_name().unwrap_or_default());
        let help = match did_you_mean(&stem, slugs.iter().map(String::as_str)) {
            Some(slug) => format!("did you mean {CURATED_DIR}/{slug}.toml?"),
            None => format!("name it after a policy file: {CURATED_DIR}/<slug>.toml for content/<slug>.md"),
        };
        diagnostics.push(
            Diagnostic::warning(shown, "this file is not read: it belongs to no policy").with_help(help),
        );
    }
}

/// Reads `content/topics/<slug>.toml`, the editor's settled topics of one policy, if any.
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

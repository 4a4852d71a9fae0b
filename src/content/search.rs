//! `search.toml`, the search vocabulary as written in a file — synonym groups, spelling
//! variants, question filler and the weights — for the built-in defaults and a site's own
//! `content/search.toml` alike. Every field is optional, so a site's file can change one weight
//! or add one synonym group and keep the rest.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText, toml_diagnostic};
use crate::search::{Intent, Routing};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Path of a site's search vocabulary, relative to the site root.
pub const SEARCH_FILE: &str = "content/search.toml";

/// One `search.toml` as written; the fields mean what [`crate::search::SearchConfig`]'s do.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchFile {
    /// Groups of words that mean the same (`["pupil", "student", "child"]`).
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Groups of spellings of one word (`["organisation", "organization"]`).
    #[serde(default)]
    pub variants: Vec<Vec<String>>,
    /// Question words dropped from a query (`can`, `should`).
    #[serde(default)]
    pub filler: Vec<String>,
    /// Weight of a synonym of a query word, if set.
    pub synonym_weight: Option<f32>,
    /// Weight of a word found by correcting a typo, if set.
    pub typo_weight: Option<f32>,
    /// Weight of a word completing a prefix, if set.
    pub prefix_weight: Option<f32>,
    /// How much each further result from the same school counts, if set.
    pub school_decay: Option<f32>,
    /// Staff's own words, each with the policies' words for it (`fb = ["facebook"]`).
    #[serde(default)]
    pub lexicon: BTreeMap<String, Vec<String>>,
    /// Weight of a lexicon word, if set.
    pub lexicon_weight: Option<f32>,
    /// More words for a topic, by topic id.
    #[serde(default)]
    pub topic_words: BTreeMap<String, Vec<String>>,
    /// Ways staff phrase a question without the policies' words.
    #[serde(default)]
    pub intents: Vec<Intent>,
    /// Topic-routing thresholds, if set (the whole table replaces the built-in one).
    pub routing: Option<Routing>,
    /// Share of the best score below which results are left off, if set.
    pub min_relative_score: Option<f32>,
    /// Built-in entries to switch off, by list: `synonyms` and `variants` name a group by its
    /// first word, `filler` names the word.
    #[serde(default)]
    pub off: BTreeMap<String, Vec<String>>,
}

/// Parses one `search.toml`; `None` (with a diagnostic) when it is not valid.
pub fn parse(source: &SourceText, diagnostics: &mut Diagnostics) -> Option<SearchFile> {
    match toml::from_str::<SearchFile>(&source.text) {
        Ok(file) => {
            check_weights(source, &file, diagnostics);
            Some(file)
        }
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, 0));
            None
        }
    }
}

/// Each weight set must be a fraction above 0 and at most 1.
fn check_weights(source: &SourceText, file: &SearchFile, diagnostics: &mut Diagnostics) {
    let weights = [
        ("synonym_weight", file.synonym_weight),
        ("typo_weight", file.typo_weight),
        ("prefix_weight", file.prefix_weight),
        ("school_decay", file.school_decay),
        ("lexicon_weight", file.lexicon_weight),
    ];
    for (field, weight) in weights {
        let Some(weight) = weight else { continue };
        // Also false for NaN, which would make every score NaN.
        if !(weight > 0.0 && weight <= 1.0) {
            diagnostics.push(
                Diagnostic::error(
                    source.path(),
                    format!("`{field}` is {weight}; it must be above 0 and at most 1"),
                )
                .at(source, super::nth_key_offset(source, field, 0))
                .with_help("weights are fractions, e.g. 0.5"),
            );
        }
    }
    if let Some(share) = file.min_relative_score
        && !(0.0..1.0).contains(&share)
    {
        diagnostics.push(
            Diagnostic::error(
                source.path(),
                format!("`min_relative_score` is {share}; it must be at least 0 and below 1"),
            )
            .at(source, super::nth_key_offset(source, "min_relative_score", 0))
            .with_help("a share of the best score, e.g. 0.2"),
        );
    }
}

//! `content/search.toml`: the words search treats specially — synonym groups and the filler
//! of staff questions ("can I", "what should I do").

use serde::{Deserialize, Serialize};

/// Search settings kept as content.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Groups of words that mean the same thing to staff. A query word finds the other words of
    /// its group, weighted by `synonym_weight`. An entry of several words ("young person")
    /// is recognised in a query as one word of the group.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Groups of words that are the same word written differently (radicalise, radicalize):
    /// they find each other at full weight.
    #[serde(default)]
    pub variants: Vec<Vec<String>>,
    /// Words of a question that say nothing about its subject; dropped from a query unless
    /// nothing else is left.
    #[serde(default)]
    pub filler: Vec<String>,
    /// Weight of a synonym found for a query word (0.5 unless set).
    #[serde(default = "default_synonym_weight")]
    pub synonym_weight: f32,
    /// Weight of a word found by correcting a typo (one edit; two edits for words of eight
    /// letters or more count `typo_weight` squared).
    #[serde(default = "default_typo_weight")]
    pub typo_weight: f32,
    /// Weight of a word found by completing the last, half-typed query word.
    #[serde(default = "default_prefix_weight")]
    pub prefix_weight: f32,
    /// How much each further result from the same school counts (1: not at all spread).
    #[serde(default = "default_school_decay")]
    pub school_decay: f32,
}

fn default_synonym_weight() -> f32 {
    0.5
}
fn default_typo_weight() -> f32 {
    0.7
}
fn default_prefix_weight() -> f32 {
    0.8
}
fn default_school_decay() -> f32 {
    0.85
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            synonyms: Vec::new(),
            variants: Vec::new(),
            filler: Vec::new(),
            synonym_weight: default_synonym_weight(),
            typo_weight: default_typo_weight(),
            prefix_weight: default_prefix_weight(),
            school_decay: default_school_decay(),
        }
    }
}

impl SearchConfig {
    /// Every group of interchangeable words with the weight a match through it counts:
    /// synonyms first, then spelling variants.
    pub fn word_groups(&self) -> impl Iterator<Item = (&Vec<String>, f32)> {
        let synonyms = self.synonyms.iter().map(|g| (g, self.synonym_weight));
        synonyms.chain(self.variants.iter().map(|g| (g, 1.0)))
    }
}

//! The words search treats specially — synonym groups and the filler of staff questions ("can
//! I", "what should I do") — and its weights: built into policykb and tuned by a site's
//! `content/search.toml`.

use serde::Serialize;

/// Search settings kept as content.
#[derive(Debug, Clone, Serialize)]
pub struct SearchConfig {
    /// Groups of words that mean the same thing to staff. A query word finds the other words of
    /// its group, weighted by `synonym_weight`. An entry of several words ("young person")
    /// is recognised in a query as one word of the group.
    pub synonyms: Vec<Vec<String>>,
    /// Groups of words that are the same word written differently (radicalise, radicalize):
    /// they find each other at full weight.
    pub variants: Vec<Vec<String>>,
    /// Words of a question that say nothing about its subject; dropped from a query unless
    /// nothing else is left.
    pub filler: Vec<String>,
    /// Weight of a synonym found for a query word (0.5 unless set).
    pub synonym_weight: f32,
    /// Weight of a word found by correcting a typo (one edit; two edits for words of eight
    /// letters or more count `typo_weight` squared).
    pub typo_weight: f32,
    /// Weight of a word found by completing the last, half-typed query word.
    pub prefix_weight: f32,
    /// How much each further result from the same school counts (1: not at all spread).
    pub school_decay: f32,
}

/// The weights of a site whose vocabulary sets none; no words.
impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            synonyms: Vec::new(),
            variants: Vec::new(),
            filler: Vec::new(),
            synonym_weight: 0.5,
            typo_weight: 0.7,
            prefix_weight: 0.8,
            school_decay: 0.85,
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

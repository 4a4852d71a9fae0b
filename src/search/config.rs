//! The words search treats specially — synonym groups, the filler
//! of staff questions ("can I", "what should I do"), the lexicon of staff's own words (apps,
//! school terms) and what routes a question to a topic (topic words, intents) — and the limits
//! every query is held to: built into policykb and tuned by a site's `content/search.toml`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A way staff phrase a question without the policies' words ("what happens if I …"): when
/// its words occur in a query, in order, the question is routed to `topic`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// What the intent is, for `--explain` ("consequences").
    pub name: String,
    /// Word sequences that signal it; any one is enough.
    pub phrases: Vec<String>,
    /// The topic it routes to; without one, it only marks a "what do I do" question.
    #[serde(default)]
    pub topic: Option<String>,
    /// A "who do I tell" question: the answer card also shows the reporting route.
    #[serde(default)]
    pub report: bool,
}

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
    /// Words staff use that the policies never do (apps, school terms, informal words), each
    /// with the policies' words for it. One way only: a key finds its words, weighted by
    /// `lexicon_weight`, not the reverse. Keys of several words ("sports day") are recognised
    /// as one word.
    pub lexicon: BTreeMap<String, Vec<String>>,
    /// Weight of a lexicon word, below the word typed.
    pub lexicon_weight: f32,
    /// More words for a topic than `topics.toml` gives it, by topic id: how clauses on the
    /// topic put it. A question is matched against a topic's title, question, terms and these.
    pub topic_words: BTreeMap<String, Vec<String>>,
    /// Ways staff phrase a question without the policies' words.
    pub intents: Vec<Intent>,
    /// How a question is routed to a topic: see `search::topics`.
    pub routing: Routing,
    /// Results scoring less than this share of the best result's score are left off.
    pub min_relative_score: f32,
}

/// The thresholds of topic routing, measured on the staff questions
/// (`tests/fixtures/staff-questions.toml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Routing {
    /// Score a topic needs before its clauses join the ranking.
    pub min_score: f32,
    /// …and how many times the runner-up's score it must reach.
    pub margin: f32,
    /// Score a topic needs before the answer card is shown, and how many times the runner-up's
    /// (a wrong card is worse than none).
    pub card_score: f32,
    /// How many times the runner-up's score the card's topic must reach.
    pub card_margin: f32,
    /// What an intent adds to its topic's score.
    pub intent_score: f32,
    /// How many of the best clauses vote for their topics, and what a vote counts: each of
    /// those clauses adds `vote_weight` times its share of the best clause's score to each
    /// topic it is on.
    pub vote_depth: usize,
    /// What one vote counts.
    pub vote_weight: f32,
    /// What a clause on the routed topic gains, as a share of the best clause's score; the
    /// clause a school's stance rests on gains `stance_boost`.
    pub topic_boost: f32,
    /// What the clause a school's stance rests on gains.
    pub stance_boost: f32,
}

impl Default for Routing {
    fn default() -> Self {
        Routing {
            min_score: 3.0,
            margin: 1.02,
            card_score: 5.0,
            card_margin: 1.5,
            intent_score: 5.0,
            vote_depth: 5,
            vote_weight: 1.0,
            topic_boost: 1.0,
            stance_boost: 2.0,
        }
    }
}

/// At most this many characters of a query are read; the rest is ignored (and the page says so).
pub const MAX_QUERY_CHARS: usize = 256;
/// At most this many words of a query are read.
pub const MAX_QUERY_WORDS: usize = 32;

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
            lexicon: BTreeMap::new(),
            lexicon_weight: 0.6,
            topic_words: BTreeMap::new(),
            intents: Vec::new(),
            routing: Routing::default(),
            min_relative_score: 0.2,
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

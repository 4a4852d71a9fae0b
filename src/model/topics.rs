//! Topics governors compare policies on, and where each school stands on each.

use serde::{Deserialize, Serialize};

/// A subject governors compare policies on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// The topic's id (`contact-pupils`), used in URLs and curated files.
    pub id: String,
    /// How the pages name the topic (`Contact with current pupils online`).
    pub title: String,
    /// The question the topic answers, in one line.
    pub question: String,
    /// Words and phrases that find clauses on the topic.
    pub terms: Vec<String>,
    /// One of the taxonomy built into policykb, not the site's own.
    #[serde(skip)]
    pub built_in: bool,
    /// The topic as staff would ask it ("Can I friend a parent?"). Topics with one are offered
    /// on the home page as common questions.
    #[serde(default)]
    pub ask: Option<String>,
}

/// Where a school stands on a topic, from most to least restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// The policy forbids it.
    Prohibited,
    /// Allowed only with permission (from the headteacher, say).
    NeedsPermission,
    /// The policy advises against it.
    Discouraged,
    /// Allowed, with care urged.
    Caution,
    /// The policy requires it.
    Required,
    /// The policy allows it.
    Permitted,
    /// The policy does not address the topic.
    NotCovered,
}

impl Stance {
    /// How the pages name the stance.
    pub fn label(self) -> &'static str {
        match self {
            Stance::Prohibited => "Prohibited",
            Stance::NeedsPermission => "Needs permission",
            Stance::Discouraged => "Discouraged",
            Stance::Caution => "Caution",
            Stance::Required => "Required",
            Stance::Permitted => "Permitted",
            Stance::NotCovered => "Not covered",
        }
    }
}

/// A school's stance on one topic and the clause it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct StanceEntry {
    /// The stance shown: the editor's where curated, else the one read from the wording.
    pub stance: Stance,
    /// Index of the clause in its policy.
    pub clause: Option<usize>,
    /// Set by an editor rather than read from the wording.
    pub curated: bool,
    /// What the wording says, even where an editor has set the stance, and the clause it
    /// reads that from.
    pub derived: Stance,
    /// Index in its policy of the clause [`derived`](Self::derived) is read from.
    pub derived_clause: Option<usize>,
}

/// An automatic topic whose score is close to the threshold: worth an editor's look.
#[derive(Debug, Clone, Serialize)]
pub struct UncertainTopic {
    /// The clause that was scored.
    pub clause: super::ClauseRef,
    /// Id of the topic it was scored against.
    pub topic: String,
    /// The clause's relevance score for the topic.
    pub score: f32,
    /// Whether the score reached the threshold, so the topic was assigned.
    pub given: bool,
}

/// Topics `policykb import` suggested for a clause, not yet accepted by an editor.
#[derive(Debug, Clone, Serialize)]
pub struct TopicSuggestion {
    /// The clause.
    pub clause: super::ClauseRef,
    /// The suggested topic ids.
    pub topics: Vec<String>,
    /// How sure the automatic assignment was, from 0.5 (on the line) to 1.
    pub confidence: f32,
}

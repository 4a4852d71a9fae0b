//! Topics governors compare policies on, and where each school stands on each.

use serde::{Deserialize, Serialize};

/// A subject governors compare policies on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub title: String,
    /// The question the topic answers, in one line.
    pub question: String,
    /// Words and phrases that find clauses on the topic.
    pub terms: Vec<String>,
    /// The topic as staff would ask it ("Can I friend a parent?"). Topics with one are offered
    /// on the home page as common questions.
    #[serde(default)]
    pub ask: Option<String>,
}

/// Where a school stands on a topic, from most to least restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Prohibited,
    NeedsPermission,
    Discouraged,
    Caution,
    Required,
    Permitted,
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
    pub stance: Stance,
    /// Index of the clause in its policy.
    pub clause: Option<usize>,
    /// Set by an editor rather than read from the wording.
    pub curated: bool,
    /// What the wording says, even where an editor has set the stance, and the clause it
    /// reads that from.
    pub derived: Stance,
    pub derived_clause: Option<usize>,
}

/// An automatic topic whose score is close to the threshold: worth an editor's look.
#[derive(Debug, Clone, Serialize)]
pub struct UncertainTopic {
    pub clause: super::ClauseRef,
    pub topic: String,
    pub score: f32,
    pub given: bool,
}

//! "At a glance": where one policy stands on the compared topics, at the top of its page.
//!
//! Built only from the stances analysis found (topic, stance, the clause it rests on); it adds
//! no words of its own. Restrictions lead; the other stances follow behind a disclosure, so the
//! policy text still starts near the top of a phone screen.

use super::compare::ClauseView;
use crate::model::{Policy, Stance, Topic};
use serde::Serialize;

/// A policy's stances, grouped by stance from most to least restrictive.
#[derive(Debug, Serialize)]
pub struct Glance<'a> {
    /// What staff must not do, or must ask first: prohibited, needs permission.
    pub leading: Vec<StanceGroup<'a>>,
    /// Every other stance the policy takes (not-covered topics are left out).
    pub more: Vec<StanceGroup<'a>>,
    /// How many topics `more` holds.
    pub more_topics: usize,
}

/// The topics on which a policy takes one stance. Named like a comparison cell (`stance`,
/// `stance_label`) so that the theme's stance badge shows it.
#[derive(Debug, Serialize)]
pub struct StanceGroup<'a> {
    /// The stance.
    pub stance: Stance,
    /// The stance in words (`Prohibited`).
    pub stance_label: &'static str,
    /// The topics with this stance, in the taxonomy's order.
    pub topics: Vec<GlanceTopic<'a>>,
}

/// One topic of a group: its title and the clause the stance rests on.
#[derive(Debug, Serialize)]
pub struct GlanceTopic<'a> {
    /// The topic's title.
    pub title: &'a str,
    /// The clause the stance rests on, if one does.
    pub basis: Option<ClauseView<'a>>,
}

impl Glance<'_> {
    /// Whether the policy takes no stance worth showing.
    pub fn is_empty(&self) -> bool {
        self.leading.is_empty() && self.more.is_empty()
    }
}

/// The glance of `policy` over `topics`, in the taxonomy's order within each stance.
pub fn glance<'a>(policy: &'a Policy, topics: &'a [Topic]) -> Glance<'a> {
    let mut groups: Vec<StanceGroup> = Vec::new();
    let mut entries: Vec<(&Topic, Stance, Option<usize>)> = topics
        .iter()
        .filter_map(|t| policy.stances.get(&t.id).map(|e| (t, e.stance, e.clause)))
        .filter(|(_, stance, _)| *stance != Stance::NotCovered)
        .collect();
    entries.sort_by_key(|(_, stance, _)| *stance);
    for (topic, stance, clause) in entries {
        if groups.last().is_none_or(|g| g.stance != stance) {
            groups.push(StanceGroup { stance, stance_label: stance.label(), topics: Vec::new() });
        }
        let group = groups.last_mut().expect("a group was just pushed");
        group.topics.push(GlanceTopic {
            title: &topic.title,
            basis: clause.map(|c| ClauseView::new(policy, &policy.clauses[c])),
        });
    }
    let (leading, more): (Vec<_>, Vec<_>) =
        groups.into_iter().partition(|g| matches!(g.stance, Stance::Prohibited | Stance::NeedsPermission));
    let more_topics = more.iter().map(|g| g.topics.len()).sum();
    Glance { leading, more, more_topics }
}

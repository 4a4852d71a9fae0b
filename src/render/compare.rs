//! Comparison views: topics × schools, each cell a stance resting on a clause; a page per
//! topic with every school's clauses in full; and a page per pair of schools.

use crate::model::{Clause, Policy, Site};
use crate::model::{Stance, Topic};
use serde::Serialize;

/// A clause as a comparison shows it.
#[derive(Debug, Serialize)]
pub struct ClauseView<'a> {
    /// The clause's label (`6.11`, `¶ 3`).
    pub label: &'a str,
    /// Site-absolute URL of the clause (`/policies/holy-cross.html#6.11`).
    pub url: String,
    /// Plain text, word for word, without the number.
    pub text: &'a str,
    /// The lead-in the clause completes, if any.
    pub lead: Option<&'a str>,
}

impl<'a> ClauseView<'a> {
    /// The view of `clause` of `policy`.
    pub(crate) fn new(policy: &'a Policy, clause: &'a Clause) -> Self {
        ClauseView {
            label: &clause.label,
            url: format!("/{}#{}", policy.url(), clause.id),
            text: &clause.text,
            lead: clause.parent.map(|p| policy.clauses[p].text.as_str()),
        }
    }
}

/// One school's position on one topic.
#[derive(Debug, Serialize)]
pub struct Cell<'a> {
    /// Policy slug.
    pub policy: &'a str,
    /// School's full name.
    pub school: &'a str,
    /// School's short name (`Holy Cross`), else its full name.
    pub short_name: &'a str,
    /// The stance shown: the editor's where curated, else the one the wording gives.
    pub stance: Stance,
    /// How the page names the stance (`Needs permission`).
    pub stance_label: &'static str,
    /// The clause the stance rests on.
    pub basis: Option<ClauseView<'a>>,
    /// Whether an editor settled the stance.
    pub curated: bool,
    /// What the wording alone suggests, when an editor has decided otherwise.
    pub derived_label: Option<&'static str>,
    /// Every clause of the school on the topic.
    pub clauses: Vec<ClauseView<'a>>,
}

/// A topic with every school's cell.
#[derive(Debug, Serialize)]
pub struct TopicView<'a> {
    /// Topic id (`contact-pupils`).
    pub id: &'a str,
    /// Topic title.
    pub title: &'a str,
    /// The question the topic answers.
    pub question: &'a str,
    /// The question as staff ask it, for the home page.
    pub ask: Option<&'a str>,
    /// Site-absolute URL of the topic's page (`/compare/contact-pupils.html`).
    pub url: String,
    /// Every school's cell, in policy order.
    pub cells: Vec<Cell<'a>>,
    /// Schools with nothing on the topic.
    pub gaps: usize,
}

fn cell<'a>(policy: &'a Policy, topic: &str) -> Cell<'a> {
    let entry = policy.stances.get(topic);
    let stance = entry.map_or(Stance::NotCovered, |e| e.stance);
    let curated = entry.is_some_and(|e| e.curated);
    Cell {
        policy: &policy.slug,
        school: &policy.meta.school,
        short_name: policy.short_name(),
        stance,
        stance_label: stance.label(),
        basis: entry.and_then(|e| e.clause).map(|c| ClauseView::new(policy, &policy.clauses[c])),
        curated,
        derived_label: entry.filter(|e| e.curated && e.derived != e.stance).map(|e| e.derived.label()),
        clauses: policy
            .clauses
            .iter()
            .filter(|c| c.topics.iter().any(|t| t == topic))
            .map(|c| ClauseView::new(policy, c))
            .collect(),
    }
}

pub(crate) fn topic_view<'a>(site: &'a Site, topic: &'a Topic) -> TopicView<'a> {
    let cells: Vec<Cell> = site.policies.iter().map(|p| cell(p, &topic.id)).collect();
    TopicView {
        id: &topic.id,
        title: &topic.title,
        question: &topic.question,
        ask: topic.ask.as_deref(),
        url: format!("/compare/{}.html", topic.id),
        gaps: cells.iter().filter(|c| c.stance == Stance::NotCovered).count(),
        cells,
    }
}

/// Two schools side by side.
#[derive(Debug, Serialize)]
pub struct PairView<'a> {
    /// Site-absolute URL of the page (`/compare/caldecote--holy-cross.html`).
    pub url: String,
    /// The first school: policy slug and short name.
    pub left: (&'a str, &'a str),
    /// The second school: policy slug and short name.
    pub right: (&'a str, &'a str),
    /// `[topic, left cell, right cell]`.
    pub rows: Vec<(&'a Topic, Cell<'a>, Cell<'a>)>,
}

/// Page name of the pair view of two policies.
pub fn pair_url(a: &Policy, b: &Policy) -> String {
    format!("/compare/{}--{}.html", a.slug, b.slug)
}

pub(crate) fn pair_views(site: &Site) -> Vec<PairView<'_>> {
    let mut views = Vec::new();
    for (i, a) in site.policies.iter().enumerate() {
        for b in &site.policies[i + 1..] {
            views.push(PairView {
                url: pair_url(a, b),
                left: (&a.slug, a.short_name()),
                right: (&b.slug, b.short_name()),
                rows: site.topics.iter().map(|t| (t, cell(a, &t.id), cell(b, &t.id))).collect(),
            });
        }
    }
    views
}

/// `data/compare.csv`: one row per topic × school, UTF-8 with a byte-order mark so that Excel
/// reads it as UTF-8.
pub fn csv(site: &Site) -> String {
    let mut out = String::from("\u{feff}");
    let field = |value: &str| {
        if value.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", value.replace('"', "\"\""))
        } else {
            value.to_string()
        }
    };
    out.push_str("topic,topic_title,school,policy,stance,curated,clause,clause_url,clauses\r\n");
    for topic in &site.topics {
        for policy in &site.policies {
            let cell = cell(policy, &topic.id);
            let labels: Vec<&str> = cell.clauses.iter().map(|c| c.label).collect();
            let row = [
                field(&topic.id),
                field(&topic.title),
                field(&policy.meta.school),
                field(&policy.slug),
                field(cell.stance_label),
                field(if cell.curated { "yes" } else { "no" }),
                field(cell.basis.as_ref().map_or("", |b| b.label)),
                field(
                    &cell.basis.as_ref().map_or(String::new(), |b| b.url.trim_start_matches('/').to_string()),
                ),
                field(&labels.join("; ")),
            ];
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

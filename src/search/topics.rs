//! Topic routing: which topic of the taxonomy a staff question is about, and how sure search is.
//!
//! The steps (`search.js` follows them in the same order and the same 32-bit arithmetic):
//!
//! 1. Each topic is a bag of stems: its title, question and terms (`topics.toml`) and its
//!    `topic_words` (`search.toml`), filler words left out. A stem weighs its inverse frequency
//!    over the topics, `ln(1 + (N − n + 0.5) / (n + 0.5))`, so "staff" counts little and
//!    "password" a lot.
//! 2. A question's plan (the same groups of weighted terms that rank clauses: synonyms, typos,
//!    completions, lexicon) scores a topic by the sum over groups of the best
//!    `weight × stem weight` among the group's terms that the topic has.
//! 3. An **intent** whose phrase occurs in the question ("what happens if", "who do I tell")
//!    adds `intent_score` to its topic, and the `vote_depth` best clauses of the plain ranking
//!    (schools spread) **vote**: each adds `vote_weight × its score / the best score` to every
//!    topic it is on.
//! 4. The best topic is **routed** to when it scores at least `min_score` and `margin` times
//!    the runner-up; its answer card is shown only from `card_score` and `card_margin` times
//!    the runner-up.
//! 5. A routed topic's clauses join the ranking: each gains `topic_boost` times the best
//!    clause's score, and the clause each school's stance rests on `stance_boost` times, so
//!    every school that covers the topic reaches the first page with its stance clause first.

use super::analyzer;
use super::config::SearchConfig;
use super::query::{QueryPlan, bounded};
use crate::model::{ClauseRef, Site};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// A topic as routing sees it.
#[derive(Debug, Clone, Serialize)]
pub struct SearchTopic {
    /// The topic's id (`contact-parents`).
    pub id: String,
    /// Its stems, each with its weight.
    pub terms: BTreeMap<String, f32>,
    /// Search documents of the clauses on the topic, in document order.
    pub docs: Vec<usize>,
    /// Search documents each school's stance rests on, in document order.
    pub stance_docs: Vec<usize>,
}

/// An intent, its phrases as word lists.
#[derive(Debug, Clone)]
struct IntentWords {
    name: String,
    phrases: Vec<Vec<String>>,
    topic: Option<usize>,
    report: bool,
}

/// The taxonomy as routing sees it.
#[derive(Debug, Clone, Default)]
pub struct TopicRouter {
    /// Every topic, in the taxonomy's order.
    pub topics: Vec<SearchTopic>,
    intents: Vec<IntentWords>,
}

/// Where a question was routed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicMatch {
    /// Index in [`TopicRouter::topics`] (and `Site::topics`).
    pub topic: usize,
    /// Its routing score.
    pub score: f32,
    /// The next best topic's score.
    pub runner_up: f32,
    /// Intents found in the question, by name.
    pub intents: Vec<String>,
    /// A "who do I tell" question.
    pub report: bool,
    /// Sure enough to show the answer card.
    pub shows_card: bool,
}

/// The distinct stems of `texts`, filler words left out, in order of first appearance.
fn stems_of<'t>(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    filler: &HashSet<String>,
    texts: impl Iterator<Item = &'t str>,
) -> Vec<String> {
    let mut stems: Vec<String> = Vec::new();
    for text in texts {
        for word in analyzer::words(text).into_iter().filter(|w| !filler.contains(w)) {
            if let Some(stem) = analyzer::stem(analyzer, &word)
                && !stems.contains(&stem)
            {
                stems.push(stem);
            }
        }
    }
    stems
}

/// Weight of a stem found in `count` of `total` topics.
pub fn stem_weight(count: usize, total: usize) -> f32 {
    let (count, total) = (count as f32, total as f32);
    (1.0 + (total - count + 0.5) / (count + 0.5)).ln()
}

impl TopicRouter {
    /// Builds the router from the analysed site: topics, their clauses and stances.
    /// `doc_of` maps each clause to its search document.
    pub fn new(site: &Site, config: &SearchConfig, doc_of: &BTreeMap<&ClauseRef, usize>) -> TopicRouter {
        let mut analyzer = analyzer::analyzer();
        let filler: HashSet<String> = config.filler.iter().flat_map(|f| analyzer::words(f)).collect();
        let bags: Vec<Vec<String>> = site
            .topics
            .iter()
            .map(|topic| {
                let extra = config.topic_words.get(&topic.id).map(Vec::as_slice).unwrap_or_default();
                let texts = [topic.title.as_str(), topic.question.as_str()]
                    .into_iter()
                    .chain(topic.terms.iter().map(String::as_str))
                    .chain(extra.iter().map(String::as_str));
                stems_of(&mut analyzer, &filler, texts)
            })
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for bag in &bags {
            for stem in bag {
                *counts.entry(stem).or_default() += 1;
            }
        }
        let topics = site
            .topics
            .iter()
            .zip(&bags)
            .map(|(topic, bag)| {
                let mut docs = Vec::new();
                let mut stance_docs = Vec::new();
                for policy in &site.policies {
                    for clause in policy.clauses.iter().filter(|c| c.topics.contains(&topic.id)) {
                        if let Some(&d) = doc_of.get(&policy.clause_ref(clause)) {
                            docs.push(d);
                        }
                    }
                    let stance = policy.stances.get(&topic.id).and_then(|s| s.clause);
                    if let Some(&d) = stance.and_then(|c| doc_of.get(&policy.clause_ref(&policy.clauses[c])))
                    {
                        stance_docs.push(d);
                    }
                }
                docs.sort_unstable();
                docs.dedup();
                let terms =
                    bag.iter().map(|s| (s.clone(), stem_weight(counts[s.as_str()], bags.len()))).collect();
                SearchTopic { id: topic.id.clone(), terms, docs, stance_docs }
            })
            .collect();
        let intents = config
            .intents
            .iter()
            .map(|intent| IntentWords {
                name: intent.name.clone(),
                phrases: intent
                    .phrases
                    .iter()
                    .map(|p| analyzer::words(p))
                    .filter(|w| !w.is_empty())
                    .collect(),
                topic: intent.topic.as_ref().and_then(|id| site.topics.iter().position(|t| &t.id == id)),
                report: intent.report,
            })
            .collect();
        TopicRouter { topics, intents }
    }

    /// Where `query`, planned as `plan`, is routed, if anywhere; `ranked` is the plain ranking
    /// of clauses as `(document, score)`, best first, schools spread, whose first clauses vote.
    pub fn route(
        &self,
        config: &SearchConfig,
        query: &str,
        plan: &QueryPlan,
        ranked: &[(usize, f32)],
    ) -> Option<TopicMatch> {
        let routing = &config.routing;
        let mut scores: Vec<f32> = self
            .topics
            .iter()
            .map(|topic| {
                let mut score = 0.0f32;
                for group in &plan.groups {
                    let best = group
                        .terms
                        .iter()
                        .filter_map(|e| topic.terms.get(&e.term).map(|w| e.weight * w))
                        .fold(0.0f32, f32::max);
                    score += best;
                }
                score
            })
            .collect();
        let voters = &ranked[..ranked.len().min(routing.vote_depth)];
        if let Some(best) = voters.first().map(|&(_, score)| score).filter(|&s| s > 0.0) {
            for &(doc, score) in voters {
                let vote = routing.vote_weight * (score / best);
                for (t, topic) in self.topics.iter().enumerate() {
                    if topic.docs.binary_search(&doc).is_ok() {
                        scores[t] += vote;
                    }
                }
            }
        }
        let words = analyzer::words(bounded(query));
        let mut intents = Vec::new();
        let mut report = false;
        for intent in &self.intents {
            let found = intent
                .phrases
                .iter()
                .any(|phrase| words.windows(phrase.len()).any(|w| w == phrase.as_slice()));
            if found {
                if let Some(topic) = intent.topic {
                    scores[topic] += routing.intent_score;
                }
                intents.push(intent.name.clone());
                report |= intent.report;
            }
        }
        let mut best: Option<usize> = None;
        for (t, &score) in scores.iter().enumerate() {
            if score > 0.0 && best.is_none_or(|b| score > scores[b]) {
                best = Some(t);
            }
        }
        let topic = best?;
        let score = scores[topic];
        let runner_up =
            scores.iter().enumerate().filter(|&(t, _)| t != topic).map(|(_, &s)| s).fold(0.0f32, f32::max);
        if score < routing.min_score || score < routing.margin * runner_up {
            return None;
        }
        let shows_card = score >= routing.card_score && score >= routing.card_margin * runner_up;
        Some(TopicMatch { topic, score, runner_up, intents, report, shows_card })
    }
}

/// What the answer card shows for a topic: the question, every school's stance and the clause
/// it rests on, and (for "who do I tell" questions) the reporting route.
#[derive(Debug, Clone, Serialize)]
pub struct TopicCard {
    /// The topic's id.
    pub id: String,
    /// The topic's title.
    pub title: String,
    /// The staff question the topic answers.
    pub question: String,
    /// Site-relative URL of the topic's compare page.
    pub url: String,
    /// Every school, in site order.
    pub schools: Vec<CardSchool>,
    /// The concern whose routes cite the topic's clauses most, if any.
    pub route: Option<CardRoute>,
}

/// One school's line on the card.
#[derive(Debug, Clone, Serialize)]
pub struct CardSchool {
    /// The policy's slug.
    pub policy: String,
    /// Short name.
    pub school: String,
    /// The school's stance on the topic.
    pub stance: crate::model::Stance,
    /// The stance in words (`Prohibited`).
    pub stance_label: &'static str,
    /// The id of the clause the stance rests on (none where not covered).
    pub clause: Option<String>,
    /// That clause's label.
    pub label: Option<String>,
    /// That clause's site-relative URL.
    pub url: Option<String>,
}

/// A concern's reporting route in brief: each school's first step.
#[derive(Debug, Clone, Serialize)]
pub struct CardRoute {
    /// The concern's id.
    pub concern: String,
    /// The concern's title.
    pub title: String,
    /// Site-relative URL of the concern's routes side by side.
    pub url: String,
    /// Each school with a route for the concern, and the route's first step.
    pub first_steps: Vec<FirstStep>,
}

/// A school's first step on a reporting route.
#[derive(Debug, Clone, Serialize)]
pub struct FirstStep {
    /// The policy's slug.
    pub policy: String,
    /// Short name.
    pub school: String,
    /// The first step's text.
    pub step: String,
}

impl TopicCard {
    /// The card of `site.topics[topic]`.
    pub fn new(site: &Site, topic: usize) -> TopicCard {
        let topic = &site.topics[topic];
        let schools = site
            .policies
            .iter()
            .map(|policy| {
                let entry = policy.stances.get(&topic.id);
                let stance = entry.map_or(crate::model::Stance::NotCovered, |e| e.stance);
                let clause = entry.and_then(|e| e.clause).map(|c| &policy.clauses[c]);
                CardSchool {
                    policy: policy.slug.clone(),
                    school: policy.short_name().to_string(),
                    stance,
                    stance_label: stance.label(),
                    clause: clause.map(|c| c.id.clone()),
                    label: clause.map(|c| c.label.clone()),
                    url: clause.map(|c| policy.clause_ref(c).url()),
                }
            })
            .collect();
        TopicCard {
            id: topic.id.clone(),
            title: topic.title.clone(),
            question: topic.question.clone(),
            url: format!("compare/{}.html", topic.id),
            schools,
            route: card_route(site, &topic.id),
        }
    }
}

/// The concern whose routes cite most clauses on `topic`, in brief.
fn card_route(site: &Site, topic: &str) -> Option<CardRoute> {
    let cites = |concern: &str| -> usize {
        site.policies
            .iter()
            .flat_map(|policy| {
                policy.routes.iter().filter(|r| r.concern == concern).map(move |r| (policy, r))
            })
            .flat_map(|(policy, route)| route.steps.iter().flat_map(|s| &s.cites).map(move |id| (policy, id)))
            .filter(|(policy, id)| {
                policy.clauses.iter().any(|c| &c.id == *id && c.topics.iter().any(|t| t == topic))
            })
            .count()
    };
    let mut best: Option<(&crate::model::Concern, usize)> = None;
    for concern in &site.concerns {
        let count = cites(&concern.id);
        if count > 0 && best.is_none_or(|(_, b)| count > b) {
            best = Some((concern, count));
        }
    }
    let (concern, _) = best?;
    let first_steps = site
        .policies
        .iter()
        .filter_map(|policy| {
            let route = policy.routes.iter().find(|r| r.concern == concern.id)?;
            Some(FirstStep {
                policy: policy.slug.clone(),
                school: policy.short_name().to_string(),
                step: route.steps.first()?.text.clone(),
            })
        })
        .collect();
    Some(CardRoute {
        concern: concern.id.clone(),
        title: concern.title.clone(),
        url: format!("routes/{}.html", concern.id),
        first_steps,
    })
}

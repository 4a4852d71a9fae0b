//! Automatic topic scores: how strongly the evidence says a clause is on each topic, for the
//! clauses no editor has settled.
//!
//! Three kinds of evidence are weighed ([`scores`]):
//!
//! - **terms** — the topic's `terms` searched in the clause index (BM25 over the clause, its
//!   lead-in and its heading), capped at [`TERM_SCALE`];
//! - **nearest curated clauses** — the [`NEIGHBOURS`] clauses of *other* schools most like this
//!   one (tantivy MoreLikeThis over the same text) that an editor has settled, each voting for
//!   its topics in proportion to its similarity;
//! - **the section** — a clause also hears the votes of the other clauses under the same
//!   heading, lead-ins and list items alike: "12. Sexting" and "Staff should not:" decide what
//!   the clauses under them are about as much as their own words do.
//!
//! Other schools only: a school's own curated clauses never vote for its own clauses, so an
//! imported school is scored as the leave-one-school-out test measures. With no curated clause
//! anywhere, the terms alone decide. The weights were set leave-one-school-out on the five
//! schools (`tests/it/topics_quality.rs`).

use crate::model::Site;
use crate::search::SearchIndex;
use crate::search::index::searched_text;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::HashMap;

/// Score at which a topic is given.
pub const GIVE: f32 = 0.65;
/// Most automatic topics one clause gets.
pub const MAX_TOPICS: usize = 2;
/// Curated clauses of other schools that vote on a clause's topics.
pub const NEIGHBOURS: usize = 8;
/// Most similar clauses, of every school, looked through for the [`NEIGHBOURS`].
pub const NEIGHBOUR_CANDIDATES: usize = 200;
/// BM25 score of a topic's terms that counts as full term evidence.
pub const TERM_SCALE: f32 = 14.0;
/// Weight of the term evidence.
pub const TERM_WEIGHT: f32 = 1.0;
/// Weight of the nearest curated clauses' votes.
pub const NEIGHBOUR_WEIGHT: f32 = 1.0;
/// Weight of the mean vote of the clauses in the same section.
pub const SECTION_WEIGHT: f32 = 0.3;

/// Every clause's score on every topic, `scores[policy][clause][topic]` in the order of
/// `site.policies`, their clauses and `site.topics`. A topic is given at [`GIVE`].
pub fn scores(site: &Site, index: &SearchIndex) -> Result<Vec<Vec<Vec<f32>>>> {
    let topics = site.topics.len();
    let mut terms = vec![vec![0.0f32; topics]; index.docs.len()];
    for (t, topic) in site.topics.iter().enumerate() {
        for hit in index.match_terms(&topic.terms)? {
            terms[hit.doc][t] = hit.score;
        }
    }
    let topic_index: HashMap<&str, usize> =
        site.topics.iter().enumerate().map(|(t, topic)| (topic.id.as_str(), t)).collect();
    // The settled topics of each document, where an editor settled them.
    let settled: Vec<Option<Vec<usize>>> = index
        .docs
        .iter()
        .map(|doc| {
            let (_, clause) = site.resolve(&doc.clauses[0])?;
            clause
                .topics_curated
                .then(|| clause.topics.iter().filter_map(|t| topic_index.get(t.as_str()).copied()).collect())
        })
        .collect();
    let any_settled = settled.iter().any(Option::is_some);
    let near: Vec<Vec<f32>> = if any_settled {
        (0..index.docs.len())
            .into_par_iter()
            .map(|d| neighbour_votes(site, index, &settled, d))
            .collect::<Result<_>>()?
    } else {
        Vec::new()
    };
    let doc_of = index.doc_of();
    let scores = site
        .policies
        .iter()
        .map(|policy| {
            let docs: Vec<Option<usize>> =
                policy.clauses.iter().map(|c| doc_of.get(&policy.clause_ref(c)).copied()).collect();
            let section_votes =
                if any_settled { section_votes(policy, &docs, &near, topics) } else { HashMap::new() };
            policy
                .clauses
                .iter()
                .zip(&docs)
                .map(|(clause, doc)| {
                    let Some(d) = *doc else { return vec![0.0; topics] };
                    (0..topics)
                        .map(|t| {
                            let term = (terms[d][t] / TERM_SCALE).min(1.0);
                            if !any_settled {
                                // Terms alone: full term evidence is twice what gives the topic.
                                return term * 2.0 * GIVE;
                            }
                            TERM_WEIGHT * term
                                + NEIGHBOUR_WEIGHT * near[d][t]
                                + SECTION_WEIGHT * section_votes.get(&clause.section).map_or(0.0, |v| v[t])
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Ok(scores)
}

/// The mean neighbour vote of the clauses of each section of `policy`.
fn section_votes(
    policy: &crate::model::Policy,
    docs: &[Option<usize>],
    near: &[Vec<f32>],
    topics: usize,
) -> HashMap<Option<usize>, Vec<f32>> {
    let mut sums: HashMap<Option<usize>, (Vec<f32>, f32)> = HashMap::new();
    for (clause, doc) in policy.clauses.iter().zip(docs) {
        let Some(d) = *doc else { continue };
        let (sum, count) = sums.entry(clause.section).or_insert_with(|| (vec![0.0; topics], 0.0));
        sum.iter_mut().zip(&near[d]).for_each(|(s, v)| *s += v);
        *count += 1.0;
    }
    sums.into_iter()
        .map(|(section, (sum, count))| (section, sum.into_iter().map(|s| s / count).collect()))
        .collect()
}

/// Each topic's share of the votes of document `d`'s nearest settled documents in other
/// policies, weighted by similarity: 0 to 1 per topic.
fn neighbour_votes(
    site: &Site,
    index: &SearchIndex,
    settled: &[Option<Vec<usize>>],
    d: usize,
) -> Result<Vec<f32>> {
    let mut votes = vec![0.0f32; site.topics.len()];
    let doc = &index.docs[d];
    let Some((policy, clause)) = site.resolve(&doc.clauses[0]) else { return Ok(votes) };
    let hits = index.similar(&searched_text(policy, clause), NEIGHBOUR_CANDIDATES)?;
    let mut total = 0.0;
    let nearest = hits
        .iter()
        .filter(|h| index.docs[h.doc].policy != doc.policy && h.score > 0.0)
        .filter_map(|h| settled[h.doc].as_ref().map(|topics| (h.score, topics)))
        .take(NEIGHBOURS);
    for (weight, topics) in nearest {
        total += weight;
        for &t in topics {
            votes[t] += weight;
        }
    }
    if total > 0.0 {
        votes.iter_mut().for_each(|v| *v /= total);
    }
    Ok(votes)
}

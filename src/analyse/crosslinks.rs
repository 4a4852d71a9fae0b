//! Cross-links: every clause's closest counterparts in each other policy.
//!
//! Similarity is tantivy's MoreLikeThis over the analysed text, taken one other policy at a
//! time and divided by the clause's similarity to itself, so long and short clauses are
//! judged on one scale. Two clauses must share a topic to be linked, and sharing one adds
//! [`TOPIC_BONUS`]. Up to [`PER_SCHOOL`] counterparts per school are kept, only above
//! [`THRESHOLD`] and close to the best ([`NEAR_BEST`]): no link is better than a wrong one.
//! The constants were set on the judged pairs of `tests/fixtures/crosslinks.toml`.

use crate::model::{ClauseRef, Site};
use crate::search::SearchIndex;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::HashMap;

/// Links kept per other school.
pub const PER_SCHOOL: usize = 3;
/// Least combined similarity for a link.
pub const THRESHOLD: f32 = 0.35;
/// Added when the two clauses share a topic.
pub const TOPIC_BONUS: f32 = 0.15;
/// A second or third link to the same school must score this share of the best one.
pub const NEAR_BEST: f32 = 0.9;

/// Fills every clause's `related`, best first, grouped by school.
pub fn analyse(site: &mut Site, index: &SearchIndex) -> Result<()> {
    let doc_of: HashMap<&ClauseRef, usize> = index
        .docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| doc.clauses.iter().map(move |clause| (clause, d)))
        .collect();
    // Each clause's links are independent of the others': find them in parallel.
    let jobs: Vec<(usize, usize)> = site
        .policies
        .iter()
        .enumerate()
        .flat_map(|(p, policy)| (0..policy.clauses.len()).map(move |c| (p, c)))
        .collect();
    let found: Vec<Result<Vec<ClauseRef>>> =
        jobs.par_iter().map(|&(p, c)| counterparts(site, index, &doc_of, p, c)).collect();
    let mut related = Vec::with_capacity(jobs.len());
    for links in found {
        related.push(links?);
    }
    for (&(p, c), links) in jobs.iter().zip(related) {
        site.policies[p].clauses[c].related = links;
    }
    Ok(())
}

/// The counterparts of clause `c` of policy `p` in every other policy.
fn counterparts(
    site: &Site,
    index: &SearchIndex,
    doc_of: &HashMap<&ClauseRef, usize>,
    p: usize,
    c: usize,
) -> Result<Vec<ClauseRef>> {
    let policy = &site.policies[p];
    let clause = &policy.clauses[c];
    let mut links = Vec::new();
    let Some(&own_doc) = doc_of.get(&policy.clause_ref(clause)) else { return Ok(links) };
    if clause.topics.is_empty() {
        return Ok(links);
    }
    // One query for all policies; each policy's hits are then taken in turn.
    let hits = index.similar(&clause.text)?;
    let self_score = hits.iter().find(|h| h.doc == own_doc).map_or(0.0, |h| h.score);
    if self_score <= 0.0 {
        return Ok(links);
    }
    for q in (0..site.policies.len()).filter(|&q| q != p) {
        let shares_topic = |target: &ClauseRef| {
            site.resolve(target)
                .is_some_and(|(_, other)| clause.topics.iter().any(|t| other.topics.contains(t)))
        };
        let mut candidates: Vec<(f32, &ClauseRef)> = hits
            .iter()
            .filter(|hit| index.docs[hit.doc].policy == q)
            .map(|hit| (hit.score / self_score + TOPIC_BONUS, &index.docs[hit.doc].clauses[0]))
            .filter(|&(score, target)| score >= THRESHOLD && shares_topic(target))
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| site.places[a.1].cmp(&site.places[b.1])));
        let best = candidates.first().map_or(0.0, |c| c.0);
        links.extend(
            candidates
                .into_iter()
                .take(PER_SCHOOL)
                .filter(|(score, _)| *score >= best * NEAR_BEST)
                .map(|(_, target)| target.clone()),
        );
    }
    Ok(links)
}

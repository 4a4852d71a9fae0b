//! Cross-links: every clause's closest counterparts in each other policy.
//!
//! Similarity is tantivy's MoreLikeThis over the analysed text, taken one other policy at a
//! time and divided by the clause's similarity to itself, so long and short clauses are
//! judged on one scale. Two clauses must share a topic to be linked, and sharing one adds
//! [`TOPIC_BONUS`]. Up to [`PER_SCHOOL`] counterparts per school are kept, only above
//! [`THRESHOLD`] and close to the best ([`NEAR_BEST`]): no link is better than a wrong one.
//! The constants were set on the judged pairs of `tests/fixtures/crosslinks.toml`.

use crate::model::Site;
use crate::search::SearchIndex;
use anyhow::Result;
use rayon::prelude::*;

/// Links kept per other school.
pub const PER_SCHOOL: usize = 3;
/// Least combined similarity for a link.
pub const THRESHOLD: f32 = 0.35;
/// Added when the two clauses share a topic.
pub const TOPIC_BONUS: f32 = 0.15;
/// A second or third link to the same school must score this share of the best one.
pub const NEAR_BEST: f32 = 0.9;

/// Fills every clause's `related` with (policy, clause) pairs, best first, grouped by school.
pub fn analyse(site: &mut Site, index: &SearchIndex) -> Result<()> {
    let mut doc_of: Vec<Vec<Option<usize>>> =
        site.policies.iter().map(|p| vec![None; p.clauses.len()]).collect();
    for (d, doc) in index.docs.iter().enumerate() {
        for &c in &doc.clauses {
            doc_of[doc.policy][c] = Some(d);
        }
    }
    // Each clause's links are independent of the others': find them in parallel.
    let jobs: Vec<(usize, usize)> = site
        .policies
        .iter()
        .enumerate()
        .flat_map(|(p, policy)| (0..policy.clauses.len()).map(move |c| (p, c)))
        .collect();
    let found: Vec<Result<Vec<(usize, usize)>>> =
        jobs.par_iter().map(|&(p, c)| counterparts(site, index, &doc_of, p, c)).collect();
    let mut related: Vec<Vec<Vec<(usize, usize)>>> =
        site.policies.iter().map(|p| vec![Vec::new(); p.clauses.len()]).collect();
    for (&(p, c), links) in jobs.iter().zip(found) {
        related[p][c] = links?;
    }
    for (p, policy) in site.policies.iter_mut().enumerate() {
        for (c, clause) in policy.clauses.iter_mut().enumerate() {
            clause.related = std::mem::take(&mut related[p][c]);
        }
    }
    Ok(())
}

/// The counterparts of clause `c` of policy `p` in every other policy.
fn counterparts(
    site: &Site,
    index: &SearchIndex,
    doc_of: &[Vec<Option<usize>>],
    p: usize,
    c: usize,
) -> Result<Vec<(usize, usize)>> {
    let clause = &site.policies[p].clauses[c];
    let mut links = Vec::new();
    let Some(own_doc) = doc_of[p][c] else { return Ok(links) };
    if clause.topics.is_empty() {
        return Ok(links);
    }
    // One query for all policies; each policy's hits are then taken in turn.
    let hits = index.similar(&clause.text)?;
    let self_score = hits.iter().find(|h| h.doc == own_doc).map_or(0.0, |h| h.score);
    if self_score <= 0.0 {
        return Ok(links);
    }
    for (q, other) in site.policies.iter().enumerate().filter(|(q, _)| *q != p) {
        let shares_topic =
            |target: usize| clause.topics.iter().any(|t| other.clauses[target].topics.contains(t));
        let mut candidates: Vec<(f32, usize)> = hits
            .iter()
            .filter(|hit| index.docs[hit.doc].policy == q)
            .map(|hit| (hit.score / self_score + TOPIC_BONUS, index.docs[hit.doc].clauses[0]))
            .filter(|&(score, target)| score >= THRESHOLD && shares_topic(target))
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let best = candidates.first().map_or(0.0, |c| c.0);
        links.extend(
            candidates
                .into_iter()
                .take(PER_SCHOOL)
                .filter(|(score, _)| *score >= best * NEAR_BEST)
                .map(|(_, target)| (q, target)),
        );
    }
    Ok(links)
}

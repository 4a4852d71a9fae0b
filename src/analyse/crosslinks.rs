//! Cross-links: every clause's counterparts in each other school that covers one of its topics.
//!
//! A clause with topics is linked, in each other policy, to the clauses on one of the same
//! topics that read most like it: tantivy's MoreLikeThis over the analysed text, divided by the
//! clause's similarity to itself so long and short clauses are judged on one scale. The best
//! one in each school is kept, and a second ([`PER_SCHOOL`]) only when it is nearly as good
//! ([`NEAR_BEST`]); a clause shows at most [`MAX_LINKS`], every school's best first. One query
//! per clause, its [`CANDIDATES`] best hits filtered to its topics, so the cost grows with the
//! clauses, never with all pairs of them.
//! The constants were set on the pairs of `tests/fixtures/crosslinks.toml`; the held-out pairs
//! of `tests/fixtures/counterparts-heldout.toml` measure them.

use crate::model::{ClauseRef, Site};
use crate::search::SearchIndex;
use crate::search::index::searched_text;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Links kept per other school.
pub const PER_SCHOOL: usize = 2;
/// A second link to the same school must score this share of the best one.
pub const NEAR_BEST: f32 = 0.7;
/// Most links one clause shows.
pub const MAX_LINKS: usize = 5;
/// Least similarity for a link: below it the two clauses share only a word or two.
pub const MIN_SIMILARITY: f32 = 0.05;
/// Most similar clauses looked at for each clause, of every school: the work per clause stays
/// the same however many policies the site has.
pub const CANDIDATES: usize = 200;

/// Fills every clause's `related`, best first.
pub fn analyse(site: &mut Site, index: &SearchIndex) -> Result<()> {
    let doc_of = index.doc_of();
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

/// The counterparts of clause `c` of policy `p` in every other policy, best first.
fn counterparts(
    site: &Site,
    index: &SearchIndex,
    doc_of: &BTreeMap<&ClauseRef, usize>,
    p: usize,
    c: usize,
) -> Result<Vec<ClauseRef>> {
    let policy = &site.policies[p];
    let clause = &policy.clauses[c];
    let Some(&own_doc) = doc_of.get(&policy.clause_ref(clause)) else { return Ok(Vec::new()) };
    if clause.topics.is_empty() {
        return Ok(Vec::new());
    }
    let hits = index.similar(&searched_text(policy, clause), CANDIDATES)?;
    let self_score = hits.iter().find(|h| h.doc == own_doc).map_or(0.0, |h| h.score);
    if self_score <= 0.0 {
        return Ok(Vec::new());
    }
    let shares_topic = |target: &ClauseRef| {
        site.resolve(target).is_some_and(|(_, other)| clause.topics.iter().any(|t| other.topics.contains(t)))
    };
    // Hits come best first, so each school's first few on a shared topic are its best.
    let mut per_school: HashMap<usize, Vec<(f32, &ClauseRef)>> = HashMap::new();
    for hit in &hits {
        let doc = &index.docs[hit.doc];
        let score = hit.score / self_score;
        if doc.policy == p || score < MIN_SIMILARITY {
            continue;
        }
        let kept = per_school.entry(doc.policy).or_default();
        let near_best = kept.first().is_none_or(|&(best, _)| score >= best * NEAR_BEST);
        if kept.len() < PER_SCHOOL && near_best && shares_topic(&doc.clauses[0]) {
            kept.push((score, &doc.clauses[0]));
        }
    }
    // Every school's best before any school's second, each round best first.
    let mut links: Vec<(usize, f32, &ClauseRef)> = per_school
        .into_values()
        .flat_map(|kept| kept.into_iter().enumerate().map(|(rank, (score, target))| (rank, score, target)))
        .collect();
    links.sort_by(|a, b| {
        a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then_with(|| site.places[a.2].cmp(&site.places[b.2]))
    });
    Ok(links.into_iter().take(MAX_LINKS).map(|(_, _, target)| target.clone()).collect())
}

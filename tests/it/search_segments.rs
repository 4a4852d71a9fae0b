//! A search index of many segments answers exactly as one of a single segment: the same
//! documents, lengths and vocabulary, the same hits with the same scores, the same cross-links.
//! (A big corpus outgrows the index writer's memory budget and is written as several segments;
//! here a small segment size makes the real five-school site do the same.)

use policykb::analyse::crosslinks;
use policykb::model::ClauseRef;
use policykb::search::{SearchIndex, SearchOptions};

use crate::common;

/// Every clause's cross-links, in site order.
fn all_related(site: &policykb::model::Site) -> Vec<Vec<ClauseRef>> {
    site.policies.iter().flat_map(|p| p.clauses.iter().map(|c| c.related.clone())).collect()
}

#[test]
fn an_index_of_many_segments_ranks_as_one() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let policykb::build::Loaded { mut site, index: single, .. } =
        policykb::build::analyse_site(&policykb::BuildOptions::new(root)).expect("the site loads");
    assert_eq!(single.segments(), 1, "the real site fits one segment");

    const PER_SEGMENT: usize = 37;
    let mut split = SearchIndex::build_in_segments(&site, single.config.clone(), PER_SEGMENT).unwrap();
    // As the analysis does once topics are known: routing joins a topic's clauses to the ranking.
    split.set_topics(&site);
    assert_eq!(split.segments(), single.docs.len().div_ceil(PER_SEGMENT));

    let places = |index: &SearchIndex| -> Vec<(Vec<ClauseRef>, u32)> {
        index.docs.iter().map(|d| (d.clauses.clone(), d.length)).collect()
    };
    assert_eq!(places(&split), places(&single), "documents or their lengths differ");
    assert_eq!(split.vocabulary, single.vocabulary);
    assert_eq!(split.total_terms, single.total_terms);

    let everything = SearchOptions::default();
    for question in common::search_questions() {
        let (a, b) = (
            single.search(&question.query, &everything).unwrap(),
            split.search(&question.query, &everything).unwrap(),
        );
        assert!(!a.is_empty(), "{:?} finds nothing", question.query);
        assert_eq!(b, a, "{:?} ranks differently across segments", question.query);
    }
    let school =
        SearchOptions { policy: Some(site.policies[2].slug.clone()), limit: 5, ..Default::default() };
    assert_eq!(
        split.search("personal phone", &school).unwrap(),
        single.search("personal phone", &school).unwrap()
    );

    let before = all_related(&site);
    assert!(before.iter().any(|links| !links.is_empty()), "the real site has cross-links");
    crosslinks::analyse(&mut site, &split).unwrap();
    assert_eq!(all_related(&site), before, "cross-links differ across segments");
}

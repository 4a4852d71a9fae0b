//! Cross-link quality against `tests/fixtures/crosslinks.toml`: pairs of clauses from different
//! schools that truly correspond, judged by reading them.
//!
//! Recall: the share of gold pairs linked (in either direction). Precision: among links
//! between clauses that both appear in the gold set, the share that are gold pairs — the
//! judged pool, since a link to an unjudged clause may be right or wrong. Holy Cross's
//! Appendix 1 copies count as the section 6 clauses they repeat.

use std::collections::{BTreeMap, BTreeSet};

/// Floors: the levels reached when the test was written, rounded down a little.
const MIN_RECALL: f64 = 0.54;
const MIN_PRECISION: f64 = 0.47;

#[derive(serde::Deserialize)]
struct Gold {
    pair: Vec<Pair>,
}

#[derive(serde::Deserialize)]
struct Pair {
    a: String,
    b: String,
}

#[test]
fn counterparts_are_found_and_wrong_links_are_rare() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold: Gold =
        toml::from_str(&std::fs::read_to_string(root.join("tests/fixtures/crosslinks.toml")).unwrap())
            .unwrap();
    assert!(gold.pair.len() >= 40);
    let policykb::build::Loaded { site, index, .. } =
        policykb::build::analyse_site(&policykb::BuildOptions::new(root)).expect("the site loads");
    // A verbatim repeat stands for the first clause with its text.
    let mut canonical: BTreeMap<String, String> = BTreeMap::new();
    for doc in &index.docs {
        let first = doc.clauses[0].to_string();
        for c in &doc.clauses {
            canonical.insert(c.to_string(), first.clone());
        }
    }
    let key = |k: &str| canonical.get(k).cloned().unwrap_or_else(|| panic!("unknown clause {k}"));
    let gold_pairs: BTreeSet<(String, String)> = gold
        .pair
        .iter()
        .map(|p| {
            let (a, b) = (key(&p.a), key(&p.b));
            if a < b { (a, b) } else { (b, a) }
        })
        .collect();
    let judged: BTreeSet<&String> = gold_pairs.iter().flat_map(|(a, b)| [a, b]).collect();

    let mut links: BTreeSet<(String, String)> = BTreeSet::new();
    for policy in &site.policies {
        for clause in &policy.clauses {
            let from = key(&format!("{}#{}", policy.slug, clause.id));
            for other in &clause.related {
                assert_ne!(other.policy, policy.slug, "a clause links to its own policy");
                let to = key(&other.to_string());
                links.insert(if from < to { (from.clone(), to) } else { (to, from.clone()) });
            }
        }
    }
    let found = gold_pairs.iter().filter(|p| links.contains(*p)).count();
    let pool: Vec<&(String, String)> =
        links.iter().filter(|(a, b)| judged.contains(a) && judged.contains(b)).collect();
    let correct = pool.iter().filter(|p| gold_pairs.contains(**p)).count();
    let recall = found as f64 / gold_pairs.len() as f64;
    let precision = correct as f64 / pool.len().max(1) as f64;
    println!(
        "links: {} in all; gold pairs found {found}/{} (recall {:.1}%); judged pool {} links, {correct} gold (precision {:.1}%)",
        links.len(),
        gold_pairs.len(),
        recall * 100.0,
        pool.len(),
        precision * 100.0
    );
    for (a, b) in gold_pairs.iter().filter(|p| !links.contains(*p)).take(15) {
        println!("  missed: {a} ~ {b}");
    }
    assert!(recall >= MIN_RECALL, "recall {recall:.3} fell below {MIN_RECALL}");
    assert!(precision >= MIN_PRECISION, "precision {precision:.3} fell below {MIN_PRECISION}");
}

//! Counterpart ("Other schools") links measured on the real site.
//!
//! - Recall on `tests/fixtures/counterparts-heldout.toml`: pairs of clauses from different
//!   schools that answer the same staff question, written by reading the policies before the
//!   linking was tuned and never tuned on. A pair is found when either clause links to the
//!   other. The links per clause are bounded.
//! - Recall on `tests/fixtures/crosslinks.toml`, the pairs the linking was tuned on.
//! - Precision on `tests/fixtures/counterparts-judged.toml`: a blind random sample of 100
//!   links, each judged right or wrong by reading the two clauses. The precision is recomputed
//!   over the judged links the site still produces, and most of them must still be produced,
//!   so the linking cannot pass by dropping links.
//!
//! Holy Cross's Appendix 1 copies count as the section 6 clauses they repeat (one search
//! document names both places).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Floors: the levels reached, rounded down a little.
const MIN_HELDOUT_RECALL: f64 = 0.84;
const MIN_TUNING_RECALL: f64 = 0.78;
const MIN_JUDGED_PRECISION: f64 = 0.78;
/// Share of the judged links that must still be produced.
const MIN_JUDGED_KEPT: f64 = 0.9;
/// Most links one clause may show.
const MAX_LINKS_PER_CLAUSE: usize = 5;

#[derive(serde::Deserialize)]
struct Gold {
    pair: Vec<Pair>,
}

#[derive(serde::Deserialize)]
struct Judged {
    link: Vec<Judgement>,
}

#[derive(serde::Deserialize)]
struct Judgement {
    a: String,
    b: String,
    right: bool,
}

#[derive(serde::Deserialize)]
struct Pair {
    a: String,
    b: String,
}

/// Every link on the real site, as an unordered pair of canonical clause ids, and how many
/// each clause shows.
struct Links {
    canonical: BTreeMap<String, String>,
    pairs: BTreeSet<(String, String)>,
    /// Links shown by each clause that has a topic.
    per_topical_clause: Vec<usize>,
    most: usize,
}

impl Links {
    fn key(&self, clause: &str) -> String {
        self.canonical.get(clause).cloned().unwrap_or_else(|| panic!("unknown clause {clause}"))
    }

    fn pair(&self, a: &str, b: &str) -> (String, String) {
        let (a, b) = (self.key(a), self.key(b));
        if a < b { (a, b) } else { (b, a) }
    }
}

fn links() -> &'static Links {
    static LINKS: OnceLock<Links> = OnceLock::new();
    LINKS.get_or_init(|| {
        let root = crate::common::repo_root();
        let policykb::build::Loaded { site, index, .. } =
            policykb::build::analyse_site(&policykb::BuildOptions::new(&root)).expect("the site loads");
        let mut canonical = BTreeMap::new();
        for doc in &index.docs {
            let first = doc.clauses[0].to_string();
            for c in &doc.clauses {
                canonical.insert(c.to_string(), first.clone());
            }
        }
        let mut links = Links { canonical, pairs: BTreeSet::new(), per_topical_clause: Vec::new(), most: 0 };
        for policy in &site.policies {
            for clause in &policy.clauses {
                let from = format!("{}#{}", policy.slug, clause.id);
                for other in &clause.related {
                    assert_ne!(other.policy, policy.slug, "{from} links to its own policy");
                    let pair = links.pair(&from, &other.to_string());
                    links.pairs.insert(pair);
                }
                links.most = links.most.max(clause.related.len());
                if !clause.topics.is_empty() {
                    links.per_topical_clause.push(clause.related.len());
                }
            }
        }
        links
    })
}

/// The share of a gold file's pairs that are linked, printing the ones missed.
fn recall(fixture: &str) -> f64 {
    let path = crate::common::repo_root().join("tests/fixtures").join(fixture);
    let gold: Gold = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let links = links();
    let pairs: BTreeSet<(String, String)> = gold.pair.iter().map(|p| links.pair(&p.a, &p.b)).collect();
    assert!(pairs.len() >= 60, "{fixture} holds {} distinct pairs", pairs.len());
    let missed: Vec<&(String, String)> = pairs.iter().filter(|p| !links.pairs.contains(*p)).collect();
    let recall = 1.0 - missed.len() as f64 / pairs.len() as f64;
    println!(
        "{fixture}: {} of {} pairs linked (recall {:.1}%)",
        pairs.len() - missed.len(),
        pairs.len(),
        recall * 100.0
    );
    for (a, b) in missed {
        println!("  missed: {a} ~ {b}");
    }
    recall
}

#[test]
fn held_out_counterparts_are_found_with_few_links_per_clause() {
    let links = links();
    let recall = recall("counterparts-heldout.toml");
    let shown = &links.per_topical_clause;
    let mean = shown.iter().sum::<usize>() as f64 / shown.len().max(1) as f64;
    println!(
        "{} links in all; {mean:.2} links per clause with a topic ({} such clauses), at most {}",
        links.pairs.len(),
        shown.len(),
        links.most
    );
    assert!(recall >= MIN_HELDOUT_RECALL, "held-out recall {recall:.3} fell below {MIN_HELDOUT_RECALL}");
    assert!(links.most <= MAX_LINKS_PER_CLAUSE, "a clause shows {} links", links.most);
}

#[test]
fn tuning_pairs_are_still_found() {
    let recall = recall("crosslinks.toml");
    assert!(recall >= MIN_TUNING_RECALL, "recall {recall:.3} fell below {MIN_TUNING_RECALL}");
}

#[test]
fn judged_links_are_mostly_right() {
    let path = crate::common::repo_root().join("tests/fixtures/counterparts-judged.toml");
    let judged: Judged = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(judged.link.len(), 100);
    let links = links();
    let produced: Vec<&Judgement> =
        judged.link.iter().filter(|j| links.pairs.contains(&links.pair(&j.a, &j.b))).collect();
    let right = produced.iter().filter(|j| j.right).count();
    let kept = produced.len() as f64 / judged.link.len() as f64;
    let precision = right as f64 / produced.len().max(1) as f64;
    println!(
        "judged links: {} of {} still produced, {right} of them right (precision {:.1}%)",
        produced.len(),
        judged.link.len(),
        precision * 100.0
    );
    assert!(kept >= MIN_JUDGED_KEPT, "only {kept:.2} of the judged links are still produced");
    assert!(
        precision >= MIN_JUDGED_PRECISION,
        "judged precision {precision:.3} fell below {MIN_JUDGED_PRECISION}"
    );
}

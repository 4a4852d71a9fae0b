//! Automatic topic assignment, measured against the editors' curated assignments
//! (`content/topics/<slug>.toml`, made by reading every clause): the site is loaded once as it
//! is and once without the curated files, and the automatic topics are scored against the
//! curated ones. Fails below the level reached when the threshold was set.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

const MIN_PRECISION: f64 = 0.60;
const MIN_RECALL: f64 = 0.57;

fn topics_by_clause(root: &std::path::Path) -> BTreeMap<String, BTreeSet<String>> {
    let loaded = policykb::build::analyse_site(&policykb::BuildOptions::new(root)).expect("the site loads");
    let mut out = BTreeMap::new();
    for policy in &loaded.site.policies {
        for clause in &policy.clauses {
            out.insert(format!("{}#{}", policy.slug, clause.id), clause.topics.iter().cloned().collect());
        }
    }
    out
}

#[test]
fn automatic_topics_agree_with_the_curated_ones() {
    let root = common::repo_root();
    let curated = topics_by_clause(&root);
    let dir = common::tempdir();
    std::fs::copy(root.join("site.toml"), dir.path().join("site.toml")).unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    for entry in std::fs::read_dir(root.join("content")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.path().join("content").join(entry.file_name())).unwrap();
        }
    }
    let automatic = topics_by_clause(dir.path());
    assert_eq!(curated.len(), automatic.len());
    let (mut hits, mut extra, mut missed) = (0usize, 0usize, 0usize);
    for (clause, wanted) in &curated {
        let given = &automatic[clause];
        hits += given.intersection(wanted).count();
        extra += given.difference(wanted).count();
        missed += wanted.difference(given).count();
    }
    let precision = hits as f64 / (hits + extra).max(1) as f64;
    let recall = hits as f64 / (hits + missed).max(1) as f64;
    println!(
        "automatic topics vs curated: {hits} agreed, {extra} extra, {missed} missed; precision {:.1}%, recall {:.1}%",
        precision * 100.0,
        recall * 100.0
    );
    assert!(precision >= MIN_PRECISION, "precision {precision:.3} fell below {MIN_PRECISION}");
    assert!(recall >= MIN_RECALL, "recall {recall:.3} fell below {MIN_RECALL}");
}

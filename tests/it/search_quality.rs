//! Search quality on the real five-school content, measured against the graded questions in
//! `tests/fixtures/search-questions.toml` (judged by reading every clause, not by searching).
//!
//! Reports mean nDCG@10 and the share of schools with an answer that appear in the top 10, and
//! fails if either falls below the level the engine has reached.

use crate::common;

use policykb::search::SearchOptions;
use std::collections::{BTreeMap, BTreeSet};

/// Floors: the levels reached when the test was written, rounded down a little.
const MIN_NDCG_AT_10: f64 = 0.47;
const MIN_SCHOOLS_COVERED: f64 = 0.59;

fn dcg(grades: impl IntoIterator<Item = u32>) -> f64 {
    grades.into_iter().enumerate().map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2()).sum()
}

#[test]
fn staff_questions_find_their_answers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let questions = common::search_questions();
    assert!(questions.len() >= 30, "need at least 30 graded questions");
    let policykb::build::Loaded { index, .. } =
        policykb::build::analyse_site(&policykb::BuildOptions::new(root)).expect("the site loads");
    // Every clause key of a search document, so a judged clause maps to its document.
    let doc_keys: Vec<Vec<String>> =
        index.docs.iter().map(|d| d.clauses.iter().map(ToString::to_string).collect()).collect();
    let doc_of: BTreeMap<&str, usize> =
        doc_keys.iter().enumerate().flat_map(|(d, keys)| keys.iter().map(move |k| (k.as_str(), d))).collect();

    let (mut ndcg_sum, mut covered_sum) = (0.0, 0.0);
    let mut report = Vec::new();
    for q in &questions {
        for key in q.relevant.keys() {
            assert!(doc_of.contains_key(key.as_str()), "{:?} judges unknown clause {key}", q.query);
        }
        // A document's grade is the best grade of the clauses it stands for.
        let mut grade_of_doc: BTreeMap<usize, u32> = BTreeMap::new();
        for (key, &grade) in &q.relevant {
            let best = grade_of_doc.entry(doc_of[key.as_str()]).or_default();
            *best = (*best).max(grade);
        }
        let hits = index.search(&q.query, &SearchOptions { limit: 10, ..Default::default() }).unwrap();
        let grades: Vec<u32> = hits.iter().map(|h| grade_of_doc.get(&h.doc).copied().unwrap_or(0)).collect();
        let mut ideal: Vec<u32> = grade_of_doc.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        ideal.truncate(10);
        let ndcg = dcg(grades.iter().copied()) / dcg(ideal);
        let school_of = |d: usize| index.docs[d].policy;
        let answering: BTreeSet<usize> = grade_of_doc.keys().map(|&d| school_of(d)).collect();
        let found: BTreeSet<usize> =
            hits.iter().filter(|h| grade_of_doc.contains_key(&h.doc)).map(|h| school_of(h.doc)).collect();
        let covered = found.len() as f64 / answering.len() as f64;
        ndcg_sum += ndcg;
        covered_sum += covered;
        report.push(format!("{ndcg:.2} {}/{} {:?}", found.len(), answering.len(), q.query));
    }
    let n = questions.len() as f64;
    let (ndcg, covered) = (ndcg_sum / n, covered_sum / n);
    report.sort();
    println!("{}", report.join("\n"));
    println!("mean nDCG@10 = {ndcg:.3}, schools covered in the top 10 = {:.1}%", covered * 100.0);
    assert!(ndcg >= MIN_NDCG_AT_10, "mean nDCG@10 {ndcg:.3} fell below {MIN_NDCG_AT_10}");
    assert!(covered >= MIN_SCHOOLS_COVERED, "schools covered {covered:.3} fell below {MIN_SCHOOLS_COVERED}");
}

/// The headline question: every school's clause on contact with parents is in the top 10.
#[test]
fn can_i_friend_a_parent_finds_every_schools_parent_contact_clause() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policykb"))
        .args(["search", "--json", "--limit", "10", "--root"])
        .arg(root)
        .arg("can I friend a parent")
        .output()
        .unwrap();
    assert!(output.status.success());
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<String> = hits
        .iter()
        .map(|h| format!("{}#{}", h["policy"].as_str().unwrap(), h["clause"].as_str().unwrap()))
        .collect();
    for expected in [
        "holy-cross#6.11",
        "caldecote#section-4-5",
        "weston-all-saints#union-guidance-5",
        "hunslet-carr#new-for-2016-17-1-c",
        "elthorne-park#general-considerations-3-g",
    ] {
        assert!(found.iter().any(|f| f == expected), "{expected} is not in the top 10: {found:?}");
    }
}

//! The synthetic-trust generator of the scale benchmark (`examples/make_trust.rs`): the same
//! trust every time, and a site that builds, its copies' routes and curated topics pointing at
//! clauses the copies have.

use crate::common;
use std::path::Path;
use std::process::Command;

/// Runs the generator for `n` policies into `out`.
fn make_trust(n: usize, out: &Path) {
    let status = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "make_trust", "--"])
        .arg(n.to_string())
        .arg(out)
        .current_dir(common::repo_root())
        .status()
        .expect("run cargo");
    assert!(status.success(), "make_trust {n} failed");
}

#[test]
fn a_generated_trust_is_deterministic_and_builds() {
    let dir = common::tempdir();
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    make_trust(7, &first);
    make_trust(7, &second);
    common::assert_same_snapshot(&common::snapshot(&first), &common::snapshot(&second), "a second run");

    let content = common::snapshot(&first.join("content"));
    let policies: Vec<&String> = content.keys().filter(|p| p.ends_with(".md")).collect();
    assert_eq!(policies.len(), 7);
    assert!(content.contains_key("topics/caldecote-5.toml"), "copy 5 of Caldecote has curated topics");
    let copy = String::from_utf8_lossy(&content["caldecote-5.md"]).into_owned();
    let original = common::read_to_string(common::repo_root().join("content/caldecote.md"));
    assert!(copy.contains("school = \"Caldecote Primary School (copy 5)\""));
    assert!(copy.lines().count() < original.lines().count(), "the copy drops clauses");

    let out = dir.path().join("out");
    let run = common::build_cli(&first, &out);
    run.assert_success();
    assert!(run.stdout.contains("built 7 policies"), "{}", run.stdout);
    let clauses: Vec<serde_json::Value> =
        serde_json::from_str(&common::read_to_string(out.join("data/clauses.json"))).unwrap();
    let of_copy: Vec<&serde_json::Value> = clauses.iter().filter(|c| c["policy"] == "caldecote-5").collect();
    assert!(!of_copy.is_empty());
    assert!(
        of_copy.iter().all(|c| c["topics_curated"] == true),
        "every clause of the copy keeps its original's curated topics"
    );
}

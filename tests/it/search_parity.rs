//! The browser client ranks exactly like the build-time engine: the same questions through
//! `policykb search --json` and through `search.js` (in node, on the built site's
//! `search-index.js`) give the same top 10, in the same order.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

/// The graded questions plus queries that exercise each part of the plan.
fn queries() -> Vec<String> {
    let mut queries: Vec<String> = common::search_questions().into_iter().map(|q| q.query).collect();
    for extra in [
        "can I friend a parent",
        "can i frend a parnet",
        "porn",
        "pornog",
        "porn ",
        "\"social networking\"",
        "\"parents/carers\" friends",
        "“school equipment”",
        "young person",
        "what should I do",
        "radicalized",
        "e-safety",
        "DSL",
        "2.3.13",
        "Facebook’s terms",
        "ΟΔΟΣ school",
        "prevent duty",
        "confidentiality breach",
    ] {
        queries.push(extra.to_string());
    }
    queries
}

#[test]
fn browser_and_cli_return_the_same_top_ten() {
    let out = common::tempdir();
    let site = out.path().join("site");
    let status = Command::new(common::bin())
        .args(["build", "--root"])
        .arg(common::repo_root())
        .arg("--out")
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    let queries = queries();

    // The CLI, one query at a time, exactly as a person would run it.
    let cli: Vec<Vec<String>> = queries
        .iter()
        .map(|q| {
            let output = Command::new(common::bin())
                .args(["search", "--json", "--limit", "10", "--root"])
                .arg(common::repo_root())
                .arg("--")
                .arg(q)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "search {q:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let hits: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
            hits.iter()
                .map(|h| format!("{}#{}", h["policy"].as_str().unwrap(), h["clause"].as_str().unwrap()))
                .collect()
        })
        .collect();

    // The browser client, all queries in one node process, with the engine built as the page
    // builds it (a slice at a time).
    let assets = site.join("assets");
    let script = format!(
        r#"
        require({stemmer:?}); require({engine:?}); require({index:?});
        PolicyKB.Engine.build(PolicyKB.searchIndex).then(engine => {{
          const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
          const out = queries.map(q => engine.search(q, {{ limit: 10 }}).map(h => {{
            const r = engine.describe(h); return r.policy + '#' + r.clause; }}));
          process.stdout.write(JSON.stringify(out));
        }});
        "#,
        stemmer = assets.join("stemmer.js"),
        engine = assets.join("search.js"),
        index = assets.join("search-index.js"),
    );
    let mut node = Command::new("node")
        .arg("-e")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node is needed for the browser-parity test");
    node.stdin.take().unwrap().write_all(serde_json::to_string(&queries).unwrap().as_bytes()).unwrap();
    let output = node.wait_with_output().unwrap();
    assert!(output.status.success(), "node failed");
    let js: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();

    let mut differences = Vec::new();
    for ((q, a), b) in queries.iter().zip(&cli).zip(&js) {
        if a != b {
            differences.push(format!("{q:?}\n  cli: {a:?}\n  js:  {b:?}"));
        }
    }
    let non_empty = cli.iter().filter(|hits| !hits.is_empty()).count();
    assert!(
        non_empty >= queries.len() - 3,
        "most queries must find something ({non_empty}/{})",
        queries.len()
    );
    assert!(
        differences.is_empty(),
        "{} of {} queries differ:\n{}",
        differences.len(),
        queries.len(),
        differences.join("\n")
    );
}

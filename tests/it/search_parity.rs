//! The browser client ranks exactly like the build-time engine: the same questions through
//! `policykb search --json` and through `search.js` (in node, on the built site's
//! `search-index.js`) give the same topic (and whether it earns a card) and the same top 10, in
//! the same order — staff questions, topic-routed questions and hostile input alike.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

/// The graded questions plus queries that exercise each part of the plan.
fn queries() -> Vec<String> {
    let mut queries: Vec<String> = common::search_questions().into_iter().map(|q| q.query).collect();
    queries.extend(common::staff_questions().into_iter().map(|q| q.query));
    // Hostile input: quoted unknown words, punctuation only, emoji, very long questions.
    queries
        .extend(["\"facebok\"", "\"social medja\"", "?!.,;:()", "📱🙈 👍🏽", "\"\"", "“ ”"].map(String::from));
    queries.push("can I friend a parent ".repeat(20));
    queries.push("what happens if ".repeat(40) + "I break this policy");
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
            let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let topic = match &out["topic"] {
                serde_json::Value::Null => "no topic".to_string(),
                t => format!("topic {} card {}", t["card"]["id"].as_str().unwrap(), t["shows_card"] == true),
            };
            let hits = out["hits"].as_array().unwrap().iter();
            std::iter::once(topic)
                .chain(
                    hits.map(|h| {
                        format!("{}#{}", h["policy"].as_str().unwrap(), h["clause"].as_str().unwrap())
                    }),
                )
                .collect()
        })
        .collect();

    // The browser client, all queries in one node process. (The page builds the same postings
    // a slice at a time with `Engine.create`; the slices call the same `addDocs` and `finish`.)
    let assets = site.join("assets");
    let script = format!(
        r#"
        require({stemmer:?}); require({engine:?}); require({index:?});
        const engine = new PolicyKB.Engine(PolicyKB.searchIndex);
        const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const out = queries.map(q => {{
          const hits = engine.search(q, {{ limit: 10 }}).map(h => {{
            const r = engine.describe(h); return r.policy + '#' + r.clause; }});
          const m = engine.lastRoute;
          const topic = m ? 'topic ' + engine.topics[m.topic].card.id + ' card ' + m.shows_card : 'no topic';
          return [topic].concat(hits);
        }});
        process.stdout.write(JSON.stringify(out));
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
    let non_empty = cli.iter().filter(|hits| hits.len() > 1).count();
    assert!(
        non_empty >= queries.len() - 22,
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

/// Hostile input through the CLI: no failure, quoted unknown words find nothing (rather than
/// everything), a long query is cut and says so, and each answers quickly.
#[test]
fn hostile_input_is_answered_safely() {
    let long = "social media ".repeat(8000);
    for (query, expect_hits) in [
        ("\"facebok\"", Some(false)),
        ("\"social medja\"", Some(false)),
        ("?!.,;:()[]{}", Some(false)),
        ("📱🙈 👍🏽", Some(false)),
        ("\"\" “”", Some(false)),
        (long.as_str(), Some(true)),
    ] {
        let started = std::time::Instant::now();
        let run = common::policykb(
            [
                std::ffi::OsStr::new("search"),
                "--json".as_ref(),
                "--root".as_ref(),
                common::repo_root().as_os_str(),
                "--".as_ref(),
                query.as_ref(),
            ],
            None,
        );
        run.assert_success();
        let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("the CLI prints JSON");
        let hits = out["hits"].as_array().expect("hits");
        if let Some(expect) = expect_hits {
            assert_eq!(!hits.is_empty(), expect, "{:.40}: {} hits", query, hits.len());
        }
        assert_eq!(out["truncated"] == true, query.chars().count() > 256, "{query:.40}");
        // The whole run (load, index, search) stays well inside a few seconds.
        assert!(started.elapsed().as_secs() < 30, "{query:.40} took {:?}", started.elapsed());
    }
}

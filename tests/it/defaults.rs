//! The domain knowledge built into the tool (`defaults/`): a new site made by `policykb init`
//! gets the taxonomy, concerns, search vocabulary, superseded references and glossary without
//! a file of its own; a site's own files override and switch off built-in entries; `check`
//! says which, and the date of the reference list; a broken site file still points at its line.

use crate::common::{self, Run, policykb, read_to_string, repo_root, tempdir, write};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A site made by `policykb init` in a temp dir: (temp dir, site root).
fn init_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let root = dir.path().join("x");
    policykb([OsStr::new("init"), root.as_os_str()], None).assert_success();
    (dir, root)
}

fn build(root: &Path) -> (Run, PathBuf) {
    let out = root.join("public");
    let run = common::build_cli(root, &out);
    (run, out)
}

fn check(root: &Path) -> Run {
    policykb([OsStr::new("check"), OsStr::new("--root"), root.as_os_str()], None)
}

/// `data/topics.json` of a build: the topic records.
fn topics_json(out: &Path) -> Vec<serde_json::Value> {
    let value: serde_json::Value =
        serde_json::from_str(&read_to_string(out.join("data/topics.json"))).expect("topics.json is JSON");
    value.as_array().expect("topics.json is an array").clone()
}

/// The stance of `policy` on `topic` in a topics.json.
fn stance(topics: &[serde_json::Value], topic: &str, policy: &str) -> Option<String> {
    let record = topics.iter().find(|t| t["id"] == topic)?;
    let school = record["schools"].as_array()?.iter().find(|s| s["policy"] == policy)?;
    Some(school["stance"].as_str()?.to_string())
}

/// Topic ids of the built-in taxonomy, in order.
fn built_in_topic_ids() -> Vec<String> {
    let table: toml::Table = toml::from_str(&read_to_string(repo_root().join("defaults/topics.toml")))
        .expect("defaults/topics.toml");
    table["topic"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
}

/// The `checked` date at the top of the built-in reference list.
fn reference_list_date() -> String {
    let list: toml::Table = toml::from_str(&read_to_string(repo_root().join("defaults/references.toml")))
        .expect("references.toml");
    list["checked"].as_str().expect("defaults/references.toml has a `checked` date").to_string()
}

#[test]
fn an_init_site_builds_to_the_full_experience() {
    let (_dir, root) = init_site();
    for file in ["topics.toml", "concerns.toml", "references.toml", "search.toml"] {
        assert!(!root.join("content").join(file).exists(), "init should not need its own {file}");
    }
    let (run, out) = build(&root);
    run.assert_success();
    assert!(run.stderr.trim().is_empty(), "the example site gives warnings:\n{}", run.stderr);

    // The matrix: one row per built-in topic, and the example's stance on contact with pupils.
    let matrix = read_to_string(out.join("compare/index.html"));
    let page = common::parse_html(&matrix);
    let rows: Vec<&str> = page.by_tag("tr").filter_map(|e| e.attr("data-topic")).collect();
    assert_eq!(rows, built_in_topic_ids(), "one matrix row per built-in topic, in order");
    let topics = topics_json(&out);
    assert_eq!(stance(&topics, "contact-pupils", "example-primary").as_deref(), Some("prohibited"));
    assert_eq!(stance(&topics, "contact-parents", "example-primary").as_deref(), Some("caution"));
    assert!(out.join("compare/contact-pupils.html").is_file(), "a page per topic");

    // A route that answers a built-in concern.
    let route = read_to_string(out.join("routes/pupil-contacts-staff.html"));
    assert!(route.contains("A pupil sends a member of staff a friend request"), "{route}");

    // The superseded citation, marked on the page, and the review badge.
    let policy = read_to_string(out.join("policies/example-primary.html"));
    assert!(
        policy.contains("<span class=\"stale\">Keeping Children Safe in Education 2023</span>"),
        "{policy}"
    );
    assert!(policy.contains("review-badge review-overdue"), "the example's review date has passed");
    let reviews = read_to_string(out.join("reviews/index.html"));
    let dated = format!("policykb’s list of superseded guidance (checked {})", reference_list_date());
    assert!(reviews.contains(&dated), "the reviews page dates the list it used:\n{reviews}");
    // A built-in abbreviation, with no glossary entry of the site's own.
    assert!(policy.contains("<abbr title=\"Designated Safeguarding Lead\">DSL</abbr>"), "{policy}");
}

#[test]
fn a_topic_question_finds_the_example_clause() {
    let (_dir, root) = init_site();
    let question =
        "May staff befriend, follow or contact current pupils on social media or other personal channels?";
    let run = policykb(
        [
            OsStr::new("search"),
            OsStr::new("--root"),
            root.as_os_str(),
            OsStr::new("--json"),
            OsStr::new(question),
        ],
        None,
    );
    run.assert_success();
    let hits: serde_json::Value = serde_json::from_str(&run.stdout).expect("search --json prints JSON");
    let first = &hits["hits"].as_array().expect("an array of hits")[0];
    assert_eq!(first["clause"], "2.1", "the built-in topic's question finds clause 2.1:\n{}", run.stdout);
}

#[test]
fn check_prints_the_reference_list_date_and_flags_the_example_citation() {
    let (_dir, root) = init_site();
    let run = check(&root);
    run.assert_success();
    assert!(run.stdout.contains(&format!("checked {}", reference_list_date())), "{}", run.stdout);
    assert!(run.stdout.contains("\"Keeping Children Safe in Education 2023\" →"), "{}", run.stdout);
    // Where the replacement comes from, as the built-in entry records it.
    let provenance = "Keeping Children Safe in Education 2025, in force 1 September 2025 (checked ";
    assert!(run.stdout.contains(provenance), "{}", run.stdout);
    assert!(run.stdout.contains("the site uses them as built in"), "{}", run.stdout);
}

#[test]
fn a_site_file_overrides_and_switches_off_built_in_entries() {
    let (_dir, root) = init_site();
    write(
        root.join("content/topics.toml"),
        r#"[off]
topic = ["scope"]

[[topic]]
id = "contact-parents"
title = "Parents and carers online"
question = "May staff be friends with parents and carers online?"
terms = ["parents", "carers"]

[[topic]]
id = "school-trips"
title = "Photographs on school trips"
question = "May staff post photographs taken on school trips?"
terms = ["school trip"]
"#,
    );
    write(root.join("content/references.toml"), "[off]\nreference = [\"kcsie-edition-after-title\"]\n");
    write(root.join("content/search.toml"), "school_decay = 0.5\n\n[off]\nfiller = [\"policy\"]\n");
    write(
        root.join("content/glossary.toml"),
        "[abbreviations]\nDSL = \"Designated Safeguarding Lead (Mrs Example)\"\n",
    );
    let (run, out) = build(&root);
    run.assert_success();

    let topics = topics_json(&out);
    let ids: Vec<&str> = topics.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert!(!ids.contains(&"scope"), "the switched-off topic is gone: {ids:?}");
    assert_eq!(ids.last(), Some(&"school-trips"), "a new topic follows the built-in ones");
    let parents = ids.iter().position(|id| *id == "contact-parents").unwrap();
    let built_in = built_in_topic_ids();
    let built_in_parents = built_in.iter().position(|id| id == "contact-parents").unwrap();
    assert_eq!(parents + 1, built_in_parents, "the replaced topic keeps its place (one above it is off)");
    assert_eq!(topics[parents]["title"], "Parents and carers online");
    assert!(!out.join("compare/scope.html").exists());
    let policy = read_to_string(out.join("policies/example-primary.html"));
    assert!(!policy.contains("class=\"stale\""), "the switched-off reference flags nothing");
    assert!(
        policy.contains("<abbr title=\"Designated Safeguarding Lead (Mrs Example)\">DSL</abbr>"),
        "{policy}"
    );
    // The example's curated file names a topic that is still there; `school-trips` gets no
    // clause, and a topic of the site's own with no clause is worth a warning.
    assert!(run.stderr.contains("no clause of any policy is on topic `school-trips`"), "{}", run.stderr);
    assert!(!run.stderr.contains("topic `contact-pupils`"), "built-in topics give no such warning");

    let run = check(&root);
    let text = &run.stdout;
    for line in [
        "content/topics.toml:2  switches off topic `scope`",
        "content/topics.toml:5  replaces topic `contact-parents`",
        "content/references.toml:2  switches off reference `kcsie-edition-after-title`",
        "content/search.toml:1  replaces search setting `school_decay`",
        "content/search.toml:4  switches off filler word `policy`",
        "content/glossary.toml:2  replaces abbreviation `DSL`",
    ] {
        assert!(text.contains(line), "check should say `{line}`:\n{text}");
    }
}

#[test]
fn a_site_reference_of_its_own_is_flagged_and_a_wrong_switch_off_is_reported() {
    let (_dir, root) = init_site();
    write(
        root.join("content/references.toml"),
        r#"[[reference]]
id = "old-safeguarding-policy"
cited = "Safeguarding Policy"
pattern = 'Safeguarding Policy'
replacement = "the Child Protection Policy"
since = "2026"

[off]
reference = ["kcsie-edition-after-titel"]
"#,
    );
    let (run, out) = build(&root);
    run.assert_success();
    let policy = read_to_string(out.join("policies/example-primary.html"));
    assert!(policy.contains("<span class=\"stale\">Safeguarding Policy</span>"), "{policy}");
    assert!(
        run.stderr.contains(
            "warning: content/references.toml:9:14: `kcsie-edition-after-titel` is not a built-in reference, so there is nothing to switch off"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `kcsie-edition-after-title`?"), "{}", run.stderr);
}

#[test]
fn a_malformed_site_file_reports_its_file_and_line() {
    let (_dir, root) = init_site();
    write(root.join("content/concerns.toml"), "[[concern]]\nid = \"x\"\ntitle = \"A concern\nsummary = 1\n");
    let (run, out) = build(&root);
    run.assert_failure();
    assert!(run.stderr.contains("error: content/concerns.toml:3:"), "{}", run.stderr);
    assert!(!out.exists(), "a failed build writes nothing");

    write(root.join("content/concerns.toml"), "[off]\nconcerns = [\"sexting\"]\n");
    let (run, _) = build(&root);
    run.assert_failure();
    assert!(
        run.stderr.contains(
            "error: content/concerns.toml:2:1: `[off]` names `concerns`, which is not a list of this file"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `concern`?"), "{}", run.stderr);
}

#[test]
fn the_demo_site_keeps_only_what_is_its_own() {
    for file in ["topics.toml", "concerns.toml", "references.toml", "search.toml", "glossary.toml"] {
        assert!(!repo_root().join("content").join(file).exists(), "content/{file} belongs in defaults/");
        assert!(repo_root().join("defaults").join(file).is_file(), "defaults/{file}");
    }
    let run = policykb(["check", "--root", repo_root().to_str().unwrap()], None);
    run.assert_success();
    assert!(run.stdout.contains("the site uses them as built in"), "{}", run.stdout);
}

#[test]
fn a_site_synonym_group_extends_the_built_in_vocabulary() {
    let (_dir, root) = init_site();
    let search = |query: &str| {
        let run = policykb(
            [
                OsStr::new("search"),
                OsStr::new("--root"),
                root.as_os_str(),
                OsStr::new("--json"),
                OsStr::new(query),
            ],
            None,
        );
        run.assert_success();
        let hits: serde_json::Value = serde_json::from_str(&run.stdout).expect("search --json prints JSON");
        hits["hits"]
            .as_array()
            .expect("an array of hits")
            .iter()
            .map(|h| h["clause"].to_string())
            .collect::<Vec<_>>()
    };
    assert!(search("buddy").is_empty(), "`buddy` is in no policy and no built-in synonym group");
    write(root.join("content/search.toml"), "synonyms = [[\"buddy\", \"friend\"]]\n");
    let hits = search("buddy");
    assert!(hits.contains(&"\"2.1\"".to_string()), "the site's group finds `friends`: {hits:?}");
    // The built-in groups still work beside it: `befriend` is in the built-in `friend` group.
    assert!(search("befriend pupils").contains(&"\"2.1\"".to_string()));
}

#[test]
fn check_says_when_the_reference_list_is_over_a_year_old() {
    let (_dir, root) = init_site();
    let on = |today: &str| {
        let run = policykb(
            [
                OsStr::new("check"),
                OsStr::new("--root"),
                root.as_os_str(),
                OsStr::new("--today"),
                OsStr::new(today),
            ],
            None,
        );
        run.assert_success();
        run.stdout
    };
    let warning = "The list is more than a year old";
    assert!(!on("2026-12-04").contains(warning), "a list checked this year is not old");
    assert!(on("2028-01-15").contains(warning), "{}", on("2028-01-15"));
}

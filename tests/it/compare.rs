//! Cross-links and comparison tables: the topic × school matrix, topic pages, pair pages,
//! data/topics.json, data/compare.csv, the related clauses of data/clauses.json and on the
//! policy pages; bad curated topic files on small fixture sites; and assets/compare.js run
//! under node against the real matrix markup with a fake DOM.

use crate::common;

use common::{
    Run, assert_same_snapshot, build_cli, decode_entities, html_text, parse_html, percent_decode,
    read_to_string, repo_root, resolve, snapshot, write,
};
use policykb::BuildOptions;
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The five schools: slug, name, short name.
const SCHOOLS: [(&str, &str, &str); 5] = [
    ("caldecote", "Caldecote Primary School", "Caldecote"),
    ("elthorne-park", "Elthorne Park High School", "Elthorne Park"),
    ("holy-cross", "Holy Cross Catholic Primary School", "Holy Cross"),
    ("hunslet-carr", "Hunslet Carr Primary School", "Hunslet Carr"),
    ("weston-all-saints", "Weston All Saints C of E Primary School", "Weston All Saints"),
];

const STANCES: [&str; 7] =
    ["prohibited", "needs-permission", "discouraged", "caution", "required", "permitted", "not-covered"];

/// The subjects the issue asks the comparison to cover, by topic id.
const REQUIRED_TOPICS: [&str; 25] = [
    "scope",
    "contact-pupils",
    "contact-former-pupils",
    "contact-parents",
    "family-pupils",
    "personal-contact-details",
    "personal-devices",
    "work-time-use",
    "identifying-school",
    "privacy-settings",
    "passwords",
    "images-pupils",
    "criticising-school",
    "confidentiality",
    "official-accounts",
    "cyberbullying-staff",
    "cyberbullying-pupils",
    "indecent-images",
    "sexting",
    "radicalisation",
    "parents-posts",
    "pupils-use",
    "training",
    "disciplinary",
    "policy-review",
];

// ---------------------------------------------------------------------------------------------
// The real site, built once

struct Real {
    _dir: tempfile::TempDir,
    out: PathBuf,
    clauses: Vec<Value>,
    topics: Vec<Value>,
    /// Element ids of every policy page, by page path.
    ids: HashMap<String, HashSet<String>>,
}

fn real() -> &'static Real {
    static BUILT: OnceLock<Real> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = common::tempdir();
        let out = dir.path().join("public");
        let today = "2026-11-21".parse().expect("a date");
        let options =
            BuildOptions { root: repo_root(), out: Some(out.clone()), base_url: None, today: Some(today) };
        if let Err(failure) = policykb::build(&options) {
            panic!("the real site does not build:\n{failure}");
        }
        let json = |name: &str| -> Vec<Value> {
            match serde_json::from_str(&read_to_string(out.join("data").join(name))) {
                Ok(Value::Array(records)) => records,
                other => panic!("data/{name} is not a JSON array: {other:?}"),
            }
        };
        let ids = SCHOOLS
            .iter()
            .map(|(slug, _, _)| {
                let path = format!("policies/{slug}.html");
                let info = parse_html(&read_to_string(out.join(&path)));
                (path, info.ids().into_iter().map(str::to_string).collect())
            })
            .collect();
        Real { clauses: json("clauses.json"), topics: json("topics.json"), ids, _dir: dir, out }
    })
}

fn page(path: &str) -> String {
    let file = real().out.join(path);
    assert!(file.is_file(), "the build wrote no {path}");
    read_to_string(file)
}

/// The taxonomy of the real site, the built-in one (defaults/topics.toml): (id, title,
/// question), in order.
fn taxonomy() -> Vec<(String, String, String)> {
    let text = read_to_string(repo_root().join("defaults/topics.toml"));
    let table: toml::Table = toml::from_str(&text).expect("defaults/topics.toml is TOML");
    table["topic"]
        .as_array()
        .expect("[[topic]] entries")
        .iter()
        .map(|t| {
            let field =
                |name: &str| t[name].as_str().unwrap_or_else(|| panic!("topic without {name}")).to_string();
            (field("id"), field("title"), field("question"))
        })
        .collect()
}

fn clause_record(id: &str) -> &'static Value {
    real().clauses.iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("clauses.json has no clause {id}"))
}

fn topic_record(id: &str) -> &'static Value {
    real().topics.iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("topics.json has no topic {id}"))
}

fn school_entry<'a>(topic: &'a Value, slug: &str) -> &'a Value {
    topic["schools"]
        .as_array()
        .expect("schools")
        .iter()
        .find(|s| s["policy"] == slug)
        .unwrap_or_else(|| panic!("topic {} has no entry for {slug}", topic["id"]))
}

/// Whether a link from the page at `from` names an existing element: returns the
/// `policies/<slug>.html#<id>` it resolves to, or the problem.
fn clause_target(from: &str, href: &str) -> Result<String, String> {
    let (path, fragment) = href.split_once('#').ok_or_else(|| format!("{href} has no #anchor"))?;
    let target = resolve(from, path).ok_or_else(|| format!("{href} climbs above the site"))?;
    let id = percent_decode(fragment);
    let ids = real().ids.get(&target).ok_or_else(|| format!("{href} → {target} is not a policy page"))?;
    if !ids.contains(&id) {
        return Err(format!("{href}: {target} has no element with id {id}"));
    }
    Ok(format!("{target}#{id}"))
}

/// The page and anchor of a clause's site id (`holy-cross#6.11`).
fn clause_url(site_id: &str) -> String {
    let (slug, id) = site_id.split_once('#').expect("policy#clause");
    format!("policies/{slug}.html#{id}")
}

// ---------------------------------------------------------------------------------------------
// HTML helpers

use common::pieces;

/// Attributes of an opening tag.
fn attrs(tag: &str) -> BTreeMap<String, String> {
    let re = Regex::new(r#"\s([a-zA-Z][a-zA-Z0-9_:-]*)(?:="([^"]*)")?"#).unwrap();
    let tag = tag.trim_start_matches('<');
    let tag = &tag[tag.find(char::is_whitespace).unwrap_or(tag.len())..];
    re.captures_iter(tag)
        .map(|c| (c[1].to_string(), c.get(2).map_or(String::new(), |v| decode_entities(v.as_str()))))
        .collect()
}

fn hrefs(html: &str) -> Vec<String> {
    let re = Regex::new(r#"<a\b[^>]*\shref="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| decode_entities(&c[1])).collect()
}

/// The element `tag` whose class list holds `class`: (opening tag, whole element). Counts
/// nested elements of the same tag to find its end.
fn element_with_class(html: &str, tag: &str, class: &str) -> Option<(String, String)> {
    let open = Regex::new(&format!(r#"<{tag}\b[^>]*\sclass="([^"]*)"[^>]*>"#)).unwrap();
    let m = open.captures_iter(html).find(|c| c[1].split_whitespace().any(|c| c == class))?;
    let start = m.get(0).unwrap().start();
    let any = Regex::new(&format!(r"<(/?){tag}\b[^>]*>")).unwrap();
    let mut depth = 0usize;
    for t in any.captures_iter(&html[start..]) {
        if &t[1] == "/" {
            depth -= 1;
            if depth == 0 {
                let end = start + t.get(0).unwrap().end();
                return Some((m[0].to_string(), html[start..end].to_string()));
            }
        } else {
            depth += 1;
        }
    }
    None
}

/// Normalised text for comparing clause text with a page: whitespace collapsed.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The stance id as the words a reader sees ("needs-permission" → "needs permission").
fn stance_words(stance: &str) -> String {
    stance.replace('-', " ")
}

/// One cell of the matrix.
#[derive(Debug)]
struct MatrixCell {
    attrs: BTreeMap<String, String>,
    html: String,
}

/// One row of the matrix.
#[derive(Debug)]
struct MatrixRow {
    attrs: BTreeMap<String, String>,
    cells: Vec<MatrixCell>,
}

/// compare/index.html's matrix: the schools of the header and the rows.
fn matrix() -> (Vec<BTreeMap<String, String>>, Vec<MatrixRow>) {
    let html = page("compare/index.html");
    let table = html.split("<table").find(|t| t.contains("data-topic=")).expect("a table with topic rows");
    let table = &table[..table.find("</table>").expect("a closed table")];
    let head = &table[..table.find("<tbody").expect("a tbody")];
    let th = Regex::new(r"<th\b[^>]*>").unwrap();
    let headers: Vec<BTreeMap<String, String>> =
        th.find_iter(head).map(|m| attrs(m.as_str())).filter(|a| a.contains_key("data-school")).collect();
    let td = Regex::new(r"(?s)(<td\b[^>]*>)(.*?)</td>").unwrap();
    let tr = Regex::new(r"^<tr\b[^>]*>").unwrap();
    let rows = pieces(&table[table.find("<tbody").unwrap()..], "<tr")
        .into_iter()
        .filter(|r| r.contains("<td"))
        .map(|r| MatrixRow {
            attrs: attrs(tr.find(r).expect("a row tag").as_str()),
            cells: td
                .captures_iter(r)
                .map(|c| MatrixCell { attrs: attrs(&c[1]), html: c[2].to_string() })
                .collect(),
        })
        .collect();
    (headers, rows)
}

// ---------------------------------------------------------------------------------------------
// The matrix

/// On a phone each topic is a card and each cell a row of it, so every cell names its school
/// (`data-label`), the same name in every row and a different one for each school.
#[test]
fn every_matrix_cell_names_its_school_for_the_phone_cards() {
    let (_, rows) = matrix();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for row in &rows {
        for cell in &row.cells {
            let school = cell.attrs.get("data-school").expect("a cell's school").clone();
            let label =
                cell.attrs.get("data-label").unwrap_or_else(|| panic!("a {school} cell has no data-label"));
            assert!(!label.trim().is_empty(), "{school}: an empty label");
            let first = names.entry(school.clone()).or_insert_with(|| label.clone());
            assert_eq!(first, label, "{school} is labelled the same in every row");
        }
    }
    let distinct: BTreeSet<&String> = names.values().collect();
    assert_eq!(distinct.len(), SCHOOLS.len(), "one name per school: {names:?}");
}

#[test]
fn the_matrix_has_a_row_per_topic_and_a_column_per_school() {
    let (headers, rows) = matrix();
    let schools: Vec<&str> = headers.iter().map(|a| a["data-school"].as_str()).collect();
    let expected: Vec<&str> = SCHOOLS.iter().map(|(s, _, _)| *s).collect();
    assert_eq!(schools, expected, "one column per school");
    let topics: Vec<String> =
        rows.iter().map(|r| r.attrs.get("data-topic").cloned().unwrap_or_default()).collect();
    let expected: Vec<String> = taxonomy().into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(topics, expected, "one row per topic of the taxonomy, in its order");
    for row in &rows {
        let cells: Vec<&str> = row.cells.iter().map(|c| c.attrs["data-school"].as_str()).collect();
        assert_eq!(cells, schools, "row {:?}", row.attrs.get("data-topic"));
    }
}

#[test]
fn every_matrix_cell_says_its_stance_in_words_and_links_its_clause() {
    let (_, rows) = matrix();
    let mut problems = Vec::new();
    for row in &rows {
        let topic_id = &row.attrs["data-topic"];
        let topic = topic_record(topic_id);
        for cell in &row.cells {
            let slug = &cell.attrs["data-school"];
            let entry = school_entry(topic, slug);
            let stance = entry["stance"].as_str().unwrap();
            let at = format!("{topic_id} × {slug}");
            if cell.attrs.get("data-stance").map(String::as_str) != Some(stance) {
                problems.push(format!(
                    "{at}: data-stance {:?}, topics.json {stance}",
                    cell.attrs.get("data-stance")
                ));
            }
            match element_with_class(&cell.html, "span", &format!("stance-{stance}")) {
                Some((_, badge)) if html_text(&badge).to_lowercase().contains(&stance_words(stance)) => {}
                other => problems.push(format!("{at}: no badge saying {stance:?} in words: {other:?}")),
            }
            if stance == "not-covered" {
                continue;
            }
            let basis = entry["clause"].as_str().map(clause_url);
            let links: Vec<Result<String, String>> =
                hrefs(&cell.html).iter().map(|h| clause_target("compare/index.html", h)).collect();
            if let Some(Err(e)) = links.iter().find(|l| l.is_err()) {
                problems.push(format!("{at}: broken link {e}"));
            }
            if !links.iter().any(|l| l.as_ref().ok() == basis.as_ref()) {
                problems.push(format!("{at}: no link to the clause the stance rests on ({basis:?})"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn contact_with_parents_is_prohibited_at_two_schools_and_cautious_at_three() {
    let (_, rows) = matrix();
    let row =
        rows.iter().find(|r| r.attrs["data-topic"] == "contact-parents").expect("a contact-parents row");
    for cell in &row.cells {
        let slug = cell.attrs["data-school"].as_str();
        let stance = cell.attrs["data-stance"].as_str();
        let text = html_text(&cell.html).to_lowercase();
        match slug {
            "holy-cross" | "hunslet-carr" => {
                assert_eq!(stance, "prohibited", "{slug}");
                assert!(text.contains("prohibited"), "{slug}: {text}");
            }
            _ => {
                assert!(["caution", "discouraged", "needs-permission"].contains(&stance), "{slug}: {stance}");
                assert!(text.contains(&stance_words(stance)), "{slug}: {text}");
            }
        }
        let targets: Vec<String> =
            hrefs(&cell.html).iter().filter_map(|h| clause_target("compare/index.html", h).ok()).collect();
        assert!(!targets.is_empty(), "{slug}: the stance links no clause");
        for target in targets {
            let (path, id) = target.split_once('#').unwrap();
            let site_id = format!("{}#{id}", path.trim_start_matches("policies/").trim_end_matches(".html"));
            let clause = clause_record(&site_id);
            assert_eq!(clause["policy"], slug, "{slug} links another school's clause {site_id}");
            assert!(
                clause["topics"].as_array().unwrap().iter().any(|t| t == "contact-parents"),
                "{slug}: the linked clause {site_id} is not on contact with parents: {}",
                clause["text"]
            );
        }
    }
}

#[test]
fn the_taxonomy_covers_the_required_subjects() {
    let topics = taxonomy();
    assert!(topics.len() >= 25, "only {} topics", topics.len());
    let ids: Vec<&str> = topics.iter().map(|(id, _, _)| id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "topic ids are unique");
    let missing: Vec<&str> = REQUIRED_TOPICS.iter().copied().filter(|t| !ids.contains(t)).collect();
    assert!(missing.is_empty(), "topics missing from defaults/topics.toml: {missing:?}");
    for (id, title, question) in &topics {
        assert!(!title.trim().is_empty() && question.trim().ends_with('?'), "{id}: {title:?} / {question:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Topic pages and pair pages

#[test]
fn topic_pages_show_the_question_and_every_schools_clauses_in_full() {
    let heading = Regex::new(r"(?s)<h[2-4]\b[^>]*>(.*?)</h[2-4]>").unwrap();
    let mut problems = Vec::new();
    for (id, title, question) in taxonomy() {
        let path = format!("compare/{id}.html");
        let html = page(&path);
        let text = html_text(&html);
        if !text.contains(&words(&question)) {
            problems.push(format!("{path}: no question {question:?}"));
        }
        if !text.contains(&words(&title)) {
            problems.push(format!("{path}: no title {title:?}"));
        }
        let sections = pieces(&html, "<section");
        for (slug, school, _) in SCHOOLS {
            let Some(section) = sections
                .iter()
                .find(|s| heading.captures(s).is_some_and(|h| html_text(&h[1]).contains(school)))
            else {
                problems.push(format!("{path}: no section headed {school}"));
                continue;
            };
            let section_text = html_text(section);
            let on_topic: Vec<&Value> = real()
                .clauses
                .iter()
                .filter(|c| c["policy"] == slug && c["topics"].as_array().unwrap().iter().any(|t| *t == id))
                .collect();
            if on_topic.is_empty() {
                if !section_text.to_lowercase().contains("no clause") {
                    problems
                        .push(format!("{path}: {school} has no clause on the topic and no note saying so"));
                }
                continue;
            }
            for clause in on_topic {
                let clause_text = words(clause["text"].as_str().unwrap());
                if !section_text.contains(&clause_text) {
                    problems
                        .push(format!("{path}: {school}'s clause {} is not shown in full", clause["clause"]));
                }
                let expected = clause_url(clause["id"].as_str().unwrap());
                let linked =
                    hrefs(section).iter().any(|h| clause_target(&path, h).ok().as_ref() == Some(&expected));
                if !linked {
                    problems.push(format!("{path}: no link to {expected}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pair_pages_exist_for_every_pair_of_schools_and_list_every_topic() {
    let compare = real().out.join("compare");
    let pairs: BTreeSet<String> = std::fs::read_dir(&compare)
        .expect("compare/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("--") && n.ends_with(".html"))
        .collect();
    assert_eq!(pairs.len(), 10, "5 schools make 10 pairs: {pairs:?}");
    let topics = taxonomy();
    for (i, (a, _, a_name)) in SCHOOLS.iter().enumerate() {
        for (b, _, b_name) in &SCHOOLS[i + 1..] {
            let names = [format!("{a}--{b}.html"), format!("{b}--{a}.html")];
            let found: Vec<&String> = names.iter().filter(|n| pairs.contains(*n)).collect();
            assert_eq!(found.len(), 1, "exactly one page for {a} and {b}: {pairs:?}");
            let path = format!("compare/{}", found[0]);
            let html = page(&path);
            let text = html_text(&html);
            for short in [a_name, b_name] {
                assert!(text.contains(short), "{path} does not name {short}");
            }
            let linked: BTreeSet<String> =
                hrefs(&html).iter().filter_map(|h| resolve(&path, h.split('#').next().unwrap())).collect();
            for (id, title, _) in &topics {
                assert!(linked.contains(&format!("compare/{id}.html")), "{path} has no row for {id}");
                assert!(text.contains(&words(title)), "{path} does not name the topic {title:?}");
            }
            // Every stance shown rests on a link to an existing clause of that school.
            for href in hrefs(&html).iter().filter(|h| h.contains("policies/")) {
                let target = clause_target(&path, href).unwrap_or_else(|e| panic!("{path}: {e}"));
                assert!(
                    target.starts_with(&format!("policies/{a}.html"))
                        || target.starts_with(&format!("policies/{b}.html")),
                    "{path} links {target}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The data

#[test]
fn topics_json_has_every_topic_and_school_with_stance_and_clause() {
    let ids: Vec<String> = taxonomy().into_iter().map(|(id, _, _)| id).collect();
    let exported: Vec<&str> = real().topics.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(exported, ids);
    let mut problems = Vec::new();
    for topic in &real().topics {
        let schools: Vec<&str> =
            topic["schools"].as_array().unwrap().iter().map(|s| s["policy"].as_str().unwrap()).collect();
        assert_eq!(schools, SCHOOLS.iter().map(|(s, _, _)| *s).collect::<Vec<_>>(), "{}", topic["id"]);
        for entry in topic["schools"].as_array().unwrap() {
            let at = format!("{} × {}", topic["id"], entry["policy"]);
            let stance = entry["stance"].as_str().unwrap_or("");
            if !STANCES.contains(&stance) {
                problems.push(format!("{at}: stance {stance:?}"));
            }
            match entry["clause"].as_str() {
                Some(id) => {
                    let clause = clause_record(id);
                    if clause["policy"] != entry["policy"] {
                        problems.push(format!("{at}: rests on another school's clause {id}"));
                    }
                }
                None if stance == "not-covered" => {}
                None => problems.push(format!("{at}: {stance} rests on no clause")),
            }
            let tagged: Vec<&str> = real()
                .clauses
                .iter()
                .filter(|c| {
                    c["policy"] == entry["policy"] && c["topics"].as_array().unwrap().contains(&topic["id"])
                })
                .map(|c| c["id"].as_str().unwrap())
                .collect();
            let listed: Vec<&str> =
                entry["clauses"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
            if tagged != listed {
                problems.push(format!("{at}: clauses {listed:?}, but clauses.json tags {tagged:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A small RFC 4180 parser: quoted fields may hold commas, quotes ("") and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    assert!(!quoted, "an unclosed quoted field");
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn the_csv_parser_handles_quotes() {
    let rows = parse_csv("a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,\"two\r\nlines\",3\r\n");
    assert_eq!(rows, [vec!["a", "b, c", "say \"hi\""], vec!["1", "two\r\nlines", "3"]]);
}

#[test]
fn compare_csv_has_a_bom_and_a_row_per_topic_and_school_agreeing_with_topics_json() {
    let bytes = std::fs::read(real().out.join("data/compare.csv")).expect("data/compare.csv");
    assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF], "the file starts with the UTF-8 byte-order mark");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    let rows = parse_csv(text);
    let header = &rows[0];
    let column = |name: &str| {
        header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} column: {header:?}"))
    };
    let (topic_col, policy_col, stance_col, url_col) =
        (column("topic"), column("policy"), column("stance"), column("clause_url"));
    let data = &rows[1..];
    assert_eq!(data.len(), real().topics.len() * SCHOOLS.len(), "one row per topic and school");
    let mut seen = BTreeSet::new();
    for row in data {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert!(seen.insert((row[topic_col].clone(), row[policy_col].clone())), "duplicate row {row:?}");
        let entry = school_entry(topic_record(&row[topic_col]), &row[policy_col]);
        let stance = row[stance_col].trim().to_lowercase().replace(' ', "-");
        assert_eq!(stance, entry["stance"].as_str().unwrap(), "{row:?}");
        let url = entry["clause"].as_str().map(clause_url).unwrap_or_default();
        assert_eq!(row[url_col].trim_start_matches('/'), url, "{row:?}");
    }
    // Some field needs quoting (titles and school names with commas or quotes), and parses.
    assert!(text.contains('"') || data.iter().all(|r| r.iter().all(|f| !f.contains(','))));
}

#[test]
fn related_clauses_in_clauses_json_are_sound() {
    let by_id: HashMap<&str, &Value> =
        real().clauses.iter().map(|c| (c["id"].as_str().unwrap(), c)).collect();
    let mut problems = Vec::new();
    let mut linked = 0;
    for clause in &real().clauses {
        let id = clause["id"].as_str().unwrap();
        let (Some(topics), Some(related)) = (clause["topics"].as_array(), clause["related"].as_array())
        else {
            problems.push(format!("{id}: `topics` and `related` must be arrays"));
            continue;
        };
        assert!(topics.iter().all(Value::is_string));
        let mut per_school: BTreeMap<&str, usize> = BTreeMap::new();
        let mut seen = HashSet::new();
        for other in related {
            let other = other.as_str().unwrap_or("");
            linked += 1;
            if !seen.insert(other) {
                problems.push(format!("{id}: {other} listed twice"));
            }
            let Some(target) = by_id.get(other) else {
                problems.push(format!("{id}: related {other} does not exist"));
                continue;
            };
            if other == id {
                problems.push(format!("{id}: related to itself"));
            }
            if target["policy"] == clause["policy"] {
                problems.push(format!("{id}: related to {other} of its own policy"));
            }
            *per_school.entry(target["policy"].as_str().unwrap()).or_default() += 1;
        }
        for (school, n) in per_school {
            if n > 2 {
                problems.push(format!("{id}: {n} related clauses at {school} (at most 2)"));
            }
        }
        if related.len() > 5 {
            problems.push(format!("{id}: {} related clauses (at most 5)", related.len()));
        }
        if !related.is_empty() && topics.is_empty() {
            problems.push(format!("{id}: related clauses but no topic to share"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(linked > 0, "no clause has any related clause");
}

#[test]
fn policy_pages_show_related_clauses_with_links_that_resolve() {
    let details = Regex::new(r#"(?s)<details\b[^>]*class="related"[^>]*>(.*?)</details>"#).unwrap();
    let mut problems = Vec::new();
    for (slug, _, _) in SCHOOLS {
        let path = format!("policies/{slug}.html");
        let html = page(&path);
        let mut shown: Vec<Vec<String>> = Vec::new();
        for block in details.captures_iter(&html) {
            let mut targets = Vec::new();
            for href in hrefs(&block[1]) {
                match clause_target(&path, &href) {
                    Ok(t) => targets.push(t),
                    Err(e) => problems.push(format!("{path}: {e}")),
                }
            }
            shown.push(targets);
        }
        let expected: Vec<Vec<String>> = real()
            .clauses
            .iter()
            .filter(|c| c["policy"] == slug)
            .map(|c| {
                c["related"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| clause_url(r.as_str().unwrap()))
                    .collect::<Vec<_>>()
            })
            .filter(|r| !r.is_empty())
            .collect();
        if shown.len() != expected.len() {
            problems.push(format!(
                "{path}: {} related lists, clauses.json has {}",
                shown.len(),
                expected.len()
            ));
        }
        let mut remaining = shown.clone();
        for list in &expected {
            match remaining.iter().position(|s| s == list) {
                Some(i) => {
                    remaining.remove(i);
                }
                None => problems.push(format!("{path}: no related list linking {list:?}")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn other_schools_lists_are_closed_and_say_which_topic_each_link_shares() {
    let details = Regex::new(r#"(?s)<details\b([^>]*)class="related"([^>]*)>(.*?)</details>"#).unwrap();
    let item = Regex::new(r#"(?s)<li>(.*?)</li>"#).unwrap();
    let topic = Regex::new(r#"<span class="related-topic">Both on: ([^<]*)</span>"#).unwrap();
    let titles: HashMap<String, String> = taxonomy().into_iter().map(|(id, title, _)| (title, id)).collect();
    let mut problems = Vec::new();
    let mut links = 0;
    for (slug, _, _) in SCHOOLS {
        let path = format!("policies/{slug}.html");
        let html = page(&path);
        for block in details.captures_iter(&html) {
            if format!("{}{}", &block[1], &block[2]).contains("open") {
                problems.push(format!("{path}: an Other schools list is open"));
            }
            // The clauses the list may belong to: those of this policy that link to its targets.
            let targets: Vec<String> =
                hrefs(&block[3]).iter().filter_map(|h| clause_target(&path, h).ok()).collect();
            let owners: Vec<&Value> = real()
                .clauses
                .iter()
                .filter(|c| c["policy"] == slug)
                .filter(|c| {
                    let related = c["related"].as_array().unwrap();
                    related.iter().map(|r| clause_url(r.as_str().unwrap())).collect::<Vec<_>>() == targets
                })
                .collect();
            // Several clauses may link to the same targets: the topic must be one of them.
            if owners.is_empty() {
                problems.push(format!("{path}: no clause links to {targets:?}"));
                continue;
            }
            for li in item.captures_iter(&block[3]) {
                links += 1;
                let target = hrefs(&li[1]).first().map(|h| clause_target(&path, h));
                let Some(Ok(target)) = target else {
                    problems.push(format!("{path}: a link that does not resolve"));
                    continue;
                };
                let Some(shown) = topic.captures(&li[1]) else {
                    problems.push(format!("{path}: the link to {target} does not say why"));
                    continue;
                };
                let (page_path, id) = target.split_once('#').unwrap();
                let other_slug = page_path.trim_start_matches("policies/").trim_end_matches(".html");
                let other = clause_record(&format!("{other_slug}#{id}"));
                for title in common::decode_entities(&shown[1]).split("; ") {
                    let on = |c: &Value, id: &str| c["topics"].as_array().unwrap().iter().any(|t| t == id);
                    let shared = titles
                        .get(title)
                        .is_some_and(|id| on(other, id) && owners.iter().any(|own| on(own, id)));
                    if !shared {
                        problems.push(format!(
                            "{path}: the link to {target} names {title:?}, not a topic of both"
                        ));
                    }
                }
            }
        }
    }
    assert!(links > 500, "only {links} links shown");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Curated topic files on a fixture site

const ALPHA_MD: &str = r#"+++
school = "Alpha Primary School"
title = "Social Media Policy"
source = "alpha.txt"
short_name = "Alpha"
+++

## 1. Contact

1.1 Staff must not accept parents as friends on social media.

1.2 Staff should keep their passwords secret and change them often.
"#;

const BETA_MD: &str = r#"+++
school = "Beta Academy"
title = "Online Safety Policy"
source = "beta.txt"
short_name = "Beta"
+++

## 1. Contact

1.1 Staff should be cautious about contact with parents on social media.

## Passwords

Passwords must never be shared with pupils.
"#;

const TOPICS_TOML: &str = r#"[[topic]]
id = "contact-parents"
title = "Contact with parents"
question = "May staff befriend parents on social media?"
terms = ["parents", "friends"]

[[topic]]
id = "passwords"
title = "Passwords"
question = "How must staff keep their passwords?"
terms = ["passwords"]
"#;

const ALPHA_TOPICS: &str = r#"# Settled by reading every clause.
[clauses]
"1.1" = ["contact-parents"]
"1.2" = ["passwords"]

[stance]
contact-parents = { stance = "prohibited", clause = "1.1" }
"#;

const BETA_TOPICS: &str = r#"[clauses]
"1.1" = ["contact-parents"]
passwords-1 = ["passwords"]
"#;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = common::tempdir();
        let root = dir.path().join("site");
        write(
            root.join("site.toml"),
            "title = \"Fixture Site\"\nbase_url = \"https://fixture.example.org/\"\n",
        );
        write(root.join("content/alpha.md"), ALPHA_MD);
        write(root.join("content/beta.md"), BETA_MD);
        write(root.join("content/topics.toml"), TOPICS_TOML);
        write(root.join("content/topics/alpha.toml"), ALPHA_TOPICS);
        write(root.join("content/topics/beta.toml"), BETA_TOPICS);
        let out = dir.path().join("out");
        Fixture { _dir: dir, root, out }
    }

    fn build(&self) -> Run {
        build_cli(&self.root, &self.out)
    }

    /// Builds once, writes `relative` with `contents`, builds again: the second build must
    /// fail and leave the output exactly as it was. Returns the failed run.
    fn rebuild_fails(&self, relative: &str, contents: &str) -> Run {
        self.build().assert_success();
        let before = snapshot(&self.out);
        write(self.root.join(relative), contents);
        let run = self.build();
        run.assert_failure();
        assert_same_snapshot(&before, &snapshot(&self.out), "after a failed build");
        run
    }
}

/// The 1-based line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line contains {needle:?}")) + 1
}

/// Asserts stderr has an error at `file:line` whose message contains every word of `says`.
#[track_caller]
fn assert_error_at(run: &Run, file: &str, line: usize, says: &[&str]) {
    let place = format!("error: {file}:{line}:");
    assert!(
        run.stderr.lines().any(|l| l.starts_with(&place) && says.iter().all(|w| l.contains(w))),
        "expected an error at {file}:{line} saying {says:?}:\n{}",
        run.stderr
    );
}

#[test]
fn curated_topics_and_stances_drive_the_comparison() {
    let f = Fixture::new();
    let run = f.build();
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let topics: Vec<Value> = serde_json::from_str(&read_to_string(f.out.join("data/topics.json"))).unwrap();
    let stance = |topic: &str, slug: &str| -> (String, Option<String>, bool) {
        let t = topics.iter().find(|t| t["id"] == topic).unwrap();
        let e = t["schools"].as_array().unwrap().iter().find(|s| s["policy"] == slug).unwrap();
        (e["stance"].as_str().unwrap().into(), e["clause"].as_str().map(Into::into), e["curated"] == true)
    };
    assert_eq!(stance("contact-parents", "alpha"), ("prohibited".into(), Some("alpha#1.1".into()), true));
    assert_eq!(stance("contact-parents", "beta"), ("caution".into(), Some("beta#1.1".into()), false));
    assert_eq!(stance("passwords", "alpha"), ("required".into(), Some("alpha#1.2".into()), false));
    assert_eq!(stance("passwords", "beta"), ("prohibited".into(), Some("beta#passwords-1".into()), false));
    let matrix = read_to_string(f.out.join("compare/index.html"));
    assert!(matrix.contains(r#"href="../policies/beta.html#passwords-1""#), "the matrix links the clause");
    let clauses: Vec<Value> = serde_json::from_str(&read_to_string(f.out.join("data/clauses.json"))).unwrap();
    let alpha_1_1 = clauses.iter().find(|c| c["id"] == "alpha#1.1").unwrap();
    assert_eq!(alpha_1_1["topics"], serde_json::json!(["contact-parents"]));
    assert_eq!(alpha_1_1["topics_curated"], true);
    assert!(
        f.out.join("compare/alpha--beta.html").is_file() || f.out.join("compare/beta--alpha.html").is_file()
    );
}

#[test]
fn an_unknown_clause_in_a_curated_file_is_an_error_at_its_line() {
    let f = Fixture::new();
    let broken = ALPHA_TOPICS
        .replace("\"1.2\" = [\"passwords\"]\n", "\"1.2\" = [\"passwords\"]\n\"9.9\" = [\"passwords\"]\n");
    let run = f.rebuild_fails("content/topics/alpha.toml", &broken);
    assert_error_at(&run, "content/topics/alpha.toml", line_of(&broken, "\"9.9\""), &["9.9"]);
}

#[test]
fn an_unknown_topic_in_a_curated_file_is_an_error_at_its_line() {
    let f = Fixture::new();
    let broken = ALPHA_TOPICS.replace("\"1.2\" = [\"passwords\"]", "\"1.2\" = [\"passwords\", \"pasword\"]");
    let run = f.rebuild_fails("content/topics/alpha.toml", &broken);
    assert_error_at(&run, "content/topics/alpha.toml", line_of(&broken, "\"pasword\""), &["pasword"]);

    let f = Fixture::new();
    let broken = format!("{ALPHA_TOPICS}contact-carers = {{ stance = \"prohibited\", clause = \"1.1\" }}\n");
    let run = f.rebuild_fails("content/topics/alpha.toml", &broken);
    assert_error_at(
        &run,
        "content/topics/alpha.toml",
        line_of(&broken, "contact-carers ="),
        &["contact-carers"],
    );
}

#[test]
fn a_stance_resting_on_a_missing_clause_is_an_error_at_its_line() {
    let f = Fixture::new();
    let broken = format!("{ALPHA_TOPICS}passwords = {{ stance = \"required\", clause = \"7.7\" }}\n");
    let run = f.rebuild_fails("content/topics/alpha.toml", &broken);
    assert_error_at(
        &run,
        "content/topics/alpha.toml",
        line_of(&broken, "passwords = {"),
        &["passwords", "7.7"],
    );

    let f = Fixture::new();
    let broken = format!("{ALPHA_TOPICS}passwords = {{ stance = \"required\" }}\n");
    let run = f.rebuild_fails("content/topics/alpha.toml", &broken);
    assert_error_at(&run, "content/topics/alpha.toml", line_of(&broken, "passwords = {"), &["passwords"]);
}

#[test]
fn a_stance_error_points_at_the_stance_even_when_a_clause_key_starts_with_the_topic_id() {
    // beta's clause `passwords-1` (under the heading "Passwords") is keyed on line 3; the stance
    // on the topic `passwords` is on line 6.
    let f = Fixture::new();
    let broken =
        format!("{BETA_TOPICS}\n[stance]\npasswords = {{ stance = \"prohibited\", clause = \"7.7\" }}\n");
    let run = f.rebuild_fails("content/topics/beta.toml", &broken);
    assert_error_at(
        &run,
        "content/topics/beta.toml",
        line_of(&broken, "passwords = {"),
        &["passwords", "7.7"],
    );
}

#[test]
fn an_unknown_stance_word_is_an_error_at_its_line() {
    let f = Fixture::new();
    let broken = ALPHA_TOPICS.replace("stance = \"prohibited\"", "stance = \"banned\"");
    let run = f.rebuild_fails("content/topics/alpha.toml", &broken);
    assert_error_at(&run, "content/topics/alpha.toml", line_of(&broken, "\"banned\""), &["banned"]);
}

#[test]
fn a_topic_no_clause_is_on_is_a_warning_and_the_build_goes_on() {
    let f = Fixture::new();
    let topics = format!(
        "{TOPICS_TOML}\n[[topic]]\nid = \"zebras\"\ntitle = \"Zebras\"\nquestion = \"May staff keep zebras?\"\nterms = [\"zebra crossing\"]\n"
    );
    write(f.root.join("content/topics.toml"), &topics);
    let run = f.build();
    run.assert_success();
    assert!(
        run.stderr.lines().any(|l| l.starts_with("warning: content/topics.toml") && l.contains("zebras")),
        "expected a warning naming the topic:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    // The topic is still compared: every school "not covered".
    let page = read_to_string(f.out.join("compare/zebras.html"));
    assert_eq!(page.matches("no clause").count(), 2, "both schools say they have no clause on it");
}

// ---------------------------------------------------------------------------------------------
// assets/compare.js under node

const HARNESS: &str = r#"
'use strict';
const [script, specJson] = process.argv.slice(2);
const spec = JSON.parse(specJson);
function camel(name) { return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase()); }
function el(tag, attrs, children) {
  const node = {
    tagName: tag.toUpperCase(), attrs: Object.assign({}, attrs), children: children || [],
    hidden: Object.prototype.hasOwnProperty.call(attrs, 'hidden'), listeners: {}, textContent: '',
    value: attrs.value || '', checked: Object.prototype.hasOwnProperty.call(attrs, 'checked'),
    parent: null,
    get dataset() {
      const d = {};
      for (const k of Object.keys(this.attrs)) if (k.startsWith('data-')) d[camel(k.slice(5))] = this.attrs[k];
      return d;
    },
    getAttribute(n) { return Object.prototype.hasOwnProperty.call(this.attrs, n) ? this.attrs[n] : null; },
    setAttribute(n, v) { this.attrs[n] = String(v); },
    hasAttribute(n) { return Object.prototype.hasOwnProperty.call(this.attrs, n); },
    addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); },
    fire(t) { (this.listeners[t] || []).forEach(f => f({ type: t, target: this })); },
    appendChild(c) {
      if (c.parent) c.parent.children.splice(c.parent.children.indexOf(c), 1);
      c.parent = this; this.children.push(c); return c;
    },
    descendants() { const out = []; for (const c of this.children) { out.push(c, ...c.descendants()); } return out; },
    querySelectorAll(sel) { return this.descendants().filter(n => matches(n, sel)); },
    querySelector(sel) { return this.querySelectorAll(sel)[0] || null; },
  };
  for (const c of node.children) c.parent = node;
  return node;
}
function matches(node, sel) {
  return sel.split(',').some(s => {
    const m = /^([a-z]*)((?:\.[a-z-]+)*)(?:\[([a-z-]+)(?:="([^"]*)")?\])?$/.exec(s.trim());
    if (!m) throw new Error('the fake DOM cannot match ' + s);
    if (m[1] && node.tagName !== m[1].toUpperCase()) return false;
    const classes = (node.attrs.class || '').split(/\s+/);
    if (m[2] && !m[2].split('.').filter(Boolean).every(c => classes.includes(c))) return false;
    if (m[3] && !node.hasAttribute(m[3])) return false;
    if (m[3] && m[4] !== undefined && node.getAttribute(m[3]) !== m[4]) return false;
    return true;
  });
}
const headers = spec.headers.map(a => el('th', a));
const rows = spec.rows.map(r => el('tr', r.attrs, r.cells.map(c => el('td', c))));
const tbody = el('tbody', {}, rows);
Object.defineProperty(tbody, 'rows', { get() { return this.children.filter(c => c.tagName === 'TR'); } });
const table = el('table', { class: 'matrix' }, [el('thead', {}, [el('tr', {}, headers)]), tbody]);
table.tBodies = [tbody];
const boxes = spec.boxes.map(a => el('input', a));
const status = el('p', { role: 'status' });
const stance = el('select', { id: 'pkb-compare-stance' });
const sort = el('select', { id: 'pkb-compare-sort', value: 'taxonomy' });
const controls = el('div', spec.controls, boxes.concat([stance, sort, status]));
const all = [controls, table, ...controls.descendants(), ...table.descendants()];
globalThis.document = {
  readyState: 'complete',
  getElementById(id) { return all.find(n => n.getAttribute('id') === id) || null; },
  querySelector(sel) { return all.find(n => matches(n, sel)) || null; },
  querySelectorAll(sel) { return all.filter(n => matches(n, sel)); },
  addEventListener(t, f) { if (t === 'DOMContentLoaded') f(); },
};
require(script);
function state() {
  return {
    controlsHidden: controls.hidden,
    status: status.textContent,
    order: tbody.rows.map(r => r.getAttribute('data-topic')),
    shown: tbody.rows.filter(r => !r.hidden).map(r => r.getAttribute('data-topic')),
    hiddenCells: table.querySelectorAll('[data-school]').filter(c => c.hidden).map(c => c.getAttribute('data-school')),
  };
}
const states = [state()];
for (const step of spec.steps) {
  if (step.stance !== undefined) { stance.value = step.stance; stance.fire('change'); }
  if (step.sort !== undefined) { sort.value = step.sort; sort.fire('change'); }
  if (step.uncheck !== undefined) { const b = boxes.find(b => b.value === step.uncheck); b.checked = false; b.fire('change'); }
  states.push(state());
}
console.log(JSON.stringify(states));
"#;

/// Runs assets/compare.js under node on a fake DOM made from the real matrix markup, applies
/// `steps` (`{"stance": ..}`, `{"sort": ..}`, `{"uncheck": slug}`) and returns the state before
/// and after each.
fn run_compare_js(steps: Value) -> Vec<Value> {
    let html = page("compare/index.html");
    let controls = Regex::new(r#"<div\b[^>]*\sid="pkb-compare-controls"[^>]*>"#).unwrap();
    let controls = attrs(controls.find(&html).expect("the compare controls").as_str());
    // Shown from the first paint where scripts run (no shift when compare.js arrives), and
    // hidden by the stylesheet where they do not.
    assert!(!controls.contains_key("hidden"), "the controls are in place before the script runs");
    let css = read_to_string(real().out.join("assets/style.css"));
    let no_script = css.split("@media (scripting: none)").nth(1).expect("a rule for pages without scripts");
    assert!(
        no_script[..no_script.find('}').unwrap()].contains(".compare-controls"),
        "without scripts the controls are hidden"
    );
    for id in ["pkb-compare-stance", "pkb-compare-sort"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no #{id}");
    }
    let input = Regex::new(r#"<input\b[^>]*name="school"[^>]*>"#).unwrap();
    let boxes: Vec<BTreeMap<String, String>> = input.find_iter(&html).map(|m| attrs(m.as_str())).collect();
    assert_eq!(boxes.len(), SCHOOLS.len(), "one checkbox per school");
    let (headers, rows) = matrix();
    let spec = serde_json::json!({
        "controls": controls,
        "boxes": boxes,
        "headers": headers,
        "rows": rows.iter().map(|r| serde_json::json!({
            "attrs": r.attrs,
            "cells": r.cells.iter().map(|c| &c.attrs).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "steps": steps,
    });
    let dir = common::tempdir();
    let harness = dir.path().join("harness.js");
    write(&harness, HARNESS);
    let output = Command::new("node")
        .arg(&harness)
        .arg(real().out.join("assets/compare.js"))
        .arg(spec.to_string())
        .output()
        .expect("node must be installed to test assets/compare.js");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "node failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(stdout.trim()).expect("the harness prints JSON")
}

#[test]
fn compare_js_filters_and_reorders_the_real_matrix() {
    let states = run_compare_js(serde_json::json!([
        {"stance": "prohibited"},
        {"uncheck": "holy-cross"},
        {"stance": "", "sort": "gaps"},
        {"sort": "taxonomy"},
    ]));
    let taxonomy: Vec<String> = taxonomy().into_iter().map(|(id, _, _)| id).collect();
    let stances = |topic: &str| -> Vec<(String, String)> {
        topic_record(topic)["schools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["policy"].as_str().unwrap().to_string(), s["stance"].as_str().unwrap().to_string()))
            .collect()
    };
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    };

    // Before any choice: everything shown, in taxonomy order; the controls appear.
    assert_eq!(states[0]["controlsHidden"], false);
    assert_eq!(strings(&states[0]["shown"]), taxonomy);
    assert!(strings(&states[0]["hiddenCells"]).is_empty());
    let total = taxonomy.len();
    assert!(
        states[0]["status"].as_str().unwrap().contains(&format!("{total} of {total}")),
        "{}",
        states[0]["status"]
    );

    // Prohibited somewhere.
    let prohibited: Vec<String> =
        taxonomy.iter().filter(|t| stances(t).iter().any(|(_, s)| s == "prohibited")).cloned().collect();
    assert_eq!(strings(&states[1]["shown"]), prohibited);
    assert!(states[1]["status"].as_str().unwrap().contains(&format!("{} of {total}", prohibited.len())));

    // Prohibited at a school still shown, Holy Cross hidden (its header and its cells).
    let without: Vec<String> = taxonomy
        .iter()
        .filter(|t| stances(t).iter().any(|(p, s)| s == "prohibited" && p != "holy-cross"))
        .cloned()
        .collect();
    assert_eq!(strings(&states[2]["shown"]), without);
    let hidden = strings(&states[2]["hiddenCells"]);
    assert_eq!(hidden.len(), total + 1, "every Holy Cross cell and its header");
    assert!(hidden.iter().all(|s| s == "holy-cross"));

    // Most gaps first (gaps over all five schools), ties in taxonomy order.
    let mut by_gaps: Vec<(usize, usize, String)> = taxonomy
        .iter()
        .enumerate()
        .map(|(i, t)| (stances(t).iter().filter(|(_, s)| s == "not-covered").count(), i, t.clone()))
        .collect();
    by_gaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let by_gaps: Vec<String> = by_gaps.into_iter().map(|(_, _, t)| t).collect();
    assert_eq!(strings(&states[3]["order"]), by_gaps);
    assert_eq!(strings(&states[3]["shown"]).len(), total, "no stance filter: every topic shown");
    assert_eq!(strings(&states[4]["order"]), taxonomy);
}

#[test]
fn compare_js_status_reads_naturally_for_one_school() {
    let states = run_compare_js(serde_json::json!([
        {"uncheck": "caldecote"},
        {"uncheck": "elthorne-park"},
        {"uncheck": "holy-cross"},
        {"uncheck": "hunslet-carr"},
    ]));
    let last = states.last().unwrap()["status"].as_str().unwrap().to_string();
    assert!(last.contains("1 school") && !last.contains("1 schools"), "the live status reads {last:?}");
}

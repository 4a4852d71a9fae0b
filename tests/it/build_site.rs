//! The real five-school site, built once (through the library) into a temp dir and checked
//! end to end: pages, links and anchors, the data export, clause ids, non-policy material,
//! cross-references, abbreviations, the strict-CSP rules and the page skeleton.

use crate::common;

use common::{
    PageInfo, decode_entities, has_scheme, html_text, parse_html_with, percent_decode, read_to_string,
    repo_root, resolve, snapshot,
};
use policykb::{BuildOptions, BuildReport};
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::SCHOOLS;

/// Selectors counted on every page.
const COUNTED: [&str; 6] = [
    "h1",
    "main#pkb-main",
    ".nonpolicy .clause",
    ".nonpolicy [data-clause]",
    ".nonpolicy .permalink",
    ".nonpolicy .clause-number",
];

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    report: BuildReport,
    /// Every `.html` file: path relative to the output → (html, parsed).
    pages: BTreeMap<String, (String, PageInfo)>,
    clauses: Vec<Value>,
    policies: Vec<Value>,
}

fn site() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = common::tempdir();
        let out = dir.path().join("public");
        let options = BuildOptions { root: repo_root(), out: Some(out.clone()), base_url: None, today: None };
        let report = match policykb::build(&options) {
            Ok(report) => report,
            Err(failure) => panic!("the real site does not build:\n{failure}"),
        };
        let mut pages = BTreeMap::new();
        for path in snapshot(&out).into_keys().filter(|p| p.ends_with(".html")) {
            let html = read_to_string(out.join(&path));
            let info = parse_html_with(&html, &COUNTED);
            pages.insert(path, (html, info));
        }
        let json = |name: &str| -> Vec<Value> {
            let text = read_to_string(out.join("data").join(name));
            match serde_json::from_str(&text) {
                Ok(Value::Array(records)) => records,
                other => panic!("data/{name} is not a JSON array: {other:?}"),
            }
        };
        let clauses = json("clauses.json");
        let policies = json("policies.json");
        Built { _dir: dir, out, report, pages, clauses, policies }
    })
}

fn page(path: &str) -> &'static (String, PageInfo) {
    site().pages.get(path).unwrap_or_else(|| panic!("the build wrote no {path}"))
}

fn str_field<'a>(record: &'a Value, field: &str) -> &'a str {
    record[field].as_str().unwrap_or_else(|| panic!("record has no string `{field}`: {record}"))
}

fn clauses_of(slug: &str) -> Vec<&'static Value> {
    site().clauses.iter().filter(|r| r["policy"] == slug).collect()
}

fn clause(slug: &str, id: &str) -> &'static Value {
    site()
        .clauses
        .iter()
        .find(|r| r["policy"] == slug && r["clause"] == id)
        .unwrap_or_else(|| panic!("clauses.json has no clause {slug}#{id}"))
}

/// Every URL-bearing attribute of a page: (tag, attribute, value).
fn urls(info: &PageInfo) -> Vec<(&str, &str, &str)> {
    let mut out = Vec::new();
    for element in &info.elements {
        for attr in ["href", "src", "action", "poster", "data", "formaction"] {
            if let Some(value) = element.attr(attr) {
                out.push((element.tag.as_str(), attr, value));
            }
        }
    }
    out
}

/// Checks that a site-relative URL (from the page at `from`) names an existing file and, if it
/// has a fragment, an element with that id. Returns the problem, if any.
fn check_internal(out: &Path, from: &str, url: &str) -> Option<String> {
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (url, None),
    };
    let path = rest.split('?').next().unwrap_or("");
    // A site-absolute URL is resolved from the root here; `internal_links_are_all_relative`
    // reports it as such.
    let (from, path) = match path.strip_prefix('/') {
        Some(rooted) => ("index.html", rooted),
        None => (from, path),
    };
    let Some(target) = resolve(from, &percent_decode(path)) else {
        return Some(format!("`{url}` leaves the site"));
    };
    if !out.join(&target).is_file() {
        return Some(format!("`{url}` → {target}, which does not exist"));
    }
    let fragment = fragment.map(percent_decode)?;
    if fragment.is_empty() {
        return None;
    }
    if !target.ends_with(".html") {
        return Some(format!("`{url}` has a fragment but {target} is not a page"));
    }
    match site().pages.get(&target) {
        Some((_, info)) if info.has_id(&fragment) => None,
        Some(_) => Some(format!("`{url}`: {target} has no element with id `{fragment}`")),
        None => Some(format!("`{url}`: {target} was not parsed")),
    }
}

// ---------------------------------------------------------------------------------------------
// Pages

#[test]
fn every_expected_page_exists() {
    let out = &site().out;
    let mut expected: Vec<String> = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "data/policies.json",
        "data/clauses.json",
        "data/datapackage.json",
        "assets/brand.css",
        ".policykb-output",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    expected.extend(SCHOOLS.iter().map(|(slug, _)| format!("policies/{slug}.html")));
    expected.extend(common::content_files().into_iter().map(|(slug, _)| format!("policies/{slug}.html")));
    let missing: Vec<&String> = expected.iter().filter(|p| !out.join(p).is_file()).collect();
    assert!(missing.is_empty(), "the build did not write {missing:?}");
}

#[test]
fn the_real_site_builds_without_warnings() {
    let warnings: Vec<String> = site().report.warnings.iter().map(|d| d.to_string()).collect();
    assert!(warnings.is_empty(), "the real content gives warnings:\n{}", warnings.join("\n"));
    assert_eq!(site().report.policies, common::content_files().len());
    assert_eq!(site().report.clauses, site().clauses.len());
}

#[test]
fn every_page_has_lang_title_one_h1_skip_link_and_main() {
    let mut problems = Vec::new();
    for (path, (html_text, info)) in &site().pages {
        let html = info.by_tag("html").next();
        match html.and_then(|h| h.attr("lang")) {
            Some(lang) if !lang.trim().is_empty() => {}
            _ => problems.push(format!("{path}: <html> has no lang")),
        }
        // SVG charts have <title>s of their own; the page's is the one in <head>.
        let head = html_text.split("</head>").next().unwrap_or("");
        if head.matches("<title>").count() != 1 || info.title.trim().is_empty() {
            problems.push(format!("{path}: needs exactly one non-empty <title>"));
        }
        if info.count("h1") != 1 {
            problems.push(format!("{path}: has {} <h1> elements, not one", info.count("h1")));
        }
        let skip = info.by_tag("a").next().filter(|a| a.attr("href") == Some("#pkb-main"));
        if skip.is_none() {
            problems.push(format!("{path}: the first link is not a skip link to #pkb-main"));
        }
        if info.count("main#pkb-main") != 1 || info.by_tag("main").count() != 1 {
            problems.push(format!("{path}: needs exactly one <main id=\"pkb-main\">"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_are_unique_on_every_page() {
    let mut problems = Vec::new();
    for (path, (_, info)) in &site().pages {
        let mut seen = HashSet::new();
        for id in info.ids() {
            if !seen.insert(id) {
                problems.push(format!("{path}: id `{id}` is used twice"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Links

#[test]
fn no_internal_link_or_anchor_is_broken() {
    let out = &site().out;
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, (_, info)) in &site().pages {
        for (tag, attr, url) in urls(info) {
            if has_scheme(url) || url.starts_with("//") {
                continue;
            }
            checked += 1;
            if let Some(problem) = check_internal(out, path, url) {
                problems.push(format!("{path}: <{tag} {attr}>: {problem}"));
            }
        }
    }
    assert!(checked > 500, "only {checked} internal links were found");
    assert!(problems.is_empty(), "{} broken internal links:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn internal_links_are_all_relative() {
    let mut problems = Vec::new();
    for (path, (_, info)) in &site().pages {
        for (tag, attr, url) in urls(info) {
            if url.starts_with('/') {
                problems.push(format!("{path}: <{tag} {attr}=\"{url}\"> is not relative"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn external_links_have_rel_noopener() {
    let mut problems = Vec::new();
    let mut external = 0;
    for (path, (_, info)) in &site().pages {
        for a in info.by_tag("a").chain(info.by_tag("area")) {
            let href = a.attr("href").unwrap_or_default().to_ascii_lowercase();
            // The 404 page links to the site's own pages by the site's address; those stay in.
            let own = href.starts_with("https://policykb.example.org/");
            if !own && (href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//"))
            {
                external += 1;
                let rel = a.attr("rel").unwrap_or_default();
                if !rel.split_whitespace().any(|r| r.eq_ignore_ascii_case("noopener")) {
                    problems.push(format!("{path}: <a href=\"{href}\"> has rel=\"{rel}\""));
                }
            }
        }
    }
    assert!(external > 0, "no external links found at all");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// base.html writes `<link rel="canonical" href="{base_url}{path}">`; the rewrite must keep it
/// a canonical link.
#[test]
fn canonical_links_keep_rel_canonical() {
    let mut problems = Vec::new();
    for path in
        SCHOOLS.iter().map(|(slug, _)| format!("policies/{slug}.html")).chain(["index.html".to_string()])
    {
        let (_, info) = page(&path);
        let expected = format!("https://policykb.example.org/{path}");
        let canonical: Vec<_> = info
            .by_tag("link")
            .filter(|l| l.attr("rel").is_some_and(|r| r.split_whitespace().any(|r| r == "canonical")))
            .collect();
        if canonical.len() != 1 || canonical[0].attr("href") != Some(expected.as_str()) {
            let links: Vec<_> = info.by_tag("link").map(|l| &l.attrs).collect();
            problems.push(format!(
                "{path}: expected one <link rel=\"canonical\" href=\"{expected}\">, found links {links:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sitemap_lists_every_policy_at_the_base_url() {
    let sitemap = read_to_string(site().out.join("sitemap.xml"));
    let loc = Regex::new(r"<loc>([^<]*)</loc>").unwrap();
    let base = "https://policykb.example.org/";
    let mut listed = BTreeSet::new();
    for c in loc.captures_iter(&sitemap) {
        let url = decode_entities(&c[1]);
        let path = url.strip_prefix(base).unwrap_or_else(|| panic!("sitemap URL {url} is not under {base}"));
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        assert!(site().out.join(&file).is_file(), "sitemap lists {url}, but {file} was not built");
        listed.insert(file);
    }
    for (slug, _) in SCHOOLS {
        let file = format!("policies/{slug}.html");
        assert!(listed.contains(&file), "sitemap does not list {file}");
    }
    assert!(listed.contains("index.html"), "sitemap does not list the home page");
    assert!(!listed.contains("404.html"), "the sitemap must not list the 404 page");
}

// ---------------------------------------------------------------------------------------------
// Strict CSP: no inline script or style

#[test]
fn pages_have_no_inline_script_or_style() {
    let mut problems = Vec::new();
    for (path, (_, info)) in &site().pages {
        if !info.script_text.trim().is_empty() {
            problems.push(format!("{path}: inline <script>: {}", info.script_text.trim()));
        }
        for script in info.by_tag("script") {
            if script.attr("src").is_none_or(|s| s.trim().is_empty()) {
                problems.push(format!("{path}: <script> without src"));
            }
        }
        if info.by_tag("style").count() > 0 {
            problems.push(format!("{path}: has a <style> element"));
        }
        for element in &info.elements {
            for (name, value) in &element.attrs {
                if name == "style" {
                    problems.push(format!("{path}: <{} style=\"{value}\">", element.tag));
                }
                if name.starts_with("on") {
                    problems.push(format!("{path}: <{} {name}=\"{value}\">", element.tag));
                }
                if value.trim().to_ascii_lowercase().starts_with("javascript:") {
                    problems.push(format!("{path}: <{} {name}=\"{value}\">", element.tag));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Data export

#[test]
fn clause_records_have_unique_site_ids() {
    let mut seen = HashSet::new();
    let duplicates: Vec<&str> =
        site().clauses.iter().map(|r| str_field(r, "id")).filter(|id| !seen.insert(*id)).collect();
    assert!(site().clauses.len() > 500, "only {} clauses", site().clauses.len());
    assert!(duplicates.is_empty(), "duplicate clause ids: {duplicates:?}");
}

#[test]
fn clause_ids_are_unique_within_each_policy() {
    let mut seen: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut duplicates = Vec::new();
    for r in &site().clauses {
        let (policy, id) = (str_field(r, "policy"), str_field(r, "clause"));
        if !seen.entry(policy).or_default().insert(id) {
            duplicates.push(format!("{policy}: {id}"));
        }
    }
    assert!(duplicates.is_empty(), "{duplicates:?}");
}

#[test]
fn clause_records_are_consistent() {
    let ids: HashSet<&str> = site().clauses.iter().map(|r| str_field(r, "id")).collect();
    let mut problems = Vec::new();
    for r in &site().clauses {
        let (id, policy, clause) = (str_field(r, "id"), str_field(r, "policy"), str_field(r, "clause"));
        if id != format!("{policy}#{clause}") {
            problems.push(format!("{id}: id is not policy#clause"));
        }
        if str_field(r, "url") != format!("policies/{policy}.html#{clause}") {
            problems.push(format!("{id}: url is {}", r["url"]));
        }
        if let Some(parent) = r["parent"].as_str()
            && (!ids.contains(parent) || !parent.starts_with(&format!("{policy}#")))
        {
            problems.push(format!("{id}: parent {parent} is not a clause of {policy}"));
        }
        // An id that looks like a clause number is that clause's number (a pinned id may
        // replace a number, but never the other way round).
        let looks_numbered = clause.split('.').count() > 1
            && clause.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if looks_numbered && r["number"].as_str().map(|n| n.trim_end_matches('.')) != Some(clause) {
            problems.push(format!("{id}: id {clause} but number {}", r["number"]));
        }
        if str_field(r, "text").trim().is_empty() {
            problems.push(format!("{id}: empty text"));
        }
        if !matches!(str_field(r, "kind"), "paragraph" | "list-item" | "table") {
            problems.push(format!("{id}: kind {}", r["kind"]));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_clause_url_resolves_to_an_anchor() {
    let out = &site().out;
    let problems: Vec<String> = site()
        .clauses
        .iter()
        .filter_map(|r| check_internal(out, "index.html", str_field(r, "url")))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn policy_pages_anchor_exactly_their_clauses() {
    for (slug, _) in SCHOOLS {
        let (_, info) = page(&format!("policies/{slug}.html"));
        let on_page: BTreeSet<&str> = info.elements.iter().filter_map(|e| e.attr("data-clause")).collect();
        let exported: BTreeSet<&str> = clauses_of(slug).iter().map(|r| str_field(r, "clause")).collect();
        assert_eq!(on_page, exported, "{slug}: clauses on the page vs in clauses.json");
        for e in info.elements.iter().filter(|e| e.attr("data-clause").is_some()) {
            assert_eq!(e.attr("id"), e.attr("data-clause"), "{slug}: clause element without its id");
        }
    }
}

#[test]
fn numbered_clauses_keep_their_numbers() {
    for (slug, number) in [
        ("holy-cross", "6.11"),
        ("holy-cross", "2.4"),
        ("holy-cross", "16.3"),
        ("holy-cross", "1.1"),
        ("weston-all-saints", "2.3.13"),
        ("weston-all-saints", "1.2.1"),
    ] {
        let record = clause(slug, number);
        let written =
            record["number"].as_str().unwrap_or_else(|| panic!("{slug}#{number} has no number: {record}"));
        assert_eq!(written.trim_end_matches('.'), number, "{slug}#{number}");
        assert!(
            !str_field(record, "text").starts_with(number),
            "{slug}#{number}: the text should not repeat the number"
        );
        // On the page, the number is the clause's permalink.
        let (html, _) = page(&format!("policies/{slug}.html"));
        let permalink = format!(
            "id=\"{number}\"><a class=\"clause-number\" href=\"#{number}\" title=\"Link to clause {number}\">{written}</a>"
        );
        assert!(html.contains(&permalink), "{slug}: no permalink `{permalink}`");
    }
    // Holy Cross writes "1.1." with its trailing dot; the number is kept as written.
    assert_eq!(clause("holy-cross", "1.1")["number"], "1.1.");
}

#[test]
fn list_items_under_a_lead_in_take_its_id_and_a_letter() {
    let items: Vec<&Value> =
        clauses_of("holy-cross").into_iter().filter(|r| r["parent"] == "holy-cross#2.4").collect();
    assert!(items.len() >= 2, "holy-cross 2.4 should introduce a list of definitions");
    for (i, item) in items.iter().enumerate() {
        let letter = (b'a' + i as u8) as char;
        assert_eq!(str_field(item, "clause"), format!("2.4-{letter}"));
        assert_eq!(str_field(item, "kind"), "list-item");
    }
}

#[test]
fn holy_cross_appendix_clauses_have_generated_ids() {
    let appendix: Vec<&Value> = clauses_of("holy-cross")
        .into_iter()
        .filter(|r| r["heading"][0].as_str().is_some_and(|h| h.starts_with("Appendix 1")))
        .collect();
    assert!(
        appendix.len() >= 5,
        "Holy Cross's Appendix 1 (the staff agreement) should have clauses, found {}",
        appendix.len()
    );
    let generated = Regex::new(r"^appendix-1-\d+(?:-[a-z]+)*$").unwrap();
    for r in &appendix {
        let id = str_field(r, "clause");
        assert!(generated.is_match(id), "appendix clause with id `{id}`");
        assert!(r["number"].is_null(), "appendix clause {id} is not numbered");
    }
    assert_eq!(str_field(appendix[0], "clause"), "appendix-1-1");
    let (_, info) = page("policies/holy-cross.html");
    assert!(info.has_id("appendix-1"), "the Appendix 1 heading has no anchor");
    assert!(info.has_id("appendix-1-1"), "the first appendix clause has no anchor");
}

#[test]
fn policies_json_has_the_five_schools_with_dates_as_written() {
    let by_slug: BTreeMap<&str, &Value> = site().policies.iter().map(|p| (str_field(p, "slug"), p)).collect();
    for (slug, school) in SCHOOLS {
        let p = by_slug.get(slug).unwrap_or_else(|| panic!("policies.json has no {slug}"));
        assert_eq!(p["school"], school);
        assert_eq!(p["url"], format!("policies/{slug}.html"));
    }
    let field = |slug: &str, name: &str| by_slug[slug][name].clone();
    assert_eq!(field("holy-cross", "written"), "Spring 2017");
    assert_eq!(field("holy-cross", "reviewed"), serde_json::json!(["Spring 2020", "Spring 2022"]));
    assert_eq!(field("holy-cross", "next_review"), "Spring 2024");
    assert_eq!(field("caldecote", "written"), "March 2021");
    assert_eq!(field("weston-all-saints", "approved"), "July 2021");
    assert_eq!(field("weston-all-saints", "next_review"), "July 2022");
    assert_eq!(field("hunslet-carr", "next_review"), "June 2018");
    assert_eq!(field("elthorne-park", "next_review"), "February 2024");
    // Caldecote gives no next-review date: it is left out, never guessed.
    assert!(field("caldecote", "next_review").is_null());
}

#[test]
fn policy_clause_counts_match_the_clause_export() {
    for p in &site().policies {
        let slug = str_field(p, "slug");
        assert_eq!(p["clause_count"].as_u64(), Some(clauses_of(slug).len() as u64), "{slug}: clause_count");
        assert!(!clauses_of(slug).is_empty(), "{slug} has no clauses");
    }
}

#[test]
fn datapackage_describes_the_exported_files_and_fields() {
    let text = read_to_string(site().out.join("data/datapackage.json"));
    let package: Value = serde_json::from_str(&text).expect("datapackage.json is JSON");
    let resources = package["resources"].as_array().expect("resources");
    // Every file in data/ is described, and the descriptor names only files that exist.
    let described_paths: BTreeSet<&str> = resources.iter().map(|r| str_field(r, "path")).collect();
    let files: BTreeSet<String> = std::fs::read_dir(site().out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "datapackage.json")
        .collect();
    assert_eq!(described_paths, files.iter().map(String::as_str).collect(), "datapackage.json vs data/");
    for resource in resources.iter().filter(|r| str_field(r, "format") == "json") {
        let path = str_field(resource, "path");
        let records: Vec<Value> = serde_json::from_str(&read_to_string(site().out.join("data").join(path)))
            .unwrap_or_else(|e| panic!("data/{path}: {e}"));
        let described: BTreeSet<&str> = resource["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| str_field(f, "name"))
            .collect();
        for record in &records {
            let keys: BTreeSet<&str> =
                record.as_object().expect("records are objects").keys().map(String::as_str).collect();
            assert_eq!(keys, described, "data/{path}: record fields vs datapackage schema");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Non-policy material

/// The lines of each `::: kind` block (other than notes) of a content file, with the kind.
fn fenced_lines(slug: &str) -> Vec<(String, String)> {
    let markdown = read_to_string(repo_root().join("content").join(format!("{slug}.md")));
    let marker = Regex::new(r"^(?:#{1,6}\s+|[-*+]\s+|\s+[-*+]\s+)").unwrap();
    let mut kind: Option<String> = None;
    let mut out = Vec::new();
    for line in common::body(&markdown).lines() {
        if let Some(rest) = line.strip_prefix(":::") {
            kind = (!rest.trim().is_empty()).then(|| rest.trim().to_string());
            continue;
        }
        if let Some(k) = &kind {
            let text = marker.replace(line, "");
            let text = text.trim().trim_end_matches('\\').trim();
            if k != "note" && text.chars().count() >= 8 && !text.contains('|') {
                out.push((k.clone(), text.replace('*', "")));
            }
        }
    }
    out
}

#[test]
fn non_policy_material_is_shown_but_is_not_a_clause() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (slug, _) in SCHOOLS {
        let (html, info) = page(&format!("policies/{slug}.html"));
        let text = html_text(html);
        let clause_texts: HashSet<&str> = clauses_of(slug).iter().map(|r| str_field(r, "text")).collect();
        for (kind, line) in fenced_lines(slug) {
            checked += 1;
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.contains(&line) {
                problems.push(format!("{slug}: {kind} text not on the page: {line}"));
            }
            if clause_texts.contains(line.as_str()) {
                problems.push(format!("{slug}: {kind} text exported as a clause: {line}"));
            }
        }
        for selector in &COUNTED[2..] {
            if info.count(selector) > 0 {
                problems
                    .push(format!("{slug}: {} `{selector}` inside non-policy boxes", info.count(selector)));
            }
        }
    }
    assert!(checked > 50, "only {checked} lines of non-policy material found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hunslet_carr_brochure_is_on_the_page_but_not_in_the_data() {
    let (html, _) = page("policies/hunslet-carr.html");
    assert!(html.contains("STRENGTHS OF OUR SCHOOL"));
    assert!(html.contains("nonpolicy-brochure"), "the brochure is not in a labelled box");
    for r in clauses_of("hunslet-carr") {
        let heading = r["heading"].to_string();
        assert!(
            !heading.contains("STRENGTHS OF OUR SCHOOL") && !heading.contains("The Children"),
            "brochure material exported as clause {}",
            r["id"]
        );
        assert_ne!(str_field(r, "text"), "Are well behaved, calm and polite");
    }
    // Nor in the contents list of the policy.
    let toc = Regex::new(r#"(?s)<nav class="toc".*?</nav>"#).unwrap();
    let toc = toc.find(html).map(|m| m.as_str()).unwrap_or_default();
    assert!(!toc.contains("STRENGTHS"), "brochure heading in the table of contents");
}

#[test]
fn signature_blocks_are_not_clauses() {
    for (slug, line) in [("caldecote", "Chair of Governors: Date:"), ("holy-cross", "Signed: Date:")] {
        let (html, _) = page(&format!("policies/{slug}.html"));
        assert!(html_text(html).contains(line), "{slug}: `{line}` not shown");
        for r in clauses_of(slug) {
            assert!(
                !str_field(r, "text").contains(line),
                "{slug}: signature line `{line}` is in clause {}",
                r["id"]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cross-references and abbreviations

#[test]
fn cross_references_become_links() {
    let (html, _) = page("policies/weston-all-saints.html");
    let link = r##"<a class="xref" href="#1.2.1">paragraph 1.2.1</a>"##;
    let linked = html.matches(link).count();
    let mentioned = html.matches("paragraph 1.2.1").count();
    assert!(linked >= 20, "only {linked} links to paragraph 1.2.1");
    assert_eq!(linked, mentioned, "some mentions of paragraph 1.2.1 are not linked");
    let (html, _) = page("policies/holy-cross.html");
    assert!(
        html.contains(r##"(<a class="xref" href="#appendix-1">Appendix 1</a>)"##),
        "holy-cross: the heading's \"(Appendix 1)\" should link to the appendix"
    );
}

#[test]
fn headings_do_not_link_to_themselves() {
    let heading = Regex::new(r#"(?s)<h([2-6]) id="([^"]+)">(.*?)</h[2-6]>"#).unwrap();
    let mut problems = Vec::new();
    for (path, (html, _)) in &site().pages {
        for c in heading.captures_iter(html) {
            let (id, inner) = (&c[2], &c[3]);
            if inner.contains(&format!("href=\"#{id}\"")) {
                problems.push(format!("{path}: <h{} id=\"{id}\">{inner}</h{}>", &c[1], &c[1]));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} headings contain a cross-reference link to themselves:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn glossary_abbreviations_are_marked_up() {
    let glossary: toml::Table =
        toml::from_str(&read_to_string(repo_root().join("defaults/glossary.toml"))).unwrap();
    let abbreviations = glossary["abbreviations"].as_table().expect("[abbreviations]");
    let mut problems = Vec::new();
    let mut found = 0;
    for (slug, _) in SCHOOLS {
        let (html, _) = page(&format!("policies/{slug}.html"));
        for (abbreviation, expansion) in abbreviations {
            let word = Regex::new(&format!(r"\b{}\b", regex::escape(abbreviation))).unwrap();
            let used = clauses_of(slug).iter().any(|r| word.is_match(str_field(r, "text")));
            if !used {
                continue;
            }
            found += 1;
            let expansion = expansion.as_str().unwrap();
            let markup = format!(
                "<abbr title=\"{}\">{abbreviation}</abbr>",
                expansion
                    .replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            );
            if !html.contains(&markup) {
                problems.push(format!("{slug}: {abbreviation} is used but never marked up as {markup}"));
            }
        }
    }
    assert!(found >= 10, "only {found} (policy, abbreviation) uses found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let (html, _) = page("policies/holy-cross.html");
    assert!(html.contains(r#"<abbr title="Department for Education">DfE</abbr>"#));
}

// ---------------------------------------------------------------------------------------------
// Library and CLI agree

#[test]
fn generate_returns_exactly_the_files_build_writes() {
    let generated = policykb::build::generate(&BuildOptions::new(repo_root()))
        .unwrap_or_else(|f| panic!("generate failed:\n{f}"));
    let written = snapshot(&site().out);
    let mut from_generate: BTreeMap<String, Vec<u8>> =
        generated.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    from_generate.insert(policykb::output::MARKER.to_string(), written[policykb::output::MARKER].clone());
    common::assert_same_snapshot(&written, &from_generate, "generate() vs build()");
}

#[test]
fn cli_build_writes_the_same_site_as_the_library() {
    let dir = common::tempdir();
    let out = dir.path().join("cli-out");
    let run = common::build_cli(&repo_root(), &out);
    run.assert_success();
    assert!(
        run.stdout.contains("built 5 policies")
            || run.stdout.contains(&format!("built {} policies", common::content_files().len())),
        "unexpected summary: {}",
        run.stdout
    );
    common::assert_same_snapshot(&snapshot(&site().out), &snapshot(&out), "CLI build vs library build");
}

// ---------------------------------------------------------------------------------------------
// The clause-id rules of docs/content-format.md, end to end on a fixture

const ID_RULES_MD: &str = r#"+++
school = "Rules Primary School"
title = "Social Media Policy"
source = "rules.txt"
+++

Before any heading.

## 1. Introduction

1.1. Numbered with a trailing dot.

1.2 Staff should:-

- tell the DSL;
- keep records:
  - screenshots
  - dates

2.3.13 A deep number.

Another paragraph, pinned. {#pinned-one}

## Use of images

- first
- second

| Who | When |
| --- | --- |
| DSL | Now |

## Section 3 Contact

See Section 3, paragraph 1.2, paragraph 9.9 and section 29 of the Counter-Terrorism Act.
"#;

#[test]
fn clause_id_rules_hold_end_to_end() {
    let dir = common::tempdir();
    let root = dir.path().join("site");
    common::write(root.join("site.toml"), common::SITE_TOML);
    common::write(root.join("content/rules.md"), ID_RULES_MD);
    let out = dir.path().join("out");
    policykb::build(&BuildOptions {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: None,
        today: None,
    })
    .unwrap_or_else(|f| panic!("{f}"));
    let records: Vec<Value> = serde_json::from_str(&read_to_string(out.join("data/clauses.json"))).unwrap();
    let got: Vec<(String, Option<String>, Option<String>, String)> = records
        .iter()
        .map(|r| {
            (
                str_field(r, "clause").to_string(),
                r["number"].as_str().map(str::to_string),
                r["parent"].as_str().map(str::to_string),
                str_field(r, "kind").to_string(),
            )
        })
        .collect();
    let s = |v: &str| Some(v.to_string());
    let expected = vec![
        ("preamble-1".to_string(), None, None, "paragraph".to_string()),
        ("1.1".into(), s("1.1."), None, "paragraph".into()),
        ("1.2".into(), s("1.2"), None, "paragraph".into()),
        ("1.2-a".into(), None, s("rules#1.2"), "list-item".into()),
        ("1.2-b".into(), None, s("rules#1.2"), "list-item".into()),
        ("1.2-b-a".into(), None, s("rules#1.2-b"), "list-item".into()),
        ("1.2-b-b".into(), None, s("rules#1.2-b"), "list-item".into()),
        ("2.3.13".into(), s("2.3.13"), None, "paragraph".into()),
        ("pinned-one".into(), None, None, "paragraph".into()),
        ("use-of-images-1".into(), None, None, "list-item".into()),
        ("use-of-images-2".into(), None, None, "list-item".into()),
        ("use-of-images-3".into(), None, None, "table".into()),
        ("section-3-1".into(), None, None, "paragraph".into()),
    ];
    assert_eq!(got, expected);
    // The pin and the number are not part of the text.
    let pinned = records.iter().find(|r| r["clause"] == "pinned-one").unwrap();
    assert_eq!(pinned["text"], "Another paragraph, pinned.");
    assert_eq!(records[1]["text"], "Numbered with a trailing dot.");

    let html = read_to_string(out.join("policies/rules.html"));
    assert!(!html.contains("{#pinned-one}"), "the pin is shown on the page");
    for id in ["section-1", "use-of-images", "section-3"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no heading anchor {id}");
    }
    // References to this policy's clauses and sections link; others' do not.
    assert!(html.contains(r##"<a class="xref" href="#1.2">paragraph 1.2</a>"##));
    assert!(!html.contains(r##"href="#9.9""##));
    assert!(!html.contains(r##"href="#section-29""##));
    assert!(html.contains("section 29 of the Counter-Terrorism Act"));
}

// ---------------------------------------------------------------------------------------------
// Phone-first reading: the policy text first, notes after their clause, labels that stand alone

/// The HTML of each element opened by `open` (e.g. `<details class="nonpolicy`) up to its
/// matching `</tag>`, for elements that do not nest in themselves.
fn elements<'a>(html: &'a str, open: &str, tag: &str) -> Vec<&'a str> {
    let close = format!("</{tag}>");
    html.match_indices(open)
        .map(|(start, _)| {
            let end = html[start..].find(&close).expect("the element is closed") + start + close.len();
            &html[start..end]
        })
        .collect()
}

#[test]
fn material_that_is_not_policy_and_routes_in_place_are_closed_disclosures_and_notes_stay_open() {
    let mut kinds = BTreeSet::new();
    for (slug, _) in SCHOOLS {
        let path = format!("policies/{slug}.html");
        let (html, _) = page(&path);
        for block in elements(html, "<details class=\"nonpolicy ", "details") {
            let kind = block.split('"').nth(1).unwrap_or_default().replace("nonpolicy ", "");
            assert!(
                block.starts_with(&format!("<details class=\"nonpolicy {kind}\">")),
                "{path}: an open or odd disclosure {}",
                &block[..80]
            );
            assert!(block.contains("<summary class=\"nonpolicy-label\">"), "{path}: {kind} has no summary");
            assert!(kind != "nonpolicy-note", "{path}: an editor's note is hidden in a disclosure");
            kinds.insert(kind);
        }
        assert!(
            !html.contains("<div class=\"nonpolicy nonpolicy-cover"),
            "{path}: a cover page is not in a disclosure"
        );
        let routes = elements(html, "<details class=\"route-place\">", "details");
        let figures = html.matches("<figure class=\"route\"").count();
        assert_eq!(routes.len(), figures, "{path}: every route in the text is in a closed disclosure");
        for route in routes {
            assert!(
                route.contains("<summary><span class=\"route-label\">Reporting route</span>"),
                "{path}: {route:.200}"
            );
        }
    }
    for kind in ["nonpolicy-cover", "nonpolicy-brochure", "nonpolicy-contents", "nonpolicy-signature"] {
        assert!(kinds.contains(kind), "no {kind} disclosure on any page; seen {kinds:?}");
    }
    let (elthorne, _) = page("policies/elthorne-park.html");
    assert!(
        elthorne.contains("<div class=\"nonpolicy nonpolicy-note\">"),
        "the editor's note is not shown open"
    );
}

#[test]
fn at_a_glance_leads_the_policy_text_with_the_topic_stances_and_their_clauses() {
    let topics: Vec<Value> =
        serde_json::from_str(&read_to_string(site().out.join("data/topics.json"))).unwrap();
    let item =
        Regex::new(r#"<li>([^<]*)(?:<a class="glance-clause" href="([^"]*)">([^<]*)</a>)?</li>"#).unwrap();
    for (slug, _) in SCHOOLS {
        let path = format!("policies/{slug}.html");
        let (html, _) = page(&path);
        let glance = elements(html, "<section class=\"glance\"", "section");
        assert_eq!(glance.len(), 1, "{path}: one At a glance");
        let glance = glance[0];
        let at = html.find(glance).unwrap();
        assert!(at < html.find("data-clause=").unwrap(), "{path}: At a glance comes after the text starts");
        // What the comparison says of this school, topic by topic (not-covered left out).
        let mut expected: BTreeMap<String, (String, String)> = BTreeMap::new();
        for topic in &topics {
            let school = topic["schools"].as_array().unwrap().iter().find(|s| s["policy"] == slug).unwrap();
            if school["stance"] != "not-covered" {
                let clause = school["clause"]
                    .as_str()
                    .map(|c| c.split_once('#').unwrap().1.to_string())
                    .unwrap_or_default();
                expected.insert(
                    str_field(topic, "title").to_string(),
                    (str_field(school, "stance").to_string(), clause),
                );
            }
        }
        // What the glance shows: each topic in its stance's group, with a link to its clause.
        let mut shown: BTreeMap<String, (String, String)> = BTreeMap::new();
        for group in common::pieces(glance, "<span class=\"stance stance-") {
            let stance = group["<span class=\"stance stance-".len()..].split('"').next().unwrap().to_string();
            for c in item.captures_iter(group) {
                let title = decode_entities(c[1].trim());
                let fragment = c
                    .get(2)
                    .map(|href| percent_decode(href.as_str().split_once('#').expect("a clause link").1));
                if let (Some(fragment), Some(label)) = (&fragment, c.get(3)) {
                    let record = clause(slug, fragment);
                    assert_eq!(
                        str_field(record, "label"),
                        decode_entities(label.as_str()),
                        "{path}: the glance's label of {fragment}"
                    );
                }
                shown.insert(title, (stance.clone(), fragment.unwrap_or_default()));
            }
        }
        assert_eq!(shown, expected, "{path}: At a glance against data/topics.json");
        // Restrictions lead; the rest wait in a closed disclosure.
        let more = glance.find("<details class=\"glance-more\">").unwrap_or(glance.len());
        for restriction in ["stance-prohibited", "stance-needs-permission"] {
            assert!(!glance[more..].contains(restriction), "{path}: {restriction} is not in the lead");
        }
    }
}

#[test]
fn superseded_references_are_marked_in_the_sentence_and_noted_after_the_clause() {
    let (html, _) = page("policies/holy-cross.html");
    let clause = elements(html, "<p class=\"clause\" data-clause=\"1.4\"", "p");
    assert_eq!(clause.len(), 1);
    let clause = clause[0];
    assert!(!clause.contains("stale-note"), "a note still interrupts the sentence of 1.4: {clause}");
    let marker = Regex::new(r##"<sup class="note-ref"><a href="#([^"]+)">"##).unwrap();
    let notes: Vec<String> = marker.captures_iter(clause).map(|c| c[1].to_string()).collect();
    assert_eq!(notes, ["1.4-note-1", "1.4-note-2"], "1.4 cites two superseded documents");
    let after = &html[html.find(clause).unwrap() + clause.len()..];
    assert!(after.starts_with("<div class=\"clause-notes\">"), "the notes do not follow 1.4: {:.200}", after);
    let block = &after[..after.find("</div>").unwrap()];
    for id in &notes {
        assert!(block.contains(&format!("id=\"{id}\"")), "no note #{id} after 1.4");
    }
    let text = html_text(block);
    assert!(text.contains("Prevent Duty (June 2015)") && text.contains("Current since 2023"), "{text}");
    // Every superseded citation on every page: a marker leading to a note after its clause.
    for (slug, _) in SCHOOLS {
        let (html, _) = page(&format!("policies/{slug}.html"));
        let markers = html.matches("class=\"note-ref\"").count();
        let flagged = site().policies.iter().find(|p| p["slug"] == slug).unwrap()["stale_references"]
            .as_array()
            .unwrap()
            .len();
        assert!(markers >= flagged, "{slug}: {markers} markers for {flagged} superseded citations");
        assert_eq!(html.matches("class=\"clause-note\"").count(), markers, "{slug}: a note per marker");
        assert!(!html.contains("class=\"note-inline\""), "{slug}: a note left in the running text");
    }
}

#[test]
fn clause_labels_name_their_section_and_ids_stay_as_they_were() {
    let bare = Regex::new(r"^¶ \d").unwrap();
    let qualified =
        Regex::new(r"^(?:§ [\d.]+|Appendix [A-Z0-9]+|Preamble|[^¶§]+) ¶ \d+(?: \([a-z]+\))*$").unwrap();
    for (slug, _) in SCHOOLS {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for record in clauses_of(slug) {
            let (id, label) = (str_field(record, "clause"), str_field(record, "label"));
            assert!(!bare.is_match(label), "{slug}#{id}: the label {label:?} does not name its section");
            if record["number"].is_null() && !record["parent"].is_string() {
                assert!(qualified.is_match(label), "{slug}#{id}: {label:?}");
            }
            if let Some(other) = seen.insert(label, id) {
                panic!("{slug}: {other} and {id} are both labelled {label:?}");
            }
        }
    }
    // The issue's example, and ids unchanged.
    assert_eq!(str_field(clause("hunslet-carr", "section-10-1"), "label"), "§ 10 ¶ 1");
    assert_eq!(str_field(clause("caldecote", "section-3-1-c"), "label"), "§ 3 ¶ 1 (c)");
    assert_eq!(str_field(clause("holy-cross", "appendix-1-17"), "label"), "Appendix 1 ¶ 17");
}

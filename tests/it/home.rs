//! The home page and what every page shares: the home page leads with tasks (search, common
//! questions from the topic taxonomy, "Who do I tell?", "Compare") before the policies; every
//! page has one search box, the page icon, and open data in the footer rather than the menu.

use crate::common;

use common::{Fixture, SCHOOLS, decode_entities, read_to_string, repo_root, resolve, write};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn real_out() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &BUILT.get_or_init(|| common::build_real_site(None)).1
}

fn real_page(path: &str) -> String {
    read_to_string(real_out().join(path))
}

/// The links of `html` as (text, site path of the target), from the page at `page`.
fn links(page: &str, html: &str) -> Vec<(String, String)> {
    let link = Regex::new(r##"<a href="([^"#]*)(?:#[^"]*)?">([^<]*)</a>"##).unwrap();
    link.captures_iter(html)
        .map(|c| {
            let href = decode_entities(&c[1]);
            let target = resolve(page, &href).unwrap_or_else(|| panic!("{page}: {href} is not a site link"));
            (decode_entities(&c[2]), target)
        })
        .collect()
}

/// The home page's common questions: (question, site path of the page answering it).
fn common_questions(home: &str) -> Vec<(String, String)> {
    let Some(list) = home.split("class=\"home-questions\"").nth(1) else { return Vec::new() };
    links("index.html", &list[..list.find("</ul>").expect("a closed list")])
}

#[test]
fn the_home_page_asks_the_taxonomys_questions_in_its_order() {
    let taxonomy: toml::Table = toml::from_str(&read_to_string(repo_root().join("defaults/topics.toml")))
        .expect("topics.toml parses");
    let expected: Vec<(String, String)> = taxonomy["topic"]
        .as_array()
        .expect("[[topic]] entries")
        .iter()
        .filter_map(|t| {
            let ask = t.get("ask")?.as_str()?;
            Some((ask.to_string(), format!("compare/{}.html", t["id"].as_str().expect("an id"))))
        })
        .collect();
    assert!(expected.len() >= 3, "the real taxonomy should offer a few questions, not {}", expected.len());
    let shown = common_questions(&real_page("index.html"));
    assert_eq!(shown, expected, "every topic's `ask`, in taxonomy order, linking to its topic page");
    for (_, target) in &shown {
        assert!(real_out().join(target).is_file(), "{target} does not exist");
    }
}

#[test]
fn a_topic_is_a_common_question_only_when_it_has_an_ask() {
    let f = Fixture::new();
    // The built-in topics that ask a question are switched off, so the site's own decide.
    let built_in: toml::Table = toml::from_str(&read_to_string(repo_root().join("defaults/topics.toml")))
        .expect("topics.toml parses");
    let asking: Vec<String> = built_in["topic"]
        .as_array()
        .expect("[[topic]] entries")
        .iter()
        .filter(|t| t.get("ask").is_some())
        .map(|t| format!("{:?}", t["id"].as_str().expect("an id")))
        .collect();
    let off = format!("[off]\ntopic = [{}]\n\n", asking.join(", "));
    let topics = |ask: &str| {
        off.clone()
            + &format!(
                "[[topic]]\nid = \"passwords\"\ntitle = \"Passwords\"\nquestion = \"How must staff keep their passwords?\"\n{ask}terms = [\"password\"]\n\n[[topic]]\nid = \"phones\"\ntitle = \"Phones\"\nquestion = \"May staff use their phones?\"\nterms = [\"phone\"]\n"
            )
    };
    write(f.path("content/topics.toml"), topics(""));
    f.build_ok();
    let home = read_to_string(f.out.join("index.html"));
    assert!(common_questions(&home).is_empty(), "no topic has an ask, so no common questions");
    assert!(!home.contains("Common questions"), "no empty heading either");

    write(f.path("content/topics.toml"), topics("ask = \"Can I share my password?\"\n"));
    f.build_ok();
    let home = read_to_string(f.out.join("index.html"));
    assert_eq!(
        common_questions(&home),
        [("Can I share my password?".to_string(), "compare/passwords.html".to_string())]
    );
}

#[test]
fn the_home_page_leads_with_search_then_tasks_then_the_schools() {
    let home = real_page("index.html");
    let main = &home[home.find("<main").expect("a main element")..];
    let at =
        |needle: &str| main.find(needle).unwrap_or_else(|| panic!("no {needle} in the home page's main"));
    assert!(at("role=\"search\"") < at("class=\"home-questions\""), "the search box comes first");
    assert!(at("class=\"home-questions\"") < at("class=\"policy-list\""), "tasks before the policies");
    let main_links = links("index.html", main);
    for (text, target) in [("Who do I tell?", "routes/index.html"), ("Compare", "compare/index.html")] {
        assert!(
            main_links.iter().any(|(t, to)| t == text && to == target),
            "a “{text}” link to {target}: {main_links:?}"
        );
    }
    // Each card is titled with its school's name, which links to the policy.
    let cards = common::pieces(&home, "class=\"policy-card\"");
    assert_eq!(cards.len(), SCHOOLS.len());
    for card in cards {
        let (text, target) =
            links("index.html", card).into_iter().next().expect("a card links to its policy");
        let (slug, _) = SCHOOLS.iter().find(|(_, school)| *school == text).unwrap_or_else(|| {
            panic!("a card's link should be a school's name, not {text:?}");
        });
        assert_eq!(target, format!("policies/{slug}.html"));
    }
}

#[test]
fn every_page_has_one_search_box_the_icon_and_open_data_in_the_footer() {
    let mut pages = Vec::new();
    let mut stack = vec![real_out().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the output") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") && !path.ends_with("404.html") {
                pages.push(path.strip_prefix(real_out()).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    assert!(pages.len() > 50, "only {} pages", pages.len());
    let icon = Regex::new(r#"<link rel="icon" href="([^"]+)""#).unwrap();
    for page in &pages {
        let html = real_page(page);
        assert_eq!(html.matches("name=\"q\"").count(), 1, "{page}: one search box, not two");
        let href =
            icon.captures(&html).unwrap_or_else(|| panic!("{page}: no <link rel=\"icon\">"))[1].to_string();
        let target = resolve(page, &href).expect("a site link");
        assert_eq!(target, "assets/favicon.svg", "{page}");
        let nav = html.split("class=\"site-nav\"").nth(1).expect("a main menu");
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert!(!nav.contains("data/"), "{page}: open data is a file, not a menu entry");
        let footer = html.split("class=\"site-footer\"").nth(1).expect("a footer");
        assert!(footer.contains("data/datapackage.json"), "{page}: the footer links the open data");
    }
    // The icon is drawn in the school's colour from site.toml.
    let site: toml::Table = toml::from_str(&read_to_string(repo_root().join("site.toml"))).unwrap();
    let colour = site["branding"]["primary_colour"].as_str().expect("a primary colour");
    let svg = read_to_string(real_out().join("assets/favicon.svg"));
    roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("favicon.svg is not XML: {e}"));
    assert!(svg.contains(&format!("fill=\"{colour}\"")), "{svg}");
}

//! Reporting routes ("who do I tell?"): the ```` ```route ```` blocks of the policies, drawn as
//! flowcharts on the policy pages and side by side on `routes/<concern>.html`, and exported as
//! graphs in `data/routes.json`.
//!
//! The first half checks the real five-school site, built once through the library: the export
//! is a consistent graph, the routes the product owners asked for exist, every inline SVG is
//! well-formed, labelled and linked, the chart and its text list agree, and the concern pages
//! compare the schools honestly (naming the schools with no route, inventing none).
//!
//! The second half breaks small fixture sites one way at a time: every error must fail the
//! build at the right `file:line:col` and leave the previous output as it was; a step without
//! a citation is only a warning.

use crate::common;

use common::{
    Fixture, Run, decode_entities, html_text, parse_html, percent_decode, read_to_string, repo_root, resolve,
    snapshot, write,
};
use policykb::diagnostics::Diagnostic;
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

// =============================================================================================
// The real site

/// The routes the product owners asked for, by policy slug and concern id.
const REQUESTED: [(&str, &[&str]); 5] = [
    (
        "holy-cross",
        &[
            "staff-cyberbullied",
            "radicalisation",
            "indecent-images",
            "inappropriate-content",
            "sexting",
            "complaint",
        ],
    ),
    ("caldecote", &["disclosure-about-adult", "pupil-cyberbullied", "pupil-contacts-staff", "complaint"]),
    (
        "weston-all-saints",
        &[
            "safeguarding-concern",
            "staff-cyberbullied",
            "harmful-posts-about-staff",
            "indecent-images",
            "pupil-contacts-staff",
            "journalist-contact",
        ],
    ),
    ("hunslet-carr", &["staff-cyberbullied", "pupil-contacts-staff"]),
    (
        "elthorne-park",
        &[
            "pupil-cyberbullied",
            "misuse-incident",
            "harmful-posts-about-staff",
            "radicalisation",
            "abuse-allegation-helpline",
        ],
    ),
];

struct Built {
    _dir: tempfile::TempDir,
    /// Every `.html` file, by path relative to the output folder.
    pages: BTreeMap<String, String>,
    /// Element ids of every page (in document order, duplicates kept).
    ids: HashMap<String, Vec<String>>,
    routes: Vec<Value>,
    clauses: Vec<Value>,
    policies: Vec<Value>,
    /// The built-in concerns (`defaults/concerns.toml`): (id, title), in file order.
    concerns: Vec<(String, String)>,
}

fn site() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (dir, out) = common::build_real_site(None);
        let mut pages = BTreeMap::new();
        let mut ids = HashMap::new();
        for path in snapshot(&out).into_keys().filter(|p| p.ends_with(".html")) {
            let html = read_to_string(out.join(&path));
            ids.insert(path.clone(), parse_html(&html).ids().into_iter().map(str::to_string).collect());
            pages.insert(path, html);
        }
        let json = |name: &str| -> Vec<Value> {
            let text = read_to_string(out.join("data").join(name));
            match serde_json::from_str(&text) {
                Ok(Value::Array(items)) => items,
                other => panic!("data/{name} is not a JSON array: {other:?}"),
            }
        };
        let concerns_toml: toml::Table =
            toml::from_str(&read_to_string(repo_root().join("defaults/concerns.toml")))
                .expect("concerns.toml parses");
        let concerns = concerns_toml["concern"]
            .as_array()
            .expect("[[concern]] tables")
            .iter()
            .map(|c| (c["id"].as_str().unwrap().to_string(), c["title"].as_str().unwrap().to_string()))
            .collect();
        Built {
            _dir: dir,
            pages,
            ids,
            routes: json("routes.json"),
            clauses: json("clauses.json"),
            policies: json("policies.json"),
            concerns,
        }
    })
}

fn page(path: &str) -> &'static str {
    site().pages.get(path).unwrap_or_else(|| panic!("the site has no page {path}"))
}

fn has_id(path: &str, id: &str) -> bool {
    site().ids.get(path).is_some_and(|ids| ids.iter().any(|i| i == id))
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_else(|| panic!("`{key}` is not a string in {value}"))
}

fn array_of<'a>(value: &'a Value, key: &str) -> &'a Vec<Value> {
    value[key].as_array().unwrap_or_else(|| panic!("`{key}` is not an array in {value}"))
}

/// `policy slug → short name` from data/policies.json.
fn short_names() -> BTreeMap<String, String> {
    site()
        .policies
        .iter()
        .map(|p| {
            let name = p["short_name"].as_str().unwrap_or_else(|| str_of(p, "school"));
            (str_of(p, "slug").to_string(), name.to_string())
        })
        .collect()
}

/// Where a link on `page` leads: (page path, fragment). Panics on links that leave the site.
fn target(page: &str, href: &str) -> (String, String) {
    let href = decode_entities(href);
    assert!(!common::has_scheme(&href), "{page}: a route link leaves the site: {href}");
    let (path, fragment) = href.split_once('#').unwrap_or((&href, ""));
    let path = resolve(page, &percent_decode(path))
        .unwrap_or_else(|| panic!("{page}: {href} climbs out of the site"));
    (path, percent_decode(fragment))
}

/// Every `<svg …>…</svg>` of a page (charts do not nest).
fn svgs(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end =
            rest[start..].find("</svg>").unwrap_or_else(|| panic!("an <svg> is never closed")) + start + 6;
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

/// How many flowcharts a page draws.
fn charts_on(html: &str) -> usize {
    svgs(html).iter().filter(|svg| svg.contains(r#"class="flowchart""#)).count()
}

/// The HTML of the `<figure>` with id `id` on a page.
fn figure<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!(r#"<figure class="route" id="{id}""#))?;
    let end = html[start..].find("</figure>")? + start + "</figure>".len();
    Some(&html[start..end])
}

/// `(policy slug, clause id)` of a site clause id `slug#clause`.
fn split_key(key: &str) -> (&str, &str) {
    key.split_once('#').unwrap_or_else(|| panic!("`{key}` is not a site clause id"))
}

/// The routes of data/routes.json with `concern`.
fn routes_for(concern: &str) -> Vec<&'static Value> {
    site().routes.iter().filter(|r| r["concern"] == concern).collect()
}

#[test]
fn every_school_has_routes_and_routes_json_has_the_expected_fields() {
    let routes = &site().routes;
    for (slug, _) in REQUESTED {
        assert!(routes.iter().any(|r| r["policy"] == slug), "no route at all for {slug}");
    }
    for route in routes {
        for key in ["school", "policy", "concern", "title", "url"] {
            assert!(!str_of(route, key).trim().is_empty(), "empty `{key}` in {route}");
        }
        assert!(!array_of(route, "nodes").is_empty(), "a route without steps: {route}");
    }
}

#[test]
fn routes_json_cites_existing_clauses_and_its_edges_join_its_nodes() {
    let clause_ids: HashSet<&str> = site().clauses.iter().map(|c| str_of(c, "id")).collect();
    let mut problems = Vec::new();
    for route in &site().routes {
        let name = format!("{} / {}", str_of(route, "policy"), str_of(route, "concern"));
        let nodes = array_of(route, "nodes");
        let node_ids: Vec<&str> = nodes.iter().map(|n| str_of(n, "id")).collect();
        let unique: HashSet<&str> = node_ids.iter().copied().collect();
        if unique.len() != node_ids.len() {
            problems.push(format!("{name}: node ids repeat: {node_ids:?}"));
        }
        for node in nodes {
            for key in array_of(node, "clauses") {
                let key = key.as_str().expect("clause ids are strings");
                if !clause_ids.contains(key) {
                    problems.push(format!(
                        "{name}: step `{}` cites {key}, not in clauses.json",
                        str_of(node, "id")
                    ));
                }
                if split_key(key).0 != str_of(route, "policy") {
                    problems.push(format!(
                        "{name}: step `{}` cites another policy's clause {key}",
                        str_of(node, "id")
                    ));
                }
            }
            if array_of(node, "clauses").is_empty() && node["general"] != true {
                problems
                    .push(format!("{name}: step `{}` cites nothing and is not general", str_of(node, "id")));
            }
        }
        let edges = array_of(route, "edges");
        for edge in edges {
            for end in ["from", "to"] {
                if !unique.contains(str_of(edge, end)) {
                    problems.push(format!("{name}: edge {edge} has `{end}` that is not a node"));
                }
            }
        }
        for node in nodes.iter().filter(|n| n["kind"] == "decision") {
            let id = str_of(node, "id");
            let out: Vec<&Value> = edges.iter().filter(|e| e["from"] == id).collect();
            if out.len() < 2 {
                problems.push(format!("{name}: decision `{id}` has {} edge(s)", out.len()));
            }
            for edge in out {
                if edge["label"].as_str().is_none_or(|l| l.trim().is_empty()) {
                    problems.push(format!("{name}: decision `{id}` has an unlabelled edge {edge}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "data/routes.json:\n  {}", problems.join("\n  "));
}

#[test]
fn every_route_url_resolves_to_its_figure_on_its_policy_page() {
    for route in &site().routes {
        let url = str_of(route, "url");
        let (path, fragment) = url.split_once('#').unwrap_or_else(|| panic!("{url} has no anchor"));
        assert_eq!(path, format!("policies/{}.html", str_of(route, "policy")), "{url}");
        assert!(site().pages.contains_key(path), "{url}: no such page");
        assert!(has_id(path, fragment), "{url}: {path} has no element #{fragment}");
        let html = figure(page(path), fragment)
            .unwrap_or_else(|| panic!("{url}: #{fragment} is not a route figure"));
        assert!(
            decode_entities(html).contains(str_of(route, "title")),
            "{url}: the figure does not carry the route's title"
        );
    }
}

#[test]
fn the_requested_routes_exist_for_each_school() {
    let concerns: HashSet<&str> = site().concerns.iter().map(|(id, _)| id.as_str()).collect();
    for route in &site().routes {
        assert!(concerns.contains(str_of(route, "concern")), "unknown concern in {route}");
    }
    let mut missing = Vec::new();
    for (slug, wanted) in REQUESTED {
        for concern in wanted {
            if !site().routes.iter().any(|r| r["policy"] == slug && r["concern"] == *concern) {
                missing.push(format!("{slug}: {concern}"));
            }
            if !has_id(&format!("policies/{slug}.html"), &format!("route-{concern}")) {
                missing.push(format!("{slug}: no #route-{concern} on its page"));
            }
        }
    }
    assert!(missing.is_empty(), "requested routes that are missing:\n  {}", missing.join("\n  "));
}

/// A parsed chart and the page it is on.
fn parse_svg<'a>(page: &str, svg: &'a str) -> roxmltree::Document<'a> {
    roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{page}: an inline SVG is not well-formed XML: {e}"))
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect::<String>()
}

#[test]
fn every_inline_svg_is_well_formed_labelled_and_linked() {
    let mut charts = 0;
    let mut problems = Vec::new();
    for (path, html) in &site().pages {
        for svg in svgs(html) {
            charts += 1;
            let doc = parse_svg(path, svg);
            let root = doc.root_element();
            let name = root.children().find(|n| n.has_tag_name("title")).map(text_of).unwrap_or_default();
            let at = format!("{path} [{name}]");
            if !root.has_tag_name(("http://www.w3.org/2000/svg", "svg")) {
                problems.push(format!("{at}: the root is not an SVG-namespace <svg>"));
            }
            if root.attribute("role") != Some("img") {
                problems.push(format!("{at}: role is {:?}, not img", root.attribute("role")));
            }
            if svg.contains("NaN") {
                problems.push(format!("{at}: contains NaN"));
            }
            // Labelled by a <title> and a <desc> of its own, both with text.
            let labelled_by: Vec<&str> =
                root.attribute("aria-labelledby").unwrap_or("").split_whitespace().collect();
            let labels: Vec<roxmltree::Node> = labelled_by
                .iter()
                .filter_map(|id| {
                    let found = root.descendants().find(|n| n.attribute("id") == Some(*id));
                    if found.is_none() {
                        problems
                            .push(format!("{at}: aria-labelledby names #{id}, which is not inside the SVG"));
                    }
                    found
                })
                .collect();
            for tag in ["title", "desc"] {
                match labels.iter().find(|n| n.has_tag_name(tag)) {
                    None => problems.push(format!("{at}: aria-labelledby names no <{tag}>")),
                    Some(node) if text_of(*node).trim().is_empty() => {
                        problems.push(format!("{at}: the <{tag}> is empty"))
                    }
                    Some(_) => {}
                }
            }
            // A viewBox with a positive size; every coordinate a finite number.
            let view_box: Vec<f64> = root
                .attribute("viewBox")
                .unwrap_or("")
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap_or(f64::NAN))
                .collect();
            if view_box.len() != 4
                || !view_box.iter().all(|v| v.is_finite())
                || view_box[2] <= 0.0
                || view_box[3] <= 0.0
            {
                problems.push(format!("{at}: bad viewBox {:?}", root.attribute("viewBox")));
            }
            for node in root.descendants().filter(|n| n.is_element()) {
                for attr in ["x", "y", "width", "height"] {
                    if let Some(v) = node.attribute(attr)
                        && !v.parse::<f64>().is_ok_and(f64::is_finite)
                    {
                        problems.push(format!("{at}: <{} {attr}=\"{v}\">", node.tag_name().name()));
                    }
                }
            }
            // Links: out of the tab order (the list beside the chart has them) and all resolving.
            for a in root.descendants().filter(|n| n.has_tag_name("a")) {
                if a.attribute("tabindex") != Some("-1") {
                    problems.push(format!("{at}: an <a> without tabindex=\"-1\""));
                }
                let href =
                    a.attribute("href").or_else(|| a.attribute(("http://www.w3.org/1999/xlink", "href")));
                match href {
                    None => problems.push(format!("{at}: an <a> without href")),
                    Some(href) => {
                        let (target_path, fragment) = target(path, href);
                        if fragment.is_empty() || !has_id(&target_path, &fragment) {
                            problems.push(format!("{at}: link {href} leads to no element"));
                        }
                    }
                }
            }
        }
    }
    assert!(charts >= site().routes.len(), "only {charts} inline SVGs for {} routes", site().routes.len());
    assert!(problems.is_empty(), "inline SVGs:\n  {}", problems.join("\n  "));
}

#[test]
fn each_policy_page_draws_one_chart_per_route_and_each_concern_page_one_per_school_route() {
    for (slug, _) in REQUESTED {
        let path = format!("policies/{slug}.html");
        let expected = site().routes.iter().filter(|r| r["policy"] == slug).count();
        assert_eq!(charts_on(page(&path)), expected, "{path}: charts vs routes in data/routes.json");
    }
    for (concern, _) in &site().concerns {
        let path = format!("routes/{concern}.html");
        assert_eq!(charts_on(page(&path)), routes_for(concern).len(), "{path}: charts vs routes");
    }
}

/// The name the chart and the text list give a step: "Step 1", "Step 2 · Decision".
fn step_heading(number: usize, kind: &str) -> String {
    match kind {
        "step" => format!("Step {number}"),
        "decision" => format!("Step {number} · Decision"),
        "external" => format!("Step {number} · Outside body"),
        other => panic!("unknown step kind {other}"),
    }
}

/// Number of external-body boxes: a `<rect>` followed directly by a `<rect>` drawn inside it.
fn double_rectangles(doc: &roxmltree::Document) -> usize {
    let number =
        |n: roxmltree::Node, a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    doc.descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter(|outer| {
            let Some(inner) = outer.next_sibling_element().filter(|n| n.has_tag_name("rect")) else {
                return false;
            };
            let (ox, oy, ow, oh) =
                (number(*outer, "x"), number(*outer, "y"), number(*outer, "width"), number(*outer, "height"));
            let (ix, iy, iw, ih) =
                (number(inner, "x"), number(inner, "y"), number(inner, "width"), number(inner, "height"));
            ix > ox && iy > oy && ix + iw < ox + ow && iy + ih < oy + oh
        })
        .count()
}

#[test]
fn charts_tell_kinds_apart_by_shape_and_by_words() {
    let step_caption = Regex::new(r"^Step \d+(?: · (?:Decision|Outside body))?$").unwrap();
    let mut seen_decision = false;
    let mut seen_external = false;
    for route in &site().routes {
        let (path, anchor) = str_of(route, "url").split_once('#').unwrap();
        let html = figure(page(path), anchor).unwrap_or_else(|| panic!("{path}: no figure #{anchor}"));
        let charts = svgs(html);
        assert_eq!(charts.len(), 1, "{path}#{anchor}: one chart per route figure");
        let doc = parse_svg(path, charts[0]);
        let nodes = array_of(route, "nodes");
        let kinds: Vec<&str> = nodes.iter().map(|n| str_of(n, "kind")).collect();
        let decisions = kinds.iter().filter(|k| **k == "decision").count();
        let externals = kinds.iter().filter(|k| **k == "external").count();
        seen_decision |= decisions > 0;
        seen_external |= externals > 0;
        let polygons = doc.descendants().filter(|n| n.has_tag_name("polygon")).count();
        assert_eq!(
            polygons, decisions,
            "{path}#{anchor}: one diamond (<polygon>) per decision and none else"
        );
        assert_eq!(double_rectangles(&doc), externals, "{path}#{anchor}: one double box per outside body");
        // Each box says its number and kind in words, in step order: "Step 2 · Decision".
        let captions: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(text_of)
            .filter(|text| step_caption.is_match(text))
            .collect();
        let expected: Vec<String> = kinds.iter().enumerate().map(|(i, k)| step_heading(i + 1, k)).collect();
        assert_eq!(captions, expected, "{path}#{anchor}: the step captions of the chart");
        // Every step's text is in the chart (wrapped over lines) and in its <desc>.
        let chart_text: String =
            doc.descendants().filter(|n| n.has_tag_name("text")).map(text_of).collect::<Vec<_>>().join(" ");
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let chart_text = squash(&chart_text);
        for node in nodes {
            let label = squash(str_of(node, "label"));
            assert!(
                chart_text.contains(&label),
                "{path}#{anchor}: the chart leaves out the step text `{label}`"
            );
        }
    }
    assert!(seen_decision, "no route of the site has a decision, so the diamond is never checked");
    assert!(seen_external, "no route of the site has an outside body, so the double box is never checked");
}

/// The step items of the step list of a figure, as HTML (without their closing tag).
fn step_items(figure_html: &str) -> Vec<&str> {
    let start = figure_html.find("<ol").expect("the figure has an ordered list of steps");
    let end = figure_html[start..].rfind("</ol>").expect("the list is closed") + start;
    let list = &figure_html[start..end];
    let mut items: Vec<&str> = list.split(r#"<li class="route-step "#).skip(1).collect();
    for item in &mut items {
        *item = item.rsplit_once("</li>").map_or(*item, |(before, _)| before);
    }
    items
}

#[test]
fn beside_each_chart_an_ordered_list_has_one_item_per_step_linking_its_clauses() {
    let href = Regex::new(r#"<a\s[^>]*href="([^"]*)""#).unwrap();
    let mut checked = 0;
    for route in &site().routes {
        let slug = str_of(route, "policy");
        let concern = str_of(route, "concern");
        // On its policy page and on its concern page.
        for (path, id) in [
            (format!("policies/{slug}.html"), format!("route-{concern}")),
            (format!("routes/{concern}.html"), format!("{slug}-route-{concern}")),
        ] {
            let html = figure(page(&path), &id).unwrap_or_else(|| panic!("{path}: no route figure #{id}"));
            let chart_at = html.find("<svg").expect("a chart");
            let list_at = html.find("<ol").expect("a list");
            assert!(
                chart_at < html.find("</svg>").unwrap() && html.find("</svg>").unwrap() < list_at,
                "{path}#{id}"
            );
            let items = step_items(html);
            let nodes = array_of(route, "nodes");
            assert_eq!(items.len(), nodes.len(), "{path}#{id}: one <li> per step");
            for (item, node) in items.iter().zip(nodes) {
                let text = html_text(&format!("<li class=\"route-step {item}"));
                let label = str_of(node, "label").split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(text.contains(&label), "{path}#{id}: the item `{text}` is not the step `{label}`");
                // The clauses it cites (links to other steps of the route start with `#`).
                let links: Vec<(String, String)> = href
                    .captures_iter(item)
                    .filter(|c| !c[1].starts_with('#'))
                    .map(|c| target(&path, &c[1]))
                    .collect();
                let wanted: Vec<(String, String)> = array_of(node, "clauses")
                    .iter()
                    .map(|k| {
                        let (policy, clause) = split_key(k.as_str().unwrap());
                        (format!("policies/{policy}.html"), clause.to_string())
                    })
                    .collect();
                assert_eq!(links, wanted, "{path}#{id}: the links of step `{}`", str_of(node, "id"));
                for (target_page, fragment) in &links {
                    assert!(
                        has_id(target_page, fragment),
                        "{path}#{id}: {target_page}#{fragment} does not exist"
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, site().routes.len() * 2);
}

#[test]
fn the_step_list_names_steps_as_the_chart_does_and_follows_each_decision_with_its_branches() {
    let href = Regex::new(r##"href="#([^"]*)""##).unwrap();
    let heading = Regex::new(r#"<span class="route-step-kind">([^<]*)</span>"#).unwrap();
    let mut branches_seen = 0;
    for route in &site().routes {
        let (slug, concern) = (str_of(route, "policy"), str_of(route, "concern"));
        let path = format!("routes/{concern}.html");
        let id = format!("{slug}-route-{concern}");
        let html = figure(page(&path), &id).unwrap_or_else(|| panic!("{path}: no route figure #{id}"));
        assert!(!html.contains('▢') && !html.contains("STEP"), "{path}#{id}: old step markers");
        let nodes = array_of(route, "nodes");
        let edges = array_of(route, "edges");
        let number_of = |step: &str| nodes.iter().position(|n| str_of(n, "id") == step).unwrap() + 1;
        for (i, (item, node)) in step_items(html).iter().zip(nodes).enumerate() {
            let kind = str_of(node, "kind");
            let name = heading.captures(item).map(|c| decode_entities(&c[1])).unwrap_or_default();
            assert_eq!(name, step_heading(i + 1, kind), "{path}#{id}: the name of step {}", i + 1);
            assert!(
                item.contains(&format!(r#"id="{id}-step-{}""#, i + 1)),
                "{path}#{id}: step {} has no id",
                i + 1
            );
            // Where the step leads, as the route's edges say: each branch or jump links to its
            // step; the plain next step needs no words; an end says so.
            let out: Vec<&Value> = edges.iter().filter(|e| e["from"] == node["id"]).collect();
            let mut wanted: Vec<String> = out
                .iter()
                .filter(|e| e["label"].is_string() || number_of(str_of(e, "to")) != i + 2)
                .map(|e| format!("{id}-step-{}", number_of(str_of(e, "to"))))
                .collect();
            let mut linked: Vec<String> = href.captures_iter(item).map(|c| c[1].to_string()).collect();
            wanted.sort();
            linked.sort();
            assert_eq!(linked, wanted, "{path}#{id}: where step {} leads", i + 1);
            if kind == "decision" {
                let text = html_text(item);
                for edge in &out {
                    let label = str_of(edge, "label");
                    let reads = match label.to_lowercase().as_str() {
                        answer @ ("yes" | "no") => {
                            format!("If {answer}: go to step {}", number_of(str_of(edge, "to")))
                        }
                        _ => format!("{label}: go to step {}", number_of(str_of(edge, "to"))),
                    };
                    assert!(
                        text.contains(&reads),
                        "{path}#{id}: step {} does not read `{reads}`: {text}",
                        i + 1
                    );
                    branches_seen += 1;
                }
                assert_eq!(
                    item.matches(r#"class="route-branch""#).count(),
                    out.len(),
                    "{path}#{id}: one block per branch"
                );
            }
            if out.is_empty() {
                assert!(
                    html_text(item).contains("End of route"),
                    "{path}#{id}: step {} ends the route",
                    i + 1
                );
            }
        }
    }
    assert!(branches_seen >= 4, "only {branches_seen} branches checked");
}

#[test]
fn the_routes_index_lists_every_concern() {
    let path = "routes/index.html";
    let page_html = page(path);
    let start =
        page_html.find(r#"<table class="routes-table"#).expect("routes/index.html has the routes table");
    let html = &page_html[start..start + page_html[start..].find("</table>").expect("the table is closed")];
    let link = Regex::new(r#"<a\s[^>]*href="([^"]*)"[^>]*>([^<]*)</a>"#).unwrap();
    let links: Vec<(String, String)> =
        link.captures_iter(html).map(|c| (target(path, &c[1]).0, decode_entities(&c[2]))).collect();
    for (id, title) in &site().concerns {
        let concern_page = format!("routes/{id}.html");
        assert!(site().pages.contains_key(&concern_page), "no page {concern_page}");
        assert!(
            links.iter().any(|(to, text)| *to == concern_page && text.trim() == title),
            "{path} does not link `{title}` to {concern_page}"
        );
    }
    // And every school's route is linked from its row.
    for route in &site().routes {
        let url = str_of(route, "url");
        let found = link.captures_iter(html).any(|c| {
            let (p, f) = target(path, &c[1]);
            format!("{p}#{f}") == url
        });
        assert!(found, "{path} does not link to {url}");
    }
}

#[test]
fn each_concern_page_shows_every_schools_route_and_names_the_schools_without_one() {
    let names = short_names();
    let missing_paragraph = Regex::new(r#"(?s)<p class="routes-missing">(.*?)</p>"#).unwrap();
    let link_text = Regex::new(r#"<a\s[^>]*href="([^"]*)"[^>]*>([^<]*)</a>"#).unwrap();
    for (concern, title) in &site().concerns {
        let path = format!("routes/{concern}.html");
        let html = page(&path);
        assert!(html_text(html).contains(title.as_str()), "{path} does not show its title");
        let with: BTreeSet<&str> = routes_for(concern).iter().map(|r| str_of(r, "policy")).collect();
        for slug in &with {
            let id = format!("{slug}-route-{concern}");
            assert!(figure(html, &id).is_some(), "{path}: no figure #{id} for {slug}'s route");
        }
        let without: BTreeSet<String> = names
            .iter()
            .filter(|(slug, _)| !with.contains(slug.as_str()))
            .map(|(_, name)| name.clone())
            .collect();
        let named: BTreeSet<String> = match missing_paragraph.captures(html) {
            Some(c) => {
                link_text.captures_iter(&c[1]).map(|l| decode_entities(&l[2]).trim().to_string()).collect()
            }
            None => BTreeSet::new(),
        };
        assert_eq!(named, without, "{path}: the schools named as having no route");
    }
    // The product owners' example.
    let html = page("routes/safeguarding-concern.html");
    let paragraph = missing_paragraph
        .captures(html)
        .expect("routes/safeguarding-concern.html names schools without a route");
    assert!(html_text(&paragraph[1]).contains("Elthorne Park"), "{}", html_text(&paragraph[1]));
}

#[test]
fn element_ids_are_unique_on_every_page_with_routes() {
    let mut problems = Vec::new();
    for (path, ids) in &site().ids {
        if !(path.starts_with("routes/") || path.starts_with("policies/")) {
            continue;
        }
        let mut seen = HashSet::new();
        let repeated: BTreeSet<&str> =
            ids.iter().filter(|id| !seen.insert(id.as_str())).map(String::as_str).collect();
        if !repeated.is_empty() {
            problems.push(format!("{path}: {repeated:?}"));
        }
    }
    assert!(problems.is_empty(), "ids used more than once:\n  {}", problems.join("\n  "));
    // The ids inside the charts are seen too (so a clash with one would be caught).
    assert!(has_id("policies/holy-cross.html", "route-staff-cyberbullied-chart-title"));
    assert!(has_id("routes/staff-cyberbullied.html", "holy-cross-route-staff-cyberbullied-chart-desc"));
}

#[test]
fn elthorne_park_keeps_its_missing_flowchart_note_and_no_route_invents_it() {
    let path = "policies/elthorne-park.html";
    let html = page(path);
    let heading = html
        .find(">Safeguarding support flowchart</h2>")
        .expect("the Safeguarding support flowchart section");
    let section_end = html[heading..].find("<h2").map_or(html.len(), |i| heading + i);
    let section = &html[heading..section_end];
    let note = Regex::new(r#"(?s)<div class="nonpolicy nonpolicy-note">(.*?)</div>"#).unwrap();
    let note_text = note.captures(section).map(|c| html_text(&c[1])).unwrap_or_default();
    assert!(
        note_text.contains("Editor") && note_text.contains("does not contain the flowchart"),
        "{path}: the editor's note that the source has no flowchart is gone; the section reads:\n{}",
        html_text(section)
    );
    assert!(
        !section.contains("<svg") && !section.contains(r#"class="route""#),
        "{path}: a chart was put in place of the missing flowchart"
    );
    assert!(
        !site()
            .routes
            .iter()
            .any(|r| r["policy"] == "elthorne-park" && r["concern"] == "safeguarding-concern"),
        "data/routes.json has an Elthorne Park safeguarding-concern route the source does not give"
    );
    assert!(!has_id(path, "route-safeguarding-concern"));
    assert!(
        figure(page("routes/safeguarding-concern.html"), "elthorne-park-route-safeguarding-concern")
            .is_none()
    );
}

// =============================================================================================
// Bad input: small fixture sites

const CONCERNS_TOML: &str = r#"[[concern]]
id = "worry"
title = "Something worries you"

[[concern]]
id = "other"
title = "Something else"
"#;

/// A route for the minimal policy (clauses 1.1 and 1.2): a step, a decision, an outside body
/// and a general step. Appended after clause 1.2.
const ROUTE: &str = r#"
```route
concern = "worry"
title = "Something worries you"

[[steps]]
id = "tell"
text = "Tell the DSL"
who = "Any member of staff"
cites = ["1.2"]

[[steps]]
id = "serious"
kind = "decision"
text = "Is a child at risk?"
cites = ["1.2"]
branches = [{ label = "Yes", to = "police" }, { label = "No", to = "record" }]

[[steps]]
id = "police"
kind = "external"
text = "The police"
cites = ["1.1", "1.2"]
end = true

[[steps]]
id = "record"
text = "Keep a record"
general = true
```
"#;

/// The minimal site with concerns.toml and one route.
fn fixture() -> Fixture {
    let f = Fixture::new();
    write(f.path("content/concerns.toml"), CONCERNS_TOML);
    write(f.path("content/one.md"), format!("{}{ROUTE}", f.policy()));
    f
}

/// The route errors of the library build.
fn errors(f: &Fixture) -> Vec<Diagnostic> {
    f.diagnostics().into_iter().filter(Diagnostic::is_error).collect()
}

/// 1-based (line, column) of the `n`th (0-based) occurrence of `needle` in `text`, counting
/// columns in characters; the line counts `\n` only, as editors do.
fn position(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let offset =
        text.match_indices(needle).nth(n).unwrap_or_else(|| panic!("`{needle}` #{n} not in the text")).0;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (text[..offset].matches('\n').count() + 1, text[line_start..offset].chars().count() + 1)
}

/// 1-based line of the `n`th occurrence of `needle`.
fn line_of(text: &str, needle: &str, n: usize) -> usize {
    position(text, needle, n).0
}

/// Asserts `d` points into `needle` (the `n`th occurrence): its line, and a column from the
/// needle's first character to its last.
#[track_caller]
fn assert_points_into(d: &Diagnostic, text: &str, needle: &str, n: usize) {
    let (line, column) = position(text, needle, n);
    let width = needle.chars().count();
    assert!(
        d.line == line && (column..column + width).contains(&d.column),
        "expected `{}` to point at `{needle}` (line {line}, columns {column}–{}), not {}:{}",
        d.message,
        column + width - 1,
        d.line,
        d.column
    );
}

#[track_caller]
fn assert_says(run: &Run, needle: &str) {
    assert!(run.stderr.contains(needle), "expected the output to contain `{needle}`:\n{}", run.stderr);
}

/// The one error whose message contains all of `words`.
#[track_caller]
fn the_error(errors: &[Diagnostic], words: &[&str]) -> Diagnostic {
    let found: Vec<&Diagnostic> =
        errors.iter().filter(|d| words.iter().all(|w| d.message.contains(w))).collect();
    assert_eq!(found.len(), 1, "expected one error mentioning {words:?}, got: {errors:#?}");
    found[0].clone()
}

#[test]
fn a_fixture_route_builds_without_warnings_and_is_exported_and_drawn() {
    let f = fixture();
    let run = f.build_ok();
    assert!(run.stderr.trim().is_empty(), "`general = true` and cited steps must not warn:\n{}", run.stderr);
    let routes: Value = serde_json::from_str(&read_to_string(f.out.join("data/routes.json"))).unwrap();
    let routes = routes.as_array().unwrap();
    assert_eq!(routes.len(), 1, "{routes:?}");
    let route = &routes[0];
    assert_eq!(route["concern"], "worry");
    assert_eq!(route["url"], "policies/one.html#route-worry");
    let nodes: Vec<(&str, &str)> =
        array_of(route, "nodes").iter().map(|n| (str_of(n, "id"), str_of(n, "kind"))).collect();
    assert_eq!(
        nodes,
        [("tell", "step"), ("serious", "decision"), ("police", "external"), ("record", "step")]
    );
    assert_eq!(array_of(route, "nodes")[2]["clauses"], serde_json::json!(["one#1.1", "one#1.2"]));
    assert_eq!(array_of(route, "nodes")[3]["general"], true);
    let edges: Vec<(&str, &str, Option<&str>)> = array_of(route, "edges")
        .iter()
        .map(|e| (str_of(e, "from"), str_of(e, "to"), e["label"].as_str()))
        .collect();
    assert_eq!(
        edges,
        [("tell", "serious", None), ("serious", "police", Some("Yes")), ("serious", "record", Some("No"))],
        "a step leads to the next, a decision along its branches, `end = true` nowhere"
    );
    let html = read_to_string(f.out.join("policies/one.html"));
    let fig = figure(&html, "route-worry").expect("the route is drawn on its policy page");
    let doc = parse_svg("policies/one.html", svgs(fig)[0]);
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("polygon")).count(), 1);
    assert_eq!(double_rectangles(&doc), 1);
    let text = html_text(fig);
    assert!(text.contains("Step 2 · Decision") && text.contains("Step 3 · Outside body"), "{text}");
    assert!(text.contains("If yes: go to step 3") && text.contains("If no: go to step 4"), "{text}");
    assert!(text.contains("General guidance"), "a general step says so in the list: {text}");
    assert!(read_to_string(f.out.join("routes/worry.html")).contains(r#"id="one-route-worry""#));
}

#[test]
fn citing_a_missing_clause_is_an_error_at_the_citation() {
    let f = fixture();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| t.replacen(r#"cites = ["1.1", "1.2"]"#, r#"cites = ["1.1", "9.9"]"#, 1))
    });
    let text = f.policy();
    let (line, column) = position(&text, r#""9.9""#, 0);
    let d = the_error(&errors(&f), &["9.9"]);
    assert_points_into(&d, &text, r#""9.9""#, 0);
    assert!(d.message.contains("police"), "the error names the step: {}", d.message);
    // The CLI shows the same place, clickable, and the missing id.
    let located = Regex::new(&format!(r"error: content/one\.md:{line}:(\d+): [^\n]*9\.9")).unwrap();
    let c = located
        .captures(&run.stderr)
        .unwrap_or_else(|| panic!("no content/one.md:{line}:COL error naming 9.9:\n{}", run.stderr));
    let col: usize = c[1].parse().unwrap();
    assert!(
        (column..column + 5).contains(&col),
        "column {col}, the citation is at {column}:\n{}",
        run.stderr
    );
}

#[test]
fn each_missing_citation_is_reported_at_its_own_line() {
    // The same missing clause cited by two steps: each error points at its own step.
    let f = fixture();
    f.rebuild_fails(|f| f.edit_policy(|t| t.replacen(r#"cites = ["1.2"]"#, r#"cites = ["9.9"]"#, 2)));
    let text = f.policy();
    let errors = errors(&f);
    let tell = the_error(&errors, &["9.9", "`tell`"]);
    let serious = the_error(&errors, &["9.9", "`serious`"]);
    assert_points_into(&tell, &text, r#""9.9""#, 0);
    assert_points_into(&serious, &text, r#""9.9""#, 1);
}

#[test]
fn missing_citation_errors_point_at_the_right_line_in_a_crlf_file() {
    let f = fixture();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            t.replacen(r#"cites = ["1.1", "1.2"]"#, r#"cites = ["1.1", "9.9"]"#, 1).replace('\n', "\r\n")
        })
    });
    let text = f.policy();
    let line = line_of(&text, r#""9.9""#, 0);
    let errors = errors(&f);
    assert_eq!(errors.len(), 1, "only the missing citation is wrong: {errors:#?}");
    let d = the_error(&errors, &["9.9"]);
    assert_eq!(d.line, line, "{d:?}");
    assert_says(&run, &format!("error: content/one.md:{line}:"));
}

#[test]
fn missing_citation_errors_point_at_the_right_line_in_an_indented_route_block() {
    // A route written inside a list item, under the clause it comes from.
    let f = fixture();
    f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            let indented: String = ROUTE
                .replacen(r#"cites = ["1.1", "1.2"]"#, r#"cites = ["1.1", "9.9"]"#, 1)
                .lines()
                .map(|l| if l.is_empty() { "\n".to_string() } else { format!("  {l}\n") })
                .collect();
            let t = t.replace(ROUTE, "");
            format!("{t}\n- 1.3 A listed clause.\n{indented}")
        })
    });
    let text = f.policy();
    let errors = errors(&f);
    assert_eq!(errors.len(), 1, "only the missing citation is wrong: {errors:#?}");
    assert_points_into(&errors[0], &text, r#""9.9""#, 0);
}

#[test]
fn an_unknown_concern_is_an_error_naming_it() {
    let f = fixture();
    let run =
        f.rebuild_fails(|f| f.edit_policy(|t| t.replace(r#"concern = "worry""#, r#"concern = "wory""#)));
    let text = f.policy();
    let d = the_error(&errors(&f), &["wory"]);
    assert!(d.message.contains("concern"), "{}", d.message);
    assert_points_into(&d, &text, r#""wory""#, 0);
    assert_says(&run, &format!("error: content/one.md:{}:", line_of(&text, r#"concern = "wory""#, 0)));
    assert_says(&run, "worry"); // the help lists the known concerns
}

#[test]
fn a_branch_to_a_missing_step_is_an_error() {
    let f = fixture();
    let run = f.rebuild_fails(|f| f.edit_policy(|t| t.replace(r#"to = "police""#, r#"to = "polise""#)));
    let text = f.policy();
    let d = the_error(&errors(&f), &["polise"]);
    assert!(d.message.contains("serious"), "the error names the decision: {}", d.message);
    assert_points_into(&d, &text, r#""polise""#, 0);
    assert_says(&run, &format!("error: content/one.md:{}:", line_of(&text, "polise", 0)));
}

#[test]
fn a_jump_to_a_missing_step_is_an_error() {
    let f = fixture();
    f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            t.replace("text = \"Tell the DSL\"\n", "text = \"Tell the DSL\"\nthen = \"nowhere\"\n")
        })
    });
    let text = f.policy();
    let d = the_error(&errors(&f), &["nowhere"]);
    assert_points_into(&d, &text, r#""nowhere""#, 0);
}

#[test]
fn a_decision_with_one_branch_is_an_error() {
    let f = fixture();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            t.replace(
                r#"branches = [{ label = "Yes", to = "police" }, { label = "No", to = "record" }]"#,
                r#"branches = [{ label = "Yes", to = "police" }]"#,
            )
        })
    });
    let text = f.policy();
    let d = the_error(&errors(&f), &["serious"]);
    assert!(d.message.contains("branch"), "{}", d.message);
    let step = line_of(&text, r#"id = "serious""#, 0);
    let branches = line_of(&text, "branches =", 0);
    assert!(
        (step..=branches).contains(&d.line),
        "line {} is not in the decision (lines {step}–{branches})",
        d.line
    );
    assert_says(&run, &format!("error: content/one.md:{}:", d.line));
}

#[test]
fn a_decision_with_no_branches_is_an_error() {
    let f = fixture();
    f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            t.replace(
                "branches = [{ label = \"Yes\", to = \"police\" }, { label = \"No\", to = \"record\" }]\n",
                "",
            )
        })
    });
    the_error(&errors(&f), &["serious"]);
}

#[test]
fn a_step_citing_nothing_is_a_warning_and_the_build_goes_on() {
    let f = fixture();
    f.edit_policy(|t| t.replacen("cites = [\"1.2\"]\n", "", 1));
    let run = f.build_ok();
    let text = f.policy();
    let line = line_of(&text, r#"id = "tell""#, 0);
    assert_says(&run, &format!("warning: content/one.md:{line}:"));
    assert!(run.stderr.contains("tell"), "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let warnings: Vec<Diagnostic> = f.diagnostics();
    assert_eq!(warnings.len(), 1, "one warning, for `tell` only (not for the general step): {warnings:#?}");
    assert!(!warnings[0].is_error());
    assert_eq!(warnings[0].line, line);
    // The route is still published.
    let html = read_to_string(f.out.join("policies/one.html"));
    assert!(figure(&html, "route-worry").is_some());
}

#[test]
fn general_guidance_is_not_warned_about() {
    let f = fixture();
    f.edit_policy(|t| t.replacen("cites = [\"1.2\"]\n", "general = true\n", 1));
    let run = f.build_ok();
    assert!(run.stderr.trim().is_empty(), "{}", run.stderr);
    assert!(f.diagnostics().is_empty());
}

#[test]
fn malformed_toml_in_a_route_is_an_error_inside_the_block() {
    let f = fixture();
    let run =
        f.rebuild_fails(|f| f.edit_policy(|t| t.replace(r#"text = "The police""#, r#"text = "The police"#)));
    let text = f.policy();
    let fence = line_of(&text, "```route", 0);
    let close = fence + text.lines().skip(fence).position(|l| l == "```").expect("closing fence") + 1;
    let broken = line_of(&text, r#"text = "The police"#, 0);
    let errors = errors(&f);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = &errors[0];
    assert!(
        fence < d.line && d.line < close,
        "line {} is not inside the block (lines {fence}–{close})",
        d.line
    );
    assert!(
        (broken..=broken + 1).contains(&d.line),
        "line {}: the broken string is on line {broken}",
        d.line
    );
    assert_says(&run, &format!("error: content/one.md:{}:", d.line));
}

#[test]
fn an_unknown_field_in_a_route_is_an_error_at_its_line() {
    let f = fixture();
    f.rebuild_fails(|f| f.edit_policy(|t| t.replace(r#"who = "Any member"#, r#"whom = "Any member"#)));
    let text = f.policy();
    let d = the_error(&errors(&f), &["whom"]);
    assert_eq!(d.line, line_of(&text, "whom =", 0), "{d:?}");
}

#[test]
fn two_routes_for_one_concern_in_a_policy_is_an_error_naming_both() {
    let f = fixture();
    let run = f.rebuild_fails(|f| {
        f.edit_policy(|t| {
            let second = ROUTE.replace(r#"title = "Something worries you""#, r#"title = "Again""#);
            format!("{t}\n1.3 Another clause.\n{second}")
        })
    });
    let text = f.policy();
    let first = line_of(&text, "```route", 0);
    let second = line_of(&text, "```route", 1);
    let errors = errors(&f);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = &errors[0];
    assert!(d.message.contains("worry"), "{}", d.message);
    let lines: BTreeSet<usize> = Regex::new(r"\d+")
        .unwrap()
        .find_iter(&d.message)
        .filter_map(|m| m.as_str().parse().ok())
        .chain([d.line])
        .collect();
    assert!(
        lines.contains(&first) && lines.contains(&second),
        "the error must name both lines ({first} and {second}): {}:{}: {}",
        d.line,
        d.column,
        d.message
    );
    assert!((second..second + 3).contains(&d.line), "it points at the second route: line {}", d.line);
    assert_says(&run, &format!("error: content/one.md:{}:", d.line));
}

//! Rewrite: one streaming lol_html pass over every rendered page.
//!
//! - clause elements (`data-clause`) get their `id` and a visible permalink — the clause
//!   number where the source numbers it, a `¶` otherwise;
//! - text inside `.policy-text` is annotated (cross-references, bare addresses,
//!   abbreviations — see [`annotate`]);
//! - site-absolute URLs (`/policies/x.html`) become relative to the page, so the site works
//!   under any sub-path and from disk; a URL ending in `/` gets `index.html`;
//! - external links get `rel="noopener"`.

pub mod annotate;

use crate::render::markdown::attr as escape;
use annotate::{Annotation, Annotator, Place};
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str, text};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// Rewrites a site-absolute URL (`/compare/`) to start from `root` — the way back to the site's
/// root from the page (`../`), or the site's address for pages served at any path (the 404).
pub fn relative_url(url: &str, root: &str) -> Option<String> {
    let path = url.strip_prefix('/').filter(|rest| !rest.starts_with('/'))?;
    let (path_part, suffix) = match path.find(['#', '?']) {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    let mut file = path_part.to_string();
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    Some(format!("{root}{file}{suffix}"))
}

/// Rewrites one page. `root` leads from the page back to the site's root (see
/// [`relative_url`]); `annotators` run over the policy text; `beside_clause` holds what is
/// shown with each clause, by clause id.
pub fn rewrite_page(
    html: &str,
    root: &str,
    annotators: &[&dyn Annotator],
    beside_clause: &HashMap<String, String>,
) -> Result<String, lol_html::errors::RewritingError> {
    // How many elements we are inside whose text must not be annotated (links, code, ...).
    let opaque = Rc::new(Cell::new(0usize));
    let buffer = RefCell::new(String::new());
    // The heading the text being read is in, so a heading's number is not linked to itself.
    let heading: Rc<RefCell<Option<String>>> = Rc::default();
    let heading_for_elements = heading.clone();
    let opaque_for_elements = opaque.clone();
    // The clauses the text being read is in (a list item's clause holds its sub-items), each
    // with the notes found in its text so far, written out after it.
    let clauses: Rc<RefCell<Vec<ClauseNotes>>> = Rc::default();
    let clauses_for_elements = clauses.clone();
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[data-clause]", |el| {
            let id = el.get_attribute("data-clause").unwrap_or_default();
            el.set_attribute("id", &id)?;
            // After the clause: the notes on its text, then what belongs with it (its
            // counterparts elsewhere). Inside a list item; after a paragraph or table, which
            // cannot hold them.
            let inside = el.tag_name() == "li";
            let beside = beside_clause.get(&id).cloned().unwrap_or_default();
            if let Some(handlers) = el.end_tag_handlers() {
                clauses_for_elements.borrow_mut().push(ClauseNotes::new(&id));
                let clauses = clauses_for_elements.clone();
                let leave: lol_html::EndTagHandler<'static> = Box::new(move |end| {
                    let notes = clauses.borrow_mut().pop().map(|c| c.html()).unwrap_or_default();
                    let after = format!("{notes}{beside}");
                    if inside {
                        end.before(&after, ContentType::Html);
                    } else {
                        end.after(&after, ContentType::Html);
                    }
                    Ok(())
                });
                handlers.push(leave);
            }
            match el.get_attribute("data-number") {
                Some(number) => {
                    el.remove_attribute("data-number");
                    el.prepend(
                        &format!(
                            "<a class=\"clause-number\" href=\"#{}\" title=\"Link to clause {}\">{}</a> ",
                            escape(&id),
                            escape(&id),
                            escape(&number)
                        ),
                        ContentType::Html,
                    );
                }
                None => el.prepend(
                    &format!(
                        "<a class=\"permalink\" href=\"#{}\" title=\"Link to this clause ({})\"><span class=\"visually-hidden\">Clause {}</span><span aria-hidden=\"true\">¶</span></a> ",
                        escape(&id),
                        escape(&id),
                        escape(&id)
                    ),
                    ContentType::Html,
                ),
            }
            Ok(())
        }))
        .append_element_content_handler(element!(".policy-text a, .policy-text abbr, .policy-text code, .policy-text pre, .policy-text svg, .policy-text .route", move |el| {
            opaque_for_elements.set(opaque_for_elements.get() + 1);
            let opaque = opaque_for_elements.clone();
            let leave: lol_html::EndTagHandler<'static> = Box::new(move |_end| {
                opaque.set(opaque.get().saturating_sub(1));
                Ok(())
            });
            if let Some(handlers) = el.end_tag_handlers() {
                handlers.push(leave);
            }
            Ok(())
        }))
        .append_element_content_handler(element!(
            ".policy-text h2[id], .policy-text h3[id], .policy-text h4[id], .policy-text h5[id], .policy-text h6[id]",
            move |el| {
                *heading_for_elements.borrow_mut() = el.get_attribute("id");
                let heading = heading_for_elements.clone();
                let leave: lol_html::EndTagHandler<'static> = Box::new(move |_end| {
                    *heading.borrow_mut() = None;
                    Ok(())
                });
                if let Some(handlers) = el.end_tag_handlers() {
                    handlers.push(leave);
                }
                Ok(())
            }
        ))
        .append_element_content_handler(text!(".policy-text", |chunk| {
            if opaque.get() > 0 {
                return Ok(());
            }
            buffer.borrow_mut().push_str(chunk.as_str());
            if !chunk.last_in_text_node() {
                chunk.remove();
                return Ok(());
            }
            let text = std::mem::take(&mut *buffer.borrow_mut());
            let mut found: Vec<Annotation> = Vec::new();
            let heading = heading.borrow();
            let place = Place { heading: heading.as_deref() };
            for annotator in annotators {
                annotator.annotate(&text, place, &mut found);
            }
            if found.is_empty() {
                chunk.replace(&text, ContentType::Html);
            } else {
                let mut clauses = clauses.borrow_mut();
                let mut place_note = |note: &str| match clauses.last_mut() {
                    Some(clause) => clause.add(note),
                    None => annotate::inline_note(note),
                };
                chunk.replace(&annotate::apply(&text, found, &mut place_note), ContentType::Html);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href], link[href], form[action]", |el| {
            let attribute = if el.tag_name() == "form" { "action" } else { "href" };
            let url = el.get_attribute(attribute).unwrap_or_default();
            if let Some(relative) = relative_url(&url, root) {
                el.set_attribute(attribute, &relative)?;
            } else if el.tag_name() == "a" && is_external(&url) {
                let rel = el.get_attribute("rel").unwrap_or_default();
                if !rel.split_whitespace().any(|r| r == "noopener") {
                    el.set_attribute("rel", rel.split_whitespace().chain(["noopener"]).collect::<Vec<_>>().join(" ").as_str())?;
                }
            }
            Ok(())
        }))
        .append_element_content_handler(element!("script[src], img[src], [data-href]", |el| {
            let attribute = if el.has_attribute("data-href") { "data-href" } else { "src" };
            let url = el.get_attribute(attribute).unwrap_or_default();
            if let Some(relative) = relative_url(&url, root) {
                el.set_attribute(attribute, &relative)?;
            }
            Ok(())
        }));
    rewrite_str(html, settings)
}

/// A clause being rewritten and the notes on its text, in the order their markers appear.
struct ClauseNotes {
    id: String,
    notes: Vec<String>,
}

impl ClauseNotes {
    fn new(id: &str) -> Self {
        ClauseNotes { id: id.to_string(), notes: Vec::new() }
    }

    fn note_id(&self, number: usize) -> String {
        escape(&format!("{}-note-{number}", self.id))
    }

    /// Keeps `note` for after the clause; returns the marker that stands for it in the text.
    fn add(&mut self, note: &str) -> String {
        self.notes.push(note.to_string());
        let number = self.notes.len();
        format!(
            "<sup class=\"note-ref\"><a href=\"#{}\"><span class=\"visually-hidden\">see </span>note {number}</a></sup>",
            self.note_id(number)
        )
    }

    /// The notes, as the block that follows the clause (empty if there are none).
    fn html(&self) -> String {
        if self.notes.is_empty() {
            return String::new();
        }
        let mut out = String::from("<div class=\"clause-notes\">");
        for (i, note) in self.notes.iter().enumerate() {
            out.push_str(&format!(
                "<p class=\"clause-note\" id=\"{}\"><span class=\"clause-note-number\">Note {}</span> {note}</p>",
                self.note_id(i + 1),
                i + 1
            ));
        }
        out.push_str("</div>");
        out
    }
}

/// Whether a link leaves the site.
pub fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url("/", "").as_deref(), Some("index.html"));
        assert_eq!(relative_url("/policies/x.html#6.11", "../").as_deref(), Some("../policies/x.html#6.11"));
        assert_eq!(relative_url("/compare/", "../../").as_deref(), Some("../../compare/index.html"));
        assert_eq!(relative_url("/a.css", "https://x.org/p/").as_deref(), Some("https://x.org/p/a.css"));
        assert_eq!(relative_url("//cdn.example", ""), None);
        assert_eq!(relative_url("https://example.org/", ""), None);
        assert_eq!(relative_url("#x", ""), None);
    }

    #[test]
    fn clauses_get_ids_and_permalinks_and_text_is_linked() {
        let html = r#"<div class="policy-text"><p class="clause" data-clause="1.2" data-number="1.2.">See www.example.org and <a href="/x.html">www.not-again.org</a>.</p><li data-clause="s-1">Tell</li></div><a href="https://e.org">e</a>"#;
        let beside = HashMap::from([("s-1".to_string(), "<details>more</details>".to_string())]);
        let out = rewrite_page(html, "../", &[&annotate::Addresses], &beside).unwrap();
        assert!(out.contains("Tell<details>more</details></li>"), "{out}");
        assert!(
            out.contains(
                r##"<p class="clause" data-clause="1.2" id="1.2"><a class="clause-number" href="#1.2""##
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"<a href="http://www.example.org" rel="noopener">www.example.org</a>"#),
            "{out}"
        );
        assert!(out.contains(r#"<a href="../x.html">www.not-again.org</a>"#), "{out}");
        assert!(out.contains(r##"href="#s-1""##), "{out}");
        assert!(out.contains(r#"<a href="https://e.org" rel="noopener">"#), "{out}");
    }
}

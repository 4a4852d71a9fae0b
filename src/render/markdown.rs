//! A policy body as HTML: pulldown-cmark's renderer, with each clause and heading marked.
//!
//! Clause elements carry `data-clause` (and `data-number` when numbered); the rewrite stage
//! turns those into ids and permalinks. Headings get their section id directly. Non-policy
//! material is wrapped in a labelled box: an editor's note open, source material that is not
//! policy behind a closed disclosure.

use crate::model::{ClauseKind, Policy, SegmentKind};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};
use std::collections::HashMap;

/// Escapes text for HTML or XML text and attribute values (`&`, `<`, `>`, `"`).
pub fn attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    pulldown_cmark_escape::escape_html(&mut out, value).ok();
    out
}

/// Renders the body of `policy` to HTML; `figures` replaces the route blocks starting at
/// (segment, event) with their rendered figures.
pub fn body_html(policy: &Policy, figures: &HashMap<(usize, usize), String>) -> String {
    let clause_at: HashMap<(usize, usize), usize> =
        policy.clauses.iter().enumerate().map(|(i, c)| (c.at, i)).collect();
    let section_at: HashMap<(usize, usize), usize> =
        policy.sections.iter().enumerate().map(|(i, s)| (s.at, i)).collect();
    let mut out = String::new();
    for (segment_index, segment) in policy.segments.iter().enumerate() {
        let mut events: Vec<Event> = Vec::with_capacity(segment.events.len());
        let mut close_table = Vec::new();
        let mut in_figure = false;
        for (event_index, (event, _)) in segment.events.iter().enumerate() {
            let at = (segment_index, event_index);
            if let Some(figure) = figures.get(&at) {
                events.push(Event::Html(CowStr::from(figure.clone())));
                in_figure = true;
                continue;
            }
            if in_figure {
                in_figure = !matches!(event, Event::End(TagEnd::CodeBlock));
                continue;
            }
            if let Some(&i) = clause_at.get(&at) {
                let clause = &policy.clauses[i];
                let marks = format!(
                    " data-clause=\"{}\"{}",
                    attr(&clause.id),
                    clause
                        .number
                        .as_ref()
                        .map(|n| format!(" data-number=\"{}\"", attr(n)))
                        .unwrap_or_default()
                );
                match clause.kind {
                    ClauseKind::Paragraph => {
                        events.push(Event::Html(CowStr::from(format!("<p class=\"clause\"{marks}>"))))
                    }
                    ClauseKind::ListItem => {
                        events.push(Event::Html(CowStr::from(format!("<li class=\"clause\"{marks}>"))))
                    }
                    ClauseKind::Table => {
                        events.push(Event::Html(CowStr::from(format!(
                            "<div class=\"clause table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table\"{marks}>"
                        ))));
                        events.push(event.clone());
                        close_table.push(());
                    }
                }
                continue;
            }
            if let Some(&i) = section_at.get(&at) {
                let section = &policy.sections[i];
                // The page title is the only h1.
                let level = section.level.clamp(2, 6);
                events.push(Event::Html(CowStr::from(format!("<h{level} id=\"{}\">", attr(&section.id)))));
                continue;
            }
            match event {
                Event::End(TagEnd::Heading(level)) => {
                    let level = (*level as u8).clamp(2, 6);
                    events.push(Event::Html(CowStr::from(format!("</h{level}>\n"))));
                }
                Event::End(TagEnd::Table) if close_table.pop().is_some() => {
                    events.push(event.clone());
                    events.push(Event::Html(CowStr::from("</div>\n")));
                }
                // A table outside a clause (in non-policy material) still scrolls on its own.
                Event::Start(Tag::Table(_)) => {
                    events.push(Event::Html(CowStr::from(
                        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">",
                    )));
                    events.push(event.clone());
                    close_table.push(());
                }
                other => events.push(other.clone()),
            }
        }
        if segment.kind == SegmentKind::Policy {
            html::push_html(&mut out, events.into_iter());
        } else {
            // An editor's note is short and says something the reader needs, so it stays open.
            // Cover pages, brochures, the source's own contents list and signature blocks sit
            // behind a closed disclosure so that the policy text comes first (opened for print).
            let kind = segment.kind;
            let (tag, label_tag) =
                if kind == SegmentKind::Note { ("div", "p") } else { ("details", "summary") };
            out.push_str(&format!(
                "<{tag} class=\"nonpolicy nonpolicy-{}\">\n<{label_tag} class=\"nonpolicy-label\">{}</{label_tag}>\n",
                kind.name(),
                attr(kind.label())
            ));
            html::push_html(&mut out, events.into_iter());
            out.push_str(&format!("</{tag}>\n"));
        }
    }
    out
}

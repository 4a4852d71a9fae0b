//! The "Other schools" list beside each clause: its counterparts in other policies, each with
//! the topic the two clauses share, which is why they are linked. The list is a closed
//! `<details>`, one line until a reader opens it, however many links it holds.

use super::markdown::attr as escape;
use crate::model::{Clause, Site};
use std::collections::HashMap;

/// Characters of a counterpart's text shown in the list.
const PREVIEW_CHARS: usize = 150;

/// For each clause of policy `p` with counterparts, the "Other schools" list shown with it,
/// by clause id. Links are relative to the policy pages' own folder.
pub fn related_lists(site: &Site, p: usize) -> HashMap<String, String> {
    site.policies[p]
        .clauses
        .iter()
        .filter(|c| !c.related.is_empty())
        .map(|clause| (clause.id.clone(), related_list(site, clause)))
        .collect()
}

fn related_list(site: &Site, clause: &Clause) -> String {
    let mut html = format!(
        "<details class=\"related\"><summary>Other schools <span class=\"related-count\">({})</span></summary><ul>",
        clause.related.len()
    );
    for (other, target) in clause.related.iter().filter_map(|r| site.resolve(r)) {
        let text: String = target.text.chars().take(PREVIEW_CHARS).collect();
        let more = if target.text.chars().count() > PREVIEW_CHARS { "…" } else { "" };
        let shared = clause
            .topics
            .iter()
            .filter(|t| target.topics.contains(t))
            .filter_map(|t| site.topics.iter().find(|topic| &topic.id == t))
            .map(|topic| escape(&topic.title))
            .collect::<Vec<_>>()
            .join("; ");
        html.push_str(&format!(
            "<li><a href=\"{}.html#{}\"><span class=\"related-school\">{}</span> <span class=\"related-clause\">{}</span></a> <span class=\"related-topic\">Both on: {shared}</span> <span class=\"related-text\">{}{more}</span></li>",
            escape(&other.slug),
            escape(&target.id),
            escape(other.short_name()),
            escape(&target.label),
            escape(&text)
        ));
    }
    html.push_str("</ul></details>");
    html
}

//! Route views: what the templates get to show a reporting route (chart, steps, citations),
//! on its policy page and side by side on the concern pages.

use super::flowchart;
use crate::model::{Policy, Route, Site};
use serde::Serialize;

/// A route ready to show.
#[derive(Debug, Serialize)]
pub struct RouteView<'a> {
    /// Anchor of the route on its policy page.
    pub anchor: String,
    /// Id of the figure on the page showing it: the anchor on the policy page, made unique
    /// by the school on pages that show several schools' routes.
    pub dom_id: String,
    pub concern: &'a str,
    pub title: &'a str,
    pub school: &'a str,
    pub short_name: &'a str,
    pub policy_url: String,
    /// Shown in its policy's text, behind a disclosure so that it does not push the text down
    /// (on a concern page it is the content, and shown open).
    pub in_place: bool,
    pub svg: String,
    pub steps: Vec<StepView<'a>>,
}

/// One step of a route, as the text version beside the chart shows it (and, on narrow
/// screens, as the chart itself: one block under another).
#[derive(Debug, Serialize)]
pub struct StepView<'a> {
    pub number: usize,
    pub kind: crate::model::StepKind,
    /// "Step 1", "Step 2 · Decision".
    pub heading: String,
    pub text: &'a str,
    pub who: Option<&'a str>,
    pub when: Option<&'a str>,
    pub general: bool,
    pub cites: Vec<Cite>,
    /// Where the step leads, unless it is simply the next step (or the end).
    pub next: Vec<Next>,
    /// Whether the step comes straight after the one before it, so an arrow joins them.
    pub follows: bool,
    /// Whether the route ends here.
    pub end: bool,
}

/// A branch or a jump: "If yes: go to step 3", "Then go to step 5".
#[derive(Debug, Serialize)]
pub struct Next {
    /// "If yes", "If no", the branch's own label, or empty for a jump.
    pub label: String,
    pub step: usize,
}

/// A cited clause, as a link.
#[derive(Debug, Serialize)]
pub struct Cite {
    pub label: String,
    pub url: String,
}

/// Anchor of a route on its policy page.
pub fn anchor(route: &Route) -> String {
    format!("route-{}", route.concern)
}

/// The view of one route, for its policy page or (`among_schools`) a page of several schools.
pub fn view<'a>(policy: &'a Policy, route: &'a Route, among_schools: bool) -> RouteView<'a> {
    let clause_url = |id: &str| format!("/{}#{id}", policy.url());
    let number = |id: &str| route.steps.iter().position(|s| s.id == id).map_or(0, |i| i + 1);
    let anchor = anchor(route);
    let dom_id = if among_schools { format!("{}-{anchor}", policy.slug) } else { anchor.clone() };
    let svg = flowchart::draw(route, &format!("{dom_id}-chart"), &clause_url);
    let steps = route
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| StepView {
            number: i + 1,
            kind: step.kind,
            heading: step.kind.heading(i + 1),
            text: &step.text,
            who: step.who.as_deref(),
            when: step.when.as_deref(),
            general: step.general,
            cites: step
                .cites
                .iter()
                .map(|id| Cite {
                    label: policy.clause(id).map_or_else(|| id.clone(), |c| c.label.clone()),
                    url: clause_url(id),
                })
                .collect(),
            next: step
                .edges
                .iter()
                .filter(|e| e.label.is_some() || number(&e.to) != i + 2)
                .map(|e| Next {
                    label: e.label.as_deref().map(branch_label).unwrap_or_default(),
                    step: number(&e.to),
                })
                .collect(),
            follows: i > 0 && route.steps[i - 1].edges.iter().any(|e| e.label.is_none() && e.to == step.id),
            end: step.edges.is_empty(),
        })
        .collect();
    RouteView {
        anchor,
        dom_id,
        concern: &route.concern,
        title: &route.title,
        school: &policy.meta.school,
        short_name: policy.short_name(),
        policy_url: format!("/{}", policy.url()),
        in_place: !among_schools,
        svg,
        steps,
    }
}

/// How a branch reads in the text: "If yes" for a Yes, otherwise the branch's own label.
fn branch_label(label: &str) -> String {
    match label.to_lowercase().as_str() {
        answer @ ("yes" | "no") => format!("If {answer}"),
        _ => label.to_string(),
    }
}

/// A concern with every school's route for it, and the schools that have none.
#[derive(Debug, Serialize)]
pub struct ConcernView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: String,
    pub routes: Vec<RouteView<'a>>,
    /// Schools whose policy has no route for this concern: `[short name, policy url]`.
    pub missing: Vec<(&'a str, String)>,
}

pub fn concern_views(site: &Site) -> Vec<ConcernView<'_>> {
    site.concerns
        .iter()
        .map(|concern| {
            let mut routes = Vec::new();
            let mut missing = Vec::new();
            for policy in &site.policies {
                match policy.routes.iter().find(|r| r.concern == concern.id) {
                    Some(route) => routes.push(view(policy, route, true)),
                    None => missing.push((policy.short_name(), format!("/{}", policy.url()))),
                }
            }
            ConcernView {
                id: &concern.id,
                title: &concern.title,
                summary: concern.summary.as_deref(),
                url: format!("/routes/{}.html", concern.id),
                routes,
                missing,
            }
        })
        .collect()
}

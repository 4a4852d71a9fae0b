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
    /// Id of the concern the route answers (`staff-cyberbullied`).
    pub concern: &'a str,
    /// The route's title.
    pub title: &'a str,
    /// School's full name.
    pub school: &'a str,
    /// School's short name (`Holy Cross`), else its full name.
    pub short_name: &'a str,
    /// Site-absolute URL of the policy page (`/policies/holy-cross.html`).
    pub policy_url: String,
    /// Shown in its policy's text, behind a disclosure so that it does not push the text down
    /// (on a concern page it is the content, and shown open).
    pub in_place: bool,
    /// The route drawn as an SVG flowchart.
    pub svg: String,
    /// The steps as text, in order: the chart's text version.
    pub steps: Vec<StepView<'a>>,
}

/// One step of a route, as the text version beside the chart shows it (and, on narrow
/// screens, as the chart itself: one block under another).
#[derive(Debug, Serialize)]
pub struct StepView<'a> {
    /// 1-based position of the step in its route.
    pub number: usize,
    /// Step, decision or outside body.
    pub kind: crate::model::StepKind,
    /// "Step 1", "Step 2 · Decision".
    pub heading: String,
    /// What to do or ask, as the policy words it.
    pub text: &'a str,
    /// Who does it, if the step says.
    pub who: Option<&'a str>,
    /// When it is done, if the step says.
    pub when: Option<&'a str>,
    /// General guidance that no clause states.
    pub general: bool,
    /// The clauses the step comes from, as links.
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
    /// The step it leads to.
    pub step: usize,
}

/// A cited clause, as a link.
#[derive(Debug, Serialize)]
pub struct Cite {
    /// The clause's label (`6.11`), or its id if the policy has no such clause.
    pub label: String,
    /// Site-absolute URL of the clause (`/policies/holy-cross.html#6.11`).
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
    /// Concern id (`staff-cyberbullied`).
    pub id: &'a str,
    /// The concern as staff would think of it.
    pub title: &'a str,
    /// One sentence on what the concern covers.
    pub summary: Option<&'a str>,
    /// Site-absolute URL of the concern's page (`/routes/staff-cyberbullied.html`).
    pub url: String,
    /// Every school's route for the concern, in policy order.
    pub routes: Vec<RouteView<'a>>,
    /// Schools whose policy has no route for this concern: `[short name, policy url]`.
    pub missing: Vec<(&'a str, String)>,
}

pub(crate) fn concern_views(site: &Site) -> Vec<ConcernView<'_>> {
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

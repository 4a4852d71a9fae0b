//! Routes: the "who do I tell?" flowcharts written in a policy as ```` ```route ```` blocks.
//!
//! Each block is TOML (see `docs/content-format.md`, "Reporting routes"). This stage parses
//! it, works out the edges (a step leads to the next unless it branches, jumps or ends), and
//! checks it: the concern must exist, every citation must name a clause of the policy, every
//! jump and branch must name a step; a step without a citation is a warning unless marked
//! general guidance.

use crate::config::toml_diagnostic;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Concern, Policy, Route, RouteEdge, RouteStep, StepKind};
use pulldown_cmark::{CodeBlockKind, Event, Tag};
use serde::Deserialize;
use std::collections::HashSet;

/// Info string of a route block.
pub const ROUTE_INFO: &str = "route";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteSpec {
    concern: String,
    title: String,
    steps: Vec<StepSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    id: String,
    #[serde(default)]
    kind: StepKind,
    text: String,
    who: Option<String>,
    when: Option<String>,
    #[serde(default)]
    cites: Vec<String>,
    #[serde(default)]
    general: bool,
    #[serde(default)]
    branches: Vec<BranchSpec>,
    then: Option<String>,
    #[serde(default)]
    end: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BranchSpec {
    label: String,
    to: String,
}

/// Finds, parses and checks every route block of `policy`.
pub fn analyse(policy: &mut Policy, concerns: &[Concern], diagnostics: &mut Diagnostics) {
    let mut routes = Vec::new();
    for (segment_index, segment) in policy.segments.iter().enumerate() {
        let mut inside: Option<(usize, usize, String)> = None;
        for (event_index, (event, span)) in segment.events.iter().enumerate() {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == ROUTE_INFO => {
                    inside = Some((event_index, span.start, String::new()));
                }
                Event::Text(text) if inside.is_some() => {
                    if let Some((_, _, body)) = &mut inside {
                        body.push_str(text);
                    }
                }
                Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                    if let Some((start, offset, body)) = inside.take()
                        && let Some(route) =
                            parse(policy, concerns, (segment_index, start), offset, &body, diagnostics)
                    {
                        routes.push(route);
                    }
                }
                _ => {}
            }
        }
    }
    for (i, route) in routes.iter().enumerate() {
        if let Some(first) = routes[..i].iter().find(|r| r.concern == route.concern) {
            let (line, _) = policy.source.line_col(first.offset);
            diagnostics.push(
                Diagnostic::error(
                    policy.source.path(),
                    format!("a second route for `{}` (the first is at line {line})", route.concern),
                )
                .at(&policy.source, route.offset)
                .with_help("merge the two routes, or give this one its own concern in content/concerns.toml"),
            );
        }
    }
    policy.routes = routes;
}

fn parse(
    policy: &Policy,
    concerns: &[Concern],
    at: (usize, usize),
    offset: usize,
    body: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Route> {
    let source = &policy.source;
    // The TOML starts on the line after the opening fence.
    let body_offset = source.text[offset..].find('\n').map_or(offset, |i| offset + i + 1);
    let spec: RouteSpec = match toml::from_str(body) {
        Ok(spec) => spec,
        Err(e) => {
            diagnostics.push(toml_diagnostic(source, &e, body_offset));
            return None;
        }
    };
    // Where a word stands in the block, for pointing at it.
    let find = |needle: &str| body.find(needle).map_or(body_offset, |i| body_offset + i);
    let mut ok = true;
    if !concerns.iter().any(|c| c.id == spec.concern) {
        ok = false;
        diagnostics.push(
            Diagnostic::error(source.path(), format!("unknown concern `{}`", spec.concern))
                .at(source, find(&format!("\"{}\"", spec.concern)))
                .with_help(format!(
                    "use an id from content/concerns.toml: {}",
                    concerns.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
                )),
        );
    }
    let mut seen = HashSet::new();
    for step in &spec.steps {
        if !seen.insert(step.id.as_str()) {
            ok = false;
            diagnostics.push(
                Diagnostic::error(source.path(), format!("two steps of this route are called `{}`", step.id))
                    .at(source, find(&format!("id = \"{}\"", step.id)))
                    .with_help("give each step its own id"),
            );
        }
    }
    let mut steps = Vec::new();
    for (i, step) in spec.steps.iter().enumerate() {
        for cited in &step.cites {
            if policy.clause(cited).is_none() {
                ok = false;
                diagnostics.push(
                    Diagnostic::error(source.path(), format!("step `{}` cites clause `{cited}`, which this policy does not have", step.id))
                        .at(source, find(&format!("\"{cited}\"")))
                        .with_help("cite clause ids as they appear in data/clauses.json (`clause`), e.g. \"6.11\" or \"section-4-2\""),
                );
            }
        }
        if step.cites.is_empty() && !step.general {
            diagnostics.push(
                Diagnostic::warning(source.path(), format!("step `{}` cites no clause", step.id))
                    .at(source, find(&format!("id = \"{}\"", step.id)))
                    .with_help("add cites = [\"clause-id\"], or general = true if it is general guidance no clause states"),
            );
        }
        let mut edges: Vec<RouteEdge> = step
            .branches
            .iter()
            .map(|b| RouteEdge { to: b.to.clone(), label: Some(b.label.clone()) })
            .collect();
        if step.kind == StepKind::Decision && edges.len() < 2 {
            ok = false;
            diagnostics.push(
                Diagnostic::error(
                    source.path(),
                    format!("decision `{}` needs at least two branches", step.id),
                )
                .at(source, find(&format!("id = \"{}\"", step.id)))
                .with_help(
                    "add branches = [{ label = \"Yes\", to = \"...\" }, { label = \"No\", to = \"...\" }]",
                ),
            );
        }
        if edges.is_empty() && !step.end {
            match (&step.then, spec.steps.get(i + 1)) {
                (Some(then), _) => edges.push(RouteEdge { to: then.clone(), label: None }),
                (None, Some(next)) => edges.push(RouteEdge { to: next.id.clone(), label: None }),
                (None, None) => {}
            }
        }
        for edge in &edges {
            if !seen.contains(edge.to.as_str()) {
                ok = false;
                diagnostics.push(
                    Diagnostic::error(
                        source.path(),
                        format!(
                            "step `{}` leads to `{}`, which is not a step of this route",
                            step.id, edge.to
                        ),
                    )
                    .at(source, find(&format!("\"{}\"", edge.to)))
                    .with_help("name the id of another step"),
                );
            }
        }
        steps.push(RouteStep {
            id: step.id.clone(),
            kind: step.kind,
            text: step.text.clone(),
            who: step.who.clone(),
            when: step.when.clone(),
            cites: step.cites.clone(),
            general: step.general,
            edges,
        });
    }
    if steps.is_empty() {
        ok = false;
        diagnostics
            .push(Diagnostic::error(source.path(), "a route needs at least one step").at(source, offset));
    }
    ok.then(|| Route { concern: spec.concern, title: spec.title, steps, offset, at })
}

//! Routes: the "who do I tell?" flowcharts written in a policy as ```` ```route ```` blocks.
//!
//! Each block is TOML (see `docs/content-format.md`, "Reporting routes"). This stage parses
//! it, works out the edges (a step leads to the next unless it branches, jumps or ends), and
//! checks it: the concern must exist, every citation must name a clause of the policy, every
//! jump and branch must name a step; a step without a citation is a warning unless marked
//! general guidance.

use crate::diagnostics::toml_diagnostic;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Concern, Policy, Route, RouteEdge, RouteStep, StepKind};
use pulldown_cmark::{CodeBlockKind, Event, Tag};
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

/// Info string of a route block.
pub const ROUTE_INFO: &str = "route";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteSpec {
    concern: Spanned<String>,
    title: String,
    steps: Vec<StepSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    id: Spanned<String>,
    #[serde(default)]
    kind: StepKind,
    text: String,
    who: Option<String>,
    when: Option<String>,
    #[serde(default)]
    cites: Vec<Spanned<String>>,
    #[serde(default)]
    general: bool,
    #[serde(default)]
    branches: Vec<BranchSpec>,
    then: Option<Spanned<String>>,
    #[serde(default)]
    end: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BranchSpec {
    label: String,
    to: Spanned<String>,
}

/// A route block's TOML as the file writes it, with the way back from its offsets to the
/// file's: lines keep their own endings, and only the block's indentation is taken off.
struct BlockText {
    text: String,
    /// (offset in `text`, offset in the file) of each line's start.
    lines: Vec<(usize, usize)>,
}

impl BlockText {
    /// The lines between the fences of the fenced code block at `span` of `source`.
    fn new(source: &str, span: Range<usize>) -> BlockText {
        let block = &source[span.clone()];
        let mut raw = block.split_inclusive('\n');
        let opening = raw.next().unwrap_or("");
        let indent = opening.len() - opening.trim_start_matches(' ').len();
        let fence_char = opening.trim_start().chars().next().unwrap_or('`');
        let mut at = span.start + opening.len();
        let mut text = String::new();
        let mut lines = Vec::new();
        for line in raw {
            let trimmed = line.trim();
            if !trimmed.is_empty() && trimmed.chars().all(|c| c == fence_char) {
                break;
            }
            let strip = (line.len() - line.trim_start_matches(' ').len()).min(indent);
            lines.push((text.len(), at + strip));
            text.push_str(&line[strip..]);
            at += line.len();
        }
        BlockText { text, lines }
    }

    /// The file offset of an offset in the block's text.
    fn to_file(&self, offset: usize) -> usize {
        let line = self.lines.partition_point(|&(start, _)| start <= offset).saturating_sub(1);
        self.lines.get(line).map_or(0, |&(start, file)| file + offset - start)
    }
}

/// Finds, parses and checks every route block of `policy`.
pub fn analyse(policy: &mut Policy, concerns: &[Concern], diagnostics: &mut Diagnostics) {
    let mut routes: Vec<Route> = Vec::new();
    for (segment_index, segment) in policy.segments.iter().enumerate() {
        for (event_index, (event, span)) in segment.events.iter().enumerate() {
            if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event
                && info.trim() == ROUTE_INFO
            {
                let block = BlockText::new(&policy.source.text, span.clone());
                if let Some(route) =
                    parse(policy, concerns, (segment_index, event_index), span.start, &block, diagnostics)
                {
                    routes.push(route);
                }
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
    block: &BlockText,
    diagnostics: &mut Diagnostics,
) -> Option<Route> {
    let source = &policy.source;
    let spec: RouteSpec = match toml::from_str(&block.text) {
        Ok(spec) => spec,
        Err(e) => {
            let mut diagnostic =
                toml_diagnostic(source, &e, 0).at(source, block.to_file(e.span().map_or(0, |s| s.start)));
            diagnostic.message = format!("in a route: {}", diagnostic.message);
            diagnostics.push(diagnostic);
            return None;
        }
    };
    // Where a value stands in the file, for pointing at it.
    let place = |value: &Spanned<String>| block.to_file(value.span().start);
    let mut ok = true;
    let mut error = |diagnostic: Diagnostic| {
        ok = false;
        diagnostics.push(diagnostic);
    };
    if !concerns.iter().any(|c| &c.id == spec.concern.get_ref()) {
        error(
            Diagnostic::error(source.path(), format!("unknown concern `{}`", spec.concern.get_ref()))
                .at(source, place(&spec.concern))
                .with_help(format!(
                    "use a built-in concern or one of content/concerns.toml: {}",
                    concerns.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
                )),
        );
    }
    let mut seen = HashSet::new();
    for step in &spec.steps {
        if !seen.insert(step.id.get_ref().as_str()) {
            error(
                Diagnostic::error(
                    source.path(),
                    format!("two steps of this route are called `{}`", step.id.get_ref()),
                )
                .at(source, place(&step.id))
                .with_help("give each step its own id"),
            );
        }
    }
    let mut steps = Vec::new();
    let mut warnings = Vec::new();
    for (i, step) in spec.steps.iter().enumerate() {
        let id = step.id.get_ref();
        for cited in &step.cites {
            if policy.clause(cited.get_ref()).is_none() {
                error(
                    Diagnostic::error(
                        source.path(),
                        format!("step `{id}` cites clause `{}`, which this policy does not have", cited.get_ref()),
                    )
                    .at(source, place(cited))
                    .with_help("cite clause ids as data/clauses.json gives them (`clause`), e.g. \"6.11\" or \"section-4-2\""),
                );
            }
        }
        if step.cites.is_empty() && !step.general {
            warnings.push(
                Diagnostic::warning(source.path(), format!("step `{id}` cites no clause"))
                    .at(source, place(&step.id))
                    .with_help("add cites = [\"clause-id\"], or general = true if it is general guidance no clause states"),
            );
        }
        if step.kind == StepKind::Decision && step.branches.len() < 2 {
            error(
                Diagnostic::error(source.path(), format!("decision `{id}` needs at least two branches"))
                    .at(source, place(&step.id))
                    .with_help("add branches = [{ label = \"Yes\", to = \"...\" }, { label = \"No\", to = \"...\" }]"),
            );
        }
        // Where the step leads: its branches, its jump, or the next step unless it ends.
        let next = spec.steps.get(i + 1).map(|s| &s.id);
        let targets: Vec<(&Spanned<String>, Option<&String>)> = if !step.branches.is_empty() {
            step.branches.iter().map(|b| (&b.to, Some(&b.label))).collect()
        } else if step.end {
            Vec::new()
        } else {
            step.then.as_ref().or(next).map(|t| (t, None)).into_iter().collect()
        };
        for (target, _) in &targets {
            if !seen.contains(target.get_ref().as_str()) {
                error(
                    Diagnostic::error(
                        source.path(),
                        format!(
                            "step `{id}` leads to `{}`, which is not a step of this route",
                            target.get_ref()
                        ),
                    )
                    .at(source, place(target))
                    .with_help("name the id of another step"),
                );
            }
        }
        steps.push(RouteStep {
            id: id.clone(),
            kind: step.kind,
            text: step.text.clone(),
            who: step.who.clone(),
            when: step.when.clone(),
            cites: step.cites.iter().map(|c| c.get_ref().clone()).collect(),
            general: step.general,
            edges: targets
                .into_iter()
                .map(|(to, label)| RouteEdge { to: to.get_ref().clone(), label: label.cloned() })
                .collect(),
        });
    }
    if steps.is_empty() {
        error(Diagnostic::error(source.path(), "a route needs at least one step").at(source, offset));
    }
    diagnostics.extend(warnings);
    ok.then(|| Route { concern: spec.concern.into_inner(), title: spec.title, steps, offset, at })
}

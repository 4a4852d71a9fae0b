//! Flowcharts: a route drawn as SVG at build time, top to bottom.
//!
//! A small layered layout, enough for routes of a few to a dozen steps: each step sits one
//! layer below the steps that lead to it (longest path), steps in a layer are placed under
//! the average of their predecessors, and edges run down, across and down again. The layout
//! is worked out once (`Layout`) and then written as SVG. Steps,
//! decisions and outside bodies differ in shape and carry their kind in words, so colour is
//! never the only signal. Styling is by presentation attributes only, so the SVG is the same
//! inline or standalone, and needs no stylesheet under a strict Content-Security-Policy.
//! Steps carry `data-href` to the clause they cite; `routes.js` makes them clickable.

use super::markdown::attr as escape;
use crate::model::{Route, StepKind};
use std::collections::HashMap;
use std::fmt::Write;

const NODE_WIDTH: f32 = 250.0;
const LAYER_GAP: f32 = 46.0;
const COLUMN_GAP: f32 = 30.0;
const MARGIN: f32 = 12.0;
const PADDING: f32 = 10.0;
const CAPTION_HEIGHT: f32 = 16.0;
const LINE_HEIGHT: f32 = 18.0;
const META_LINE_HEIGHT: f32 = 16.0;
/// Characters per line for the 14px text in a node, measured for common sans-serif fonts.
const TEXT_CHARS: usize = 31;
const META_CHARS: usize = 36;
/// Characters per line of a branch label, and the height of a label line.
const LABEL_CHARS: usize = 24;
const LABEL_LINE_HEIGHT: f32 = 15.0;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

struct Style {
    fill: &'static str,
    stroke: &'static str,
}

fn style(kind: StepKind) -> Style {
    match kind {
        StepKind::Step => Style { fill: "#eef4fb", stroke: "#1d4f91" },
        StepKind::Decision => Style { fill: "#fff5d6", stroke: "#7a4f00" },
        StepKind::External => Style { fill: "#fbeaea", stroke: "#8e1f1f" },
    }
}

/// Breaks `text` into lines of at most `width` characters, at spaces where possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        // A word longer than a line (a URL) is cut.
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let cut: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(cut);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Where everything of a chart goes, worked out once from the route; [`draw`] writes it.
struct Layout {
    width: f32,
    height: f32,
    /// One per step, in step order.
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

/// A step's box: its wrapped lines, its centre `x`, its top `y` and its height.
struct Node {
    text: Vec<String>,
    meta: Vec<String>,
    height: f32,
    layer: usize,
    x: f32,
    y: f32,
}

/// An arrow: the corners it runs through, and its label, if it has one.
struct Edge {
    points: Vec<(f32, f32)>,
    label: Option<Label>,
}

/// A branch label in its white box: `x` is where the text is anchored (`anchor`).
struct Label {
    lines: Vec<String>,
    x: f32,
    top: f32,
    anchor: &'static str,
    box_x: f32,
    box_width: f32,
}

/// The SVG for `route`. `prefix` makes element ids unique on the page; `clause_url` gives the
/// link for a cited clause id.
pub fn draw(route: &Route, prefix: &str, clause_url: &dyn Fn(&str) -> String) -> String {
    svg(route, &layout(route), prefix, clause_url)
}

/// Lays the route out: layers down the page, columns across, arrows between.
fn layout(route: &Route) -> Layout {
    let index: HashMap<&str, usize> =
        route.steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let edges: Vec<(usize, usize, Option<&str>)> = route
        .steps
        .iter()
        .enumerate()
        .flat_map(|(from, step)| {
            let index = &index;
            step.edges
                .iter()
                .filter_map(move |e| Some((from, *index.get(e.to.as_str())?, e.label.as_deref())))
        })
        .collect();
    let forward = forward_edges(route.steps.len(), &edges);

    let mut nodes: Vec<Node> = route
        .steps
        .iter()
        .map(|step| {
            let width = if step.kind == StepKind::Decision { TEXT_CHARS - 4 } else { TEXT_CHARS };
            let text = wrap(&step.text, width);
            let mut meta = Vec::new();
            if let Some(who) = &step.who {
                meta.extend(wrap(&format!("Who: {who}"), META_CHARS));
            }
            if let Some(when) = &step.when {
                meta.extend(wrap(&format!("When: {when}"), META_CHARS));
            }
            let height = PADDING * 2.0
                + CAPTION_HEIGHT
                + text.len() as f32 * LINE_HEIGHT
                + meta.len() as f32 * META_LINE_HEIGHT
                + if meta.is_empty() { 0.0 } else { 4.0 };
            Node { text, meta, height, layer: 0, x: 0.0, y: 0.0 }
        })
        .collect();

    // Layers: the longest path from the first step, along forward edges. A step nothing leads
    // to (besides the first) sits below the one before it.
    for i in 0..nodes.len() {
        let from_predecessors =
            forward.iter().filter(|(_, to)| *to == i).map(|(from, _)| nodes[*from].layer + 1).max();
        nodes[i].layer = match from_predecessors {
            Some(layer) => layer,
            None if i == 0 => 0,
            None => nodes[i - 1].layer + 1,
        };
    }
    let layers = nodes.iter().map(|n| n.layer).max().map_or(0, |m| m + 1);

    // Columns: each step under the average of its predecessors, then pushed apart.
    let step = NODE_WIDTH + COLUMN_GAP;
    for layer in 0..layers {
        let mut members: Vec<(usize, f32)> = (0..nodes.len())
            .filter(|&i| nodes[i].layer == layer)
            .map(|i| {
                let preds: Vec<f32> =
                    forward.iter().filter(|(_, to)| *to == i).map(|(from, _)| nodes[*from].x).collect();
                let desired =
                    if preds.is_empty() { 0.0 } else { preds.iter().sum::<f32>() / preds.len() as f32 };
                (i, desired)
            })
            .collect();
        members.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let desired: Vec<f32> = members.iter().map(|m| m.1).collect();
        let mut placed = desired.clone();
        for k in 1..placed.len() {
            placed[k] = placed[k].max(placed[k - 1] + step);
        }
        // Keep the layer centred on where its members want to be.
        let shift = (desired.iter().sum::<f32>() - placed.iter().sum::<f32>()) / placed.len().max(1) as f32;
        for (k, (i, _)) in members.iter().enumerate() {
            nodes[*i].x = placed[k] + shift;
        }
    }
    // Below each layer, room for the labels of the branches that leave it.
    let mut label_lines: Vec<Vec<String>> =
        edges.iter().map(|(_, _, label)| label.map(|l| wrap(l, LABEL_CHARS)).unwrap_or_default()).collect();
    let mut gap_below = vec![LAYER_GAP; layers];
    for (k, &(from, _, _)) in edges.iter().enumerate() {
        let needed = LAYER_GAP + label_lines[k].len() as f32 * LABEL_LINE_HEIGHT + 4.0;
        let gap = &mut gap_below[nodes[from].layer];
        *gap = gap.max(if label_lines[k].is_empty() { LAYER_GAP } else { needed });
    }
    let mut y = MARGIN;
    for (layer, gap) in gap_below.iter().enumerate() {
        let height = nodes.iter().filter(|n| n.layer == layer).map(|n| n.height).fold(0.0, f32::max);
        for node in nodes.iter_mut().filter(|n| n.layer == layer) {
            node.y = y;
        }
        y += height + gap;
    }
    let min_x = nodes.iter().map(|n| n.x).fold(f32::INFINITY, f32::min);
    for node in &mut nodes {
        node.x += -min_x + MARGIN + NODE_WIDTH / 2.0;
    }
    let content_right = nodes.iter().map(|n| n.x + NODE_WIDTH / 2.0).fold(0.0, f32::max);
    let mut lane = content_right + 14.0;
    let mut width = content_right + MARGIN;
    let height = y - gap_below.last().copied().unwrap_or(LAYER_GAP) + MARGIN;

    let mut placed = Vec::with_capacity(edges.len());
    for (k, &(from, to, _)) in edges.iter().enumerate() {
        let (a, b) = (&nodes[from], &nodes[to]);
        let (x1, y1) = (a.x, a.y + a.height);
        let (x2, y2) = (b.x, b.y);
        let blocked = nodes.iter().enumerate().any(|(k, n)| {
            k != from
                && k != to
                && n.layer > a.layer
                && n.layer < b.layer
                && (n.x - x2).abs() < NODE_WIDTH / 2.0 + 4.0
        });
        // Back to an earlier step, or past steps in the way: round the right-hand side.
        let side = b.layer <= a.layer || blocked;
        let points = if side {
            let (right_a, right_b) = (a.x + NODE_WIDTH / 2.0, b.x + NODE_WIDTH / 2.0);
            let (mid_a, mid_b) = (a.y + a.height / 2.0, b.y + b.height / 2.0);
            let points = vec![(right_a, mid_a), (lane, mid_a), (lane, mid_b), (right_b, mid_b)];
            lane += 14.0;
            width = width.max(lane + MARGIN);
            points
        } else if (x1 - x2).abs() < 0.5 {
            vec![(x1, y1), (x1, y2)]
        } else {
            let mid = y1 + LAYER_GAP / 2.0;
            vec![(x1, y1), (x1, mid), (x2, mid), (x2, y2)]
        };
        let lines = std::mem::take(&mut label_lines[k]);
        let label = (!lines.is_empty()).then(|| {
            // Down an edge: centred on the drop into the target. Round the side: by the exit.
            let (x, top, anchor) = if side {
                (a.x + NODE_WIDTH / 2.0 + 6.0, a.y + a.height / 2.0 + 4.0, "start")
            } else if (x1 - x2).abs() < 0.5 {
                (x2, y1 + 8.0, "middle")
            } else {
                (x2, y1 + LAYER_GAP / 2.0 + 6.0, "middle")
            };
            let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            let box_width = longest as f32 * 7.0 + 10.0;
            let box_x = if anchor == "start" { x - 4.0 } else { x - box_width / 2.0 };
            if side {
                width = width.max(x + box_width + MARGIN);
            }
            Label { lines, x, top, anchor, box_x, box_width }
        });
        placed.push(Edge { points, label });
    }
    Layout { width, height, nodes, edges: placed }
}

/// Writes a laid-out route as SVG.
fn svg(route: &Route, layout: &Layout, prefix: &str, clause_url: &dyn Fn(&str) -> String) -> String {
    let Layout { width, height, .. } = *layout;
    let mut svg = String::new();
    let mut paths = String::new();
    let mut labels = String::new();
    for edge in &layout.edges {
        let d: Vec<String> = edge
            .points
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }))
            .collect();
        let _ = writeln!(
            paths,
            r##"<path d="{}" fill="none" stroke="#0b0c0c" stroke-width="1.6" marker-end="url(#{prefix}-arrow)"/>"##,
            d.join(" ")
        );
        let Some(Label { lines, x, top, anchor, box_x, box_width }) = &edge.label else { continue };
        let box_height = lines.len() as f32 * LABEL_LINE_HEIGHT + 4.0;
        let _ = write!(
            labels,
            r##"<rect x="{box_x:.1}" y="{top:.1}" width="{box_width:.1}" height="{box_height:.1}" rx="3" fill="#ffffff" stroke="#0b0c0c" stroke-width="0.8"/>"##
        );
        for (n, line) in lines.iter().enumerate() {
            let ly = top + 13.0 + n as f32 * LABEL_LINE_HEIGHT;
            let _ = write!(
                labels,
                r##"<text x="{x:.1}" y="{ly:.1}" text-anchor="{anchor}" font-size="12.5" font-weight="700" fill="#0b0c0c">{}</text>"##,
                escape(line)
            );
        }
    }

    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="{FONT}" class="flowchart">"##
    );
    let _ = write!(svg, r#"<title id="{prefix}-title">{}</title>"#, escape(&route.title));
    let _ = write!(svg, r#"<desc id="{prefix}-desc">{}</desc>"#, escape(&describe(route)));
    let _ = write!(
        svg,
        r##"<defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0b0c0c"/></marker></defs>"##
    );
    svg.push_str(&paths);
    for (i, (node, step)) in layout.nodes.iter().zip(&route.steps).enumerate() {
        let Style { fill, stroke } = style(step.kind);
        let left = node.x - NODE_WIDTH / 2.0;
        let (top, bottom) = (node.y, node.y + node.height);
        let link = step.cites.first().map(|c| clause_url(c));
        if let Some(href) = &link {
            // A chart with role="img" may hold nothing interactive: a click on a step opens its
            // clause (assets/routes.js), and the list beside the chart carries the same links
            // for keyboards and screen readers.
            let _ = write!(svg, r#"<g class="route-node" data-href="{}">"#, escape(href));
        }
        match step.kind {
            StepKind::Decision => {
                let inset = 16.0;
                let mid = (top + bottom) / 2.0;
                let _ = write!(
                    svg,
                    r#"<polygon points="{:.1},{mid:.1} {:.1},{top:.1} {:.1},{top:.1} {:.1},{mid:.1} {:.1},{bottom:.1} {:.1},{bottom:.1}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>"#,
                    left,
                    left + inset,
                    left + NODE_WIDTH - inset,
                    left + NODE_WIDTH,
                    left + NODE_WIDTH - inset,
                    left + inset
                );
            }
            StepKind::External => {
                let _ = write!(
                    svg,
                    r#"<rect x="{left:.1}" y="{top:.1}" width="{NODE_WIDTH}" height="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="2"/><rect x="{:.1}" y="{:.1}" width="{}" height="{:.1}" fill="none" stroke="{stroke}" stroke-width="1"/>"#,
                    node.height,
                    left + 4.0,
                    top + 4.0,
                    NODE_WIDTH - 8.0,
                    node.height - 8.0
                );
            }
            StepKind::Step => {
                let _ = write!(
                    svg,
                    r#"<rect x="{left:.1}" y="{top:.1}" width="{NODE_WIDTH}" height="{:.1}" rx="10" fill="{fill}" stroke="{stroke}" stroke-width="2"/>"#,
                    node.height
                );
            }
        }
        let caption = step.kind.heading(i + 1);
        let mut line_y = top + PADDING + 12.0;
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{line_y:.1}" text-anchor="middle" font-size="12" font-weight="700" fill="#3b4044">{}</text>"##,
            node.x,
            escape(&caption)
        );
        line_y += CAPTION_HEIGHT + 2.0;
        for line in &node.text {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{line_y:.1}" text-anchor="middle" font-size="14" fill="#0b0c0c">{}</text>"##,
                node.x,
                escape(line)
            );
            line_y += LINE_HEIGHT;
        }
        if !node.meta.is_empty() {
            line_y += 2.0;
        }
        for line in &node.meta {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{line_y:.1}" text-anchor="middle" font-size="12" font-style="italic" fill="#3b4044">{}</text>"##,
                node.x,
                escape(line)
            );
            line_y += META_LINE_HEIGHT;
        }
        if link.is_some() {
            svg.push_str("</g>");
        }
    }
    svg.push_str(&labels);
    svg.push_str("</svg>");
    svg
}

/// Edges that go down the chart: every edge except those closing a cycle (found by a depth
/// first walk from the first step, in step order).
fn forward_edges(count: usize, edges: &[(usize, usize, Option<&str>)]) -> Vec<(usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        node: usize,
        edges: &[(usize, usize, Option<&str>)],
        marks: &mut [Mark],
        out: &mut Vec<(usize, usize)>,
    ) {
        marks[node] = Mark::Open;
        for &(from, to, _) in edges.iter().filter(|e| e.0 == node) {
            match marks[to] {
                Mark::Open => {} // a back edge: drawn, but not used for layering
                Mark::New => {
                    out.push((from, to));
                    visit(to, edges, marks, out);
                }
                Mark::Done => out.push((from, to)),
            }
        }
        marks[node] = Mark::Done;
    }
    let mut marks = vec![Mark::New; count];
    let mut out = Vec::new();
    for start in 0..count {
        if marks[start] == Mark::New {
            visit(start, edges, &mut marks, &mut out);
        }
    }
    out
}

/// The route in words, for the chart's `<desc>`.
pub fn describe(route: &Route) -> String {
    let number: HashMap<&str, usize> =
        route.steps.iter().enumerate().map(|(i, s)| (s.id.as_str(), i + 1)).collect();
    let mut parts = vec![format!("Flowchart in {} steps.", route.steps.len())];
    for (i, step) in route.steps.iter().enumerate() {
        let text = step.text.trim_end_matches('.');
        let stop = if text.ends_with(['?', '!']) { "" } else { "." };
        let mut sentence = format!("{}: {text}{stop}", step.kind.heading(i + 1));
        for edge in &step.edges {
            let target = number.get(edge.to.as_str()).copied().unwrap_or(0);
            match &edge.label {
                Some(label) => sentence.push_str(&format!(" {label}: go to step {target}.")),
                None if target != i + 2 => sentence.push_str(&format!(" Then go to step {target}.")),
                None => {}
            }
        }
        if step.edges.is_empty() {
            sentence.push_str(" End.");
        }
        parts.push(sentence);
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RouteEdge, RouteStep};

    fn step(id: &str, kind: StepKind, edges: &[(&str, Option<&str>)]) -> RouteStep {
        RouteStep {
            id: id.into(),
            kind,
            text: format!("Text of {id} that is long enough to wrap onto a second line of the box"),
            who: None,
            when: Some("Immediately".into()),
            cites: vec!["1.1".into()],
            general: false,
            edges: edges
                .iter()
                .map(|(to, label)| RouteEdge { to: to.to_string(), label: label.map(str::to_string) })
                .collect(),
        }
    }

    #[test]
    fn wrapping_keeps_words_and_cuts_only_overlong_ones() {
        assert_eq!(
            wrap("Report it to the Head Teacher immediately", 16),
            ["Report it to the", "Head Teacher", "immediately"]
        );
        assert_eq!(
            wrap("see http://example.org/very/long", 10),
            ["see", "http://exa", "mple.org/v", "ery/long"]
        );
    }

    #[test]
    fn a_decision_fans_out_and_the_chart_is_well_formed() {
        let route = Route {
            concern: "c".into(),
            title: "A & B <route>".into(),
            steps: vec![
                step("a", StepKind::Step, &[("q", None)]),
                step("q", StepKind::Decision, &[("yes", Some("Yes")), ("no", Some("No"))]),
                step("yes", StepKind::External, &[]),
                step("no", StepKind::Step, &[("a", None)]),
            ],
            offset: 0,
            at: (0, 0),
        };
        let svg = draw(&route, "r1", &|id| format!("/p.html#{id}"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"<title id="r1-title">A &amp; B &lt;route&gt;</title>"#));
        assert!(svg.contains("<desc id=\"r1-desc\">Flowchart in 4 steps."));
        assert_eq!(svg.matches("<polygon").count(), 1, "one decision");
        assert!(svg.contains(">Yes</text>") && svg.contains(">No</text>"));
        assert_eq!(svg.matches("marker-end").count(), 4, "every edge is drawn, the loop back too");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(
            svg.contains(">Step 3 · Outside body</text>"),
            "kinds are named in words, not only by colour"
        );
        assert!(svg.contains(">Step 1</text>") && svg.contains(">Step 2 · Decision</text>"));
    }
}

//! Fenced divs (`::: brochure` … `:::`): how a content file marks material that is not policy.
//!
//! The body is cut at these fences before Markdown parsing, so a brochure page can hold
//! headings and lists of its own without them becoming policy clauses.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::model::SegmentKind;
use std::ops::Range;

/// Cuts `body` (a byte range of `source`) into runs of one kind each.
pub fn split(
    source: &SourceText,
    body: Range<usize>,
    diagnostics: &mut Diagnostics,
) -> Vec<(SegmentKind, Range<usize>)> {
    let mut runs = Vec::new();
    let mut open: Option<(SegmentKind, usize)> = None;
    let mut run_start = body.start;
    let mut offset = body.start;
    let mut code_fence: Option<&str> = None;
    for line in source.text[body.clone()].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        // A `:::` inside a code block is text, not a fence.
        if let Some(fence) = code_fence {
            if trimmed.trim_start().starts_with(fence) {
                code_fence = None;
            }
            continue;
        }
        let indent = trimmed.len() - trimmed.trim_start().len();
        if indent < 4 && (trimmed.trim_start().starts_with("```") || trimmed.trim_start().starts_with("~~~"))
        {
            code_fence = Some(&trimmed.trim_start()[..3]);
            continue;
        }
        let Some(rest) = trimmed.strip_prefix(":::") else {
            continue;
        };
        let name = rest.trim();
        match (open, name.is_empty()) {
            (None, false) => match SegmentKind::from_name(name) {
                Some(kind) => {
                    runs.push((SegmentKind::Policy, run_start..line_start));
                    open = Some((kind, line_start));
                    run_start = offset;
                }
                None => diagnostics.push(
                    Diagnostic::error(source.path(), format!("unknown block kind `::: {name}`"))
                        .at(source, line_start + 4)
                        .with_help(format!(
                            "use one of: {}",
                            SegmentKind::FENCED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                        )),
                ),
            },
            (Some((kind, _)), true) => {
                runs.push((kind, run_start..line_start));
                open = None;
                run_start = offset;
            }
            (Some((kind, _)), false) => diagnostics.push(
                Diagnostic::error(source.path(), format!("`::: {name}` opened inside `::: {}`", kind.name()))
                    .at(source, line_start)
                    .with_help("close the first block with a line `:::` before opening another"),
            ),
            (None, true) => diagnostics.push(
                Diagnostic::error(source.path(), "`:::` closes a block that was never opened")
                    .at(source, line_start)
                    .with_help("remove the line, or open the block with `::: kind`"),
            ),
        }
    }
    match open {
        Some((kind, at)) => {
            diagnostics.push(
                Diagnostic::error(source.path(), format!("`::: {}` is never closed", kind.name()))
                    .at(source, at)
                    .with_help("add a line `:::` where the block ends"),
            );
            runs.push((kind, run_start..body.end));
        }
        None => runs.push((SegmentKind::Policy, run_start..body.end)),
    }
    runs.retain(|(_, range)| !source.text[range.clone()].trim().is_empty());
    runs
}

//! The site model: what every stage of the pipeline passes along.
//!
//! [`load`](crate::content) fills in a [`Site`] from disk, [`analyse`](crate::analyse) finds its
//! sections and clauses, and rendering, rewriting and export only read it. The **clause** is the
//! unit of everything: its [`Clause::id`] is the anchor on the page, the search document's key,
//! the target of cross-links and the key in the data export.

use crate::config::SiteConfig;
use crate::content::front_matter::PolicyMeta;
use crate::content::glossary::Glossary;
use crate::dates::{Cycle, Period};
use crate::diagnostics::SourceText;
use pulldown_cmark::Event;
use serde::Serialize;
use std::ops::Range;
use std::path::PathBuf;

/// Everything a build knows about a site.
#[derive(Debug)]
pub struct Site {
    /// Folder holding `site.toml`.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub policies: Vec<Policy>,
    pub glossary: Glossary,
    /// The concerns reporting routes answer, from `content/concerns.toml`.
    pub concerns: Vec<Concern>,
    /// The topics policies are compared by, from `content/topics.toml`.
    pub topics: Vec<crate::analyse::topics::Topic>,
    /// Automatic topic assignments close to the threshold, for `policykb check`.
    pub uncertain_topics: Vec<crate::analyse::topics::UncertainTopic>,
    /// Superseded guidance to look for, from `content/references.toml`.
    pub references: Vec<crate::analyse::references::Reference>,
    /// The day review dates are judged against.
    pub today: jiff::civil::Date,
}

impl Site {
    pub fn policy(&self, slug: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.slug == slug)
    }
}

/// One policy document: a content file with its front matter, body and analysis.
#[derive(Debug)]
pub struct Policy {
    /// Page name, from the content file's name (`holy-cross`).
    pub slug: String,
    pub source: SourceText,
    pub meta: PolicyMeta,
    /// The parsed dates of the front matter.
    pub dates: PolicyDates,
    /// The body, split into runs of policy text and of non-policy material.
    pub segments: Vec<Segment>,
    /// Headings in document order (filled by analysis).
    pub sections: Vec<Section>,
    /// Clauses in document order (filled by analysis).
    pub clauses: Vec<Clause>,
    /// Reporting routes written in the policy (filled by analysis).
    pub routes: Vec<Route>,
    /// The school's stance on each topic, by topic id (filled by analysis).
    pub stances: std::collections::BTreeMap<String, crate::analyse::topics::StanceEntry>,
    /// Review status on the site's "today" (filled by analysis).
    pub review: Option<crate::analyse::review::Review>,
    /// Citations of superseded guidance (filled by analysis).
    pub stale: Vec<crate::analyse::references::StaleCitation>,
}

impl Policy {
    /// A loaded policy, before analysis fills in its structure.
    pub fn new(
        slug: String,
        source: SourceText,
        meta: PolicyMeta,
        dates: PolicyDates,
        segments: Vec<Segment>,
    ) -> Policy {
        Policy {
            slug,
            source,
            meta,
            dates,
            segments,
            sections: Vec::new(),
            clauses: Vec::new(),
            routes: Vec::new(),
            stances: Default::default(),
            review: None,
            stale: Vec::new(),
        }
    }

    /// Site-relative URL of the policy page.
    pub fn url(&self) -> String {
        format!("policies/{}.html", self.slug)
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The display name of the school, short where a short one is given.
    pub fn short_name(&self) -> &str {
        self.meta.short_name.as_deref().unwrap_or(&self.meta.school)
    }

    /// Headings from the top of the document down to section `index`.
    pub fn heading_path(&self, index: Option<usize>) -> Vec<&str> {
        let mut path = Vec::new();
        let mut next = index;
        while let Some(i) = next {
            let section = &self.sections[i];
            path.push(section.title.as_str());
            next = section.parent;
        }
        path.reverse();
        path
    }
}

/// The front matter's dates, parsed. A date that could not be read is `None` (and a warning).
#[derive(Debug, Default)]
pub struct PolicyDates {
    pub written: Option<Period>,
    pub approved: Option<Period>,
    pub reviewed: Vec<Period>,
    pub next_review: Option<Period>,
    pub review_cycle: Option<Cycle>,
}

/// What a run of the body is: policy text, or material the source carries that is not policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentKind {
    Policy,
    Cover,
    Brochure,
    Contents,
    Signature,
    DocumentControl,
    /// An editor's note: the only words on a page that are not the source's.
    Note,
}

impl SegmentKind {
    pub const FENCED: [(&'static str, SegmentKind); 6] = [
        ("cover", SegmentKind::Cover),
        ("brochure", SegmentKind::Brochure),
        ("contents", SegmentKind::Contents),
        ("signature", SegmentKind::Signature),
        ("document-control", SegmentKind::DocumentControl),
        ("note", SegmentKind::Note),
    ];

    pub fn from_name(name: &str) -> Option<Self> {
        Self::FENCED.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    pub fn name(self) -> &'static str {
        Self::FENCED.iter().find(|(_, k)| *k == self).map_or("policy", |(n, _)| n)
    }

    /// How the page labels this material.
    pub fn label(self) -> &'static str {
        match self {
            SegmentKind::Policy => "Policy",
            SegmentKind::Cover => "Cover page of the source document",
            SegmentKind::Brochure => "Brochure material in the source document (not part of the policy)",
            SegmentKind::Contents => "Contents list of the source document",
            SegmentKind::Signature => "Signature block",
            SegmentKind::DocumentControl => "Document control",
            SegmentKind::Note => "Editor’s note (not part of the source text)",
        }
    }
}

/// A run of the body of one kind, as Markdown events with their byte ranges in the file.
#[derive(Debug)]
pub struct Segment {
    pub kind: SegmentKind,
    pub events: Vec<(Event<'static>, Range<usize>)>,
}

/// A heading of the policy.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Anchor id: `section-3`, `appendix-1`, `use-of-images`.
    pub id: String,
    /// Heading text as written.
    pub title: String,
    /// 2 for `##`, 3 for `###`, ...
    pub level: u8,
    /// The enclosing section, if any.
    pub parent: Option<usize>,
    /// Whether the heading sits in non-policy material (a brochure page, a cover).
    pub kind: SegmentKind,
    /// Byte offset of the heading in the content file.
    #[serde(skip)]
    pub offset: usize,
    /// Which segment and event the heading starts at.
    #[serde(skip)]
    pub at: (usize, usize),
}

/// Whether a clause is a paragraph, a list item or a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClauseKind {
    Paragraph,
    ListItem,
    Table,
}

/// The unit of everything: one paragraph, list item or table of policy text.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    /// Unique within its policy: `6.11`, `2.4-a`, `purpose-2`.
    pub id: String,
    /// The clause number as the source writes it (`1.1.`), when it has one.
    pub number: Option<String>,
    /// How a reader refers to the clause: its number (`6.11`), its place in its section
    /// (`¶ 3`), or its lead-in's label and letter (`2.4 (a)`, `¶ 1 (c)`).
    pub label: String,
    /// Plain text, word for word, without the number.
    pub text: String,
    pub kind: ClauseKind,
    /// Index of the section the clause is in (`None` before the first heading).
    pub section: Option<usize>,
    /// Index of the clause this one belongs to: the lead-in of its list, or its parent item.
    pub parent: Option<usize>,
    /// Topic ids the clause is about (filled by analysis).
    pub topics: Vec<String>,
    /// Whether an editor settled the topics (`content/topics/<slug>.toml`).
    pub topics_curated: bool,
    /// Counterparts in other policies, as (policy index, clause index), best first per school.
    #[serde(skip)]
    pub related: Vec<(usize, usize)>,
    /// Byte offset of the clause in the content file.
    #[serde(skip)]
    pub offset: usize,
    /// Which segment and event the clause starts at.
    #[serde(skip)]
    pub at: (usize, usize),
}

/// Something staff need to report, which routes of different schools answer alike.
#[derive(Debug, Clone, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    pub id: String,
    /// As staff would think of it: "A member of staff is cyberbullied or trolled online".
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
}

/// A reporting route: who to tell and what happens, step by step, each step citing clauses.
#[derive(Debug, Clone, Serialize)]
pub struct Route {
    /// Id of the concern it answers.
    pub concern: String,
    pub title: String,
    pub steps: Vec<RouteStep>,
    /// Byte offset of the block in the content file.
    #[serde(skip)]
    pub offset: usize,
    /// Which segment and event the block starts at, so the page shows it in place.
    #[serde(skip)]
    pub at: (usize, usize),
}

/// What a step of a route is; shown by shape and by words, not colour alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Something a person does.
    #[default]
    Step,
    /// A question with labelled branches.
    Decision,
    /// An outside body: the police, the LADO, CEOP, a helpline.
    External,
}

impl StepKind {
    /// The word shown on the chart and in the text version.
    pub fn caption(self) -> &'static str {
        match self {
            StepKind::Step => "Step",
            StepKind::Decision => "Decision",
            StepKind::External => "Outside body",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteStep {
    pub id: String,
    pub kind: StepKind,
    pub text: String,
    pub who: Option<String>,
    pub when: Option<String>,
    /// Clause ids of the same policy that say this.
    pub cites: Vec<String>,
    /// General guidance that no clause states (and that is fine).
    pub general: bool,
    pub edges: Vec<RouteEdge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteEdge {
    /// Step id.
    pub to: String,
    /// Branch label ("Yes", "No"), if the step is a decision.
    pub label: Option<String>,
}

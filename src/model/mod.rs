//! The site model: what every stage of the pipeline passes along.
//!
//! It depends on nothing but the leaf modules ([`dates`](crate::dates),
//! [`diagnostics`](crate::diagnostics)). [`load`](crate::content) reads the sources,
//! [`analyse`](crate::analyse) turns them into a [`Site`], and rendering, rewriting and export
//! only read it. The **clause** is the unit of everything: a [`ClauseRef`] (`holy-cross#6.11`)
//! names it as the anchor on its page, the search document's key, the target of cross-links
//! and the key in the data export.

mod clause_ref;
mod config;
mod defaults;
mod glossary;
pub mod ids;
mod meta;
mod references;
mod review;
mod routes;
mod topics;

pub use clause_ref::{ClauseRef, NotAClauseRef};
pub use config::{Branding, Publisher, ReviewSettings, SiteConfig};
pub use defaults::{Change, DefaultChange, DefaultsUse};
pub use glossary::Glossary;
pub use meta::PolicyMeta;
pub use references::{Reference, StaleCitation};
pub use review::{Review, ReviewStatus};
pub use routes::{Concern, Route, RouteEdge, RouteStep, StepKind};
pub use topics::{Stance, StanceEntry, Topic, TopicSuggestion, UncertainTopic};

use crate::dates::{Cycle, Period};
use crate::diagnostics::SourceText;
use pulldown_cmark::Event;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

/// What an output file is made from, to tell apart two files that would claim one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// What it is, in words: "the page of concern `index`".
    pub what: String,
    /// The source file it comes from, when there is one (`content/concerns.toml`).
    pub file: Option<PathBuf>,
}

impl Provenance {
    /// A file made from the site as a whole (the home page, the data export).
    pub fn site(what: impl Into<String>) -> Self {
        Provenance { what: what.into(), file: None }
    }

    /// A file made from one source file.
    pub fn from_file(what: impl Into<String>, file: impl Into<PathBuf>) -> Self {
        Provenance { what: what.into(), file: Some(file.into()) }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{} ({})", self.what, file.display()),
            None => f.write_str(&self.what),
        }
    }
}

/// Everything a build knows about a site.
#[derive(Debug)]
pub struct Site {
    /// Folder holding `site.toml`.
    pub root: PathBuf,
    /// The contents of `site.toml`.
    pub config: SiteConfig,
    /// The policies, one per content file, in load order.
    pub policies: Vec<Policy>,
    /// Abbreviations and their expansions, from `content/glossary.toml`.
    pub glossary: Glossary,
    /// The concerns reporting routes answer: the built-in ones and `content/concerns.toml`.
    pub concerns: Vec<Concern>,
    /// The topics policies are compared by: the built-in ones and `content/topics.toml`.
    pub topics: Vec<Topic>,
    /// Automatic topic assignments close to the threshold, for `policykb check`.
    pub uncertain_topics: Vec<UncertainTopic>,
    /// Suggested topics in `content/topics/<slug>.toml` not yet accepted, for `policykb check`.
    pub topic_suggestions: Vec<TopicSuggestion>,
    /// Superseded guidance to look for: the built-in list and `content/references.toml`.
    pub references: Vec<Reference>,
    /// What the site's own files changed of the built-in defaults.
    pub defaults: DefaultsUse,
    /// The day review dates are judged against.
    pub today: jiff::civil::Date,
    /// Where each clause is: policy index and clause index, by its reference.
    pub places: HashMap<ClauseRef, (usize, usize)>,
}

impl Site {
    /// The policy whose page name is `slug` (`holy-cross`), if the site has one.
    pub fn policy(&self, slug: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.slug == slug)
    }

    /// The policy and clause a reference names, if it names one of this site's clauses.
    pub fn resolve(&self, clause: &ClauseRef) -> Option<(&Policy, &Clause)> {
        let &(p, c) = self.places.get(clause)?;
        Some((&self.policies[p], &self.policies[p].clauses[c]))
    }

    /// Where each clause is, for [`Site::places`].
    pub fn index_places(policies: &[Policy]) -> HashMap<ClauseRef, (usize, usize)> {
        policies
            .iter()
            .enumerate()
            .flat_map(|(p, policy)| {
                policy.clauses.iter().enumerate().map(move |(c, clause)| (policy.clause_ref(clause), (p, c)))
            })
            .collect()
    }
}

/// One policy document: a content file with its front matter, body and analysis.
#[derive(Debug)]
pub struct Policy {
    /// Page name, from the content file's name (`holy-cross`).
    pub slug: String,
    /// The content file: its path and full text, for diagnostics and byte ranges.
    pub source: SourceText,
    /// The front matter as written.
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
    pub stances: BTreeMap<String, StanceEntry>,
    /// Review status on the site's "today" (filled by analysis).
    pub review: Option<Review>,
    /// Citations of superseded guidance (filled by analysis).
    pub stale: Vec<StaleCitation>,
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

    /// The clause with id `id` (`6.11`), if the policy has one.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// The site-wide identity of one of this policy's clauses.
    pub fn clause_ref(&self, clause: &Clause) -> ClauseRef {
        ClauseRef::new(&self.slug, &clause.id)
    }

    /// The section with id `id` (`section-3`), if the policy has one.
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
    /// When the policy was written (`written`).
    pub written: Option<Period>,
    /// When the policy was approved (`approved`).
    pub approved: Option<Period>,
    /// Past reviews (`reviewed`), in the order written.
    pub reviewed: Vec<Period>,
    /// When the policy is next due for review (`next_review`).
    pub next_review: Option<Period>,
    /// How often the policy is reviewed (`review_cycle`, e.g. "annual").
    pub review_cycle: Option<Cycle>,
}

/// What a run of the body is: policy text, or material the source carries that is not policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentKind {
    /// Policy text: made into clauses.
    Policy,
    /// `::: cover`: the source's cover page.
    Cover,
    /// `::: brochure`: the source's promotional pages, not part of the policy.
    Brochure,
    /// `::: contents`: the source's table of contents.
    Contents,
    /// `::: signature`: the signature block.
    Signature,
    /// `::: document-control`: the source's version and approval table.
    DocumentControl,
    /// An editor's note: the only words on a page that are not the source's.
    Note,
}

impl SegmentKind {
    /// The fenced-div names (`::: cover`) and the kind each opens.
    pub const FENCED: [(&'static str, SegmentKind); 6] = [
        ("cover", SegmentKind::Cover),
        ("brochure", SegmentKind::Brochure),
        ("contents", SegmentKind::Contents),
        ("signature", SegmentKind::Signature),
        ("document-control", SegmentKind::DocumentControl),
        ("note", SegmentKind::Note),
    ];

    /// The kind a fenced div's name (`cover`) opens, if it is one of [`Self::FENCED`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::FENCED.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// The kind's fenced-div name (`document-control`), or `policy` for policy text.
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
    /// Policy text or which kind of non-policy material.
    pub kind: SegmentKind,
    /// The run's pulldown-cmark events, each with its byte range in the content file.
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
    /// A paragraph.
    Paragraph,
    /// An item of a list.
    ListItem,
    /// A table, kept whole as one clause.
    Table,
}

/// The unit of everything: one paragraph, list item or table of policy text.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    /// Unique within its policy: `6.11`, `2.4-a`, `purpose-2`.
    pub id: String,
    /// The clause number as the source writes it (`1.1.`), when it has one.
    pub number: Option<String>,
    /// How a reader refers to the clause: its number (`6.11`), its section and its place there
    /// (`§ 10 ¶ 3`, `Appendix 1 ¶ 2`), or its lead-in's label and letter (`2.4 (a)`,
    /// `§ 10 ¶ 1 (c)`). Labels are unique enough to stand outside their section.
    pub label: String,
    /// Plain text, word for word, without the number.
    pub text: String,
    /// Whether it is a paragraph, a list item or a table.
    pub kind: ClauseKind,
    /// Index of the section the clause is in (`None` before the first heading).
    pub section: Option<usize>,
    /// Index of the clause this one belongs to: the lead-in of its list, or its parent item.
    pub parent: Option<usize>,
    /// Topic ids the clause is about (filled by analysis).
    pub topics: Vec<String>,
    /// Whether an editor settled the topics (`content/topics/<slug>.toml`).
    pub topics_curated: bool,
    /// How sure the automatic assignment is of the clause's topics, from 0.5 (a topic on the
    /// line) to 1; `None` where the file of curated topics settles or suggests them.
    #[serde(skip)]
    pub topic_confidence: Option<f32>,
    /// Counterparts in other policies, best first per school.
    #[serde(skip)]
    pub related: Vec<ClauseRef>,
    /// Byte offset of the clause in the content file.
    #[serde(skip)]
    pub offset: usize,
    /// Which segment and event the clause starts at.
    #[serde(skip)]
    pub at: (usize, usize),
}

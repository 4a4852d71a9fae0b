//! Export: the open data under `data/` — every policy and every clause as JSON, described by a
//! Frictionless Data Package (`data/datapackage.json`) so the files document themselves.

use crate::model::{ClauseRef, Site};
use serde::Serialize;
use serde_json::json;

/// A clause as exported: the same id that anchors it on its page.
#[derive(Debug, Serialize)]
pub struct ClauseRecord<'a> {
    /// Unique across the site: `holy-cross#6.11` (policy slug, `#`, clause id).
    pub id: ClauseRef,
    /// School's display name.
    pub school: &'a str,
    /// Policy slug.
    pub policy: &'a str,
    /// Clause id within the policy: its number (`6.11`) or generated id (`purpose-2`).
    pub clause: &'a str,
    /// The number as the source writes it (`1.1.`), if numbered.
    pub number: Option<&'a str>,
    /// How a reader refers to it: `6.11`, `§ 10 ¶ 3`, `2.4 (a)`.
    pub label: &'a str,
    /// Headings from the top of the document down to the clause.
    pub heading: Vec<&'a str>,
    /// Site id of the clause this one belongs to (a list's lead-in), if any.
    pub parent: Option<ClauseRef>,
    /// Paragraph, list item or table.
    pub kind: crate::model::ClauseKind,
    /// Site-relative URL with anchor: `policies/holy-cross.html#6.11`.
    pub url: String,
    /// Plain text, word for word, without the number.
    pub text: &'a str,
    /// Topic ids the clause is about.
    pub topics: &'a [String],
    /// Whether an editor settled the topics.
    pub topics_curated: bool,
    /// Site ids of its counterparts in other policies, best first per school.
    pub related: &'a [ClauseRef],
}

/// Every clause of the site, in policy and document order.
pub fn clause_records(site: &Site) -> Vec<ClauseRecord<'_>> {
    site.policies
        .iter()
        .flat_map(|policy| {
            policy.clauses.iter().map(move |clause| ClauseRecord {
                id: policy.clause_ref(clause),
                school: &policy.meta.school,
                policy: &policy.slug,
                clause: &clause.id,
                number: clause.number.as_deref(),
                label: &clause.label,
                heading: policy.heading_path(clause.section),
                parent: clause.parent.map(|p| policy.clause_ref(&policy.clauses[p])),
                kind: clause.kind,
                url: policy.clause_ref(clause).url(),
                text: &clause.text,
                topics: &clause.topics,
                topics_curated: clause.topics_curated,
                related: &clause.related,
            })
        })
        .collect()
}

/// A policy as exported.
#[derive(Debug, Serialize)]
pub struct PolicyRecord<'a> {
    /// Policy slug; its page is `policies/<slug>.html`.
    pub slug: &'a str,
    /// Site-relative URL of the policy page (`policies/holy-cross.html`).
    pub url: String,
    /// The front matter as written, flattened into the record.
    #[serde(flatten)]
    pub meta: &'a crate::model::PolicyMeta,
    /// Number of clauses.
    pub clause_count: usize,
    /// Review status on the build's day.
    pub review: ReviewRecord<'a>,
    /// Citations of guidance that has since been replaced.
    pub stale_references: &'a [crate::model::StaleCitation],
}

/// A policy's review position, as exported.
#[derive(Debug, Serialize)]
pub struct ReviewRecord<'a> {
    /// Overdue, due soon, current or no review date.
    pub status: crate::model::ReviewStatus,
    /// ISO date the review is due, or null.
    pub due: Option<String>,
    /// The words the due date comes from.
    pub due_text: Option<&'a str>,
    /// True when worked out from a review cycle rather than written.
    pub derived: bool,
    /// Days past the due date, for an overdue policy.
    pub overdue_days: Option<i64>,
    /// The day the status was worked out for.
    pub as_of: String,
}

/// Every policy of the site, in load order.
pub fn policy_records(site: &Site) -> Vec<PolicyRecord<'_>> {
    site.policies
        .iter()
        .map(|p| {
            let review = p.review.as_ref();
            PolicyRecord {
                slug: &p.slug,
                url: p.url(),
                meta: &p.meta,
                clause_count: p.clauses.len(),
                review: ReviewRecord {
                    status: review.map_or(crate::model::ReviewStatus::NoReviewDate, |r| r.status),
                    due: review.and_then(|r| r.due).map(|d| d.to_string()),
                    due_text: review.and_then(|r| r.due_text.as_deref()),
                    derived: review.is_some_and(|r| r.derived),
                    overdue_days: review.and_then(|r| r.overdue_days),
                    as_of: site.today.to_string(),
                },
                stale_references: &p.stale,
            }
        })
        .collect()
}

/// A topic with every school's stance, as exported.
#[derive(Debug, Serialize)]
pub struct TopicRecord<'a> {
    /// Topic id (`contact-pupils`).
    pub id: &'a str,
    /// Topic title (`Contact with current pupils online`).
    pub title: &'a str,
    /// The question the topic answers.
    pub question: &'a str,
    /// Search terms that assign clauses to the topic automatically.
    pub terms: &'a [String],
    /// Every school's stance on the topic, in policy order.
    pub schools: Vec<TopicSchool<'a>>,
}

/// One school's stance on a topic, as exported.
#[derive(Debug, Serialize)]
pub struct TopicSchool<'a> {
    /// Policy slug.
    pub policy: &'a str,
    /// School's full name.
    pub school: &'a str,
    /// The stance shown: the editor's where curated, else the one the wording gives.
    pub stance: crate::model::Stance,
    /// Site id of the clause the stance rests on.
    pub clause: Option<ClauseRef>,
    /// Whether an editor settled the stance.
    pub curated: bool,
    /// What the wording alone gives, and the clause it reads that from.
    pub derived: crate::model::Stance,
    /// Site id of the clause [`derived`](Self::derived) is read from.
    pub derived_clause: Option<ClauseRef>,
    /// Site ids of every clause of the school on the topic.
    pub clauses: Vec<ClauseRef>,
}

/// Every topic with every school's stance, in taxonomy order.
pub fn topic_records(site: &Site) -> Vec<TopicRecord<'_>> {
    site.topics
        .iter()
        .map(|topic| TopicRecord {
            id: &topic.id,
            title: &topic.title,
            question: &topic.question,
            terms: &topic.terms,
            schools: site
                .policies
                .iter()
                .map(|policy| {
                    let entry = policy.stances.get(&topic.id);
                    let none = crate::model::Stance::NotCovered;
                    TopicSchool {
                        policy: &policy.slug,
                        school: &policy.meta.school,
                        stance: entry.map_or(none, |e| e.stance),
                        clause: entry.and_then(|e| e.clause).map(|c| policy.clause_ref(&policy.clauses[c])),
                        curated: entry.is_some_and(|e| e.curated),
                        derived: entry.map_or(none, |e| e.derived),
                        derived_clause: entry
                            .and_then(|e| e.derived_clause)
                            .map(|c| policy.clause_ref(&policy.clauses[c])),
                        clauses: policy
                            .clauses
                            .iter()
                            .filter(|c| c.topics.contains(&topic.id))
                            .map(|c| policy.clause_ref(c))
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// A reporting route as exported: its steps as nodes and where each leads as edges.
#[derive(Debug, Serialize)]
pub struct RouteRecord<'a> {
    /// School's full name.
    pub school: &'a str,
    /// Policy slug.
    pub policy: &'a str,
    /// Id of the concern the route answers (`staff-cyberbullied`).
    pub concern: &'a str,
    /// The route's title.
    pub title: &'a str,
    /// Site-relative URL of the route on its policy page.
    pub url: String,
    /// The steps, in the order written.
    pub nodes: Vec<RouteNode<'a>>,
    /// Where each step leads.
    pub edges: Vec<RouteEdgeRecord<'a>>,
}

/// A step of a route, as exported.
#[derive(Debug, Serialize)]
pub struct RouteNode<'a> {
    /// Step id within its route (`dcpo`).
    pub id: &'a str,
    /// What to do or ask, as the policy words it.
    pub label: &'a str,
    /// Step, decision or outside body.
    pub kind: crate::model::StepKind,
    /// Who does it, if the step says.
    pub who: Option<&'a str>,
    /// When it is done, if the step says.
    pub when: Option<&'a str>,
    /// Site ids of the clauses the step comes from.
    pub clauses: Vec<String>,
    /// General guidance that no clause states.
    pub general: bool,
}

/// A link from one step of a route to another, as exported.
#[derive(Debug, Serialize)]
pub struct RouteEdgeRecord<'a> {
    /// Step id it leads from.
    pub from: &'a str,
    /// Step id it leads to.
    pub to: &'a str,
    /// A decision's branch label (`Yes`), if any.
    pub label: Option<&'a str>,
}

/// Every reporting route of the site, in policy and document order.
pub fn route_records(site: &Site) -> Vec<RouteRecord<'_>> {
    site.policies
        .iter()
        .flat_map(|policy| {
            policy.routes.iter().map(move |route| RouteRecord {
                school: &policy.meta.school,
                policy: &policy.slug,
                concern: &route.concern,
                title: &route.title,
                url: format!("{}#{}", policy.url(), crate::render::routes::anchor(route)),
                nodes: route
                    .steps
                    .iter()
                    .map(|s| RouteNode {
                        id: &s.id,
                        label: &s.text,
                        kind: s.kind,
                        who: s.who.as_deref(),
                        when: s.when.as_deref(),
                        clauses: s.cites.iter().map(|c| format!("{}#{c}", policy.slug)).collect(),
                        general: s.general,
                    })
                    .collect(),
                edges: route
                    .steps
                    .iter()
                    .flat_map(|s| {
                        s.edges.iter().map(move |e| RouteEdgeRecord {
                            from: &s.id,
                            to: &e.to,
                            label: e.label.as_deref(),
                        })
                    })
                    .collect(),
            })
        })
        .collect()
}

fn field(name: &str, kind: &str, description: &str) -> serde_json::Value {
    json!({ "name": name, "type": kind, "description": description })
}

/// The Data Package descriptor: what each file holds and what each field means.
pub fn datapackage(site: &Site) -> serde_json::Value {
    json!({
        "profile": "data-package",
        "name": "policykb-export",
        "title": format!("{} — open data", site.config.title),
        "description": "School policies as structured data: one record per policy and one per clause. The clause id is the same one that anchors the clause on its page.",
        "resources": [
            {
                "name": "policies",
                "path": "policies.json",
                "format": "json",
                "mediatype": "application/json",
                "description": "One record per policy, with its dates exactly as the source writes them.",
                "schema": { "fields": [
                    field("slug", "string", "Policy id; its page is policies/<slug>.html"),
                    field("url", "string", "Site-relative URL of the policy page"),
                    field("school", "string", "School's full name"),
                    field("title", "string", "Policy title as the document gives it"),
                    field("source", "string", "File name of the original document"),
                    field("short_name", "string", "Short school name, if given"),
                    field("phase", "string", "primary, secondary, ... if given"),
                    field("local_authority", "string", "Local authority, if given"),
                    field("trust", "string", "Trust, if given"),
                    field("website", "string", "School website, if given"),
                    field("written", "string", "Date written, as written"),
                    field("approved", "string", "Date approved, as written"),
                    field("approved_by", "string", "Who approved it, as written"),
                    field("reviewed", "array", "Review dates, as written"),
                    field("next_review", "string", "Next review date, as written"),
                    field("review_cycle", "string", "Review cycle, as written"),
                    field("clause_count", "integer", "Number of clauses"),
                    field("review", "object", "status (overdue, due-soon, current, no-review-date), due (ISO date or null: the last day of the next_review period, or worked out from review_cycle), due_text, derived (true when worked out), overdue_days, as_of (the day the status was worked out for)"),
                    field("stale_references", "array", "Citations of superseded guidance: clause, clause_label, text (as the policy writes it), cited, replacement, since"),
                ]}
            },
            {
                "name": "clauses",
                "path": "clauses.json",
                "format": "json",
                "mediatype": "application/json",
                "description": "Every clause of every policy, in document order.",
                "schema": { "primaryKey": "id", "fields": [
                    field("id", "string", "Unique id: <policy>#<clause>, e.g. holy-cross#6.11"),
                    field("school", "string", "School's full name"),
                    field("policy", "string", "Policy slug"),
                    field("clause", "string", "Clause id within the policy: its number (6.11) or a generated id (purpose-2, 2.4-a)"),
                    field("number", "string", "The clause number as written (1.1.), or null"),
                    field("label", "string", "How a reader refers to the clause: 6.11, § 10 ¶ 3 (third paragraph of section 10), 2.4 (a) (first item of 2.4's list)"),
                    field("heading", "array", "Section headings from the top of the document down to the clause"),
                    field("parent", "string", "id of the clause this one belongs to (the lead-in of its list), or null"),
                    field("kind", "string", "paragraph, list-item or table"),
                    field("url", "string", "Site-relative URL with anchor"),
                    field("text", "string", "Plain text of the clause, word for word, without its number"),
                    field("topics", "array", "Topic ids (topics.json) the clause is about"),
                    field("topics_curated", "boolean", "true when an editor settled the topics by reading the clause; false when they were assigned automatically"),
                    field("related", "array", "ids of the clause's closest counterparts in the other policies that share one of its topics (every school's best first, at most 2 per school and 5 in all)"),
                ]}
            },
            {
                "name": "topics",
                "path": "topics.json",
                "format": "json",
                "mediatype": "application/json",
                "description": "The topics policies are compared by, with each school's stance and the clause it rests on.",
                "schema": { "fields": [
                    field("id", "string", "Topic id"),
                    field("title", "string", "Topic title"),
                    field("question", "string", "The question the topic answers"),
                    field("terms", "array", "Search terms used to assign clauses to the topic automatically"),
                    field("schools", "array", "Per school: policy, school, stance (prohibited, needs-permission, discouraged, caution, required, permitted, not-covered), clause (the id it rests on), curated, derived (the stance the wording alone gives), clauses (every clause on the topic)"),
                ]}
            },
            {
                "name": "compare",
                "path": "compare.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": "The comparison matrix as a spreadsheet: one row per topic and school (UTF-8 with a byte-order mark, so Excel opens it correctly).",
                "schema": { "fields": [
                    field("topic", "string", "Topic id"),
                    field("topic_title", "string", "Topic title"),
                    field("school", "string", "School's full name"),
                    field("policy", "string", "Policy slug"),
                    field("stance", "string", "The school's stance on the topic"),
                    field("curated", "string", "yes when an editor settled the stance"),
                    field("clause", "string", "Label of the clause the stance rests on"),
                    field("clause_url", "string", "Site-relative URL of that clause"),
                    field("clauses", "string", "Labels of every clause of the school on the topic, separated by semicolons"),
                ]}
            },
            {
                "name": "routes",
                "path": "routes.json",
                "format": "json",
                "mediatype": "application/json",
                "description": "Reporting routes (who to tell, step by step) as graphs: nodes are steps citing the clauses they come from, edges say where each step leads.",
                "schema": { "fields": [
                    field("school", "string", "School's full name"),
                    field("policy", "string", "Policy slug"),
                    field("concern", "string", "Concern id (built into policykb or from content/concerns.toml); the same concern can be compared across schools"),
                    field("title", "string", "The route's title"),
                    field("url", "string", "Site-relative URL of the route on its policy page"),
                    field("nodes", "array", "Steps: id, label, kind (step, decision, external), who, when, clauses (clause ids), general (true for general guidance no clause states)"),
                    field("edges", "array", "from and to (step ids) and label (a decision's branch, or null)"),
                ]}
            }
        ]
    })
}

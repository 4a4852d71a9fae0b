//! The browser's search index: every search document's text and place, the exact BM25
//! lengths tantivy uses, and the search settings — written as a script
//! (`assets/search-index.js`) so it loads from `file://` as well as over HTTP.
//!
//! The browser builds its postings from this text with the same analyser (`stemmer.js`,
//! tested word for word against tantivy's), which keeps the download to the text itself
//! plus a little metadata.

use super::config::{Intent, MAX_QUERY_CHARS, MAX_QUERY_WORDS, Routing};
use super::index::SearchIndex;
use super::query::MAX_PREFIX_TERMS;
use super::topics::{TopicCard, stem_weight};
use crate::model::Stance;
use crate::model::{Clause, Site};
use serde::Serialize;
use std::collections::BTreeMap;

/// The name and version of the browser index's layout, checked by `search.js`; the layout
/// is documented in `docs/search-index.md`. Bump the version whenever a field changes.
pub const SCHEMA: &str = "policykb-search-index";
/// The version of that layout (see [`SCHEMA`]).
pub const SCHEMA_VERSION: u32 = 3;

/// Field names of a school row and of a document row, in row order.
const SCHOOL_FIELDS: [&str; 3] = ["slug", "name", "short"];
const DOC_FIELDS: [&str; 8] = ["school", "ids", "heading", "text", "length", "labels", "lead", "related"];

#[derive(Serialize)]
struct Schema {
    name: &'static str,
    version: u32,
    school: [&'static str; 3],
    doc: [&'static str; 8],
}

/// One search document as a row of [`DOC_FIELDS`]: the school's position in `schools`, the
/// clause ids with this text, the heading's position in `headings`, the text, BM25's length,
/// the clauses' labels, the lead-in the clause completes (or null) and the documents of its
/// counterparts in other policies.
#[derive(Serialize)]
struct DocRow<'a>(usize, Vec<&'a str>, usize, &'a str, u32, Vec<&'a str>, Option<&'a str>, Vec<usize>);

#[derive(Serialize)]
struct ClientIndex<'a> {
    schema: Schema,
    config: ClientConfig<'a>,
    /// One row of [`SCHOOL_FIELDS`] per policy; its page is `policies/<slug>.html`.
    schools: Vec<[&'a str; 3]>,
    /// Distinct heading paths, joined with " › ".
    headings: Vec<String>,
    docs: Vec<DocRow<'a>>,
    /// Sum of all documents' term counts, for the BM25 average length.
    total_terms: u64,
    /// Topic routing (`search::topics`): each topic's stems, documents and answer card, in a
    /// compact form `search.js` expands.
    topics: Vec<ClientTopic<'a>>,
    /// A stem's weight by the number of topics that have it (`topics::stem_weight`).
    topic_weights: Vec<f32>,
    /// `[stance, its label]`; cards name stances by position.
    stances: Vec<(Stance, &'static str)>,
    /// Concerns the cards' reporting routes answer.
    concerns: Vec<ClientConcern>,
}

#[derive(Serialize)]
struct ClientTopic<'a> {
    id: &'a str,
    title: &'a str,
    question: &'a str,
    /// Its stems, by stem.
    terms: Vec<&'a str>,
    docs: &'a [usize],
    stance_docs: &'a [usize],
    /// Per school: `[stance position, the clause id it rests on or null]`. The clause's label
    /// and place are those of its document among `stance_docs`.
    schools: Vec<(usize, Option<String>)>,
    /// Position in `concerns` of the card's reporting route, if any.
    route: Option<usize>,
}

#[derive(Serialize, PartialEq)]
struct ClientConcern {
    id: String,
    title: String,
    /// `[school position, first step]`.
    first_steps: Vec<(usize, String)>,
}

/// Every stance, in the order cards name them.
const STANCES: [Stance; 7] = [
    Stance::Prohibited,
    Stance::NeedsPermission,
    Stance::Discouraged,
    Stance::Caution,
    Stance::Required,
    Stance::Permitted,
    Stance::NotCovered,
];

#[derive(Serialize)]
struct ClientConfig<'a> {
    synonyms: &'a [Vec<String>],
    variants: &'a [Vec<String>],
    filler: &'a [String],
    synonym_weight: f32,
    typo_weight: f32,
    prefix_weight: f32,
    school_decay: f32,
    max_prefix_terms: usize,
    /// `[key, the policies' words]`, in key order.
    lexicon: Vec<(&'a str, &'a [String])>,
    lexicon_weight: f32,
    intents: &'a [Intent],
    routing: &'a Routing,
    min_relative_score: f32,
    max_query_chars: usize,
    max_query_words: usize,
    /// The policy listed first in results, if the site is one school's.
    home: Option<&'a str>,
}

/// The script that defines `PolicyKB.searchIndex`.
pub fn index_script(site: &Site, index: &SearchIndex, home: Option<&str>) -> String {
    let doc_of = index.doc_of();
    let mut heading_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut headings = Vec::new();
    let docs = index
        .docs
        .iter()
        .map(|doc| {
            let places: Vec<&Clause> = doc
                .clauses
                .iter()
                .filter_map(|place| site.resolve(place))
                .map(|(_, clause)| clause)
                .collect();
            let policy = &site.policies[doc.policy];
            let clause = places[0];
            let heading = policy.heading_path(clause.section).join(" › ");
            let next = heading_ids.len();
            let heading_id = *heading_ids.entry(heading.clone()).or_insert_with(|| {
                headings.push(heading);
                next
            });
            let ids = places.iter().map(|c| c.id.as_str()).collect();
            let labels = places.iter().map(|c| c.label.as_str()).collect();
            let lead = clause.parent.map(|p| policy.clauses[p].text.as_str());
            let related = clause.related.iter().filter_map(|other| doc_of.get(other).copied()).collect();
            DocRow(doc.policy, ids, heading_id, clause.text.as_str(), doc.length, labels, lead, related)
        })
        .collect();
    let mut client = ClientIndex {
        schema: Schema { name: SCHEMA, version: SCHEMA_VERSION, school: SCHOOL_FIELDS, doc: DOC_FIELDS },
        config: ClientConfig {
            synonyms: &index.config.synonyms,
            variants: &index.config.variants,
            filler: &index.config.filler,
            synonym_weight: index.config.synonym_weight,
            typo_weight: index.config.typo_weight,
            prefix_weight: index.config.prefix_weight,
            school_decay: index.config.school_decay,
            max_prefix_terms: MAX_PREFIX_TERMS,
            lexicon: index.config.lexicon.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect(),
            lexicon_weight: index.config.lexicon_weight,
            intents: &index.config.intents,
            routing: &index.config.routing,
            min_relative_score: index.config.min_relative_score,
            max_query_chars: MAX_QUERY_CHARS,
            max_query_words: MAX_QUERY_WORDS,
            home,
        },
        schools: site
            .policies
            .iter()
            .map(|p| [p.slug.as_str(), p.meta.school.as_str(), p.short_name()])
            .collect(),
        headings,
        docs,
        total_terms: index.total_terms,
        topics: Vec::new(),
        topic_weights: (0..=index.router.topics.len())
            .map(|n| stem_weight(n, index.router.topics.len()))
            .collect(),
        stances: STANCES.iter().map(|s| (*s, s.label())).collect(),
        concerns: Vec::new(),
    };
    for (t, topic) in index.router.topics.iter().enumerate() {
        let card = TopicCard::new(site, t);
        let route = card.route.map(|route| {
            let position = |slug: &str| site.policies.iter().position(|p| p.slug == slug).unwrap_or_default();
            let concern = ClientConcern {
                id: route.concern,
                title: route.title,
                first_steps: route.first_steps.into_iter().map(|s| (position(&s.policy), s.step)).collect(),
            };
            client.concerns.iter().position(|c| *c == concern).unwrap_or_else(|| {
                client.concerns.push(concern);
                client.concerns.len() - 1
            })
        });
        client.topics.push(ClientTopic {
            id: &site.topics[t].id,
            title: &site.topics[t].title,
            question: &site.topics[t].question,
            terms: topic.terms.keys().map(String::as_str).collect(),
            docs: &topic.docs,
            stance_docs: &topic.stance_docs,
            schools: card
                .schools
                .into_iter()
                .map(|school| (STANCES.iter().position(|s| *s == school.stance).unwrap_or(6), school.clause))
                .collect(),
            route,
        });
    }
    let json = serde_json::to_string(&client).expect("the client index serialises");
    // Content is untrusted: never let it close a script element.
    let json = json.replace('<', "\\u003c");
    format!(
        "/* Search index generated by policykb. */\n(globalThis.PolicyKB = globalThis.PolicyKB || {{}}).searchIndex = {json};\n"
    )
}

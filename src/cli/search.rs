//! `policykb search`: loads the site and prints what its search box would show.

use crate::BuildOptions;
use crate::search::config::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use crate::search::topics::TopicCard;
use crate::search::{HitRecord, SearchOptions};
use std::process::ExitCode;

/// `policykb search`: the site's search, in the terminal.
pub(super) fn run(
    root: &std::path::Path,
    json: bool,
    limit: usize,
    school: Option<&str>,
    explain: bool,
    query: &str,
) -> ExitCode {
    let crate::build::Loaded { site, index, .. } = match crate::build::analyse_site(&BuildOptions::new(root))
    {
        Ok(loaded) => loaded,
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::FAILURE;
        }
    };
    let policy = match school.map(|s| find_policy(&site, s)) {
        Some(Ok(slug)) => Some(slug),
        Some(Err(message)) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
        None => None,
    };
    let options = SearchOptions { policy, home: site.config.home.clone(), limit };
    let routed = match index.route(query, &options) {
        Ok(routed) => routed,
        Err(e) => {
            eprintln!("error: search failed: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let plan = index.plan(query);
    if explain {
        for group in &plan.groups {
            let terms: Vec<String> =
                group.terms.iter().map(|e| format!("{} ×{:.2}", e.term, e.weight)).collect();
            eprintln!("{:>14}: {}", group.word, terms.join(", "));
        }
        for phrase in &plan.phrases {
            let words: Vec<&str> = phrase.iter().map(|(_, t)| t.as_str()).collect();
            eprintln!("{:>14}: \"{}\"", "phrase", words.join(" "));
        }
        if plan.truncated {
            eprintln!(
                "{:>14}: only the first {} characters and {} words are read",
                "cut", MAX_QUERY_CHARS, MAX_QUERY_WORDS
            );
        }
        match &routed {
            Some(m) => eprintln!(
                "{:>14}: {} (score {:.2}, runner-up {:.2}{}{}{})",
                "topic",
                site.topics[m.topic].id,
                m.score,
                m.runner_up,
                if m.intents.is_empty() {
                    String::new()
                } else {
                    format!(", intents {}", m.intents.join(", "))
                },
                if m.report { ", who to tell" } else { "" },
                if m.shows_card { ", answer card" } else { ", no card" },
            ),
            None => eprintln!("{:>14}: none", "topic"),
        }
    }
    let hits = match index.search(query, &options) {
        Ok(hits) => hits,
        Err(e) => {
            eprintln!("error: search failed: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let records: Vec<HitRecord> = hits.iter().map(|hit| HitRecord::new(&site, &index, hit)).collect();
    if json {
        let topic = routed.as_ref().map(|m| TopicRecord { routed: m, card: TopicCard::new(&site, m.topic) });
        let out = SearchRecord { topic, truncated: plan.truncated, hits: records };
        println!("{}", serde_json::to_string_pretty(&out).expect("hits serialise"));
    } else if records.is_empty() {
        println!("No clauses match \"{query}\".");
    } else {
        if let Some(m) = routed.as_ref().filter(|m| m.shows_card) {
            let card = TopicCard::new(&site, m.topic);
            println!("{} — {}", card.title, card.question);
            for school in &card.schools {
                let label = school.label.as_deref().unwrap_or("");
                println!("    {:<12} {:<16} {label}", school.school, school.stance_label);
            }
            println!("    compare: {}\n", card.url);
        }
        let schools: std::collections::BTreeSet<&str> = records.iter().map(|r| r.policy.as_str()).collect();
        println!("{} from {}", plural(records.len(), "clause"), plural(schools.len(), "school"));
        for (rank, r) in records.iter().enumerate() {
            let heading = r.heading.last().map(String::as_str).unwrap_or("");
            println!("{:>2}. {} — {} ({heading})  score {:.2}", rank + 1, r.school, r.label, r.score);
            println!("    {}", r.url);
            let text: String = r.text.chars().take(160).collect();
            println!("    {text}{}", if r.text.chars().count() > 160 { "…" } else { "" });
            for place in &r.also {
                println!("    also word for word at {}", place.label);
            }
        }
    }
    ExitCode::SUCCESS
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// What `policykb search --json` prints.
#[derive(serde::Serialize)]
struct SearchRecord<'a> {
    /// The topic the question was routed to, with its answer card, or null.
    topic: Option<TopicRecord<'a>>,
    /// The query was cut to its first characters and words.
    truncated: bool,
    hits: Vec<HitRecord>,
}

#[derive(serde::Serialize)]
struct TopicRecord<'a> {
    #[serde(flatten)]
    routed: &'a crate::search::topics::TopicMatch,
    card: TopicCard,
}

/// The slug of the policy a `--school` value names: a slug, or part of a school's name.
fn find_policy(site: &crate::model::Site, wanted: &str) -> Result<String, String> {
    let lower = wanted.to_lowercase();
    let matches: Vec<&crate::model::Policy> = site
        .policies
        .iter()
        .filter(|p| {
            p.slug == lower
                || p.meta.school.to_lowercase().contains(&lower)
                || p.short_name().to_lowercase() == lower
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.slug.clone()),
        [] => Err(format!(
            "no school matches `{wanted}`; schools are: {}",
            site.policies.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>().join(", ")
        )),
        _ => Err(format!("`{wanted}` matches several schools; use a slug")),
    }
}

//! The `policykb` command line.

use clap::{Parser, Subcommand};
use policykb::search::{HitRecord, SearchOptions};
use policykb::{BuildOptions, build, init};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "policykb",
    version,
    about = "Turns school policies into a searchable, cross-linked static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of static files.
    Build {
        /// Site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Address the site will be published at (for the sitemap); overrides site.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Judge review dates as on this day (YYYY-MM-DD) [default: SOURCE_DATE_EPOCH or today].
        #[arg(long)]
        today: Option<jiff::civil::Date>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Search the policies from the terminal, as the site's search box does.
    Search {
        /// Site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print the results as a JSON array.
        #[arg(long)]
        json: bool,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Only this school: its policy slug (holy-cross) or its name.
        #[arg(long)]
        school: Option<String>,
        /// Show how the question was understood (terms, synonyms, corrections) before the results.
        #[arg(long)]
        explain: bool,
        /// The question, e.g. "can I friend a parent".
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// Report review dates, superseded references, content warnings and uncertain topics.
    Check {
        /// Site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Judge review dates as on this day (YYYY-MM-DD) [default: SOURCE_DATE_EPOCH or today].
        #[arg(long)]
        today: Option<jiff::civil::Date>,
        /// Exit with an error if any of these hold (repeat or separate with commas).
        #[arg(long, value_enum, value_delimiter = ',')]
        deny: Vec<policykb::check::Deny>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Build and serve the site, rebuilding and reloading open pages as sources change.
    Serve {
        /// Site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on (127.0.0.1: only this computer).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes (for network or container file systems where change events do not arrive).
        #[arg(long)]
        poll: bool,
        /// Judge review dates as on this day (YYYY-MM-DD) [default: SOURCE_DATE_EPOCH or today].
        #[arg(long)]
        today: Option<jiff::civil::Date>,
    },
    /// Create a new site with an example policy.
    Init {
        /// Folder to create.
        dir: PathBuf,
    },
    /// Turn a policy document (.txt or .docx) into a content file, reporting what to check.
    Import {
        /// The document: a .txt (UTF-8 or Windows-1252) or .docx file.
        file: PathBuf,
        /// The school's full name [default: found in the document].
        #[arg(long)]
        school: Option<String>,
        /// The policy's title [default: found in the document].
        #[arg(long)]
        title: Option<String>,
        /// Where to write [default: content/<slug>.md, the slug made from the school's name].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Overwrite the output file if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, base_url, today, timings } => {
            let options = BuildOptions { root, out, base_url, today };
            match build(&options) {
                Ok(report) => {
                    for warning in &report.warnings {
                        eprintln!("{warning}");
                    }
                    println!(
                        "built {} policies, {} clauses, {} files into {} in {} ms",
                        report.policies,
                        report.clauses,
                        report.files,
                        report.out.display(),
                        report.elapsed.as_millis()
                    );
                    if timings {
                        println!("stages: {}", report.timings);
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    eprintln!("{failure}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Search { root, json, limit, school, explain, query } => {
            search(&root, json, limit, school.as_deref(), explain, &query.join(" "))
        }
        Command::Check { root, today, deny, format } => {
            let options = BuildOptions { root, out: None, base_url: None, today };
            match policykb::check::check(&options, &deny) {
                Ok(report) => {
                    match format {
                        Format::Text => print!("{}", report.to_text()),
                        Format::Json => {
                            println!(
                                "{}",
                                serde_json::to_string_pretty(&report).expect("the report serialises")
                            )
                        }
                    }
                    if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) }
                }
                Err(failure) => {
                    eprintln!("{failure}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { root, port, bind, open, poll, today } => {
            match policykb::serve::run(policykb::serve::ServeOptions { root, bind, port, open, poll, today })
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => match init::init(&dir) {
            Ok(()) => {
                println!(
                    "created a new site in {}; build it with: policykb build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Command::Import { file, school, title, out, force } => {
            let options = policykb::import::ImportOptions { school, title, source: None };
            let imported = match policykb::import::import_file(&file, &options) {
                Ok(imported) => imported,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            let out = out.unwrap_or_else(|| policykb::import::default_out(&imported));
            if let Err(e) = policykb::import::write(&imported, &out, force) {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
            for note in &imported.notes {
                eprintln!("{}", note.display_for(&file));
            }
            let unsure = imported.unsure().count();
            let stats = &imported.stats;
            println!(
                "wrote {} ({} — {}): {} headings, {} clauses ({} numbered), {} blocks of non-policy material; {unsure} thing{} to check (listed above){}",
                out.display(),
                imported.meta.school,
                imported.meta.title,
                stats.headings,
                stats.clauses,
                stats.numbered_clauses,
                stats.blocks,
                if unsure == 1 { "" } else { "s" },
                if unsure == 0 { "" } else { "; then build to see it: policykb build" }
            );
            ExitCode::SUCCESS
        }
    }
}

fn search(
    root: &std::path::Path,
    json: bool,
    limit: usize,
    school: Option<&str>,
    explain: bool,
    query: &str,
) -> ExitCode {
    let policykb::build::Loaded { site, index, .. } =
        match policykb::build::load_searchable(&BuildOptions::new(root)) {
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
    if explain {
        let plan = index.plan(query);
        for group in &plan.groups {
            let terms: Vec<String> =
                group.terms.iter().map(|e| format!("{} ×{:.2}", e.term, e.weight)).collect();
            eprintln!("{:>14}: {}", group.word, terms.join(", "));
        }
        for phrase in &plan.phrases {
            let words: Vec<&str> = phrase.iter().map(|(_, t)| t.as_str()).collect();
            eprintln!("{:>14}: \"{}\"", "phrase", words.join(" "));
        }
    }
    let options = SearchOptions { policy, home: site.config.home.clone(), limit };
    let hits = match index.search(query, &options) {
        Ok(hits) => hits,
        Err(e) => {
            eprintln!("error: search failed: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let records: Vec<HitRecord> = hits.iter().map(|hit| HitRecord::new(&site, &index, hit)).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&records).expect("hits serialise"));
    } else if records.is_empty() {
        println!("No clauses match \"{query}\".");
    } else {
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

/// The slug of the policy a `--school` value names: a slug, or part of a school's name.
fn find_policy(site: &policykb::model::Site, wanted: &str) -> Result<String, String> {
    let lower = wanted.to_lowercase();
    let matches: Vec<&policykb::model::Policy> = site
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

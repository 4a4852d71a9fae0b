//! The command line: what each `policykb` command does, on top of the library.

mod search;

use crate::import::topics::Suggested;
use crate::{BuildOptions, build, init};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The parsed `policykb` command line: one of the commands.
#[derive(Parser)]
#[command(
    name = "policykb",
    version,
    about = "Turns school policies into a searchable, cross-linked static site"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
        deny: Vec<crate::check::Deny>,
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
pub(crate) enum Format {
    Text,
    Json,
}

/// Runs the command the line asked for.
pub fn run(cli: Cli) -> ExitCode {
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
            search::run(&root, json, limit, school.as_deref(), explain, &query.join(" "))
        }
        Command::Check { root, today, deny, format } => {
            let options = BuildOptions { root, out: None, base_url: None, today };
            match crate::check::check(&options, &deny) {
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
                    if report.failures.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(crate::check::DENIED_EXIT_STATUS)
                    }
                }
                Err(failure) => {
                    eprintln!("{failure}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { root, port, bind, open, poll, today } => {
            match crate::serve::run(crate::serve::ServeOptions { root, bind, port, open, poll, today }) {
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
            let options = crate::import::ImportOptions { school, title, source: None };
            let imported = match crate::import::import_file(&file, &options) {
                Ok(imported) => imported,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            let out = out.unwrap_or_else(|| crate::import::default_out(&imported));
            if let Err(e) = crate::import::write(&imported, &out, force) {
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
            match crate::import::topics::suggest(&out) {
                Ok(Suggested::Written { path, clauses, unsure }) => println!(
                    "wrote {}: suggested topics for {clauses} clauses, {unsure} of them less sure than {}; accept each by deleting its `suggested = …, ` marker (policykb check lists them, least sure first)",
                    path.display(),
                    crate::import::topics::UNSURE_BELOW
                ),
                Ok(Suggested::Kept(path)) => {
                    println!("kept {} as it is: delete it to have topics suggested again", path.display())
                }
                Ok(Suggested::NoSite) => {}
                // The policy itself was imported: fixing the build and importing again (or
                // writing the topics file by hand) is all that is left.
                Err(e) => eprintln!("topics not suggested: {e}"),
            }
            ExitCode::SUCCESS
        }
    }
}

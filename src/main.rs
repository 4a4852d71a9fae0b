//! The `policykb` command line.

use clap::{Parser, Subcommand};
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
    },
    /// Create a new site with an example policy.
    Init {
        /// Folder to create.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
        } => {
            let options = BuildOptions {
                root,
                out,
                base_url,
            };
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
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    eprintln!("{failure}");
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
    }
}

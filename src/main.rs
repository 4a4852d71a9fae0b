//! The `policykb` binary: parses the command line and hands it to [`policykb::cli`].

use clap::Parser;

fn main() -> std::process::ExitCode {
    policykb::cli::run(policykb::cli::Cli::parse())
}

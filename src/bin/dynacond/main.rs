//! The `dynacond` command line: DynamoDB's semantics from the shell.
//!
//! Every subcommand reads JSON requests on standard input and writes one JSON
//! answer per line on standard output; errors are DynamoDB's error bodies
//! (`{"__type": "...#ValidationException", "message": "..."}`).

mod check_data;
mod eval;
mod item;
mod output;
mod partiql;
mod request;
mod serve;
mod update;

use std::process::ExitCode;

const HELP: &str = "\
dynacond: Amazon DynamoDB's expression languages and conditional writes, in memory

Usage: dynacond <COMMAND> [OPTIONS]

Commands:
  serve     Serve an in-memory store over DynamoDB's HTTP protocol (AWS SDKs, aws CLI)
  check-data  Check a data directory of `serve --data-dir` without changing it
  eval      Evaluate a ConditionExpression against an item
  item      Validate an item in DynamoDB JSON and print it in canonical form
  partiql   Run a PartiQL statement against a table of items
  update    Apply an UpdateExpression to an item
  help      Print this help, or the help of a command (dynacond help <COMMAND>)

Options:
  -h, --help     Print help
  -V, --version  Print version

Requests and answers are JSON on standard input and output. Errors are printed
as DynamoDB's error bodies, for example
  {\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"...\"}
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            eprint!("{HELP}");
            return ExitCode::from(2);
        }
    };
    match command {
        "-h" | "--help" => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        "-V" | "--version" => {
            println!("dynacond {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        "help" => match rest.first().map(String::as_str) {
            None => {
                print!("{HELP}");
                ExitCode::SUCCESS
            }
            Some("check-data") => {
                print!("{}", check_data::HELP);
                ExitCode::SUCCESS
            }
            Some("eval") => {
                print!("{}", eval::HELP);
                ExitCode::SUCCESS
            }
            Some("item") => {
                print!("{}", item::HELP);
                ExitCode::SUCCESS
            }
            Some("partiql") => {
                print!("{}", partiql::HELP);
                ExitCode::SUCCESS
            }
            Some("serve") => {
                print!("{}", serve::HELP);
                ExitCode::SUCCESS
            }
            Some("update") => {
                print!("{}", update::HELP);
                ExitCode::SUCCESS
            }
            Some(other) => unknown(other),
        },
        "eval" => eval::run(rest),
        "item" => item::run(rest),
        "update" => update::run(rest),
        "partiql" => partiql::run(rest),
        "serve" => serve::run(rest),
        "check-data" => check_data::run(rest),
        other => unknown(other),
    }
}

fn unknown(command: &str) -> ExitCode {
    eprintln!("dynacond: unknown command `{command}`; see `dynacond --help`");
    ExitCode::from(2)
}

//! Writing answers: one JSON document per line.

use std::io::Write;

use dynacond::Error;

pub use dynacond::wire::error_body;

/// Prints one JSON value on its own line. A closed stdout is not an error worth
/// reporting (the reader went away), so the result is ignored.
pub fn print_line(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, value);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// Runs a JSON-in, JSON-out command: one request from standard input (exit
/// code from `exit_code`, 2 on error), or with `--lines` one request per line
/// (a bad line is answered with an error and the run goes on; exit code 0).
pub fn run_command(
    name: &str,
    help: &str,
    args: &[String],
    answer: impl Fn(&[u8]) -> Result<serde_json::Value, Error>,
    exit_code: impl Fn(&serde_json::Value) -> u8,
) -> std::process::ExitCode {
    run_with(name, help, args, answer, print_line, exit_code, "")
}

/// [`run_command`] for answers of any kind: `print` writes one answer (an
/// error is still DynamoDB's JSON error body on its own line), and with
/// `--lines` `separator` follows every answer and every error.
pub fn run_with<T>(
    name: &str,
    help: &str,
    args: &[String],
    answer: impl Fn(&[u8]) -> Result<T, Error>,
    print: impl Fn(&T),
    exit_code: impl Fn(&T) -> u8,
    separator: &str,
) -> std::process::ExitCode {
    use std::io::{BufRead, Read};
    use std::process::ExitCode;

    let mut lines = false;
    for arg in args {
        match arg.as_str() {
            "--lines" => lines = true,
            "-h" | "--help" => {
                print!("{help}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!(
                    "dynacond {name}: unexpected argument `{other}`; see `dynacond {name} --help`"
                );
                return ExitCode::from(2);
            }
        }
    }
    let stdin = std::io::stdin();
    if lines {
        for line in stdin.lock().split(b'\n') {
            let Ok(line) = line else { break };
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match answer(&line) {
                Ok(v) => print(&v),
                Err(e) => print_line(&error_body(&e)),
            }
            print!("{separator}");
        }
        return ExitCode::SUCCESS;
    }
    let mut input = Vec::new();
    if let Err(e) = stdin.lock().read_to_end(&mut input) {
        eprintln!("dynacond {name}: cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    match answer(&input) {
        Ok(v) => {
            print(&v);
            ExitCode::from(exit_code(&v))
        }
        Err(e) => {
            print_line(&error_body(&e));
            ExitCode::from(2)
        }
    }
}

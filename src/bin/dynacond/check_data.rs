//! `dynacond check-data DIR`: checks a data directory without changing it.

use std::process::ExitCode;

pub const HELP: &str = "\
dynacond check-data: check a data directory (of `dynacond serve --data-dir`)

Usage: dynacond check-data DIR

Reads the newest snapshot and every log segment after it, checking every
record's checksum and replaying them into a scratch store; changes nothing and
takes no lock. Prints a JSON report on standard output and exits 0, or prints
where the directory is damaged and exits 1 (`serve` would refuse to start on
it). A torn tail (the end of a record a crash interrupted, never an
acknowledged write) is no damage: the report gives its length, and the next
start cuts it off.
";

pub fn run(args: &[String]) -> ExitCode {
    let dir = match args {
        [flag] if flag == "-h" || flag == "--help" => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        [dir] => dir,
        _ => {
            eprintln!("dynacond check-data: give one directory; see `dynacond check-data --help`");
            return ExitCode::from(2);
        }
    };
    match dynacond::store::check_data_dir(dir) {
        Ok(report) => {
            let json = serde_json::json!({
                "snapshot": report.snapshot,
                "segments": report.segments,
                "records": report.records,
                "tables": report.tables,
                "items": report.items,
                "torn_tail_bytes": report.torn_tail_bytes,
            });
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dynacond check-data: {}", e.message());
            ExitCode::from(1)
        }
    }
}

//! Running the `dynacond` binary with a standard input, for the CLI tests.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output as lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// The single line of standard output, parsed.
    pub fn json(&self) -> Value {
        let lines = self.lines();
        assert_eq!(lines.len(), 1, "expected one line: {self:?}");
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }
}

pub fn run(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    {
        let mut input = child.stdin.take().unwrap();
        // The binary may exit before reading (e.g. on a bad argument).
        let _ = input.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

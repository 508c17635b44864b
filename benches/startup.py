#!/usr/bin/env python3
"""Start-up to the first answered request: `dynacond serve` beside
examples/empty_endpoint (the same HTTP stack answering `{}`), in turns.

    python3 benches/startup.py [ROUNDS]      (default 20)

Each round starts the server on a free port, reads its `listening on URL`
line, sends a ListTables request (keep-alive off) and stops the server; the
time is from just before the process is spawned to the answer's last byte.
Prints the median and best of each and their ratio. Builds the release
binaries with the `server` feature first (CARGO_TARGET_DIR is honoured).
"""
import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def first_answer(command):
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        if not line.startswith("listening on "):
            raise SystemExit(f"startup: {command[0]} printed {line!r}")
        url = urllib.parse.urlparse(line.split()[2])
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        conn.request(
            "POST",
            "/",
            body=b"{}",
            headers={
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
            },
        )
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"startup: {command[0]} answered {response.status}")
        conn.close()
        return elapsed
    finally:
        proc.kill()
        proc.wait()


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    subprocess.run(
        ["cargo", "build", "--quiet", "--release", "--features", "server",
         "--bin", "dynacond", "--example", "empty_endpoint"],
        cwd=ROOT,
        check=True,
    )
    serve = [os.path.join(TARGET, "release", "dynacond"), "serve", "--port", "0"]
    empty = [os.path.join(TARGET, "release", "examples", "empty_endpoint"), "127.0.0.1:0"]
    times = {"dynacond serve": [], "empty handler": []}
    for _ in range(rounds):
        times["dynacond serve"].append(first_answer(serve))
        times["empty handler"].append(first_answer(empty))
    for name, values in times.items():
        print(f"{name:15} median {statistics.median(values) * 1e3:6.2f} ms, best {min(values) * 1e3:6.2f} ms")
    ratio = statistics.median(times["dynacond serve"]) / statistics.median(times["empty handler"])
    print(f"ratio (median): {ratio:.2f}x")


if __name__ == "__main__":
    main()

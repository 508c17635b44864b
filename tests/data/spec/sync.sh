#!/usr/bin/env bash
# Refreshes the crate's copy of the spec vectors (tests/data/spec/cases) from
# the shared spec checked out beside the crate (../shared/spec/cases), byte for
# byte. tests/spec_copy.rs fails while the two disagree.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
crate="$(cd "$here/../../.." && pwd)"
src="$crate/../shared/spec/cases"
dst="$here/cases"
if [ ! -d "$src" ]; then
  echo "sync.sh: $src does not exist; check out the shared spec beside the crate" >&2
  exit 1
fi
rm -rf "$dst"
mkdir -p "$dst"
cp -- "$src"/* "$dst"/
# The shared checkout may be read-only; the copy is ours to edit and replace.
chmod u+w "$dst"/*
echo "sync.sh: copied $(find "$dst" -maxdepth 1 -type f | wc -l) files from $src"

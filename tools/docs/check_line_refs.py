#!/usr/bin/env python3
"""Checks that every line reference in the docs still points at what it names.

A reference is written `path/to/file.cc:123` `name`: the file must exist
(relative to the repository root) and its line 123 must contain the last
part of `name` (`Api::dossierCommand` -> `dossierCommand`). A `file:line`
with no name after it is refused too: a bare line number cannot be checked,
so it drifts silently.

  python3 tools/docs/check_line_refs.py [ROOT]     exit 0: all hold; 1: list
"""
import pathlib
import re
import sys

REF = re.compile(r"`([\w./-]+\.(?:cc|h|py|sh|capnp)):(\d+)`(?:\s+`([^`]+)`)?")


def name_part(name: str) -> str:
    # `Api::dossierCommand(...)` -> `dossierCommand`; `leadOneBatch` as is.
    name = name.split("(")[0]
    return name.split("::")[-1].strip()


def check(root: pathlib.Path) -> list[str]:
    problems = []
    docs = sorted((root / "docs").glob("*.md")) + [root / "README.md"]
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for match in REF.finditer(text):
            path, line, name = match.group(1), int(match.group(2)), match.group(3)
            where = f"{doc.relative_to(root)}: `{path}:{line}`"
            if name is None:
                problems.append(f"{where} names nothing: write `file:line` `name`")
                continue
            target = root / path
            if not target.is_file():
                problems.append(f"{where}: no such file")
                continue
            lines = target.read_text(encoding="utf-8").splitlines()
            found = lines[line - 1] if 0 < line <= len(lines) else ""
            if name_part(name) not in found:
                near = [i + 1 for i, l in enumerate(lines) if name_part(name) in l][:3]
                problems.append(f"{where} `{name}`: line {line} is \"{found.strip()[:60]}\""
                                f" (the name is on {near or 'no line'})")
    return problems


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} line reference(s) no longer point at what they name")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

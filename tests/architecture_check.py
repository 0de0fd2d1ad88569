#!/usr/bin/env python3
"""Checks that docs/architecture.md's target table and the build agree.

    architecture_check.py CMAKE SOURCE_DIR SCRATCH_DIR [GENERATOR]

Configures SOURCE_DIR into SCRATCH_DIR with `cmake --graphviz` (tests off: only the product's targets
matter), reads the direct dependencies between kho targets from the graph, and compares them with column
4 ("may use (kho)") of the table between the architecture-table markers. Exits 1 and prints every
difference when they disagree, 2 when the graph or the table cannot be read.
"""
import pathlib
import re
import subprocess
import sys

# Not dependencies: build settings, and the tests' door to private headers.
IGNORED = {"kho_warnings", "kho_internals"}


def kho_target(name):
    """kho_core -> kho::core, kho -> kho; None for anything that is not a kho product target."""
    if name in IGNORED or name.endswith("_tests"):
        return None
    if name == "kho":
        return "kho"
    m = re.fullmatch(r"kho_([a-z]+)", name)
    return f"kho::{m.group(1)}" if m else None


def graph_edges(cmake, source, scratch, generator):
    scratch.mkdir(parents=True, exist_ok=True)
    dot = scratch / "deps.dot"
    command = [cmake, "-S", str(source), "-B", str(scratch), "-DKHO_BUILD_TESTS=OFF", f"--graphviz={dot}"]
    if generator and not (scratch / "CMakeCache.txt").exists():
        command += ["-G", generator]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0 or not dot.exists():
        print(run.stdout + run.stderr)
        sys.exit(f"architecture: cmake --graphviz failed in {scratch}")
    deps = {}
    for line in dot.read_text().splitlines():
        # Every edge line ends with a comment naming both ends: `"node4" -> "node5"  // kho_core -> kho_catalog`.
        m = re.search(r"// (\S+) -> (\S+)$", line)
        if m:
            a, b = kho_target(m.group(1)), kho_target(m.group(2))
            if a:
                deps.setdefault(a, set())
                if b:
                    deps[a].add(b)
        else:
            m = re.search(r'\[ label = "([^"\\]+)', line)
            if m and kho_target(m.group(1)):
                deps.setdefault(kho_target(m.group(1)), set())
    return deps


def table_deps(doc):
    text = doc.read_text(encoding="utf-8")
    m = re.search(r"<!-- architecture-table:begin -->\n(.*?)<!-- architecture-table:end -->", text, re.S)
    if not m:
        sys.exit(f"architecture: no architecture-table markers in {doc}")
    deps = {}
    for row in m.group(1).splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("target", "") or set(cells[0]) <= set("-"):
            continue
        target = cells[0].strip("`")
        uses = set() if cells[3] in ("—", "-", "") else {u.strip().strip("`") for u in cells[3].split(",")}
        deps[target] = uses
    if not deps:
        sys.exit(f"architecture: the table in {doc} has no rows")
    return deps


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    cmake, source, scratch = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    generator = sys.argv[4] if len(sys.argv) == 5 else None
    doc = source / "docs" / "architecture.md"
    built, documented = graph_edges(cmake, source, scratch, generator), table_deps(doc)
    problems = []
    for t in sorted(set(built) | set(documented)):
        if t not in documented:
            problems.append(f"{t}: a kho target of the build, missing from the table")
        elif t not in built:
            problems.append(f"{t}: in the table, but the build has no such target")
        elif built[t] != documented[t]:
            extra, missing = built[t] - documented[t], documented[t] - built[t]
            if extra:
                problems.append(f"{t}: links {', '.join(sorted(extra))}, which the table does not list")
            if missing:
                problems.append(f"{t}: the table lists {', '.join(sorted(missing))}, which it does not link")
    for p in problems:
        print(f"architecture: {p}")
    if problems:
        print(f"architecture: update docs/architecture.md or the target_link_libraries line ({len(problems)})")
        return 1
    print(f"architecture: {len(built)} kho targets, the table and `cmake --graphviz` agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())

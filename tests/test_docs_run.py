"""Docs that run: every example in README.md and docs/ is executed and its shown output compared
with the real one, so the docs never show what the code does not do.

- A ```console block: each ``$ …`` line is run by bash in a temporary folder (``corridor`` on the
  PATH; input files it names are copied there) and followed by its exact output: stdout, and
  stderr too when the command fails (the error message; progress notes on stderr are not shown).  A line holding only ``…`` skips
  output lines; the lines after it resume at the first output line starting with the same word.
- A ```python block is executed (one namespace per document, blocks in order, in a temporary
  folder); when it prints, the next block (```text or a bare fence) is its output.
- ``<!-- docs: skip -->`` on the line before a block: not run; nor is a console block with other
  commands than ``corridor`` and ``echo`` (``curl`` against a running service: tests/service).

``make docs`` (``CORRIDOR_REGEN=1``) rewrites every shown output from the real run.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
REGEN = os.environ.get("CORRIDOR_REGEN") == "1"
ELLIPSIS = "…"
SKIP = "<!-- docs: skip -->"


@dataclass
class Block:
    lang: str
    start: int  # index of the first content line
    end: int  # index of the closing fence
    lines: list[str]
    skip: bool = False
    output: Block | None = field(default=None, repr=False)


def parse(lines: list[str]) -> list[Block]:
    """The fenced blocks of a Markdown document, python blocks linked to the output block after them."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        prev = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        blocks.append(Block(m.group(1), i + 1, j, lines[i + 1 : j], skip=prev.strip() == SKIP))
        i = j + 1
    for a, b in itertools.pairwise(blocks):
        between = lines[a.end + 1 : b.start - 1]
        if a.lang == "python" and b.lang in ("text", "") and not any(s.strip() for s in between):
            a.output = b
    return blocks


def shown(expected: list[str], actual: list[str]) -> list[str]:
    """What the block should show for ``actual`` output, keeping the ``…`` elisions of ``expected``.

    Segments between ``…`` lines are refilled from ``actual``: the first from its start, each later
    one from the first line (after the previous segment) that starts with the segment's first word.
    """
    if ELLIPSIS not in expected:
        return actual
    segments: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == ELLIPSIS:
            segments.append([])
        else:
            segments[-1].append(line)
    out: list[str] = []
    pos = 0
    for n, seg in enumerate(segments):
        if n > 0:
            out.append(ELLIPSIS)
            word = seg[0].split()[0] if seg and seg[0].split() else ""
            found = next((k for k in range(pos, len(actual)) if word and actual[k].split()[:1] == [word]), None)
            if found is None:
                out += seg  # nothing to anchor on: keep the text, the comparison will fail
                continue
            pos = found
        last = n == len(segments) - 1
        take = actual[pos:] if last else actual[pos : pos + len(seg)]
        out += take
        pos += len(take)
    return out


def _clean(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _commands(block: Block) -> list[tuple[str, list[str]]]:
    """Each ``$ …`` line of a console block with the output lines shown after it."""
    out: list[tuple[str, list[str]]] = []
    for line in block.lines:
        if line.startswith("$ "):
            out.append((line.rstrip(), []))
        elif out:
            out[-1][1].append(line.rstrip())
    return out


def runnable(block: Block) -> bool:
    """A console block of ``corridor`` commands (and ``echo``); blocks that need a running server
    (``curl`` against ``corridor serve``) are checked by the service's own tests."""
    commands = [line for line, _ in _commands(block)]
    return bool(commands) and all(c[2:].lstrip().startswith(("corridor ", "echo ")) for c in commands)


def run_console(block: Block, cwd: Path) -> list[str]:
    """The block as it should read: every command followed by its real output (elisions kept)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "120"}
    env.pop("CORRIDOR_REGEN", None)
    new: list[str] = []
    status = 0
    for line, expected in _commands(block):
        command = line[2:].strip()
        for token in command.split():
            if "/" not in token or token.startswith(("-", "'", '"', "|")) or (cwd / token).exists():
                continue
            (cwd / token).parent.mkdir(parents=True, exist_ok=True)  # e.g. -o docs/img/map.png
            if (ROOT / token).is_file():  # an input the docs name, e.g. docs/examples/kz-cn.osm: a copy
                shutil.copyfile(ROOT / token, cwd / token)
            elif (ROOT / token).is_dir():
                shutil.copytree(ROOT / token, cwd / token)
        proc = subprocess.run(
            ["bash", "-c", f"(exit {status}); {command}"],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        status = proc.returncode
        # stdout; stderr only when the command fails (its error message), not progress notes
        text = proc.stdout + (proc.stderr if status != 0 else "")
        new += [line, *shown(expected, _clean(text))]
    return new


def run_python(block: Block, namespace: dict[str, object], cwd: Path) -> list[str]:
    buffer = io.StringIO()
    here = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile("\n".join(block.lines), f"<{block.start}>", "exec"), namespace)
    finally:
        os.chdir(here)
    return _clean(buffer.getvalue())


def check_document(doc: Path, tmp_path: Path, *, regen: bool = False) -> list[str]:
    """Run every example of ``doc``; the differences found (rewritten in place when ``regen``)."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    edits: list[tuple[int, int, list[str]]] = []  # (start, end, new lines), end exclusive
    failures: list[str] = []
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in parse(lines):
        if block.skip:
            continue
        if block.lang == "console" and runnable(block):
            new = run_console(block, tmp_path)
            if new != [line.rstrip() for line in block.lines]:
                failures.append(f"{doc.name}:{block.start}: console output differs:\n" + _diff(block.lines, new))
                edits.append((block.start, block.end, new))
        elif block.lang == "python":
            printed = run_python(block, namespace, tmp_path)
            if block.output is not None:
                new = shown(block.output.lines, printed)
                if new != [line.rstrip() for line in block.output.lines]:
                    failures.append(
                        f"{doc.name}:{block.output.start}: printed output differs:\n" + _diff(block.output.lines, new)
                    )
                    edits.append((block.output.start, block.output.end, new))
            elif printed:
                failures.append(f"{doc.name}:{block.start}: the example prints but shows no output block")
                edits.append((block.end + 1, block.end + 1, ["", "```text", *printed, "```"]))
    if regen and edits:
        for start, end, new in sorted(edits, reverse=True):
            lines[start:end] = new
        doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return failures


@pytest.mark.slow
@pytest.mark.parametrize("doc", DOCS, ids=[p.relative_to(ROOT).as_posix() for p in DOCS])
def test_doc_examples_show_what_the_code_does(doc: Path, tmp_path: Path) -> None:
    failures = check_document(doc, tmp_path, regen=REGEN)
    if REGEN:
        return
    assert not failures, "\n\n".join(failures) + "\n\n(run `make docs` to regenerate the shown outputs)"


def _diff(old: list[str], new: list[str]) -> str:
    import difflib

    return "\n".join(difflib.unified_diff([s.rstrip() for s in old], new, "shown", "real", lineterm="", n=1))


# --- the harness checks itself: a wrong number in a shown output fails ---------------------------------


def test_a_hand_edited_number_fails(tmp_path: Path) -> None:
    mini = ROOT / "tests" / "data" / "mini"
    doc = tmp_path / "doc.md"
    right = ["```console", f"$ corridor network validate {mini}"]
    doc.write_text("\n".join([*right, "ok: mini 1: 6 nodes in 4 countries, 5 links (2,400 km), 1 services, "
                               "2 closure rules, 1 sources", "```"]) + "\n", encoding="utf-8")  # fmt: skip
    check_document(doc, tmp_path, regen=True)  # the real output, whatever it is
    assert check_document(doc, tmp_path) == []
    good = doc.read_text(encoding="utf-8")
    wrong = re.sub(r"(\d+) nodes", lambda m: f"{int(m.group(1)) + 1} nodes", good)
    assert wrong != good
    doc.write_text(wrong, encoding="utf-8")
    (failure,) = check_document(doc, tmp_path)
    assert "console output differs" in failure and "nodes" in failure
    check_document(doc, tmp_path, regen=True)
    assert doc.read_text(encoding="utf-8") == good


def test_elision_keeps_its_shape() -> None:
    expected = ["head a", "row 1", ELLIPSIS, "table b", "row 9"]
    actual = ["head a", "row 1", "row 2", "table b", "row 9", "row 10"]
    assert shown(expected, actual) == ["head a", "row 1", ELLIPSIS, "table b", "row 9", "row 10"]
    assert shown(["x 1", ELLIPSIS, "y 2"], ["x 1", "z", "y 3"]) == ["x 1", ELLIPSIS, "y 3"]


def test_python_blocks_link_to_their_output() -> None:
    text = ["```python", "print(1 + 1)", "```", "", "```text", "3", "```"]
    (block, out) = parse(text)
    assert block.output is out
    assert shown(out.lines, run_python(block, {}, Path.cwd())) == ["2"] != out.lines

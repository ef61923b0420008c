"""docs/api.md runs: every ``$ curl`` line in its console blocks is run against a live server and
its output compared with the document (ids, timestamps and secrets by shape).

``CORRIDOR_WRITE_DOCS=1 pytest tests/service/test_api_docs.py`` rewrites the outputs from a run.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from tests.service.conftest import Template, running

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "api.md"
BASE = "http://127.0.0.1:8000"
VOLATILE = [
    (re.compile(r"\b[0-9a-f]{32}\b"), "<id>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?"), "<time>"),
    (re.compile(r"cor_[A-Za-z0-9_-]{20,}"), "<token>"),
    (re.compile(r"(?i)^date: .*$", re.M), "date: <time>"),
]


def _blocks(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, commands) of each console block; a command may continue over lines inside quotes."""
    out = []
    for m in re.finditer(r"```console\n(.*?)```", text, re.S):
        cmds: list[str] = []
        lines = m.group(1).splitlines()
        i = 0
        while i < len(lines):
            if lines[i].startswith("$ "):
                cmd = lines[i][2:]
                while cmd.count("'") % 2 and i + 1 < len(lines):
                    i += 1
                    cmd += "\n" + lines[i]
                cmds.append(cmd)
            i += 1
        out.append((m.start(1), m.end(1), cmds))
    return out


def _normal(text: str) -> str:
    for pattern, repl in VOLATILE:
        text = pattern.sub(repl, text)
    return text.strip()


@pytest.mark.slow
def test_api_docs_examples_give_the_shown_output(sqlite_db: tuple[str, Template], tmp_path: Path) -> None:
    url, template = sqlite_db
    text = DOC.read_text(encoding="utf-8")
    with running(url, template.tokens, tmp_path / "data") as svc:
        env = {**os.environ, "TOKEN": template.tokens[("acme", "admin")]}
        pieces, last, mismatches = [], 0, []
        for start, end, cmds in _blocks(text):
            body = []
            for cmd in cmds:
                run = cmd.replace(BASE, svc.url)
                res = subprocess.run(["bash", "-c", run], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
                got = (res.stdout + res.stderr).rstrip("\n").replace(svc.url, BASE).replace("\r", "")
                body.append(f"$ {cmd}\n{got}\n" if got else f"$ {cmd}\n")
            new_block = "".join(body)
            if _normal(new_block) != _normal(text[start:end]):
                mismatches.append(new_block)
            else:  # equal but for ids and times: keep the shown text, so a rewrite changes nothing
                new_block = text[start:end]
            pieces += [text[last:start], new_block]
            last = end
        pieces.append(text[last:])
    if os.environ.get("CORRIDOR_WRITE_DOCS"):
        DOC.write_text("".join(pieces), encoding="utf-8")
        return
    assert mismatches == [], "docs/api.md differs from a run (CORRIDOR_WRITE_DOCS=1 rewrites it):\n" + "\n".join(
        mismatches
    )

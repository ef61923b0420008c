"""Schemathesis against the running service's OpenAPI, on SQLite and PostgreSQL.

Every check runs except ``positive_data_acceptance``: that one flags any 4xx for a schema-valid
request, and a domain API must reject schema-valid nonsense (an origin named "0", a demand set
that does not exist) with 422 and its problems.  Bounded: a fixed number of examples per operation.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.service.conftest import Service

MAX_EXAMPLES = 6


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_or_schema_violation(service_any: Service, tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "schemathesis"
    token = service_any.tokens[("acme", "admin")]
    res = subprocess.run(
        [str(exe), "run", f"{service_any.url}/openapi.json", "--checks", "all",
         "--exclude-checks", "positive_data_acceptance", "-H", f"Authorization: Bearer {token}",
         "-n", str(MAX_EXAMPLES), "--generation-deterministic", "--phases", "examples,fuzzing",
         "--request-timeout", "30", "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    tail = res.stdout[-6000:]
    assert res.returncode == 0, tail
    assert "failures" not in tail.splitlines()[-1] or " 0 failures" in tail, tail

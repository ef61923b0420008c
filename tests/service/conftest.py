"""Service fixtures: a migrated database (SQLite, or PostgreSQL when one is reachable), a real
uvicorn server on a loopback port in a background thread, and users of every role in two
organisations with their API tokens."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from corridor.service import Settings, create_app
from corridor.service.auth import ROLES, add_user, create_token
from corridor.service.db import Database
from corridor.service.migrate import upgrade

MINI = Path(__file__).parents[1] / "data" / "mini"
ORGS = ("acme", "other")
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving ``create_app(settings)`` on 127.0.0.1 in a thread; ``stop()`` shuts it down."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_config=None, access_log=False, lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(20)


# --- PostgreSQL: a throw-away cluster when the binaries are here, else $CORRIDOR_TEST_PG ----------


@dataclass
class Postgres:
    base_url: str
    admin_url: str

    def new_database(self, template: str | None = None) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return f"{self.base_url}/{name}"


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for root in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (root / name).exists():
            return str(root / name)
    return None


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    env_url = os.environ.get("CORRIDOR_TEST_PG")  # e.g. postgresql+psycopg://user:pw@host:5432
    if env_url:
        yield Postgres(env_url, env_url.replace("+psycopg", "") + "/postgres")
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        if os.environ.get("CORRIDOR_REQUIRE_PG"):
            pytest.fail("CORRIDOR_REQUIRE_PG is set but no PostgreSQL (initdb/pg_ctl) is installed")
        pytest.skip("no PostgreSQL server reachable (set CORRIDOR_TEST_PG or install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="corridor-pg-"))  # outside pytest's 0700 tree: the server user must reach it
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run(
        [*prefix, initdb, "-D", str(data), "-U", "corridor", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200"
    subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"), "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield Postgres(
            f"postgresql+psycopg://corridor@127.0.0.1:{port}", f"postgresql://corridor@127.0.0.1:{port}/postgres"
        )
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def seed_users(url: str) -> dict[tuple[str, str], str]:
    """A user and a token for every role in both organisations: ``{(org, role): token}``."""
    tokens: dict[tuple[str, str], str] = {}
    db = Database(url)
    with db.session() as s:
        for org in ORGS:
            for role in ROLES:
                user = add_user(s, org, f"{role}@{org}", role, PASSWORD if role != "integrator" else None)
                tokens[(org, role)] = create_token(s, user)[1]
    db.dispose()
    return tokens


@dataclass(frozen=True)
class Template:
    """A migrated database seeded with users; tests get a copy (migrating takes seconds)."""

    url: str
    tokens: dict[tuple[str, str], str]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    path = tmp_path_factory.mktemp("template") / "corridor.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    tokens = seed_users(url)
    db = Database(url)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return Template(url, tokens)


@pytest.fixture(scope="session")
def pg_template(postgres: Postgres) -> Template:
    url = postgres.new_database()
    upgrade(url)
    return Template(url, seed_users(url))


def copy_database(template: Template, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if template.url.startswith("sqlite"):
        dest = tmp_path / "corridor.db"
        shutil.copy(template.url.removeprefix("sqlite:///"), dest)
        return f"sqlite:///{dest}"
    return request.getfixturevalue("postgres").new_database(template=template.url.rsplit("/", 1)[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Template]:
    """A migrated database seeded with users, on each backend: ``(url, template)``."""
    template: Template = request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_template")
    return copy_database(template, tmp_path, request), template


@pytest.fixture
def sqlite_db(sqlite_template: Template, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, Template]:
    return copy_database(sqlite_template, tmp_path, request), sqlite_template


@dataclass
class Service:
    server: LiveServer
    tokens: dict[tuple[str, str], str]

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, org: str = "acme", role: str | None = "admin") -> httpx.Client:
        headers = {} if role is None else {"Authorization": f"Bearer {self.tokens[(org, role)]}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


@contextlib.contextmanager
def running(url: str, tokens: dict[tuple[str, str], str], data_dir: Path, **kw: object) -> Iterator[Service]:
    settings = Settings(data_dir=data_dir, db_url=url, workers=1, secure_cookies=False, **kw)  # type: ignore[arg-type]
    server = LiveServer(settings).start()
    try:
        yield Service(server, tokens)
    finally:
        server.stop()


@pytest.fixture
def service(sqlite_db: tuple[str, Template], tmp_path: Path) -> Iterator[Service]:
    with running(sqlite_db[0], sqlite_db[1].tokens, tmp_path / "data") as svc:
        yield svc


@pytest.fixture
def service_any(db: tuple[str, Template], tmp_path: Path) -> Iterator[Service]:
    with running(db[0], db[1].tokens, tmp_path / "data") as svc:
        yield svc


def scenario_yaml(name: str, teu: int = 600_000) -> str:
    return (
        f"name: {name}\ninherits: baseline-2024\nsources:\n  - id: test-src\n    kind: estimate\n"
        f"    title: test value\n    publisher: tests\n    year: 2026\nchanges:\n"
        f"  - set: {{node: AZBAK, capacity_teu_per_year: {teu}}}\n    source: test-src\n"
    )


def network_zip(name: str, mutate: Callable[[Path], None] | None = None) -> bytes:
    """The mini test network as a zip, renamed to ``name`` (and changed by ``mutate``)."""
    import io
    import zipfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        shutil.copytree(MINI, folder)
        manifest = folder / "network.toml"
        manifest.write_text(
            manifest.read_text(encoding="utf-8").replace('name = "mini"', f'name = "{name}"'), encoding="utf-8"
        )
        if mutate is not None:
            mutate(folder)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for f in sorted(folder.iterdir()):
                zf.write(f, f"{name}/{f.name}")
        return buf.getvalue()


class ServeProcess:
    """``corridor serve`` as a real child process (what `make run` starts)."""

    def __init__(self, url: str, data_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        exe = str(Path(sys.executable).parent / "corridor")
        self.log = data_dir.parent / f"serve-{self.port}.log"
        self.proc = subprocess.Popen(
            [exe, "serve", "--db", url, "--data-dir", str(data_dir), "--port", str(self.port), "--workers", "1",
             "--insecure-cookies", "--log-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=(log := self.log.open("wb")),
        )  # fmt: skip
        log.close()  # the child holds its own descriptor
        deadline = time.monotonic() + 120  # a cold start on a loaded 2-core machine can take a minute
        while True:
            try:
                if httpx.get(self.base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"corridor serve did not start: {self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

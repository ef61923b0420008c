"""Service settings: one frozen object, built by the caller and passed to :func:`create_app`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to know; nothing is read from the environment behind your back.

    Parameters
    ----------
    data_dir
        Local directory for the SQLite database (default URL) and the content-addressed file store.
    db_url
        SQLAlchemy URL; default ``sqlite:///<data_dir>/corridor.db`` (WAL mode).
    workers
        Local worker processes for jobs (ignored when ``scheduler`` is given).
    scheduler
        Dask distributed scheduler address (``tcp://host:8786``) for jobs.
    rate_limit_per_minute
        Requests per minute per token (or per client address when anonymous); 0 disables.
    max_body_bytes
        Largest request body accepted (uploads included).
    cors_origins
        Origins allowed by CORS; empty (the default) means CORS is off.
    secure_cookies
        Mark session cookies ``Secure`` (set False only for plain-HTTP loopback development).
    """

    data_dir: Path
    db_url: str = ""
    workers: int = 2
    scheduler: str | None = None
    rate_limit_per_minute: int = 6000
    max_body_bytes: int = 20 * 1024 * 1024
    max_zip_files: int = 200
    max_zip_bytes: int = 50 * 1024 * 1024
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    secure_cookies: bool = True
    session_hours: float = 12.0

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'corridor.db'}"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def cache_dir(self) -> Path:
        """Parsed networks and their routing arrays (``corridor.network.cache``), keyed by content:
        under the data dir so that the service never writes to the account's ``~/.cache``."""
        return self.data_dir / "cache"

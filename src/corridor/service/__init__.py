"""The corridor service: REST API, storage, users and roles, jobs — an adapter over the engines.

Layout (see docs/design/service.md):

- ``app.py``        ``create_app(settings)``, the ``ServiceContext`` routes reach via ``request.app.state.ctx``
- ``settings.py``   the frozen :class:`Settings`
- ``db.py``         ``Base``, ``Database`` (engine + sessions); ``models.py`` the core tables
- ``migrations/``   Alembic revisions (linear chain); ``migrate.py`` runs them
- ``auth.py``       ``require_role``, ``owned`` (organisation scoping), tokens, passwords, audit
- ``problems.py``   RFC 9457 problem+json mapping (``ApiProblem``)
- ``jobs.py``       ``JobRunner`` (local processes or Dask), ``job_kinds.py`` what a job computes
- ``routers/``      one module per resource; ``routers/__init__.py`` lists them in ``ROUTERS``
"""

from corridor.service.app import create_app
from corridor.service.settings import Settings

__all__ = ["Settings", "create_app"]

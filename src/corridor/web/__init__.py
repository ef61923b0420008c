"""The workbench: a browser app of plain ES modules in ``static/`` (no build step), served at ``/`` by
the service (``corridor.service.routers.webapp``) and talking only to the service's JSON API.
See docs/design/web.md."""

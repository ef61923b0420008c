"""Renderers: tables, JSON, charts, maps and HTML reports.  Renderers never compute."""

"""Where cmdesk keeps its data, settings and logs on this platform.

Imports no Qt. The default workspace is ``<app data>/workspace.cmdesk``; the ``CMDESK_DB``
environment variable or ``--db`` overrides it. ``CMDESK_HOME`` moves every folder at once (tests and
``make run`` use it so they never touch the user's real data).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from cmdesk import APP_NAME

WORKSPACE_SUFFIX = ".cmdesk"


def _home() -> Path | None:
    value = os.environ.get("CMDESK_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    home = _home()
    return (
        home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    )


def env_workspace() -> Path | None:
    """The workspace named by ``CMDESK_DB``, if it is set."""
    env = os.environ.get("CMDESK_DB")
    return Path(env).expanduser() if env else None


def default_workspace() -> Path:
    """The workspace opened when none is named: ``CMDESK_DB``, else the app-data default."""
    return env_workspace() or data_dir() / f"workspace{WORKSPACE_SUFFIX}"


def sample_workspace() -> Path:
    """Where the bundled sample workspace is built on first use."""
    return data_dir() / f"sample{WORKSPACE_SUFFIX}"

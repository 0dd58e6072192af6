"""cmdesk, the community manager's desk: a local-first Qt desktop app."""

__version__ = "0.1.0"
APP_NAME = "cmdesk"
APP_ID = "io.github.cmdesk.Cmdesk"

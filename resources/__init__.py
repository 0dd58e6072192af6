"""Icons, styles and the sample workspace, shipped as package data (``cmdesk.resources``)."""

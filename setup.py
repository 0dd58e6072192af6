"""Package layout only (metadata lives in pyproject.toml).

The top-level ``resources/`` folder (icons, styles, the sample workspace) ships inside the package
as ``cmdesk.resources``, so ``importlib.resources`` finds it installed as well as in a checkout.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["cmdesk", "cmdesk.*"]), "cmdesk.resources"],
    package_dir={"cmdesk.resources": "resources"},
    package_data={"cmdesk.resources": ["**/*"]},
    include_package_data=False,
)

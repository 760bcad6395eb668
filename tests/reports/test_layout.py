"""reports/ reads every app and none reads it: no module of another app (huxue/, the project
package on top, aside) imports reports."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR).resolve()


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def project_apps() -> list[Path]:
    """The folders of the project's own apps (those inside the repository)."""
    folders = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.parent == BASE:
            folders.append(path)
    return folders


def test_the_app_folders_are_found():
    names = {path.name for path in project_apps()}
    assert {"huxue", "core", "org", "posts", "duty", "reports"} <= names


def test_no_app_but_the_project_package_imports_reports():
    offenders = []
    for folder in project_apps():
        if folder.name in ("huxue", "reports"):
            continue
        for path in folder.rglob("*.py"):
            for name in imported_modules(path):
                if name == "reports" or name.startswith("reports."):
                    offenders.append(f"{path.relative_to(BASE)}: {name}")
    assert offenders == []

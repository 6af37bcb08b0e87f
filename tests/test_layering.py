"""The layers hold: registry → stock, shifts → dukcapil, and nothing points back up.

Edges hidden from an import statement count too: a dotted path resolved at run time, and a
migration of a lower app depending on a higher app's migration.
"""

import ast
from pathlib import Path

import pytest
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent

# The project's apps each may use; an app always may use itself.
MAY_USE = {
    "dukcapil": set(),
    "stock": {"dukcapil"},
    "shifts": {"dukcapil"},
    "registry": {"dukcapil", "stock", "shifts"},
}

# Calls that import the module named by their string argument.
_IMPORTING_CALLS = {"import_module", "import_string", "__import__"}


def _used_apps(path: Path, package: str) -> set[tuple[int, str]]:
    """The project apps a module imports, by statement or by a dotted path given as a string."""
    used = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [package] if node.level else [node.module or ""]
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called not in _IMPORTING_CALLS:
                continue
            names = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
        else:
            continue
        used |= {(node.lineno, name.split(".")[0]) for name in names}
    return {(line, app) for line, app in used if app in MAY_USE}


MODULES = [
    pytest.param(package, path, id=str(path.relative_to(ROOT)))
    for package in MAY_USE
    for path in sorted((ROOT / package).rglob("*.py"))
]


@pytest.mark.parametrize(("package", "path"), MODULES)
def test_it_imports_only_the_layers_below(package, path):
    allowed = MAY_USE[package] | {package}
    wrong = sorted(
        f"line {line}: {app}" for line, app in _used_apps(path, package) if app not in allowed
    )
    assert not wrong, f"{package} may use only {sorted(allowed)}"


def test_it_sees_an_import_upwards_however_it_is_written(tmp_path):
    module = tmp_path / "hidden.py"
    module.write_text(
        "import registry.models\n"
        "from shifts import selectors\n"
        "from django.utils.module_loading import import_string\n"
        "lookup = import_string('stock.providers.provide')\n"
    )
    assert {app for _, app in _used_apps(module, "dukcapil")} == {"registry", "shifts", "stock"}


def test_no_migration_depends_on_a_higher_app():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = sorted(
        f"{app}.{name} → {dep_app}.{dep_name}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in MAY_USE
        for dep_app, dep_name in migration.dependencies
        if dep_app in MAY_USE and dep_app != app and dep_app not in MAY_USE[app]
    )
    assert not wrong

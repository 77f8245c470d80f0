"""The package's imports run one way: down the layers docs/architecture.md draws.

Every ``import`` in ketamine_info/ is read (those inside functions too, since they run all the
same) and placed in a layer. An import may reach its own layer or a lower one; a feature app
may use a lower feature app's models but never its views, previews, admin or template tags; and
no import circle may form between apps. A lower layer that needs a higher one's model looks it
up by label at run time (``apps.get_model``), which this test does not see and does not need to.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ketamine_info"

# Bottom to top. Modules at the package's top level are placed by name.
FOUNDATION = {
    "settings",
    "markup",
    "iconarray",
    "publishing",
    "versioning",
    "translations",
    "meta",
    "topics",
    "structured_data",
    "structured_data_tags",
    "review_tags",
    "deploy_checks",
    "caching",
    "registry",
    "origin",
}
SITE = {"urls", "views", "sitemaps", "context_processors", "middleware", "languages", "health", "wsgi", "asgi"}
# Feature apps, each above those before it: a later one may use an earlier one's models.
FEATURES = [
    "citations",
    "glossary",
    "figures",
    "images",
    "faqs",
    "articles",
    "decisions",
    "clinics",
    "pages",
    "search",
    "feedback",
]
LAYERS = {"foundation": 0, "editorial": 1, "contentsync": 2, "feature": 3, "site": 4}
# Staff tooling in an app of its own: publishing at a time (with the editorial layer).
LAYERS["scheduling"] = LAYERS["editorial"]
# What one feature app never imports from another.
FACE_MODULES = {"views", "previews", "admin", "templatetags", "urls"}


def unit_of(module: str) -> str:
    """'ketamine_info.articles.views' -> 'articles'; 'ketamine_info.markup' -> 'markup'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str) -> int:
    parts = module.split(".")
    if "management" in parts and "commands" in parts:
        return LAYERS["site"]  # a command is an entry point, as a view is
    unit = unit_of(module)
    if unit in FOUNDATION:
        return LAYERS["foundation"]
    if unit in SITE:
        return LAYERS["site"]
    if unit in FEATURES:
        return LAYERS["feature"]
    if unit in LAYERS:
        return LAYERS[unit]
    raise AssertionError(f"{module}: not placed in a layer; add it to tests/test_layering.py")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_of(name: str) -> str:
    """The module a name is imported from: ``ketamine_info.caching.page_cache.generation`` ->
    ``ketamine_info.caching.page_cache``; ``ketamine_info.caching.edge`` stays as it is."""
    parts = name.split(".")
    while len(parts) > 1:
        path = PACKAGE.parent.joinpath(*parts)
        if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
            break
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import of the package's own modules."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            targets = [module_of(f"{target}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, t) for t in targets if t.startswith("ketamine_info.")]
    return found


def all_imports() -> list[tuple[str, int, str]]:
    return [
        (module_name(path), line, target)
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
        for line, target in imports_of(path)
    ]


def problems(imports: list[tuple[str, int, str]]) -> list[str]:
    found = []
    app_edges: dict[str, set[str]] = {}
    module_edges: dict[str, set[str]] = {}
    for source, line, target in imports:
        where = f"{source}:{line} imports {target}"
        if unit_of(source) == unit_of(target):
            if source != target:
                module_edges.setdefault(source, set()).add(target)
            continue
        if layer_of(target) > layer_of(source):
            found.append(f"{where}: a lower layer imports a higher one")
        both_features = unit_of(source) in FEATURES and unit_of(target) in FEATURES
        if both_features and layer_of(source) != LAYERS["site"]:
            if set(target.split(".")[2:3]) & FACE_MODULES:
                found.append(f"{where}: a feature app imports another's views or admin")
            if FEATURES.index(unit_of(target)) > FEATURES.index(unit_of(source)):
                found.append(f"{where}: a feature app imports one above it")
        if layer_of(source) != LAYERS["site"]:
            app_edges.setdefault(unit_of(source), set()).add(unit_of(target))
    found += [f"import circle: {' -> '.join(circle)}" for circle in circles(app_edges)]
    found += [
        f"import circle inside an app: {' -> '.join(circle)}" for circle in circles(module_edges)
    ]
    return found


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    found, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            found.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for nxt in sorted(edges.get(node, ())):
            visit(nxt, [*path, node])
        done.add(node)

    for node in sorted(edges):
        visit(node, [])
    return found


def test_imports_run_down_the_layers():
    assert problems(all_imports()) == []


def test_every_module_is_in_a_layer():
    for path in PACKAGE.rglob("*.py"):
        if "migrations" not in path.parts and path != PACKAGE / "__init__.py":
            layer_of(module_name(path))


@pytest.mark.parametrize(
    "edge, complaint",
    [
        (("ketamine_info.markup", 1, "ketamine_info.citations.models"), "lower layer"),
        (("ketamine_info.editorial.review", 1, "ketamine_info.articles.models"), "lower layer"),
        (("ketamine_info.contentsync.sync", 1, "ketamine_info.urls"), "lower layer"),
        (("ketamine_info.faqs.models", 1, "ketamine_info.articles.views"), "views or admin"),
        (("ketamine_info.search.documents", 1, "ketamine_info.faqs.admin"), "views or admin"),
        (("ketamine_info.citations.models", 1, "ketamine_info.glossary.models"), "one above it"),
    ],
)
def test_the_check_catches_an_upward_import(edge, complaint):
    assert any(complaint in problem for problem in problems([edge]))


def test_the_check_catches_a_circle():
    found = problems(
        [
            ("ketamine_info.editorial.review", 1, "ketamine_info.contentsync.kinds"),
            ("ketamine_info.contentsync.kinds", 1, "ketamine_info.editorial.review"),
        ]
    )
    assert any("import circle" in problem for problem in found)


def test_the_check_catches_a_circle_inside_an_app():
    found = problems(
        [
            ("ketamine_info.caching.edge", 1, "ketamine_info.caching.page_cache"),
            ("ketamine_info.caching.page_cache", 1, "ketamine_info.caching.guard"),
            ("ketamine_info.caching.guard", 1, "ketamine_info.caching.edge"),
        ]
    )
    assert any("import circle inside an app" in problem for problem in found)


def test_a_command_may_use_any_app():
    edge = ("ketamine_info.contentsync.management.commands.x", 1, "ketamine_info.glossary.models")
    assert problems([edge]) == []

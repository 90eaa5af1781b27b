"""store/'s architecture: sub-packages in layers, each importing only downward,
and no module importing another in a circle (store/__init__.py tells the layers).

The walk reads every import statement of every module, also those inside
functions, so a lazy import cannot hide a back-edge.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module may import from its own layer's package and from the
# layers below; the packages of one layer do not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("domain",),
    ("format",),
    ("git",),
    ("folder",),
    ("index",),
    ("workspace", "tools", "sheets"),
)
LAYER_OF = {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}


def module_name(store: Path, path: Path) -> str:
    parts = list(path.relative_to(store.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(store: Path) -> dict[str, Path]:
    return {module_name(store, p): p for p in sorted(store.rglob("*.py"))}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> list[tuple[int, str]]:
    """The store modules that ``name`` imports, with the line of each import."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # ``from pkg import mod`` imports the module when there is one of that name
            targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix
                       for a in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "store" and target in known:
                found.append((node.lineno, target))
    return found


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def graph(store: Path) -> tuple[dict[str, Path], dict[str, list[tuple[int, str]]]]:
    known = modules_of(store)
    return known, {m: imports_of(m, p, known) for m, p in known.items()}


def layer_violations(store: Path) -> list[str]:
    known, edges = graph(store)
    bad = []
    for m, targets in edges.items():
        src = package_of(m)
        where = known[m].relative_to(store.parent).as_posix()
        if src is None:  # store/__init__.py: documentation only
            bad += [f"{where}:{line}: store/__init__.py imports {t}" for line, t in targets]
            continue
        if src not in LAYER_OF:
            bad.append(f"{where}: store/{src}/ is in no layer of tests/test_architecture.py")
            continue
        for line, t in targets:
            dst = package_of(t)
            if dst is None or dst == src:
                continue
            if dst not in LAYER_OF:
                bad.append(f"{where}:{line}: imports {t}, in no layer")
            elif LAYER_OF[dst] > LAYER_OF[src]:
                bad.append(f"{where}:{line}: {src} imports {t}, a layer above it")
            elif LAYER_OF[dst] == LAYER_OF[src]:
                bad.append(f"{where}:{line}: {src} imports {t}, beside it in one layer")
    return bad


def cycles(store: Path) -> list[list[str]]:
    """Every circle of imports between store's modules (Tarjan's strongly connected components)."""
    _known, edges = graph(store)
    succ = {m: sorted({t for _l, t in ts if t != m}) for m, ts in edges.items()}
    loops = [[m] for m, ts in edges.items() if any(t == m for _l, t in ts)]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                loops.append(sorted(comp))

    for v in sorted(succ):
        if v not in index:
            visit(v)
    return loops


def test_the_walk_sees_the_imports():
    """The checker reads relative, package and function-level imports."""
    known, edges = graph(ROOT / "store")
    assert {"store.domain.records", "store.folder.datafolder", "store.index.load",
            "store.git.sync"} <= set(known)
    load = {t for _l, t in edges["store.index.load"]}
    assert {"store.folder.fastread", "store.folder.rowcodec", "store.index.tree",
            "store.domain.summary"} <= load
    assert ("store.git.setup" in {t for _l, t in edges["store.folder.datafolder"]})


def test_every_package_is_in_a_layer():
    packages = {p.name for p in (ROOT / "store").iterdir()
                if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(LAYER_OF)
    assert not [p for p in (ROOT / "store").glob("*.py") if p.name != "__init__.py"], \
        "every module lives in a sub-package"


def test_store_imports_only_downward():
    assert layer_violations(ROOT / "store") == []


def test_no_module_imports_in_a_circle():
    assert cycles(ROOT / "store") == []


def _copy(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(ROOT / "store", store, ignore=shutil.ignore_patterns("__pycache__"))
    return store


def test_a_back_import_is_caught(tmp_path):
    store = _copy(tmp_path)
    records = store / "domain" / "records.py"
    text = records.read_text(encoding="utf-8")
    records.write_text(text + "\n\ndef _late():\n    from ..index import load  # noqa\n",
                       encoding="utf-8")
    line = len((text + "\n\ndef _late():").splitlines()) + 1
    assert layer_violations(store) == [
        f"store/domain/records.py:{line}: domain imports store.index.load, a layer above it"]


def test_a_sibling_import_and_a_circle_are_caught(tmp_path):
    store = _copy(tmp_path)
    (store / "tools" / "demo.py").write_text(
        (store / "tools" / "demo.py").read_text(encoding="utf-8")
        + "\nfrom ..sheets import export  # noqa\n", encoding="utf-8")
    # a circle inside one package: layout -> codec -> layout
    codec = store / "format" / "codec.py"
    codec.write_text(codec.read_text(encoding="utf-8") + "\nfrom . import layout  # noqa\n",
                     encoding="utf-8")
    bad = layer_violations(store)
    assert len(bad) == 1 and "tools imports store.sheets.export, beside it in one layer" in bad[0]
    assert ["store.format.codec", "store.format.layout"] in cycles(store)

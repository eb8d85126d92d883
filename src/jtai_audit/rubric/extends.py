"""`extends`: a local rubric applied over the one it names, without copying it.

Each file in the chain is kept with its positions, so a problem is reported in the file,
and at the line, that caused it. Keys override; rules merge by id; lexicons add phrases.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ..hints import did_you_mean
from ..problems import LineProblem
from .yamlfile import YamlDocument, YamlProblem, load_yaml, plain

# A rubric's guidance for auditors sits beside it (`x.yaml`, `x.guidance.yaml`): not a rubric.
GUIDANCE_SUFFIX = ".guidance.yaml"


def is_guidance_file(path: Path | str) -> bool:
    """A guidance file sits among rubric files but is not one."""
    return str(path).endswith(GUIDANCE_SUFFIX)


def bundled_path(name: str) -> Path | None:
    """The file of a rubric shipped inside the package, by id."""
    candidate = resources.files("jtai_audit.rubrics").joinpath(f"{name}.yaml")
    return Path(str(candidate)) if candidate.is_file() else None


def bundled_ids() -> list[str]:
    folder = resources.files("jtai_audit.rubrics")
    return sorted(p.name[:-5] for p in folder.iterdir()
                  if p.name.endswith(".yaml") and not is_guidance_file(p.name))


def display_name(path: Path) -> str:
    bundled = resources.files("jtai_audit.rubrics")
    if str(path).startswith(str(bundled)):
        return f"rubrics/{path.name}"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_chain(path: Path, collector_files: list[LineProblem]) -> list[YamlDocument]:
    chain: list[YamlDocument] = []
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None:
        resolved = current.resolve()
        if resolved in seen:
            collector_files.append(LineProblem(display_name(current), 1, 1, "error", "extends",
                                           "extends makes a cycle"))
            break
        seen.add(resolved)
        try:
            doc = load_yaml(current)
        except YamlProblem as exc:
            collector_files.append(LineProblem(display_name(current), exc.line, exc.col, "error",
                                           "yaml", exc.message))
            break
        if not isinstance(doc.data, dict):
            collector_files.append(LineProblem(display_name(current), 1, 1, "error", "schema",
                                           "a rubric is a mapping (id, version, rules, ...)"))
            break
        chain.append(doc)
        parent = doc.data.get("extends")
        current = None
        if isinstance(parent, str) and parent:
            current = _parent_path(doc, parent)
            if current is None:
                line, col = doc.position(("extends",)) or (1, 1)
                collector_files.append(LineProblem(
                    display_name(doc.path), line, col, "error", "extends",
                    f"extends '{parent}': neither a bundled rubric ({', '.join(bundled_ids())}) "
                    "nor a file next to this one"))
    return chain


def _parent_path(doc: YamlDocument, parent: str) -> Path | None:
    relative = doc.path.parent / parent
    if relative.is_file():
        return relative
    return bundled_path(parent)


def merge(chain: list[YamlDocument]) -> dict[str, Any]:
    """Apply each file over the one it extends: keys override, rules by id, lexicons add phrases."""
    merged: dict[str, Any] = {}
    for doc in reversed(chain):
        data = plain(doc.data)
        for key, value in data.items():
            if key in ("params", "fields", "themes"):
                found = merged.get(key)
                base: dict[str, Any] = found if isinstance(found, dict) else {}
                if key == "fields" and isinstance(value, dict):
                    value = {n: {**base.get(n, {}), **v} if isinstance(v, dict)
                             and isinstance(base.get(n), dict) else v for n, v in value.items()}
                merged[key] = {**base, **value} if isinstance(value, dict) else value
            elif key == "lexicons" and isinstance(value, dict):
                merged[key] = _merge_lexicons(merged.get(key) or {}, value)
            elif key == "grades" and isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            elif key == "disable" and isinstance(value, list):
                merged[key] = [*(merged.get(key) or []), *value]
            elif key == "rules" and isinstance(value, list):
                merged[key] = _merge_rules(merged.get(key) or [], value)
            else:
                merged[key] = value
    return merged


def _merge_lexicons(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for name, lexicon in extra.items():
        old = out.get(name)
        if isinstance(old, dict) and isinstance(lexicon, dict):
            phrases = [*old.get("phrases", []), *(p for p in lexicon.get("phrases", [])
                                                  if p not in old.get("phrases", []))]
            out[name] = {**old, **lexicon, "phrases": phrases}
        else:
            out[name] = lexicon
    return out


def _merge_rules(base: list[Any], extra: list[Any]) -> list[Any]:
    out = list(base)
    index = {r.get("id"): i for i, r in enumerate(out) if isinstance(r, dict)}
    for rule in extra:
        rid = rule.get("id") if isinstance(rule, dict) else None
        if rid in index and isinstance(rule, dict):
            out[index[rid]] = {**out[index[rid]], **rule}
        else:
            out.append(rule)
    return out


def check_overrides(chain: list[YamlDocument]) -> list[LineProblem]:
    """A variant's parameter must exist in what it extends: a typo would silently do nothing."""
    problems: list[LineProblem] = []
    for index, doc in enumerate(chain[:-1]):
        parents = chain[index + 1:]
        known: set[str] = set()
        for parent in parents:
            known.update((parent.data.get("params") or {}).keys())
        for name in (doc.data.get("params") or {}):
            if name not in known:
                hint = did_you_mean(name, sorted(known))
                line, col = doc.position(("params", name), key=True) or (1, 1)
                problems.append(LineProblem(
                    display_name(doc.path), line, col, "error", "params",
                    f"unknown parameter '{name}' (not in {doc.data.get('extends')}){hint}"))
    return problems

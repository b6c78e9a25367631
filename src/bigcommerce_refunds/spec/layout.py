"""Upstream's older URL layout, rewritten into the current one before the cut.

Until 2022 BigCommerce's spec files put the whole base path in every path
(``/stores/{store_hash}/v3/orders/...``, each with a ``store_hash`` path parameter) under a bare
server ``https://api.bigcommerce.com``; since then the base path is part of the server URL
(``https://api.bigcommerce.com/stores/{store_hash}/v3``) and the paths start at ``/orders``. The
two describe the same requests. The cut, the overlay (whose targets name paths) and the diff
all speak the current layout, so an upstream file in the older one is rewritten first instead
of being refused as lacking the refund operations.

Nothing here knows the prefix: it is found as the part before a known refund path, whatever it
is (``/stores/{store_hash}/v3`` in every such file seen so far), and every template variable in
it (``{store_hash}``) moves from a path parameter to a server variable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["LayoutError", "normalise_layout"]

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_TEMPLATE = re.compile(r"\{([^{}/]+)\}")


class LayoutError(ValueError):
    """The document mixes layouts so that rewriting it would merge two different paths."""


def _operations(paths: dict[str, Any], path: str) -> set[str]:
    item = paths.get(path)
    if not isinstance(item, dict):
        return set()
    return {key for key in item if key in _HTTP_METHODS and isinstance(item[key], dict)}


def _prefix(paths: dict[str, Any], wanted: Iterable[tuple[str, str]]) -> str | None:
    """The base path in front of the refund paths, if they are all found only behind one.

    Every path that ends with a refund path (whole segments only) proposes what precedes it;
    the proposal under which the most refund operations exist wins.
    """
    wanted = list(wanted)
    if any(method in _operations(paths, path) for path, method in wanted):
        return None  # the current layout (or a file with some refund operation where we look)
    scores: dict[str, int] = {}
    for candidate in paths:
        for path, _ in wanted:
            if not candidate.endswith(path) or len(candidate) == len(path):
                continue
            prefix = candidate[: -len(path)]
            if prefix.startswith("/") and not prefix.endswith("/"):
                scores[prefix] = sum(
                    1 for p, method in wanted if method in _operations(paths, prefix + p)
                )
    best = max(scores.items(), key=lambda item: (item[1], -len(item[0])), default=None)
    return best[0] if best is not None and best[1] > 0 else None


def _resolve(document: dict[str, Any], node: Any) -> Any:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/components/parameters/"):
        return node
    name = ref.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
    return ((document.get("components") or {}).get("parameters") or {}).get(name, node)


def _without_prefix_parameters(
    document: dict[str, Any], owner: dict[str, Any], names: set[str], found: dict[str, Any]
) -> dict[str, Any]:
    """``owner`` (a path item or operation) without its path parameters named in ``names``;
    the parameters taken out are kept in ``found`` (their description and default)."""
    parameters = owner.get("parameters")
    if not isinstance(parameters, list):
        return owner
    kept = []
    for raw in parameters:
        parameter = _resolve(document, raw)
        if (
            isinstance(parameter, dict)
            and parameter.get("in") == "path"
            and parameter.get("name") in names
        ):
            found.setdefault(str(parameter["name"]), parameter)
            continue
        kept.append(raw)
    if len(kept) == len(parameters):
        return owner
    if kept:
        return {**owner, "parameters": kept}
    # Only the base path's parameters were declared here: the current layout declares none.
    return {key: value for key, value in owner.items() if key != "parameters"}


def _variable(name: str, parameter: dict[str, Any] | None) -> dict[str, Any]:
    """A server variable for a template variable that was a path parameter."""
    schema = (parameter or {}).get("schema") or {}
    default = schema.get("default", schema.get("example", (parameter or {}).get("example", name)))
    variable: dict[str, Any] = {"default": str(default)}
    description = (parameter or {}).get("description")
    if isinstance(description, str) and description.strip():
        variable["description"] = description
    return variable


def normalise_layout(
    upstream: dict[str, Any], wanted: Iterable[tuple[str, str]]
) -> tuple[dict[str, Any], str | None]:
    """``upstream`` in the current layout, and a note saying what was rewritten (None: nothing).

    ``wanted`` are the (path, method) pairs the caller looks for, in the current layout. When
    none of them is where the current layout puts it, but all that exist sit behind one common
    base path, that base path moves into every server URL, its template variables become server
    variables (their path parameters are dropped), and the paths are made relative to it. The
    input is not modified; the result shares everything it did not need to change.
    """
    paths = upstream.get("paths")
    if not isinstance(paths, dict):
        return upstream, None
    prefix = _prefix(paths, wanted)
    if prefix is None:
        return upstream, None
    names = set(_TEMPLATE.findall(prefix))
    found: dict[str, Any] = {}
    rewritten: dict[str, Any] = {}
    for path, item in paths.items():
        if not (path.startswith(prefix + "/") and isinstance(item, dict)):
            target = path
        else:
            target = path[len(prefix) :]
            item = _without_prefix_parameters(upstream, item, names, found)
            item = {
                key: _without_prefix_parameters(upstream, value, names, found)
                if key in _HTTP_METHODS and isinstance(value, dict)
                else value
                for key, value in item.items()
            }
        if target in rewritten:
            raise LayoutError(
                f"upstream declares both {target!r} and {prefix + target!r}; with the base path "
                f"{prefix!r} moved into the server URL they would be the same path"
            )
        rewritten[target] = item
    old_servers = upstream.get("servers")
    servers: list[Any] = (
        old_servers if isinstance(old_servers, list) and old_servers else [{"url": ""}]
    )
    new_servers: list[Any] = []
    for server in servers:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            new_servers.append(server)
            continue
        given = server.get("variables")
        variables: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
        for name in sorted(names):
            variables.setdefault(name, _variable(name, found.get(name)))
        url = server["url"].rstrip("/")
        if not url.endswith(prefix):  # a server that already names the base path keeps it
            url += prefix
        new_servers.append({**server, "url": url, "variables": variables})
    before = (
        ", ".join(f"`{s['url']}`" for s in servers if isinstance(s, dict) and s.get("url"))
        or "none"
    )
    after = ", ".join(f"`{s['url']}`" for s in new_servers if isinstance(s, dict))
    note = (
        f"upstream uses the older URL layout (every path under `{prefix}`, servers: {before}); "
        f"read as the current one: servers {after}, paths relative to them"
        + (f", path parameter(s) {', '.join(sorted(names))} as server variables" if names else "")
    )
    return {**upstream, "paths": rewritten, "servers": new_servers}, note

"""`make sync-spec`: vendor a new upstream spec, rebuild, regenerate, and report what changed.

Regenerating the client when BigCommerce changes its spec is one of the two reasons this project
exists, so a sync must answer three questions before anyone merges it: what changed for the
refund operations, does it break client code, and did one of our overlay corrections silently
stop applying. The steps, on a project directory ``root`` (the checkout, or a scratch copy in
tests):

1. read the new upstream file (a path or an http(s) URL) and work out its provenance;
2. build the fragment with the overlay, in the tolerant mode: overlay actions that match nothing,
   or would leave a dangling ``$ref``, and refund operations upstream lacks, are collected for
   the report instead of failing the build;
3. generate the client into a temporary directory (strictly; if the generator only warns, again
   without ``--fail-on-warning``, and the warnings go into the report);
4. diff old and new fragment semantically (:mod:`.diff`), old and new client API (:mod:`.apidiff`),
   and the raw upstream cuts to show upstream changes the overlay hides;
5. only when all of that worked, write: the vendored file and ``PROVENANCE.json``, the fragment,
   and ``generated/`` (swapped whole); a failed sync changes nothing;
6. optionally verify the result (:mod:`.verify`: mypy --strict, example round trip).

The caller (:mod:`.cli`) turns the result into a report and an exit status.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import yaml

from bigcommerce_refunds.spec.apidiff import ApiDiff, ApiSnapshot, diff_api, snapshot
from bigcommerce_refunds.spec.build import VALIDATION_ERRORS, BuildResult, build_fragment
from bigcommerce_refunds.spec.cut import CutError, cut_fragment
from bigcommerce_refunds.spec.diff import Change, SpecDiff, diff_fragments
from bigcommerce_refunds.spec.gaps import explain_gaps
from bigcommerce_refunds.spec.overlay import OverlayError, load_overlay
from bigcommerce_refunds.spec.project import ProjectPaths
from bigcommerce_refunds.spec.provenance import Provenance, check_date, read_provenance
from bigcommerce_refunds.spec.regenerate import (
    GENERATOR_CONFIG,
    GenerationError,
    generate_into,
    swap_in,
)
from bigcommerce_refunds.spec.verify import Verification, verify_project
from bigcommerce_refunds.spec.yamlio import load_yaml

__all__ = [
    "UNKNOWN",
    "SyncError",
    "SyncResult",
    "fetch",
    "package_name",
    "rebuild",
    "resolve_provenance",
    "sync",
    "vendor",
]

#: Recorded for provenance fields nobody could tell us (a URL or file synced without options).
UNKNOWN = "unknown"
DEFAULT_REPOSITORY = "github.com/bigcommerce/docs"
DEFAULT_PATH = "reference/orders.v3.yml"
FETCH_TIMEOUT_SECONDS = 60.0

_RAW_GITHUB = re.compile(
    r"^https://raw\.githubusercontent\.com/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?P<ref>[^/]+)/(?P<path>.+)$"
)
_GITHUB_RAW = re.compile(
    r"^https://github\.com/(?P<owner>[^/]+)/(?P<repo>[^/]+)/raw/(?P<ref>[^/]+)/(?P<path>.+)$"
)
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
_FILE_COMMIT = re.compile(r"@(?P<commit>[0-9a-f]{7,40})\.[A-Za-z]+$")


class SyncError(RuntimeError):
    """The sync could not produce a fragment or a client; the project was left untouched."""


@dataclass(frozen=True)
class SyncResult:
    """Everything a report needs about one sync."""

    old_provenance: Provenance | None
    new_provenance: Provenance
    build: BuildResult
    spec_diff: SpecDiff
    api_diff: ApiDiff
    masked: tuple[Change, ...]
    generator_warnings: str
    verification: Verification | None
    notes: tuple[str, ...] = ()
    #: Why each overlay action in a gap did not apply, by action index (:mod:`.gaps`).
    gap_causes: dict[int, str] = field(default_factory=dict)

    @property
    def breaking(self) -> bool:
        """Something breaks a client: the wire contract or the generated code."""
        return self.spec_diff.breaking or self.api_diff.breaking

    @property
    def overlay_gaps(self) -> bool:
        """The overlay did not fully apply, or the generator warned: `make spec` and
        `make check-generated` will fail on the synced tree until the overlay is fixed."""
        return not self.build.complete or bool(self.generator_warnings)

    @property
    def unchanged(self) -> bool:
        old = self.old_provenance
        return old is not None and old.sha256 == self.new_provenance.sha256


# ---------------------------------------------------------------------------------- inputs
def fetch(
    source: str,
    *,
    timeout: float = FETCH_TIMEOUT_SECONDS,
    transport: httpx.BaseTransport | None = None,
) -> bytes:
    """The bytes of ``source``: an http(s) URL (fetched with a timeout) or a local path.

    ``transport`` lets tests serve the URL in-process (httpx.MockTransport); no test touches
    the network.
    """
    if re.match(r"^https?://", source):
        try:
            with httpx.Client(
                timeout=timeout, follow_redirects=True, transport=transport
            ) as client:
                response = client.get(source)
                response.raise_for_status()
        except httpx.HTTPError as error:
            raise SyncError(f"could not fetch {source}: {error}") from error
        return response.content
    path = Path(source)
    if not path.is_file():
        raise SyncError(f"{source}: no such file")
    return path.read_bytes()


def resolve_provenance(
    source: str,
    data: bytes,
    *,
    repository: str | None = None,
    path: str | None = None,
    commit: str | None = None,
    date: str | None = None,
    previous: Provenance | None = None,
) -> tuple[Provenance, tuple[str, ...]]:
    """Provenance of a new upstream file: options first, then what the source name tells.

    A raw GitHub URL names repository, commit and path; a file named like the reference copies
    (``orders.v3@2299d239.yml``) names a commit. A local file is assumed to come from the same
    repository and path as the file it replaces. Nothing tells the date: without ``--date`` it
    is recorded as ``unknown`` (and the client version becomes 0.0.0). ``sha256`` is always
    computed from the bytes. Also returns notes on what was inferred or unknown.
    """
    notes: list[str] = []
    inferred: dict[str, str] = {}
    match = _RAW_GITHUB.match(source) or _GITHUB_RAW.match(source)
    if match:
        inferred["repository"] = f"github.com/{match['owner']}/{match['repo']}"
        inferred["path"] = match["path"]
        if _COMMIT.match(match["ref"]):
            inferred["commit"] = match["ref"]
        else:
            notes.append(f"the URL names the branch {match['ref']!r}, not a commit; pass --commit")
    elif not re.match(r"^https?://", source):
        file_match = _FILE_COMMIT.search(Path(source).name)
        if file_match:
            inferred["commit"] = file_match["commit"]
        if previous is not None:
            inferred.setdefault("repository", previous.repository)
            inferred.setdefault("path", previous.path)
    values = {
        "repository": repository or inferred.get("repository") or DEFAULT_REPOSITORY,
        "path": path or inferred.get("path") or DEFAULT_PATH,
        "commit": commit or inferred.get("commit") or UNKNOWN,
        "date": date or UNKNOWN,
    }
    for key in ("repository", "path", "commit"):
        given = {"repository": repository, "path": path, "commit": commit}[key]
        if not given and key in inferred:
            notes.append(f"{key} {values[key]!r} inferred from {source!r}")
    if values["commit"] == UNKNOWN:
        notes.append("commit unknown (pass --commit)")
    if values["date"] == UNKNOWN:
        notes.append("date unknown (pass --date): the client version is stamped 0.0.0")
    else:
        try:
            check_date(values["date"])
        except ValueError as error:
            raise SyncError(f"--date {error}") from None
    provenance = Provenance(
        repository=values["repository"],
        path=values["path"],
        commit=values["commit"],
        date=values["date"],
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return provenance, tuple(notes)


_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(data: bytes) -> Any:
    """Safe YAML loading with libyaml when present: a sync reads five 140 KB documents, and the
    pure-Python parser takes over half a second for each (same constructor, same result)."""
    return yaml.load(data, Loader=_LOADER)


def _parse_upstream(data: bytes, source: str) -> dict[str, Any]:
    try:
        document = _load(data)
    except yaml.YAMLError as error:
        raise SyncError(f"{source}: not YAML/JSON: {error}") from error
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        found = document.get("swagger") if isinstance(document, dict) else None
        kind = f"Swagger {found}" if found else "not an OpenAPI document"
        raise SyncError(f"{source}: {kind}; the pipeline reads OpenAPI 3.x only")
    return document


def package_name(root: Path) -> str:
    """The generated package's import name (the generator config's ``package_name_override``)."""
    config = load_yaml(root / GENERATOR_CONFIG) or {}
    name = config.get("package_name_override")
    if isinstance(name, str) and name:
        return name
    candidates = [p.parent.name for p in sorted((root / "generated").glob("*/models"))]
    if len(candidates) != 1:
        raise SyncError("cannot tell the generated package's name; set package_name_override")
    return candidates[0]


# ---------------------------------------------------------------------------------- steps
def vendor(root: Path, spec: Path | bytes, provenance: Provenance) -> Provenance:
    """Write ``spec`` as the vendored upstream file with its provenance; return the provenance
    with the sha256 of what was written (whatever ``provenance.sha256`` said)."""
    paths = ProjectPaths(root)
    data = spec.read_bytes() if isinstance(spec, Path) else spec
    pinned = replace(provenance, sha256=hashlib.sha256(data).hexdigest())
    paths.upstream.parent.mkdir(parents=True, exist_ok=True)
    paths.upstream.write_bytes(data)
    paths.provenance.write_text(pinned.to_json(), encoding="utf-8", newline="\n")
    return pinned


def _build(root: Path, upstream: dict[str, Any], provenance: Provenance) -> BuildResult:
    try:
        overlay = load_overlay(ProjectPaths(root).overlay)
        return build_fragment(upstream, overlay, provenance, tolerant=True)
    except (CutError, OverlayError) as error:
        raise SyncError(f"the fragment cannot be built: {error}") from error
    except VALIDATION_ERRORS as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise SyncError(
            f"the built fragment is not valid OpenAPI ({first_line}), and leaving out any one "
            "overlay action does not help: the upstream file itself, or the overlay, needs a "
            "correction for this version"
        ) from error


def _generate(root: Path, fragment_text: str, scratch: Path) -> tuple[Path, str]:
    """Generate into ``scratch``; return the fresh tree and any generator warnings."""
    fragment = scratch / "refunds.yaml"
    fragment.write_text(fragment_text, encoding="utf-8", newline="\n")
    config = root / GENERATOR_CONFIG
    try:
        generate_into(fragment, config, scratch / "client")
        return scratch / "client", ""
    except GenerationError as strict_error:
        shutil.rmtree(scratch / "client", ignore_errors=True)
        try:
            output = generate_into(fragment, config, scratch / "lenient", fail_on_warning=False)
        except GenerationError as error:
            raise SyncError(f"the client cannot be generated: {error}") from error
        # The first line names the scratch directory; the rest is the generator's warnings.
        lines = [line for line in output.splitlines() if not line.startswith("Generating ")]
        return scratch / "lenient", "\n".join(lines).strip() or str(strict_error)


def rebuild(root: Path) -> tuple[BuildResult, str]:
    """Build the fragment from the vendored upstream (tolerantly) and regenerate ``generated/``.

    What a sync does without the reporting; tests use it to prepare a project at an old
    upstream version. Returns the build result and any generator warnings.
    """
    paths = ProjectPaths(root)
    provenance = read_provenance(paths.provenance)
    result = _build(
        root, _parse_upstream(paths.upstream.read_bytes(), str(paths.upstream)), provenance
    )
    with tempfile.TemporaryDirectory(prefix="bcr-sync-") as tmp:
        fresh, warnings = _generate(root, result.text, Path(tmp))
        paths.fragment.write_text(result.text, encoding="utf-8", newline="\n")
        swap_in(fresh, root)
    return result, warnings


def _old_state(
    root: Path, package: str
) -> tuple[Provenance | None, dict[str, Any], dict[str, Any], ApiSnapshot, BuildResult | None]:
    """Provenance, fragment, raw upstream cut, client API of the project before the sync, and
    the build of the current overlay on the vendored upstream (None if there is none, or it
    does not build), against which the new build's gaps are explained."""
    paths = ProjectPaths(root)
    provenance = read_provenance(paths.provenance) if paths.provenance.exists() else None
    fragment: dict[str, Any] = {}
    if paths.fragment.exists():
        fragment = _load(paths.fragment.read_bytes()) or {}
    cut: dict[str, Any] = {}
    build: BuildResult | None = None
    if paths.upstream.exists():
        upstream = _load(paths.upstream.read_bytes()) or {}
        try:
            cut = cut_fragment(upstream, allow_missing=True)
        except CutError:
            cut = {}
        if cut:
            try:
                build = _build(root, upstream, provenance or _placeholder())
            except SyncError:
                build = None
        if not fragment and build is not None:
            # No built fragment checked in: compare against what the vendored file builds to.
            fragment = build.fragment
    return provenance, fragment, cut, snapshot(root / "generated" / package), build


def _placeholder() -> Provenance:
    return Provenance(DEFAULT_REPOSITORY, DEFAULT_PATH, UNKNOWN, UNKNOWN, UNKNOWN)


def _masked(upstream_diff: SpecDiff, fragment_diff: SpecDiff) -> tuple[Change, ...]:
    """Upstream changes that do not show in the fragment: the overlay overrides that spot."""
    seen = {(c.kind, c.location, c.detail) for c in fragment_diff.changes}
    return tuple(
        change
        for change in upstream_diff.changes
        if (change.kind, change.location, change.detail) not in seen
    )


def sync(
    root: Path,
    source: str,
    *,
    repository: str | None = None,
    path: str | None = None,
    commit: str | None = None,
    date: str | None = None,
    verify: bool = False,
    mypy_cache_dir: Path | None = None,
    transport: httpx.BaseTransport | None = None,
) -> SyncResult:
    """Sync ``root`` to the upstream file at ``source`` (see the module docstring).

    Raises :class:`SyncError`, leaving ``root`` untouched, when the file cannot be read, cut,
    built into a valid fragment, or generated into a client.
    """
    paths = ProjectPaths(root)
    package = package_name(root)
    data = fetch(source, transport=transport)
    upstream = _parse_upstream(data, source)
    old_provenance, old_fragment, old_cut, old_api, old_build = _old_state(root, package)
    provenance, notes = resolve_provenance(
        source,
        data,
        repository=repository,
        path=path,
        commit=commit,
        date=date,
        previous=old_provenance,
    )
    if old_provenance is not None and old_provenance.sha256 == provenance.sha256:
        notes += ("the upstream file is byte-identical to the vendored one",)
    result = _build(root, upstream, provenance)
    if result.layout:
        notes += (result.layout,)
    new_cut = cut_fragment(upstream, allow_missing=True)
    with tempfile.TemporaryDirectory(prefix="bcr-sync-") as tmp:
        fresh, warnings = _generate(root, result.text, Path(tmp))
        new_api = snapshot(fresh / package)
        spec_diff = diff_fragments(old_fragment, result.fragment)
        api_diff = diff_api(old_api, new_api)
        masked = _masked(diff_fragments(old_cut, new_cut), spec_diff) if old_cut else ()
        vendor(root, data, provenance)
        paths.fragment.write_text(result.text, encoding="utf-8", newline="\n")
        swap_in(fresh, root)
    verification = verify_project(root, package, mypy_cache_dir=mypy_cache_dir) if verify else None
    return SyncResult(
        old_provenance=old_provenance,
        new_provenance=provenance,
        build=result,
        spec_diff=spec_diff,
        api_diff=api_diff,
        masked=masked,
        generator_warnings=warnings,
        verification=verification,
        notes=notes,
        gap_causes=explain_gaps(result, old_build, old_provenance, provenance),
    )

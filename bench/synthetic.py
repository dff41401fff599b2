"""Synthetic painmap datasets of any size, for the loading benchmark (bench/run.py).

A synthetic dataset is a folder of YAML files that each say ``extends: bundled``: they reuse
the bundled nerves, zones, laminae and segments, and add their own organs (with parts),
routes, sources and somatic inputs. Files hold at most ``ROUTES_PER_FILE`` routes, because
the loader refuses files over ``MAX_FILE_BYTES``.

Per 1,000 routes a file holds 250 organs of 2 parts (2 routes per part), 100 sources and
100 somatic inputs. Each route has a chain of 4-6 distinct visceral nerves, a segment range,
laminae i and v, 2 zones and 2 sources, as the bundled routes do. Ontology ids are copied
from the bundled dataset with ``ontology_match: broader``: nothing is invented, and the
data is only ever written to a temporary folder.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from painmap.loader import MAX_FILE_BYTES, load
from painmap.model import ALL_SEGMENTS, Dataset

ROUTES_PER_FILE = 1_000
ROUTES_PER_PART = 2
PARTS_PER_ORGAN = 2
ROUTES_PER_SOURCE = 10
ROUTES_PER_SOMATIC_INPUT = 10
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class BundledIds:
    """The bundled ids a synthetic file refers to."""

    visceral_nerves: tuple[str, ...]
    somatic_nerves: tuple[str, ...]
    zones: tuple[str, ...]
    laminae: tuple[str, ...]
    segments: tuple[str, ...]
    organ_ontology: tuple[str, ...]
    part_ontology: tuple[str, ...]

    @classmethod
    def from_dataset(cls, ds: Dataset) -> BundledIds:
        """Pick the ids from the loaded bundled dataset (so the generator follows its changes)."""
        visceral = _in_anatomical_order(ds, [n.id for n in ds.nerves if "sensory" in n.fibres and n.kind != "tract"])
        somatic = tuple(n.id for n in ds.nerves if "somatic" in n.fibres)
        segments = tuple(s for s in ALL_SEGMENTS if s in ds.segment)
        laminae = tuple(lam for lam in ("i", "v") if lam in ds.lamina) or tuple(ds.lamina)[:2]
        if len(visceral) < 6 or not somatic or len(ds.zones) < 2 or not laminae:
            raise ValueError("the bundled dataset is too small to build synthetic routes from")
        return cls(
            visceral_nerves=visceral,
            somatic_nerves=somatic,
            zones=tuple(ds.zone),
            laminae=laminae,
            segments=segments,
            organ_ontology=tuple(sorted({o.ontology for o in ds.organs})),
            part_ontology=tuple(sorted({p.ontology for o in ds.organs for p in o.parts})),
        )


def _in_anatomical_order(ds: Dataset, nerves: list[str]) -> tuple[str, ...]:
    """``nerves`` in an order the dataset's ``precedes`` allows (organ first, cord last): a nerve
    reaches every nerve the ones after it reach, so the ones that reach most come first."""
    direct = {n.id: set(n.precedes) for n in ds.nerves}

    def reach(start: str) -> int:
        seen: set[str] = set()
        todo = list(direct.get(start, ()))
        while todo:
            step = todo.pop()
            if step not in seen:
                seen.add(step)
                todo.extend(direct.get(step, ()))
        return len(seen)

    return tuple(sorted(nerves, key=lambda n: -reach(n)))


def _segment_range(rng: random.Random, segments: tuple[str, ...]) -> str:
    start = rng.randrange(len(segments) - 1)
    stop = min(len(segments) - 1, start + rng.randrange(4))
    return segments[start] if stop == start else f"{segments[start]}-{segments[stop]}"


def file_content(index: int, routes: int, ids: BundledIds, rng: random.Random) -> dict:
    """One synthetic dataset file (as plain data) with ``routes`` routes; ids carry ``index``."""
    tag = f"syn{index:04d}"
    n_sources = max(1, routes // ROUTES_PER_SOURCE)
    n_somatic = max(1, routes // ROUTES_PER_SOMATIC_INPUT)
    n_organs = max(1, -(-routes // (ROUTES_PER_PART * PARTS_PER_ORGAN)))
    source_ids = [f"{tag}-source-{i}" for i in range(n_sources)]
    sources = [
        {
            "id": sid,
            "title": f"Synthetic source {i} of file {index}: visceral afferents and referred pain",
            "authors": "Bench A, Mark B",
            "year": 1990 + i % 35,
            "url": f"https://example.org/painmap-bench/{tag}/{i}",
            "evidence": ("strong", "moderate", "weak")[i % 3],
        }
        for i, sid in enumerate(source_ids)
    ]
    organs = []
    parts: list[tuple[str, str]] = []
    for o in range(n_organs):
        organ_id = f"{tag}-organ-{o}"
        organ_parts = []
        for p in range(PARTS_PER_ORGAN):
            part_id = f"{organ_id}-part-{p}"
            parts.append((organ_id, part_id))
            organ_parts.append(
                {
                    "id": part_id,
                    "label": {"en": f"Part {p} of synthetic organ {o}"},
                    "ontology": rng.choice(ids.part_ontology),
                    "ontology_match": "broader",
                    "pain_line": ("above", "below", "across")[(o + p) % 3],
                }
            )
        organs.append(
            {
                "id": organ_id,
                "label": {"en": f"Synthetic organ {o} of file {index}"},
                "ontology": rng.choice(ids.organ_ontology),
                "ontology_match": "broader",
                "system": "synthetic",
                "colour": f"#{rng.randrange(0x1000000):06x}",
                "parts": organ_parts,
                "description": {"en": "A generated organ for the loading benchmark."},
            }
        )
    somatic_inputs = [
        {
            "id": f"{tag}-somatic-{i}",
            "label": {"en": f"Synthetic skin input {i} of file {index}"},
            "nerve": rng.choice(ids.somatic_nerves),
            "segments": _segment_range(rng, ids.segments),
            "target": rng.choice(ids.zones),
            "sources": [rng.choice(source_ids)],
        }
        for i in range(n_somatic)
    ]
    route_list = []
    for r in range(routes):
        organ_id, part_id = parts[r // ROUTES_PER_PART]
        route_list.append(
            {
                "id": f"{tag}-route-{r}",
                "organ": organ_id,
                "part": part_id,
                "kind": "segmental",
                "label": {"en": f"Synthetic route {r} of file {index}"},
                "chain": sorted(rng.sample(ids.visceral_nerves, rng.randint(4, 6)), key=ids.visceral_nerves.index),
                "segments": _segment_range(rng, ids.segments),
                "laminae": list(ids.laminae),
                "zones": rng.sample(ids.zones, 2),
                "sources": rng.sample(source_ids, min(2, len(source_ids))),
                "evidence": ("strong", "moderate", "weak")[r % 3],
                "note": {"en": f"Generated route {r}; its chain and segments are random."},
            }
        )
    return {
        "extends": "bundled",
        "languages": ["en"],
        "sources": sources,
        "organs": organs,
        "somatic_inputs": somatic_inputs,
        "routes": route_list,
    }


def write_dataset(folder: Path, routes: int, seed: int = 1, ids: BundledIds | None = None) -> list[Path]:
    """Write a synthetic dataset of ``routes`` routes into ``folder``; return its files."""
    ids = ids or BundledIds.from_dataset(load())
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, start in enumerate(range(0, routes, ROUTES_PER_FILE)):
        content = file_content(index, min(ROUTES_PER_FILE, routes - start), ids, rng)
        text = f"# synthetic painmap dataset for bench/run.py (file {index})\n"
        text += yaml.dump(content, Dumper=_Dumper, sort_keys=False, width=120, allow_unicode=True)
        path = folder / f"synthetic-{index:04d}.yaml"
        if len(text.encode()) > MAX_FILE_BYTES:
            raise ValueError(f"{path.name} would exceed the loader's {MAX_FILE_BYTES}-byte limit")
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files

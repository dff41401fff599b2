"""Female, male or both anatomies: the dataset as one sex sees it.

``for_sex(ds, "female")`` drops what belongs only to the other anatomy (organs, parts and
zones whose ``sex`` says so) and everything that then points at nothing: routes of dropped
parts, dropped zones in a route's zone list (a route whose zones are all gone is dropped),
disputes left with fewer than two routes, somatic inputs from dropped zones, red flags of
dropped organs only, nerves that only dropped routes used, and the outlines of all of them.
Both-sex entries stay. The result is a new read-only :class:`Dataset` that passes the same
cross-checks as the original; ``for_sex(ds, "")`` is ``ds`` itself.

Pure and cheap enough to run once per dataset and sex (the app builds its three anatomies
when it starts, never per request).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from painmap.model import Dataset, Organ, Route

#: The URL values of the anatomy choice; '' is both.
SEXES: tuple[str, ...] = ("female", "male")
SEX_LABELS: Mapping[str, str] = MappingProxyType({"": "Both", "female": "Female", "male": "Male"})


def _other(sex: str | None, chosen: str) -> bool:
    """True when ``sex`` (an entry's) belongs only to the anatomy that was not ``chosen``."""
    return sex is not None and sex != chosen


def _nerves_used(routes: Iterable[Route], inputs_nerves: Iterable[str]) -> set[str]:
    used = set(inputs_nerves)
    for route in routes:
        used.update(route.chain)
        for group in route.alternatives:
            used.update(group)
        if route.somatic_phase is not None:
            used.add(route.somatic_phase.nerve)
    return used


def for_sex(ds: Dataset, sex: str | None) -> Dataset:
    """``ds`` as the ``sex`` anatomy ('female' or 'male') sees it; anything else: ``ds``."""
    if sex not in SEXES:
        return ds
    chosen = str(sex)

    organs: list[Organ] = []
    for organ in ds.organs:
        if _other(organ.sex, chosen):
            continue
        parts = tuple(p for p in organ.parts if not _other(p.sex, chosen))
        if parts:
            organs.append(organ if parts == organ.parts else organ.model_copy(update={"parts": parts}))
    organ_ids = {o.id for o in organs}
    part_ids = {p.id for o in organs for p in o.parts}
    zones = tuple(z for z in ds.zones if not _other(z.sex, chosen))
    zone_ids = {z.id for z in zones}

    routes: list[Route] = []
    for route in ds.routes:
        if route.organ not in organ_ids or route.part not in part_ids:
            continue
        kept = tuple(z for z in route.zones if z in zone_ids)
        if route.zones and not kept:
            continue  # every place it is felt belongs to the other anatomy
        update: dict[str, object] = {}
        if kept != route.zones:
            update["zones"] = kept
        phase = route.somatic_phase
        if phase is not None:
            phase_zones = tuple(z for z in phase.zones if z in zone_ids)
            if phase_zones != phase.zones:
                update["somatic_phase"] = phase.model_copy(update={"zones": phase_zones}) if phase_zones else None
        routes.append(route.model_copy(update=update) if update else route)
    route_ids = {r.id for r in routes}

    disputes = []
    for dispute in ds.disputes:
        kept_routes = tuple(r for r in dispute.routes if r in route_ids)
        if len(kept_routes) >= 2:
            disputes.append(dispute if kept_routes == dispute.routes else dispute.model_copy(update={"routes": kept_routes}))

    deep_ids = {d.id for d in ds.deep_structures}
    inputs = tuple(s for s in ds.somatic_inputs if s.target in zone_ids or s.target in deep_ids)

    red_flags = []
    for flag in ds.red_flags:
        if not flag.organs:
            red_flags.append(flag)
            continue
        flag_organs = tuple(o for o in flag.organs if o in organ_ids)
        if flag_organs:
            red_flags.append(flag if flag_organs == flag.organs else flag.model_copy(update={"organs": flag_organs}))

    # Nerves only the other anatomy's routes used (the testicular plexus for a woman) go too.
    used_before = _nerves_used(ds.routes, (s.nerve for s in ds.somatic_inputs))
    used_after = _nerves_used(routes, (s.nerve for s in inputs))
    dropped_nerves = used_before - used_after
    nerves = []
    for nerve in ds.nerves:
        if nerve.id in dropped_nerves:
            continue
        precedes = tuple(n for n in nerve.precedes if n not in dropped_nerves)
        nerves.append(nerve if precedes == nerve.precedes else nerve.model_copy(update={"precedes": precedes}))

    gone = (
        {o.id for o in ds.organs} - organ_ids
        | {p.id for o in ds.organs for p in o.parts} - part_ids
        | {z.id for z in ds.zones} - zone_ids
        | dropped_nerves
    )
    outlines = MappingProxyType({key: shapes for key, shapes in ds.outlines.items() if key not in gone})

    return Dataset.model_validate(
        {
            **{name: getattr(ds, name) for name in type(ds).model_fields},
            "organs": tuple(organs),
            "zones": zones,
            "routes": tuple(routes),
            "disputes": tuple(disputes),
            "somatic_inputs": inputs,
            "red_flags": tuple(red_flags),
            "nerves": tuple(nerves),
            "outlines": outlines,
        }
    )


def shown_for_sex(ds: Dataset, sex: str) -> Callable[[str], bool]:
    """A test of ids (organ, part, route or zone): False for one of the other anatomy.

    With ``sex`` '' (both) every id passes; unknown ids pass too (they are another rule's
    business). Reads ``ds`` as it is, so it works on the whole dataset or on ``for_sex``'s.
    """
    if sex not in SEXES:
        return lambda ident: True

    def shown(ident: str) -> bool:
        if ident in ds.organ:
            return not _other(ds.organ[ident].sex, sex)
        if ident in ds.part:
            organ = ds.organ_of_part[ident]
            return not (_other(organ.sex, sex) or _other(ds.part[ident].sex, sex))
        if ident in ds.route:
            return shown(ds.route[ident].organ) and shown(ds.route[ident].part)
        if ident in ds.zone:
            return not _other(ds.zone[ident].sex, sex)
        return True

    return shown


def by_sex(ds: Dataset) -> Mapping[str, Dataset]:
    """'' (both), 'female' and 'male' -> the dataset each anatomy sees, built once."""
    return MappingProxyType({"": ds, **{sex: for_sex(ds, sex) for sex in SEXES}})

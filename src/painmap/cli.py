"""The `painmap` command: validate, look up, export and serve a pathway dataset.

Exit codes: 0 success; 1 the dataset or the question is wrong (one line per problem);
2 a path cannot be read. A user's mistake never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from painmap import evidence, query
from painmap.loader import DatasetError, DatasetReadError, load, load_checked
from painmap.model import Dataset, DatasetFile, Source, format_segment_range, text

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class CommandError(Exception):
    """A user's mistake: print the message, exit with ``code``."""

    def __init__(self, message: str, code: int = EXIT_INVALID):
        super().__init__(message)
        self.code = code


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file: never a half-written file."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise CommandError(f"{path}: folder {path.parent} does not exist", EXIT_UNREADABLE)
    if path.is_dir():
        raise CommandError(f"{path}: is a folder; give a file name", EXIT_UNREADABLE)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    except OSError as exc:
        raise CommandError(f"{path}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CommandError(f"{path}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from exc
        raise


def schema_json() -> str:
    """The JSON Schema of one dataset file, as committed in data/schema.json."""
    return json.dumps(DatasetFile.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- commands


def _load(args: argparse.Namespace) -> Dataset:
    return load(args.data)


def cmd_validate(args: argparse.Namespace) -> int:
    loaded = load_checked(args.data)  # the warnings too: odd file names, replaced styles, unused languages
    ds = loaded.dataset
    found = [*loaded.warnings, *evidence.strict_problems(ds)]
    if found and args.strict:
        for problem in found:
            print(problem, file=sys.stderr)
        print(f"{len(found)} problem(s) found (--strict: sources a reader can find, strong routes on strong sources)", file=sys.stderr)
        return EXIT_INVALID
    for problem in found:
        where = f"{problem.file}:{problem.line}:{problem.column}"
        print(f"{where}: {problem.field + ': ' if problem.field else ''}warning: {problem.message}", file=sys.stderr)
    if found:
        print(f"{len(found)} warning(s): painmap validate --strict refuses them", file=sys.stderr)
    gaps = query.missing_translations(ds)
    gap_text = "".join(f"; {n} texts lack '{lang}'" for lang, n in gaps.items() if n)
    print(
        f"ok: {len(ds.origin)} file(s), {len(ds.organs)} organs, {len(ds.routes)} routes, "
        f"{len(ds.zones)} zones, {len(ds.somatic_inputs)} somatic inputs, {len(ds.sources)} sources, "
        f"segments {format_segment_range(tuple(ds.segment))}{gap_text}"
    )
    for line in coverage_lines(ds):
        print(line)
    return EXIT_OK


def coverage_lines(ds: Dataset) -> list[str]:
    """validate's lines on languages: per language, how much of the dataset's texts and of the
    interface it covers (the rest is shown in English), and how many of its medical texts
    await clinical review ("es: 100 % of 412 texts; 37 awaiting clinical review")."""
    from painmap import i18n
    from painmap.safeyaml import read_yaml

    def percent(done: int, total: int) -> str:
        return "100" if done >= total else str(min(99, int(100 * done / total)) if total else 100)

    documents = []
    for path in ds.origin:
        loaded = read_yaml(Path(path)).data  # read (and refused) once already by the loader
        documents.append(loaded if isinstance(loaded, dict) else {})
    lines = []
    for cov in query.text_coverage(ds, query.awaiting_review(documents)):
        line = f"{cov.lang}: {percent(cov.translated, cov.total)} % of {cov.total} texts"
        if cov.translated < cov.total:
            line += f" ({cov.total - cov.translated} shown in English)"
        if cov.awaiting_review:
            line += f"; {cov.awaiting_review} awaiting clinical review"
        interface = i18n.coverage(cov.lang)
        line += f"; interface {percent(interface.translated, interface.total)} % of {interface.total} messages"
        if interface.missing:
            line += f" ({len(interface.missing)} shown in English)"
        lines.append(line)
    return lines


def _print_answer(args: argparse.Namespace, answer: dict, lines: Callable[[dict], list[str]]) -> int:
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        print("\n".join(lines(answer)))
    return EXIT_OK


def cmd_pathway(args: argparse.Namespace) -> int:
    ds = _load(args)
    answer = query.pathway_json(ds, args.organ, args.lang)

    def lines(a: dict) -> list[str]:
        out = [f"{a['label']} ({a['organ']}): {len(a['routes'])} routes"]
        for r in a["routes"]:
            flag = "  [sources disagree]" if r["disputed"] else ""
            out.append(f"- {r['id']} [{r['kind']}] {r['label']}{flag}")
            if r["chain"]:
                out.append(f"    chain: {' -> '.join(r['chain'])}")
            if r["segments"]:
                out.append(f"    segments: {', '.join(r['segments'])}")
            out.append(f"    felt in: {', '.join(z['label'] for z in r['zones'])}")
            if r["somatic_inputs"]:
                out.append(f"    meets: {', '.join(r['somatic_inputs'])}")
            out.append(f"    sources: {'; '.join(s['title'] for s in r['sources'])}")
        return out

    return _print_answer(args, answer, lines)


def _grouped_lines(groups: dict) -> list[str]:
    """A look-up's answer by mechanism: each group that has routes, under its own heading."""
    lines = []
    for group in groups.values():
        if not group["routes"]:
            continue
        lines.append(f"  {group['label']}:")
        for r in group["routes"]:
            levels = format_segment_range(tuple(r["segments"])) if r["segments"] else "whole body"
            species = "" if r.get("species", "Homo sapiens") == "Homo sapiens" else f" ({r['species']})"
            lines.append(f"  - {r['organ']} / {r['part']}: {r['id']} [{r['kind']}] {levels}{species}")
    return lines or ["  no organ in this dataset"]


def cmd_segment(args: argparse.Namespace) -> int:
    ds = _load(args)
    answer = query.segment_json(ds, args.segment, args.lang)
    return _print_answer(
        args,
        answer,
        lambda a: [
            f"segment {a['segment']}",
            *_grouped_lines(a["groups"]),
            f"  zones: {', '.join(z['label'] for z in a['zones']) or 'none'}",
            f"  somatic inputs: {', '.join(a['somatic_inputs']) or 'none'}",
        ],
    )


def cmd_zone(args: argparse.Namespace) -> int:
    ds = _load(args)
    answer = query.zone_json(ds, args.zone, args.lang)
    return _print_answer(
        args,
        answer,
        lambda a: [f"{a['label']} ({a['zone']}, dermatomes {a['dermatomes']})", *_grouped_lines(a["groups"])],
    )


LISTS: dict[str, Callable[[Dataset, str], list[tuple[str, str]]]] = {
    "organs": lambda ds, lang: [(o.id, text(o.label, lang)) for o in ds.organs],
    "parts": lambda ds, lang: [(p.id, text(p.label, lang)) for o in ds.organs for p in o.parts],
    "zones": lambda ds, lang: [(z.id, text(z.label, lang)) for z in ds.zones],
    "segments": lambda ds, lang: [
        (s.id, "drawn" if s.id in ds.drawn_segments else "known") for s in ds.spinal_cord.segments
    ],
    "routes": lambda ds, lang: [(r.id, f"{r.organ}/{r.part} [{r.kind}]") for r in ds.routes],
    "nerves": lambda ds, lang: [(n.id, f"{n.kind}: {text(n.label, lang)}") for n in ds.nerves],
    "sources": lambda ds, lang: [(s.id, _source_line(s)) for s in ds.sources],
    "stories": lambda ds, lang: [(s.id, f"{text(s.condition, lang)} [{s.organ}, {s.mechanism}]") for s in ds.stories],
}


def _source_line(source: Source) -> str:
    """'Title (Authors, 2019) [review, moderate]', with 'unverified' when it is."""
    who = ", ".join(str(x) for x in (source.authors, source.year) if x)
    grade = f"{source.kind}, {source.evidence}" + ("" if source.verified else ", unverified")
    return f"{source.title}{f' ({who})' if who else ''} [{grade}]"


def cmd_list(args: argparse.Namespace) -> int:
    ds = _load(args)
    if args.what == "sources" and args.json:
        print(json.dumps(evidence.sources_json(ds), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.what == "stories" and args.json:
        print(json.dumps(query.stories_json(ds, args.lang), indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = LISTS[args.what](ds, args.lang)
    if args.json:
        print(json.dumps([{"id": i, "label": label} for i, label in rows], indent=2, ensure_ascii=False))
    else:
        width = max((len(i) for i, _ in rows), default=0)
        print("\n".join(f"{i:<{width}}  {label}" for i, label in rows))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    if args.output:
        write_atomically(Path(args.output), schema_json())
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(schema_json())
    return EXIT_OK


def cmd_import_sckan(args: argparse.Namespace) -> int:
    from painmap import sckan

    try:
        output = Path(args.output)
        schema = sckan.default_schema_ref()
        if schema is not None:  # relative to the output, so the file still validates when the folder moves
            schema = Path(os.path.relpath(schema, output.resolve().parent)).as_posix()
        result = sckan.import_file(Path(args.file), species=args.species, schema_ref=schema)
    except sckan.SckanError as exc:
        raise CommandError(str(exc), EXIT_UNREADABLE if exc.unreadable else EXIT_INVALID) from None
    write_atomically(Path(args.output), result.yaml_text)
    print(result.summary())
    for line in result.report_lines():
        print(f"  {line}")
    return EXIT_OK


def cmd_quiz(args: argparse.Namespace) -> int:
    from painmap import quiz

    if args.n < 1:
        raise CommandError(f"-n must be 1 or more, not {args.n}", EXIT_UNREADABLE)
    ds = _load(args)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    questions = quiz.generate(ds, n=args.n, seed=seed, lang=args.lang, base_url=args.base_url)
    if args.json:
        print(json.dumps([q.to_json() for q in questions], indent=2, ensure_ascii=False))
    else:  # the seed in the title: `--seed` with it prints the same quiz again
        sys.stdout.write(quiz.as_text(questions, quiz.quiz_title(len(questions), seed, args.lang), args.lang))
    if len(questions) < args.n:
        print(f"painmap: this dataset gave {len(questions)} of the {args.n} questions asked for", file=sys.stderr)
    return EXIT_OK


EXPORT_VIEW_ARGS = ("organ", "part", "route", "story", "zone", "segment", "step", "mode", "side", "sex", "layers")


def cmd_export(args: argparse.Namespace) -> int:
    from painmap import export

    ds = _load(args)
    if args.lang not in ds.languages:
        raise CommandError(f"--lang: unknown language {args.lang!r}{export.closest(args.lang, ds.languages)}")
    chosen = [f"--{name}" for name in (*EXPORT_VIEW_ARGS, "query") if getattr(args, name)]
    if (args.all or args.lesson) and chosen:
        raise CommandError(f"{'--all' if args.all else '--lesson'} exports every view: drop {', '.join(chosen)}")
    if args.all and args.lesson:
        raise CommandError("choose one of --all and --lesson")
    try:
        if args.lesson:
            return _export_lesson(args, ds)
        if args.all:
            return _export_all(args, ds)
        fields: dict[str, object] = {name: getattr(args, name) for name in EXPORT_VIEW_ARGS}
        fields["lang"] = args.lang if args.lang != "en" else None  # --query's lang unless one is given
        state = export.view_from(ds, args.query or "", **fields)
        if not args.out and not args.format:
            raise export.ExportError("give --out FILE (its suffix names the format) or --format png|svg|pdf|html")
        out = Path(args.out) if args.out else Path(".")
        fmt = export.format_of(str(out) if not out.is_dir() else "", args.format)
        if out.is_dir():
            out = out / f"{export.file_stem(state)}.{fmt}"
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: folder {out.parent} does not exist", EXIT_UNREADABLE)
        with export.Renderer() as renderer:
            content = export.export_view(ds, state, fmt, renderer, args.base_url, args.paper)
        export.write_atomically(out, content)
    except export.ExportError as exc:
        raise CommandError(str(exc)) from None
    except export.BrowserUnavailable as exc:
        raise CommandError(str(exc), EXIT_UNREADABLE) from None
    except OSError as exc:
        raise CommandError(f"--out {args.out}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from None
    if fmt == "pdf" and not args.base_url:
        print("painmap: no --base-url: the handout prints the view's query instead of a QR code", file=sys.stderr)
    print(f"wrote {out} ({fmt}, {len(content) // 1024} KB)", file=sys.stderr)
    return EXIT_OK


def _progress(stream: TextIO) -> Callable[[int, int, str], None]:
    """A progress bar on a terminal (one line, redrawn), plain lines otherwise."""
    tty = stream.isatty()

    def show(done: int, total: int, name: str) -> None:
        if tty:
            filled = int(30 * done / max(total, 1))
            end = "\n" if done == total else ""
            print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {name[:40]:<40}", end=end, file=stream, flush=True)
        else:
            print(f"{done}/{total} {name}", file=stream, flush=True)

    return show


def _export_all(args: argparse.Namespace, ds: Dataset) -> int:
    from painmap import export

    if not args.out:
        raise CommandError("--all needs --out DIR (a folder for the files)")
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"--out {folder}: is a file; --all writes into a folder", EXIT_UNREADABLE)
    if not folder.parent.is_dir():
        raise CommandError(f"--out {folder}: folder {folder.parent} does not exist", EXIT_UNREADABLE)
    formats = [export.format_of("", args.format)] if args.format else list(export.FORMATS)
    lang = args.lang if args.lang in ds.languages else "en"
    try:
        folder.mkdir(exist_ok=True)
        with export.Renderer() as renderer:
            written = export.export_all(ds, folder, formats, renderer, args.base_url, lang, _progress(sys.stderr))
    except export.BrowserUnavailable as exc:
        raise CommandError(str(exc), EXIT_UNREADABLE) from None
    except OSError as exc:
        raise CommandError(f"--out {folder}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from None
    print(f"wrote {len(written)} files to {folder}", file=sys.stderr)
    return EXIT_OK


def _export_lesson(args: argparse.Namespace, ds: Dataset) -> int:
    from painmap import lesson

    folder = Path(args.lesson)
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"--lesson {folder}: is a file; give a folder", EXIT_UNREADABLE)
    if not folder.parent.is_dir():
        raise CommandError(f"--lesson {folder}: folder {folder.parent} does not exist", EXIT_UNREADABLE)
    lang = args.lang if args.lang in ds.languages else "en"
    try:
        written = lesson.write_lesson(ds, folder, base_url=args.base_url, lang=lang, progress=_progress(sys.stderr))
    except OSError as exc:
        raise CommandError(f"--lesson {folder}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from None
    print(f"wrote {len(written)} files to {folder}: open {folder / 'index.html'}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """The production server (painmap.server: uvicorn workers), or with --dev Flask's debug server."""
    from painmap import server

    try:
        settings = server.settings_of(args.host, args.port, args.workers, args.data, args.embed_origins, args.dev)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if args.data:
        _load(args)  # a broken dataset is reported here, once, not by every worker
    try:
        server.serve(settings)
    except server.CannotListen as exc:
        raise CommandError(str(exc)) from None
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="painmap", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str, data: bool = True):
        p = sub.add_parser(name, help=help_text, description=help_text)
        if data:
            p.add_argument("--data", metavar="PATH", help="a YAML file or a folder of them (default: bundled dataset)")
            p.add_argument("--lang", default="en", help="language of labels (default: en)")
        p.set_defaults(handler=handler)
        return p

    p = command("validate", cmd_validate, "check a dataset; one line per problem")
    p.add_argument(
        "--strict",
        action="store_true",
        help="also refuse a source a reader cannot find (no doi/pmid/isbn/url, no year, a web page with no "
        "accessed date, verified: false) and a strong route whose only sources are weak or lay",
    )
    p = command("pathway", cmd_pathway, "an organ's routes: chain, segments, zones, sources")
    p.add_argument("organ", help="organ id (or organ part id), e.g. bladder")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = command("segment", cmd_segment, "what enters a spinal cord segment")
    p.add_argument("segment", help="segment, e.g. S3 or T10")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = command("zone", cmd_zone, "organs and routes that refer pain to a skin zone")
    p.add_argument("zone", help="zone id, e.g. low-back")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = command("list", cmd_list, "list the dataset's ids")
    p.add_argument("what", choices=sorted(LISTS))
    p.add_argument("--json", action="store_true", help="print JSON")
    p = command("schema", cmd_schema, "print the JSON Schema of a dataset file", data=False)
    p.add_argument("-o", "--output", help="write it to this file instead")
    p = command("import-sckan", cmd_import_sckan, "turn SCKAN neuron records (SPARQL JSON) into pathway YAML", data=False)
    p.add_argument("file", help="SPARQL JSON result from SCKAN")
    p.add_argument("-o", "--output", required=True, help="YAML file to write")
    p.add_argument("--species", default="Homo sapiens", help="species to import, or 'all' (default: Homo sapiens)")
    p = command("quiz", cmd_quiz, "a quiz generated from the dataset: questions, then the answer key")
    p.add_argument("-n", type=int, default=10, help="how many questions (default: 10)")
    p.add_argument("--seed", type=int, help="the same seed gives the same quiz (default: a new one, its seed printed)")
    p.add_argument("--base-url", default="", metavar="URL", help="put in front of each answer's link, e.g. https://example.org/painmap/")
    p.add_argument("--json", action="store_true", help="print a JSON list of {kind, question, choices, answer, explanation, link}")
    p = command("export", cmd_export, "a view as PNG, SVG, a one-page PDF handout or animated HTML; --all; --lesson")
    p.add_argument("--organ", help="organ id (or organ part id), e.g. kidney")
    p.add_argument("--part", help="organ part id")
    p.add_argument("--route", help="route id (painmap list routes)")
    p.add_argument("--story", help="story id (painmap list stories)")
    p.add_argument("--zone", help="skin zone id: the organs that refer pain there")
    p.add_argument("--segment", help="spinal segment, e.g. T10")
    p.add_argument("--step", help="animation step, from 0 (default: the last, where the pain is felt)")
    p.add_argument("--mode", help="'patient': large plain words")
    p.add_argument("--side", help="left or right (a paired organ)")
    p.add_argument("--sex", help="female or male anatomy (default: both)")
    p.add_argument("--layers", help="comma-separated layers to show, e.g. sympathetic,somatic")
    p.add_argument("--query", metavar="QUERY", help="a whole view as in the app's address, e.g. 'organ=kidney&step=4'")
    p.add_argument("--format", help="png, svg, pdf (the one-page handout) or html (default: from --out's suffix)")
    p.add_argument("--out", metavar="PATH", help="the file to write (a folder: named after the view); with --all a folder")
    p.add_argument("--paper", default="a4", choices=["a4", "letter"], help="the PDF's paper (the handout fits both)")
    p.add_argument("--base-url", default="", metavar="URL", help="the app's address, for links and QR codes, e.g. https://example.org/painmap/")
    p.add_argument("--all", action="store_true", help="every organ, route and story into --out DIR (every format unless --format)")
    p.add_argument("--lesson", metavar="DIR", help="a folder of static HTML pages: index, one page per story, the quiz")
    p = command("serve", cmd_serve, "start the app (http://127.0.0.1:8050) on a production server; --dev for development")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=8050, help="port (default: 8050)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default: one per core, 2 to 8)")
    p.add_argument(
        "--embed-origins", nargs="+", default=[], metavar="ORIGIN",
        help="sites allowed to frame /embed, e.g. https://school.example (default: any, '*')",
    )
    p.add_argument("--dev", "--debug", dest="dev", action="store_true",
                   help="Flask's development server with Dash debug mode and reload (never in production)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DatasetError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return EXIT_INVALID
    except DatasetReadError as exc:
        print(f"painmap: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except query.UnknownId as exc:
        print(f"painmap: {exc.args[0]}", file=sys.stderr)
        return EXIT_INVALID
    except CommandError as exc:
        print(f"painmap: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # `painmap list zones | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""The ``yingxi`` command. It only parses arguments, shows progress and reports errors; all
work is done by the library.

Errors that yingxi understands print as ``file:line:col: error: message`` with a hint and exit
with status 1; anything else is reported as an internal error (traceback with ``--debug``).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from yingxi import __version__
from yingxi.errors import YingxiError

if TYPE_CHECKING:
    from yingxi.pipeline.events import Event
    from yingxi.script.check import EpisodeCheck

log = logging.getLogger("yingxi")


class _Ui:
    """Where output goes: rich on a terminal, JSON lines with --json, nothing with --quiet."""

    def __init__(self, quiet: bool, as_json: bool) -> None:
        from rich.console import Console

        self.quiet, self.as_json = quiet, as_json
        self.out = Console()
        self.err = Console(stderr=True)

    @contextmanager
    def progress(self) -> Iterator[Callable[[Event], None] | None]:
        """An event sink for the runner (None when quiet)."""
        if self.quiet:
            yield None
            return
        if self.as_json:
            from yingxi.pipeline.events import event_to_json

            def emit(event: Event) -> None:
                print(json.dumps(event_to_json(event), ensure_ascii=False), flush=True)
            yield emit
            return
        yield from _rich_progress(self.out)


def _rich_progress(console: Any) -> Iterator[Callable[[Event], None]]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from yingxi.pipeline.events import StageQueued, TaskFinished, TaskProgress, TaskStarted

    columns = (TextColumn("[bold]{task.fields[stage]:>8}[/] {task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bars:
        stages: dict[str, Any] = {}     # stage -> its bar: tasks done of tasks queued
        queued: dict[str, int] = {}     # stage -> tasks queued so far
        frames: dict[str, Any] = {}     # running task -> its bar: frames or samples done
        finished: set[str] = set()      # workers' events may arrive after a task's result

        def on_event(event: Event) -> None:
            if isinstance(event, StageQueued):
                if event.stage not in stages:
                    stages[event.stage] = bars.add_task("", stage=event.stage, total=0)
                queued[event.stage] = queued.get(event.stage, 0) + event.count
                bars.update(stages[event.stage], total=queued[event.stage])
            elif isinstance(event, TaskStarted | TaskProgress) and event.key in finished:
                return
            elif isinstance(event, TaskStarted):
                frames[event.key] = bars.add_task(event.label[:40], stage="", total=None,
                                                  visible=False)
                bars.update(stages[event.stage], description=event.label[:40])
            elif isinstance(event, TaskProgress) and event.key in frames:
                bars.update(frames[event.key], total=event.total, completed=event.done,
                            visible=True)
            elif isinstance(event, TaskFinished):
                finished.add(event.key)
                bar = stages[event.stage]
                bars.update(bar, advance=1,
                            description="cached" if event.cached else event.label[:40])
                if event.key in frames:
                    bars.remove_task(frames.pop(event.key))
        yield on_event


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="yingxi")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, debug: bool) -> None:
    """yingxi (影戏): from a screenplay to a labeled vertical episode.

    A production is a folder with yingxi.toml, bible.yaml and episodes/*.fountain.
    """
    level = logging.DEBUG if debug or verbose > 1 else logging.INFO if verbose else \
        logging.WARNING
    from rich.console import Console
    from rich.logging import RichHandler

    # logs go to stderr: stdout carries progress, and with --json only JSON
    logging.basicConfig(level=level, format="%(message)s", handlers=[
        RichHandler(console=Console(stderr=True), show_path=False, show_time=False)])
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("production", type=click.Path(path_type=Path))
@click.option("-e", "--episode", "episodes", multiple=True, metavar="ID",
              help="Episode to render (repeatable); default: every episode.")
@click.option("--all", "all_episodes", is_flag=True,
              help="Render every episode (the default when no -e is given).")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: PRODUCTION/out).")
@click.option("--preview", is_flag=True,
              help="Render at a quarter of the size, quickly (files end in -preview).")
@click.option("--executor", type=click.Choice(["process", "serial", "ray"]), default="process",
              show_default=True, help="Where heavy tasks run: a local process pool, this "
                                      "process, or a Ray cluster.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core; with ray: local CPUs).")
@click.option("--address", default=None, metavar="ADDR",
              help="Ray cluster to use (ray://HOST:10001 or auto); default: start Ray here.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.option("--json", "as_json", is_flag=True, help="Progress as one JSON event per line.")
def render(production: Path, episodes: tuple[str, ...], all_episodes: bool, out: Path | None,
           preview: bool, executor: str, jobs: int | None, address: str | None, quiet: bool,
           as_json: bool) -> None:
    """Render PRODUCTION's episodes to labeled MP4s (with SRT subtitles and a report).

    A failing episode does not stop the others: each failure is reported and the command
    exits with status 1 at the end.
    """
    if all_episodes and episodes:
        raise click.UsageError("--all renders every episode; leave out -e, or --all")
    if address is not None and executor != "ray":
        raise click.UsageError("--address is for --executor ray")
    from yingxi.pipeline.forkserver import default_workers, start_forkserver

    if executor == "process" and (jobs or default_workers()) > 1:
        start_forkserver()  # it imports in the background while this process does

    from yingxi.api import render as render_episodes
    from yingxi.cli_report import print_failures, print_results
    from yingxi.errors import EpisodesFailed

    ui = _Ui(quiet, as_json)
    failed: EpisodesFailed | None = None
    with ui.progress() as sink:
        try:
            results = render_episodes(production, episodes, out=out, preview=preview,
                                      sink=sink, executor=executor,  # type: ignore[arg-type]
                                      jobs=jobs, address=address)
        except EpisodesFailed as exc:
            results, failed = exc.results, exc
    if not ui.quiet:
        print_results(ui.out, results, ui.as_json)
    if failed is not None:
        print_failures(ui.err, failed, ui.as_json, _format_error)
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("production", type=click.Path(path_type=Path))
@click.option("-e", "--episode", "episodes", multiple=True, metavar="ID",
              help="Episode to plan (repeatable); default: every episode.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
def plan(production: Path, episodes: tuple[str, ...], quiet: bool) -> None:
    """Write or update PRODUCTION/shots/EPISODE.yaml, the shot plan you may edit.

    Shot ids survive script edits and every field you changed is kept (locked).
    """
    from yingxi.api import plan as plan_episodes

    ui = _Ui(quiet, False)
    with ui.progress() as sink:
        results = plan_episodes(production, episodes, sink=sink)
    if quiet:
        return
    for r in results:
        locked = sum(len(e.locked) for e in r.plan.shots)
        ui.out.print(f"[green]✓[/] {r.plan_file}: {len(r.shots.shots)} shots, "
                     f"{r.shots.duration:.1f} s, {locked} locked field(s)", highlight=False)
        for note in r.notes:
            ui.out.print(f"  [yellow]![/] {note}", highlight=False)


@cli.command()
@click.argument("production", type=click.Path(path_type=Path))
@click.option("-e", "--episode", "episodes", multiple=True, metavar="ID",
              help="Episode to board (repeatable); default: every episode.")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: PRODUCTION/out).")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
def storyboard(production: Path, episodes: tuple[str, ...], out: Path | None,
               quiet: bool) -> None:
    """Write EPISODE-storyboard.png (contact sheet) and .pdf: every shot's first and last
    frame, id, size, angle, move, cast, what it covers and its length."""
    from yingxi.api import storyboard as board_episodes

    ui = _Ui(quiet, False)
    with ui.progress() as sink:
        results = board_episodes(production, episodes, out=out, sink=sink)
    if not quiet:
        for r in results:
            ui.out.print(f"[green]✓[/] {r.pdf} ({r.shots} shots, {r.seconds:.1f} s) "
                         f"+ {r.png.name}", highlight=False)


@cli.command()
@click.argument("production", type=click.Path(path_type=Path))
@click.option("-e", "--episode", "episodes", multiple=True, metavar="ID",
              help="Episode to export (repeatable); default: every episode.")
@click.option("--shot", "shots", multiple=True, metavar="ID",
              help="Only this shot (repeatable); default: every shot.")
@click.option("--passes", is_flag=True,
              help="Also write control passes: depth, character masks, OpenPose keypoints.")
@click.option("--every", type=click.IntRange(min=1), default=1, show_default=True,
              metavar="N", help="With --passes: only every N-th frame.")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: PRODUCTION/out/layout).")
@click.option("--preview", is_flag=True, help="At a quarter of the size, quickly.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.option("--json", "as_json", is_flag=True, help="Progress as one JSON event per line.")
def layout(production: Path, episodes: tuple[str, ...], shots: tuple[str, ...], passes: bool,
           every: int, out: Path | None, preview: bool, quiet: bool, as_json: bool) -> None:
    """Write every shot's layout to OUT/EPISODE/SHOT/layout.json, and with --passes the
    control passes an AI picture backend follows (depth/, mask/, pose/, legend.json)."""
    from yingxi.export.passes import export_layouts

    ui = _Ui(quiet, as_json)
    with ui.progress() as sink:
        results = export_layouts(production, episodes, out=out, shots=shots, passes=passes,
                                 every=every, preview=preview, sink=sink)
    if quiet:
        return
    if as_json:
        for r in results:
            print(json.dumps({"event": "LayoutDone", "episode": r.episode, "shot": r.shot,
                              "folder": str(r.folder),
                              "frames": len(r.passes.frames) if r.passes else 0},
                             ensure_ascii=False), flush=True)
        return
    frames = sum(len(r.passes.frames) for r in results if r.passes)
    folders = sorted({str(r.folder.parent.parent) for r in results})
    what = f" + passes of {frames} frame(s)" if passes else ""
    ui.out.print(f"[green]✓[/] {len(results)} shot layout(s){what} in "
                 f"{', '.join(folders) or 'nothing'}", highlight=False)


@cli.command()
@click.argument("name", type=click.Path(path_type=Path))
@click.option("--from-script", type=click.Path(path_type=Path), default=None,
              metavar="FILE.fountain", help="Import a screenplay and cast everyone in it.")
@click.option("--from-poem", type=click.Path(path_type=Path), default=None, metavar="FILE.txt",
              help="Turn a poem into an episode: one shot per line, read by a narrator.")
@click.option("--couplets", is_flag=True, help="With --from-poem: one shot per two lines.")
@click.option("--title", default=None, help="Title (default: from the script, poem or NAME).")
@click.option("--language", type=click.Choice(["zh", "en"]), default="en", show_default=True,
              help="Language of the starter episode (scripts and poems are detected).")
def new(name: Path, from_script: Path | None, from_poem: Path | None, couplets: bool,
        title: str | None, language: str) -> None:
    """Create the production folder NAME that renders as is."""
    from yingxi.scaffold import new_production

    if from_script and from_poem:
        raise click.UsageError("give --from-script or --from-poem, not both")
    if couplets and not from_poem:
        raise click.UsageError("--couplets only applies to --from-poem")
    root = new_production(name, title=title, language="zh" if language == "zh" else "en",
                          from_script=from_script, from_poem=from_poem, couplets=couplets)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    click.echo(f"created {root}/: {', '.join(files)}")
    if from_script or from_poem:
        click.echo("  the cast and places were generated: review bible.yaml "
                   "(look for '# generated')")
    click.echo(f"  next: yingxi check {root}   then   yingxi render {root} --preview")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print the parsed screenplay(s) as JSON: title_page and elements.")
def check(path: Path, as_json: bool) -> None:
    """Validate a production folder or a .fountain file and summarise it; writes nothing."""
    from yingxi.script.check import check_path

    result = check_path(path)
    if as_json:
        episodes = [{"episode": e.episode, "file": str(e.path), **e.document.to_json(),
                     "summary": _episode_summary(e)} for e in result.episodes]
        data = episodes[0] if path.is_file() else {"production": str(path),
                                                   "episodes": episodes}
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    from rich.console import Console

    out = Console(soft_wrap=True)
    for e in result.episodes:
        summary = _episode_summary(e)
        title = " / ".join(e.screenplay.title.split("\n"))
        title = f" «{title}»" if title else ""
        out.print(f"[bold]{e.path}[/]{title}: {summary['scenes']} scenes, "
                  f"{summary['dialogue_lines']} lines of dialogue, about "
                  f"{_minutes(e.estimated_seconds)}", highlight=False)
        for scene in e.screenplay.scenes:
            out.print(f"  line {scene.heading.line:>4}  {scene.heading.text}", highlight=False)
        cast = ", ".join(f"{name} {count}" for name, count in e.lines_by_character)
        out.print(f"  characters (lines): {cast or 'none'}", highlight=False)
    what = "production" if result.production else "screenplay"
    extra = "" if result.production else " (not checked against a bible: no production)"
    out.print(f"[green]✓[/] {what} OK{extra}", highlight=False)


def _episode_summary(e: EpisodeCheck) -> dict[str, Any]:
    return {"scenes": len(e.screenplay.scenes),
            "dialogue_lines": len(e.screenplay.dialogue()),
            "characters": dict(e.lines_by_character),
            "estimated_seconds": e.estimated_seconds}


def _minutes(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def verify(file: Path) -> None:
    """Check that FILE carries the AIGC metadata label (GB 45438-2025 Annex E)."""
    from yingxi.media.encode import probe
    from yingxi.media.labels import verify_aigc

    fields = verify_aigc(file)
    info = probe(file)
    click.echo(f"{file}: AIGC label present, Label={fields['Label']}, "
               f"producer={fields['ContentProducer']}, id={fields['ProduceID']}")
    click.echo(f"  video {info.video_codec} {info.profile} {info.width}x{info.height} "
               f"{info.fps:g} fps, {info.duration:.2f} s; audio {info.audio_codec} "
               f"{info.audio_rate} Hz x{info.audio_channels}")


@cli.command()
@click.argument("production", type=click.Path(path_type=Path))
@click.option("-e", "--episode", "episodes", multiple=True, metavar="ID",
              help="Episode to look at (repeatable); default: every episode.")
@click.option("--preview", is_flag=True, help="The preview-size render, not the full one.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def status(production: Path, episodes: tuple[str, ...], preview: bool, as_json: bool) -> None:
    """Show what a render would redo: per shot and task, current, stale (and which input
    changed) or missing. Reads only; computes and writes nothing."""
    from rich.console import Console

    from yingxi.api import status as episode_status
    from yingxi.cli_store import print_status, status_json

    statuses = episode_status(production, episodes, preview=preview)
    if as_json:
        click.echo(status_json(production, preview, statuses))
        return
    console = Console()
    for one in statuses:
        print_status(console, production, one)


@cli.group()
def cache() -> None:
    """Look after PRODUCTION/.yingxi, the store of finished work."""


@cache.command("gc")
@click.argument("production", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
def cache_gc(production: Path, dry_run: bool) -> None:
    """Remove the work no current plan uses (old takes, voices of changed lines...), at
    full and preview size, and leftovers of killed runs. Refuses while a render runs."""
    from rich.console import Console

    from yingxi.api import cache_gc as collect
    from yingxi.cli_store import print_gc

    print_gc(Console(), collect(production, dry_run=dry_run))


@cache.command("verify")
@click.argument("production", type=click.Path(path_type=Path))
@click.option("--repair", is_flag=True,
              help="Remove damaged entries, so that the next render recomputes them.")
def cache_verify(production: Path, repair: bool) -> None:
    """Re-hash every stored file and check every task record; exit status 1 if something
    is damaged (and not repaired)."""
    from rich.console import Console

    from yingxi.api import cache_verify as verify_cache
    from yingxi.cli_store import print_verify
    from yingxi.errors import ConfigError

    result = verify_cache(production, repair=repair)
    print_verify(Console(), result)
    if not result.ok:
        raise ConfigError(f"{len(result.problems)} problem(s) in the store",
                          file=production / ".yingxi",
                          hint=f"run `yingxi cache verify {production} --repair`; what it "
                               "removes is recomputed by the next render")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn errors into messages and exit codes."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        status = cli.main(args=argv, prog_name="yingxi", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except YingxiError as exc:
        click.echo(_format_error(exc), err=True)
        return 1
    except ImportError as exc:
        click.echo(f"error: a package yingxi needs is missing: {exc.name or exc}\n"
                   "  hint: run make demo (or pip install -e .) to install everything", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted; finished work is kept in the store, run again to resume",
                   err=True)
        return 130
    except Exception as exc:
        if debug:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "  hint: this is a bug in yingxi; rerun with --debug for the traceback",
                   err=True)
        return 70
    return status if isinstance(status, int) else 0


def _format_error(exc: YingxiError) -> str:
    where = f"{exc.location}: " if exc.location else ""
    text = f"{where}error: {exc.message}"
    if exc.hint:
        text += f"\n  hint: {exc.hint}"
    return text


if __name__ == "__main__":
    sys.exit(main())

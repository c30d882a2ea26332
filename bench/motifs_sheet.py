"""Contact sheet of the painter's set motifs: every motif in fitting locations, day and night.

    .venv/bin/python bench/motifs_sheet.py [--out docs/motifs.png] [--size 216]
    .venv/bin/python bench/motifs_sheet.py --only boat,moon --size 540 --out /tmp/boat.png

Each cell is one wide frame (two actors on their marks unless the cell says "empty") rendered
by the embedded painter at the thumbnail size, labelled with the motif, location kind, era,
time of day and weather. The last row shows whole poems (several motifs in one set).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skia

from yingxi.backends.embedded.painter import EmbeddedPainter
from yingxi.backends.protocols import ImageArray
from yingxi.media.fonts import cjk_face, typeface
from yingxi.schema.bible import Character, Hair, Location, Look
from yingxi.schema.layout import CastMember, SetSpec, ShotLayout
from yingxi.schema.shots import Size
from yingxi.stages.layout import LayoutInput, block_shot

ROOT = Path(__file__).resolve().parents[1]

POET = Character(id="poet", name="Poet", look=Look(
    age="elder", build="slim", skin="#e9c39f", hair=Hair(style="bun", color="#d8d4cc"),
    palette=["#5b6b7a", "#d9cfb8", "#8a3a2e"], wardrobe="robe"))
GUEST = Character(id="guest", name="Guest", look=Look(
    age="young", build="slim", skin="#f3cfae", hair=Hair(style="long", color="#2a1d1a"),
    palette=["#c8505a", "#f2e1c8", "#e0a040"], wardrobe="robe"))


@dataclass(frozen=True)
class Cell:
    """One thumbnail: a set with some motifs under some light."""

    title: str
    kind: str
    motifs: tuple[str, ...]
    time: str = "day"
    era: str = "ancient"
    weather: str = "clear"
    actors: bool = True
    framing: str = "wide"
    seed: int = 7

    @property
    def label(self) -> str:
        """Two caption lines."""
        era = "" if self.era == "ancient" else " modern"
        weather = "" if self.weather == "clear" else f" {self.weather}"
        framing = "" if self.framing == "wide" else f" {self.framing}"
        return f"{self.title}\n{self.kind}{era} {self.time}{weather}{framing}"


CELLS: list[Cell] = [
    Cell("moon", "shore", ("moon",), "night"),
    Cell("moon", "village", ("moon",), "dusk"),
    Cell("moon", "home", ("moon",), "night"),
    Cell("moon", "mountains", ("moon",), "day", actors=False),
    Cell("frost", "village", ("frost",), "dawn"),
    Cell("frost", "mountains", ("frost",), "day"),
    Cell("frost", "home", ("frost",), "night"),
    Cell("boat", "shore", ("boat",), "day"),
    Cell("boat", "shore", ("boat",), "night", actors=False),
    Cell("boat", "village", ("boat",), "dusk"),
    Cell("willow", "village", ("willow",), "day"),
    Cell("willow", "shore", ("willow",), "dawn"),
    Cell("bell", "mountains", ("bell",), "dusk"),
    Cell("bell", "palace", ("bell",), "day"),
    Cell("bell", "village", ("bell",), "night"),
    Cell("wine", "home", ("wine",), "night"),
    Cell("wine", "forest", ("wine",), "day"),
    Cell("lantern", "village", ("lantern",), "night"),
    Cell("lantern", "mountains", ("lantern",), "dusk"),
    Cell("lantern", "home", ("lantern",), "day", era="modern"),
    Cell("plum", "village", ("plum",), "day", weather="snow"),
    Cell("plum", "office", ("plum",), "night"),
    Cell("bamboo", "forest", ("bamboo",), "day"),
    Cell("bamboo", "home", ("bamboo",), "night"),
    Cell("geese", "shore", ("geese",), "dusk"),
    Cell("geese", "mountains", ("geese",), "day"),
    Cell("bridge", "village", ("bridge",), "day"),
    Cell("bridge", "city", ("bridge",), "night"),
    Cell("lotus", "shore", ("lotus",), "day"),
    Cell("lotus", "village", ("lotus",), "night"),
    Cell("pagoda", "mountains", ("pagoda",), "dawn"),
    Cell("pagoda", "shore", ("pagoda",), "night"),
    # whole poems
    Cell("静夜思 moon frost", "home", ("moon", "frost"), "night"),
    Cell("江雪 boat, snow", "shore", ("boat",), "day", weather="snow",
         actors=False),
    Cell("枫桥夜泊", "shore", ("moon", "frost", "bell", "boat"), "night", actors=False),
    Cell("杨柳 bridge", "village", ("willow", "bridge", "boat"), "dawn"),
    Cell("月下独酌", "forest", ("moon", "wine", "plum"), "night"),
    Cell("竹里馆", "forest", ("bamboo", "moon"), "night", framing="medium"),
    Cell("江南", "shore", ("lotus", "boat", "willow"), "day", framing="medium"),
    Cell("寒山寺", "mountains", ("pagoda", "bell", "geese"), "dusk", framing="close"),
]


MOTIFS = ["moon", "frost", "boat", "willow", "bell", "wine", "lantern", "plum", "bamboo", "geese",
          "bridge", "lotus", "pagoda"]
KINDS = ["mountains", "shore", "forest", "village", "city", "palace", "office", "home"]


# the sheet's three framings on the shot-size ladder
_SIZES: dict[str, Size] = {"wide": "extreme-wide", "medium": "full", "close": "medium"}


def layout_for(cell: Cell, width: int, height: int, frames: int = 1) -> ShotLayout:
    """The layout the layout stage blocks for the cell: actors on their marks, camera aimed."""
    cast = [POET, GUEST] if cell.actors else []
    location = Location(id=f"{cell.kind}-{cell.seed}", name=cell.kind, kind=cell.kind,
                        era=cell.era, weather=cell.weather,
                        motifs=list(cell.motifs))
    members = [CastMember.of(c) for c in cast]
    return block_shot(LayoutInput(
        width=width, height=height, fps=24, look="flat", seed=cell.seed,
        size=_SIZES[cell.framing],
        frames=frames, staging=[c.id for c in cast],
        subjects=members[:1] if cell.framing == "close" else members,
        location=SetSpec.of(location), time_of_day=cell.time))


def render(cell: Cell, width: int, height: int) -> ImageArray:
    """The first frame of the cell's shot, (height, width, 4) uint8 opaque RGBA."""
    return next(iter(EmbeddedPainter().paint(layout_for(cell, width, height))))


def sheet(cells: list[Cell], width: int, columns: int) -> skia.Image:
    """The thumbnails in a labelled grid."""
    height = width * 16 // 9
    label_h = max(26, width // 7)
    pad = max(4, width // 36)
    rows = -(-len(cells) // columns)
    out_w = columns * (width + pad) + pad
    out_h = rows * (height + label_h + pad) + pad
    surface = skia.Surface(out_w, out_h)
    canvas = surface.getCanvas()
    canvas.clear(skia.Color(28, 28, 32))
    face = typeface(cjk_face())
    font, small = skia.Font(face, label_h * 0.36), skia.Font(face, label_h * 0.3)
    text = skia.Paint(AntiAlias=True, Color=skia.Color(235, 235, 235))
    for i, cell in enumerate(cells):
        started = time.perf_counter()
        rgba = render(cell, width, height)
        elapsed = time.perf_counter() - started
        image = skia.Image.fromarray(np.ascontiguousarray(rgba),
                                     colorType=skia.kRGBA_8888_ColorType)
        x = pad + (i % columns) * (width + pad)
        y = pad + (i // columns) * (height + label_h + pad)
        canvas.drawImage(image, x, y)
        first, second = cell.label.split("\n")
        canvas.drawString(first, x + 2, y + height + label_h * 0.42, font, text)
        canvas.drawString(second, x + 2, y + height + label_h * 0.85, small, text)
        print(f"{cell.title:>22} {cell.kind:<10} {cell.time:<6} {elapsed * 1000:6.0f} ms")
    return surface.makeImageSnapshot()


def main() -> None:
    """Render the sheet and write it as a PNG."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "motifs.png"))
    parser.add_argument("--size", type=int, default=216, help="thumbnail width in pixels")
    parser.add_argument("--columns", type=int, default=8)
    parser.add_argument("--only", default="", help="comma-separated motifs or titles to keep")
    parser.add_argument("--matrix", default="", metavar="TIME[/ERA]",
                        help="instead: every motif in every location kind, e.g. night/modern")
    args = parser.parse_args()
    cells = CELLS
    if args.matrix:
        time_of_day, _, era = args.matrix.partition("/")
        cells = [Cell(motif, kind, (motif,), time_of_day, era or "ancient")
                 for motif in MOTIFS for kind in KINDS]
    if args.only:
        wanted = set(args.only.split(","))
        cells = [c for c in cells if wanted & ({c.title, c.kind} | set(c.motifs))
                 and (not (wanted & set(KINDS)) or c.kind in wanted)]
    image = sheet(cells, args.size, min(args.columns, len(cells)))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    image.save(args.out, skia.kPNG)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""A set: the location painted as parallax layers, recorded once and replayed at any camera.

Everything a set looks like comes from the Location (kind, era, palette), the time of day, and
a seed made of the location id and the layout seed, so every shot in one place shows the same
hills, houses and windows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import skia

from yingxi.backends.embedded.painter import sets_home, sets_indoor, sets_outdoor, sets_town
from yingxi.backends.embedded.painter.camera import View
from yingxi.backends.embedded.painter.context import LayerSpec, Moving, SetContext
from yingxi.backends.embedded.painter.draw import record, rng_for
from yingxi.backends.embedded.painter.looks import LayerPaint, look_style
from yingxi.backends.embedded.painter.motifs import add_motifs, motif_light
from yingxi.backends.embedded.painter.palette import (
    RGB,
    Light,
    argb,
    lighten,
    make_light,
    set_palette,
)
from yingxi.backends.embedded.painter.sky import fog_layer
from yingxi.schema.bible import INTERIOR_KINDS
from yingxi.schema.layout import ShotLayout

# The focus veil: opacity per unit of zoom above a wide shot, over layers up to this depth.
_VEIL = 0.08
_VEIL_DEPTH = 0.6
_FREEZE = 0.012


@dataclass(frozen=True)
class Layer:
    """A recorded layer and how far it sits from the camera (0 sky .. 1 actors' plane).

    ``motion`` is set on a layer that moves by itself (geese): its picture is frame 0.
    """

    depth: float
    picture: skia.Picture
    motion: Moving | None = None


@dataclass(frozen=True)
class StageSet:
    """A built set: its layers back to front, and its light (which also tints the actors)."""

    layers: tuple[Layer, ...]
    light: Light
    context: SetContext
    veil: RGB
    paints: tuple[LayerPaint, ...]


def set_key(layout: ShotLayout) -> str:
    """The seed text of a set: the location id and the layout seed, nothing else."""
    return f"{layout.location.id}|{layout.seed}"


def build_set(layout: ShotLayout) -> StageSet:
    """Record the layers of the shot's location under its time of day and weather."""
    loc = layout.location
    key = set_key(layout)
    sun_x = float(rng_for(key, "sun").uniform(0.2, 0.8))
    light = make_light(layout.time_of_day, loc.weather, sun_x)
    if loc.kind in INTERIOR_KINDS:
        light = light.indoors()
    light = motif_light(light, loc.kind, loc.motifs, layout.ground_y, key)
    ctx = SetContext(
        kind=loc.kind, era=loc.era, palette=tuple(set_palette(loc.kind, loc.era, loc.palette)),
        light=light, ground=layout.ground_y, aspect=layout.height / layout.width, key=key,
        motifs=tuple(loc.motifs), style=look_style(layout.look),
    )
    builders: dict[str, Callable[[SetContext], list[LayerSpec]]] = {
        "mountains": sets_outdoor.mountains, "shore": sets_outdoor.shore,
        "forest": sets_outdoor.forest, "village": sets_town.village, "city": sets_town.city,
        "palace": sets_indoor.palace, "office": sets_indoor.office, "home": sets_home.home,
    }
    specs = builders[loc.kind](ctx)
    if loc.weather == "mist" and loc.kind not in INTERIOR_KINDS:
        # the mist sits between the land and the ground the actors stand on
        specs.insert(len(specs) - 1, (0.9, fog_layer(ctx)))
    specs = add_motifs(ctx, specs)
    layers = tuple(Layer(depth, record(fn, bounded=True),
                         fn if isinstance(fn, Moving) else None) for depth, fn in specs)
    indoors = loc.kind in INTERIOR_KINDS
    veil = lighten(ctx.color(0), 0.2) if indoors else lighten(light.horizon, 0.15)
    paints = tuple(ctx.style.layer_paint(layer.depth, not indoors, ctx.horizon)
                   for layer in layers)
    return StageSet(layers=layers, light=light, context=ctx, veil=veil, paints=paints)


def paint_set(canvas: skia.Canvas, stage: StageSet, view: View, first: int = 0,
              last: int | None = None, origin: tuple[float, float] = (0.0, 0.0),
              moving: bool = True, veil: bool = True, scale: float = 1.0) -> None:
    """Paint layers ``first`` to ``last`` (default: all) through their parallax views.

    ``origin`` shifts the picture on the canvas (for plates larger than the frame), after
    ``scale`` shrinks it (for a picture painted small, to be blurred and enlarged). Layers
    that move by themselves are left out unless ``moving``; the focus veil unless ``veil``.

    In medium and close shots a veil of the set's ambient colour is laid over the far layers,
    the flat-look stand-in for depth of field: the background recedes, the actors stand out,
    and it costs one solid fill where a real blur costs hundreds of milliseconds on a CPU.
    """
    amount = veil_amount(view)
    layers = stage.layers[:last]
    look = stage.context.style.set_paint()
    if look is not None:
        canvas.saveLayer(None, look)
    for index in range(first, len(layers)):
        layer = layers[index]
        behind = stage.layers[index - 1].depth if index else 0.0
        if veil and amount >= 0.01 and behind <= _VEIL_DEPTH < layer.depth:
            canvas.drawPaint(skia.Paint(Color=argb(stage.veil, amount)))
        if layer.motion is not None and not moving:
            continue
        canvas.save()
        canvas.setMatrix(skia.Matrix.Translate(*origin).preScale(scale, scale)
                         .preConcat(view.layer(layer.depth).matrix()))
        look = stage.paints[index]
        if look.paint is None and look.mask is None:
            canvas.drawPicture(layer.picture)
        else:
            _filtered(canvas, layer.picture, look)
        canvas.restore()
    if look is not None:
        canvas.restore()


def _filtered(canvas: skia.Canvas, picture: skia.Picture, look: LayerPaint) -> None:
    """Draw ``picture`` through an offscreen layer, its filter and its mask.

    The layer is only as large as what the picture draws (its R-tree cull rect), less what
    the mask clears below its fade: a hill's band is a fraction of the frame, and every
    filter pass costs in proportion to the layer's area (a full-frame layer cost ~100 ms).
    """
    area = picture.cullRect()
    left, top, right, bottom = area.left(), area.top(), area.right(), area.bottom()
    end = bottom if look.fade is None else min(bottom, look.fade[1])
    if end <= top:
        return
    canvas.saveLayer(skia.Rect.MakeLTRB(left, top, right, end), look.paint)
    canvas.drawPicture(picture)
    if look.mask is not None and look.fade is not None:
        # Above the fade the mask keeps every pixel as it is: mask only from there down.
        # Down to the picture's own bottom, not the fade's: the layer holds whole pixel rows,
        # and its last row reaches past the fade.
        canvas.drawRect(skia.Rect.MakeLTRB(left, max(top, look.fade[0]), right, bottom),
                        look.mask)
    canvas.restore()


def veil_amount(view: View) -> float:
    """The opacity of the focus veil over the far layers at this camera."""
    return min(0.22, _VEIL * max(0.0, view.zoom - 1.0))


def frozen_layers(stage: StageSet, zoom_change: float) -> int:
    """How many back layers barely move during a push-in and can be painted once.

    A layer at depth d zooms by d times the camera's zoom change; under about one percent
    (the sky, usually) nobody sees it held still, and the sky is the costliest layer to fill.
    """
    count = 0
    for layer in stage.layers:
        if layer.depth * abs(zoom_change) >= _FREEZE or layer.depth > _VEIL_DEPTH:
            break
        count += 1
    return count

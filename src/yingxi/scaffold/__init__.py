"""``yingxi new``: start a production from nothing, from a screenplay, or from a poem.

The CLI calls :func:`new_production`; :func:`build_files` gives the same files without
writing them. :mod:`.imagery` is the table that turns a line of verse into a picture.
"""

from yingxi.scaffold.from_poem import PoemProduction, build_poem, poem_production
from yingxi.scaffold.from_script import ScriptProduction, script_production
from yingxi.scaffold.imagery import Imagery, imagery_of, poem_imagery
from yingxi.scaffold.poem import Poem, VerseLine, parse_poem, read_poem
from yingxi.scaffold.production import build_files, new_production

__all__ = [
    "Imagery", "Poem", "PoemProduction", "ScriptProduction", "VerseLine", "build_files",
    "build_poem", "imagery_of", "new_production", "parse_poem", "poem_imagery",
    "poem_production", "read_poem", "script_production",
]

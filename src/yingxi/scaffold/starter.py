"""The starter production of ``yingxi new``: two characters, two places, a short scene pair.

Small enough to read in a minute, real enough to render: an exterior at dusk and an interior
at night, action, parentheticals, a cut and a fade, and a bible whose comments show every
field a creator will want to change.
"""

from __future__ import annotations

from yingxi.schema.bible import Language

_BIBLE_EN = """\
# The production bible: who is in the story and where scenes happen.
# Every field is documented in docs/bible.md. Change anything; `yingxi render` checks it.

characters:
  - id: june                 # lower-case id: letters, digits, - and _
    name: JUNE               # the name used in character cues
    aliases: [JUNIE]         # other cues that mean this character
    description: Flies kites on the hill every evening. Never gives up on one.
    look:                    # the painter builds the figure from these fields only,
      build: slim            #   so she looks the same in every shot: slim | average | broad
      age: young             # child | young | adult | elder
      skin: "#e8c4a4"        # colours are "#rrggbb" (quoted: # starts a comment)
      hair: {style: ponytail, color: "#3b2a1e"}   # short | long | bun | ponytail | bald
      palette: ["#c06a2b", "#f3e3c3", "#2e4a62"]  # wardrobe: main, secondary, accent
      wardrobe: jacket       # robe | jacket | dress | suit | coat
    voice:
      voice: en-us           # espeak voice: en-us, en-gb, cmn ...
      variant: f3            # espeak variant: f1..f5, m1..m7
      pitch: 62              # 0..100
      rate: 160              # words per minute, 80..400
    likeness: {kind: invented}   # invented | real_person (needs `consent: ID`)

  - id: leo
    name: LEO
    description: June's neighbour. Always late, always running.
    look:
      build: average
      age: young
      skin: "#c68e64"
      hair: {style: short, color: "#1c1613"}
      palette: ["#2f5a72", "#d9d0b9", "#7a5a3a"]
      wardrobe: coat
    voice:
      voice: en-us
      variant: m2
      pitch: 40
      rate: 170
    likeness: {kind: invented}

locations:
  - id: hilltop
    name: HILLTOP            # matched against scene headings ("EXT. HILLTOP - DUSK")
    aliases: [HILL]
    kind: mountains          # mountains | shore | forest | village | palace | office | city | home
    era: modern              # ancient | modern
    time_of_day: dusk        # dawn | day | dusk | night: used when a heading has no time
    weather: clear           # clear | rain | snow | mist
    mood: warm               # picks the music: calm, warm, sad, tense, mysterious, joyful
    motifs: [geese]          # up to 4 of: moon frost boat willow bell wine lantern plum
                             #   bamboo geese bridge lotus pagoda

  - id: kitchen
    name: KITCHEN
    kind: home
    era: modern
    time_of_day: night
    weather: clear
    mood: calm
    motifs: [lantern]

props:
  - id: kite
    name: kite
    description: A paper kite with a long red tail.

style:
  look: flat                 # the embedded painter's look
"""

_SCRIPT_EN = """\
Title: {title}
Author: you

EXT. HILLTOP - DUSK

Wind moves through the long grass. JUNE waits by a stone wall, a paper kite in her hands.

LEO
(out of breath)
You said sunset. I ran the whole way.

JUNE
(smiling)
Then you are just in time. Hold the string.

LEO
What if it doesn't fly?

JUNE
Then we try again tomorrow.

CUT TO:

INT. KITCHEN - NIGHT

A warm lamp over the table. LEO untangles the kite string.

JUNE
It flew.

LEO
(laughing)
For three whole seconds.

FADE OUT.
"""

_BIBLE_ZH = """\
# 制作圣经：故事里有谁，场景在哪里。每个字段的说明见 docs/bible.md。
# 随意修改；`yingxi render` 会检查并指出出错的行。

characters:
  - id: xiaoman              # 小写 id：字母、数字、- 和 _
    name: 小满               # 角色提示（对白上方的人名）用的名字
    aliases: [满满]          # 指同一个人的其他名字
    description: 每天傍晚在山坡上放风筝，从不轻易放弃。
    look:                    # 画师只根据这些字段画人物，所以每个镜头里都一样
      build: slim            # slim | average | broad
      age: young             # child | young | adult | elder
      skin: "#f3d2b6"        # 颜色写成 "#rrggbb"（要加引号：# 是注释符）
      hair: {style: ponytail, color: "#1c1613"}   # short | long | bun | ponytail | bald
      palette: ["#b8463b", "#f1dcb2", "#e0a43a"]  # 服装颜色：主色、辅色、点缀
      wardrobe: jacket       # robe | jacket | dress | suit | coat
    voice:
      voice: cmn             # espeak 声音：cmn（普通话）、en-us ...
      variant: f2            # espeak 变体：f1..f5（女）、m1..m7（男）
      pitch: 64              # 0..100
      rate: 150              # 每分钟音节数，80..400
    likeness: {kind: invented}   # invented（虚构）| real_person（真人，需要 consent）

  - id: ayuan
    name: 阿远
    description: 小满的邻居，总是迟到，总是跑着来。
    look:
      build: average
      age: young
      skin: "#deb189"
      hair: {style: short, color: "#221b17"}
      palette: ["#2f5a72", "#d9d0b9", "#7a5a3a"]
      wardrobe: coat
    voice:
      voice: cmn
      variant: m3
      pitch: 38
      rate: 160
    likeness: {kind: invented}

locations:
  - id: hillside
    name: 山坡               # 与场景标题匹配（"外景 山坡 - 黄昏"）
    aliases: [坡上]
    kind: mountains          # mountains | shore | forest | village | palace | office | city | home
    era: modern              # ancient（古代）| modern（现代）
    time_of_day: dusk        # dawn | day | dusk | night：标题没写时间时使用
    weather: clear           # clear | rain | snow | mist
    mood: warm               # 决定配乐：calm, warm, sad, tense, mysterious, joyful
    motifs: [geese]          # 最多 4 个：moon frost boat willow bell wine lantern plum
                             #   bamboo geese bridge lotus pagoda

  - id: kitchen
    name: 厨房
    kind: home
    era: modern
    time_of_day: night
    weather: clear
    mood: calm
    motifs: [lantern]

props:
  - id: kite
    name: 风筝
    description: 一只拖着红尾巴的纸风筝。

style:
  look: flat                 # 内置画师的画风
"""

_SCRIPT_ZH = """\
Title: {title}
Author: 你

外景 山坡 - 黄昏

风吹过草地。小满拿着一只纸风筝，站在石墙边等人。

阿远
（喘着气）
你说日落的时候，我一路跑过来的。

小满
（笑）
刚好赶上。你拉着线。

阿远
要是飞不起来呢？

小满
那就明天再来。

淡出。

内景 厨房 - 夜

桌上一盏暖黄的灯。阿远坐在桌边解风筝线。

小满
飞起来了。

阿远
（笑）
整整三秒钟。

淡出。
"""


def starter_bible(language: Language) -> str:
    """The starter ``bible.yaml``, commented, in ``language``."""
    return _BIBLE_ZH if language == "zh" else _BIBLE_EN


def starter_script(language: Language, title: str) -> str:
    """The starter ``episodes/ep01.fountain`` in ``language``."""
    template = _SCRIPT_ZH if language == "zh" else _SCRIPT_EN
    return template.replace("{title}", " ".join(title.split()))

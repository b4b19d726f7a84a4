"""Every screen of the desktop game, registered by name (as Tuxemon registers its states).

Scenes never import one another: a scene asks ``app.push("notebook")`` and the App looks
the name up here.
"""

from __future__ import annotations

from game.ui.scene import Scene

from .chronicle import ChronicleScene
from .ending import EndScene
from .load import LoadScene
from .notebook import NotebookScene
from .replay import ReplayScene
from .settings import SettingsScene
from .skip import SkipScene
from .talk import TalkScene
from .timeline import TimelineScene
from .title import TitleScene
from .town import TownScene

SCENES: dict[str, type[Scene]] = {cls.name: cls for cls in (
    ChronicleScene, EndScene, LoadScene, NotebookScene, ReplayScene, SettingsScene, SkipScene,
    TalkScene, TimelineScene, TitleScene, TownScene)}

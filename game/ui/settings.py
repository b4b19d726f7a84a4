"""Player settings, kept as JSON in platformdirs' config folder so they outlive a session."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from platformdirs import user_config_dir

MINDS = ("scripted", "openai", "local")
TEXT_SIZES = {"small": 0.85, "normal": 1.0, "large": 1.2, "huge": 1.45}
WINDOW_SIZES = ("1280x720", "1600x900", "1920x1080")


def default_path() -> Path:
    return Path(user_config_dir("hindsight", appauthor=False)) / "settings.json"


@dataclass
class Settings:
    mind: str = "scripted"
    api_url: str = "http://127.0.0.1:8080/v1"
    model: str = ""
    text_size: str = "normal"
    window: str = "1280x720"
    fullscreen: bool = False
    volume: float = 0.7

    @property
    def text_scale(self) -> float:
        return TEXT_SIZES.get(self.text_size, 1.0)

    @property
    def window_size(self) -> tuple[int, int]:
        try:
            w, h = (int(v) for v in self.window.lower().split("x"))
            return max(800, w), max(600, h)
        except ValueError:
            return 1280, 720

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Unknown keys and bad values fall back to defaults: a broken file never stops the game."""
        p = path or default_path()
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        s = cls()
        for f in fields(cls):
            value = raw.get(f.name)
            if value is not None and isinstance(value, type(getattr(s, f.name))):
                setattr(s, f.name, value)
            elif f.name == "volume" and isinstance(value, int):
                s.volume = float(value)
        if s.mind not in MINDS:
            s.mind = "scripted"
        if s.text_size not in TEXT_SIZES:
            s.text_size = "normal"
        s.volume = min(1.0, max(0.0, s.volume))
        return s

    def save(self, path: Path | None = None) -> Path:
        p = path or default_path()
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(p)
        return p

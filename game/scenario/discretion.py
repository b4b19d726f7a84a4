"""A writer's warning: a character's public text must not give a secret away.

A persona is public: anyone may know it, and the prompt that answers the player holds
it. What only the character knows belongs in ``private``. A persona that names a
protected fact's distinctive words (see ``game.engine.leaks``: words of the secret that
the rest of the story does not use; one word of its id, or two others) is a secret told
in paraphrase, so it is flagged, by the same rule that checks what characters say.
"""

from __future__ import annotations

from game.engine.leaks import LeakCheck

from .schema import Story
from .toml_lines import Path


def protected_facts(story: Story) -> list[str]:
    """Secret facts, and facts a character keeps as a secret."""
    kept = {s.fact for ch in story.characters for s in ch.secrets}
    return [f.id for f in story.facts if f.secret or f.id in kept]


def public_text_warnings(story: Story) -> list[tuple[Path, str]]:
    """(path, message) for each public field that names a protected fact's words."""
    protected = protected_facts(story)
    common = [ch.name for ch in story.characters] + [loc.name for loc in story.locations]
    common += [it.name for it in story.items]
    check = LeakCheck(((f.id, f.text, f.secret or f.id in protected) for f in story.facts),
                      common)
    out: list[tuple[Path, str]] = []
    for i, ch in enumerate(story.characters):
        public: list[tuple[Path, str]] = [(("characters", i, "persona"), ch.persona),
                                          (("characters", i, "role"), ch.role)]
        public += [(("characters", i, "traits", j), t) for j, t in enumerate(ch.traits)]
        for path, text in public:
            for fact_id in check.gives_away(text, protected):
                words = check.named_words(text, fact_id) or [fact_id]
                if words:
                    out.append((path, f"public text names {', '.join(map(repr, words))} "
                                f"from the protected fact {fact_id!r}: the player may hear "
                                f"it; move it to 'private'"))
    return out

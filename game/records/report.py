"""The simulation report for a saved timeline (issue 5 §5).

It answers the call for simulation development and deployment reports in "We Need Strong
Preconditions For Using Simulations In Policy": what was run (scenario, version, hash,
seeds, mind backend), how the agents' decisions were made, what happened, and a plain
statement of what this simulation is and is not. The report is built from a fresh replay
of the save, never from its stored state, and holds no API key or other secret.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

import game
from game.chronicle import chronicle, presence
from game.records.replay import ReplayResult, replay_save
from game.session import MINUTES_PER_DAY, plural

KEY_KINDS = ("murder", "plot", "conspire", "take", "fact_spread", "arrest", "watch")
MAX_CHRONICLE = 150
SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.IGNORECASE)

STATEMENT = [
    "This is a toy model of a fictional town, made for a murder-mystery game.",
    "Its agents are driven by scripted utility rules or, optionally, by a language model; "
    "neither is a model of how real people think or behave.",
    "It is not a prediction of real behaviour and must not be used as one.",
    "It has not been validated against any real-world data; its parameters were chosen "
    "to make a playable story, not to fit observations.",
    "Runs are deterministic for a given story, seed and command history (and recorded "
    "language-model answers), which is what this report's replay checks — reproducibility, "
    "not realism.",
    "Nothing here is suitable as evidence for decisions about real people, places or policy.",
]


def _colour(i: int) -> str:
    return f"hsl({(i * 137) % 360}, 55%, 58%)"


def presence_svg(world: Any, t0: int, t1: int) -> str:
    """The who-was-where chart: one row per character, coloured by location, with legend."""
    segs = presence(world, t0, t1)
    loc_ids = list(world.locations)
    colours = {loc: _colour(i) for i, loc in enumerate(loc_ids)}
    used = [loc for loc in loc_ids if any(s.location == loc for v in segs.values() for s in v)]
    label_w, chart_w, row_h = 150, 760, 22
    rows = len(world.order)
    span = max(1, t1 - t0)
    legend_top = 30 + rows * row_h + 30
    legend_rows = (len(used) + 3) // 4
    height = legend_top + legend_rows * 20 + 10
    width = label_w + chart_w + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" '
             'role="img" aria-label="who was where over time">']

    def x(t: int) -> float:
        return label_w + (t - t0) * chart_w / span

    step = 360 if span > 2 * MINUTES_PER_DAY else 120 if span > 360 else 30
    tick = (t0 // step + 1) * step
    while tick < t1:
        parts.append(f'<line x1="{x(tick):.1f}" y1="24" x2="{x(tick):.1f}" '
                     f'y2="{30 + rows * row_h}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="18" text-anchor="middle" fill="#555">'
                     f'{html.escape(world.calendar.short(tick))}</text>')
        tick += step
    for r, agent in enumerate(world.order):
        y = 30 + r * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
                     f'{html.escape(agent.name)}</text>')
        for s in segs[agent.id]:
            fill = colours.get(s.location, "#eee") if s.location else "#bbb"
            name = world.locations[s.location].name if s.location in world.locations \
                else "travelling"
            parts.append(f'<rect x="{x(s.start):.1f}" y="{y + 3}" '
                         f'width="{max(0.5, x(s.end) - x(s.start)):.1f}" height="{row_h - 6}" '
                         f'fill="{fill}"><title>{html.escape(agent.name)}: '
                         f'{html.escape(name)}, {html.escape(world.calendar.short(s.start))}'
                         f'–{html.escape(world.calendar.short(s.end))}</title></rect>')
    entries = [(loc, world.locations[loc].name, colours[loc]) for loc in used]
    entries.append(("", "travelling", "#bbb"))
    for i, (_, name, fill) in enumerate(entries):
        lx = label_w + (i % 4) * 190
        ly = legend_top + (i // 4) * 20
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{fill}"/>'
                     f'<text x="{lx + 16}" y="{ly}">{html.escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _facts(result: ReplayResult) -> dict[str, Any]:
    """Everything the report states, as plain data (shared by html and md)."""
    s = result.session
    assert s is not None and result.header is not None
    w = s.world
    assert result.payload is not None
    mind = result.payload.mind
    stats = dict(w.stats)
    mind_stats = getattr(s.mind, "stats", None)
    mind_stats = mind_stats() if callable(mind_stats) else mind_stats
    mind_stats = mind_stats if isinstance(mind_stats, dict) else {}
    decisions = int(stats.get("decisions", 0))
    generated = int(mind_stats.get("generated_decisions", 0)) if mind != "scripted" else 0
    fallbacks = int(mind_stats.get("fallbacks", 0)) if mind != "scripted" else 0
    saved_config = result.payload.mind_config.as_mapping()
    model = None
    if isinstance(saved_config, dict) and saved_config.get("model"):
        model = f"{saved_config['model']} via {saved_config.get('base_url', '?')}"
    events = [e for day in chronicle(w) for e in day["events"] if e["kind"] in KEY_KINDS]
    tree = s.tree
    nodes = []

    # depth first, parents before children, without recursion: a save may hold a chain
    # of thousands of commands
    stack = [(root, 0) for root in reversed(tree.roots())]
    while stack:
        node_id, depth = stack.pop()
        n = tree.node(node_id)
        act = n.action or {}
        label = " ".join(str(act.get(k)) for k in ("verb", "target", "topic", "arg")
                         if act.get(k)) or "(start)"
        nodes.append({"id": n.id, "depth": depth, "time": w.calendar.format(n.time),
                      "action": label, "summary": n.summary, "head": n.id == tree.head})
        stack.extend((child, depth + 1) for child in reversed(tree.children(node_id)))
    h = result.header
    return {
        "title": s.story.scenario.title, "scenario_id": s.scenario_id,
        "version": s.story.scenario.version, "hash": s.content_hash,
        "saved_hash": h.scenario_hash, "created": h.created, "save_game_version": h.game_version,
        "game_version": game.__version__, "summary": h.summary,
        "seed": s.seed, "story_seed": s.story.scenario.seed,
        "mind": mind, "model": model or ("none (rule-based)" if mind == "scripted" else "unknown"),
        "decisions": decisions, "generated": generated,
        "scripted": decisions - generated if mind != "scripted" else decisions,
        "fallbacks": fallbacks, "invalid": int(stats.get("invalid_decisions", 0)),
        "commands": result.commands, "nodes": len(tree), "digest": result.final_digest,
        "ok": result.ok, "divergences": result.divergences, "checked": result.nodes_checked,
        "events": events, "tree": nodes, "t0": tree.node(tree.roots()[0]).time, "t1": w.now,
        "start": w.calendar.format(tree.node(tree.roots()[0]).time), "end": s.clock_text(),
    }


def _redact(text: str) -> str:
    """Belt and braces: no value of a secret-looking environment variable may appear."""
    for name, value in os.environ.items():
        if SECRET_NAME.search(name) and len(value) >= 8 and value in text:
            text = text.replace(value, "[redacted]")
    return text


def _md(f: dict[str, Any], presence_rows: list[str]) -> str:
    L = [f"# Simulation report: {f['title']}", "", f"Save summary: {f['summary']}", "",
         "## Scenario", "",
         f"- id: `{f['scenario_id']}`, version {f['version']}",
         f"- content hash: `{f['hash']}`" + ("" if f["hash"] == f["saved_hash"] else
                                            f" (the save was made with `{f['saved_hash']}`)"),
         f"- game version: {f['game_version']} (save written by {f['save_game_version']}, "
         f"{f['created']})", "",
         "## Seeds", "", f"- world seed: {f['seed']} (the story's default seed: "
         f"{f['story_seed']})", "- all randomness comes from this one seeded generator", "",
         "## Mind", "", f"- backend: {f['mind']}", f"- model: {f['model']}", "",
         "## Decisions", "",
         f"- agent decisions on the final branch: {f['decisions']}",
         f"- generated by a language model: {f['generated']}",
         f"- scripted: {f['scripted']}",
         f"- fallbacks (model failed, scripted rule used instead): {f['fallbacks']}",
         f"- invalid decisions rejected by the engine: {f['invalid']}", "",
         "## Replay", "",
         f"- {f['commands']} player commands, {f['nodes']} snapshots; final event-log digest "
         f"`{f['digest']}`",
         f"- verified {plural(f['checked'], 'snapshot digest')}: "
         + ("all match" if f["ok"] else f"DIVERGED: {'; '.join(f['divergences'][:3])}"), "",
         "## Chronicle of key events", ""]
    for e in f["events"][:MAX_CHRONICLE]:
        L.append(f"- {e['time']} — {e['text']}")
    if len(f["events"]) > MAX_CHRONICLE:
        L.append(f"- … and {len(f['events']) - MAX_CHRONICLE} more")
    if not f["events"]:
        L.append("- (no key events on this branch)")
    L += ["", "## Branch tree", ""]
    for n in f["tree"]:
        mark = " **(current)**" if n["head"] else ""
        L.append(f"{'  ' * n['depth']}- #{n['id']} {n['time']} — {n['action']}: "
                 f"{n['summary']}{mark}")
    L += ["", "## Who was where", "",
          "The chart (inline SVG) is only in the HTML report (`--format html`); "
          "here, each character's places in order:", ""]
    L += presence_rows
    L += ["", "## What this simulation is and is not", ""]
    L += [f"- {line}" for line in STATEMENT]
    return "\n".join(L) + "\n"


def _html(f: dict[str, Any], svg: str) -> str:
    e = html.escape
    rows = "".join(f"<li>{e(ev['time'])} — {e(ev['text'])}</li>"
                   for ev in f["events"][:MAX_CHRONICLE])
    if len(f["events"]) > MAX_CHRONICLE:
        rows += f"<li>… and {len(f['events']) - MAX_CHRONICLE} more</li>"
    rows = rows or "<li>(no key events on this branch)</li>"
    tree = "".join(
        f'<li style="margin-left:{n["depth"] * 1.5}em">#{n["id"]} {e(n["time"])} — '
        f'<b>{e(n["action"])}</b>: {e(n["summary"])}{" <em>(current)</em>" if n["head"] else ""}'
        "</li>" for n in f["tree"])
    hash_note = "" if f["hash"] == f["saved_hash"] else \
        f" (the save was made with <code>{e(f['saved_hash'])}</code>)"
    verdict = "all match" if f["ok"] else "DIVERGED: " + e("; ".join(f["divergences"][:3]))
    statement = "".join(f"<li>{e(line)}</li>" for line in STATEMENT)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Simulation report: {e(f['title'])}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}}
ul.tree{{list-style:none;padding-left:0}} code{{font-size:90%}}</style></head><body>
<h1>Simulation report: {e(f['title'])}</h1>
<p>Save summary: {e(f['summary'])}</p>
<h2 id="scenario">Scenario</h2><ul>
<li>id: <code>{e(f['scenario_id'])}</code>, version {e(str(f['version']))}</li>
<li>content hash: <code>{e(f['hash'])}</code>{hash_note}</li>
<li>game version: {e(f['game_version'])} (save written by {e(f['save_game_version'])},
{e(f['created'])})</li></ul>
<h2 id="seeds">Seeds</h2><ul><li>world seed: {f['seed']} (the story's default seed:
{f['story_seed']})</li><li>all randomness comes from this one seeded generator</li></ul>
<h2 id="mind">Mind</h2><ul><li>backend: {e(f['mind'])}</li><li>model: {e(str(f['model']))}</li>
</ul>
<h2 id="decisions">Decisions</h2><ul>
<li>agent decisions on the final branch: {f['decisions']}</li>
<li>generated by a language model: {f['generated']}</li><li>scripted: {f['scripted']}</li>
<li>fallbacks (model failed, scripted rule used instead): {f['fallbacks']}</li>
<li>invalid decisions rejected by the engine: {f['invalid']}</li></ul>
<h2 id="replay">Replay</h2><ul><li>{f['commands']} player commands, {f['nodes']} snapshots;
final event-log digest <code>{e(f['digest'])}</code></li>
<li>verified {plural(f['checked'], 'snapshot digest')}: {verdict}</li></ul>
<h2 id="chronicle">Chronicle of key events</h2><ul>{rows}</ul>
<h2 id="tree">Branch tree</h2><ul class="tree">{tree}</ul>
<h2 id="where">Who was where</h2>
<p>{e(f['start'])} to {e(f['end'])}, on the final branch. Grey: travelling.</p>
{svg}
<h2 id="statement">What this simulation is and is not</h2><ul>{statement}</ul>
</body></html>
"""


def write_report(save_path: str | Path, fmt: str = "html") -> str:
    """Replay ``save_path`` (verifying it) and return the report as HTML or Markdown."""
    if fmt not in ("html", "md"):
        raise ValueError(f"unknown report format {fmt!r}")
    result = replay_save(save_path, verify=True)
    try:
        f = _facts(result)
        w = result.session.world  # type: ignore[union-attr]
        if fmt == "md":
            rows = []
            for agent in w.order:
                segs = presence(w, f["t0"], f["t1"])[agent.id]
                steps = [f"{w.calendar.short(s.start)} {w.locations[s.location].name}"
                         for s in segs if s.location in w.locations]
                rows.append(f"- {agent.name}: " + (" → ".join(steps) or "(unknown)"))
            return _redact(_md(f, rows))
        return _redact(_html(f, presence_svg(w, f["t0"], f["t1"])))
    finally:
        if result.session is not None:
            result.session.close()

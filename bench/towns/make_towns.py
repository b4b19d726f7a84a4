"""Writes the two 25-person benchmark towns (smallville.toml, harbour.toml) as story files.

Run: python bench/towns/make_towns.py   (the .toml files it writes are committed)

The towns are for bench/social.py, the Generative Agents diffusion experiment (Park
et al. 2023, section 7). Smallville follows the paper's town: a café, a pub, a
college, a market, shared family houses, Sam Moore standing for mayor and Isabella
Rodriguez's Valentine's party at Hobbs Cafe on day 2. Saltmarsh Harbour is shaped
differently on purpose: a fishing crew out at dawn together, a fish market at
noon, an inn at night, and a harvest supper at the chapel hall.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
WALK_UNITS = 40  # map units walked in a minute



def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write(path: Path, town: dict[str, Any]) -> None:
    out: list[str] = [f"# {town['title']}: a 25-person town for bench/social.py.",
                      "# Written by bench/towns/make_towns.py; edit that, not this.", "",
                      "[scenario]", f"id = {_q(town['id'])}", f"title = {_q(town['title'])}",
                      f"intro = {_q(town['intro'])}", 'start_date = "2026-02-13"',
                      'start_time = "07:00"', "loop_days = 2",
                      f"player = {_q(town['people'][0][0])}", ""]
    locs = town["locations"]
    for i, loc in enumerate(locs):
        lid, name, kind, pos, hours = loc
        out += ["[[locations]]", f"id = {_q(lid)}", f"name = {_q(name)}",
                f"pos = [{pos[0]}, {pos[1]}]"]
        links = ", ".join(f"{o[0]} = {max(1, round(math.dist(pos, o[3]) / WALK_UNITS))}"
                          for o in locs[i + 1:])
        if links:
            out.append(f"connections = {{ {links} }}")
        if kind == "private":
            out.append('kind = "private"')
        if hours:
            out.append(f"hours = [{_q(hours)}]")
        out.append("")
    rel = town["relationships"]
    for pid, name, role, persona, home, routine, wake, sleep in town["people"]:
        out += ["[[characters]]", f"id = {_q(pid)}", f"name = {_q(name)}",
                f"persona = {_q(persona)}", f"role = {_q(role)}", f"home = {_q(home)}",
                f'wake = "{wake}"', f'sleep = "{sleep}"', "routine = ["]
        for days, start, end, loc, act in routine:
            out.append(f'  {{ days = ["{days}"], start = "{start}", end = "{end}", '
                       f'location = {_q(loc)}, activity = {_q(act)} }},')
        out.append("]")
        mine = rel.get(pid, {})
        if mine:
            inner = ", ".join(f"{other} = {{ affinity = {aff}, label = {_q(label)} }}"
                              for other, (aff, label) in sorted(mine.items()))
            out.append(f"relationships = {{ {inner} }}")
        out.append("")
    for fact in town["facts"]:
        out += ["[[facts]]"] + [f"{k} = {v}" for k, v in fact.items()] + [""]
    path.write_text("\n".join(out))


def _link(rel: dict[str, dict[str, tuple[float, str]]], group: list[str], affinity: float,
          label: str) -> None:
    for a in group:
        for b in group:
            if a != b and b not in rel.setdefault(a, {}):
                rel[a][b] = (affinity, label)


def _colleagues(rel: dict[str, dict[str, tuple[float, str]]],
                people: list[tuple[Any, ...]]) -> None:
    """People who work in the same place know each other a little."""
    by_work: dict[str, list[str]] = {}
    for person in people:
        by_work.setdefault(person[5][0][3], []).append(person[0])
    for group in by_work.values():
        _link(rel, group, 0.2, "colleague")


def smallville() -> dict[str, Any]:
    locations = [
        ("hobbs_cafe", "Hobbs Cafe", "public", (400, 300), "07:00-22:00"),
        ("rose_and_crown", "The Rose and Crown Pub", "public", (560, 320), "12:00-24:00"),
        ("oak_hill_college", "Oak Hill College", "public", (250, 120), "07:00-20:00"),
        ("willows_market", "Willows Market and Pharmacy", "public", (480, 180), "07:00-21:00"),
        ("harvey_oak_supply", "Harvey Oak Supply Store", "public", (620, 200), "08:00-19:00"),
        ("johnson_park", "Johnson Park", "public", (330, 420), ""),
        ("town_hall", "Town Hall", "public", (450, 80), "08:00-18:00"),
        ("lin_house", "The Lin family's house", "private", (150, 300), ""),
        ("moreno_house", "The Morenos' house", "private", (170, 420), ""),
        ("moore_house", "The Moores' house", "private", (700, 420), ""),
        ("artists_coliving", "Artists' co-living space", "private", (650, 520), ""),
        ("dorm", "Oak Hill College dormitory", "private", (180, 80), ""),
        ("isabella_apartment", "Isabella's apartment", "private", (420, 520), ""),
        ("yamamoto_house", "The Yamamotos' house", "private", (760, 300), ""),
        ("taylor_house", "Tamara and Carmen's house", "private", (90, 500), ""),
        ("burton_flat", "Arthur's flat above the pub", "private", (590, 400), ""),
    ]
    wk = "weekdays"
    p: list[tuple[Any, ...]] = [
        ("isabella", "Isabella Rodriguez", "cafe owner", "isabella_apartment", "hobbs_cafe",
         "running the cafe", "07:30", "08:00-20:00", "06:30", "22:30"),
        ("klaus", "Klaus Mueller", "sociology student", "dorm", "oak_hill_college",
         "writing a paper on gentrification", "08:00", "09:00-16:00", "07:00", "23:00"),
        ("maria", "Maria Lopez", "physics student", "dorm", "oak_hill_college",
         "studying physics", "08:30", "09:00-15:00", "07:30", "23:30"),
        ("ayesha", "Ayesha Khan", "literature student", "dorm", "oak_hill_college",
         "reading Shakespeare", "08:30", "10:00-16:00", "07:30", "23:00"),
        ("wolfgang", "Wolfgang Schulz", "chemistry student", "dorm", "oak_hill_college",
         "running experiments", "08:00", "09:00-17:00", "07:00", "22:30"),
        ("sam", "Sam Moore", "retired navy officer", "moore_house", "johnson_park",
         "walking and thinking about local politics", "08:00", "09:00-11:00", "06:30", "22:00"),
        ("jennifer", "Jennifer Moore", "watercolour painter", "moore_house", "johnson_park",
         "painting", "08:00", "10:00-13:00", "07:00", "22:00"),
        ("john", "John Lin", "pharmacy shopkeeper", "lin_house", "willows_market",
         "serving customers", "07:00", "08:00-17:00", "06:00", "22:00"),
        ("mei", "Mei Lin", "college professor", "lin_house", "oak_hill_college",
         "teaching philosophy", "07:30", "09:00-15:00", "06:30", "22:30"),
        ("eddy", "Eddy Lin", "music student", "lin_house", "oak_hill_college",
         "composing music", "08:30", "10:00-16:00", "07:30", "23:30"),
        ("tom", "Tom Moreno", "shopkeeper", "moreno_house", "willows_market",
         "stocking shelves", "07:00", "08:00-17:00", "06:00", "22:00"),
        ("jane", "Jane Moreno", "homemaker", "moreno_house", "willows_market",
         "shopping", "09:00", "10:00-11:00", "07:00", "22:00"),
        ("carmen", "Carmen Ortiz", "supply store clerk", "taylor_house", "harvey_oak_supply",
         "running the till", "07:30", "08:00-16:00", "06:30", "22:00"),
        ("tamara", "Tamara Taylor", "children's book author", "taylor_house", "hobbs_cafe",
         "writing at a corner table", "09:00", "10:00-14:00", "08:00", "23:00"),
        ("arthur", "Arthur Burton", "bartender", "burton_flat", "rose_and_crown",
         "tending the bar", "12:00", "13:00-23:00", "10:00", "23:59"),
        ("ryan", "Ryan Park", "software engineer", "dorm", "hobbs_cafe",
         "coding on a laptop", "09:00", "09:00-17:00", "08:00", "23:30"),
        ("yuriko", "Yuriko Yamamoto", "tax lawyer", "yamamoto_house", "town_hall",
         "working on tax cases", "08:00", "09:00-17:00", "07:00", "22:30"),
        ("adam", "Adam Smith", "philosopher", "yamamoto_house", "johnson_park",
         "thinking about the meaning of things", "09:00", "10:00-12:00", "08:00", "23:00"),
        ("hailey", "Hailey Johnson", "writer", "artists_coliving", "hobbs_cafe",
         "writing a novel", "09:00", "10:00-15:00", "08:00", "23:00"),
        ("abigail", "Abigail Chen", "digital artist", "artists_coliving", "artists_coliving",
         "animating", "09:00", "09:00-17:00", "08:00", "23:30"),
        ("francisco", "Francisco Lopez", "actor and comedian", "artists_coliving",
         "rose_and_crown", "rehearsing", "12:00", "14:00-17:00", "09:00", "23:59"),
        ("latoya", "Latoya Williams", "photographer", "artists_coliving", "johnson_park",
         "taking photographs", "09:00", "10:00-15:00", "08:00", "23:00"),
        ("rajiv", "Rajiv Patel", "painter", "artists_coliving", "artists_coliving",
         "painting in the studio", "10:00", "10:00-16:00", "09:00", "23:59"),
        ("carlos", "Carlos Gomez", "poet", "moreno_house", "hobbs_cafe",
         "writing poems", "10:00", "11:00-14:00", "08:30", "23:00"),
        ("giorgio", "Giorgio Rossi", "mathematician", "burton_flat", "town_hall",
         "working on proofs", "08:30", "09:00-16:00", "07:30", "22:30"),
    ]
    evenings = ["rose_and_crown", "hobbs_cafe", "johnson_park", "willows_market"]
    people = []
    for i, (pid, name, role, home, work, act, _lunch, hours, wake, sleep) in enumerate(p):
        start, end = hours.split("-")
        routine = [(wk, start, end, work, act),
                   ("daily", "12:00", "13:00", "hobbs_cafe" if i % 3 else "willows_market",
                    "having lunch"),
                   ("daily", "19:00", "21:00", evenings[i % len(evenings)], "unwinding")]
        if work in ("johnson_park", "artists_coliving"):
            routine[0] = ("daily", start, end, work, act)
        persona = f"{name} is a {role} in Smallville who likes {act}."
        people.append((pid, name, role, persona, home, routine, wake, sleep))
    rel: dict[str, dict[str, tuple[float, str]]] = {}
    for group, aff, label in [
        (["john", "mei", "eddy"], 0.8, "family"), (["tom", "jane"], 0.7, "spouse"),
        (["sam", "jennifer"], 0.8, "spouse"), (["yuriko", "adam"], 0.6, "partner"),
        (["carmen", "tamara"], 0.6, "housemate"),
        (["klaus", "maria"], 0.6, "friend"), (["maria", "ayesha"], 0.5, "classmate"),
        (["abigail", "rajiv", "latoya"], 0.4, "housemate"),
        (["hailey", "francisco"], 0.4, "housemate"),
        (["isabella", "maria"], 0.6, "friend"), (["isabella", "tamara"], 0.3, "regular"),
        (["isabella", "klaus"], 0.3, "regular"), (["isabella", "ryan"], 0.3, "regular"),
        (["john", "tom"], 0.3, "neighbour"), (["jane", "mei"], 0.3, "neighbour"),
        (["arthur", "francisco"], 0.4, "colleague"), (["arthur", "giorgio"], 0.4, "lodger"),
        (["wolfgang", "klaus"], 0.4, "classmate"), (["mei", "klaus"], 0.3, "teacher"),
        (["eddy", "ayesha"], 0.3, "classmate"), (["sam", "tom"], 0.3, "old friend"),
        (["carlos", "hailey"], 0.4, "fellow writer"), (["yuriko", "giorgio"], 0.3, "colleague"),
        (["carlos", "jane"], 0.3, "lodger"),
    ]:
        _link(rel, group, aff, label)
    _colleagues(rel, people)
    facts = [
        {"id": _q("candidacy"),
         "text": _q("Sam Moore is running for mayor of Smallville in the local election."),
         "importance": 5, "about": '["sam"]', "known_by": '["sam"]', "volunteers": "true"},
        {"id": _q("valentines_party"),
         "text": _q("Isabella Rodriguez is throwing a Valentine's Day party at Hobbs Cafe "
                    "tomorrow, from five to seven in the evening."),
         "importance": 6, "about": '["isabella"]', "known_by": '["isabella"]',
         "event": '{ place = "hobbs_cafe", day = 2, start = "17:00", end = "19:00", '
                  'host = "isabella" }'},
    ]
    return {"id": "smallville", "title": "Smallville",
            "intro": "A small town with a cafe, a pub, a college and a park.",
            "locations": locations, "people": people, "relationships": rel, "facts": facts}


def harbour() -> dict[str, Any]:
    locations = [
        ("quay", "The Quay", "public", (300, 420), ""),
        ("boats", "The fishing boats", "public", (120, 520), ""),
        ("fish_market", "The Fish Market", "public", (360, 330), "06:00-15:00"),
        ("anchor_inn", "The Anchor Inn", "public", (480, 300), "11:00-24:00"),
        ("chandlery", "Pike's Chandlery", "public", (260, 260), "07:00-18:00"),
        ("net_loft", "The Net Loft", "public", (180, 330), "06:00-19:00"),
        ("chapel", "Chapel and hall", "public", (560, 160), "06:00-23:00"),
        ("school", "Harbour school", "public", (620, 240), "07:30-16:30"),
        ("bakery", "Morrow's Bakery", "public", (420, 200), "04:00-17:00"),
        ("harbour_office", "Harbour Office", "public", (220, 460), "07:00-17:00"),
        ("lighthouse", "The Lighthouse", "private", (40, 380), ""),
        ("row_cottages", "Row Cottages", "private", (340, 80), ""),
        ("hill_house", "Hill House", "private", (680, 80), ""),
        ("smokehouse_lane", "Smokehouse Lane", "private", (120, 160), ""),
        ("inn_rooms", "Rooms above the Anchor", "private", (520, 380), ""),
    ]
    p: list[tuple[Any, ...]] = [
        ("edda", "Edda Crane", "net-mender", "row_cottages", "net_loft", "mending nets",
         "06:00", "15:00", "05:30", "21:30"),
        ("bran", "Bran Tully", "innkeeper", "inn_rooms", "anchor_inn", "keeping the inn",
         "11:00", "23:59", "08:00", "23:59"),
        ("hal", "Hal Morrow", "baker", "row_cottages", "bakery", "baking",
         "04:30", "13:00", "04:00", "20:30"),
        ("nell", "Nell Morrow", "baker's wife", "row_cottages", "bakery", "selling bread",
         "07:00", "15:00", "06:00", "21:30"),
        ("jory", "Jory Pike", "chandler", "smokehouse_lane", "chandlery", "selling rope",
         "07:00", "18:00", "06:00", "22:00"),
        ("ada", "Ada Pike", "chandler's daughter", "smokehouse_lane", "chandlery",
         "keeping the books", "09:00", "16:00", "07:30", "22:30"),
        ("tam", "Tam Reddy", "skipper", "smokehouse_lane", "boats", "fishing",
         "05:00", "12:00", "04:30", "21:00"),
        ("owen", "Owen Reddy", "deckhand", "smokehouse_lane", "boats", "hauling nets",
         "05:00", "12:00", "04:30", "21:30"),
        ("kit", "Kit Sallow", "deckhand", "row_cottages", "boats", "gutting the catch",
         "05:00", "12:00", "04:30", "22:00"),
        ("rhys", "Rhys Bell", "skipper", "hill_house", "boats", "fishing",
         "05:00", "13:00", "04:30", "21:00"),
        ("marn", "Marn Bell", "fish seller", "hill_house", "fish_market", "selling fish",
         "07:00", "14:00", "06:00", "21:30"),
        ("ivo", "Ivo Gale", "fish buyer", "inn_rooms", "fish_market", "buying the catch",
         "11:00", "15:00", "08:00", "23:00"),
        ("sorcha", "Sorcha Lyle", "schoolteacher", "hill_house", "school", "teaching",
         "08:00", "16:00", "07:00", "22:30"),
        ("dev", "Dev Lyle", "harbourmaster's clerk", "hill_house", "harbour_office",
         "logging boats", "08:00", "16:00", "07:00", "22:30"),
        ("maud", "Maud Frey", "harbourmaster", "hill_house", "harbour_office",
         "running the harbour", "07:00", "15:00", "06:00", "22:00"),
        ("piet", "Piet Frey", "lighthouse keeper", "lighthouse", "lighthouse", "tending the lamp",
         "18:00", "23:00", "10:00", "23:59"),
        ("agna", "Agna Rowe", "chaplain", "row_cottages", "chapel", "keeping the chapel",
         "08:00", "16:00", "06:30", "22:00"),
        ("lew", "Lew Rowe", "boatbuilder", "row_cottages", "quay", "caulking hulls",
         "07:00", "16:00", "06:00", "21:30"),
        ("fen", "Fen Doyle", "smoker of fish", "smokehouse_lane", "quay", "smoking herring",
         "06:00", "14:00", "05:30", "21:30"),
        ("bea", "Bea Doyle", "school cook", "smokehouse_lane", "school", "cooking",
         "08:00", "14:00", "06:30", "21:30"),
        ("col", "Col Hart", "retired skipper", "row_cottages", "quay", "telling old stories",
         "10:00", "13:00", "07:00", "22:00"),
        ("ysolde", "Ysolde Hart", "seamstress", "row_cottages", "net_loft", "sewing sails",
         "08:00", "15:00", "07:00", "22:00"),
        ("gil", "Gil Varro", "carter", "inn_rooms", "quay", "carting fish inland",
         "09:00", "16:00", "07:00", "22:30"),
        ("nia", "Nia Varro", "barmaid", "inn_rooms", "anchor_inn", "serving ale",
         "16:00", "23:59", "10:00", "23:59"),
        ("oona", "Oona Crane", "apprentice net-mender", "row_cottages", "net_loft",
         "learning the knots", "07:00", "14:00", "06:00", "22:00"),
    ]
    people = []
    for i, (pid, name, role, home, work, act, start, end, wake, sleep) in enumerate(p):
        routine = [("daily" if work in ("boats", "lighthouse", "anchor_inn") else "weekdays",
                    start, end, work, act)]
        if start >= "11:00":
            routine.append(("daily", "09:00", "10:00", "bakery", "buying bread"))
        else:
            routine.append(("daily", min(end, "16:00"), "17:00",
                            ["net_loft", "quay", "bakery", "chandlery"][i % 4], "errands"))
        if sleep > "21:30" and start < "16:00":
            routine.append(("daily", "19:30", "21:00",
                            ["anchor_inn", "quay", "chapel"][i % 3], "passing the evening"))
        persona = f"{name} is the {role} of Saltmarsh Harbour, mostly {act}."
        people.append((pid, name, role, persona, home, routine, wake, sleep))
    rel: dict[str, dict[str, tuple[float, str]]] = {}
    for group, aff, label in [
        (["hal", "nell"], 0.8, "spouse"), (["jory", "ada"], 0.8, "family"),
        (["tam", "owen"], 0.8, "family"), (["rhys", "marn"], 0.7, "spouse"),
        (["sorcha", "dev"], 0.7, "spouse"), (["maud", "piet"], 0.6, "sibling"),
        (["agna", "lew"], 0.7, "spouse"), (["fen", "bea"], 0.7, "spouse"),
        (["col", "ysolde"], 0.7, "spouse"), (["gil", "nia"], 0.6, "sibling"),
        (["edda", "oona"], 0.8, "family"), (["tam", "kit"], 0.5, "crew"),
        (["owen", "kit"], 0.4, "crew"), (["maud", "dev"], 0.4, "colleague"),
        (["bran", "nia"], 0.5, "employer"), (["ivo", "marn"], 0.3, "trade"),
        (["edda", "ysolde"], 0.4, "colleague"), (["col", "lew"], 0.3, "old friend"),
        (["sorcha", "bea"], 0.3, "colleague"), (["bran", "col"], 0.4, "regular"),
        (["bran", "ivo", "gil", "nia"], 0.3, "lodger"), (["maud", "agna", "sorcha"], 0.3,
                                                        "parish committee"),
        (["col", "tam", "rhys"], 0.3, "old crew"), (["hal", "edda", "col"], 0.3, "neighbour"),
        (["jory", "fen", "bea"], 0.3, "neighbour"),
    ]:
        _link(rel, group, aff, label)
    _colleagues(rel, people)
    facts = [
        {"id": _q("candidacy"),
         "text": _q("Edda Crane means to stand for harbourmaster when Maud Frey steps down."),
         "importance": 5, "about": '["edda"]', "known_by": '["edda"]', "volunteers": "true"},
        {"id": _q("harvest_supper"),
         "text": _q("Bran Tully is giving a harvest supper at the Anchor Inn tomorrow, from "
                    "six to eight in the evening, and everyone is welcome."),
         "importance": 6, "about": '["bran"]', "known_by": '["bran"]',
         "event": '{ place = "anchor_inn", day = 2, start = "18:00", end = "20:00", '
                  'host = "bran" }'},
    ]
    return {"id": "saltmarsh", "title": "Saltmarsh Harbour",
            "intro": "A fishing harbour: boats at dawn, a fish market at noon, an inn at night.",
            "locations": locations, "people": people, "relationships": rel, "facts": facts}


def main() -> None:
    _write(HERE / "smallville.toml", smallville())
    _write(HERE / "harbour.toml", harbour())


if __name__ == "__main__":
    main()

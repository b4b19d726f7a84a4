"""The writer's commands as a writer runs them: validate, schema, simulate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "story" / "main.toml"


def hindsight(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_simulate_main_is_deterministic_and_seed_sensitive() -> None:
    runs = [json.loads(hindsight("simulate", str(MAIN), "--days", "14", "--json",
                                 *seed).stdout) for seed in ([], [], ["--seed", "4242"])]
    a, b, c = runs
    assert a["days"] == 14 and a["events"] > 1000
    assert a["digest"] == b["digest"]
    assert c["digest"] != a["digest"]
    kinds = {e["kind"] for day in a["chronicle"] for e in day["events"]}
    assert {"talk", "fact_spread", "plot"} <= kinds


def test_simulate_prints_a_chronicle_and_a_summary_table() -> None:
    out = hindsight("simulate", "story/tutorial.toml", "--days", "2")
    assert out.returncode == 0, out.stderr
    assert "Day 1" in out.stdout and "talks" in out.stdout and "digest" in out.stdout


def test_validate_exit_codes(tmp_path: Path) -> None:
    good = hindsight("validate", "story/tutorial.toml", "story/main.toml")
    assert good.returncode == 0, good.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text((ROOT / "story" / "tutorial.toml").read_text().replace(
        'home = "corin_hut"', 'home = "corin_hutt"'))
    bad = hindsight("validate", str(broken))
    assert bad.returncode == 1
    assert "characters[3].home" in bad.stdout and "corin_hutt" in bad.stdout
    simulate_bad = hindsight("simulate", str(broken), "--days", "1")
    assert simulate_bad.returncode == 2 and "corin_hutt" in simulate_bad.stderr
    assert len(simulate_bad.stderr.strip().splitlines()) == 1


def test_schema_is_json_schema_for_story_files() -> None:
    schema = json.loads(hindsight("schema").stdout)
    assert set(schema["properties"]) >= {"scenario", "locations", "characters", "plots"}

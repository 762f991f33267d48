#!/usr/bin/env python3
"""Regression guards for CI: scores the seed and GGT outputs with the shared scorers and
fails when a score drops below its floor.

    python3 check_scores.py SHARED_DIR SEED_OUT GGT_OUT
"""
import json
import subprocess
import sys

# Floors: the acceptance levels of issues 3 and 4 (seed actors, roles, statements, stance,
# targets; GGT quotes F1 at overlap 0.3 and speaker accuracy).
SEED_FLOORS = {"actors": 0.95, "roles_affiliations": 0.90, "statements": 0.90,
               "stance_accuracy": 0.90, "targets": 0.80}
GGT_FLOORS = {"f1": 0.85, "speaker": 0.90}


def scored(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    shared, seed_out, ggt_out = sys.argv[1:4]
    seed = scored([sys.executable, f"{shared}/eval/score.py", "--gold", f"{shared}/gold",
                   "--out", seed_out, "--json"])
    got = {"actors": seed["actors"]["f1"], "roles_affiliations": seed["roles_affiliations"],
           "statements": seed["statements"]["f1"], "stance_accuracy": seed["stance_accuracy"],
           "targets": seed["targets"]["f1"]}
    ggt = scored([sys.executable, f"{shared}/eval/score_quotes.py", "--gold",
                  f"{shared}/dev/ggt/gold_quotes.jsonl", "--out", ggt_out, "--json"])["0.3"]
    failed = []
    for name, floor in SEED_FLOORS.items():
        ok = got[name] >= floor
        print(f"seed {name:<20} {got[name]:.3f}  (floor {floor:.2f}) {'ok' if ok else 'BELOW'}")
        failed += [] if ok else [name]
    for name, floor in GGT_FLOORS.items():
        ok = ggt[name] >= floor
        print(f"ggt  {name:<20} {ggt[name]:.3f}  (floor {floor:.2f}) {'ok' if ok else 'BELOW'}")
        failed += [] if ok else [f"ggt {name}"]
    meetings = 0
    with open(f"{seed_out}/events.jsonl", encoding="utf-8") as f:
        meetings = sum(1 for line in f if json.loads(line).get("type") == "meet")
    print(f"seed meetings found     {meetings}  (floor 2) {'ok' if meetings >= 2 else 'BELOW'}")
    if meetings < 2:
        failed.append("meetings")
    if failed:
        sys.exit("score regression: " + ", ".join(failed))


if __name__ == "__main__":
    main()

"""Regenerates odcat.json and every sample dataset, in order. Usage: python3 generate.py"""
import runpy
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["gen_catalog.py", "gen_aed.py", "gen_evacuation.py", "gen_facilities.py",
           "gen_tourism_wifi.py", "gen_population.py", "gen_events_parks.py", "gen_schools.py",
           "gen_environment.py", "gen_childcare.py"]

if __name__ == "__main__":
    sys.path.insert(0, HERE)
    for s in SCRIPTS:
        runpy.run_path(os.path.join(HERE, s), run_name="__main__")

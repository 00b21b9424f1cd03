"""Run every benchmark in bench/ and print its figures."""

import runpy
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("*.py")):
    if script.name not in {"run_all.py", "one_line_app.py"} and not script.name.startswith("_"):
        print(f"== {script.name}")
        runpy.run_path(str(script), run_name="__main__")

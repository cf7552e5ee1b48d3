"""Re-checks every dataset on disk: JSON, required keys, licences, CSV rows against schemas,
e-mail and URL domains. Prints one line per resource. Usage: python3 verify.py"""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DATASETS, ROOT, check_csv  # noqa: E402

cat = json.load(open(os.path.join(ROOT, "odcat.json"), encoding="utf-8"))
bad = []
omit = []
for dp in sorted(glob.glob(os.path.join(DATASETS, "*", "datapackage.json"))):
    d = os.path.dirname(dp)
    slug = os.path.basename(d)
    pkg = json.load(open(dp, encoding="utf-8"))
    if pkg.get("name") != slug or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        bad.append(f"{slug}: name")
    for k in ("title", "description", "keywords", "resources", "publisher"):
        if k not in pkg:
            bad.append(f"{slug}: no {k}")
    if pkg.get("publisher") not in cat["publishers"]:
        bad.append(f"{slug}: unknown publisher")
    if "licenses" not in pkg and "contactPoint" not in pkg:
        omit.append(slug)
    readme = open(os.path.join(d, "README.md"), encoding="utf-8").read()
    if "## English" not in readme or "架空" not in readme or "synthetic" not in readme:
        bad.append(f"{slug}: README")
    lic = ",".join(x["name"] for x in pkg.get("licenses", [])) or "(default)"
    print(f"{slug}  [{pkg['publisher']}, {lic}]")
    for r in pkg["resources"]:
        p = r["path"]
        if p.startswith("https://"):
            n = "url"
        elif r.get("format") == "csv":
            n = check_csv(os.path.join(d, p), r["schema"], r.get("encoding", "utf-8"))
        elif r.get("format") == "geojson":
            n = len(json.load(open(os.path.join(d, p), encoding="utf-8"))["features"])
        else:
            n = f"{os.path.getsize(os.path.join(d, p))} bytes"
        print(f"    {p}  {r.get('format')}  {r.get('encoding', '-')}  {n}")
# domains: every e-mail @example.jp, every http(s) URL www.example.jp (licence/spec links aside)
allowed = ("https://www.example.jp/", "https://opendata.example.jp/", "https://creativecommons.org/",
           "https://www.digital.go.jp/", "https://specs.frictionlessdata.io/")
for f in glob.glob(os.path.join(DATASETS, "**", "*"), recursive=True) + [os.path.join(ROOT, "odcat.json")]:
    if os.path.isdir(f) or f.endswith(".pdf"):
        continue
    raw = open(f, "rb").read()
    text = raw.decode("cp932") if "aed" in f and f.endswith(".csv") else raw.decode("utf-8-sig")
    for m in re.findall(r"[\w.+-]+@[\w.-]+", text):
        if not m.endswith("@example.jp"):
            bad.append(f"{f}: e-mail {m}")
    for m in re.findall(r"https?://[^\s\"',)|]+", text):
        if not m.startswith(allowed):
            bad.append(f"{f}: URL {m}")
print("omit licenses+contactPoint:", ", ".join(omit))
print("\n".join(bad) if bad else "verify: OK")
sys.exit(1 if bad else 0)

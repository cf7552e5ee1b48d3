"""Writes datapackage.json and README.md for one dataset, after checking its files."""
import json
import os

from common import DATASETS, SPATIAL, SYNTH_EN, SYNTH_JA, check_csv, write_bytes, write_json

KEY_ORDER = ["name", "title", "description", "keywords", "licenses", "publisher", "contactPoint",
             "theme", "category", "spatial", "temporal", "accrualPeriodicity", "issued",
             "modified", "version", "conformsTo", "resources"]

CATALOG = os.path.join(os.path.dirname(DATASETS), "odcat.json")


def _dept(pid):
    with open(CATALOG, encoding="utf-8") as f:
        pubs = json.load(f)["publishers"]
    assert pid in pubs, f"unknown publisher {pid}"
    return pubs[pid]


def _count(d, res):
    """Row count for a CSV, feature count for GeoJSON, None otherwise; checks files exist."""
    p = res["path"]
    if p.startswith("https://"):
        return None
    full = os.path.join(d, p)
    assert os.path.isfile(full), f"missing resource file {full}"
    if res.get("format") == "csv":
        return check_csv(full, res["schema"], res.get("encoding", "utf-8"))
    if res.get("format") == "geojson":
        with open(full, encoding="utf-8") as f:
            g = json.load(f)
        assert g["type"] == "FeatureCollection"
        return len(g["features"])
    return None


def _table(resources, counts, lang):
    head = {"ja": "| ファイル | 内容 | 形式 | 文字コード | 件数 |\n| --- | --- | --- | --- | ---: |",
            "en": "| File | Contents | Format | Encoding | Rows |\n| --- | --- | --- | --- | ---: |"}[lang]
    lines = [head]
    for r, n in zip(resources, counts):
        p = r["path"]
        name = f"[API]({p})" if p.startswith("https://") else f"`{p}`"
        lines.append(f"| {name} | {r['title'][lang]} | {r['format'].upper()} | "
                     f"{r.get('encoding', '-')} | {'-' if n is None else f'{n:,}'} |")
    return "\n".join(lines)


def finish(slug, meta, ja_body, en_body):
    """meta: datapackage keys (without name); ja_body/en_body: Markdown for each language."""
    d = os.path.join(DATASETS, slug)
    meta = dict(meta, name=slug)
    meta.setdefault("spatial", SPATIAL)
    unknown = set(meta) - set(KEY_ORDER)
    assert not unknown, unknown
    pkg = {k: meta[k] for k in KEY_ORDER if k in meta}
    for k in ("title", "description", "keywords", "resources"):
        assert k in pkg, f"{slug}: {k} missing"
    dept = _dept(pkg["publisher"])
    counts = [_count(d, r) for r in pkg["resources"]]
    write_json(os.path.join(d, "datapackage.json"), pkg)
    link = dept.get("homepage", "https://www.example.jp/")
    md = [f"# {pkg['title']['ja']}", "", f"> {SYNTH_JA}", "", ja_body.strip(), "",
          "## ファイル", "", _table(pkg["resources"], counts, "ja"), "",
          f"問い合わせ先: [{dept['name']['ja']}]({link})", "",
          "## English", "", f"**{pkg['title']['en']}**", "", f"> {SYNTH_EN}", "",
          en_body.strip(), "", "### Files", "", _table(pkg["resources"], counts, "en"), "",
          f"Contact: [{dept['name']['en']}]({link})", ""]
    write_bytes(os.path.join(d, "README.md"), "\n".join(md).encode("utf-8"))
    summary = ", ".join(f"{r['path']}={'-' if n is None else n}"
                        for r, n in zip(pkg["resources"], counts))
    print(f"{slug}: {summary}")
    return counts

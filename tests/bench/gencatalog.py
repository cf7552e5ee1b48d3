#!/usr/bin/env python3
"""gencatalog.py — a synthetic odcat catalogue in a new git repository.

    gencatalog.py DIR N ROWS

writes DIR/odcat.json and N datasets datasets/ds-00001 ... each with a
README.md, a datapackage.json with an inline Table Schema and a CSV of ROWS
data rows, plus one dataset "wards" that every tenth dataset references by
a foreign key (reference.package), and commits everything (fixed dates, so
the commit is the same on every run). Values are made up and deterministic.
Used by the build-speed bench (mk/bench-build.mk) and by the cache, jobs and
atomic-output test suites with small N.
"""
import os
import subprocess
import sys

WARDS = ["141311", "141321", "141330", "141341", "141351", "141361", "141371"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def dataset(root, i, rows):
    slug = "ds-%05d" % i
    fk = i % 10 == 0
    fields = [
        '{"name": "id", "type": "integer", "constraints": {"required": true, "unique": true}}',
        '{"name": "name", "type": "string"}',
        '{"name": "ward_code", "type": "string"}',
        '{"name": "value", "type": "number"}',
        '{"name": "date", "type": "date"}',
    ]
    fkeys = (',\n      "foreignKeys": [{"fields": ["ward_code"], "reference": '
             '{"package": "wards", "resource": "wards", "fields": ["code"]}}]') if fk else ""
    write(os.path.join(root, "datasets", slug, "datapackage.json"), """{
  "name": "%s",
  "title": {"ja": "合成データセット %d", "en": "Synthetic dataset %d"},
  "description": {"ja": "ベンチマーク用に生成した合成データです。値は実在しません。区ごとの件数と数値を日付とともに記録しています。",
                  "en": "Synthetic data generated for the build benchmark; the values are made up, one row per record with a ward, a value and a date."},
  "keywords": {"ja": ["合成", "ベンチマーク"], "en": ["synthetic", "benchmark"]},
  "publisher": "bench",
  "modified": "2025-03-%02d",
  "resources": [
    {"name": "data", "path": "data.csv", "format": "csv", "encoding": "utf-8",
     "schema": {"fields": [%s],
      "primaryKey": ["id"]%s}}
  ]
}
""" % (slug, i, i, 1 + i % 28, ",\n        ".join(fields), fkeys))
    write(os.path.join(root, "datasets", slug, "README.md"),
          "# 合成データセット %d\n\nベンチマーク用の合成データです。\n\n"
          "| 列 | 意味 |\n| --- | --- |\n| id | 番号 |\n| value | 値 |\n\n"
          "- 値は実在しません\n- 毎月更新の想定です\n" % i)
    lines = ["id,name,ward_code,value,date"]
    for r in range(1, rows + 1):
        lines.append("%d,item %d-%d,%s,%d.%02d,2025-%02d-%02d" % (
            r, i, r, WARDS[(i + r) % 7], (i * 7919 + r * 104729) % 100000, r % 100,
            1 + r % 12, 1 + r % 28))
    write(os.path.join(root, "datasets", slug, "data.csv"), "\n".join(lines) + "\n")


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gencatalog.py DIR N ROWS")
    root, n, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(root, exist_ok=True)
    write(os.path.join(root, "odcat.json"), """{
  "title": {"ja": "合成カタログ", "en": "Synthetic catalogue"},
  "description": {"ja": "ベンチマーク用", "en": "For the benchmark"},
  "base_url": "https://bench.example.jp/",
  "languages": ["ja", "en"],
  "publisher": {"name": {"ja": "合成市", "en": "Synthetic City"}, "code": "141305"},
  "publishers": {"bench": {"name": {"ja": "計測課", "en": "Bench Division"}, "email": "bench@example.jp"}},
  "license": "CC-BY-4.0",
  "contactPoint": {"name": "窓口", "email": "desk@example.jp"}
}
""")
    write(os.path.join(root, "datasets", "wards", "datapackage.json"), """{
  "name": "wards",
  "title": {"ja": "区の一覧", "en": "Wards"},
  "description": {"ja": "市内の区のコードと名前の一覧です。ほかのデータセットが区のコードを外部キーとして参照し、存在しない区のコードを見つけるために使います。",
                  "en": "The ward codes and names, which other datasets reference by foreign key."},
  "keywords": ["wards"],
  "publisher": "bench",
  "modified": "2025-01-01",
  "resources": [{"name": "wards", "path": "wards.csv", "format": "csv",
    "schema": {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}],
               "primaryKey": ["code"]}}]
}
""")
    write(os.path.join(root, "datasets", "wards", "wards.csv"),
          "code,name\n" + "".join("%s,ward %d\n" % (c, k) for k, c in enumerate(WARDS)))
    for i in range(1, n + 1):
        dataset(root, i, rows)
    env = dict(os.environ, GIT_AUTHOR_DATE="2025-04-01T09:00:00+09:00",
               GIT_COMMITTER_DATE="2025-04-01T09:00:00+09:00")
    def git(*a):
        subprocess.run(["git", "-C", root] + list(a), check=True, env=env,
                       stdout=subprocess.DEVNULL)
    git("init", "-q", "-b", "main")
    git("config", "user.name", "Bench")
    git("config", "user.email", "bench@example.jp")
    git("config", "commit.gpgsign", "false")
    git("add", "-A")
    git("commit", "-q", "-m", "synthetic catalogue")


if __name__ == "__main__":
    main()

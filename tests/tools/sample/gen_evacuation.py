"""evacuation-sites: standard schema, UTF-8 with BOM and CRLF, plus a URL-only API resource."""
import os

from common import (CITY, CITY_CODE, CONFORMS, LIC_CCBY, PREF, WARDS, address, contact, csv_res,
                    fresh_dir, phone, point, rng, std_schema, url, write_csv)
from package import finish

SLUG = "evacuation-sites"
KINDS = [("小学校", "ショウガッコウ", True, 800, 1500), ("中学校", "チュウガッコウ", True, 900, 1800),
         ("公園", "コウエン", False, 2000, 12000), ("高等学校", "コウトウガッコウ", True, 1000, 2000),
         ("市民館", "シミンカン", True, 300, 600)]
# mean elevation (m) by ward: the bay side is low, the western hills are high
ELEV = {"141313": (1, 5), "141321": (3, 9), "141330": (4, 12), "141348": (8, 40),
        "141364": (30, 80), "141356": (10, 70), "141372": (40, 100)}


def rows():
    r = rng(SLUG)
    out = []
    n = 0
    for w in WARDS:
        for i in range(12):
            n += 1
            t = w.towns[i % len(w.towns)]
            kind = KINDS[i % len(KINDS)] if i < 10 else KINDS[2]
            suffix = "第二" if i >= len(w.towns) else ""
            suffix_k = "ダイニ" if suffix else ""
            name = f"{t[0]}{suffix}{kind[0]}"
            kana = f"{t[1]}{suffix_k}{kind[1]}"
            lat, lon = point(r, w)
            lo, hi = ELEV[w.code]
            elev = round(r.uniform(lo, hi), 1)
            hz = {
                "洪水": elev >= 8, "崖": kind[0] != "公園" or elev < 30, "高潮": elev >= 5,
                "地震": True, "津波": elev >= 10, "火事": kind[0] == "公園" or r.random() < 0.5,
                "内水": elev >= 6,
            }
            towns = r.sample(w.towns, 2)
            out.append([
                f"{n:03d}", name, kana, address(r, w, t), "" if r.random() < 0.7 else "体育館",
                lat, lon, f"{elev}", phone(r, w), "", CITY_CODE, PREF, CITY,
                *["1" if hz[k] else "" for k in ("洪水", "崖", "高潮", "地震", "津波", "火事", "内水")],
                "",  # no volcanic hazard in the city
                "1" if kind[2] else "",
                r.randint(kind[3] // 100, kind[4] // 100) * 100,
                ";".join(f"{x[0]}町内会" for x in towns),
                url(f"kiki-kanri/hinan/{n:03d}.html"),
                "" if r.random() < 0.8 else "駐車場は利用できません",
            ])
    return out


def main():
    d = fresh_dir(SLUG)
    sch = std_schema("evacuation-space")
    write_csv(os.path.join(d, "141305_evacuation_space.csv"), sch, rows(), bom=True, crlf=True)
    meta = {
        "title": {"ja": "指定緊急避難場所一覧", "en": "Designated emergency evacuation sites"},
        "description": {
            "ja": "洪水・土砂災害・地震・津波など災害の種類ごとに市が指定した緊急避難場所の所在地、収容人数、連絡先の一覧です。",
            "en": "Emergency evacuation sites designated by the city, with the hazards each one is safe for.",
        },
        "keywords": {"ja": ["防災", "避難場所", "災害", "推奨データセット"],
                     "en": ["disaster prevention", "evacuation", "hazard", "standard dataset"]},
        "licenses": [LIC_CCBY],
        "publisher": "kiki-kanri",
        "contactPoint": contact("危機管理本部 危機管理部", "Crisis Management Headquarters", "bousai@example.jp"),
        "theme": ["GOVE", "SOCI"],
        "category": "防災",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "irregular",
        "issued": "2018-06-01",
        "modified": "2025-06-01",
        "version": "2025.2",
        "conformsTo": CONFORMS,
        "resources": [
            csv_res("evacuation-space", "指定緊急避難場所一覧", "Designated emergency evacuation sites",
                    "141305_evacuation_space.csv", sch, "utf-8"),
            {"name": "evacuation-status-api",
             "title": {"ja": "避難場所の開設状況（API）", "en": "Opening status of evacuation sites (API)"},
             "path": "https://www.example.jp/api/evacuation-sites/status", "format": "json",
             "mediatype": "application/json"},
        ],
    }
    finish(SLUG, meta, """
推奨データセット「指定緊急避難場所一覧」の形式です。災害種別の列は、その災害に対応する場合に `1`、
対応しない場合は空欄です。

## 使い方の注意

1. 避難の際は、災害の種類に対応した避難場所を選んでください。
2. 開設状況は API（JSON）で確認できます。
3. CSV は Excel で開きやすいよう **BOM 付き UTF-8・CRLF 改行** で保存しています。

ハザードマップは [防災のページ](https://www.example.jp/kiki-kanri/hazardmap/) を参照してください。
""", """
Data in the format of the recommended dataset "Designated emergency evacuation sites". A hazard column
holds `1` when the site is safe for that hazard and is blank otherwise.

1. Choose a site suited to the hazard.
2. The opening status is available from a JSON API.
3. The CSV is **UTF-8 with BOM and CRLF line endings**, so that Excel opens it correctly.

See the [hazard maps](https://www.example.jp/kiki-kanri/hazardmap/).
""")


if __name__ == "__main__":
    main()

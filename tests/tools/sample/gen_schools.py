"""schools: elementary and junior high school CSVs plus a GeoJSON of school districts."""
import json
import os

from common import (BBOX, LIC_CCBY, WARD_CODES, WARD_NAMES, WARDS, address, contact, csv_res, fld,
                    fresh_dir, phone, point, rng, schema, url, write_bytes, write_csv)
from package import finish

SLUG = "schools"


def school_schema(kind):
    letter, pupils, mx = ("B", "児童数", 1500) if kind == "elem" else ("C", "生徒数", 1200)
    fields = [
        fld("学校コード", "string", "School code", "文部科学省の学校コード（13桁）", required=True,
            pattern=f"^{letter}1[0-9]{{11}}$"),
        fld("学校名", "string", "School name", required=True),
        fld("学校名_カナ", "string", "School name (katakana)", required=True, pattern="^[ァ-ヶー]+$"),
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("区コード", "string", "Ward code", required=True, enum=WARD_CODES),
        fld("住所", "string", "Address", required=True),
        fld("緯度", "number", "Latitude", required=True, minimum=BBOX[1], maximum=BBOX[3]),
        fld("経度", "number", "Longitude", required=True, minimum=BBOX[0], maximum=BBOX[2]),
        fld("電話番号", "string", "Telephone", pattern="^044-[0-9]{3}-[0-9]{4}$"),
        fld(pupils, "integer", "Pupils", "5月1日現在", required=True, minimum=0, maximum=mx),
        fld("学級数", "integer", "Classes", required=True, minimum=1, maximum=50),
        fld("特別支援学級", "string", "Special-needs class", required=True, enum=["有", "無"]),
        fld("創立年", "integer", "Year founded", required=True, minimum=1873, maximum=2025),
    ]
    if kind == "elem":
        fields.append(fld("中学校区", "string", "Junior high school district", "進学先の中学校の学校コード",
                          required=True, pattern="^C1[0-9]{11}$"))
    fields.append(fld("URL", "string", "Web page", uri=True))
    s = schema(fields, pk=["学校コード"])
    if kind == "elem":
        s["foreignKeys"] = [{"fields": ["中学校区"],
                             "reference": {"resource": "junior-high-schools", "fields": ["学校コード"]}}]
    return s


def build():
    r = rng(SLUG)
    elem, jhs, features = [], [], []
    ne = nj = 0
    for w in WARDS:
        ward_jhs = []
        for i in range(6):
            nj += 1
            t = w.towns[i]
            code = f"C114210{nj:05d}0"
            lat, lon = point(r, w)
            n = r.randint(300, 950)
            jhs.append([code, f"川崎市立{t[0]}中学校", f"カワサキシリツ{t[1]}チュウガッコウ", w.ja, w.code,
                        address(r, w, t), lat, lon, phone(r, w), n, max(1, n // 33) + r.randint(1, 3),
                        "有" if r.random() < 0.8 else "無", r.choice([1947, 1947, 1960, 1972, 1985]),
                        url(f"kyoiku/school/{code}.html")])
            ward_jhs.append((code, t, float(lat), float(lon)))
            d = 0.004
            la, lo = float(lat), float(lon)
            ring = [[round(lo - d, 6), round(la - d, 6)], [round(lo + d, 6), round(la - d, 6)],
                    [round(lo + d, 6), round(la + d, 6)], [round(lo - d, 6), round(la + d, 6)],
                    [round(lo - d, 6), round(la - d, 6)]]
            features.append({"type": "Feature",
                             "properties": {"学区ID": f"JD{nj:03d}", "中学校コード": code,
                                            "中学校名": f"川崎市立{t[0]}中学校", "区名": w.ja, "区コード": w.code},
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
        for i in range(12):
            ne += 1
            t = w.towns[i % len(w.towns)]
            second = i >= len(w.towns)
            name = f"川崎市立{t[0]}{'第二' if second else ''}小学校"
            kana = f"カワサキシリツ{t[1]}{'ダイニ' if second else ''}ショウガッコウ"
            code = f"B114210{ne:05d}0"
            lat, lon = point(r, w)
            near = min(ward_jhs, key=lambda j: (j[2] - float(lat)) ** 2 + (j[3] - float(lon)) ** 2)
            n = r.randint(250, 1100)
            elem.append([code, name, kana, w.ja, w.code, address(r, w, t), lat, lon, phone(r, w), n,
                         max(1, n // 32) + r.randint(1, 4), "有" if r.random() < 0.85 else "無",
                         r.choice([1873, 1902, 1934, 1956, 1968, 1975, 1983, 2008]), near[0],
                         url(f"kyoiku/school/{code}.html")])
    geo = {"type": "FeatureCollection",
           "name": "school-districts",
           "features": features}
    return elem, jhs, geo


def main():
    d = fresh_dir(SLUG)
    elem, jhs, geo = build()
    se, sj = school_schema("elem"), school_schema("jhs")
    write_csv(os.path.join(d, "data/elementary-schools.csv"), se, elem)
    write_csv(os.path.join(d, "data/junior-high-schools.csv"), sj, jhs)
    write_bytes(os.path.join(d, "data/school-districts.geojson"),
                (json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    finish(SLUG, {
        "title": {"ja": "市立小学校・中学校一覧と中学校区", "en": "Municipal elementary and junior high schools"},
        "description": {"ja": "市立小学校・中学校の所在地、児童生徒数、学級数と、中学校区の範囲（GeoJSON）をまとめたデータセットです。",
                        "en": "Location, pupils and classes of the municipal schools, with the junior high school districts."},
        "keywords": {"ja": ["学校", "小学校", "中学校", "学区", "教育"],
                     "en": ["schools", "elementary school", "junior high school", "school district", "education"]},
        "licenses": [LIC_CCBY], "publisher": "kyoiku",
        "contactPoint": contact("教育委員会事務局 学事課", "Board of Education, School Affairs Division",
                                "gakuji@example.jp"),
        "theme": ["EDUC"], "category": "教育",
        "temporal": {"start": "2025-05-01", "end": "2025-05-01"},
        "accrualPeriodicity": "annual", "issued": "2021-06-01", "modified": "2025-06-01",
        "version": "2025.1",
        "resources": [
            csv_res("elementary-schools", "市立小学校一覧", "Elementary schools", "data/elementary-schools.csv", se),
            csv_res("junior-high-schools", "市立中学校一覧", "Junior high schools", "data/junior-high-schools.csv", sj),
            {"name": "school-districts", "title": {"ja": "中学校区（GeoJSON）", "en": "Junior high school districts (GeoJSON)"},
             "path": "data/school-districts.geojson", "format": "geojson", "mediatype": "application/geo+json",
             "encoding": "utf-8"},
        ],
    }, """
5月1日現在の市立学校の一覧です。

## ファイルの関係

- 小学校一覧の `中学校区` は、中学校一覧の `学校コード` を指します
- 中学校区の GeoJSON は、各地物の `中学校コード` で中学校一覧とつながります
- 学区の範囲は簡略化した図形で、実際の通学区域ではありません

通学区域の正式な情報は [学区のページ](https://www.example.jp/kyoiku/gakku/) で確認してください。
""", """
Municipal schools as of 1 May.

- `中学校区` in the elementary list is the `学校コード` of a junior high school.
- Each GeoJSON feature links to a junior high school through `中学校コード`.
- District shapes are simplified squares, not real school zones.

See the [school zones page](https://www.example.jp/kyoiku/gakku/).
""")


if __name__ == "__main__":
    main()

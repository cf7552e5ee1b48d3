"""population-by-ward-age: 36 months x 7 wards x 101 ages x 2 sexes = 50,904 rows."""
import math
import os

from common import (LIC_CCBY, WARD_CODES, WARD_NAMES, WARDS, contact, csv_res, fld, fresh_dir, rng,
                    schema, write_csv)
from package import finish

SLUG = "population-by-ward-age"
MONTHS = [f"{2022 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(36)]  # 2022-04 .. 2025-03
# ward code: (total in 2022-04, monthly growth, youth factor: + young adults, - elderly)
WARD_MODEL = {"141313": (231000, 0.0002, 0.15), "141321": (169500, 0.0004, 0.05),
              "141330": (253000, 0.0004, 0.35), "141348": (232000, 0.0003, 0.20),
              "141364": (233500, 0.0001, -0.05), "141356": (219000, 0.0001, 0.10),
              "141372": (178500, -0.0001, -0.25)}


def age_curve(a, youth):
    if a < 15:
        f = 0.85
    elif a < 25:
        f = 0.85 + 0.065 * (a - 15)
    elif a <= 52:
        f = 1.5
    elif a <= 70:
        f = 1.5 - 0.04 * (a - 52)
    elif a <= 85:
        f = 0.78 * math.exp(-(a - 70) / 18.0)
    else:
        f = 0.78 * math.exp(-15 / 18.0) * math.exp(-(a - 85) / 4.5)
    if 20 <= a < 40:
        f *= 1 + youth
    elif a >= 65:
        f *= 1 - 0.8 * youth
    if a == 100:  # 100 years and over
        f *= 6.0
    return f


def male_share(a):
    if a < 60:
        return 0.512
    return max(0.30, 0.512 - 0.006 * (a - 60))


def rows():
    r = rng(SLUG)
    base = {}
    for code, (total, _, youth) in WARD_MODEL.items():
        curve = [age_curve(a, youth) * r.uniform(0.93, 1.07) for a in range(101)]
        s = sum(curve)
        for a in range(101):
            share = male_share(a)
            base[code, a, "男"] = total * curve[a] / s * share
            base[code, a, "女"] = total * curve[a] / s * (1 - share)
    names = dict(zip(WARD_CODES, WARD_NAMES))
    for m, ym in enumerate(MONTHS):
        for code in WARD_CODES:
            growth = (1 + WARD_MODEL[code][1]) ** m
            for a in range(101):
                for sex in ("男", "女"):
                    v = base[code, a, sex] * growth * r.uniform(0.995, 1.005)
                    yield [ym, names[code], code, a, sex, max(0, round(v))]


def pop_schema():
    return schema([
        fld("年月", "string", "Year and month", "住民基本台帳の基準月（各月1日現在）。YYYY-MM",
            required=True, pattern="^[0-9]{4}-(0[1-9]|1[0-2])$"),
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("区コード", "string", "Ward code", "全国地方公共団体コード（行政区）", required=True, enum=WARD_CODES),
        fld("年齢", "integer", "Age", "各歳。100 は100歳以上", required=True, minimum=0, maximum=100),
        fld("性別", "string", "Sex", required=True, enum=["男", "女"]),
        fld("人口", "integer", "Population", "人", required=True, minimum=0),
    ], pk=["年月", "区コード", "年齢", "性別"])


def main():
    d = fresh_dir(SLUG)
    sch = pop_schema()
    path = "data/population-by-ward-age.csv"
    write_csv(os.path.join(d, path), sch, rows())
    finish(SLUG, {
        "title": {"ja": "区別・年齢別・男女別人口（月次）", "en": "Population by ward, age and sex (monthly)"},
        "description": {"ja": "住民基本台帳による川崎市7区の年齢（各歳）別・男女別の人口を、毎月1日現在で月ごとに集計したものです。",
                        "en": "Monthly resident population of each ward by single year of age and sex."},
        "keywords": {"ja": ["人口", "統計", "年齢別", "区別"], "en": ["population", "statistics", "age", "ward"]},
        "licenses": [LIC_CCBY], "publisher": "somu-kikaku",
        "contactPoint": contact("総務企画局 統計情報課", "General Affairs and Planning Bureau, Statistics Division",
                                "toukei@example.jp"),
        "theme": ["SOCI", "GOVE"], "category": "人口・世帯",
        "temporal": {"start": "2022-04-01", "end": "2025-03-31"},
        "accrualPeriodicity": "monthly", "issued": "2022-05-10", "modified": "2025-04-10",
        "version": "2025.03",
        "resources": [csv_res("population", "区別・年齢別・男女別人口", "Population by ward, age and sex",
                              path, sch)],
    }, """
各月1日現在の住民基本台帳人口を、区・年齢（各歳）・男女別に集計しています。

## 列

| 列 | 内容 |
| --- | --- |
| 年月 | `2024-04` の形式 |
| 区名・区コード | 7区と全国地方公共団体コード |
| 年齢 | 0〜100（100 は100歳以上） |
| 性別 | `男` または `女` |
| 人口 | 人 |

- 行数が多い（約5万行）ため、集計には表計算ソフトより統計ソフトをおすすめします
- 市全体の人口は [統計のページ](https://www.example.jp/somu-kikaku/toukei/) にあります
""", """
Resident population (basic resident register) on the first day of each month, by ward, single year of
age (100 = 100 and over) and sex.

- About 50,000 rows: a statistics tool is easier than a spreadsheet.
- City totals are on the [statistics page](https://www.example.jp/somu-kikaku/toukei/).
""")


if __name__ == "__main__":
    main()

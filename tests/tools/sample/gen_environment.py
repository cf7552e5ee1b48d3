"""garbage-collection (collection days by town) and air-quality (CC0, monthly by station)."""
import math
import os

from common import (LIC_CC0, LIC_CCBY, WARD_CODES, WARD_NAMES, WARDS, contact, csv_res, fld,
                    fresh_dir, rng, schema, write_csv)
from package import finish

DAYS = "月火水木金"
TWICE = ["月・木", "火・金", "水・土"]


def garbage_schema():
    one = "^[月火水木金土]$"
    return schema([
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("区コード", "string", "Ward code", required=True, enum=WARD_CODES),
        fld("町名", "string", "Town", required=True),
        fld("町名_カナ", "string", "Town (katakana)", required=True, pattern="^[ァ-ヶー]+$"),
        fld("丁目", "string", "Blocks", "対象の丁目。全域 または 1～3丁目 の形式", required=True,
            pattern="^(全域|[1-9]～[1-9]丁目)$"),
        fld("普通ごみ", "string", "Household waste", "週2回", required=True, enum=TWICE),
        fld("空き缶・ペットボトル", "string", "Cans and PET bottles", "週1回", required=True, pattern=one),
        fld("空きびん", "string", "Glass bottles", "週1回", required=True, pattern=one),
        fld("ミックスペーパー", "string", "Mixed paper", "週1回", required=True, pattern=one),
        fld("プラスチック製容器包装", "string", "Plastic packaging", "週1回", required=True, pattern=one),
        fld("小物金属", "string", "Small metal items", "月1回。第2水 は第2水曜日", required=True,
            pattern="^第[1-4][月火水木金]$"),
        fld("収集開始時刻", "string", "Collection from", "この時刻までに出してください", required=True,
            pattern="^[0-9]{1,2}:[0-5][0-9]$"),
    ], pk=["区コード", "町名", "丁目"])


def garbage_rows():
    r = rng("garbage-collection")
    out = []
    for w in WARDS:
        for t in w.towns:
            parts = ["全域"] if r.random() < 0.4 else ["1～3丁目", "4～6丁目"]
            for p in parts:
                twice = r.choice(TWICE)
                free = [d for d in DAYS if d not in twice]
                picks = [r.choice(free) for _ in range(4)]
                out.append([w.ja, w.code, t[0], t[1], p, twice, *picks,
                            f"第{r.randint(1, 4)}{r.choice(free)}", r.choice(["8:00", "8:30"])])
    return out


STATIONS = [("S01", "大師測定局", 0, 0.024), ("S02", "川崎測定局", 0, 0.022), ("S03", "幸測定局", 1, 0.019),
            ("S04", "中原測定局", 2, 0.017), ("S05", "高津測定局", 3, 0.016), ("S06", "宮前測定局", 4, 0.013),
            ("S07", "多摩測定局", 5, 0.013), ("S08", "麻生測定局", 6, 0.011)]
MONTHS = [f"{2023 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(24)]


def air_schema():
    return schema([
        fld("測定局コード", "string", "Station code", required=True, pattern="^S[0-9]{2}$"),
        fld("測定局", "string", "Station", required=True),
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("年月", "string", "Year and month", "YYYY-MM", required=True, pattern="^[0-9]{4}-(0[1-9]|1[0-2])$"),
        fld("二酸化窒素", "number", "NO2 (ppm)", "月平均値（ppm）", minimum=0, maximum=0.2),
        fld("光化学オキシダント", "number", "Photochemical oxidants (ppm)", "昼間の月平均値（ppm）", minimum=0, maximum=0.2),
        fld("浮遊粒子状物質", "number", "SPM (mg/m3)", "月平均値（mg/m3）", minimum=0, maximum=0.2),
        fld("PM2.5", "number", "PM2.5 (µg/m3)", "月平均値（µg/m3）。空欄は測定していない局", minimum=0, maximum=100),
        fld("有効測定日数", "integer", "Valid measurement days", required=True, minimum=0, maximum=31),
    ], pk=["測定局コード", "年月"])


def air_rows():
    r = rng("air-quality")
    out = []
    for code, name, wi, no2 in STATIONS:
        for ym in MONTHS:
            m = int(ym[5:])
            winter = math.cos((m - 1) / 12 * 2 * math.pi)   # +1 in January, -1 in July
            spring = math.cos((m - 5) / 12 * 2 * math.pi)   # +1 in May
            days = 30 if m in (4, 6, 9, 11) else 28 if m == 2 else 31
            out.append([code, name, WARDS[wi].ja, ym,
                        f"{no2 * (1 + 0.25 * winter) * r.uniform(0.9, 1.1):.3f}",
                        f"{0.032 * (1 + 0.3 * spring) * r.uniform(0.9, 1.1):.3f}",
                        f"{0.016 * (1 + 0.15 * spring) * r.uniform(0.85, 1.15):.3f}",
                        "" if code == "S06" else f"{10.5 * (1 + 0.15 * spring) * r.uniform(0.85, 1.15):.1f}",
                        days - (r.randint(1, 3) if r.random() < 0.15 else 0)])
    return out


def main():
    d = fresh_dir("garbage-collection")
    sch = garbage_schema()
    write_csv(os.path.join(d, "garbage-collection-days.csv"), sch, garbage_rows())
    finish("garbage-collection", {
        "title": {"ja": "ごみ・資源物の収集曜日", "en": "Waste and recycling collection days"},
        "description": {"ja": "町名・丁目ごとの普通ごみ、空き缶・ペットボトル、プラスチック製容器包装、小物金属などの収集曜日の一覧です。",
                        "en": "Collection days of household waste, recyclables and small metal items by town."},
        "keywords": {"ja": ["ごみ", "資源物", "リサイクル", "収集日"],
                     "en": ["waste", "recycling", "collection day"]},
        "licenses": [LIC_CCBY], "publisher": "kankyo",
        "contactPoint": contact("環境局 生活環境部 収集計画課", "Environment Bureau, Collection Planning Division",
                                "gomi@example.jp"),
        "theme": ["ENVI"], "category": "環境",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "annual", "issued": "2017-04-01", "modified": "2025-03-15",
        "version": "2025.1",
        "resources": [csv_res("collection-days", "収集曜日", "Collection days", "garbage-collection-days.csv", sch)],
    }, """
## 出し方

1. 収集日の朝 **8時30分まで**（一部地域は8時まで）に出してください。
2. 祝日も収集します（年末年始を除く）。
3. 小物金属は月1回です。`第2水` は毎月第2水曜日を表します。

| 品目 | 回数 |
| --- | --- |
| 普通ごみ | 週2回 |
| 資源物（缶・びん・紙・プラ） | 週1回 |
| 小物金属 | 月1回 |

分け方は [ごみ分別辞典](https://www.example.jp/kankyo/bunbetsu/) で調べられます。
""", """
Collection days by town and block. Put items out by 8:30 (8:00 in some areas) on the collection day.
Household waste twice a week, recyclables weekly, small metal items monthly (`第2水` = second Wednesday).
See the [sorting dictionary](https://www.example.jp/kankyo/bunbetsu/).
""")

    d = fresh_dir("air-quality")
    sch = air_schema()
    write_csv(os.path.join(d, "data/air-quality-monthly.csv"), sch, air_rows())
    finish("air-quality", {
        "title": {"ja": "大気汚染物質の月平均値（一般環境大気測定局）", "en": "Air quality: monthly averages by station"},
        "description": {"ja": "一般環境大気測定局で測定した二酸化窒素、光化学オキシダント、浮遊粒子状物質、PM2.5の月平均値です。",
                        "en": "Monthly averages of NO2, photochemical oxidants, SPM and PM2.5 at the ambient air monitoring stations."},
        "keywords": {"ja": ["大気", "環境", "PM2.5", "二酸化窒素"], "en": ["air quality", "environment", "PM2.5", "NO2"]},
        "licenses": [LIC_CC0], "publisher": "kankyo",
        "contactPoint": contact("環境局 環境対策部 大気環境課", "Environment Bureau, Air Quality Division",
                                "taiki@example.jp"),
        "theme": ["ENVI", "HEAL"], "category": "環境",
        "temporal": {"start": "2023-04-01", "end": "2025-03-31"},
        "accrualPeriodicity": "monthly", "issued": "2023-05-20", "modified": "2025-04-20",
        "version": "2025.03",
        "resources": [csv_res("air-quality-monthly", "測定局別月平均値", "Monthly averages by station",
                              "data/air-quality-monthly.csv", sch)],
    }, """
このデータは **CC0（パブリックドメイン）** で提供します。

- 値は速報値を含みます
- 宮前測定局では PM2.5 を測定していないため空欄です
- 環境基準との比較は [大気環境のページ](https://www.example.jp/kankyo/taiki/) を参照してください

| 物質 | 単位 |
| --- | --- |
| 二酸化窒素・光化学オキシダント | ppm |
| 浮遊粒子状物質 | mg/m3 |
| PM2.5 | µg/m3 |
""", """
Released under **CC0** (public domain dedication). Values include preliminary figures; the Miyamae
station does not measure PM2.5 (blank). See the [air quality page](https://www.example.jp/kankyo/taiki/).
""")


if __name__ == "__main__":
    main()

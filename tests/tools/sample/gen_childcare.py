"""childcare-facilities: licensed childcare facilities (own schema), plus vacancies by ward."""
import datetime
import os

from common import (BBOX, LIC_CCBY, WARD_CODES, WARD_NAMES, WARDS, address, contact, csv_res, fld,
                    fresh_dir, phone, point, rng, schema, url, write_csv)
from package import finish

SLUG = "childcare-facilities"
TIME = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
# type, kana, capacity range, upper age
TYPES = [("認可保育所", "ホイクエン", 60, 150, 5), ("認可保育所", "ホイクエン", 40, 120, 5),
         ("小規模保育事業", "ショウキボホイクエン", 12, 19, 2), ("認定こども園", "ニンテイコドモエン", 90, 250, 5),
         ("家庭的保育事業", "カテイテキホイク", 3, 5, 2), ("事業所内保育事業", "ジギョウショナイホイクエン", 10, 30, 2)]
BRANDS = [("ひまわり", "ヒマワリ"), ("さくら", "サクラ"), ("すくすく", "スクスク"), ("にじいろ", "ニジイロ"),
          ("どんぐり", "ドングリ"), ("こすもす", "コスモス")]


def facility_schema():
    return schema([
        fld("施設ID", "string", "Facility ID", required=True, pattern="^N[0-9]{4}$"),
        fld("施設名", "string", "Name", required=True),
        fld("施設名_カナ", "string", "Name (katakana)", required=True, pattern="^[ァ-ヶー]+$"),
        fld("施設種別", "string", "Type", required=True,
            enum=["認可保育所", "小規模保育事業", "認定こども園", "家庭的保育事業", "事業所内保育事業"]),
        fld("設置主体", "string", "Operator", required=True, enum=["公立", "私立"]),
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("区コード", "string", "Ward code", required=True, enum=WARD_CODES),
        fld("住所", "string", "Address", required=True),
        fld("緯度", "number", "Latitude", required=True, minimum=BBOX[1], maximum=BBOX[3]),
        fld("経度", "number", "Longitude", required=True, minimum=BBOX[0], maximum=BBOX[2]),
        fld("電話番号", "string", "Telephone", pattern="^044-[0-9]{3}-[0-9]{4}$"),
        fld("定員", "integer", "Capacity", "人", required=True, minimum=1, maximum=300),
        fld("対象年齢_下限", "integer", "Youngest age (years)", "0 は産休明け（生後57日）から", required=True,
            minimum=0, maximum=5),
        fld("対象年齢_上限", "integer", "Oldest age (years)", required=True, minimum=0, maximum=5),
        fld("開所時間", "string", "Opens", required=True, pattern=TIME),
        fld("閉所時間", "string", "Closes", "延長保育を含まない", required=True, pattern=TIME),
        fld("延長保育", "string", "Extended hours", required=True, enum=["有", "無"]),
        fld("一時保育", "string", "Temporary care", required=True, enum=["有", "無"]),
        fld("開設日", "date", "Opened", required=True, minimum="1950-01-01", maximum="2025-04-01"),
        fld("URL", "string", "Web page", uri=True),
    ], pk=["施設ID"])


def vacancy_schema():
    return schema([
        fld("基準日", "date", "As of", required=True),
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("区コード", "string", "Ward code", required=True, enum=WARD_CODES),
        fld("年齢", "integer", "Age (years)", "4月1日時点の年齢", required=True, minimum=0, maximum=5),
        fld("空き人数", "integer", "Vacancies", "人", required=True, minimum=0),
        fld("申込者数", "integer", "Applicants", "人", required=True, minimum=0),
    ], pk=["基準日", "区コード", "年齢"])


def rows():
    r = rng(SLUG)
    fac, vac = [], []
    n = 0
    for w in WARDS:
        for i in range(20):
            n += 1
            t = w.towns[i % len(w.towns)]
            typ, tk, lo, hi, upper = TYPES[(i * 5 + n) % len(TYPES)]
            b = BRANDS[(n * 7) % len(BRANDS)]
            public = typ == "認可保育所" and r.random() < 0.3
            if public:
                name, kana = f"川崎市立{t[0]}保育園", f"カワサキシリツ{t[1]}ホイクエン"
            elif typ == "家庭的保育事業":
                name, kana = f"{b[0]}家庭保育室（{t[0]}）", f"{b[1]}カテイホイクシツ"
            else:
                label = {"認定こども園": "こども園", "事業所内保育事業": "企業内保育園"}.get(typ, "保育園")
                name, kana = f"{t[0]}{b[0]}{label}", f"{t[1]}{b[1]}{tk}"
            lat, lon = point(r, w)
            opened = datetime.date(1965, 4, 1) + datetime.timedelta(days=r.randint(0, 21900))
            opened = min(opened, datetime.date(2025, 4, 1)).replace(day=1)
            fac.append([f"N{n:04d}", name, kana, typ, "公立" if public else "私立", w.ja, w.code,
                        address(r, w, t), lat, lon, phone(r, w), r.randint(lo, hi),
                        0 if r.random() < 0.8 else 1, upper, r.choice(["7:00", "7:15", "7:30"]),
                        r.choice(["18:00", "18:15", "19:00"]), "有" if r.random() < 0.85 else "無",
                        "有" if r.random() < 0.3 else "無", opened.isoformat(),
                        url(f"kodomo-mirai/hoiku/N{n:04d}.html")])
        for age in range(6):
            apply = r.randint(5, 300) if age < 3 else r.randint(0, 40)
            vac.append(["2025-04-01", w.ja, w.code, age, r.randint(0, 60) * (1 if age else 2), apply])
    return fac, vac


def main():
    d = fresh_dir(SLUG)
    fac, vac = rows()
    sf, sv = facility_schema(), vacancy_schema()
    write_csv(os.path.join(d, "childcare-facilities.csv"), sf, fac)
    write_csv(os.path.join(d, "data/vacancies-2025-04.csv"), sv, vac)
    finish(SLUG, {
        "title": {"ja": "保育所等一覧", "en": "Licensed childcare facilities"},
        "description": {"ja": "認可保育所、認定こども園、小規模保育事業などの施設一覧（定員・開所時間を含む）と、区・年齢別の毎月の空き状況です。",
                        "en": "Licensed nurseries, centres for early childhood education and small-scale childcare, with vacancies by ward and age."},
        "keywords": {"ja": ["保育所", "子育て", "こども園", "待機児童"],
                     "en": ["childcare", "nursery", "parenting", "waiting list"]},
        "licenses": [LIC_CCBY], "publisher": "kodomo-mirai",
        "contactPoint": contact("こども未来局 保育・子育て推進部", "Children's Future Bureau, Childcare Department",
                                "hoiku@example.jp"),
        "theme": ["SOCI", "EDUC"], "category": "子育て",
        "temporal": {"start": "2025-04-01", "end": "2025-04-01"},
        "accrualPeriodicity": "monthly", "issued": "2020-04-01", "modified": "2025-04-05",
        "version": "2025.04",
        "resources": [
            csv_res("childcare-facilities", "保育所等一覧", "Childcare facilities", "childcare-facilities.csv", sf),
            csv_res("vacancies", "区・年齢別の空き状況（2025年4月1日）", "Vacancies by ward and age (1 April 2025)",
                    "data/vacancies-2025-04.csv", sv),
        ],
    }, """
市内の保育所等の一覧と、4月1日時点の空き状況です。

## 施設の種類

| 種別 | 対象年齢 | 定員の目安 |
| --- | --- | --- |
| 認可保育所 | 0〜5歳 | 40〜150人 |
| 小規模保育事業 | 0〜2歳 | 6〜19人 |
| 家庭的保育事業 | 0〜2歳 | 5人以下 |

- 空き状況は毎月更新します
- 入所の申込は [保育所入所のご案内](https://www.example.jp/kodomo-mirai/hoiku/nyusho/) をご覧ください
""", """
Licensed childcare facilities and vacancies on 1 April, by ward and age.

- Nurseries take ages 0–5; small-scale and home-based childcare take ages 0–2.
- Vacancies are updated monthly. See [how to apply](https://www.example.jp/kodomo-mirai/hoiku/nyusho/).
""")


if __name__ == "__main__":
    main()

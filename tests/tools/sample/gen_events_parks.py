"""city-events (own schema, multi-line quoted cells; catalogue licence/contact defaults) and parks."""
import datetime
import os

from common import (BBOX, LIC_CCBY, WARD_CODES, WARD_NAMES, WARDS, address, contact, csv_res, fld,
                    fresh_dir, phone, point, rng, schema, url, write_csv)
from package import finish

TIME = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
EVENTS = [("親子で楽しむ科学教室", "小学生と保護者", 500, 30, True),
          ("市民健康ウォーキング", "どなたでも", 0, 0, False),
          ("多摩川クリーン作戦", "どなたでも", 0, 0, False),
          ("シニアのためのスマホ講座", "60歳以上", 0, 20, True),
          ("地域の歴史講演会", "どなたでも", 0, 100, True),
          ("子ども将棋大会", "小中学生", 0, 64, True),
          ("ミニコンサート", "どなたでも", 1000, 200, True),
          ("防災体験フェア", "どなたでも", 0, 0, False),
          ("親子リトミック", "1〜3歳児と保護者", 300, 15, True),
          ("朝市・農産物直売会", "どなたでも", 0, 0, False),
          ("英会話サロン", "中学生以上", 200, 12, True)]
VENUES = ["市民館", "図書館", "こども文化センター", "公園"]


def event_schema():
    ward = WARD_NAMES + ["全市"]
    return schema([
        fld("イベントID", "string", "Event ID", "EV + 年度 + 連番", required=True, pattern="^EV[0-9]{4}-[0-9]{3}$"),
        fld("イベント名", "string", "Event name", required=True),
        fld("開始日", "date", "Start date", required=True, minimum="2025-04-01", maximum="2026-03-31"),
        fld("終了日", "date", "End date", required=True, minimum="2025-04-01", maximum="2026-03-31"),
        fld("開始時間", "string", "Start time", "hh:mm", pattern=TIME),
        fld("終了時間", "string", "End time", "hh:mm", pattern=TIME),
        fld("会場名", "string", "Venue", required=True),
        fld("区名", "string", "Ward", required=True, enum=ward),
        fld("住所", "string", "Address"),
        fld("緯度", "number", "Latitude", minimum=BBOX[1], maximum=BBOX[3]),
        fld("経度", "number", "Longitude", minimum=BBOX[0], maximum=BBOX[2]),
        fld("料金", "integer", "Fee (JPY)", "円。0 は無料", required=True, minimum=0),
        fld("定員", "integer", "Capacity", "人。空欄は定員なし", minimum=1),
        fld("対象", "string", "Audience"),
        fld("申込", "string", "Registration", required=True, enum=["要", "不要"]),
        fld("説明", "string", "Description", "改行を含むことがあります", required=True),
        fld("問い合わせ電話番号", "string", "Contact phone", pattern="^0[0-9]{1,4}-[0-9]{1,4}-[0-9]{4}$"),
        fld("URL", "string", "URL", uri=True),
    ], pk=["イベントID"])


def event_rows():
    r = rng("city-events")
    out = []
    day0 = datetime.date(2025, 4, 1)
    for n in range(1, 85):
        w = WARDS[n % 7]
        name, aud, fee, cap, reg = EVENTS[n % len(EVENTS)]
        start = day0 + datetime.timedelta(days=r.randint(0, 350))
        end = start + datetime.timedelta(days=r.choice([0, 0, 0, 1, 2]))
        t = r.choice(w.towns)
        venue = f"{t[0]}{r.choice(VENUES)}"
        h = r.choice([9, 10, 13, 14, 18])
        desc = f"{w.ja}で開催する「{name}」です。"
        if n % 5 == 0:  # a cell with a comma and a line break: quoted in the CSV
            desc += "\n持ち物: 筆記用具, 飲み物, 上履き"
        if n % 11 == 0:
            desc += "\n雨天の場合は中止します。"
        lat, lon = point(r, w)
        out.append([f"EV2025-{n:03d}", f"{name}（{w.ja}）", start.isoformat(), end.isoformat(),
                    f"{h}:00", f"{h + r.choice([1, 2, 3])}:{r.choice(['00', '30'])}", venue, w.ja,
                    address(r, w, t), lat, lon, fee, cap or "", aud, "要" if reg else "不要", desc,
                    phone(r, w), url(f"shimin-bunka/event/2025-{n:03d}.html")])
    out.append(["EV2025-900", "かわさき市民祭り", "2025-11-01", "2025-11-03", "10:00", "16:00",
                "富士見公園ほか市内各所", "全市", "", "", "", 0, "", "どなたでも", "不要",
                "市内各所で開催する市民祭りです。\nパレード, 物産展, ステージなど。", "044-200-0000",
                url("shimin-bunka/event/matsuri.html")])
    return out


PARK_TYPES = [("街区公園", 200, 3000, 0), ("街区公園", 300, 2500, 0), ("街区公園", 500, 3000, 0),
              ("近隣公園", 10000, 25000, 10), ("地区公園", 40000, 60000, 30), ("緑地", 5000, 90000, 0)]


def park_schema():
    return schema([
        fld("公園ID", "string", "Park ID", required=True, pattern="^P[0-9]{4}$"),
        fld("名称", "string", "Name", required=True),
        fld("名称_カナ", "string", "Name (katakana)", required=True, pattern="^[ァ-ヶー]+$"),
        fld("種別", "string", "Type", "都市公園法による種別", required=True,
            enum=["街区公園", "近隣公園", "地区公園", "総合公園", "運動公園", "緑地"]),
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("区コード", "string", "Ward code", required=True, enum=WARD_CODES),
        fld("住所", "string", "Address", required=True),
        fld("緯度", "number", "Latitude", required=True, minimum=BBOX[1], maximum=BBOX[3]),
        fld("経度", "number", "Longitude", required=True, minimum=BBOX[0], maximum=BBOX[2]),
        fld("面積_m2", "number", "Area (m²)", required=True, minimum=0),
        fld("開園日", "date", "Opened", minimum="1900-01-01", maximum="2025-03-31"),
        fld("トイレ", "string", "Toilet", required=True, enum=["有", "無"]),
        fld("遊具", "string", "Play equipment", required=True, enum=["有", "無"]),
        fld("駐車場台数", "integer", "Parking spaces", required=True, minimum=0),
        fld("備考", "string", "Remarks"),
    ], pk=["公園ID"])


def park_rows():
    r = rng("parks")
    out = []
    n = 0
    for w in WARDS:
        for t in w.towns:
            for k in range(2):
                n += 1
                typ, lo, hi, park = PARK_TYPES[(n + k) % len(PARK_TYPES)]
                suffix, skana = ("", "") if k == 0 else ("第二", "ダイニ")
                name = f"{t[0]}{suffix}{'緑地' if typ == '緑地' else '公園'}"
                kana = f"{t[1]}{skana}{'リョクチ' if typ == '緑地' else 'コウエン'}"
                opened = datetime.date(1955, 4, 1) + datetime.timedelta(days=r.randint(0, 24000))
                lat, lon = point(r, w)
                big = typ != "街区公園"
                out.append([f"P{n:04d}", name, kana, typ, w.ja, w.code, address(r, w, t), lat, lon,
                            f"{r.uniform(lo, hi):.1f}", opened.isoformat() if r.random() < 0.9 else "",
                            "有" if big or r.random() < 0.4 else "無", "有" if r.random() < 0.8 else "無",
                            park, "ボール遊びは指定の広場で" if r.random() < 0.1 else ""])
    return out


def main():
    d = fresh_dir("city-events")
    sch = event_schema()
    write_csv(os.path.join(d, "events-2025.csv"), sch, event_rows())
    finish("city-events", {
        "title": {"ja": "市民向けイベント情報（2025年度）", "en": "Community events (FY2025)"},
        "description": {"ja": "市民館・図書館などで開催する講座やイベントの日程、会場、対象、定員、申込方法を、開催日の順にまとめた一覧です。",
                        "en": "Courses and events held at civic halls, libraries and parks."},
        "keywords": {"ja": ["イベント", "講座", "市民活動"], "en": ["events", "courses", "community"]},
        "publisher": "shimin-bunka",
        "theme": ["SOCI", "EDUC"], "category": "文化・スポーツ",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "monthly", "issued": "2025-04-01", "modified": "2025-06-30",
        "version": "2025.3",
        "resources": [csv_res("events", "イベント一覧", "Events", "events-2025.csv", sch)],
    }, """
2025年度に開催する市民向けイベントです。

- `説明` には改行やカンマを含む値があります
- `定員` が空欄のイベントは定員を設けていません
- `区名` が「全市」のイベントは複数の会場で開催します

申込は [イベント申込フォーム](https://www.example.jp/shimin-bunka/event/apply/) から。
ライセンスと問い合わせ先はカタログの既定です。
""", """
Community events in fiscal year 2025. `説明` (description) may contain line breaks and commas; an empty
`定員` (capacity) means no limit. Apply with the [event form](https://www.example.jp/shimin-bunka/event/apply/).
The licence and contact are the catalogue defaults.
""")

    d = fresh_dir("parks")
    sch = park_schema()
    write_csv(os.path.join(d, "parks.csv"), sch, park_rows())
    finish("parks", {
        "title": {"ja": "都市公園一覧", "en": "City parks"},
        "description": {"ja": "市が管理する都市公園・緑地の種別、所在地、面積、トイレや遊具などの設備、開園年を区ごとにまとめた一覧です。",
                        "en": "Type, area and facilities of the parks and green spaces managed by the city."},
        "keywords": {"ja": ["公園", "緑地", "都市計画"], "en": ["parks", "green space", "urban planning"]},
        "licenses": [LIC_CCBY], "publisher": "kensetsu-ryokusei",
        "contactPoint": contact("建設緑政局 公園管理課", "Construction and Green Policy Bureau, Parks Division",
                                "koen@example.jp"),
        "theme": ["ENVI", "REGI"], "category": "都市計画・まちづくり",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "annual", "issued": "2020-04-01", "modified": "2025-04-01",
        "version": "2025.1",
        "resources": [csv_res("parks", "都市公園一覧", "City parks", "parks.csv", sch)],
    }, """
| 種別 | 目安の面積 |
| --- | --- |
| 街区公園 | 0.25 ha 程度 |
| 近隣公園 | 2 ha 程度 |
| 地区公園 | 4 ha 程度 |

- 面積は平方メートル（m²）です
- 公園の利用ルールは [公園のページ](https://www.example.jp/kensetsu-ryokusei/koen/) を参照してください
""", """
Parks by type (block park about 0.25 ha, neighbourhood park about 2 ha, district park about 4 ha).
Areas are in square metres. See the [parks page](https://www.example.jp/kensetsu-ryokusei/koen/).
""")


if __name__ == "__main__":
    main()

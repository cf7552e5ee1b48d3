"""aed-locations: standard AED schema, CP932 CSV declared shift_jis, plus a PDF guide."""
import os

from common import (CITY, CITY_CODE, CONFORMS, LIC_CCBY, PREF, WARDS, address, contact, csv_res,
                    fresh_dir, phone, point, rng, std_schema, url, write_bytes, write_csv)
from package import finish
from pdf import make_pdf

SLUG = "aed-locations"
PUBLIC = [("市民館", "シミンカン"), ("図書館", "トショカン"), ("小学校", "ショウガッコウ"),
          ("中学校", "チュウガッコウ"), ("こども文化センター", "コドモブンカセンター"),
          ("老人いこいの家", "ロウジンイコイノイエ"), ("消防出張所", "ショウボウシュッチョウジョ"),
          ("地区会館", "チクカイカン"), ("スポーツセンター", "スポーツセンター")]
PRIVATE = [("髙橋内科クリニック", "タカハシナイカクリニック", "医療法人社団髙橋会"),
           ("川崎ビルマネジメント本社ビル", "カワサキビルマネジメントホンシャビル", "㈱川崎ビルマネジメント"),
           ("多摩川運輸営業所", "タマガワウンユエイギョウショ", "㈲多摩川運輸"),
           ("かわさき信用金庫支店", "カワサキシンヨウキンコシテン", "かわさき信用金庫"),
           ("スーパーマルコ店", "スーパーマルコテン", "㈱マルコストア")]
POSITIONS = ["1階エントランス", "1階事務室前", "正面玄関横", "体育館入口", "2階受付カウンター横",
             "職員室前廊下", "1階ロビー"]


def rows():
    r = rng(SLUG)
    out = []
    n = 0
    for w in WARDS:
        out_w = [(f"{w.ja}役所", f"{w.kana}ヤクショ", None, "1階総合案内横", None)]
        for _ in range(7):
            t = r.choice(w.towns)
            typ = r.choice(PUBLIC)
            out_w.append((f"{t[0]}{typ[0]}", f"{t[1]}{typ[1]}", None, r.choice(POSITIONS), t))
        for p in r.sample(PRIVATE, 2):
            t = r.choice(w.towns)
            out_w.append((f"{p[0]}（{t[0]}）", f"{p[1]}（{t[1]}）", p[2], r.choice(POSITIONS), t))
        for name, kana, org, pos, t in out_w:
            n += 1
            lat, lon = point(r, w)
            private = org is not None
            if r.random() < 0.15:
                start, end, days, note = "0:00", "24:00", "月火水木金土日", "24時間利用可"
            elif private:
                start, end, days = "9:00", "18:00", "月火水木金"
                note = "土曜は9:00～12:00"
            else:
                start, end, days = "8:30", "21:00", "月火水木金土日"
                note = "年末年始（12月29日～1月3日）を除く"
            note2 = ""
            if r.random() < 0.3:
                note2 = f"①{pos} ②2階多目的室前 の2台設置"
            out.append([
                CITY_CODE, f"{n:04d}", PREF, CITY, name, kana, address(r, w, t),
                "" if r.random() < 0.6 else f"{r.randint(1, 5)}階",
                lat, lon, pos, phone(r, w), "" if private or r.random() < 0.5 else str(r.randint(100, 499)),
                f"{r.randint(1, 9)}{r.randint(0, 10**12 - 1):012d}" if private else "",
                org or f"川崎市{w.ja}", days, start, end, note,
                "有" if r.random() < 0.8 else "無",
                url(f"kenko-fukushi/aed/{n:04d}.html") if not private else "", note2,
            ])
    return out


def main():
    d = fresh_dir(SLUG)
    sch = std_schema("aed")
    write_csv(os.path.join(d, "141305_aed.csv"), sch, rows(), encoding="shift_jis")
    write_bytes(os.path.join(d, "docs/aed-guide.pdf"), make_pdf([
        "How to use an AED (synthetic sample guide)",
        "Kawasaki City Open Data Catalogue - sample data, not a real guide.",
        "",
        "1. Check for a response and call 119.",
        "2. Open the AED case and switch the device on.",
        "3. Attach the pads as shown on the pictures.",
        "4. Follow the voice instructions; stand clear during the shock.",
        "5. Continue chest compressions until help arrives.",
        "",
        "Contact: Health and Welfare Bureau, kenko@example.jp",
    ], title="AED guide (sample)"))
    meta = {
        "title": {"ja": "AED設置箇所一覧", "en": "AED locations"},
        "description": {
            "ja": "市内の公共施設・民間施設に設置されたAED（自動体外式除細動器）の設置場所、利用可能な曜日と時間、小児対応の有無です。",
            "en": "Where automated external defibrillators (AEDs) are installed in public and private buildings in the city.",
        },
        "keywords": {"ja": ["AED", "救急", "医療", "推奨データセット"],
                     "en": ["AED", "first aid", "health", "standard dataset"]},
        "licenses": [LIC_CCBY],
        "publisher": "kenko-fukushi",
        "contactPoint": contact("健康福祉局 地域医療課", "Health and Welfare Bureau, Community Medical Care Division",
                                "aed@example.jp"),
        "theme": ["HEAL"],
        "category": "健康・福祉",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "annual",
        "issued": "2019-04-01",
        "modified": "2025-04-01",
        "version": "2025.1",
        "conformsTo": CONFORMS,
        "resources": [
            csv_res("aed", "AED設置箇所一覧", "AED locations", "141305_aed.csv", sch, "shift_jis"),
            {"name": "aed-guide", "title": {"ja": "AEDの使い方（案内PDF）", "en": "How to use an AED (PDF guide)"},
             "path": "docs/aed-guide.pdf", "format": "pdf", "mediatype": "application/pdf"},
        ],
    }
    finish(SLUG, meta, """
推奨データセット「AED設置箇所一覧」の形式に沿ったデータです。

## 収録内容

- 区役所・市民館・学校など市の施設と、協力事業者の施設
- 利用可能な曜日と時間（`24:00` は終日利用可）
- 小児対応設備の有無

CSV は **Shift_JIS（CP932）** で保存しています。「㈱」「①」「髙」などの文字を含みます。
AEDの使い方は [救急のページ](https://www.example.jp/kenko-fukushi/aed/) も参照してください。
""", """
Data in the format of the Digital Agency's recommended dataset "AED locations".

- City facilities (ward offices, civic halls, schools) and partner businesses
- Days and hours of availability (`24:00` means all day)
- Whether paediatric pads are available

The CSV is encoded in **Shift_JIS (CP932)**. See also the [first-aid page](https://www.example.jp/kenko-fukushi/aed/).
""")


if __name__ == "__main__":
    main()

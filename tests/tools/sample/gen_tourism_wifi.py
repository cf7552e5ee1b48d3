"""tourism-spots (standard schema) and wifi-spots (own schema; catalogue licence/contact defaults)."""
import datetime
import os

from common import (BBOX, CITY, CITY_CODE, CONFORMS, LIC_CCBY, PREF, WARD_CODES, WARD_NAMES, WARDS,
                    address, contact, csv_res, fld, fresh_dir, phone, point, rng, schema, std_schema,
                    url, write_csv)
from package import finish

# ward index, name, kana, English, basic fee, description ja, description en
SPOTS = [
    (0, "大師門前仲見世", "ダイシモンゼンナカミセ", "Daishi Temple Gate Shopping Street", 0,
     "寺の門前に続く商店街。名物のせき飴が有名です。", "A shopping street leading to the temple gate."),
    (0, "臨海工業地帯夜景ポイント", "リンカイコウギョウチタイヤケイポイント", "Bayside Factory Night View", 0,
     "工場群の夜景を眺められる展望スポット。", "A viewpoint over the illuminated factories at night."),
    (0, "川崎港緑地公園", "カワサキコウリョクチコウエン", "Kawasaki Port Green Park", 0,
     "大型船が行き交う港を望む公園。", "A park overlooking the port."),
    (1, "多摩川河川敷サイクリングロード", "タマガワカセンジキサイクリングロード", "Tamagawa Riverside Cycling Road", 0,
     "多摩川沿いに続く自転車道。", "A cycling road along the Tama River."),
    (1, "幸の森ミュージアム", "サイワイノモリミュージアム", "Saiwai Forest Museum", 500,
     "地域の歴史と産業を紹介する博物館。", "A museum of local history and industry."),
    (2, "等々力の杜スタジアム", "トドロキノモリスタジアム", "Todoroki Forest Stadium", 0,
     "サッカーや陸上競技が行われる緑地内のスタジアム。", "A stadium in a green park."),
    (2, "小杉ガーデンテラス", "コスギガーデンテラス", "Kosugi Garden Terrace", 0,
     "駅前の屋上庭園。季節の花が楽しめます。", "A rooftop garden by the station."),
    (2, "丸子の渡し跡", "マルコノワタシアト", "Maruko Ferry Site", 0,
     "かつての渡し場の跡。", "The site of a former river ferry."),
    (3, "溝口宿場町めぐり", "ミゾノクチシュクバマチメグリ", "Mizonokuchi Post Town Walk", 0,
     "大山街道の宿場町の面影をたどる散策コース。", "A walk through the old post town."),
    (3, "二子の渡し公園", "フタゴノワタシコウエン", "Futago Ferry Park", 0,
     "多摩川を望む芝生の公園。", "A lawn park by the Tama River."),
    (3, "高津歴史資料館", "タカツレキシシリョウカン", "Takatsu History Archives", 200,
     "古文書と民具を展示しています。", "Old documents and folk tools on display."),
    (4, "鷺沼フラワーガーデン", "サギヌマフラワーガーデン", "Saginuma Flower Garden", 300,
     "バラとチューリップの庭園。", "A garden of roses and tulips."),
    (4, "野川の里山", "ノガワノサトヤマ", "Nogawa Satoyama Woodland", 0,
     "雑木林と谷戸田が残る里山。", "A traditional woodland with rice terraces."),
    (4, "宮前梨の直売通り", "ミヤマエナシノチョクバイドオリ", "Miyamae Pear Road", 0,
     "夏から秋にかけて梨の直売所が並びます。", "Pear stands open from summer to autumn."),
    (5, "生田の森古民家園", "イクタノモリコミンカエン", "Ikuta Forest Folk House Park", 500,
     "各地から移築した古民家を公開する野外博物館。", "An open-air museum of old farmhouses."),
    (5, "登戸まんがミュージアム", "ノボリトマンガミュージアム", "Noborito Manga Museum", 1000,
     "まんがの原画と作家の仕事を紹介します。", "Original manga artwork and the artists' work."),
    (5, "枡形山展望台", "マスガタヤマテンボウダイ", "Masugata Hill Observatory", 0,
     "市内と富士山を一望できる展望台。", "A view over the city and Mt Fuji."),
    (5, "宿河原の桜並木", "シュクガワラノサクラナミキ", "Shukugawara Cherry Avenue", 0,
     "用水沿いに約400本の桜が並びます。", "About 400 cherry trees along a canal."),
    (6, "麻生の禅寺丸柿の里", "アサオノゼンジマルガキノサト", "Asao Zenjimaru Persimmon Village", 0,
     "日本最古の甘柿とされる禅寺丸柿の里。", "Home of an old variety of sweet persimmon."),
    (6, "新百合芸術の街ホール", "シンユリゲイジュツノマチホール", "Shin-Yuri Arts Hall", 0,
     "映画と音楽の催しが開かれるホール。", "A hall for film and music events."),
    (6, "黒川里山トレイル", "クロカワサトヤマトレイル", "Kurokawa Satoyama Trail", 0,
     "丘陵の林と畑を巡る散策路。", "A trail through hills, woods and fields."),
]


def tourism_rows():
    r = rng("tourism-spots")
    out = []
    for n, (wi, name, kana, en, fee, dja, den) in enumerate(SPOTS, start=1):
        w = WARDS[wi]
        lat, lon = point(r, w)
        indoor = fee > 0
        out.append([
            CITY_CODE, f"{n:03d}", PREF, CITY, name, kana, en, "", address(r, w), "", lat, lon,
            "火水木金土日" if indoor else "月火水木金土日", "9:30" if indoor else "",
            "17:00" if indoor else "", "月曜休館（祝日の場合は翌日）" if indoor else "見学自由",
            fee, f"大人{fee}円、中学生以下無料" if fee else "", dja, den,
            f"{r.choice(['JR', '私鉄', '市バス'])}「{w.towns[0][0]}」から徒歩{r.randint(3, 20)}分",
            r.choice(["なし", "普通車20台（有料）", "駐輪場あり"]),
            ";".join(r.sample(["車椅子貸出", "多目的トイレ", "スロープ", "エレベーター"], 2)),
            "経済労働局 観光プロモーション推進課", "044-200-2327", "",
            url(f"keizai-rodo/kanko/img/{n:03d}.jpg"), "CC BY 4.0",
            url(f"keizai-rodo/kanko/{n:03d}.html"), "",
        ])
    return out


def wifi_schema():
    return schema([
        fld("ID", "string", "Spot ID", "W と4桁の数字", required=True, pattern="^W[0-9]{4}$"),
        fld("名称", "string", "Name", required=True),
        fld("区名", "string", "Ward", required=True, enum=WARD_NAMES),
        fld("区コード", "string", "Ward code", "全国地方公共団体コード（区）", required=True, enum=WARD_CODES),
        fld("住所", "string", "Address", required=True),
        fld("緯度", "number", "Latitude", "世界測地系・十進度", required=True, minimum=BBOX[1], maximum=BBOX[3]),
        fld("経度", "number", "Longitude", "世界測地系・十進度", required=True, minimum=BBOX[0], maximum=BBOX[2]),
        fld("SSID", "string", "SSID", required=True, enum=["Kawasaki_Free_Wi-Fi", "Kawasaki_Free_Wi-Fi_5G"]),
        fld("屋内外", "string", "Indoor or outdoor", required=True, enum=["屋内", "屋外"]),
        fld("1回の利用時間_分", "integer", "Minutes per session", "1回の接続で利用できる時間（分）",
            required=True, minimum=15, maximum=1440),
        fld("1日の接続回数上限", "integer", "Sessions per day", "0 は無制限", minimum=0, maximum=99),
        fld("対応言語", "string", "Languages of the login page", "半角セミコロン区切り"),
        fld("提供開始日", "date", "Service start date", required=True, minimum="2014-04-01"),
    ], pk=["ID"])


def wifi_rows():
    r = rng("wifi-spots")
    out = []
    n = 0
    for w in WARDS:
        for i in range(11):
            n += 1
            t = w.towns[i % len(w.towns)]
            place = ["駅前広場", "市民館", "図書館", "商店街", "公園", "区役所"][i % 6]
            lat, lon = point(r, w)
            start = datetime.date(2015, 4, 1) + datetime.timedelta(days=r.randint(0, 3500))
            out.append([f"W{n:04d}", f"{t[0]}{place}", w.ja, w.code, address(r, w, t), lat, lon,
                        r.choice(["Kawasaki_Free_Wi-Fi", "Kawasaki_Free_Wi-Fi_5G"]),
                        "屋外" if place in ("駅前広場", "商店街", "公園") else "屋内",
                        r.choice([30, 60, 60, 180]), r.choice([0, 0, 5, 10]),
                        "ja;en;zh;ko" if r.random() < 0.7 else "ja;en", start.isoformat()])
    return out


def main():
    d = fresh_dir("tourism-spots")
    sch = std_schema("tourism")
    write_csv(os.path.join(d, "141305_tourism.csv"), sch, tourism_rows())
    finish("tourism-spots", {
        "title": {"ja": "観光施設一覧", "en": "Tourist attractions"},
        "description": {"ja": "市内の観光スポット・観光施設の所在地、説明、営業時間、料金、アクセス方法を、区ごとにまとめた一覧です。",
                        "en": "Sightseeing spots and tourist facilities in the city."},
        "keywords": {"ja": ["観光", "名所", "推奨データセット"], "en": ["tourism", "sightseeing", "standard dataset"]},
        "licenses": [LIC_CCBY], "publisher": "keizai-rodo",
        "contactPoint": contact("経済労働局 観光プロモーション推進課", "Economy and Labour Bureau, Tourism Promotion",
                                "kanko@example.jp"),
        "theme": ["ECON", "EDUC"], "category": "観光",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "annual", "issued": "2019-10-01", "modified": "2025-03-25",
        "version": "2024.3", "conformsTo": CONFORMS,
        "resources": [csv_res("tourism", "観光施設一覧", "Tourist attractions", "141305_tourism.csv", sch)],
    }, """
推奨データセット「観光施設一覧」の形式です。名称・説明は英語も収録しています。

## 見どころ

- 臨海部の工場夜景
- 多摩川沿いのサイクリング
- 丘陵部の里山と古民家

詳しくは [観光ガイド](https://www.example.jp/keizai-rodo/kanko/) をご覧ください。
""", """
Data in the format of the recommended dataset "Tourist facilities", with English names and descriptions.

- Factory night views on the bay
- Cycling along the Tama River
- Woodland and old farmhouses in the western hills

See the [visitor guide](https://www.example.jp/keizai-rodo/kanko/).
""")

    d = fresh_dir("wifi-spots")
    sch = wifi_schema()
    write_csv(os.path.join(d, "wifi-spots.csv"), sch, wifi_rows())
    finish("wifi-spots", {
        "title": {"ja": "公衆無線LANアクセスポイント一覧", "en": "Free public Wi-Fi spots"},
        "description": {"ja": "市が駅周辺や公共施設で提供する無料公衆無線LAN（Wi-Fi）のアクセスポイントの設置場所、SSID、利用時間です。",
                        "en": "Access points of the free public Wi-Fi service provided by the city."},
        "keywords": {"ja": ["Wi-Fi", "無線LAN", "観光", "情報通信"], "en": ["Wi-Fi", "wireless", "tourism", "ICT"]},
        "publisher": "somu-kikaku",
        "theme": ["TRAN", "GOVE"], "category": "情報通信",
        "temporal": {"start": "2015-04-01", "end": "2025-03-31"},
        "accrualPeriodicity": "quarterly", "issued": "2016-04-01", "modified": "2025-04-01",
        "version": "2025.1",
        "resources": [csv_res("wifi-spots", "アクセスポイント一覧", "Access points", "wifi-spots.csv", sch)],
    }, """
市の無料 Wi-Fi「Kawasaki_Free_Wi-Fi」のアクセスポイントです。

| 項目 | 内容 |
| --- | --- |
| 利用料金 | 無料 |
| 利用時間 | 1回 30〜180 分（場所により異なる） |
| 登録 | メールアドレスまたは SNS アカウント |

ライセンスと問い合わせ先はカタログの既定（CC BY 4.0、オープンデータ窓口）です。
接続方法は [Wi-Fi のページ](https://www.example.jp/somu-kikaku/wifi/) を参照してください。
""", """
Access points of the city's free Wi-Fi "Kawasaki_Free_Wi-Fi". Free of charge; 30 to 180 minutes per
session depending on the spot. The licence and contact are the catalogue defaults.
See [how to connect](https://www.example.jp/somu-kikaku/wifi/).
""")


if __name__ == "__main__":
    main()

"""public-facilities (gov-std-2.0 licence) and public-toilets: standard schemas."""
import os

from common import (CITY, CITY_CODE, CONFORMS, LIC_CCBY, LIC_GOV, PREF, WARDS, address, contact,
                    csv_res, fresh_dir, phone, point, rng, std_schema, url, write_csv)
from package import finish

# (name, kana, POI code, days, open, close, description)
TYPES = [("市民館", "シミンカン", "3012", "火水木金土日", "9:00", "21:30",
          "ホール、会議室、音楽室を備えた生涯学習の拠点です。"),
         ("図書館", "トショカン", "3013", "火水木金土日", "9:30", "19:00",
          "一般書、児童書のほか、地域資料を所蔵しています。"),
         ("こども文化センター", "コドモブンカセンター", "3031", "月火水木金土", "9:30", "21:00",
          "子どもの遊び場と地域の交流の場です。"),
         ("老人いこいの家", "ロウジンイコイノイエ", "3041", "月火水木金土", "9:00", "16:30",
          "60歳以上の方の憩いと交流の場です。"),
         ("地区会館", "チクカイカン", "3014", "月火水木金土日", "9:00", "21:00",
          "地域の集会や趣味の活動に利用できる会議室があります。")]
BF = ["車椅子用トイレ", "エレベーター", "スロープ", "点字ブロック", "オストメイト対応トイレ", "授乳室"]


def facility_rows():
    r = rng("public-facilities")
    out = []
    n = 0
    for w in WARDS:
        items = [(f"{w.ja}役所", f"{w.kana}ヤクショ", "3001", "月火水木金", "8:30", "17:00",
                  "住民票、戸籍、税、福祉などの窓口があります。", w.towns[0])]
        items.append((f"{w.ja}スポーツセンター", f"{w.kana}スポーツセンター", "3021", "月火水木金土日",
                      "9:00", "21:00", "体育館、トレーニング室、武道室があります。", w.towns[1]))
        for i in range(12):
            t = w.towns[(i + 2) % len(w.towns)]
            ty = TYPES[i % len(TYPES)]
            items.append((f"{t[0]}{ty[0]}", f"{t[1]}{ty[1]}", *ty[2:], t))
        seen = set()
        for name, kana, poi, days, op, cl, desc, t in items:
            if name in seen:
                continue
            seen.add(name)
            n += 1
            if n % 17 == 3:  # a quoted cell with a comma and a line break
                desc = desc + "\n" + "駐車場は台数に限りがあります, 公共交通機関をご利用ください。"
            lat, lon = point(r, w)
            out.append([
                CITY_CODE, f"{n:04d}", PREF, CITY, name, kana,
                f"{t[0]}{name[-3:]}" if r.random() < 0.1 else "", poi, address(r, w, t),
                "" if r.random() < 0.7 else f"{t[0]}複合施設{r.randint(1, 4)}階", lat, lon, phone(r, w),
                "", "", f"川崎市{w.ja}" if poi == "3001" else "川崎市", days, op, cl,
                "祝日の翌日と年末年始は休館" if "日" in days else "土日祝日と年末年始は休み", desc,
                ";".join(r.sample(BF, r.randint(1, 4))), url(f"shimin-bunka/shisetsu/{n:04d}.html"), "",
            ])
    return out


def toilet_rows():
    r = rng("public-toilets")
    out = []
    n = 0
    for w in WARDS:
        for i, t in enumerate(w.towns[:7]):
            n += 1
            kind = ("公園", "コウエン", "Park") if i % 3 else ("駅前", "エキマエ", "Station Square")
            name = f"{t[0]}{kind[0]}公衆トイレ"
            m_u, m_j, m_y = r.randint(1, 4), r.randint(0, 1), r.randint(1, 2)
            f_j, f_y = r.randint(0, 1), r.randint(1, 4)
            u_j, u_y = 0, r.randint(0, 1)
            multi = r.randint(0, 2)
            lat, lon = point(r, w)
            allday = kind[0] == "駅前" or r.random() < 0.5
            out.append([
                CITY_CODE, f"{n:03d}", PREF, CITY, name, f"{t[1]}{kind[1]}コウシュウトイレ",
                f"{t[2]} {kind[2]} Public Toilet", address(r, w, t), "",
                r.choice(["公園入口横", "広場北側", "駅前広場東側", "駐輪場隣"]), lat, lon,
                m_u + m_j + m_y, m_u, m_j, m_y, f_j + f_y, f_j, f_y, u_j + u_y, u_j, u_y, multi,
                "有" if multi else "無", "有" if multi or r.random() < 0.3 else "無",
                "有" if multi and r.random() < 0.7 else "無",
                "0:00" if allday else "7:00", "24:00" if allday else "21:00",
                "" if allday else "冬期（12月～2月）は8:00から",
                url(f"kensetsu-ryokusei/toilet/img/{n:03d}.jpg"), "CC BY 4.0",
                "" if r.random() < 0.8 else "改修工事のため一部使用不可の期間があります",
            ])
    return out


def main():
    d = fresh_dir("public-facilities")
    sch = std_schema("public-facility")
    write_csv(os.path.join(d, "141305_public_facility.csv"), sch, facility_rows())
    finish("public-facilities", {
        "title": {"ja": "公共施設一覧", "en": "Public facilities"},
        "description": {"ja": "区役所、市民館、図書館、スポーツセンターなど市の公共施設の所在地、連絡先、利用可能な時間と料金の一覧です。",
                        "en": "Ward offices, civic halls, libraries and other public facilities of the city."},
        "keywords": {"ja": ["公共施設", "市民館", "図書館", "推奨データセット"],
                     "en": ["public facilities", "civic hall", "library", "standard dataset"]},
        "licenses": [LIC_GOV],
        "publisher": "shimin-bunka",
        "contactPoint": contact("市民文化局 市民活動推進課", "Civic Affairs and Culture Bureau", "shimin@example.jp"),
        "theme": ["GOVE", "SOCI"], "category": "行政・地域",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "annual", "issued": "2019-04-01", "modified": "2025-04-15",
        "version": "2025.1", "conformsTo": CONFORMS,
        "resources": [csv_res("public-facility", "公共施設一覧", "Public facilities",
                              "141305_public_facility.csv", sch)],
    }, """
推奨データセット「公共施設一覧」の形式です。このデータセットは **政府標準利用規約（第2.0版）** で提供します。

- `説明` 列には、カンマや改行を含む値があります（CSV の引用符で囲んでいます）
- `バリアフリー情報` は半角セミコロン `;` 区切りです

施設の予約は [施設予約システム](https://www.example.jp/shimin-bunka/yoyaku/) から行えます。
""", """
Data in the format of the recommended dataset "Public facilities", offered under the
**Government of Japan Standard Terms of Use (Version 2.0)**.

- The `説明` (description) column has values with commas and line breaks (quoted in the CSV).
- `バリアフリー情報` (accessibility) is separated by semicolons.

Rooms can be booked in the [booking system](https://www.example.jp/shimin-bunka/yoyaku/).
""")

    d = fresh_dir("public-toilets")
    sch = std_schema("public-toilet")
    write_csv(os.path.join(d, "141305_public_toilet.csv"), sch, toilet_rows())
    finish("public-toilets", {
        "title": {"ja": "公衆トイレ一覧", "en": "Public toilets"},
        "description": {"ja": "公園や駅前広場にある公衆トイレの所在地、利用時間、多機能トイレ・オストメイト対応・ベビーシートの有無の一覧です。",
                        "en": "Public toilets in parks and station squares, with their facilities and opening hours."},
        "keywords": {"ja": ["公衆トイレ", "バリアフリー", "公園", "推奨データセット"],
                     "en": ["public toilets", "accessibility", "parks", "standard dataset"]},
        "licenses": [LIC_CCBY],
        "publisher": "kensetsu-ryokusei",
        "contactPoint": contact("建設緑政局 公園管理課", "Construction and Green Policy Bureau, Parks Division",
                                "koen@example.jp"),
        "theme": ["HEAL", "TRAN"], "category": "健康・福祉",
        "temporal": {"start": "2025-04-01", "end": "2026-03-31"},
        "accrualPeriodicity": "annual", "issued": "2020-04-01", "modified": "2025-05-01",
        "version": "2025.1", "conformsTo": CONFORMS,
        "resources": [csv_res("public-toilet", "公衆トイレ一覧", "Public toilets",
                              "141305_public_toilet.csv", sch)],
    }, """
推奨データセット「公衆トイレ一覧」の形式です。便器の数は便座単位で数えています。

| 列 | 意味 |
| --- | --- |
| 多機能トイレ数 | 車椅子・オストメイト等に対応したトイレの数 |
| 利用開始時間／利用終了時間 | `0:00`〜`24:00` は終日利用可 |

- 画像は [公園のページ](https://www.example.jp/kensetsu-ryokusei/koen/) でも公開しています
""", """
Data in the format of the recommended dataset "Public toilets". Fixtures are counted per seat.

- `0:00`–`24:00` means open all day.
- Photos are also on the [parks page](https://www.example.jp/kensetsu-ryokusei/koen/).
""")


if __name__ == "__main__":
    main()

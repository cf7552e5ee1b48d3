"""Writes odcat.json, the catalogue settings of the sample (Kawasaki City)."""
import os

from common import CITY_CODE, ROOT, write_json

DEPTS = [
    ("kiki-kanri", "危機管理本部", "Crisis Management Headquarters", "kikikanri"),
    ("somu-kikaku", "総務企画局", "General Affairs and Planning Bureau", "somu"),
    ("shimin-bunka", "市民文化局", "Civic Affairs and Culture Bureau", "shimin"),
    ("keizai-rodo", "経済労働局", "Economy and Labour Bureau", "keizai"),
    ("kenko-fukushi", "健康福祉局", "Health and Welfare Bureau", "kenko"),
    ("kodomo-mirai", "こども未来局", "Children's Future Bureau", "kodomo"),
    ("kankyo", "環境局", "Environment Bureau", "kankyo"),
    ("kensetsu-ryokusei", "建設緑政局", "Construction and Green Policy Bureau", "kensetsu"),
    ("kyoiku", "教育委員会事務局", "Board of Education Secretariat", "kyoiku"),
]

catalog = {
    "title": {"ja": "川崎市オープンデータカタログ（サンプル）",
              "en": "Kawasaki City Open Data Catalogue (sample)"},
    "description": {
        "ja": "odcat に同梱するサンプルカタログです。川崎市を題材にしていますが、"
              "収録データはすべて動作確認用に作成した架空のサンプルデータです。",
        "en": "The sample catalogue bundled with odcat. It is modelled on Kawasaki City, "
              "but every dataset in it is synthetic sample data made for demonstration.",
    },
    "base_url": "https://opendata.example.jp/",
    "languages": ["ja", "en"],
    "publisher": {"name": {"ja": "川崎市", "en": "Kawasaki City"},
                  "homepage": "https://www.example.jp/", "code": CITY_CODE},
    "publishers": {
        pid: {"name": {"ja": ja, "en": en}, "email": f"{mail}@example.jp",
              "homepage": f"https://www.example.jp/{pid}/"}
        for pid, ja, en, mail in DEPTS
    },
    "license": "CC-BY-4.0",
    "contactPoint": {"name": {"ja": "川崎市オープンデータ窓口", "en": "Kawasaki City Open Data Desk"},
                     "email": "opendata@example.jp"},
    "target": 500,
    "page_size": 50,
}

if __name__ == "__main__":
    write_json(os.path.join(ROOT, "odcat.json"), catalog)
    print("odcat.json:", len(catalog["publishers"]), "publishers")

"""Shared helpers for the synthetic Kawasaki sample catalogue.

Every generator script imports this module. It knows the wards, writes CSV /
JSON / README files, and checks every CSV row against its Table Schema
(types, required, pattern, enum, minimum/maximum, primaryKey, header order).
All randomness goes through rng(name), seeded by a fixed string.
"""
import csv
import io
import json
import os
import random
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("ODCAT_ROOT") or os.path.abspath(os.path.join(HERE, "../../.."))
DATASETS = os.path.join(ROOT, "datasets")
JA_SCHEMAS = os.environ.get("ODCAT_JA_SCHEMAS") or os.path.join(ROOT, "..", "shared", "ja-standard-schemas")

CITY_CODE = "141305"
PREF = "神奈川県"
CITY = "川崎市"
BBOX = [139.46, 35.52, 139.78, 35.64]
SPATIAL = {"name": {"ja": "神奈川県川崎市", "en": "Kawasaki City, Kanagawa"},
           "code": CITY_CODE, "bbox": BBOX}
CONFORMS = "https://www.digital.go.jp/resources/open_data/municipal-standard-data-set-test"
LIC_CCBY = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International"}
LIC_CC0 = {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/",
           "title": "Creative Commons Zero v1.0 Universal"}
LIC_GOV = {"name": "gov-std-2.0", "path": "https://www.digital.go.jp/resources/open_data/",
           "title": "政府標準利用規約（第2.0版）"}
SYNTH_JA = "このデータは odcat の動作確認用に作成した**架空のサンプルデータ**です。実在の施設・数値とは関係ありません。"
SYNTH_EN = "This is **synthetic sample data** made to demonstrate odcat. It does not describe real facilities or figures."


class Ward:
    def __init__(self, code, ja, en, kana, lat, lon, dlat, dlon, phone, towns):
        self.code, self.ja, self.en, self.kana = code, ja, en, kana
        self.lat, self.lon, self.dlat, self.dlon = lat, lon, dlat, dlon
        self.phone = phone
        self.towns = towns  # list of (kanji, kana, romaji)


def _t(s):
    return [tuple(x.split(":")) for x in s.split()]


WARDS = [
    Ward("141313", "川崎区", "Kawasaki Ward", "カワサキク", 35.533, 139.727, 0.010, 0.025, "201",
         _t("駅前本町:エキマエホンチョウ:Ekimae-honcho 宮本町:ミヤモトチョウ:Miyamoto-cho "
            "東田町:ヒガシダチョウ:Higashida-cho 砂子:イサゴ:Isago 大師町:ダイシマチ:Daishi-machi "
            "渡田:ワタリダ:Watarida 桜本:サクラモト:Sakuramoto 浜町:ハマチョウ:Hamacho "
            "小田:オダ:Oda 殿町:トノマチ:Tonomachi")),
    Ward("141321", "幸区", "Saiwai Ward", "サイワイク", 35.550, 139.690, 0.008, 0.012, "556",
         _t("幸町:サイワイチョウ:Saiwai-cho 小倉:オグラ:Ogura 鹿島田:カシマダ:Kashimada "
            "南加瀬:ミナミカセ:Minami-kase 戸手:トデ:Tode 古市場:フルイチバ:Furuichiba "
            "下平間:シモヒラマ:Shimo-hirama 神明町:シンメイチョウ:Shinmei-cho")),
    Ward("141330", "中原区", "Nakahara Ward", "ナカハラク", 35.575, 139.655, 0.010, 0.014, "744",
         _t("小杉町:コスギマチ:Kosugi-machi 新丸子町:シンマルコチョウ:Shin-maruko-cho "
            "上丸子八幡町:カミマルコハチマンチョウ:Kami-maruko-hachiman-cho 木月:キヅキ:Kizuki "
            "井田:イダ:Ida 今井南町:イマイミナミチョウ:Imai-minami-cho "
            "下小田中:シモコダナカ:Shimo-kodanaka 宮内:ミヤウチ:Miyauchi")),
    Ward("141348", "高津区", "Takatsu Ward", "タカツク", 35.598, 139.617, 0.010, 0.014, "861",
         _t("溝口:ミゾノクチ:Mizonokuchi 下作延:シモサクノベ:Shimo-sakunobe 久本:ヒサモト:Hisamoto "
            "二子:フタゴ:Futago 末長:スエナガ:Suenaga 千年:チトセ:Chitose "
            "北見方:キタミカタ:Kitamikata 坂戸:サカド:Sakado")),
    Ward("141364", "宮前区", "Miyamae Ward", "ミヤマエク", 35.585, 139.580, 0.012, 0.016, "856",
         _t("宮前平:ミヤマエダイラ:Miyamaedaira 鷺沼:サギヌマ:Saginuma 有馬:アリマ:Arima "
            "野川:ノガワ:Nogawa 神木本町:シボクホンチョウ:Shiboku-honcho 馬絹:マギヌ:Maginu "
            "宮崎:ミヤザキ:Miyazaki 平:タイラ:Taira")),
    Ward("141356", "多摩区", "Tama Ward", "タマク", 35.618, 139.560, 0.010, 0.020, "935",
         _t("登戸:ノボリト:Noborito 生田:イクタ:Ikuta 宿河原:シュクガワラ:Shukugawara 菅:スゲ:Suge "
            "中野島:ナカノシマ:Nakanoshima 枡形:マスガタ:Masugata 長尾:ナガオ:Nagao "
            "西生田:ニシイクタ:Nishi-ikuta")),
    Ward("141372", "麻生区", "Asao Ward", "アサオク", 35.600, 139.505, 0.014, 0.025, "965",
         _t("万福寺:マンプクジ:Manpukuji 上麻生:カミアサオ:Kami-asao 百合丘:ユリガオカ:Yurigaoka "
            "王禅寺:オウゼンジ:Ozenji 栗木:クリキ:Kuriki 片平:カタヒラ:Katahira 岡上:オカガミ:Okagami "
            "高石:タカイシ:Takaishi")),
]
WARD_BY_CODE = {w.code: w for w in WARDS}
WARD_NAMES = [w.ja for w in WARDS]
WARD_CODES = [w.code for w in WARDS]


def rng(name):
    """A deterministic random generator for one dataset."""
    return random.Random("odcat-sample:" + name)


def point(r, w):
    lat = min(max(w.lat + r.uniform(-w.dlat, w.dlat), BBOX[1] + 0.005), BBOX[3] - 0.005)
    lon = min(max(w.lon + r.uniform(-w.dlon, w.dlon), BBOX[0] + 0.005), BBOX[2] - 0.005)
    return f"{lat:.6f}", f"{lon:.6f}"


def town(r, w):
    return r.choice(w.towns)


def address(r, w, t=None):
    t = t or town(r, w)
    return f"{PREF}{CITY}{w.ja}{t[0]}{r.randint(1, 5)}丁目{r.randint(1, 30)}番地"


def phone(r, w):
    return f"044-{w.phone}-{r.randint(0, 9999):04d}"


def url(path):
    return "https://www.example.jp/" + path.lstrip("/")


def std_schema(name):
    """The standard schema object (fields, missingValues, primaryKey), copied inline."""
    with open(os.path.join(JA_SCHEMAS, name + ".schema.json"), encoding="utf-8") as f:
        s = json.load(f)
    out = {"fields": s["fields"], "missingValues": s.get("missingValues", [""])}
    if "primaryKey" in s:
        out["primaryKey"] = s["primaryKey"]
    return out


def fld(name, typ, title, desc=None, **constraints):
    f = {"name": name, "type": typ, "title": title}
    if desc:
        f["description"] = desc
    if typ == "string" and constraints.pop("uri", False):
        f["format"] = "uri"
    if constraints:
        f["constraints"] = constraints
    return f


def schema(fields, pk=None):
    s = {"fields": fields, "missingValues": [""]}
    if pk:
        s["primaryKey"] = pk
    return s


def contact(ja, en, email):
    return {"name": {"ja": ja, "en": en}, "email": email}


def csv_res(name, ja, en, path, sch, encoding="utf-8"):
    return {"name": name, "title": {"ja": ja, "en": en}, "path": path, "format": "csv",
            "mediatype": "text/csv", "encoding": encoding, "schema": sch}


def fresh_dir(slug):
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug), slug
    d = os.path.join(DATASETS, slug)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_json(path, obj):
    write_bytes(path, (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def write_csv(path, sch, rows, encoding="utf-8", bom=False, crlf=False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow([f["name"] for f in sch["fields"]])
    for row in rows:
        w.writerow(["" if v is None else str(v) for v in row])
    codec = "cp932" if encoding in ("shift_jis", "cp932", "windows-31j") else "utf-8"
    data = buf.getvalue().encode(codec)  # strict: fails on a character the codec lacks
    if bom:
        data = b"\xef\xbb\xbf" + data
    write_bytes(path, data)


from check import check_csv  # noqa: E402,F401  (re-exported for the generators)

#!/bin/sh
# tests/bench/gencsv.sh MB — writes a deterministic benchmark CSV of at
# least MB megabytes (10^6 bytes) to standard output.
#
# Ten typed columns, every value valid against the schema that
# tests/bench/bench.sh writes into datapackage.json:
#   id        integer, 1, 2, 3 ...                  (minimum 1)
#   人数      integer 0..999999                      (minimum 0, maximum 999999)
#   金額      number with two decimals               (minimum 0)
#   緯度      number 35.0000..35.9999                (minimum 20, maximum 46)
#   日付      date YYYY-MM-DD, 1990..2024            (minimum 1900-01-01)
#   名称      Japanese text, at most 16 characters  (maxLength 40)
#   区名      one of Kawasaki's seven wards          (enum)
#   団体コード six digits                            (pattern ^[0-9]{6}$)
#   有無      true / false                           (boolean)
#   更新日時  datetime YYYY-MM-DDThh:mm:ss           (minimum 2000-01-01T00:00:00)
#
# Values are arithmetic on the row number (no rand(), whose sequence differs
# between awk implementations), so the same MB always gives the same bytes.
# LC_ALL=C makes length() count bytes. About 6 s for 200 MB with mawk.
set -eu
mb=${1:?usage: gencsv.sh MB}
LC_ALL=C exec awk -v mb="$mb" '
BEGIN {
	nw = split("川崎区 幸区 中原区 高津区 宮前区 多摩区 麻生区", ward, " ")
	nk = split("市民館 図書館 公園 保育園 小学校 中学校 こども文化センター 老人いこいの家 " \
		   "消防署 出張所 体育館 プール 駐輪場 緑地 市営住宅 地区会館", kind, " ")
	header = "id,人数,金額,緯度,日付,名称,区名,団体コード,有無,更新日時"
	print header
	target = mb * 1000000
	bytes = length(header) + 1
	for (i = 1; bytes < target; i++) {
		line = sprintf("%d,%d,%d.%02d,35.%04d,%04d-%02d-%02d,%s%s第%d号,%s,%06d,%s,%04d-%02d-%02dT%02d:%02d:%02d",
			i, (i * 7919) % 1000000, (i * 31337) % 10000000, i % 100, (i * 13) % 10000,
			1990 + i % 35, 1 + int(i / 7) % 12, 1 + (i * 3) % 28,
			ward[1 + i % nw], kind[1 + int(i / 3) % nk], i % 100,
			ward[1 + (i * 5) % nw], (i * 104729) % 1000000,
			i % 3 == 0 ? "true" : "false",
			2000 + i % 25, 1 + i % 12, 1 + i % 28, i % 24, (i * 7) % 60, (i * 13) % 60)
		print line
		bytes += length(line) + 1
	}
}'

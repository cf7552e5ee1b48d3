#!/usr/bin/env bash
# Search (docs/search.md): odcat writes search/ for the sample catalogue
# (this repository's datasets/ at HEAD), deterministically, with readings
# when MeCab has its dictionary and a warning when not. Then, on the normal
# build only: the browser client's tokeniser against the shared vectors
# (node --test tests/js/search.test.mjs; the C side is test_search) and
# the client in headless Chromium (tests/js/search-browser.mjs: 40-odd
# Japanese and English queries, URL, history, filters, keyboard, escaping).
T_SUITE=search
source "$(dirname "$0")/../lib.sh"

S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "the sample catalogue builds" 0
t_file "search/manifest.json is written" "$S/search/manifest.json"
M=$S/search/manifest.json
ndocs=$(jq -r .docs "$M")
t_eq "one search document per published dataset" "$ndocs" "$(jq '.dataset | length' "$S/data.json")"
t_eq "one record per document" "$(find "$S/search/d" -name '*.json' | wc -l)" "$ndocs"
t_eq "the manifest names every shard" "$(jq '.shards | length' "$M")" "$(find "$S/search/s" -name '*.json' | wc -l)"
t_eq "readings are on (MeCab with a UTF-8 dictionary)" "$(jq .readings "$M")" true

# Shards: terms sorted by code point (UTF-8 bytes), each shard starting with
# the term the manifest names, ranges not overlapping.
sorted_ok=1
nshards=$(jq '.shards | length' "$M")
prev=""
for ((i = 0; i < nshards; i++)); do
	jq -r 'keys_unsorted[]' "$S/search/s/$i.json" >"$T_TMP/keys"
	first=$(head -n 1 "$T_TMP/keys")
	[ "$first" = "$(jq -r ".shards[$i]" "$M")" ] || sorted_ok=0
	{ [ -n "$prev" ] && printf '%s\n' "$prev"; cat "$T_TMP/keys"; } >"$T_TMP/run"
	LC_ALL=C sort -c -u "$T_TMP/run" 2>/dev/null || sorted_ok=0
	prev=$(tail -n 1 "$T_TMP/keys")
done
t_eq "shards hold sorted, disjoint term ranges" "$sorted_ok" 1

# Tokens that must be in the index (hand-checked against the datasets).
has_term() { # TERM
	local i
	for ((i = 0; i < nshards; i++)); do
		jq -e --arg t "$1" 'has($t)' "$S/search/s/$i.json" >/dev/null && return 0
	done
	return 1
}
t_true "Latin words are indexed lower case (aed)" has_term aed
t_true "Wi-Fi is indexed joined (wifi)" has_term wifi
t_true "CJK bigrams are indexed (避難)" has_term 避難
t_true "CJK unigrams are indexed (園)" has_term 園
t_true "readings with rendaku are indexed (ジョ from 避難所)" has_term ジョ
t_true "facet terms are indexed (!p:kiki-kanri)" has_term '!p:kiki-kanri'
t_false "no upper-case Latin term" has_term AED
t_false "no hiragana term" has_term ごみ
t_eq "a facet value has its labels and count" \
	"$(jq -c '.facets.publisher[] | select(.id == "kiki-kanri")' "$M")" \
	'{"id":"kiki-kanri","label":["危機管理本部","Crisis Management Headquarters"],"count":1}'

# Deterministic: a second build (datasets from the build cache) and one
# without the cache, on two workers, give byte-identical search files.
odc build --repo "$TOP" --out "$T_TMP/site2"
t_true "the index is byte-identical across builds (cached)" diff -r "$S/search" "$T_TMP/site2/search"
odc build --repo "$TOP" --out "$T_TMP/site4" --no-cache --jobs 2
t_true "the index is byte-identical without the cache, on 2 jobs" diff -r "$S/search" "$T_TMP/site4/search"

# Without a MeCab dictionary: built without readings, with a warning.
MECABRC=$T_TMP/no-such-mecabrc odc build --repo "$TOP" --out "$T_TMP/site3"
t_rc "builds without a MeCab dictionary" 0
t_err "warns that readings are off" "odcat-search-no-readings"
t_eq "the manifest says readings are off" "$(jq .readings "$T_TMP/site3/search/manifest.json")" false

# A dataset whose texts are markup (for the browser's escaping check), and
# junk bytes in a README: still one document, no crash.
H=$T_TMP/hostile
minimal_catalog "$H"
jq '.title = "<img src=x onerror=alert(1)> 避難" | .description = "<script>alert(2)</script><b>bold</b> 避難の説明です。"' \
	"$H/datasets/plain/datapackage.json" >"$T_TMP/dp" && mv "$T_TMP/dp" "$H/datasets/plain/datapackage.json"
printf '# \xff\xfe 避難\n\n<script>alert(3)</script>\n' >"$H/datasets/plain/README.md"
commit_all "$H" "hostile"
odc build --repo "$H" --out "$T_TMP/hsite"
t_rc "a catalogue with markup in its texts builds" 0
t_eq "its one document is indexed" "$(jq .docs "$T_TMP/hsite/search/manifest.json")" 1
odc build --repo "$H" --out "$T_TMP/hsite2"
t_true "a README that is not UTF-8 indexes the same from the cache" diff -r "$T_TMP/hsite/search" "$T_TMP/hsite2/search"

external_checks || { t_summary; exit; }

need_node_modules playwright-core
# node's test runner: every vector, as "# pass N" / "# fail N".
SEARCH_SITE=$S node --test "$TOP/tests/js/search.test.mjs" >"$T_TMP/node.log" 2>&1
np=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$T_TMP/node.log")
nf=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$T_TMP/node.log")
t_true "node --test ran the vectors" [ "${np:-0}" -ge 40 ]
if [ "${nf:-1}" = 0 ]; then
	for ((i = 0; i < np; i++)); do t_pass "node search.test.mjs"; done
else
	t_fail "node search.test.mjs" "$nf failed: $(grep -A12 '^not ok' "$T_TMP/node.log" | head -60)"
fi

sh "$TOP/tests/tools/deps.sh" browser >/dev/null 2>&1
node "$TOP/tests/js/search-browser.mjs" "$S" "$T_TMP/hsite" >"$T_TMP/browser.log" 2>&1
grep '^FAIL' "$T_TMP/browser.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$T_TMP/browser.log" | tail -n 1)
bp=${line%% passed*}
bf=${line#*, }
bf=${bf%% failed*}
if [ -z "$line" ]; then
	t_fail "browser search test" "no result line: $(tail -n 20 "$T_TMP/browser.log")"
else
	for ((i = 0; i < bp; i++)); do t_pass "browser search"; done
	T_FAILED=$((T_FAILED + bf))
fi
t_summary

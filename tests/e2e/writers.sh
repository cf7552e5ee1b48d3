#!/usr/bin/env bash
# The catalogue-wide writers from per-dataset fragments (issue 7, "Speed"):
# data.json, DCAT-AP, CKAN and the CSV list/sitemap are assembled from
# parts each dataset makes in phase B, and a dataset's own DCAT-AP and
# CKAN files (dataset.ttl/.jsonld, package_show) are written in phase B
# and kept in the build cache. The site must stay the same bytes as a
# build without the cache, whatever the number of threads.
#
# The DCAT-AP dataset files hold the shared nodes (agents, media types,
# licences...) a dataset points to in the order the whole catalogue first
# makes them, so a change to one dataset can change another's file: the
# last part commits such a change and checks the cached rebuild against a
# fresh one.
T_SUITE=writers
source "$(dirname "$0")/../lib.sh"

R=$T_TMP/repo
C=$T_TMP/cache
python3 "$TOP/tests/bench/gencatalog.py" "$R" 24 10 >/dev/null || { t_fail "fixture" "gencatalog.py failed"; t_summary; exit 1; }
# Three departments, themes, frequencies, standards, a licence, a link to
# another dataset's page, a second media type; pages of 5 in DCAT-AP.
python3 - "$R" <<'EOF'
import glob, json, os, sys
root = sys.argv[1]
p = os.path.join(root, "odcat.json")
c = json.load(open(p, encoding="utf-8"))
c["publishers"]["p2"] = {"name": {"ja": "第二課", "en": "Second Division"}}
c["publishers"]["p3"] = {"name": {"ja": "第三課"}}
c["page_size"] = 5
json.dump(c, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
for n, p in enumerate(sorted(glob.glob(os.path.join(root, "datasets/ds-*/datapackage.json"))), 1):
    d = json.load(open(p, encoding="utf-8"))
    if n % 3 == 1: d["publisher"] = "p2"
    if n % 7 == 2: d["publisher"] = "p3"
    if n % 5 == 0: d["theme"] = ["ENVI", "HEAL"] if n % 2 else ["TRAN"]
    if n % 4 == 3: d["accrualPeriodicity"] = "monthly"
    if n % 6 == 4: d["conformsTo"] = "https://example.jp/std/%d" % (n % 2)
    if n % 8 == 5: d["license"] = "CC0-1.0"
    if n % 9 == 7:
        d["resources"].append({"name": "link", "path": "https://bench.example.jp/datasets/ds-00002/", "format": "html"})
    if n % 10 == 1:
        d["resources"].append({"name": "pdf", "path": "https://example.jp/x.pdf", "format": "pdf",
                               "mediatype": "application/pdf"})
    json.dump(d, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
EOF
commit_all "$R" "departments and themes"
t_grep "fixture: ds-00001 is the second department's" "$R/datasets/ds-00001/datapackage.json" '"publisher": "p2"'

build() { # NAME [ARGS...] — a cached build into $T_TMP/site
	local name=$1; shift
	odc build --repo "$R" --out "$T_TMP/site" --cache "$C" "$@"
	t_rc "$name: builds" 0
}
same_as_fresh() { # NAME [ARGS...] — the cached site equals a --no-cache build
	local name=$1; shift
	rm -rf "$T_TMP/fresh"
	odc build --repo "$R" --out "$T_TMP/fresh" --no-cache --jobs 1 "$@"
	t_rc "$name: the --no-cache build succeeds" 0
	if diff -r "$T_TMP/site" "$T_TMP/fresh" >"$T_TMP/diff" 2>&1; then
		t_pass "$name: byte-identical to a --no-cache build"
	else
		t_fail "$name: byte-identical to a --no-cache build" "$(head -c 1500 "$T_TMP/diff")"
	fi
}
inode() { stat -c %i "$1" 2>/dev/null; }

# ---------------------------------------------------------------- fill and rebuild
build "first build" --jobs 2
same_as_fresh "first build"
t_file "DCAT-AP pages are written" "$T_TMP/site/catalog/page-5.ttl"
build "unchanged" --jobs 1
same_as_fresh "unchanged"
# A reused dataset's own files come from the cache: hard links to the
# cache's copies, not written again in the catalogue-wide phase.
for f in datasets/ds-00004/dataset.ttl datasets/ds-00004/dataset.jsonld \
	api/3/action/package_show/ds-00004.json api/action/package_show/ds-00004.json; do
	t_eq "unchanged: $f is the cache's file" "$(inode "$T_TMP/site/$f")" "$(inode "$C/v1/ds-00004/files/$f")"
done
# The four package_show answers of a package are the same bytes: by name
# and by id, under api/3/action/ and api/action/.
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["id"])' \
	"$T_TMP/site/api/3/action/package_show/ds-00004.json")
for f in api/action/package_show/ds-00004.json api/3/action/package_show/$id.json api/action/package_show/$id.json; do
	t_true "package_show: $f is the same answer" cmp -s "$T_TMP/site/api/3/action/package_show/ds-00004.json" "$T_TMP/site/$f"
done

# ---------------------------------------------------------------- a change that moves shared nodes
# ds-00001 made the second department's agent node first; now the third
# department's is first, and the second's comes after the media types that
# ds-00001 makes: ds-00004's dataset file lists its shared nodes anew.
cp "$T_TMP/site/datasets/ds-00004/dataset.ttl" "$T_TMP/ds-00004-before.ttl"
sed -i 's/"publisher": "p2"/"publisher": "p3"/' "$R/datasets/ds-00001/datapackage.json"
commit_all "$R" "ds-00001 moves to the third department"
build "reordered" --jobs 2
t_eq "reordered: only ds-00001 is read again" \
	"$(printf '%s' "$ERR" | sed -n 's/^odcat: \([0-9]*\) datasets\{0,1\} reused.*/\1/p')" "24"
same_as_fresh "reordered"
t_false "reordered: ds-00004's dataset.ttl changed (the order of its shared nodes)" \
	cmp -s "$T_TMP/ds-00004-before.ttl" "$T_TMP/site/datasets/ds-00004/dataset.ttl"
# Its cache entry still holds the file in the old order: the next build
# must write it again, not take the stale copy.
build "reordered, again" --jobs 1
same_as_fresh "reordered, again"

# ---------------------------------------------------------------- no cache, one thread or two
rm -rf "$T_TMP/j2"
odc build --repo "$R" --out "$T_TMP/j2" --no-cache --jobs 2
t_rc "--no-cache --jobs 2 builds" 0
t_true "--no-cache --jobs 2 equals --jobs 1" diff -r "$T_TMP/j2" "$T_TMP/fresh"

t_summary

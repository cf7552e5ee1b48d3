#!/usr/bin/env bash
# No broken internal link anywhere in a built site: tests/js/links.mjs walks
# every .html page and resolves every href and src (relative, root-relative
# and absolute under base_url; folder URLs mean index.html; #fragments must
# name an id). The bundled sample catalogue with its base URL, and a
# catalogue without one whose keywords are Japanese, collide and hold
# characters that must be escaped in URLs.
T_SUITE=links
source "$(dirname "$0")/../lib.sh"

S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "the sample catalogue builds" 0

H=$T_TMP/tags
minimal_catalog "$H"
jq '.keywords = {"ja": ["救急", "AED", "aed", "a/b", "a b", "100%", "#x?y", "..", "<i>"], "en": ["First aid", "C++", "c"]}
    | .theme = ["HEAL", "bad/code"] | .licenses = [{"name": "../x"}]' \
	"$H/datasets/plain/datapackage.json" >"$H/d.json" && mv "$H/d.json" "$H/datasets/plain/datapackage.json"
commit_all "$H" "keywords"
HS=$T_TMP/site-tags
odc build --repo "$H" --out "$HS"
t_rc "the catalogue of awkward keywords builds" 0

need_node_modules
links() { # SITE [BASE_URL]
	local out rc
	out=$(node "$TOP/tests/js/links.mjs" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | tail -n 1 | sed "s/^/note $T_SUITE: /"
	[ "$rc" = 0 ] || printf '%s\n' "$out" | head -n 30
	return "$rc"
}

# The walker itself (control): a missing page, a missing file and a missing
# fragment are each reported.
C=$T_TMP/control
mkdir -p "$C/a"
printf '<p id="x"><a href="a/">a</a> <a href="#x">x</a></p>' >"$C/index.html"
printf '<a href="../">up</a> <a href="../index.html#x">x</a>' >"$C/a/index.html"
t_true "control: a site whose links all resolve passes" links "$C"
for bad in '<a href="../nowhere/">' '<img src="../missing.png" alt="">' '<a href="../#nope">' '<a href="/b/">'; do
	printf '%s' "$bad" >"$C/a/broken.html"
	t_false "control: reports $bad" links "$C" >/dev/null
done

t_true "sample: no broken internal link" links "$S" https://opendata.example.jp/
t_true "awkward keywords, no base URL: no broken internal link" links "$HS"
t_summary

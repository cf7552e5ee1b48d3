#!/usr/bin/env bash
# The shared validation fixtures (../shared/fixtures/validation): every case
# is checked with `odcat check --package`, and the errors reported must be
# exactly the expected ones — compared as a multiset of (code, resource,
# row, field) — with nothing else than what "also_allowed" permits.
T_SUITE=fixtures
source "$(dirname "$0")/../lib.sh"

FIX=${ODC_SHARED:-$TOP/../shared}/fixtures/validation
if [ ! -d "$FIX" ]; then
	t_fail "fixtures exist" "no folder $FIX"
	t_summary
	exit 1
fi

ncases=0
for case in "$FIX"/*/; do
	name=$(basename "$case")
	[ -f "$case/expected.json" ] || continue
	ncases=$((ncases + 1))
	odc check --package "$case" --format json
	want_valid=$(jq -r .valid "$case/expected.json")
	if [ "$want_valid" = true ]; then t_rc "$name: exit code" 0; else t_rc "$name: exit code" 1; fi
	printf '%s' "$OUT" >"$T_TMP/got.json"
	if ! jq -e . "$T_TMP/got.json" >/dev/null 2>&1; then
		t_fail "$name: JSON report" "not JSON: $(head -c 300 "$T_TMP/got.json")"
		continue
	fi
	# Resource names by path, to name the resource of each diagnostic.
	nres=$(jq '.resources | length' "$case/datapackage.json")
	jq -r --argjson n "$nres" --slurpfile dp "$case/datapackage.json" '
		($dp[0].resources | map({(.path|tostring): .name}) | add) as $names
		| .diagnostics[] | select(.severity == "error")
		| [.code, (if $n > 1 then ($names[.file] // "") else "" end), (.row // "null" | tostring), (.field // "null" | tostring)]
		| join("|")' "$T_TMP/got.json" | sort >"$T_TMP/got"
	jq -r --argjson n "$nres" '
		.errors[] | [.code, (if $n > 1 then (.resource // "") else "" end), (.row // "null" | tostring), (.field // "null" | tostring)]
		| join("|")' "$case/expected.json" | sort >"$T_TMP/want"
	jq -r --argjson n "$nres" '
		(.also_allowed // [])[] | [.code, (if $n > 1 then (.resource // "") else "" end), (.row // "null" | tostring), (.field // "null" | tostring)]
		| join("|")' "$case/expected.json" | sort >"$T_TMP/allowed"
	missing=$(comm -23 "$T_TMP/want" "$T_TMP/got")
	extra=$(comm -13 "$T_TMP/want" "$T_TMP/got" | comm -23 - "$T_TMP/allowed")
	if [ -z "$missing" ]; then t_pass "$name: every expected error"; else
		t_fail "$name: every expected error" "not reported: $(echo $missing); got: $(echo $(cat "$T_TMP/got"))"; fi
	if [ -z "$extra" ]; then t_pass "$name: no other error"; else
		t_fail "$name: no other error" "unexpected: $(echo $extra)"; fi
done
t_true "all 11 fixture cases were run" [ "$ncases" -ge 11 ]
t_summary

#!/usr/bin/env bash
# End-to-end tests of the static CKAN API v3 subset (api/3/action/,
# api/action/) and its rewrite rules (api/nginx.conf, .htaccess). A real
# nginx and a real Apache (Debian packages nginx, apache2), each with its own
# configuration and prefix in $T_TMP and listening on 127.0.0.1 on a port
# chosen at run time, serve the built sample site; curl queries them the way
# a CKAN harvester (ckanext-harvest) does and jq checks the answers.
T_SUITE=ckan
source "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" = 0 ]; then
	sh "$TOP/tests/tools/deps.sh" pkgs nginx apache2 curl >/dev/null 2>&1
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
APACHE=$(command -v apache2 || echo /usr/sbin/apache2)
MODS=/usr/lib/apache2/modules
t_true "nginx is installed" test -x "$NGINX"
t_true "apache2 is installed" test -x "$APACHE"
t_true "curl is installed" command -v curl >/dev/null

UUID5='^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
# The servers daemonize; their pid files say whom to stop (each only once).
PIDS=("$T_TMP/nginx/nginx.pid" "$T_TMP/apache/httpd.pid")
stop_servers() {
	local f
	for f in "${PIDS[@]}"; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
}
trap 'stop_servers; '"$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")" EXIT

# ---------------------------------------------------------------- the files
S=$T_TMP/site
odc build --repo "$TOP" --out "$S"
t_rc "sample: build exits 0" 0
A=$S/api/3/action
for f in package_list.json organization_list.json current_package_list_with_resources.json \
	package_search.json package_search/rows-100-start-0.json not_found.json; do
	t_file "sample: api/3/action/$f" "$A/$f"
done
t_file "sample: api/nginx.conf" "$S/api/nginx.conf"
t_file "sample: .htaccess" "$S/.htaccess"
t_true "sample: api/action/ holds the same files as api/3/action/" diff -r "$A" "$S/api/action"
names=$(cd "$TOP/datasets" && ls | sort)
total=$(printf '%s\n' "$names" | wc -l)
t_eq "sample: package_list is every dataset, sorted" "$(jq -r '.result[]' "$A/package_list.json")" "$names"
t_eq "sample: one empty page follows the last" "$(jq '.result.results | length' "$A/package_search/rows-100-start-100.json")" 0
t_nofile "sample: no page after the empty one" "$A/package_search/rows-100-start-200.json"
bad=
for n in $names; do
	id=$(jq -r .result.id "$A/package_show/$n.json")
	[[ $id =~ $UUID5 ]] || bad="$bad $n:$id"
	cmp -s "$A/package_show/$n.json" "$A/package_show/$id.json" || bad="$bad $n:by-id"
	if command -v python3 >/dev/null 2>&1; then
		want=$(python3 -c 'import sys, uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[1]))' \
			"https://opendata.example.jp/datasets/$n/")
		[ "$id" = "$want" ] || bad="$bad $n:$id!=$want"
	fi
done
t_eq "sample: every id is the UUIDv5 of the page URL, package_show by id = by name" "$bad" ""
t_eq "sample: resource ids are UUIDv5" \
	"$(jq -r '.result[].resources[].id' "$A/current_package_list_with_resources.json" | grep -cvE "$UUID5")" 0

odc build --repo "$TOP" --out "$T_TMP/site2"
t_true "sample: the API is the same in two builds" diff -r "$S/api" "$T_TMP/site2/api"
t_true "sample: .htaccess is the same in two builds" cmp -s "$S/.htaccess" "$T_TMP/site2/.htaccess"

# Every file must be readable by the servers' workers (Apache drops root).
chmod 755 "$T_TMP"
chmod -R a+rX "$S"

# ---------------------------------------------------------------- servers
# free_port — a port nobody listens on at 127.0.0.1, from a random base.
free_port() {
	local p=$((20000 + RANDOM % 30000)) i
	for i in $(seq 0 200); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + i))") 2>/dev/null; then
			echo $((p + i))
			return 0
		fi
	done
	return 1
}
# wait_up PORT — until the port answers (5 s at most).
wait_up() {
	local i
	for i in $(seq 1 50); do
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" && return 0
		sleep 0.1
	done
	return 1
}

start_nginx() {
	local d=$T_TMP/nginx port user=
	mkdir -p "$d/tmp" "$d/logs"
	[ "$(id -u)" = 0 ] && user="user root;"
	port=$(free_port) || return 1
	cat >"$d/nginx.conf" <<EOF
$user
worker_processes 1;
daemon on;
pid $d/nginx.pid;
error_log $d/logs/error.log;
events { worker_connections 64; }
http {
	access_log $d/logs/access.log;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:$port;
		server_name localhost;
		root $S;
		include $S/api/nginx.conf;
	}
}
EOF
	"$NGINX" -p "$d" -c "$d/nginx.conf" -e "$d/logs/error.log" >"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; return 1; }
	wait_up "$port" || return 1
	echo "$port"
}

# apache_builtin MOD.c — whether apache2 has the module compiled in.
apache_builtin() { "$APACHE" -l 2>/dev/null | grep -qw "$1"; }

start_apache() {
	local d=$T_TMP/apache port user=
	mkdir -p "$d/run" "$d/logs"
	[ "$(id -u)" = 0 ] && user="User www-data
Group www-data"
	port=$(free_port) || return 1
	cat >"$d/httpd.conf" <<EOF
ServerRoot $d
DefaultRuntimeDir $d/run
PidFile $d/httpd.pid
ErrorLog $d/logs/error.log
LogLevel warn
LoadModule mpm_event_module $MODS/mod_mpm_event.so
$(apache_builtin mod_unixd.c || echo "LoadModule unixd_module $MODS/mod_unixd.so")
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule mime_module $MODS/mod_mime.so
LoadModule dir_module $MODS/mod_dir.so
LoadModule rewrite_module $MODS/mod_rewrite.so
LoadModule headers_module $MODS/mod_headers.so
$user
ServerName 127.0.0.1
Listen 127.0.0.1:$port
TypesConfig /etc/mime.types
DocumentRoot $S
<Directory />
	AllowOverride None
	Require all denied
</Directory>
<Directory $S>
	Options FollowSymLinks
	AllowOverride All
	Require all granted
</Directory>
DirectoryIndex index.html
EOF
	"$APACHE" -f "$d/httpd.conf" -k start >"$d/start.log" 2>&1 || { cat "$d/start.log" "$d/logs/error.log" >&2; return 1; }
	wait_up "$port" || { cat "$d/logs/error.log" >&2; return 1; }
	echo "$port"
}

# get PORT PATH — GET as a harvester does; $CODE, $CTYPE, body in $BODY.
get() {
	local w
	w=$(curl -sS --max-time 5 -A "ckanext-harvest/odcat-test" -o "$T_TMP/body" \
		-w '%{http_code} %{content_type}' "http://127.0.0.1:$1$2" 2>"$T_TMP/curl.err")
	CODE=${w%% *}
	CTYPE=${w#* }
	BODY=$T_TMP/body
}
# ok NAME — the last answer is 200, JSON, a CKAN envelope with success true.
ok() {
	if [ "$CODE" = 200 ] && [[ $CTYPE == application/json* ]] &&
		jq -e '(.success == true) and (.help | type == "string") and has("result")' "$BODY" >/dev/null 2>&1; then
		t_pass "$1"
	else
		t_fail "$1" "code $CODE, type $CTYPE: $(head -c 300 "$BODY" 2>/dev/null) $(cat "$T_TMP/curl.err")"
	fi
}

AED_ID=$(jq -r .result.id "$A/package_show/aed-locations.json")
want_search=$(jq -r '[.result[].id] | sort | .[]' "$A/current_package_list_with_resources.json")

harvest() { # SERVER PORT
	local s=$1 port=$2 api pkg
	for api in /api/3/action /api/action; do
		get "$port" "$api/package_list"
		ok "$s $api: package_list"
		t_eq "$s $api: package_list lists every dataset" "$(jq -r '.result[]' "$BODY" 2>/dev/null)" "$names"

		get "$port" "$api/organization_list"
		ok "$s $api: organization_list"
		t_eq "$s $api: organization_list = organizations of the packages" \
			"$(jq -r '.result[]' "$BODY" 2>/dev/null)" \
			"$(jq -r '[.result[].organization.name] | unique | .[]' "$A/current_package_list_with_resources.json")"

		get "$port" "$api/current_package_list_with_resources"
		ok "$s $api: current_package_list_with_resources"
		t_eq "$s $api: current_package_list_with_resources has every package with resources" \
			"$(jq '[.result[] | select(.resources | length > 0)] | length' "$BODY" 2>/dev/null)" "$total"

		get "$port" "$api/package_show?id=aed-locations"
		ok "$s $api: package_show?id=<name>"
		cp "$BODY" "$T_TMP/by-name.json"
		t_true "$s $api: package_show has CKAN's field names" jq -e '.result |
			(.name == "aed-locations") and (.id | test("'"$UUID5"'")) and
			(.title | type == "string") and (.notes | type == "string") and
			(.license_id == "CC-BY-4.0") and (.organization.name | type == "string") and
			(.tags | length > 0) and all(.tags[]; .name | type == "string") and
			(.resources | length > 0) and all(.resources[]; (.url | startswith("https://")) and (.format | length > 0)) and
			(.extras | type == "array") and all(.extras[]; has("key") and has("value"))' "$BODY" >/dev/null

		get "$port" "$api/package_show?id=$AED_ID"
		ok "$s $api: package_show?id=<uuid>"
		t_true "$s $api: package_show by id = by name" cmp -s "$BODY" "$T_TMP/by-name.json"

		get "$port" "$api/package_show?use_default_schema=true&id=$AED_ID"
		ok "$s $api: package_show with id as the second parameter"

		get "$port" "$api/package_search?rows=100&start=0&sort=id+asc"
		ok "$s $api: package_search?rows=100&start=0"
		t_eq "$s $api: package_search count is the total" "$(jq .result.count "$BODY" 2>/dev/null)" "$total"
		t_eq "$s $api: package_search results sorted by id, at most 100" \
			"$(jq -r '.result.results[:100][].id' "$BODY" 2>/dev/null)" "$want_search"

		get "$port" "$api/package_search?rows=100&start=100&sort=id+asc"
		ok "$s $api: package_search?rows=100&start=100 (past the end)"
		t_eq "$s $api: the page past the end is empty with the total count" \
			"$(jq -c '[.result.count, (.result.results | length)]' "$BODY" 2>/dev/null)" "[$total,0]"

		get "$port" "$api/package_search"
		ok "$s $api: package_search without parameters"

		get "$port" "$api/package_show?id=no-such-dataset"
		t_eq "$s $api: unknown id is a 404" "$CODE" 404
		t_eq "$s $api: the 404 is application/json" "${CTYPE%%;*}" application/json
		t_true "$s $api: the 404 is a CKAN error in JSON" jq -e '.success == false and .error.__type == "Not Found Error"' "$BODY" >/dev/null

		get "$port" "$api/package_show?id=../../../odcat.json"
		t_eq "$s $api: an id with a path is a 404" "$CODE" 404
	done
	# ckanext-harvest's CKAN harvester asks /api/2/action/ by default.
	get "$port" "/api/2/action/package_search?rows=100&start=0&sort=id+asc"
	ok "$s /api/2/action: package_search as ckanext-harvest asks"
	t_eq "$s /api/2/action: count" "$(jq .result.count "$BODY" 2>/dev/null)" "$total"
	get "$port" "/api/3/action/package_search?rows=100&start=50"
	t_eq "$s: a start that is no multiple of 100 is a 404" "$CODE" 404
	get "$port" "/api/3/action/help_show?name=package_show"
	t_eq "$s: an action not served is a 404" "$CODE" 404
	get "$port" "/datasets/aed-locations/"
	t_eq "$s: the HTML pages are still served" "$CODE" 200
}

if NPORT=$(start_nginx); then
	t_pass "nginx starts with the generated api/nginx.conf"
	harvest nginx "$NPORT"
else
	t_fail "nginx starts with the generated api/nginx.conf" "$(cat "$T_TMP/nginx/logs/error.log" 2>/dev/null | tail -5)"
fi
if APORT=$(start_apache); then
	t_pass "apache starts with the generated .htaccess"
	harvest apache "$APORT"
else
	t_fail "apache starts with the generated .htaccess" "$(tail -5 "$T_TMP/apache/logs/error.log" 2>/dev/null)"
fi
stop_servers

# ---------------------------------------------------------------- no base URL
H=$T_TMP/nobase
new_repo "$H"
mkdir -p "$H/datasets/plain"
jq 'del(.base_url)' "$TOP/odcat.json" >"$H/odcat.json"
jq -n '{name: "plain", title: "Plain", description: "d", keywords: ["k"], publisher: "kankyo",
  resources: [{name: "r", path: "r.csv", format: "csv"}]}' >"$H/datasets/plain/datapackage.json"
printf 'a\nx\n' >"$H/datasets/plain/r.csv"
commit_all "$H" "no base url"
odc build --repo "$H" --out "$T_TMP/site-nobase"
t_rc "no base_url: build exits 0" 0
t_nofile "no base_url: no API" "$T_TMP/site-nobase/api"
t_nofile "no base_url: no .htaccess" "$T_TMP/site-nobase/.htaccess"

# ---------------------------------------------------------------- a site under a sub-path
odc build --repo "$H" --out "$T_TMP/site-sub" --base-url https://example.jp/city/
t_rc "sub-path: build exits 0" 0
t_grep "sub-path: nginx rules carry the path" "$T_TMP/site-sub/api/nginx.conf" 'rewrite ^ /city/api/3/action/package_show/$odcat_ckan_id.json? last;'
t_grep "sub-path: Apache's 404 body carries the path" "$T_TMP/site-sub/.htaccess" 'ErrorDocument 404 /city/api/3/action/not_found.json'
t_grep "sub-path: URLs use the base URL" "$T_TMP/site-sub/api/3/action/package_show/plain.json" '"url":"https://example.jp/city/datasets/plain/"'
# A path the rules cannot carry verbatim: the API files, but no rules.
odc build --repo "$H" --out "$T_TMP/site-amp" --base-url 'https://example.jp/a&b/'
t_rc "odd path: build exits 0" 0
t_file "odd path: the API is written" "$T_TMP/site-amp/api/3/action/package_list.json"
t_nofile "odd path: no nginx rules" "$T_TMP/site-amp/api/nginx.conf"
t_nofile "odd path: no .htaccess" "$T_TMP/site-amp/.htaccess"

t_summary

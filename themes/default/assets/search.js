/*
 * search.js — odcat's search client: plain JavaScript, no framework.
 *
 * It reads the index that odcat wrote under search/ (docs/search.md):
 * the manifest, then only the shards that hold the query's terms, then the
 * records of the results it shows. The normalisation and tokenisation
 * below follow docs/search.md exactly, like generator/search.c; both are
 * tested against tests/search/vectors.json.
 *
 * On the all-datasets page (the target of the search forms) it shows
 * ranked results as one types, with filters by publisher, theme, format
 * and licence; the query and filters live in the URL (?q=...), so a result
 * list can be shared and the back button works. Elsewhere the forms submit
 * to that page as they do without JavaScript.
 *
 * Text from the index reaches the page only through textContent and
 * createElement, never innerHTML.
 */
(function () {
	'use strict';

	/* ---------------------------------------------------------------
	 * Normalisation and tokens (docs/search.md)
	 * --------------------------------------------------------------- */

	var MAX_WORD = 32;
	var WORD_RE = /[\p{L}\p{M}\p{N}]/u;
	var SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

	function kanaFold(c) {
		if ((c >= 0x3041 && c <= 0x3096) || c === 0x309d || c === 0x309e) return c + 0x60;
		return c;
	}

	function lower(c) {
		/* The simple lower-case mapping: the full one differs only for
		 * U+0130, whose first code point is the simple mapping. */
		return String.fromCodePoint(c).toLowerCase().codePointAt(0);
	}

	function normalize(s) {
		var t = String(s).replace(SURROGATE_RE, ' ').normalize('NFKC');
		var out = '';
		for (var ch of t) out += String.fromCodePoint(kanaFold(lower(ch.codePointAt(0))));
		return out;
	}

	function isHan(c) {
		return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
			(c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3ffff) ||
			c === 0x3005 || c === 0x3006;
	}

	var SEP = 0, WORD = 1, CJK = 2, JOIN = 3;

	function charClass(c) {
		if (c === 0x2d || c === 0x2e || c === 0x30fb) return JOIN;
		if (isHan(c) || c === 0x3007 || (c >= 0x3041 && c <= 0x3096) ||
			(c >= 0x30a1 && c <= 0x30fa) || (c >= 0x30fc && c <= 0x30ff) ||
			(c >= 0x31f0 && c <= 0x31ff) || (c >= 0xac00 && c <= 0xd7a3) ||
			(c >= 0x1100 && c <= 0x11ff) || (c >= 0x3131 && c <= 0x318e)) return CJK;
		return WORD_RE.test(String.fromCodePoint(c)) ? WORD : SEP;
	}

	/* Scans normalised text into units: {cjk: [code points]} or
	 * {words: [pieces], joined: string}. */
	function scan(norm) {
		var cp = Array.from(norm, function (ch) { return ch.codePointAt(0); });
		var cls = cp.map(charClass);
		var units = [], i = 0, n = cp.length;
		while (i < n) {
			if (cls[i] === CJK) {
				var run = [];
				for (;;) {
					while (i < n && cls[i] === CJK) run.push(cp[i++]);
					if (i + 1 < n && cls[i] === JOIN && cls[i + 1] === CJK) i++;
					else break;
				}
				units.push({ cjk: run });
			} else if (cls[i] === WORD) {
				var pieces = [], joined = [];
				for (;;) {
					var piece = [];
					while (i < n && cls[i] === WORD) {
						if (piece.length < MAX_WORD) piece.push(cp[i]);
						if (joined.length < MAX_WORD) joined.push(cp[i]);
						i++;
					}
					pieces.push(String.fromCodePoint.apply(null, piece));
					if (i + 1 < n && cls[i] === JOIN && cls[i + 1] === WORD) i++;
					else break;
				}
				units.push({ words: pieces, joined: String.fromCodePoint.apply(null, joined) });
			} else {
				i++;
			}
		}
		return units;
	}

	/* The index tokens of a text, in document order (the shared vectors). */
	function tokenize(s) {
		var out = [];
		scan(normalize(s)).forEach(function (u) {
			if (u.cjk) {
				for (var k = 0; k < u.cjk.length; k++) {
					out.push(String.fromCodePoint(u.cjk[k]));
					if (k + 1 < u.cjk.length) out.push(String.fromCodePoint(u.cjk[k], u.cjk[k + 1]));
				}
			} else {
				out.push.apply(out, u.words);
				if (u.words.length > 1) out.push(u.joined);
			}
		});
		return out;
	}

	/* A query: groups that must all match. A CJK run needs every one of
	 * its bigrams (or its one character); a word (or a joined sequence,
	 * as one word) matches itself and, from two characters, as a prefix. */
	function parseQuery(s) {
		var groups = [];
		scan(normalize(s)).forEach(function (u) {
			if (u.cjk) {
				var terms = [], text = String.fromCodePoint.apply(null, u.cjk);
				if (u.cjk.length === 1) terms.push(text);
				for (var k = 0; k + 1 < u.cjk.length; k++) {
					var b = String.fromCodePoint(u.cjk[k], u.cjk[k + 1]);
					if (terms.indexOf(b) < 0) terms.push(b);
				}
				groups.push({ kind: 'cjk', terms: terms, text: text });
			} else {
				var w = u.words.length > 1 ? u.joined : u.words[0];
				groups.push({ kind: 'word', terms: [w], text: w, prefix: Array.from(w).length >= 2 });
			}
		});
		return groups;
	}

	/* Strings compared by code point, as the index sorts them (UTF-8 byte order). */
	function cmpCP(a, b) {
		var ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
		for (;;) {
			var x = ia.next(), y = ib.next();
			if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
			var d = x.value.codePointAt(0) - y.value.codePointAt(0);
			if (d) return d < 0 ? -1 : 1;
		}
	}

	var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	var B64V = {};
	for (var bi = 0; bi < 64; bi++) B64V[B64[bi]] = bi;

	/* Postings "doc delta, score" pairs in base64 VLQ → Map doc → score. */
	function decodePostings(s) {
		var nums = [], v = 0, mul = 1;
		for (var i = 0; i < s.length; i++) {
			var d = B64V[s[i]];
			v += (d & 31) * mul;
			if (d & 32) mul *= 32;
			else { nums.push(v); v = 0; mul = 1; }
		}
		var m = new Map(), doc = 0;
		for (var k = 0; k + 1 < nums.length; k += 2) {
			doc = k === 0 ? nums[k] : doc + nums[k];
			m.set(doc, nums[k + 1]);
		}
		return m;
	}

	/* ---------------------------------------------------------------
	 * The index
	 * --------------------------------------------------------------- */

	function Index(base, fetchJSON) {
		this.base = base;
		this.fetchJSON = fetchJSON;
		this.cache = new Map();
		this.decoded = new Map(); /* "shard term" -> Map doc -> score */
		this.manifest = null;
	}

	Index.prototype.get = function (path) {
		if (!this.cache.has(path)) {
			var self = this;
			var p = this.fetchJSON(this.base + path).catch(function (e) {
				self.cache.delete(path);
				throw e;
			});
			this.cache.set(path, p);
		}
		return this.cache.get(path);
	};

	Index.prototype.load = function () {
		var self = this;
		return this.get('manifest.json').then(function (m) { self.manifest = m; return m; });
	};

	/* Shard numbers holding term t (prefix: every term starting with t). */
	Index.prototype.shardsFor = function (t, prefix) {
		var first = this.manifest.shards, lo = 0, hi = first.length - 1, at = -1;
		while (lo <= hi) {
			var mid = (lo + hi) >> 1;
			if (cmpCP(first[mid], t) <= 0) { at = mid; lo = mid + 1; } else hi = mid - 1;
		}
		var out = [];
		if (at < 0) at = 0;
		if (!first.length) return out;
		out.push(at);
		if (prefix) for (var k = at + 1; k < first.length && first[k].startsWith(t); k++) out.push(k);
		return out;
	};

	/* Postings of term t (Map doc → score); with prefix, of every term
	 * starting with t (the best score per document, a prefix-only match
	 * at 60 %). */
	Index.prototype.postings = function (t, prefix) {
		var self = this, nums = this.shardsFor(t, prefix);
		function decoded(k, sh, key) {
			var id = nums[k] + ' ' + key;
			if (!self.decoded.has(id)) self.decoded.set(id, decodePostings(sh[key]));
			return self.decoded.get(id);
		}
		return Promise.all(nums.map(function (n) {
			return self.get('s/' + n + '.json');
		})).then(function (shards) {
			var m = new Map(), expansions = 0;
			shards.forEach(function (sh, k) {
				if (Object.prototype.hasOwnProperty.call(sh, t)) {
					decoded(k, sh, t).forEach(function (v, d) { m.set(d, Math.max(m.get(d) || 0, v)); });
				}
				if (!prefix) return;
				for (var key in sh) {
					if (key === t || !key.startsWith(t) || ++expansions > 200) continue;
					decoded(k, sh, key).forEach(function (v, d) {
						m.set(d, Math.max(m.get(d) || 0, v * 0.6));
					});
				}
			});
			return m;
		});
	};

	function intersect(a, b) {
		var m = new Map();
		var small = a.size <= b.size ? a : b, big = small === a ? b : a;
		small.forEach(function (v, d) { if (big.has(d)) m.set(d, v + big.get(d)); });
		return m;
	}

	var FACET_PREFIX = { publisher: '!p:', theme: '!t:', format: '!f:', license: '!l:' };

	/* Runs a query: returns [{doc, score}] best first. filters: {facet: id}. */
	Index.prototype.search = function (q, filters) {
		var self = this, groups = parseQuery(q || '');
		var jobs = groups.map(function (g) {
			if (g.kind === 'word') return self.postings(g.terms[0], g.prefix);
			return Promise.all(g.terms.map(function (t) { return self.postings(t, false); }))
				.then(function (ms) { return ms.reduce(intersect); });
		});
		Object.keys(filters || {}).forEach(function (f) {
			if (filters[f] && FACET_PREFIX[f]) {
				jobs.push(self.postings(FACET_PREFIX[f] + filters[f], false));
			}
		});
		if (!jobs.length) return Promise.resolve({ groups: groups, hits: null });
		return Promise.all(jobs).then(function (ms) {
			var all = ms.reduce(intersect);
			var hits = [];
			all.forEach(function (s, d) { hits.push({ doc: d, score: s }); });
			hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
			return { groups: groups, hits: hits };
		});
	};

	Index.prototype.doc = function (n) { return this.get('d/' + n + '.json'); };

	/* Phrase-like ranking: a CJK run (or the whole query) found as it is
	 * in the title or keywords adds half the score, in the description a
	 * quarter — adjacency of the bigrams that matched apart. */
	function phraseBonus(hit, rec, groups, li) {
		var runs = groups.filter(function (g) { return g.kind === 'cjk' && g.terms.length > 1; })
			.map(function (g) { return g.text; });
		if (!runs.length) return 0;
		var title = normalize(rec.title[li] + ' ' + rec.title[1 - li] + ' ' + rec.kw[0].join(' ') + ' ' + rec.kw[1].join(' ')) +
			' ' + (rec.yomi || '');
		var desc = normalize(rec.desc[li] + ' ' + rec.desc[1 - li]);
		var bonus = 0;
		runs.forEach(function (r) {
			if (title.indexOf(r) >= 0) bonus += hit.score * 0.5;
			else if (desc.indexOf(r) >= 0) bonus += hit.score * 0.25;
		});
		return bonus;
	}

	/* Ranges [start, end) of s (in UTF-16 units) whose normalised text
	 * matches one of needles (normalised). */
	function matchRanges(s, needles) {
		var norm = '', map = [];
		for (var i = 0; i < s.length;) {
			var c = s.codePointAt(i), len = c > 0xffff ? 2 : 1;
			var n = normalize(String.fromCodePoint(c));
			for (var k = 0; k < n.length; k++) map.push([i, i + len]);
			norm += n;
			i += len;
		}
		var marks = [];
		needles.forEach(function (nd) {
			if (!nd) return;
			for (var at = norm.indexOf(nd); at >= 0; at = norm.indexOf(nd, at + nd.length)) {
				marks.push([map[at][0], map[at + nd.length - 1][1]]);
			}
		});
		marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
		var out = [];
		marks.forEach(function (m) {
			var last = out[out.length - 1];
			if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]);
			else out.push([m[0], m[1]]);
		});
		return out;
	}

	function needlesOf(groups) {
		var out = [];
		groups.forEach(function (g) {
			out.push(g.text);
			if (g.kind === 'cjk') out.push.apply(out, g.terms);
		});
		return out;
	}

	/* A snippet: s cut to about width characters around the first match. */
	function snippet(s, ranges, width) {
		var start = 0, chars = Array.from(s);
		if (chars.length <= width) return { text: s, ranges: ranges };
		if (ranges.length) start = Math.max(0, s.slice(0, ranges[0][0]).length - 20);
		var text = s.slice(start), cut = Array.from(text).slice(0, width).join('');
		var pre = start > 0 ? '…' : '', post = cut.length < text.length ? '…' : '';
		var shift = pre.length - start;
		return {
			text: pre + cut + post,
			ranges: ranges.map(function (r) { return [r[0] + shift, Math.min(r[1] + shift, pre.length + cut.length)]; })
				.filter(function (r) { return r[0] >= pre.length && r[0] < r[1]; })
		};
	}

	var api = {
		normalize: normalize, tokenize: tokenize, parseQuery: parseQuery, cmpCP: cmpCP,
		decodePostings: decodePostings, Index: Index, matchRanges: matchRanges,
		snippet: snippet, needlesOf: needlesOf, phraseBonus: phraseBonus
	};
	if (typeof module === 'object' && module.exports) {
		module.exports = api;
		return;
	}
	if (typeof document === 'undefined') return;

	/* ---------------------------------------------------------------
	 * The page
	 * --------------------------------------------------------------- */

	var STRINGS = {
		ja: {
			results: '{n} 件見つかりました', none: '該当するデータセットはありません',
			error: '検索できませんでした。一覧からお探しください。', more: 'さらに表示',
			any: 'すべて', publisher: '公開部署', theme: 'テーマ', format: '形式', license: 'ライセンス',
			filters: '絞り込み', columns: '項目', loading: '検索しています…', all: 'すべての結果を見る'
		},
		en: {
			results: '{n} datasets found', none: 'No datasets match',
			error: 'Search is not available. Please use the list.', more: 'Show more',
			any: 'Any', publisher: 'Publisher', theme: 'Theme', format: 'Format', license: 'Licence',
			filters: 'Filter', columns: 'Columns', loading: 'Searching…', all: 'See all results'
		}
	};
	var FACETS = ['publisher', 'theme', 'format', 'license'];
	var PAGE = 20;

	function el(tag, attrs, text) {
		var e = document.createElement(tag);
		Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
		if (text != null) e.textContent = text;
		return e;
	}

	function marked(parent, s, ranges) {
		var at = 0;
		ranges.forEach(function (r) {
			if (r[0] > at) parent.appendChild(document.createTextNode(s.slice(at, r[0])));
			parent.appendChild(el('mark', null, s.slice(r[0], r[1])));
			at = r[1];
		});
		if (at < s.length) parent.appendChild(document.createTextNode(s.slice(at)));
	}

	/* On other pages: the first results under the search box as one
	 * types, with a link to all of them; Enter submits the form. */
	function quick(form, target, index, S, lang) {
		var input = form.querySelector('input[name="q"]');
		if (!input) return;
		var panel = el('div', { class: 'search-quick', id: 'search-quick', hidden: '' });
		var status = el('p', { class: 'search-status', id: 'search-quick-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
		var ul = el('ul', { class: 'search-quick-hits', id: 'search-quick-hits' });
		var all = el('a', { class: 'search-quick-all' }, S.all);
		panel.appendChild(status);
		panel.appendChild(ul);
		panel.appendChild(all);
		form.parentNode.insertBefore(panel, form.nextSibling);
		var li = 0, seq = 0, timer = null;

		function close() { panel.hidden = true; ul.textContent = ''; status.textContent = ''; }

		function run() {
			var q = input.value, my = ++seq;
			panel.removeAttribute('data-done');
			if (!q.trim()) { close(); return; }
			index.load().then(function (m) {
				li = Math.max(0, m.langs.indexOf(lang));
				return index.search(q, {});
			}).then(function (res) {
				var top = res.hits.slice(0, 5);
				return Promise.all(top.map(function (h) { return index.doc(h.doc); })).then(function (recs) {
					if (my !== seq) return;
					ul.textContent = '';
					var needles = needlesOf(res.groups);
					recs.forEach(function (rec, k) {
						var item = el('li', { 'data-slug': rec.slug, 'data-doc': String(top[k].doc) });
						var a = el('a', { href: new URL(encodeURIComponent(rec.slug) + '/', target).href });
						var title = rec.title[li] || rec.title[1 - li];
						marked(a, title, matchRanges(title, needles));
						item.appendChild(a);
						ul.appendChild(item);
					});
					status.textContent = res.hits.length ? S.results.replace('{n}', res.hits.length) : S.none;
					all.hidden = !res.hits.length;
					all.setAttribute('href', target.pathname + '?q=' + encodeURIComponent(q));
					panel.hidden = false;
					panel.setAttribute('data-done', JSON.stringify([q, {}]));
				});
			}).catch(function () { close(); });
		}

		input.addEventListener('input', function () {
			clearTimeout(timer);
			timer = setTimeout(run, 120);
		});
		form.parentNode.addEventListener('keydown', function (e) {
			var links = Array.prototype.slice.call(panel.querySelectorAll('a:not([hidden])'));
			var k = links.indexOf(document.activeElement);
			if (e.key === 'Escape') {
				if (!panel.hidden) { e.preventDefault(); close(); input.focus(); }
			} else if (e.key === 'ArrowDown' && !panel.hidden && links.length && (e.target === input || k >= 0)) {
				e.preventDefault();
				links[Math.min(k + 1, links.length - 1)].focus();
			} else if (e.key === 'ArrowUp' && k >= 0) {
				e.preventDefault();
				(k ? links[k - 1] : input).focus();
			}
		});
		document.addEventListener('click', function (e) {
			if (!panel.hidden && !panel.contains(e.target) && !form.contains(e.target)) close();
		});
	}

	function start() {
		var base = new URL('../search/', SCRIPT ? SCRIPT.src : location.href).href;
		var forms = Array.prototype.slice.call(document.querySelectorAll('form[role="search"]'));
		if (!forms.length) return;
		var target = new URL(forms[0].getAttribute('action') || '', location.href);
		var here = location.pathname.replace(/index\.html$/, '');
		var lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
		var S = STRINGS[lang];
		var index = new Index(base, function (u) {
			return fetch(u).then(function (r) {
				if (!r.ok) throw new Error(u + ': ' + r.status);
				return r.json();
			});
		});
		if (target.pathname.replace(/index\.html$/, '') !== here) {
			quick(forms[0], target, index, S, lang); /* the form still submits as usual */
			return;
		}

		var inputs = forms.map(function (f) { return f.querySelector('input[name="q"]'); }).filter(Boolean);
		var main = document.getElementById('q') || inputs[inputs.length - 1];
		var list = document.getElementById('dataset-list');
		var li = 0, state = { q: '', f: {} }, seq = 0, shown = 0, current = null;

		var filterBox = el('fieldset', { class: 'search-filters', id: 'search-filters' });
		filterBox.appendChild(el('legend', null, S.filters));
		var selects = {};
		var region = el('section', { id: 'search-results', class: 'search-results', 'aria-label': S.results.replace('{n} ', '') });
		var status = el('p', { id: 'search-status', class: 'search-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
		var ol = el('ol', { class: 'cards search-hits', id: 'search-hits' });
		var more = el('button', { type: 'button', class: 'search-more', hidden: '' }, S.more);
		region.appendChild(status);
		region.appendChild(ol);
		region.appendChild(more);
		var anchor = main.closest('form');
		anchor.parentNode.insertBefore(region, anchor.nextSibling);
		anchor.parentNode.insertBefore(filterBox, region);
		region.hidden = true;

		function readURL() {
			var p = new URLSearchParams(location.search);
			state.q = p.get('q') || '';
			state.f = {};
			FACETS.forEach(function (f) { if (p.get(f)) state.f[f] = p.get(f); });
			inputs.forEach(function (i) { i.value = state.q; });
			FACETS.forEach(function (f) { if (selects[f]) selects[f].value = state.f[f] || ''; });
		}

		function writeURL(push) {
			var p = new URLSearchParams();
			if (state.q) p.set('q', state.q);
			FACETS.forEach(function (f) { if (state.f[f]) p.set(f, state.f[f]); });
			var qs = p.toString();
			var url = location.pathname + (qs ? '?' + qs : '') + location.hash;
			if (url === location.pathname + location.search + location.hash) return;
			history[push ? 'pushState' : 'replaceState'](null, '', url);
		}

		function render(res) {
			current = res;
			shown = 0;
			ol.textContent = '';
			if (!res.hits) {
				region.hidden = true;
				if (list) list.hidden = false;
				status.textContent = '';
				return Promise.resolve();
			}
			region.hidden = false;
			if (list) list.hidden = true;
			status.textContent = res.hits.length ? S.results.replace('{n}', res.hits.length) : S.none;
			return showMore(true);
		}

		function showMore(first) {
			var res = current, from = shown, page = res.hits.slice(from, from + PAGE);
			var my = seq;
			return Promise.all(page.map(function (h) { return index.doc(h.doc); })).then(function (recs) {
				if (my !== seq) return;
				if (first && recs.length > 1) {
					var scored = page.map(function (h, k) {
						return { h: h, r: recs[k], s: h.score + phraseBonus(h, recs[k], res.groups, li) };
					});
					scored.sort(function (a, b) { return b.s - a.s || a.h.doc - b.h.doc; });
					page = scored.map(function (x) { return x.h; });
					recs = scored.map(function (x) { return x.r; });
				}
				var needles = needlesOf(res.groups);
				recs.forEach(function (rec, k) {
					var item = el('li', { class: 'card search-hit', 'data-slug': rec.slug, 'data-doc': String(page[k].doc) });
					var h = el('h3', { class: 'card-title' });
					var a = el('a', { href: encodeURIComponent(rec.slug) + '/' });
					var title = rec.title[li] || rec.title[1 - li];
					marked(a, title, matchRanges(title, needles));
					h.appendChild(a);
					item.appendChild(h);
					var desc = rec.desc[li] || rec.desc[1 - li];
					if (desc) {
						var sn = snippet(desc, matchRanges(desc, needles), 120);
						var p = el('p', { class: 'card-summary' });
						marked(p, sn.text, sn.ranges);
						item.appendChild(p);
					}
					var cols = rec.cols.filter(function (c) { return matchRanges(c, needles).length; });
					if (cols.length && needles.length) {
						var cp = el('p', { class: 'search-columns' });
						cp.appendChild(el('span', { class: 'search-columns-label' }, S.columns + ': '));
						cols.slice(0, 5).forEach(function (c, i) {
							if (i) cp.appendChild(document.createTextNode('、'));
							marked(cp, c, matchRanges(c, needles));
						});
						item.appendChild(cp);
					}
					var meta = el('p', { class: 'card-meta search-meta' });
					var pub = (index.manifest.facets.publisher || []).filter(function (x) { return x.id === rec.pub; })[0];
					if (pub) meta.appendChild(el('span', null, pub.label[li]));
					rec.fmt.forEach(function (f) { meta.appendChild(el('span', { class: 'format' }, f)); });
					item.appendChild(meta);
					ol.appendChild(item);
				});
				shown = from + page.length;
				more.hidden = shown >= res.hits.length;
			});
		}

		/* data-done says which query the region shows (for tests and styles). */
		function done(my) {
			if (my === seq) region.setAttribute('data-done', JSON.stringify([state.q, state.f]));
		}

		function run() {
			var my = ++seq;
			region.removeAttribute('data-done');
			if (!state.q.trim() && !Object.keys(state.f).length) {
				return render({ hits: null }).then(function () { done(my); });
			}
			status.textContent = S.loading;
			return index.search(state.q, state.f).then(function (res) {
				if (my === seq) return render(res).then(function () { done(my); });
			}).catch(function () {
				if (my !== seq) return;
				status.textContent = S.error;
				region.hidden = false;
				if (list) list.hidden = false;
			});
		}

		var timer = null;
		inputs.forEach(function (input) {
			input.addEventListener('input', function () {
				state.q = input.value;
				inputs.forEach(function (o) { if (o !== input) o.value = input.value; });
				clearTimeout(timer);
				timer = setTimeout(function () { writeURL(false); run(); }, 120);
			});
			input.addEventListener('keydown', function (e) {
				if (e.key === 'ArrowDown') {
					var first = ol.querySelector('a');
					if (first && !region.hidden) { e.preventDefault(); first.focus(); }
				} else if (e.key === 'Escape' && input.value) {
					input.value = '';
					input.dispatchEvent(new Event('input'));
				}
			});
		});
		forms.forEach(function (f) {
			f.addEventListener('submit', function (e) {
				e.preventDefault();
				var i = f.querySelector('input[name="q"]');
				state.q = i ? i.value : state.q;
				inputs.forEach(function (o) { o.value = state.q; });
				clearTimeout(timer);
				writeURL(true);
				run();
			});
		});
		/* Arrow keys move between results; Escape goes back to the box. */
		ol.addEventListener('keydown', function (e) {
			var links = Array.prototype.slice.call(ol.querySelectorAll('.card-title a'));
			var k = links.indexOf(document.activeElement);
			if (k < 0) return;
			if (e.key === 'ArrowDown' && k + 1 < links.length) { e.preventDefault(); links[k + 1].focus(); }
			else if (e.key === 'ArrowUp') { e.preventDefault(); (k ? links[k - 1] : main).focus(); }
			else if (e.key === 'Escape') { e.preventDefault(); main.focus(); }
		});
		more.addEventListener('click', function () {
			var n = shown;
			showMore(false).then(function () {
				var links = ol.querySelectorAll('.card-title a');
				if (links[n]) links[n].focus();
			});
		});
		window.addEventListener('popstate', function () { readURL(); run(); });

		index.load().then(function (m) {
			li = Math.max(0, m.langs.indexOf(lang));
			FACETS.forEach(function (f) {
				var values = m.facets[f] || [];
				if (!values.length) return;
				var id = 'search-filter-' + f;
				var wrap = el('div', { class: 'search-filter' });
				wrap.appendChild(el('label', { for: id }, S[f]));
				var sel = el('select', { id: id, name: f });
				sel.appendChild(el('option', { value: '' }, S.any));
				values.forEach(function (v) {
					sel.appendChild(el('option', { value: v.id }, v.label[li] + ' (' + v.count + ')'));
				});
				sel.addEventListener('change', function () {
					if (sel.value) state.f[f] = sel.value; else delete state.f[f];
					writeURL(true);
					run();
				});
				selects[f] = sel;
				wrap.appendChild(sel);
				filterBox.appendChild(wrap);
			});
			readURL();
			document.documentElement.setAttribute('data-search', 'ready');
			return run();
		}).catch(function () {
			filterBox.hidden = true;
			document.documentElement.setAttribute('data-search', 'unavailable');
		});
	}

	var SCRIPT = document.currentScript;
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();

// links.mjs SITE [BASE_URL] — checks every internal link of a built site.
//
// Walks every .html file under SITE, takes each href and src attribute
// value (the theme writes them double-quoted), decodes HTML character
// references and percent-escapes, and resolves it the way a browser would
// against the page's URL with the site served at its root: relative and
// root-relative links, and absolute links that start with BASE_URL, are
// internal. A folder URL means its index.html. Every internal target must
// be a file inside SITE; a fragment (#id) must name an id of its target
// page. External links (other hosts, mailto:) are counted, not fetched.
// Prints each broken link as "page: link: why" and a summary line
// "checked N internal links (M external) in P pages"; exit 1 when any is
// broken.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const [site, baseUrl] = process.argv.slice(2);
if (!site) {
  console.error('usage: links.mjs SITE [BASE_URL]');
  process.exit(2);
}
const origin = 'http://site.invalid';
const base = baseUrl ? new URL(baseUrl) : null;

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && e.name.endsWith('.html')) out.push(p);
  }
  return out;
}

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
function unescapeHtml(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return entities[e.toLowerCase()] ?? m;
  });
}

const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const ids = new Set();
    for (const m of readFileSync(file, 'utf8').matchAll(/\sid="([^"]*)"/g)) ids.add(unescapeHtml(m[1]));
    idCache.set(file, ids);
  }
  return idCache.get(file);
}

// The file a site path names, or null.
function target(path) {
  let p = join(site, ...path.split('/').filter(Boolean));
  if (!p.startsWith(site)) return null;
  try {
    if (path.endsWith('/') || statSync(p).isDirectory()) p = join(p, 'index.html');
    return statSync(p).isFile() ? p : null;
  } catch {
    return null;
  }
}

const pages = walk(site, []);
let internal = 0, external = 0;
const broken = [];
for (const page of pages) {
  const rel = relative(site, page).split(sep).join('/');
  const pageUrl = new URL('/' + rel, origin);
  const html = readFileSync(page, 'utf8');
  for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const raw = unescapeHtml(m[1]);
    let url;
    try {
      url = new URL(raw, pageUrl);
    } catch {
      broken.push(`${rel}: ${raw}: not a URL`);
      continue;
    }
    let path;
    if (url.origin === origin) {
      path = url.pathname;
    } else if (base && url.href.startsWith(base.href)) {
      path = '/' + url.href.slice(base.href.length).replace(/[?#].*$/, '');
      path = new URL(path, origin).pathname;
    } else {
      external++;
      continue;
    }
    internal++;
    let decoded;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      broken.push(`${rel}: ${raw}: bad percent-encoding`);
      continue;
    }
    const file = target(decoded);
    if (!file) {
      broken.push(`${rel}: ${raw}: no file ${decoded}`);
      continue;
    }
    const frag = url.hash ? decodeURIComponent(url.hash.slice(1)) : '';
    if (frag && file.endsWith('.html') && !idsOf(file).has(frag))
      broken.push(`${rel}: ${raw}: no id "${frag}" in ${relative(site, file)}`);
  }
}
for (const b of broken) console.log(b);
console.log(`checked ${internal} internal links (${external} external) in ${pages.length} pages`);
process.exit(broken.length ? 1 : 0);

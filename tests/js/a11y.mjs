// a11y.mjs SITE PAGE... — accessibility and keyboard checks of a built site
// in headless Chromium (Debian's /usr/bin/chromium through playwright-core).
//
// "404:P" is a path that does not exist: the 404 page comes back with
// status 404, styled, and its home link works from that depth.
// Serves SITE with a small static server on 127.0.0.1 (a free port; a
// folder URL serves its index.html, a missing file the site's 404.html
// with status 404), then for each PAGE (a site path such as "datasets/" or
// "en/") runs axe-core with the WCAG 2.0/2.1 A and AA rules and reports
// every violation. PAGE "keys:P" instead runs the keyboard checks on P:
// Tab from the start of the page reaches the skip link first, then the
// search box and the language switch; a query typed in the search box and
// Enter lead to datasets/?q=<query> of the page's language; Enter on the
// language switch leads to the twin page (its hreflang alternate).
// Each page must also fit a 360 px wide screen without scrolling sideways
// and print without its navigation and search form. Every request the
// browser makes must go to the local server.
//
// Prints one line per check, "PASS name" or "FAIL name: why"; exits 1 when
// any failed, 2 when it cannot run.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [siteArg, ...pages] = process.argv.slice(2);
if (!siteArg || !pages.length) {
  console.error('usage: a11y.mjs SITE PAGE...');
  process.exit(2);
}
const site = resolve(siteArg);
const axePath = fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

function fileFor(urlPath) {
  let p;
  try {
    p = normalize(join(site, decodeURIComponent(urlPath)));
  } catch {
    return null;
  }
  if (!p.startsWith(site)) return null;
  try {
    if (statSync(p).isDirectory()) p = join(p, 'index.html');
    return statSync(p).isFile() ? p : null;
  } catch {
    return null;
  }
}

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://127.0.0.1').pathname;
  const file = fileFor(path);
  if (file) {
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } else {
    const nf = fileFor(path.startsWith('/en/') ? '/en/404.html' : '/404.html');
    res.writeHead(404, { 'content-type': types['.html'] });
    res.end(nf ? readFileSync(nf) : 'not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

let failed = 0;
function check(name, ok, why) {
  if (ok) console.log(`PASS ${name}`);
  else {
    failed++;
    console.log(`FAIL ${name}: ${why}`);
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
const foreign = [];
context.on('request', (r) => {
  if (!r.url().startsWith(origin + '/')) foreign.push(r.url());
});
// Nothing may leave the machine: anything not local is refused (and counted).
await context.route('**/*', (route) =>
  route.request().url().startsWith(origin + '/') ? route.continue() : route.abort());
const axeSource = readFileSync(axePath, 'utf8');

async function axe(path) {
  const page = await context.newPage();
  const missing = path.startsWith('404:');
  if (missing) path = path.slice(4);
  const resp = await page.goto(origin + '/' + path, { waitUntil: 'load' });
  const want = missing ? 404 : 200;
  check(`${path}: loads (${want})`, resp && resp.status() === want, `status ${resp && resp.status()}`);
  // The style sheet applies at any depth (the 404 page is served anywhere).
  const styled = await page.evaluate(() => [...document.styleSheets].some((s) => s.cssRules.length > 0));
  check(`${path}: the style sheet is loaded`, styled, 'no CSS rules applied');
  if (missing) {
    const home = await page.evaluate(() => new URL(document.querySelector('a.site-title').href).pathname);
    const lang = await page.evaluate(() => document.documentElement.lang);
    check(`${path}: the 404 page links to its language's home`, home === (lang === 'ja' ? '/' : `/${lang}/`), `home link ${home}`);
  }
  // Readable on a 360 px wide phone: nothing makes the page scroll sideways.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(`${path}: fits a 360 px wide screen`, wide <= 360, `the page is ${wide} px wide`);
  // In print, the navigation and the search form are left out.
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ['.site-nav', '.site-search', '.skip-link']
    .filter((q) => { const e = document.querySelector(q); return e && getComputedStyle(e).display !== 'none'; }));
  check(`${path}: print leaves out navigation and search`, printed.length === 0, `still printed: ${printed.join(', ')}`);
  await page.emulateMedia({ media: 'screen' });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const v = result.violations;
  check(`${path}: axe-core finds no WCAG 2.1 A/AA violation (${result.passes.length} rules pass)`, v.length === 0,
    v.map((x) => `\n  ${x.id} (${x.impact}): ${x.help}\n    ` +
      x.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n    ')).join(''));
  await page.close();
}

// What has the focus: a short description.
async function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`;
  });
}

async function tabTo(page, want, max = 40) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    seen.push(f);
    if (f.includes(want)) return { ok: true, seen };
  }
  return { ok: false, seen };
}

async function keys(path) {
  const url = origin + '/' + path;
  let page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const lang = await page.evaluate(() => document.documentElement.lang);
  await page.keyboard.press('Tab');
  const first = await focused(page);
  check(`${path}: the first Tab reaches the skip link`, first.includes('skip-link'), `focus on ${first}`);
  const skipVisible = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.bottom > 0;
  });
  check(`${path}: the focused skip link is visible`, skipVisible, 'it stays off screen');
  let r = await tabTo(page, 'site-search-q');
  check(`${path}: Tab reaches the search box`, r.ok, `focus went ${r.seen.join(' > ')}`);

  // Typing a query and Enter go to the all-datasets page with ?q=.
  const query = lang === 'ja' ? '人口' : 'population';
  await page.keyboard.type(query);
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/datasets/'), { timeout: 10000 }).catch(() => {}),
    page.keyboard.press('Enter')]);
  const got = new URL(page.url());
  const wantPath = (lang === 'ja' ? '/' : `/${lang}/`) + 'datasets/';
  check(`${path}: Enter in the search box goes to ${wantPath}?q=…`,
    got.pathname === wantPath && got.searchParams.get('q') === query, `went to ${page.url()}`);
  await page.close();

  // The language switch: reachable, and Enter opens the twin page.
  page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const twin = await page.evaluate(() => {
    const other = document.querySelector('a.lang-switch')?.getAttribute('hreflang');
    const alt = document.querySelector(`link[rel=alternate][hreflang="${other}"]`);
    return alt ? new URL(alt.getAttribute('href'), location.href).pathname : null;
  });
  r = await tabTo(page, 'lang-switch');
  check(`${path}: Tab reaches the language switch`, r.ok, `focus went ${r.seen.join(' > ')}`);
  await Promise.all([page.waitForURL((u) => u.pathname !== new URL(url).pathname, { timeout: 10000 }).catch(() => {}),
    page.keyboard.press('Enter')]);
  const now = new URL(page.url()).pathname;
  // With a base URL the alternates are absolute: compare paths only.
  check(`${path}: Enter on the language switch opens the twin page`, twin && decodeURI(now) === decodeURI(twin),
    `went to ${now}, the hreflang alternate is ${twin}`);
  const twinLang = await page.evaluate(() => document.documentElement.lang);
  check(`${path}: the twin page is in the other language`, twinLang && twinLang !== lang, `lang="${twinLang}"`);
  await page.close();
}

try {
  for (const p of pages) {
    if (p.startsWith('keys:')) await keys(p.slice(5));
    else await axe(p);
  }
} catch (e) {
  check('the browser run completes', false, e.stack);
}
check('every request went to the local server', foreign.length === 0, foreign.slice(0, 10).join(' '));
await browser.close();
server.close();
process.exit(failed ? 1 : 0);

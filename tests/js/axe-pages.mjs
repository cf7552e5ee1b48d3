// axe-pages.mjs — runs axe-core (WCAG 2.1 A/AA rules) on local HTML files in
// Chromium and prints the violations as JSON; exit 1 when there is any.
// Usage: node axe-pages.mjs FILE.html...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = 0;
try {
  const page = await browser.newPage();
  for (const file of process.argv.slice(2)) {
    await page.goto(pathToFileURL(file).href);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
    const v = result.violations.map((x) => ({ id: x.id, impact: x.impact, nodes: x.nodes.map((n) => n.target.join(' ')) }));
    if (v.length) {
      failed = 1;
      console.log(JSON.stringify({ file, violations: v }));
    }
  }
} finally {
  await browser.close();
}
process.exit(failed);

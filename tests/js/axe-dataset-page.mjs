// axe-dataset-page.mjs — runs axe-core (WCAG 2.1 A and AA rules) on HTML
// files in headless Chromium at a 360 px wide viewport, and prints one
// line per file: "<violations> <file> <ids>". Used by tests/e2e/datasetpage.sh.
//   node tests/js/axe-dataset-page.mjs FILE...
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const axeSrc = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  for (const f of process.argv.slice(2)) {
    await page.goto('file://' + path.resolve(f));
    await page.addScriptTag({ content: axeSrc });
    const r = await page.evaluate(() =>
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const ids = r.violations.map((v) => `${v.id}(${v.nodes.length}): ${v.nodes[0].html.slice(0, 120)}`);
    console.log(`${r.violations.length} ${f} ${ids.join(' | ')}`);
  }
} finally {
  await browser.close();
}

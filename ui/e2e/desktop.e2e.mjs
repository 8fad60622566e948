// End-to-end test of the real desktop app, driven over WebDriver (tauri-driver +
// WebKitWebDriver, under Xvfb): open the demo repository, wait for the analysis, walk three
// checklist items, reorder the plan, export HTML and PDF, and save a screenshot of every
// screen. Run by scripts/e2e.sh, which builds the app and the demo repository first.
//
// Usage: node desktop.e2e.mjs <app binary> <repository> <data dir> <out dir>

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { go as goTo, launch } from './app.mjs';

const [app, repository, dataDir, outDir] = process.argv.slice(2);
if (!app || !repository || !dataDir || !outDir) {
  console.error('usage: node desktop.e2e.mjs <app binary> <repository> <data dir> <out dir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const results = [];
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error?.stack ?? error}`);
    throw error;
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

let browser;
let driver;
let failed = false;
try {
  ({ browser, driver } = await launch({ app, repository, dataDir }));
  // Exports (the PDF above all) take a few seconds in a debug build.
  await browser.setTimeout({ script: 180_000 });

  const shoot = (name) => browser.saveScreenshot(join(outDir, `${name}.png`));
  const go = (label) => goTo(browser, label);

  await step('the app opens the repository from its command line and analyses it', async () => {
    const indexing = await browser.$('[aria-busy="true"]');
    await indexing.waitForExist({ timeout: 20_000 });
    // A stage under way, then a moment for the frame to reach the screenshot.
    await browser.$('.stages li.active').waitForExist({ timeout: 20_000 }).catch(() => {});
    await browser.pause(250);
    await shoot('indexing');
    const headline = await browser.$('[data-testid="headline"]');
    await headline.waitForExist({ timeout: 240_000 });
    const text = await headline.getText();
    expect(/files/.test(text) && /load-bearing/.test(text), `headline: ${text}`);
    await shoot('overview');
  });

  await step('the checklist takes verdicts on three items', async () => {
    await go('Checklist');
    const items = await browser.$$('nav[aria-label="Checklist items"] button.item');
    expect(items.length >= 20, `only ${items.length} checklist items`);
    let walked = 0;
    for (const item of items) {
      if (walked === 3) break;
      const count = await item.$('.count').getText();
      if (!/^0\/[1-9]/.test(count)) continue;
      await item.click();
      const verdict = walked === 2 ? 'cosmetic' : 'load-bearing';
      const button = await browser.$(`[data-testid="finding"] button[data-verdict="${verdict}"]`);
      await button.click();
      await browser.waitUntil(async () => (await button.getAttribute('aria-pressed')) === 'true', {
        timeout: 10_000,
        timeoutMsg: `verdict ${verdict} was not recorded`,
      });
      walked += 1;
      if (walked === 1) await shoot('checklist');
    }
    expect(walked === 3, `walked ${walked} items`);
    await browser.$('label.founder-toggle input').click();
    await shoot('checklist-founder-view');
  });

  await step('findings, search and map screens show the analysis', async () => {
    await go('Findings');
    const rows = await browser.$$('button.row');
    expect(rows.length > 5, `${rows.length} finding rows`);
    await rows[0].click();
    await browser.$('aside.panel').waitForExist({ timeout: 5000 });
    await shoot('findings');
    await go('Search');
    await browser.$('input[type="search"]').setValue('stripe');
    await browser.$('form button[type="submit"]').click();
    await browser.$('mark').waitForExist({ timeout: 10_000 });
    await shoot('search');
    await go('Map');
    await browser.$('.canvas canvas').waitForExist({ timeout: 20_000 });
    await browser.pause(800);
    await shoot('map');
    await browser.$('.map select').selectByAttribute('value', 'risk');
    await browser.pause(800);
    await shoot('map-risk');
  });

  await step('the plan is reordered and the order survives a reload', async () => {
    await go('Plan');
    const column = '[data-horizon="before-spike"]';
    const first = await browser.$(`${column} [data-fingerprint]`);
    await first.waitForExist({ timeout: 5000 });
    const moved = await first.getAttribute('data-fingerprint');
    await first.$('button[aria-label="Move down"]').click();
    await browser.waitUntil(
      async () => (await browser.$$(`${column} [data-fingerprint]`)[1].getAttribute('data-fingerprint')) === moved,
      { timeout: 10_000, timeoutMsg: 'the line did not move down' },
    );
    await shoot('plan');
    // The engine holds the order: ask it directly.
    const plan = await browser.executeAsync((path, done) => {
      window.__TAURI_INTERNALS__.invoke('plan', { path }).then(done, (e) => done({ error: e }));
    }, repository);
    expect(plan.horizons[0].lines[1].fingerprint === moved, 'the stored plan does not have the new order');
  });

  await step('the plan exports as HTML and PDF', async () => {
    await go('Export');
    await shoot('export');
    // The native save dialog is outside the webview; the test calls the command its button calls.
    for (const extension of ['html', 'pdf']) {
      const out = join(outDir, `plan.${extension}`);
      const result = await browser.executeAsync((path, out, done) => {
        window.__TAURI_INTERNALS__.invoke('export_plan', { path, out }).then(done, (e) => done({ error: e }));
      }, repository, out);
      expect(!result.error, `export ${extension}: ${JSON.stringify(result.error)}`);
      expect(existsSync(out), `${out} missing`);
    }
    const html = readFileSync(join(outDir, 'plan.html'), 'utf8');
    expect(html.includes('Before the next traffic spike'), 'the HTML has no plan');
    const pdf = readFileSync(join(outDir, 'plan.pdf'));
    expect(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 20_000, 'the PDF is not a PDF');
    // (Refusing to write into the repository is the engine's rule, tested in tests/triage.rs.)
  });

  await step('home lists the engagement, and the dark theme applies', async () => {
    await go('Home');
    await browser.$('.recent-item').waitForExist({ timeout: 5000 });
    await shoot('home');
    await browser.$('button.theme-toggle').click();
    await go('Checklist');
    await shoot('checklist-dark');
    // The webview keeps the choice between runs: put it back.
    await browser.$('button.theme-toggle').click();
  });
} catch {
  failed = true;
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  driver?.kill();
}

writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
const passed = results.filter((r) => r.ok).length;
console.log(`e2e: ${passed} passed, ${results.length - passed + (failed && results.every((r) => r.ok) ? 1 : 0)} failed`);
process.exit(failed ? 1 : 0);

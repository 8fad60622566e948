// The desktop app on a large, already analysed repository (scripts/scale.sh with SCALE_UI=1):
// opens it, visits Overview, Map, Findings and Plan, and prints how long each screen took to
// show its content, with a screenshot of each.
// Usage: node scale.e2e.mjs <app binary> <repository> <data dir> <out dir>
import { join } from 'node:path';
import { go, launch } from './app.mjs';

const [app, repository, dataDir, outDir] = process.argv.slice(2);
let status = 0;
let session;
try {
  session = await launch({ app, repository, dataDir, port: 4446 });
  const { browser } = session;
  const timed = async (name, show, ready) => {
    const started = Date.now();
    await show();
    await (await browser.$(ready)).waitForExist({ timeout: 120_000 });
    console.log(`scale-ui: ${name} ready in ${Date.now() - started} ms`);
    await browser.saveScreenshot(join(outDir, `scale-${name.toLowerCase()}.png`));
  };
  await timed('Overview', async () => {}, '[data-testid="headline"]');
  await timed('Map', () => go(browser, 'Map'), 'canvas');
  await timed('Findings', () => go(browser, 'Findings'), 'button.row');
  await timed('Plan', () => go(browser, 'Plan'), 'section');
} catch (error) {
  console.log(`scale-ui: FAIL ${error?.stack ?? error}`);
  status = 1;
} finally {
  await session?.browser.deleteSession().catch(() => {});
  session?.driver.kill();
}
process.exit(status);

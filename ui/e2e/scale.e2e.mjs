// The desktop app on a large, already analysed repository (scripts/scale.sh with SCALE_UI=1):
// opens it, visits Overview, Map, Findings and Plan, and prints how long each screen took to
// show its content, with a screenshot of each.
// Usage: node scale.e2e.mjs <app binary> <repository> <data dir> <out dir>
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { remote } from 'webdriverio';

const [app, repository, dataDir, outDir] = process.argv.slice(2);
const driver = spawn('tauri-driver', ['--port', '4446', '--native-driver', '/usr/bin/WebKitWebDriver'], {
  env: { ...process.env, PLUMB_DATA_DIR: dataDir },
  stdio: ['ignore', 'inherit', 'inherit'],
});
await new Promise((resolve) => setTimeout(resolve, 1500));
let status = 0;
let browser;
try {
  browser = await remote({
    hostname: '127.0.0.1',
    port: 4446,
    logLevel: 'warn',
    capabilities: {
      browserName: 'wry',
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: app, args: [repository] },
    },
  });
  await browser.setWindowSize(1360, 860).catch(() => {});
  const timed = async (name, show, ready) => {
    const started = Date.now();
    await show();
    await (await browser.$(ready)).waitForExist({ timeout: 120_000 });
    console.log(`scale-ui: ${name} ready in ${Date.now() - started} ms`);
    await browser.saveScreenshot(join(outDir, `scale-${name.toLowerCase()}.png`));
  };
  const go = (label) => async () => (await browser.$(`//nav//button[span[normalize-space()='${label}']]`)).click();
  await timed('Overview', async () => {}, '[data-testid="headline"]');
  await timed('Map', go('Map'), 'canvas');
  await timed('Findings', go('Findings'), 'button.row');
  await timed('Plan', go('Plan'), 'section');
} catch (error) {
  console.log(`scale-ui: FAIL ${error?.stack ?? error}`);
  status = 1;
} finally {
  await browser?.deleteSession().catch(() => {});
  driver.kill();
}
process.exit(status);

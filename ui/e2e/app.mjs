// Starts the desktop app under tauri-driver (WebKitWebDriver) for the WebDriver scripts in
// this folder, and the helpers they share.
import { spawn } from 'node:child_process';
import { remote } from 'webdriverio';

/** tauri-driver on `port` (WebKitWebDriver takes port + 1), the app opening `repository`. */
export async function launch({ app, repository, dataDir, port = 4444 }) {
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1), '--native-driver', '/usr/bin/WebKitWebDriver'], {
    env: { ...process.env, PLUMB_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  try {
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'warn',
      capabilities: {
        browserName: 'wry',
        // WebKitWebDriver speaks classic WebDriver only (no BiDi websocket).
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: app, args: [repository] },
      },
    });
    await browser.setWindowSize(1360, 860).catch(() => {});
    return { browser, driver };
  } catch (error) {
    driver.kill();
    throw error;
  }
}

/** Clicks the sidebar entry labelled `label`. */
export async function go(browser, label) {
  const button = await browser.$(`//nav//button[span[normalize-space()='${label}']]`);
  await button.click();
}

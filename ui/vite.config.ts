import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The Tauri window loads the dev server at this address (src-tauri/tauri.conf.json devUrl).
const devPort = 5173;

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: devPort,
    strictPort: true,
  },
  build: {
    // WebKitGTK on Linux, WebKit on macOS, WebView2 (Chromium) on Windows.
    target: ['es2022', 'safari16', 'chrome110'],
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});

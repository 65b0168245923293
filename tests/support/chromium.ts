/** Debian's Chromium and the flags it runs with here (Playwright's own browser download cannot run): one place for the end-to-end tests and the benches. */
export const CHROMIUM_PATH = process.env.CABINET_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

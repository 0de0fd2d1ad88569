// Shared by the browser tests (*.test.mjs): argument handling, the pass/fail tally with its closing
// "N passed, N failed" line, starting Debian's Chromium, and starting and stopping `kho serve` on a free port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

// KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR from the command line (exits 2 with a usage line when missing);
// the artifacts folder is created.
export function testArgs(script) {
  const [kho, samplesDir, artifactsDir] = process.argv.slice(2);
  if (!kho || !samplesDir || !artifactsDir) {
    console.error(`usage: node ${script} KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR`);
    process.exit(2);
  }
  fs.mkdirSync(artifactsDir, { recursive: true });
  return { kho, samplesDir, artifactsDir };
}

// Text as a reader compares it: NFC, runs of white space as one space, trimmed.
export const nfc = (s) => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

const tally = { passed: 0, failed: 0 };
export function check(name, ok, detail = '') {
  if (ok) {
    tally.passed++;
    console.log(`ok   ${name}`);
  } else {
    tally.failed++;
    console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ''}`);
  }
}
// Prints "N passed, N failed" (the line CI reads) and exits 1 when anything failed.
export function finish() {
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exit(tally.failed ? 1 : 0);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitForServer(url, child, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`kho serve exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kho serve did not answer at ${url}`);
}

// Debian's Chromium, headless, with a fresh profile in `dir` (a folder of the test's scratch space);
// `options` adds to or overrides Playwright's context options (viewport, acceptDownloads, hasTouch…).
export function launchChromium(dir, options = {}) {
  return chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
}

// Starts `kho serve` over `archive` on a free loopback port and waits until it answers: { server, base }.
// `extra`: more arguments for `kho serve`.
export async function startServer(kho, archive, extra = []) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(kho, ['--archive', archive, 'serve', '--port', String(port), ...extra],
                       { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForServer(`${base}/api/events`, server);
  return { server, base };
}

// Stops `kho serve` with Ctrl-C (SIGINT) and waits up to 5 s: its exit code, 'timeout', or null when it was
// not running.
export async function stopServer(server) {
  if (!server || server.exitCode !== null) return null;
  server.kill('SIGINT');
  return new Promise((r) => { server.on('exit', (c) => r(c)); setTimeout(() => r('timeout'), 5000); });
}

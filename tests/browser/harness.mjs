// Shared by the browser tests (gallery.test.mjs, export.test.mjs): argument handling, the pass/fail tally
// with its closing "N passed, N failed" line, and starting `kho serve` on a free port.
import fs from 'node:fs';
import net from 'node:net';

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

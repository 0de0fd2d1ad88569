// Browser test of tracing (issue 12): the gallery shows camera originals in the article view.
//
//   node trace.test.mjs KHO_BINARY REPO_ROOT ARTIFACTS_DIR
//
// Builds a small tracing set with bench/trace/make_set.py (two bases, 1.5 MP originals, web copies, a
// burst, an agency photo, a missing file), ingests it with `kho ingest --json --links`, serves it, and checks
// as a reader would: the event's article shows each traced reference with its original (not the web copy),
// with the article's caption, loaded; the agency photo still shows its web copy; the original's page lists
// "Bản đã đăng" (the published copy); the search API finds the original by the caption. Screenshots (desktop
// and phone) go to ARTIFACTS_DIR. Prints "N passed, N failed" and exits non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, finish, launchChromium, nfc, startServer, stopServer, testArgs } from './harness.mjs';

const { kho, samplesDir: repoRoot, artifactsDir } = testArgs('trace.test.mjs');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-trace-browser-'));
const archive = path.join(work, 'archive');
const setDir = path.join(work, 'set');
let server = null;
let browser = null;
try {
  const bases = ['base01.jpg', 'base03.jpg'].map((b) => path.join(repoRoot, 'tests', 'data', 'trace', b));
  const made = spawnSync('python3', [path.join(repoRoot, 'bench', 'trace', 'make_set.py'), '--bases', ...bases,
    '--out', setDir, '--mp', '1.5', '--seed', '7', '--agency', '1'], { encoding: 'utf8' });
  check('make_set.py builds the set', made.status === 0, made.stderr);
  const ingest = spawnSync(kho, ['--archive', archive, 'ingest', setDir, '--json', '--links'], { encoding: 'utf8' });
  check('kho ingest of the set succeeds', ingest.status === 0 || ingest.status === 1, ingest.stderr);
  const summary = JSON.parse(ingest.stdout);
  const truth = fs.readFileSync(path.join(setDir, 'truth.tsv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split('\t')).map(([folder, ref, original, kind]) => ({ folder, ref, original, kind }));
  // The event folder's article (not the press folder's): its traced links.
  const eventFolder = truth.find((t) => t.kind !== 'missing' && !t.folder.includes('Báo')).folder;
  const inEvent = summary.link_list.filter((l) => path.basename(path.dirname(l.path)) === eventFolder);
  const traced = inEvent.filter((l) => l.original);
  const agency = inEvent.filter((l) => truth.some((t) => t.ref === l.ref && t.kind === 'agency'));
  check('some references of the event are traced', traced.length >= 1, JSON.stringify(inEvent, null, 1));
  check('traced originals are the ones the set was made from',
        traced.every((l) => truth.some((t) => t.ref === l.ref && t.original === path.basename(l.original.path))),
        JSON.stringify(traced.map((l) => [l.ref, l.original.path])));

  let base;
  ({ server, base } = await startServer(kho, archive));
  browser = await launchChromium(path.join(work, 'chromium-profile'), {
    viewport: { width: 1280, height: 900 },
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  const shown = spawnSync(kho, ['--archive', archive, 'show', (traced[0] || inEvent[0]).article_id, '--json'],
                          { encoding: 'utf8' });
  const eventId = JSON.parse(shown.stdout).article.event_id;
  await page.goto(`${base}/event/${eventId}`);
  await page.waitForLoadState('load');
  for (const l of traced) {
    const fig = page.locator(`.story-photo[data-ref="${l.ref}"]`);
    const digest = await fig.locator('a.lb').getAttribute('data-digest');
    check(`article view shows the original for ${l.ref}`, digest === l.original.digest,
          `shown ${digest}, original ${l.original.digest}`);
    const caption = nfc(await fig.locator('figcaption').textContent());
    check(`…with the article's caption`, caption.startsWith('Chú thích ảnh'), caption);
    await fig.scrollIntoViewIfNeeded();
    // loading="lazy": wait for the picture once it is in view.
    const loaded = await fig.locator('img').evaluate((img) => (img.complete && img.naturalWidth > 0) ||
      new Promise((resolve) => {
        img.addEventListener('load', () => resolve(img.naturalWidth > 0));
        img.addEventListener('error', () => resolve(false));
        setTimeout(() => resolve(img.complete && img.naturalWidth > 0), 10000);
      }));
    check(`…and its picture loads`, loaded);
  }
  for (const l of agency) {
    const digest = await page.locator(`.story-photo[data-ref="${l.ref}"] a.lb`).getAttribute('data-digest');
    const linked = spawnSync(kho, ['--archive', archive, 'show', l.article_id, '--json'], { encoding: 'utf8' });
    const link = JSON.parse(linked.stdout).links.find((x) => x.ref === l.ref);
    check('the agency photo keeps its web copy', link && link.original === null && digest === link.digest,
          JSON.stringify(link));
  }
  await page.screenshot({ path: path.join(artifactsDir, 'trace-01-article.png'), fullPage: true });

  if (traced.length) {
    // The original's page: the published copy.
    await page.goto(`${base}/photo/${traced[0].original.digest}`);
    await page.waitForLoadState('load');
    const copy = page.locator('.published-copy');
    check('the original\'s page shows "Bản đã đăng" with the web copy',
          (await copy.count()) >= 1 && nfc(await copy.first().textContent()).includes(path.basename(traced[0].path)),
          await page.locator('.photo-side').textContent());
    const cap = nfc(await page.locator('.photo-preview figcaption').textContent().catch(() => ''));
    check('…and the article\'s caption', cap.startsWith('Chú thích ảnh'), cap);
    await page.screenshot({ path: path.join(artifactsDir, 'trace-02-original.png'), fullPage: true });
    // Search: the caption finds the original.
    const words = 'quang cảnh buổi lễ';
    const r = await (await fetch(`${base}/api/search?q=${encodeURIComponent(words)}`)).json();
    const digests = r.hits.map((h) => h.digest);
    check('search finds the original by the caption', digests.includes(traced[0].original.digest),
          JSON.stringify(digests));
  }

  const phone = await browser.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${base}/event/${eventId}`);
  await phone.waitForLoadState('load');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('the article view fits a phone-width screen', overflow <= 1, `overflow ${overflow}px`);
  await phone.screenshot({ path: path.join(artifactsDir, 'trace-03-phone.png'), fullPage: true });
  // The workbench (issue 16) lists what tracing left ambiguous, each candidate one click from being linked.
  // It is for editors: an account is made last, since from then on every page needs a login.
  const add = spawnSync(kho, ['--archive', archive, 'user', 'add', 'ed', '--role', 'editor', '--password-stdin'],
                        { input: 'trace-test-password\n', encoding: 'utf8' });
  check('an editor account is made', add.status === 0, add.stderr);
  const login = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'name=ed&password=trace-test-password&next=%2Fworkbench' });
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  check('the editor logs in', login.status === 303 && cookie.startsWith('kho_session='), `${login.status}`);
  const bench = await (await fetch(`${base}/api/workbench`, { headers: { Cookie: cookie } })).json();
  check('the workbench counts the ambiguous references the ingest reported',
        bench.ambiguous_count === summary.ambiguous.length, `${bench.ambiguous_count} vs ${summary.ambiguous.length}`);
  check('each ambiguous reference offers the candidates the ingest named',
        (bench.ambiguous || []).every((a) => {
          const s = summary.ambiguous.find((x) => x.ref === a.ref);
          return s && a.candidates.length === s.candidates.length &&
            a.candidates.every((c) => s.candidates.some((p) => path.basename(p) === c.name));
        }), JSON.stringify({ bench: bench.ambiguous, summary: summary.ambiguous }));
  check('no JavaScript errors', pageErrors.length === 0, pageErrors.join('\n     '));
} catch (e) {
  check('the browser test ran to the end', false, e.stack || String(e));
} finally {
  if (browser) await browser.close().catch(() => {});
  await stopServer(server);
  fs.rmSync(work, { recursive: true, force: true });
}
finish();

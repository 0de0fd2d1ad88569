// Browser test of the gallery: real Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
//
//   node gallery.test.mjs KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR
//
// Ingests the samples into a temporary archive with `kho ingest`, starts `kho serve` on a free port, and
// walks the gallery as a reader would: home → the seed's event (8 photos, captions in article order) →
// lightbox with → → search "thanh hoa" → duplicates. Screenshots go to ARTIFACTS_DIR. Prints
// "N passed, N failed" and exits non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, finish, freePort, launchChromium, nfc, stopServer, testArgs, waitForServer } from './harness.mjs';

const { kho, samplesDir, artifactsDir } = testArgs('gallery.test.mjs');

// The seed article is the sample folder's copy of 000_b3632f37396194da.txt; its expected photos and
// captions come from `kho parse`, independently of the archive and the web pages.
function seedArticle() {
  for (const dir of fs.readdirSync(samplesDir)) {
    const file = path.join(samplesDir, dir, '000_b3632f37396194da.txt');
    if (!fs.existsSync(file)) continue;
    const r = spawnSync(kho, ['parse', file, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kho parse failed: ${r.stderr}`);
    return JSON.parse(r.stdout).articles[0];
  }
  throw new Error(`no seed article in ${samplesDir}`);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-browser-'));
const archive = path.join(work, 'archive');
let server = null;
let browser = null;
try {
  const seed = seedArticle();
  const ingest = spawnSync(kho, ['--archive', archive, 'ingest', samplesDir, '--json'], { encoding: 'utf8' });
  check('kho ingest of the samples succeeds', ingest.status === 0 || ingest.status === 1, ingest.stderr);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(kho, ['--archive', archive, 'serve', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let serverLog = '';
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitForServer(`${base}/api/events`, server);
  check('kho serve prints its URL on stderr', serverLog.includes(`http://127.0.0.1:${port}/`), serverLog);

  // A fresh profile directory each run (playwright passes it as --user-data-dir).
  browser = await launchChromium(path.join(work, 'chromium-profile'), {
    viewport: { width: 1280, height: 900 },
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  // Home.
  await page.goto(`${base}/`);
  await page.screenshot({ path: path.join(artifactsDir, '01-home.png'), fullPage: true });
  // The three sample event folders, each with photos (other folders of samples/ are not counted here).
  const counts = await page.locator('.event-card .kicker').allTextContents();
  const withPhotos = counts.filter((t) => /· [1-9]\d* ảnh/.test(t)).length;
  check('home lists the three sample events with photos', withPhotos === 3, `cards: ${JSON.stringify(counts)}`);
  const seedCard = page.locator('.event-card h2 a', { hasText: nfc(seed.title) });
  check('home shows the seed article\'s event', (await seedCard.count()) === 1);

  // The seed's event.
  await seedCard.first().click();
  await page.waitForLoadState('load');
  const shownTitle = nfc(await page.locator('.story-head h1').first().textContent());
  check('the event page shows the article title', shownTitle === nfc(seed.title));
  const figures = page.locator('.story-photo');
  const n = await figures.count();
  check('the article shows its 8 photos', n === 8 && seed.photos.length === 8,
        `figures ${n}, refs ${seed.photos.length}`);
  const refs = [];
  const captions = [];
  for (let i = 0; i < n; i++) {
    refs.push(nfc(await figures.nth(i).getAttribute('data-ref')));
    const cap = figures.nth(i).locator('figcaption');
    captions.push((await cap.count()) ? nfc(await cap.textContent()) : '');
  }
  const expectedRefs = seed.photos.map((p) => nfc(p.ref));
  const expectedCaptions = seed.photos.map((p) => nfc(p.caption));
  check('photos are in article order', JSON.stringify(refs) === JSON.stringify(expectedRefs),
        `got ${JSON.stringify(refs)}`);
  check('each photo has its own caption under it', JSON.stringify(captions) === JSON.stringify(expectedCaptions),
        `got ${JSON.stringify(captions)}\n     want ${JSON.stringify(expectedCaptions)}`);
  check('no photo of the seed article is unresolved', (await page.locator('.story-photo.unresolved').count()) === 0);
  const group = seed.photos.find((p) => p.group_caption)?.group_caption;
  const groupEl = page.locator('.group-caption', { hasText: nfc(group) });
  check('the group caption is shown over its photos', (await groupEl.count()) === 1);
  // Every inline image really loads (lazy images: scroll each into view first).
  let loaded = 0;
  for (let i = 0; i < n; i++) {
    const img = figures.nth(i).locator('img');
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(),
                               { timeout: 10000 }).catch(() => {});
    if (await img.evaluate((el) => el.naturalWidth > 0)) loaded++;
  }
  check('all 8 inline photos load', loaded === 8, `${loaded} loaded`);
  const alts = await figures.locator('img').evaluateAll((els) => els.map((e) => e.alt));
  check('images have caption alt text', alts.every((a) => a.length > 0), JSON.stringify(alts));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(artifactsDir, '02-event.png'), fullPage: true });

  // Lightbox: open from the first grid photo, → moves, Esc closes.
  const tiles = page.locator('.grid a.lb');
  check('the grid holds every photo of the event', (await tiles.count()) === 8, `got ${await tiles.count()}`);
  await tiles.first().scrollIntoViewIfNeeded();
  await tiles.first().click();
  const box = page.locator('#lightbox');
  await box.waitFor({ state: 'visible', timeout: 5000 });
  const firstCaption = nfc(await box.locator('.lb-caption').textContent());
  const wantFirst = nfc(await tiles.nth(0).getAttribute('data-caption'));
  check('the lightbox opens with the photo and its caption', firstCaption === wantFirst && firstCaption.length > 0,
        `got "${firstCaption}"`);
  await page.waitForFunction(() => document.querySelector('#lightbox img').naturalWidth > 0, null,
                             { timeout: 5000 }).catch(() => {});
  await page.screenshot({ path: path.join(artifactsDir, '03-lightbox.png') });
  await page.keyboard.press('ArrowRight');
  const index = await box.getAttribute('data-index');
  const secondCaption = nfc(await box.locator('.lb-caption').textContent());
  const wantSecond = nfc(await tiles.nth(1).getAttribute('data-caption'));
  check('→ moves to the next photo', index === '1' && secondCaption === wantSecond,
        `index ${index}, "${secondCaption}"`);
  await page.screenshot({ path: path.join(artifactsDir, '04-lightbox-next.png') });
  await page.keyboard.press('Escape');
  check('Esc closes the lightbox', await box.isHidden());

  // Search without diacritics.
  await page.fill('.searchbox input[name=q]', 'thanh hoa');
  await Promise.all([page.waitForNavigation(), page.press('.searchbox input[name=q]', 'Enter')]);
  await page.screenshot({ path: path.join(artifactsDir, '05-search.png'), fullPage: true });
  const groups = page.locator('.result-group h2 a');
  const titles = (await groups.allTextContents()).map(nfc);
  check('search "thanh hoa" finds the seed article', titles.includes(nfc(seed.title)), JSON.stringify(titles));
  const marks = (await page.locator('mark').allTextContents()).map((t) => nfc(t).toLowerCase());
  // All the words (issue 15): each word is marked where it stands, "thanh" and "hoa" with or without marks.
  // "TP." is marked with what follows it: it stands for "thành phố", whose "thành" matches "thanh".
  const fold = (m) => m.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd');
  const marked = /^(tp\.)?(thanh|hoa|thanh hoa)$/;
  check('matches are highlighted', marks.length > 0 && marks.every((m) => marked.test(fold(m))),
        JSON.stringify(marks.filter((m) => !marked.test(fold(m)))));

  // Duplicates.
  await page.click('.nav a[href="/dups"]');
  await page.waitForLoadState('load');
  await page.screenshot({ path: path.join(artifactsDir, '06-dups.png'), fullPage: true });
  const clusters = page.locator('.cluster');
  const names = (await page.locator('.cluster .copy dd code').allTextContents()).map(nfc);
  const bestName = nfc(await page.locator('.cluster .copy.best dd code').first().textContent().catch(() => ''));
  check('the duplicates page shows the sample near-duplicate pair',
        (await clusters.count()) === 1 && names.length === 2 &&
        names.includes(nfc('thăm phòng truyền thống.jpg')) &&
        names.includes(nfc('tham phòng truyền thống 1.jpg')),
        `clusters ${await clusters.count()}, names ${JSON.stringify(names)}`);
  check('the best copy is marked', bestName === nfc('thăm phòng truyền thống.jpg'), bestName);

  // A phone-width screen: the grid still fits.
  const phone = await browser.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${base}/`);
  await phone.locator('.event-card h2 a', { hasText: nfc(seed.title) }).first().click();
  await phone.waitForLoadState('load');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('the event page fits a phone-width screen', overflow <= 1, `overflow ${overflow}px`);
  await phone.locator('.all-photos').scrollIntoViewIfNeeded();
  await phone.screenshot({ path: path.join(artifactsDir, '07-phone-grid.png') });

  check('no JavaScript errors', pageErrors.length === 0, pageErrors.join('\n     '));
} catch (e) {
  check('the browser test ran to the end', false, e.stack || String(e));
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    const code = await stopServer(server);
    check('kho serve stops cleanly on Ctrl-C', code === 0, `exit ${code}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
}
finish();

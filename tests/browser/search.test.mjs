// Browser test of search (issue 15): real Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
//
//   node search.test.mjs KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR
//
// Ingests the samples, starts `kho serve`, and searches as an editor would, at desktop (1366×900) and phone
// (390×844) width: all the words (`son la thanh hoa`), an abbreviation (`ubnd`), a slip (`thanh hoas`), a
// pasted caption of more than 16 words, a date filter; checks that the page and /api/search agree (same
// hits, same errors), that photos show once in a grid, and that a body hit links to its paragraph.
// Screenshots go to ARTIFACTS_DIR (search-*.png).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, finish, launchChromium, nfc, startServer, stopServer, testArgs } from './harness.mjs';

const { kho, samplesDir, artifactsDir } = testArgs('search.test.mjs');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-browser-search-'));
const archive = path.join(work, 'archive');
let server = null;
let browser = null;
try {
  const ingest = spawnSync(kho, ['--archive', archive, 'ingest', samplesDir, '--json'], { encoding: 'utf8' });
  check('kho ingest of the samples succeeds', ingest.status === 0 || ingest.status === 1, ingest.stderr);
  let base;
  ({ server, base } = await startServer(kho, archive));

  const api = async (q) => {
    const r = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`);
    return { status: r.status, body: await r.json() };
  };

  browser = await launchChromium(path.join(work, 'chromium-profile'), {
    viewport: { width: 1366, height: 900 },
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  // All the words: the seed's title holds both names.
  await page.goto(`${base}/search?q=${encodeURIComponent('son la thanh hoa')}`);
  const marks = (await page.locator('mark').allTextContents()).map(nfc);
  check('"son la thanh hoa" finds text with both names marked',
        marks.some((m) => /sơn la/i.test(m)) && marks.some((m) => /thanh hóa/i.test(m)), marks.join(' | '));
  const tiles = await page.locator('.hit-grid .tile').count();
  check('matching photos show as a grid', tiles > 0, `${tiles} tiles`);
  const hrefs = await page.locator('.hit-grid .tile > a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check('each photo shows once', new Set(hrefs).size === hrefs.length, hrefs.join(' '));
  const a1 = await api('son la thanh hoa');
  check('the page and /api/search show the same hits', a1.status === 200 &&
        a1.body.hits.filter((h) => h.digest).length === tiles, `${a1.body.hits.length} api hits, ${tiles} tiles`);
  await page.screenshot({ path: path.join(artifactsDir, 'search-1-all-words-desktop.png'), fullPage: true });

  // A body or group-caption hit links to its place in the article, and the anchor exists there.
  const anchor = (a1.body.hits.find((h) => h.anchor_url && !h.digest) || {}).anchor_url;
  if (anchor) {
    await page.goto(base + anchor);
    const id = decodeURIComponent(anchor.split('#')[1]);
    check('a text hit links to its paragraph', (await page.locator(`[id="${id}"]`).count()) === 1, anchor);
  } else {
    check('a text hit links to its paragraph', a1.body.hits.some((h) => h.anchor_url), 'no anchor_url in the hits');
  }

  // Abbreviation both ways, and a slip.
  const ubnd = await api('ubnd');
  // As a phrase the expansion finds exactly what the abbreviation finds; as loose words it may find more
  // (texts holding "ủy", "ban", "nhân" and "dân" apart).
  const uy = await api('"uy ban nhan dan"');
  check('"ubnd" and the phrase "uy ban nhan dan" find the same texts',
        ubnd.body.count > 0 && ubnd.body.count === uy.body.count, `${ubnd.body.count} vs ${uy.body.count}`);
  const loose = await api('uy ban nhan dan');
  const key = (h) => `${h.article_id}|${h.field}|${h.block}|${h.digest}|${h.ref_index}`;
  check('the loose words find every text the abbreviation finds',
        ubnd.body.hits.every((h) => loose.body.hits.some((l) => key(l) === key(h))),
        `${ubnd.body.count} vs ${loose.body.count}`);
  await page.goto(`${base}/search?q=${encodeURIComponent('thanh hoas')}`);
  const suggest = nfc(await page.locator('.suggest').textContent().catch(() => ''));
  check('a Telex slip is corrected and said', /thanh ho[áa]/i.test(suggest), suggest);
  await page.screenshot({ path: path.join(artifactsDir, 'search-2-slip-desktop.png'), fullPage: true });

  // A pasted caption longer than 16 words: no error, its photo first.
  const cap = a1.body.hits.map((h) => h.snippet).find((s) => s.split(/\s+/).length > 16 && !s.includes('…'));
  if (cap) {
    const long = await api(cap);
    check('a pasted long caption finds its text first', long.status === 200 && long.body.hits[0].snippet === cap,
          `${long.status} ${cap}`);
  }

  // Same errors: a bad filter and a query without words are 400 on both.
  for (const q of ['thanh hoa date:20', '...']) {
    const r = await api(q);
    const p = await page.goto(`${base}/search?q=${encodeURIComponent(q)}`);
    check(`"${q}": page and API both answer ${r.status}`, r.status === 400 && p.status() === 400,
          `${r.status} / ${p.status()}: ${r.body.message}`);
  }
  const dated = await api('thanh hoa date:2020');
  const undated = await api('thanh hoa date:2019');
  check('a date filter keeps the year\'s hits', dated.body.count > 0 && undated.body.count === 0,
        `${dated.body.count} / ${undated.body.count}`);

  // Phone width.
  const phone = await browser.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${base}/search?q=${encodeURIComponent('son la thanh hoa')}`);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('the results fit a phone screen', overflow <= 1, `${overflow}px too wide`);
  await phone.screenshot({ path: path.join(artifactsDir, 'search-3-all-words-phone.png'), fullPage: true });

  check('no JavaScript errors', pageErrors.length === 0, pageErrors.join('\n     '));
} catch (e) {
  check('the browser test ran to the end', false, e.stack || String(e));
} finally {
  if (browser) await browser.close().catch(() => {});
  await stopServer(server);
  fs.rmSync(work, { recursive: true, force: true });
}
finish();

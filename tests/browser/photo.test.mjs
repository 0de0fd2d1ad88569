// Browser test of the photo page and the images (issue 15): real Chromium (Debian's /usr/bin/chromium) driven
// by playwright-core, at desktop width (1366×900) at 1× and 2× pixel density, and at phone width (390×844, 2×,
// a touch screen).
//
//   node photo.test.mjs KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR
//
// Copies the samples to a temporary folder named `samples`, writes shooting settings into one photo's EXIF
// with exiftool (flash fired in auto mode, aperture priority, matrix metering, auto white balance, −2/3 EV,
// orientation 6), ingests the copy with `kho ingest`, starts `kho serve` on a free port, and checks: every grid
// and article image lists 320, 640 and 1280 px in `srcset` with a `sizes`; the browser takes the 320 px image at
// 1×, the 640 px one on high-density screens and phones, and /thumb/…/640 is a 640 px JPEG; the photo page
// shows paths below the ingested root (`samples/…`), never the server's absolute path, and its metadata in
// Vietnamese only, with the EXIF codes in words. Screenshots go to ARTIFACTS_DIR (photo-*.png).
// Prints "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, finish, launchChromium, nfc, startServer, stopServer, testArgs } from './harness.mjs';

const { kho, samplesDir, artifactsDir } = testArgs('photo.test.mjs');
const shot = (page, name) => page.screenshot({ path: path.join(artifactsDir, `photo-${name}.png`), fullPage: true });

const SEED = '2020-11-18 Sơn La thăm Thanh Hóa';
const LANDSCAPE = 'phong truyen thong 2.jpg';  // 1600×1200: a 4:3 tile needs 1.33× its width
const SETTINGS = 'thăm phòng truyền thống.jpg';  // gets the shooting settings below

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-photo-'));
const archive = path.join(work, 'archive');
let server = null;
const contexts = [];

// The tiles of the event grid, each scrolled into view and loaded: what the browser chose from srcset.
async function tiles(page) {
  const imgs = page.locator('.grid .tile img');
  const n = await imgs.count();
  const out = [];
  for (let i = 0; i < n; i++) {
    const img = imgs.nth(i);
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(),
                               { timeout: 10000 });
    out.push(await img.evaluate((el) => ({
      name: el.closest('a').dataset.name, src: el.currentSrc, srcset: el.getAttribute('srcset') ?? '',
      sizes: el.getAttribute('sizes') ?? '', nw: el.naturalWidth, cssw: el.getBoundingClientRect().width,
    })));
  }
  return out;
}
const sizeOf = (url) => (url.match(/\/thumb\/[0-9a-f]{64}\/(\d+)$/) || [])[1] ?? (url.includes('/original/') ? 'original' : '?');

try {
  const samples = path.join(work, 'samples');
  fs.cpSync(samplesDir, samples, { recursive: true });
  const target = path.join(samples, SEED, SETTINGS);
  const exif = spawnSync('exiftool', ['-q', '-overwrite_original', '-ExifIFD:Flash#=25', '-ExposureProgram#=3',
                                      '-MeteringMode#=5', '-WhiteBalance#=0', '-ExposureCompensation=-0.67',
                                      '-Orientation#=6', target], { encoding: 'utf8' });
  check('exiftool writes the shooting settings into the copy', exif.status === 0, exif.stderr);
  const ingest = spawnSync(kho, ['--archive', archive, 'ingest', samples, '--json'], { encoding: 'utf8' });
  check('kho ingest of the samples succeeds', ingest.status === 0 || ingest.status === 1, ingest.stderr);

  let base;
  ({ server, base } = await startServer(kho, archive));

  const events = (await (await fetch(`${base}/api/events`)).json()).events;
  const seed = events.find((e) => nfc(e.folder ?? '').endsWith(nfc(SEED)));
  const seedDoc = await (await fetch(`${base}/api/event/${seed.id}`)).json();
  const byName = new Map(seedDoc.photos.map((p) => [nfc(p.name), p]));
  const land = byName.get(nfc(LANDSCAPE));
  const set = byName.get(nfc(SETTINGS));
  check('the seed event holds the test photos', !!land && !!set, [...byName.keys()].join(', '));

  // The JSON: relative paths, the 640 size in srcset.
  check('the event JSON shows its folder below the ingested root',
        nfc(seedDoc.event.folder_display) === nfc(`samples/${SEED}`) && seedDoc.event.folder.startsWith(work),
        `${seedDoc.event.folder_display}`);
  const large = seedDoc.photos.filter((p) => Math.max(p.width, p.height) > 640);
  check('every photo over 640 px lists /640 in its srcset',
        large.length >= 5 && large.every((p) => /\/640 \d+w/.test(p.srcset ?? '')),
        large.filter((p) => !/\/640 /.test(p.srcset ?? '')).map((p) => p.name).join(', '));
  const thumb640 = await fetch(`${base}/thumb/${land.digest}/640`);
  const bytes640 = Buffer.from(await thumb640.arrayBuffer());
  // JPEG SOF0: FF C0, length, precision, height, width.
  const sof = bytes640.indexOf(Buffer.from([0xff, 0xc0]));
  const dims = sof > 0 ? [bytes640.readUInt16BE(sof + 7), bytes640.readUInt16BE(sof + 5)] : [];
  check('/thumb/…/640 is a 640 px JPEG', thumb640.status === 200 &&
        thumb640.headers.get('content-type') === 'image/jpeg' && dims[0] === 640 && dims[1] === 480,
        `${thumb640.status} ${dims}`);

  const eventUrl = `${base}/event/${seed.id}`;
  const photoUrl = `${base}/photo/${set.digest}`;
  for (const [label, options, want] of [
    ['desktop 1×', { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 }, '320'],
    ['desktop 2×', { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 2 }, '640'],
    ['phone 2×', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
     '640'],
  ]) {
    const ctx = await launchChromium(path.join(work, `profile-${contexts.length}`), options);
    contexts.push(ctx);
    const page = await ctx.newPage();
    const errors = [];
    const got640 = [];  // /thumb/…/640 answers the page received (Chromium reports srcset images' naturalWidth
                        // divided by their density, so the bytes' own size is checked above, from the SOF)
    page.on('response', (r) => { if (/\/thumb\/[0-9a-f]{64}\/640$/.test(r.url())) got640.push(r.status()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(eventUrl);
    const t = await tiles(page);
    const tl = t.find((x) => nfc(x.name) === nfc(LANDSCAPE));
    check(`${label}: every grid image has a srcset of 320/640/1280 with a sizes`,
          t.length === seedDoc.photos.length && t.every((x) => x.sizes.length > 0 && x.srcset.includes('/320 ')),
          JSON.stringify(t.filter((x) => !x.sizes)));
    check(`${label}: the 4:3 tile takes the ${want} px image`, !!tl && sizeOf(tl.src) === want,
          tl ? `${tl.src} css ${tl.cssw}px, sizes "${tl.sizes}"` : 'no tile');
    if (want === '640') {
      check(`${label}: the page fetched 640 px images`, got640.length > 0 && got640.every((st) => st === 200),
            JSON.stringify(got640));
    } else {
      check(`${label}: no 640 px image is fetched at 1×`, got640.length === 0, JSON.stringify(got640));
    }
    // Sharp enough: no tile shows fewer image pixels than CSS pixels × density × how far cover scales it.
    // naturalWidth is the image's width over its srcset density, so × density is what the tile shows of it.
    const dpr = options.deviceScaleFactor;
    const blurry = t.filter((x) => {
      const p = byName.get(nfc(x.name));
      const need = x.cssw * Math.max(1, p.width / p.height) * dpr;
      const w = Number((x.srcset.split(', ').find((c) => c.startsWith(new URL(x.src).pathname + ' ')) ?? ' 0w')
        .split(' ')[1].replace('w', ''));
      return w < Math.min(need / 2, p.width);  // Chromium's choice is never below half the need
    });
    check(`${label}: no tile is blurry`, blurry.length === 0, JSON.stringify(blurry));
    // Article photos list the sizes too.
    const article = await page.locator('.story-photo img').evaluateAll((els) =>
      els.map((el) => ({ srcset: el.getAttribute('srcset') ?? '', sizes: el.getAttribute('sizes') ?? '' })));
    check(`${label}: article photos carry srcset and sizes`,
          article.length > 0 && article.every((a) => a.srcset.includes('/320 ') && a.sizes.includes('44rem')),
          JSON.stringify(article.slice(0, 2)));
    await page.goto(`${eventUrl}#photos`);
    await shot(page, `${label.replace(/[ ×]/g, '')}-event`);

    // The photo page.
    await page.goto(photoUrl);
    const html = await page.content();
    check(`${label}: the photo page never shows the server's absolute path`, !html.includes(work), work);
    const files = (await page.locator('.files .path').allTextContents()).map(nfc);
    check(`${label}: the file is shown below the ingested root`,
          files.length === 1 && files[0] === nfc(`samples/${SEED}/${SETTINGS}`), files.join(' | '));
    const rows = await page.locator('table.meta tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]));
    const meta = new Map(rows.map(([k, v]) => [nfc(k), nfc(v)]));
    const english = rows.filter(([k]) => / · |Format|Pixels|Taken|Camera|Exposure|Orientation|Credit|Lens/.test(k));
    check(`${label}: metadata labels are Vietnamese only`, rows.length >= 8 && english.length === 0,
          JSON.stringify(english));
    const want3 = {
      'Đèn flash': 'Có đánh đèn (chế độ tự động)', 'Chế độ chụp': 'Ưu tiên khẩu độ (A/Av)',
      'Đo sáng': 'Ma trận (đa vùng)', 'Cân bằng trắng': 'Tự động', 'Bù phơi sáng': '−0.7 EV',
      'Hướng ảnh': 'Xoay 90° theo chiều kim đồng hồ', 'Định dạng': 'JPEG',
    };
    const wrong = Object.entries(want3).filter(([k, v]) => meta.get(nfc(k)) !== nfc(v));
    check(`${label}: EXIF codes are shown in words`, wrong.length === 0,
          wrong.map(([k, v]) => `${k}: "${meta.get(nfc(k))}" want "${v}"`).join('; '));
    await page.waitForFunction(() => document.querySelector('.photo-preview img').complete);
    const main = await page.locator('.photo-preview img').evaluate((el) => ({
      src: el.currentSrc, srcset: el.getAttribute('srcset') ?? '', sizes: el.getAttribute('sizes') ?? '',
      cssw: el.getBoundingClientRect().width }));
    check(`${label}: the photo page's image has srcset and sizes`,
          /\/640 \d+w/.test(main.srcset) && main.sizes.includes('100vw'), JSON.stringify(main));
    // Sharp: the candidate Chromium took is at least as wide as the image's CSS width × density (or the
    // largest there is), and never more than one size above what that needs.
    const widths = main.srcset.split(', ').map((c) => [c.split(' ')[0], Number(c.split(' ')[1].replace('w', ''))]);
    const chosen = widths.find(([u]) => u === new URL(main.src).pathname);
    const need = main.cssw * options.deviceScaleFactor;
    const enough = widths.filter(([, w]) => w >= need);
    const ideal = enough.length ? enough[0] : widths[widths.length - 1];
    check(`${label}: the photo page's image is sharp and no larger than needed`, !!chosen && chosen[0] === ideal[0],
          `took ${main.src}, needs ${Math.round(need)} px of ${JSON.stringify(widths)}`);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    check(`${label}: the photo page fits the width`, over <= 1, `${over}px`);
    await shot(page, `${label.replace(/[ ×]/g, '')}-photo`);
    check(`${label}: no JavaScript errors`, errors.length === 0, errors.join('\n     '));
  }
} catch (e) {
  check('the browser test ran to the end', false, e.stack || String(e));
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  await stopServer(server);
  fs.rmSync(work, { recursive: true, force: true });
}
finish();

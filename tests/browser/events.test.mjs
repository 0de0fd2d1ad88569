// Browser test of issue 15's gallery points: events of any size, fast pages, details. Real Chromium
// (Debian's /usr/bin/chromium) through playwright-core, at desktop (1366×900) and phone (390×844) width.
//
//   node events.test.mjs KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR
//
// Archives: the samples (real photos and articles) plus a folder "2021-01-05 Lũ ở Quảng Bình" of 450 small
// distinct JPEGs named IMG_1.jpg … IMG_450.jpg with no article (so the event is dated by its folder's name);
// and an empty archive. Checks: the jump link and the grid's pages and natural name order; the home page's
// timeline and year filter; `/?page=99`; gzip as Chromium asks for it; names never in a monospace face;
// Vietnamese error pages and JSON errors; the empty archive's folder-layout example; WCAG AA contrast of every
// visible text element on every page. Screenshots go to ARTIFACTS_DIR/events-*.png.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { check, finish, freePort, launchChromium, nfc, testArgs, waitForServer } from './harness.mjs';

const { kho, samplesDir, artifactsDir } = testArgs('events.test.mjs');
const here = path.dirname(fileURLToPath(import.meta.url));
const BIG = 450;
const BIG_FOLDER = '2021-01-05 Lũ ở Quảng Bình';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-browser-events-'));
const servers = [];
let browser = null;

async function serve(archive) {
  const port = await freePort();
  const child = spawn(kho, ['--archive', archive, 'serve', '--port', String(port)],
                      { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', () => {});
  servers.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitForServer(`${base}/api/events`, child);
  return base;
}

// WCAG 2.x contrast of every element that has its own visible text: color against the first opaque
// background up the tree (assumed white at the root), 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
function contrastFailures() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(',').map((x) => parseFloat(x));
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (fg, bg) => ({ r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
                               b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1 });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let out = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) out = blend(layers[i], out);
    return out;
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const st = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (st.visibility === 'hidden' || st.display === 'none' || box.width === 0 || el.closest('[hidden]')) continue;
    const bg = background(el);
    const fg = blend(parse(st.color), bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ` +
                               `${st.color} on rgb(${bg.r | 0},${bg.g | 0},${bg.b | 0}) = ${ratio.toFixed(2)}`);
  }
  return bad;
}

// Elements that show names, paths or commands: none may use a monospace face (DejaVu Sans Mono lacks
// precomposed Vietnamese letters).
function monospaceNames() {
  return Array.from(document.querySelectorAll('code, pre, kbd, samp, .path, .cmd, .tile-caption, .tree'))
    .filter((el) => /mono/i.test(getComputedStyle(el).fontFamily))
    .map((el) => `${el.tagName.toLowerCase()}: ${getComputedStyle(el).fontFamily}`);
}

try {
  // The big folder: the fixture JPEG with a different trailer after its end marker each time, so every
  // file is a distinct photo (decoders stop at the end marker).
  const tiny = fs.readFileSync(path.join(here, '..', 'webui', 'data', 'tiny.jpg'));
  const tree = path.join(work, 'tree');
  const bigDir = path.join(tree, BIG_FOLDER);
  fs.mkdirSync(bigDir, { recursive: true });
  for (let i = 1; i <= BIG; i++)
    fs.writeFileSync(path.join(bigDir, `IMG_${i}.jpg`), Buffer.concat([tiny, Buffer.from(`photo ${i}`)]));
  const archive = path.join(work, 'archive');
  for (const src of [samplesDir, tree]) {
    const r = spawnSync(kho, ['--archive', archive, 'ingest', src], { encoding: 'utf8' });
    check(`kho ingest ${path.basename(src)} succeeds`, r.status === 0 || r.status === 1, r.stderr);
  }
  const emptyArchive = path.join(work, 'empty');
  fs.mkdirSync(path.join(work, 'nothing'));
  spawnSync(kho, ['--archive', emptyArchive, 'ingest', path.join(work, 'nothing')], { encoding: 'utf8' });

  const base = await serve(archive);
  const emptyBase = await serve(emptyArchive);

  const events = await (await fetch(`${base}/api/events?page=1`)).json();
  const big = events.events.find((e) => e.photo_count === BIG);
  check('the 450-photo folder is one event dated by its folder name', big && big.date === '2021-01-05',
        JSON.stringify(big && { date: big.date, title: big.title }));
  const bigUrl = `${base}/event/${big.id}`;

  browser = await launchChromium(path.join(work, 'chromium-profile'), {
    viewport: { width: 1366, height: 900 },
  });
  const pageErrors = [];
  const contrast = new Map();
  const mono = new Map();
  const shot = (page, name) => page.screenshot({ path: path.join(artifactsDir, `events-${name}.png`) });
  const audit = async (page, name) => {
    contrast.set(name, await page.evaluate(contrastFailures));
    mono.set(name, await page.evaluate(monospaceNames));
  };

  for (const [label, viewport] of [['desktop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    page.on('pageerror', (e) => pageErrors.push(String(e)));

    // Home: the timeline, then a year.
    let resp = await page.goto(`${base}/`);
    check(`${label}: the home page comes gzipped for Chromium`, resp.headers()['content-encoding'] === 'gzip',
          JSON.stringify(resp.headers()));
    const years = await page.locator('.timeline .years a').allTextContents();
    check(`${label}: the home page has a year timeline`, years.length >= 1 && years.includes('2021'),
          JSON.stringify(years));
    await shot(page, `${label}-01-home`);
    await audit(page, `${label} home`);
    await page.locator('.timeline .years a', { hasText: '2021' }).click();
    await page.waitForLoadState('load');
    const cardDates = await page.locator('.event-card time').allTextContents();
    check(`${label}: the 2021 filter keeps only 2021 events`,
          cardDates.length >= 1 && cardDates.every((d) => d.includes('2021')), JSON.stringify(cardDates));
    const months = await page.locator('.timeline .months a').count();
    check(`${label}: a year shows its months`, months >= 1);
    await shot(page, `${label}-02-home-2021`);
    resp = await page.goto(`${base}/?page=99`);
    check(`${label}: /?page=99 answers the last page`, resp.status() === 200 &&
          (await page.locator('.event-card').count()) >= 1);

    // The big event: jump link in the first screen, grid below.
    resp = await page.goto(bigUrl);
    check(`${label}: the event page comes gzipped`, resp.headers()['content-encoding'] === 'gzip');
    const jump = page.locator('a.jump-photos');
    const jumpBox = await jump.boundingBox();
    check(`${label}: "jump to photos" is in the first screen`, jumpBox && jumpBox.y + jumpBox.height <= viewport.height,
          JSON.stringify(jumpBox));
    await shot(page, `${label}-03-event-top`);
    await audit(page, `${label} event`);
    await jump.click();
    await page.waitForTimeout(200);
    const gridTop = await page.evaluate(() => document.getElementById('photos').getBoundingClientRect().top);
    check(`${label}: the jump link brings the photos into view`, Math.abs(gridTop) < 50, `top ${gridTop}`);
    const tiles = await page.locator('.grid .tile').count();
    check(`${label}: the grid shows 200 of 450 photos`, tiles === 200, `tiles ${tiles}`);
    const firstNames = (await page.locator('.grid .tile-caption').allTextContents()).slice(0, 11).map(nfc);
    check(`${label}: photos without capture time are in natural name order`,
          firstNames[0] === 'IMG_1.jpg' && firstNames[1] === 'IMG_2.jpg' && firstNames[9] === 'IMG_10.jpg',
          JSON.stringify(firstNames));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(`${label}: the event page fits the screen`, overflow <= 1, `overflow ${overflow}px`);
    await shot(page, `${label}-04-event-grid`);
    await page.locator('.grid-pager a', { hasText: /^3$/ }).click();
    await page.waitForLoadState('load');
    const last = await page.locator('.grid .tile').count();
    const lastName = nfc(await page.locator('.grid .tile-caption').last().textContent());
    check(`${label}: page 3 has the last 50 photos`, last === 50 && lastName === 'IMG_450.jpg', `${last} ${lastName}`);
    await page.locator('.grid-pager').scrollIntoViewIfNeeded();
    await shot(page, `${label}-05-event-page3`);
    await page.locator('.sort-switch a', { hasText: 'Thứ tự trong bài' }).click();
    await page.waitForLoadState('load');
    check(`${label}: the sort switch changes the order in the URL`, page.url().includes('sort=article'), page.url());

    // The seed event: its article first, names in the text face.
    const seedEvent = events.events.find((e) => e.article_ids && e.article_ids.length > 0);
    if (seedEvent) {
      await page.goto(`${base}/event/${seedEvent.id}`);
      await audit(page, `${label} article event`);
      const firstPhoto = await page.locator('.story-photo a.lb').first().getAttribute('href');
      if (firstPhoto) {
        await page.goto(`${base}${firstPhoto}`);
        await audit(page, `${label} photo`);
        await shot(page, `${label}-06-photo`);
      }
    }
    await page.goto(`${base}/dups`);
    await audit(page, `${label} dups`);
    await page.goto(`${base}/search?q=thanh+hoa`);
    await audit(page, `${label} search`);

    // Errors in Vietnamese.
    resp = await page.goto(`${base}/event/00000000000000aa`);
    const errText = nfc(await page.locator('.page-head').textContent());
    check(`${label}: an unknown event is a 404 page in Vietnamese`, resp.status() === 404 &&
          errText.includes('Không tìm thấy') && !/key not found/i.test(errText), errText);
    await audit(page, `${label} error`);
    await shot(page, `${label}-07-error`);

    // The empty archive explains the layout it expects.
    await page.goto(`${emptyBase}/`);
    const tree = nfc(await page.locator('.empty-archive .tree').textContent().catch(() => ''));
    check(`${label}: an empty archive shows the folder layout with an example`,
          tree.includes('2021-01-05') && tree.includes('.txt') && tree.includes('.JPG'), tree);
    await audit(page, `${label} empty`);
    await shot(page, `${label}-08-empty`);
    await page.close();
  }

  const jsonErr = await fetch(`${base}/api/event/00000000000000aa`);
  const body = await jsonErr.json();
  check('a JSON error keeps "error" and adds a Vietnamese "message"', jsonErr.status === 404 &&
        body.error === 'NotFound' && /Không tìm thấy/.test(body.message), JSON.stringify(body));
  for (const [name, bad] of contrast)
    check(`contrast passes WCAG AA: ${name}`, bad.length === 0, bad.slice(0, 8).join('\n     '));
  for (const [name, bad] of mono)
    check(`no names in a monospace face: ${name}`, bad.length === 0, bad.slice(0, 5).join('\n     '));
  check('no JavaScript errors', pageErrors.length === 0, pageErrors.join('\n     '));
} catch (e) {
  check('the browser test ran to the end', false, e.stack || String(e));
} finally {
  if (browser) await browser.close().catch(() => {});
  for (const s of servers) if (s.exitCode === null) s.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 300));
  fs.rmSync(work, { recursive: true, force: true });
}
finish();

// Browser test of the downloads with captions (issue 13): real Chromium (Debian's /usr/bin/chromium)
// driven by playwright-core.
//
//   node export.test.mjs KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR
//
// Ingests the samples, starts `kho serve`, opens the seed's event, downloads one photo with
// "Tải ảnh kèm chú thích" and the whole event with "Tải cả sự kiện", and checks what is inside: the photo
// carries its caption and the article title (read back with `kho meta`), the ZIP holds every photo of the
// event (each with its caption written in) plus a captions.csv that lists them, and python3's zipfile finds
// no CRC error. Prints "N passed, N failed" and exits non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, finish, launchChromium, nfc, startServer, stopServer, testArgs } from './harness.mjs';

const { kho, samplesDir, artifactsDir } = testArgs('export.test.mjs');

function khoMeta(file) {
  const r = spawnSync(kho, ['meta', file, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kho meta ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// The entries of a ZIP, read from its central directory (an independent reader of what the server wrote).
function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0 && i >= buf.length - 65557; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${k}`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const lNameLen = buf.readUInt16LE(local + 26);
    const lExtraLen = buf.readUInt16LE(local + 28);
    const start = local + 30 + lNameLen + lExtraLen;
    entries.push({ name, method, data: buf.subarray(start, start + size) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

// captions.csv (RFC 4180, UTF-8 with a BOM) → rows of fields.
function parseCsv(text) {
  text = text.replace(/^\uFEFF/, '');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-browser-export-'));
const archive = path.join(work, 'archive');
let server = null;
let browser = null;
try {
  const ingest = spawnSync(kho, ['--archive', archive, 'ingest', samplesDir, '--json'], { encoding: 'utf8' });
  check('kho ingest of the samples succeeds', ingest.status === 0 || ingest.status === 1, ingest.stderr);
  const events = JSON.parse(spawnSync(kho, ['--archive', archive, 'events', '--json'], { encoding: 'utf8' }).stdout).events;
  const seed = events.find((e) => nfc(e.title).startsWith('ĐOÀN CÔNG TÁC TỈNH SƠN LA'));
  check('the seed event is in the archive', !!seed);

  let base;
  ({ server, base } = await startServer(kho, archive));

  browser = await launchChromium(path.join(work, 'chromium-profile'), {
    acceptDownloads: true, viewport: { width: 1280, height: 900 },
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  // One photo: open it from the event's grid, download it with its caption.
  await page.goto(`${base}/event/${seed.id}`);
  const firstTile = page.locator('.grid a.lb').first();
  const tileHref = await firstTile.getAttribute('href');
  await page.goto(`${base}${tileHref}`);
  await page.waitForLoadState('load');
  const shownCaption = nfc(await page.locator('.photo-preview figcaption').textContent());
  const link = page.locator('a.download-captioned');
  check('the photo page offers "download with caption"', (await link.count()) === 1);
  await page.screenshot({ path: path.join(artifactsDir, 'export-01-photo.png'), fullPage: true });
  const [photoDownload] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const photoFile = path.join(work, 'photo-' + photoDownload.suggestedFilename());
  await photoDownload.saveAs(photoFile);
  check('the download is named after the original', /\.jpg$/i.test(photoDownload.suggestedFilename()),
        photoDownload.suggestedFilename());
  const meta = khoMeta(photoFile);
  check('the downloaded photo carries its caption', nfc(meta.description) === shownCaption && shownCaption.length > 0,
        `meta "${meta.description}", page "${shownCaption}"`);
  check('… and the article title as headline and event', nfc(meta.headline) === nfc(seed.title) && nfc(meta.event) === nfc(seed.title),
        `${meta.headline} / ${meta.event}`);
  check('… and the creator', nfc(meta.creator) === 'Thu Hiền', meta.creator);

  // The whole event as a ZIP.
  await page.goto(`${base}/event/${seed.id}`);
  const zipLink = page.locator('a.download-event');
  check('the event page offers "download the event"', (await zipLink.count()) === 1);
  await zipLink.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifactsDir, 'export-02-event.png') });
  const gridCaptions = new Map();
  for (const a of await page.locator('.grid a.lb').all()) {
    gridCaptions.set(await a.getAttribute('data-digest'), nfc(await a.getAttribute('data-caption')));
  }
  const [zipDownload] = await Promise.all([page.waitForEvent('download'), zipLink.click()]);
  const zipFile = path.join(work, 'event.zip');
  await zipDownload.saveAs(zipFile);
  check('the ZIP is named after the event', zipDownload.suggestedFilename().endsWith('.zip'), zipDownload.suggestedFilename());
  const entries = readZip(fs.readFileSync(zipFile));
  const photos = entries.filter((e) => /\.jpe?g$/i.test(e.name));
  check('the ZIP holds the event\'s 8 photos and captions.csv',
        photos.length === 8 && entries.some((e) => e.name === 'captions.csv'), entries.map((e) => e.name).join(', '));
  check('entries are stored (no compression)', entries.every((e) => e.method === 0));
  const py = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip() or "ok")', zipFile],
                       { encoding: 'utf8' });
  check('python3 zipfile reads the ZIP without a CRC error', py.status === 0 && py.stdout.trim() === 'ok', py.stdout + py.stderr);
  const csv = parseCsv(entries.find((e) => e.name === 'captions.csv').data.toString('utf8'));
  check('captions.csv has a header and one row per photo',
        JSON.stringify(csv[0]) === JSON.stringify(['file', 'caption', 'credit', 'article']) && csv.length === 9,
        JSON.stringify(csv.slice(0, 2)));
  const wanted = new Set(gridCaptions.values());
  let ok = 0;
  const problems = [];
  for (const row of csv.slice(1)) {
    const entry = photos.find((e) => e.name === row[0]);
    if (!entry) { problems.push(`no entry ${row[0]}`); continue; }
    const file = path.join(work, 'zip-' + photos.indexOf(entry) + '.jpg');
    fs.writeFileSync(file, entry.data);
    const m = khoMeta(file);
    if (nfc(m.description) === nfc(row[1]) && wanted.has(nfc(row[1])) && nfc(row[3]) === nfc(seed.title) &&
        nfc(m.headline) === nfc(seed.title) && nfc(row[2]) === 'Thu Hiền') ok++;
    else problems.push(`${row[0]}: meta "${m.description}", csv "${row[1]}"`);
  }
  check('every photo in the ZIP carries the caption captions.csv gives it (the event page\'s caption)', ok === 8,
        problems.join('\n     '));
  check('no JavaScript errors', pageErrors.length === 0, pageErrors.join('\n     '));
} catch (e) {
  check('the browser test ran to the end', false, e.stack || String(e));
} finally {
  if (browser) await browser.close().catch(() => {});
  await stopServer(server);
  fs.rmSync(work, { recursive: true, force: true });
}
finish();

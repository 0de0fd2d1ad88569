// Browser test of the viewer, the photo page and duplicate review (issue 15): real Chromium (Debian's
// /usr/bin/chromium) driven by playwright-core, at desktop width (1366×900, keyboard and mouse) and at phone
// width (390×844, a touch screen).
//
//   node viewer.test.mjs KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR
//
// Copies the samples to a temporary folder, writes photo credits ("Ảnh: …") into the opening ceremony's
// article there, ingests the copy with `kho ingest`, starts `kho serve` on a free port, and checks: the
// lightbox traps focus, shows grid focus, has an address per photo (Back closes it, the address opens it),
// an info panel (caption, credit, date, camera, file name), downloads, zoom to 100% with panning, swipes;
// the photo page's previous/next (links and ←/→); credits under captions in the grid, the article, the
// viewer and the photo page; group captions shown as the group's; "copy caption and credit"; the duplicate
// review (copies side by side at their own aspect ratio, differences, the reason in words, no bare
// distance). Screenshots go to ARTIFACTS_DIR (viewer-*.png). Prints "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, finish, launchChromium, nfc, startServer, stopServer, testArgs } from './harness.mjs';

const { kho, samplesDir, artifactsDir } = testArgs('viewer.test.mjs');
const shot = (page, name, opts = {}) =>
  page.screenshot({ path: path.join(artifactsDir, `viewer-${name}.png`), ...opts });

// The credits written into the copy of the opening ceremony's article, under two captions.
const CREDITS = [
  ['Tiết mục văn nghệ chào mừng Lễ khai mạc.', 'Hoàng Long'],
  ['Màn biểu diễn phun lửa của nhóm nghệ sĩ đường phố.', 'Minh Anh'],
];

function copySamples(dest) {
  fs.cpSync(samplesDir, dest, { recursive: true });
  const article = path.join(dest, '2020-12-01 Lễ khai mạc', 'bai-viet.txt');
  let text = fs.readFileSync(article, 'utf8');
  for (const [caption, credit] of CREDITS) {
    if (!text.includes(caption)) throw new Error(`caption not in ${article}: ${caption}`);
    text = text.replace(caption, `${caption}\nẢnh: ${credit}`);
  }
  fs.writeFileSync(article, text);
}

// Chromium's own touch events (CDP), which it turns into pointer events as a finger would.
async function swipe(cdp, x0, y0, dx, dy = 0) {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: x0, y: y0 }] });
  for (let i = 1; i <= 8; i++) {
    await cdp.send('Input.dispatchTouchEvent',
                   { type: 'touchMove', touchPoints: [{ x: x0 + (dx * i) / 8, y: y0 + (dy * i) / 8 }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

async function launch(work, name, options) {
  return launchChromium(path.join(work, name), options);
}

function watchErrors(page, errors, label) {
  page.on('pageerror', (e) => errors.push(`${label}: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${label}: ${m.text()}`); });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-viewer-'));
const archive = path.join(work, 'archive');
let server = null;
const contexts = [];
try {
  const samples = path.join(work, 'samples');
  copySamples(samples);
  const ingest = spawnSync(kho, ['--archive', archive, 'ingest', samples, '--json'], { encoding: 'utf8' });
  check('kho ingest of the samples (with credits) succeeds', ingest.status === 0 || ingest.status === 1, ingest.stderr);

  let base;
  ({ server, base } = await startServer(kho, archive));

  const events = (await (await fetch(`${base}/api/events`)).json()).events;
  const ceremony = events.find((e) => nfc(e.title).toLowerCase().includes('khai mạc'));
  const seed = events.find((e) => nfc(e.folder ?? '').includes('Sơn La') || nfc(e.title).includes('Sơn La'));
  check('the samples hold the ceremony and the seed events', !!ceremony && !!seed,
        JSON.stringify(events.map((e) => e.title)));
  const ceremonyDoc = await (await fetch(`${base}/api/event/${ceremony.id}`)).json();
  const seedDoc = await (await fetch(`${base}/api/event/${seed.id}`)).json();

  const errors = [];
  // ---------------------------------------------------------------- desktop: keyboard and mouse
  const desk = await launch(work, 'profile-desktop', { viewport: { width: 1366, height: 900 } });
  contexts.push(desk);
  await desk.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await desk.newPage();
  watchErrors(page, errors, 'desktop');
  const eventUrl = `${base}/event/${ceremony.id}`;
  await page.goto(eventUrl);

  // Credit under the caption: in the article and in the grid.
  const storyCredits = (await page.locator('.story-photo figcaption .credit').allTextContents()).map(nfc);
  check('the article shows each credit under its caption',
        CREDITS.every(([, c]) => storyCredits.includes(`Ảnh: ${c}`)), JSON.stringify(storyCredits));
  const tileCredits = (await page.locator('.grid .tile-credit').allTextContents()).map(nfc);
  check('the grid shows each credit under its caption',
        CREDITS.every(([, c]) => tileCredits.includes(`Ảnh: ${c}`)), JSON.stringify(tileCredits));

  // Grid focus is clearly visible: Tab from the download button reaches a tile, which gets a 3 px outline.
  await page.locator('.download-event').focus();
  let onTile = false;
  for (let i = 0; i < 6 && !onTile; i++) {
    await page.keyboard.press('Tab');
    onTile = await page.evaluate(() => !!document.activeElement.closest('.grid .tile'));
  }
  const ring = await page.evaluate(() => {
    const li = document.activeElement.closest('.tile');
    const s = li && getComputedStyle(li);
    return s ? { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor } : null;
  });
  check('Tab reaches the grid and the focused photo has a visible ring',
        onTile && ring && ring.style !== 'none' && ring.width >= 2, JSON.stringify(ring));
  await page.locator('.all-photos').scrollIntoViewIfNeeded();
  await shot(page, '01-grid-focus');

  // Enter opens the viewer on that photo, with its own address and the focus inside.
  const focusedDigest = await page.evaluate(() => document.activeElement.dataset.digest);
  await page.keyboard.press('Enter');
  const box = page.locator('#lightbox');
  await box.waitFor({ state: 'visible', timeout: 5000 });
  check('Enter on a grid photo opens the viewer on it', (await box.getAttribute('data-digest')) === focusedDigest);
  check('the open photo has its own address (#photo=DIGEST)',
        (await page.evaluate(() => location.hash)) === `#photo=${focusedDigest}`);
  check('the focus moves into the viewer', await page.evaluate(() => !!document.activeElement.closest('#lightbox')));

  // Focus trap: Tab and Shift+Tab never leave the dialog.
  let escaped = 0;
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press('Tab');
    if (!(await page.evaluate(() => !!document.activeElement.closest('#lightbox')))) escaped++;
  }
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press('Shift+Tab');
    if (!(await page.evaluate(() => !!document.activeElement.closest('#lightbox')))) escaped++;
  }
  check('Tab and Shift+Tab stay inside the viewer (28 presses)', escaped === 0, `${escaped} left it`);

  // The info panel of the fire show photo: caption, credit, date, camera, file name, downloads.
  const fire = ceremonyDoc.photos.find((p) => nfc(p.caption ?? '').startsWith('Màn biểu diễn phun lửa'));
  const fireIndex = ceremonyDoc.photos.indexOf(fire);
  await page.keyboard.press('Escape');
  await page.goto('about:blank');  // a real load of the photo's address, not a fragment change
  await page.goto(`${eventUrl}#photo=${fire.digest}`);
  await box.waitFor({ state: 'visible', timeout: 5000 });
  check('the photo\'s address opens the viewer on it (on load)',
        (await box.getAttribute('data-index')) === String(fireIndex), await box.getAttribute('data-index'));
  await page.waitForFunction(() => document.querySelector('#lightbox .lb-stage img').naturalWidth > 0, null,
                             { timeout: 5000 }).catch(() => {});
  const info = {
    caption: nfc(await box.locator('.lb-caption').textContent()),
    credit: nfc(await box.locator('.lb-credit').textContent()),
    taken: nfc(await box.locator('.lb-taken').textContent()),
    camera: nfc(await box.locator('.lb-camera').textContent()),
    name: nfc(await box.locator('.lb-name').textContent()),
    original: await box.locator('.lb-download').getAttribute('href'),
    captioned: await box.locator('.lb-download-captioned').getAttribute('href'),
  };
  check('the info panel shows caption, credit, date, camera and file name',
        info.caption === nfc(fire.caption) && info.credit === 'Ảnh: Minh Anh' &&
        info.taken === nfc(fire.taken_display) &&
        /\d\d\/\d\d\/\d{4}/.test(info.taken) && info.camera.length > 1 && info.camera === nfc(fire.camera) &&
        info.name === nfc(fire.name), JSON.stringify(info));
  const dl = await page.request.get(`${base}${info.original}`);
  const dlc = await page.request.get(`${base}${info.captioned}`);
  check('the viewer\'s download links give the original and the copy with its caption',
        info.original === `/original/${fire.digest}` && dl.status() === 200 &&
        info.captioned === `/photo/${fire.digest}/download` && dlc.status() === 200 &&
        (dlc.headers()['content-disposition'] ?? '').startsWith('attachment'),
        `${info.original} ${dl.status()} ${info.captioned} ${dlc.status()}`);
  await shot(page, '02-viewer-info');

  // Copy caption and credit.
  await box.locator('.copy-caption').click();
  await page.waitForFunction(() => document.querySelector('#lightbox .copy-status').textContent.length > 0, null,
                             { timeout: 3000 }).catch(() => {});
  const clip = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `error ${e}`);
  check('"copy caption and credit" puts both on the clipboard',
        nfc(clip) === nfc(`${fire.caption}\nẢnh: Minh Anh`) &&
        nfc(await box.locator('.copy-status').textContent()).startsWith('Đã chép'), JSON.stringify(clip));

  // → moves, replacing the address (no new history entry); Back closes; Esc closes and drops the address.
  const h0 = await page.evaluate(() => history.length);
  await page.keyboard.press('ArrowRight');
  const next = ceremonyDoc.photos[(fireIndex + 1) % ceremonyDoc.photos.length];
  check('→ shows the next photo and its address, without a history entry',
        (await page.evaluate(() => location.hash)) === `#photo=${next.digest}` &&
        (await page.evaluate(() => history.length)) === h0);
  await page.keyboard.press('Escape');
  check('Esc closes the viewer and drops the photo\'s address',
        (await box.isHidden()) && (await page.evaluate(() => location.hash)) === '');

  // A photo of the article opens the same viewer, on that photo.
  const storyLink = page.locator('.story-photo a.lb').first();
  const storyDigest = await storyLink.getAttribute('data-digest');
  await storyLink.scrollIntoViewIfNeeded();
  await storyLink.click();
  await box.waitFor({ state: 'visible', timeout: 5000 });
  check('a photo in the article opens the viewer on it', (await box.getAttribute('data-digest')) === storyDigest);
  await page.keyboard.press('Escape');

  // Opened by a click: Back closes it and stays on the event page.
  const tile = page.locator('.grid a.lb').nth(1);
  await tile.scrollIntoViewIfNeeded();
  await tile.click();
  await box.waitFor({ state: 'visible', timeout: 5000 });
  await page.keyboard.press('ArrowRight');
  await page.goBack();
  await box.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  check('Back closes the viewer (after moving in it) and stays on the event page',
        (await box.isHidden()) && page.url() === eventUrl, page.url());

  // Zoom to 100%: the original's own pixels, then a drag pans. The seed's widest photo (1600 px) is wider
  // than the stage beside the info panel.
  const zoomPhoto = seedDoc.photos.reduce((a, b) => (b.width > a.width ? b : a));
  await page.goto(`${base}/event/${seed.id}`);
  const zoomTile = page.locator(`.grid a.lb[data-digest="${zoomPhoto.digest}"]`);
  await zoomTile.scrollIntoViewIfNeeded();
  await zoomTile.click();
  await box.waitFor({ state: 'visible', timeout: 5000 });
  await box.locator('.lb-zoom').click();
  await page.waitForFunction(() => {
    const i = document.querySelector('#lightbox .lb-stage img');
    return i.complete && i.naturalWidth > 0 && i.src.includes('/original/');
  }, null, { timeout: 8000 }).catch(() => {});
  const zoom = await page.evaluate(() => {
    const s = document.querySelector('#lightbox .lb-stage'), i = s.querySelector('img');
    return { natural: i.naturalWidth, shown: i.getBoundingClientRect().width, sw: s.scrollWidth, cw: s.clientWidth,
             left: s.scrollLeft, zoomed: document.querySelector('#lightbox').classList.contains('zoomed') };
  });
  check('zoom shows the original at 100%',
        zoom.zoomed && zoom.natural === zoomPhoto.width && Math.abs(zoom.shown - zoom.natural) <= 1,
        JSON.stringify(zoom));
  const stageBox = await box.locator('.lb-stage').boundingBox();
  const cx = stageBox.x + stageBox.width / 2, cy = stageBox.y + stageBox.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx - 150, cy - 60, { steps: 6 });
  await page.mouse.up();
  const panned = await page.evaluate(() => document.querySelector('#lightbox .lb-stage').scrollLeft);
  check('dragging pans the zoomed photo', zoom.sw > zoom.cw && panned > zoom.left + 100,
        `scroll ${zoom.left} → ${panned}, ${zoom.sw} > ${zoom.cw}`);
  await shot(page, '03-viewer-zoomed');
  await page.keyboard.press('Escape');
  check('Esc leaves 100% first, then closes',
        !(await box.evaluate((b) => b.classList.contains('zoomed'))) && (await box.isVisible()));
  await page.keyboard.press('Escape');

  // The seed event: group captions are the group's, shown once over its photos, never as a photo's own.
  await page.goto(`${base}/event/${seed.id}`);
  const groupOnly = seedDoc.photos.filter((p) => !p.own_caption && p.group_caption);
  const groupText = groupOnly.length ? nfc(groupOnly[0].group_caption) : '';
  const ownCaptions = (await page.locator('.story-photo figcaption').allTextContents()).map(nfc);
  check('the seed has photos captioned only by their group', groupOnly.length > 0,
        JSON.stringify(seedDoc.photos.length));
  check('the group caption shows once, over its photos, not as a photo\'s caption',
        (await page.locator('.story-body .group-caption', { hasText: groupText }).count()) === 1 &&
        !ownCaptions.some((c) => c.includes(groupText)), JSON.stringify(ownCaptions));
  check('grid tiles of those photos mark the text as the group\'s',
        (await page.locator('.grid .tile-caption .group-note').count()) === groupOnly.length);
  const gTile = page.locator(`.grid a.lb[data-digest="${groupOnly[0].digest}"]`);
  await gTile.scrollIntoViewIfNeeded();
  await gTile.click();
  await box.waitFor({ state: 'visible', timeout: 5000 });
  check('the viewer labels a group caption as the group\'s',
        (await box.locator('.lb-group-label').isVisible()) &&
        nfc(await box.locator('.lb-caption').textContent()) === groupText);
  await shot(page, '04-viewer-group-caption');
  await page.keyboard.press('Escape');
  await page.goto(`${base}/photo/${groupOnly[0].digest}`);
  const pageGroup = await page.evaluate(() => {
    const f = document.querySelector('.photo-preview figcaption');
    return f && { group: f.classList.contains('group'), text: f.textContent,
                  label: getComputedStyle(f, '::before').content };
  });
  check('the photo page labels a group caption as the group\'s',
        pageGroup && pageGroup.group && nfc(pageGroup.text) === groupText && pageGroup.label.includes('nhóm ảnh'),
        JSON.stringify(pageGroup));

  // Photo page: previous and next within the event, as links and with ←/→.
  const order = ceremonyDoc.photos.map((p) => p.digest);
  await page.goto(`${base}/photo/${order[1]}`);
  const prevHref = await page.locator('.photo-nav a[rel=prev]').getAttribute('href');
  const nextHref = await page.locator('.photo-nav a[rel=next]').getAttribute('href');
  check('the photo page links the previous and next photo of its event',
        prevHref === `/photo/${order[0]}` && nextHref === `/photo/${order[2]}`, `${prevHref} ${nextHref}`);
  await shot(page, '05-photo-page', { fullPage: true });
  await Promise.all([page.waitForURL(`${base}/photo/${order[2]}`), page.keyboard.press('ArrowRight')]);
  await Promise.all([page.waitForURL(`${base}/photo/${order[1]}`), page.keyboard.press('ArrowLeft')]);
  check('→ and ← on the photo page go to the next and previous photo', page.url() === `${base}/photo/${order[1]}`);
  const firstPage = await (await fetch(`${base}/api/photo/${order[0]}`)).json();
  check('the first photo has no previous one',
        firstPage.prev_url === null && firstPage.next_url === `/photo/${order[1]}`);

  // Photo page: the credit under the caption, and "copy caption and credit".
  await page.goto(`${base}/photo/${fire.digest}`);
  const pageCredit = nfc(await page.locator('.photo-main .credit').textContent());
  await page.locator('.photo-main .copy-caption').click();
  await page.waitForFunction(() => document.querySelector('.photo-main .copy-status').textContent.length > 0, null,
                             { timeout: 3000 }).catch(() => {});
  const clip2 = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `error ${e}`);
  check('the photo page shows the credit under the caption and copies both',
        pageCredit === 'Ảnh: Minh Anh' && nfc(clip2) === nfc(`${fire.caption}\nẢnh: Minh Anh`),
        `${pageCredit} ${clip2}`);

  // Without the Clipboard API (an older browser, a page not in a secure context): the fallback copies too.
  await page.reload();
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  const reader = await desk.newPage();
  await reader.goto(`${base}/`);
  await reader.evaluate(() => navigator.clipboard.writeText('—'));
  await page.bringToFront();
  await page.locator('.photo-main .copy-caption').click();
  const status3 = nfc(await page.locator('.photo-main .copy-status').textContent());
  const clip3 = await reader.evaluate(() => navigator.clipboard.readText()).catch((e) => `error ${e}`);
  await reader.close();
  check('without the Clipboard API the fallback (execCommand) copies caption and credit',
        status3.startsWith('Đã chép') && nfc(clip3) === nfc(`${fire.caption}\nẢnh: Minh Anh`), `${status3} ${clip3}`);

  // Duplicate review.
  await page.goto(`${base}/dups`);
  const copies = page.locator('.cluster .copy');
  await page.waitForFunction(() => [...document.querySelectorAll('.cluster .copy img')]
    .every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 8000 }).catch(() => {});
  const geo = await copies.evaluateAll((els) => els.map((li) => {
    const img = li.querySelector('img');
    const r = img.getBoundingClientRect();
    return { top: li.getBoundingClientRect().top, w: r.width, h: r.height, nw: img.naturalWidth, nh: img.naturalHeight,
             best: li.classList.contains('best') };
  }));
  check('the duplicate copies sit side by side, large', geo.length === 2 && geo[0].top === geo[1].top &&
        geo.every((g) => g.w >= 400 || g.h >= 350), JSON.stringify(geo));
  check('each copy keeps its own aspect ratio',
        geo.every((g) => g.nw > 0 && Math.abs(g.w / g.h - g.nw / g.nh) < 0.02), JSON.stringify(geo));
  const reason = nfc(await page.locator('.cluster .best-reason').textContent());
  check('the page says why the best copy is the best, in words',
        reason.includes('nhiều điểm ảnh nhất') && reason.includes('1600 × 1066'), reason);
  const likeness = nfc(await page.locator('.cluster .copy:not(.best) .likeness').textContent());
  check('the distance is said in words (how the copy differs), not as a number',
        likeness.startsWith('Gần giống') && likeness.includes('đổi cỡ') &&
        !(await page.locator('.cluster').textContent()).includes('Khoảng cách'), likeness);
  const diffs = (await page.locator('.cluster .copy:not(.best) dd.diff').allTextContents()).map(nfc);
  const rows = (await page.locator('.cluster .copy.best dt').allTextContents()).map(nfc);
  check('the differences are listed and marked (pixels, bytes, dates, camera, articles)',
        diffs.length >= 2 &&
        ['Điểm ảnh', 'Dung lượng', 'Ngày chụp', 'Máy ảnh', 'Dùng trong bài'].every((r) => rows.includes(r)),
        `${JSON.stringify(diffs)} ${JSON.stringify(rows)}`);
  check('each copy lists the articles that use it',
        (await page.locator('.cluster .copy dd.articles a').count()) >= 2);
  await shot(page, '06-dups', { fullPage: true });

  // The photo page of one copy shows the same review, itself marked.
  const dupsDoc = await (await fetch(`${base}/api/dups`)).json();
  const other = dupsDoc.clusters[0].photos.find((p) => !p.best);
  await page.goto(`${base}/photo/${other.digest}`);
  check('the photo page of a copy shows the copies side by side, itself marked',
        (await page.locator('#dup-review .copy').count()) === 2 &&
        (await page.locator('#dup-review .copy.current').count()) === 1 &&
        nfc(await page.locator('#dup-review .best-reason').textContent()) === reason);
  await page.locator('#dup-review').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll('#dup-review img')]
    .every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 8000 }).catch(() => {});
  await page.waitForTimeout(300);  // decoding="async": let the loaded images paint
  await shot(page, '07-photo-dups');

  // ---------------------------------------------------------------- phone: a touch screen
  const phoneCtx = await launch(work, 'profile-phone',
                                { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true,
                                  deviceScaleFactor: 2 });
  contexts.push(phoneCtx);
  const phone = await phoneCtx.newPage();
  watchErrors(phone, errors, 'phone');
  const cdp = await phoneCtx.newCDPSession(phone);
  await phone.goto(eventUrl);
  const ptile = phone.locator('.grid a.lb').first();
  await ptile.scrollIntoViewIfNeeded();
  await ptile.tap();
  const pbox = phone.locator('#lightbox');
  await pbox.waitFor({ state: 'visible', timeout: 5000 });
  await phone.waitForFunction(() => document.querySelector('#lightbox .lb-stage img').naturalWidth > 0, null,
                              { timeout: 5000 }).catch(() => {});
  const fit = await phone.evaluate(() => {
    const r = document.querySelector('#lightbox .lb-stage img').getBoundingClientRect();
    const c = document.querySelector('#lightbox .lb-caption').getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, captionTop: c.top,
             w: innerWidth, h: innerHeight };
  });
  check('phone: the photo fits the screen with the caption under it',
        fit.left >= 0 && fit.right <= fit.w + 1 && fit.bottom <= fit.captionTop + 1 && fit.captionTop < fit.h,
        JSON.stringify(fit));
  await phone.screenshot({ path: path.join(artifactsDir, 'viewer-08-phone-viewer.png') });
  const sbox = await pbox.locator('.lb-stage').boundingBox();
  const sy = sbox.y + sbox.height / 2;
  await swipe(cdp, sbox.x + sbox.width * 0.8, sy, -sbox.width * 0.6);
  await phone.waitForFunction(() => document.querySelector('#lightbox').dataset.index === '1', null,
                              { timeout: 3000 }).catch(() => {});
  check('phone: a swipe to the left shows the next photo',
        (await pbox.getAttribute('data-index')) === '1' &&
        (await phone.evaluate(() => location.hash)) === `#photo=${order[1]}`, await pbox.getAttribute('data-index'));
  await swipe(cdp, sbox.x + sbox.width * 0.2, sy, sbox.width * 0.6);
  await phone.waitForFunction(() => document.querySelector('#lightbox').dataset.index === '0', null,
                              { timeout: 3000 }).catch(() => {});
  check('phone: a swipe to the right goes back', (await pbox.getAttribute('data-index')) === '0');
  await swipe(cdp, sbox.x + sbox.width / 2, sbox.y + sbox.height * 0.3, 10, sbox.height * 0.3);
  check('phone: a vertical drag is not a swipe', (await pbox.getAttribute('data-index')) === '0');
  // A tap on the photo zooms to 100%; a finger drag pans.
  const pimg = await pbox.locator('.lb-stage img').boundingBox();
  await phone.touchscreen.tap(pimg.x + pimg.width / 2, pimg.y + pimg.height / 2);
  await phone.waitForFunction(() => {
    const i = document.querySelector('#lightbox .lb-stage img');
    const s = document.querySelector('#lightbox .lb-stage');
    return document.querySelector('#lightbox').classList.contains('zoomed') && i.complete && i.naturalWidth > 0 &&
           s.scrollWidth > s.clientWidth;
  }, null, { timeout: 8000 }).catch(() => {});
  const before = await phone.evaluate(() => document.querySelector('#lightbox .lb-stage').scrollLeft);
  await swipe(cdp, sbox.x + sbox.width * 0.7, sy, -sbox.width * 0.4);
  const after = await phone.evaluate(() => document.querySelector('#lightbox .lb-stage').scrollLeft);
  check('phone: a tap zooms to 100% and a drag then pans (not a swipe)',
        (await pbox.evaluate((b) => b.classList.contains('zoomed'))) && after > before + 50 &&
        (await pbox.getAttribute('data-index')) === '0', `scroll ${before} → ${after}`);
  await phone.screenshot({ path: path.join(artifactsDir, 'viewer-09-phone-zoomed.png') });
  await phone.touchscreen.tap(sbox.x + sbox.width / 2, sy);
  check('phone: another tap leaves 100%', !(await pbox.evaluate((b) => b.classList.contains('zoomed'))));
  await phone.goBack();
  await pbox.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  check('phone: Back closes the viewer', (await pbox.isHidden()) && phone.url() === eventUrl, phone.url());

  // Phone: the photo page and duplicate review fit the screen.
  await phone.goto(`${base}/photo/${other.digest}`);
  const over1 = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  await phone.screenshot({ path: path.join(artifactsDir, 'viewer-10-phone-photo.png'), fullPage: true });
  await phone.goto(`${base}/dups`);
  const over2 = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  const pgeo = await phone.locator('.cluster .copy img').evaluateAll((els) => els.map((i) => {
    const r = i.getBoundingClientRect();
    return { w: r.width, h: r.height, nw: i.naturalWidth, nh: i.naturalHeight };
  }));
  check('phone: the photo page and the duplicates fit the width, copies at their own aspect ratio',
        over1 <= 1 && over2 <= 1 && pgeo.length === 2 &&
        pgeo.every((g) => g.w >= 300 && Math.abs(g.w / g.h - g.nw / g.nh) < 0.02),
        `overflow ${over1}/${over2} ${JSON.stringify(pgeo)}`);
  await phone.screenshot({ path: path.join(artifactsDir, 'viewer-11-phone-dups.png'), fullPage: true });

  // No inline script and no on* attributes anywhere (the CSP forbids them; everything is in kho.js).
  let inline = [];
  for (const u of [eventUrl, `${base}/event/${seed.id}`, `${base}/photo/${order[1]}`, `${base}/dups`]) {
    const html = await (await fetch(u)).text();
    if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(html) || /<[^>]+\son[a-z]+\s*=/i.test(html)) inline.push(u);
  }
  check('pages carry no inline script or on* attributes', inline.length === 0, inline.join(' '));

  check('no JavaScript errors (CSP violations included)', errors.length === 0, errors.join('\n     '));
} catch (e) {
  check('the browser test ran to the end', false, e.stack || String(e));
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  await stopServer(server);
  fs.rmSync(work, { recursive: true, force: true });
}
finish();

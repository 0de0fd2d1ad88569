// Browser test of the newsroom team (issue 16): real Chromium (Debian's /usr/bin/chromium), playwright-core.
//
//   node team.test.mjs KHO_BINARY SAMPLES_DIR ARTIFACTS_DIR
//
// Ingests the samples, makes an editor with `kho user add`, starts `kho serve`, and walks the flows of the
// issue's acceptance list as an editor would: log in, fix a caption on the photo page, relink the unresolved
// reference "cắt băng khai mạc.jpg" from the workbench with one click on a near-miss, mark the duplicate pair
// "not duplicates", revert the caption fix, log out. Each result is read back with `kho show --json` /
// `kho dups --json` (not from the pages) and again after a new `kho ingest` of the same folder.
// Screenshots at desktop and phone width go to ARTIFACTS_DIR (team-*.png).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check, finish, freePort, launchChromium, nfc, stopServer, testArgs, waitForServer } from './harness.mjs';

const { kho, samplesDir, artifactsDir } = testArgs('team.test.mjs');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kho-team-'));
const archive = path.join(work, 'archive');
const PASSWORD = 'mật khẩu biên tập 2020';
const shot = (page, name) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

function khoJson(...args) {
  const r = spawnSync(kho, ['--archive', archive, ...args, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kho ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
function ingest() {
  const r = spawnSync(kho, ['--archive', archive, 'ingest', samplesDir], { encoding: 'utf8' });
  return r.status === 0 || r.status === 1;
}
// Every link of every article, as `kho show EVENT --json` prints it (corrections applied).
function allLinks() {
  const out = [];
  for (const e of khoJson('events').events)
    for (const a of khoJson('show', e.id).articles ?? [])
      for (const l of a.links ?? []) out.push({ event: e.id, article: a.id, ...l });
  return out;
}
const linkOf = (ref) => allLinks().find((l) => nfc(l.ref) === nfc(ref));
function digestOfFile(name) {
  for (const e of khoJson('events').events)
    for (const p of khoJson('show', e.id).photos ?? [])
      if (nfc(path.basename(p.path ?? p.name ?? '')) === nfc(name) || nfc(p.name) === nfc(name)) return p.digest;
  return null;
}

let server = null;
let browser = null;
try {
  check('kho ingest of the samples succeeds', ingest());
  const add = spawnSync(kho, ['--archive', archive, 'user', 'add', 'ed', '--role', 'editor', '--password-stdin'],
                        { input: `${PASSWORD}\n`, encoding: 'utf8' });
  check('kho user add makes an editor', add.status === 0, add.stderr);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(kho, ['--archive', archive, 'serve', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', () => {});
  await waitForServer(`${base}/login`, server);

  browser = await launchChromium(path.join(work, 'chromium-profile'), {
    viewport: { width: 1280, height: 900 },
  });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  page.on('dialog', (d) => d.accept());  // team.js asks before a revert or an unlink
  const phone = await browser.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });

  // ---- log in ----
  await page.goto(`${base}/`);
  check('a visitor is sent to the login page', new URL(page.url()).pathname === '/login', page.url());
  await shot(page, 'team-01-login.png');
  await page.fill('input[name=name]', 'ed');
  await page.fill('input[name=password]', 'not the password');
  await page.click('.login-form button[type=submit]');
  check('a wrong password is refused with a message',
        (await page.locator('.form-error').textContent() ?? '').includes('Sai'));
  // The refused login answers 401, which Chromium logs as a failed resource: expected, and the only one.
  check('the only console error so far is the refused login\'s 401',
        pageErrors.length === 1 && pageErrors[0].includes('401'), pageErrors.join('\n     '));
  pageErrors.length = 0;
  await page.fill('input[name=password]', PASSWORD);
  await page.click('.login-form button[type=submit]');
  await page.waitForLoadState('load');
  check('after login the home page shows', new URL(page.url()).pathname === '/', page.url());
  check('the masthead names the user', nfc(await page.locator('.account-name').textContent()) === 'ed');
  const cookies = await browser.cookies(base);
  const session = cookies.find((c) => c.name === 'kho_session');
  check('the session cookie is HttpOnly and SameSite=Strict',
        session && session.httpOnly && session.sameSite === 'Strict', JSON.stringify(session));
  await phone.goto(`${base}/login`);  // signed in: the login page sends it home
  await phone.goto(`${base}/`);
  await shot(phone, 'team-02-home-phone.png');

  // ---- fix a caption on the photo page ----
  const seed = linkOf('tặng sơn la tranh.jpg');
  check('the seed link is resolved', seed && seed.digest, JSON.stringify(seed));
  const machineCaption = seed.caption;
  const fixed = 'Đồng chí Lê Anh Xuân tặng đoàn Sơn La bức tranh (ảnh đã sửa chú thích)';
  await page.goto(`${base}/photo/${seed.digest}`);
  await page.fill('.edit-form textarea[name=caption]', fixed);
  await page.click('.edit-form button[type=submit]');
  await page.waitForLoadState('load');
  check('the photo page shows the fixed caption', nfc(await page.locator('.photo-preview figcaption').textContent()) === nfc(fixed));
  check('kho show has the fixed caption', nfc(linkOf('tặng sơn la tranh.jpg').caption) === nfc(fixed));
  check('the history lists the fix by ed', (await page.locator('.history li').first().textContent()).includes('ed'));
  await page.locator('#team').scrollIntoViewIfNeeded();
  await shot(page, 'team-03-photo-edited.png');
  await phone.goto(`${base}/photo/${seed.digest}#team`);
  await shot(phone, 'team-04-photo-phone.png');

  // ---- relink the unresolved reference from the workbench ----
  await page.goto(`${base}/workbench`);
  const countOf = async (id) => Number(await page.locator(`#${id} .count`).textContent());
  const unresolvedBefore = await countOf('unresolved');
  const clustersBefore = await countOf('clusters');
  check('the workbench lists the unresolved reference',
        (await page.locator('#unresolved').textContent()).includes('cắt băng khai mạc.jpg'));
  check('the ambiguous-originals list has its marked place', await page.locator('#ambiguous').count() === 1);
  await shot(page, 'team-05-workbench.png');
  await phone.goto(`${base}/workbench`);
  await shot(phone, 'team-06-workbench-phone.png');
  const item = page.locator('.wb-item', { hasText: 'cắt băng khai mạc.jpg' });
  const candidate = item.locator('button.candidate', { hasText: 'quảng trường lam sơn.jpg' });
  check('the orphan is offered as a near-miss', await candidate.count() === 1);
  await candidate.click();
  await page.waitForLoadState('load');
  check('the workbench list shrinks by one', await countOf('unresolved') === unresolvedBefore - 1);
  const orphanDigest = digestOfFile('quảng trường lam sơn.jpg');
  check('kho show has the relink', linkOf('cắt băng khai mạc.jpg')?.digest === orphanDigest,
        JSON.stringify(linkOf('cắt băng khai mạc.jpg')));

  // ---- mark the duplicate pair "not duplicates" ----
  check('the workbench lists an unreviewed duplicate cluster', clustersBefore >= 1);
  const pairsBefore = khoJson('dups').clusters.length;
  await page.locator('#clusters form[action="/dups/not-duplicate"] button').first().click();
  await page.waitForLoadState('load');
  check('the cluster leaves the workbench', await countOf('clusters') === clustersBefore - 1);
  check('kho dups no longer groups the pair', khoJson('dups').clusters.length === pairsBefore - 1);

  // ---- everything survives a new ingest of the same folder ----
  check('a second kho ingest succeeds', ingest());
  check('after re-ingest: the caption fix holds', nfc(linkOf('tặng sơn la tranh.jpg').caption) === nfc(fixed));
  check('after re-ingest: the relink holds', linkOf('cắt băng khai mạc.jpg')?.digest === orphanDigest);
  check('after re-ingest: not duplicates holds', khoJson('dups').clusters.length === pairsBefore - 1);
  await page.goto(`${base}/workbench`);
  check('after re-ingest: the workbench stays empty of what was done', await countOf('unresolved') === unresolvedBefore - 1);

  // ---- revert the caption fix (the revert is itself a correction) ----
  await page.goto(`${base}/photo/${seed.digest}`);
  const revert = page.locator('.history li', { hasText: 'Chú thích' }).first().locator('button', { hasText: 'Hoàn tác' });
  await revert.click();
  await page.waitForLoadState('load');
  check('the photo page shows the machine caption again',
        nfc(await page.locator('.photo-preview figcaption').textContent()) === nfc(machineCaption));
  check('kho show has the machine caption again', nfc(linkOf('tặng sơn la tranh.jpg').caption) === nfc(machineCaption));
  check('the history shows the revert', (await page.locator('.history').textContent()).includes('hoàn tác #'));
  const history = khoJson('history', seed.digest).corrections;
  check('kho history has the fix and its revert', history.length === 2 && history[1].reverts === history[0].seq,
        JSON.stringify(history));
  await page.locator('#team').scrollIntoViewIfNeeded();
  await shot(page, 'team-07-photo-reverted.png');

  // ---- log out ----
  await page.click('.account button[type=submit]');
  await page.waitForLoadState('load');
  check('logout lands on the login page', new URL(page.url()).pathname === '/login', page.url());
  const dead = await fetch(`${base}/api/events`, { headers: { Cookie: `kho_session=${session.value}` } });
  check('the logged-out cookie is dead', dead.status === 401, `status ${dead.status}`);
  await page.goto(`${base}/workbench`);
  check('pages need a login again', new URL(page.url()).pathname === '/login', page.url());

  check('a third kho ingest succeeds', ingest());
  check('after re-ingest: the revert holds', nfc(linkOf('tặng sơn la tranh.jpg').caption) === nfc(machineCaption));
  check('after re-ingest: the relink still holds', linkOf('cắt băng khai mạc.jpg')?.digest === orphanDigest);

  check('no JavaScript errors or CSP violations', pageErrors.length === 0, pageErrors.join('\n     '));
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

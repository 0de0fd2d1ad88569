// The stylesheet, the script and the icon. Plain CSS and JavaScript: no build step.
#include "templates.h"

namespace kho::web {

const std::string_view kStylesheet = R"CSS(:root {
  --paper: #f7f5f0; --card: #fffdf9; --ink: #1f1d1a; --muted: #6b665e; --rule: #e1dcd2;
  --accent: #8c1c13; --accent-soft: #f3e3df; --mark: #fbe8a6; --link: #1d4f7a;
  --serif: "Noto Serif", "DejaVu Serif", Georgia, "Times New Roman", serif;
  --sans: "Noto Sans", "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 16px/1.55 var(--sans); }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
img { max-width: 100%; height: auto; display: block; }
code { font-size: .85em; background: #efebe3; padding: .05em .3em; border-radius: 3px; word-break: break-all; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }

.masthead { background: var(--card); border-bottom: 3px double var(--rule); position: sticky; top: 0; z-index: 10; }
.masthead-inner { max-width: 76rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap;
  gap: .5rem 1.5rem; align-items: center; }
.brand { display: flex; align-items: baseline; gap: .6rem; color: var(--ink); }
.brand:hover { text-decoration: none; }
.brand-mark { font: 700 1.7rem/1 var(--serif); letter-spacing: .02em; color: var(--accent); }
.brand-sub { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .08em; }
.nav { display: flex; gap: 1rem; }
.nav a { color: var(--ink); font-weight: 600; padding: .2rem 0; border-bottom: 2px solid transparent; }
.nav a[aria-current="page"] { border-bottom-color: var(--accent); }
.searchbox { margin-left: auto; display: flex; min-width: min(100%, 22rem); flex: 0 1 26rem; }
.searchbox input { flex: 1; min-width: 0; font: inherit; padding: .45rem .7rem; border: 1px solid var(--rule);
  border-right: 0; border-radius: 4px 0 0 4px; background: #fff; }
.searchbox button { font: inherit; font-weight: 600; padding: .45rem .9rem; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; border-radius: 0 4px 4px 0; cursor: pointer; }

.main { max-width: 76rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.footer { max-width: 76rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .85rem;
  border-top: 1px solid var(--rule); }
.page-head h1, .story-head h1 { font: 700 2rem/1.25 var(--serif); margin: 0 0 .3rem; }
.page-head { margin-bottom: 1.5rem; }
.crumbs { font-size: .85rem; color: var(--muted); margin: 0 0 1rem; }
.empty { padding: 2rem; background: var(--card); border: 1px dashed var(--rule); border-radius: 6px; text-align: center;
  color: var(--muted); }
.badge { display: inline-block; font-size: .72rem; font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
  padding: .1rem .45rem; border-radius: 3px; background: #e9e4da; color: var(--muted); }
.badge.best { background: var(--accent); color: #fff; }
.button { display: inline-block; padding: .45rem .9rem; border-radius: 4px; background: var(--accent); color: #fff;
  font-weight: 600; }
.button:hover { text-decoration: none; filter: brightness(1.1); }
.kicker { margin: 0; font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }

.event-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 1.25rem;
  grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); }
.event-card { background: var(--card); border: 1px solid var(--rule); border-radius: 6px; overflow: hidden;
  display: flex; flex-direction: column; }
.event-cover { display: block; aspect-ratio: 3 / 2; background: #e9e4da; overflow: hidden; }
.event-cover img { width: 100%; height: 100%; object-fit: cover; }
.no-cover { display: flex; height: 100%; align-items: center; justify-content: center; color: var(--muted);
  font-size: .85rem; }
.event-text { padding: .8rem 1rem 1rem; }
.event-text h2 { font: 700 1.15rem/1.3 var(--serif); margin: .25rem 0 .4rem; }
.event-text h2 a { color: var(--ink); }
.excerpt { margin: 0; color: #3d3a35; font-size: .92rem; display: -webkit-box; -webkit-line-clamp: 3;
  -webkit-box-orient: vertical; overflow: hidden; }
.pager { display: flex; justify-content: space-between; margin-top: 2rem; }

.story { max-width: 44rem; margin: 0 auto 3rem; }
.story-head { border-bottom: 1px solid var(--rule); padding-bottom: .8rem; margin-bottom: 1.2rem; }
.byline { color: var(--muted); margin: 0; font-size: .9rem; }
.story-body { font: 1.08rem/1.7 var(--serif); }
.story-body p { margin: 0 0 1.1rem; }
.group-caption { font-style: italic; color: #3d3a35; border-left: 3px solid var(--accent); padding-left: .8rem; }
.story-photo { margin: 1.5rem 0; }
.story-photo img { width: 100%; border-radius: 3px; background: #e9e4da; cursor: zoom-in; }
.story-photo figcaption { font: .92rem/1.5 var(--sans); color: #3d3a35; padding: .5rem 0 0;
  border-bottom: 1px solid var(--rule); padding-bottom: .6rem; }
.story-photo figcaption:empty { display: none; }
.credit { color: var(--muted); font-style: italic; }
.unresolved .missing { padding: 1.5rem; text-align: center; background: var(--accent-soft);
  border: 1px dashed var(--accent); border-radius: 4px; color: var(--accent); font-family: var(--sans);
  font-size: .9rem; }

.all-photos { border-top: 3px double var(--rule); padding-top: 1rem; }
.all-photos h2 { font: 700 1.3rem var(--serif); margin: 0 0 .2rem; }
.grid { list-style: none; padding: 0; margin: 1rem 0 0; display: grid; gap: .8rem;
  grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); }
.tile { position: relative; background: var(--card); border: 1px solid var(--rule); border-radius: 4px;
  overflow: hidden; }
.tile a { display: block; aspect-ratio: 1; background: #e9e4da; }
.tile img { width: 100%; height: 100%; object-fit: cover; cursor: zoom-in; }
.tile .badge { position: absolute; top: .4rem; left: .4rem; background: rgba(255,253,249,.92); }
.tile.orphan { border-style: dashed; }
.tile-caption { margin: .4rem .5rem .5rem; padding: 0; font-size: .78rem; line-height: 1.35; color: #3d3a35;
  display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }

.lightbox { position: fixed; inset: 0; z-index: 100; background: rgba(20,18,16,.94); display: flex; align-items: center;
  justify-content: center; }
.lightbox[hidden] { display: none; }
body.lb-open { overflow: hidden; }
.lb-figure { margin: 0; max-width: min(92vw, 1280px); text-align: center; }
.lb-figure img { max-height: 78vh; width: auto; margin: 0 auto; border-radius: 2px; }
.lb-figure figcaption { color: #f1ece4; font-size: .95rem; margin: .8rem auto 0; max-width: 48rem; }
.lb-count { color: #a8a196; font-size: .8rem; margin: .3rem 0 0; }
.lightbox button { position: absolute; background: none; border: 0; color: #f1ece4; font-size: 2.6rem; line-height: 1;
  cursor: pointer; padding: .5rem 1rem; opacity: .8; }
.lightbox button:hover { opacity: 1; }
.lb-close { top: .5rem; right: .5rem; }
.lb-prev { left: .25rem; top: 50%; transform: translateY(-50%); }
.lb-next { right: .25rem; top: 50%; transform: translateY(-50%); }

.photo-page { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr);
  align-items: start; }
.photo-preview { margin: 0; background: var(--card); border: 1px solid var(--rule); border-radius: 4px;
  padding: .6rem; }
.photo-preview img { margin: 0 auto; max-height: 80vh; width: auto; }
.photo-preview figcaption { font: 1rem/1.55 var(--serif); padding: .7rem .2rem .2rem; }
.photo-side h1 { font: 700 1.2rem var(--serif); margin: 0 0 .6rem; word-break: break-all; }
.photo-side h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .07em; color: var(--muted);
  margin: 1.4rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
.pub p { margin: .2rem 0; }
blockquote { margin: .3rem 0 .6rem; padding: .3rem .7rem; border-left: 3px solid var(--rule);
  font: .92rem/1.5 var(--serif); color: #3d3a35; }
blockquote.group { font-style: italic; }
.meta { width: 100%; border-collapse: collapse; font-size: .85rem; }
.meta th { text-align: left; font-weight: 600; color: var(--muted); padding: .25rem .6rem .25rem 0; vertical-align: top;
  width: 40%; }
.meta td { padding: .25rem 0; word-break: break-word; }
.meta tr + tr { border-top: 1px solid #eee9df; }
.files { padding-left: 1.1rem; font-size: .85rem; }
.dup-row { display: flex; gap: .7rem; margin-bottom: .7rem; font-size: .85rem; }
.dup-row img { width: 5rem; height: 5rem; object-fit: cover; border-radius: 3px; }
.dup-row p { margin: 0 0 .3rem; }

.cluster { background: var(--card); border: 1px solid var(--rule); border-radius: 6px; padding: 1rem;
  margin-bottom: 1.25rem; }
.cluster h2 { font: 700 1.1rem var(--serif); margin: 0 0 .8rem; }
.cluster-photos { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); }
.copy { position: relative; border: 1px solid var(--rule); border-radius: 4px; padding: .5rem; background: #fff; }
.copy.best { border: 2px solid var(--accent); }
.copy img { width: 100%; aspect-ratio: 4 / 3; object-fit: cover; border-radius: 2px; }
.copy .badge.best { position: absolute; top: 1rem; left: 1rem; }
.copy dl { display: grid; grid-template-columns: auto 1fr; gap: .1rem .6rem; font-size: .8rem; margin: .5rem 0 0; }
.copy dt { color: var(--muted); }
.copy dd { margin: 0; overflow-wrap: anywhere; }
.copy dd code { word-break: normal; }

.result-group { margin-bottom: 1.8rem; }
.result-group h2 { font: 700 1.2rem var(--serif); margin: 0 0 .6rem; border-bottom: 1px solid var(--rule);
  padding-bottom: .3rem; }
.hits { list-style: none; margin: 0; padding: 0; }
.hit { display: flex; gap: .9rem; padding: .6rem 0; border-bottom: 1px solid #eee9df; }
.hit-thumb img { width: 6.5rem; height: 4.5rem; object-fit: cover; border-radius: 3px; }
.snippet { margin: .2rem 0 0; font: 1rem/1.55 var(--serif); }
mark { background: var(--mark); color: inherit; padding: 0 .1em; border-radius: 2px; }
.error h1 { color: var(--accent); }

@media (max-width: 40rem) {
  .masthead { position: static; }
  .searchbox { margin-left: 0; flex: 1 1 100%; }
  .page-head h1, .story-head h1 { font-size: 1.5rem; }
  .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .5rem; }
  .photo-page { grid-template-columns: minmax(0, 1fr); }
  .hit-thumb img { width: 4.5rem; height: 3.5rem; }
}

/* ---- issue 16: accounts, editing, the workbench (templates_team.cc) ---- */
.account { display: flex; align-items: center; gap: .5rem; font-size: .85rem; }
.account-name { font-weight: 600; }
.account button, .team button, .wb button, .login-form button { font: inherit; font-weight: 600; padding: .35rem .8rem;
  border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
.account button, .team button.secondary, .wb button.secondary { background: var(--card); color: var(--accent); }
button.small { font-size: .8rem; padding: .15rem .5rem; }
.login-box { max-width: 24rem; margin: 2rem auto; background: var(--card); border: 1px solid var(--rule);
  border-radius: 6px; padding: 1.5rem; }
.login-box h1 { font: 700 1.6rem/1.2 var(--serif); margin: 0 0 1rem; }
.login-form, .edit-form { display: grid; gap: .75rem; }
.login-form label, .edit-form label { display: grid; gap: .25rem; font-weight: 600; font-size: .9rem; }
.login-form input, .edit-form input, .edit-form textarea, .refs select { font: inherit; font-weight: 400;
  padding: .45rem .6rem; border: 1px solid var(--rule); border-radius: 4px; background: #fff; width: 100%; }
.form-error { background: var(--accent-soft); color: var(--accent); padding: .5rem .75rem; border-radius: 4px; }
.team { margin-top: 2rem; padding: 1rem 1.25rem; background: var(--card); border: 1px solid var(--rule);
  border-radius: 6px; }
.team h2 { font: 700 1.3rem/1.3 var(--serif); margin: 0 0 .75rem; }
.inline-form { display: inline-block; margin: .5rem .5rem 0 0; }
.conflict { border: 2px solid var(--accent); background: var(--accent-soft); border-radius: 6px; padding: .75rem;
  margin-bottom: 1rem; }
.history { padding-left: 1.2rem; }
.history li { margin: .4rem 0; }
.history .old { text-decoration: line-through; color: var(--muted); }
.dup-decide, .candidates { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .75rem; }
.dup-decide img, .candidates img { width: 120px; height: 90px; object-fit: cover; }
.candidates button.candidate { display: grid; gap: .25rem; padding: .25rem; background: var(--card); color: var(--ink);
  border: 2px solid var(--rule); font-weight: 400; font-size: .8rem; max-width: 132px; word-break: break-all; }
.candidates button.candidate:hover { border-color: var(--accent); }
.refs { width: 100%; border-collapse: collapse; }
.refs td { border-top: 1px solid var(--rule); padding: .4rem; vertical-align: middle; }
.wb { margin-bottom: 2rem; }
.wb h2 { font: 700 1.3rem/1.3 var(--serif); }
.wb .count { display: inline-block; min-width: 1.6rem; text-align: center; background: var(--accent); color: #fff;
  border-radius: 999px; font: 700 .85rem/1.6 var(--sans); padding: 0 .45rem; vertical-align: middle; }
.wb-item { background: var(--card); border: 1px solid var(--rule); border-radius: 6px; padding: .75rem;
  margin-bottom: .75rem; }
@media (max-width: 40rem) { .account { width: 100%; justify-content: flex-end; } .refs td { display: block; } }
/* ---- end issue 16 ---- */
)CSS";

const std::string_view kScript = R"JS(// Lightbox for event pages: click a photo, ←/→ to move, Esc to close.
// Captions are set with textContent, never as HTML.
(function () {
  'use strict';
  var box = document.getElementById('lightbox');
  if (!box) return;
  var items = Array.prototype.map.call(document.querySelectorAll('.grid a.lb'), function (a) {
    var img = a.querySelector('img');
    return { digest: a.dataset.digest, full: a.dataset.full, caption: a.dataset.caption || '',
             alt: img ? img.alt : '' };
  });
  var img = box.querySelector('img'), cap = box.querySelector('figcaption');
  var count = box.querySelector('.lb-count');
  var current = -1, opener = null;
  function show(i) {
    if (!items.length) return;
    current = (i + items.length) % items.length;
    var it = items[current];
    img.src = it.full;
    img.alt = it.alt;
    cap.textContent = it.caption;
    count.textContent = (current + 1) + ' / ' + items.length;
    box.dataset.index = String(current);
    box.hidden = false;
    document.body.classList.add('lb-open');
    var next = items[(current + 1) % items.length];
    if (next) { var pre = new Image(); pre.src = next.full; }
  }
  function close() {
    box.hidden = true;
    current = -1;
    document.body.classList.remove('lb-open');
    if (opener) opener.focus();
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.lb');
    if (!a || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    opener = a;
    var i = items.findIndex(function (x) { return x.digest === a.dataset.digest; });
    show(i < 0 ? 0 : i);
    box.querySelector('.lb-close').focus();
  });
  box.querySelector('.lb-close').addEventListener('click', close);
  box.querySelector('.lb-prev').addEventListener('click', function () { show(current - 1); });
  box.querySelector('.lb-next').addEventListener('click', function () { show(current + 1); });
  box.addEventListener('click', function (e) { if (e.target === box) close(); });
  document.addEventListener('keydown', function (e) {
    if (box.hidden) return;
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowRight') show(current + 1);
    else if (e.key === 'ArrowLeft') show(current - 1);
    else return;
    e.preventDefault();
  });
})();
)JS";

const std::string_view kFavicon = R"SVG(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect
  width="32" height="32" rx="6" fill="#8c1c13"/><text x="16" y="22" font-family="Georgia,serif" font-size="16"
  font-weight="700" fill="#fff" text-anchor="middle">K</text></svg>
)SVG";

}  // namespace kho::web

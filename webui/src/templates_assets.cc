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
.tile:focus-within { outline: 3px solid var(--accent); outline-offset: 2px; }
.tile a:focus-visible { outline: none; }
.tile a:focus-visible img { opacity: .85; }
.story-photo a.lb:focus-visible { outline: 3px solid var(--accent); outline-offset: 3px; display: block; }
.group-note { font-weight: 600; color: var(--muted); }
.group-text { font-style: italic; color: #4a463f; }
.tile-credit { margin: -.2rem .5rem .5rem; font-size: .74rem; line-height: 1.3; }
.tile-caption { margin: .4rem .5rem .5rem; padding: 0; font-size: .78rem; line-height: 1.35; color: #3d3a35;
  display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }

.lightbox { position: fixed; inset: 0; z-index: 100; background: #141210; color: #f1ece4; display: flex;
  flex-direction: column; }
.lightbox[hidden] { display: none; }
body.lb-open { overflow: hidden; }
.lb-bar { display: flex; align-items: center; gap: .4rem; padding: .4rem .6rem; flex: none; }
.lb-count { margin: 0 auto 0 .3rem; color: #c9c2b6; font-size: .85rem; }
.lightbox button, .lb-actions a { font: 600 .85rem/1.2 var(--sans); color: #f1ece4; background: #2c2925;
  border: 1px solid #5b554d; border-radius: 4px; padding: .45rem .75rem; cursor: pointer; }
.lightbox button:hover, .lb-actions a:hover { background: #3d3934; text-decoration: none; }
.lightbox :focus-visible { outline: 3px solid #f2c14e; outline-offset: 2px; }
.lb-close { font-size: 1.3rem !important; padding: .2rem .7rem !important; }
.lb-zoom[aria-pressed="true"] { background: #f1ece4; color: #141210; }
.lb-figure { flex: 1; min-height: 0; margin: 0; display: flex; }
.lb-stage { flex: 1; min-width: 0; min-height: 0; position: relative; display: flex; align-items: center;
  justify-content: center; overflow: hidden; touch-action: none; user-select: none; }
.lb-stage img { max-width: 100%; max-height: 100%; width: auto; height: auto; object-fit: contain;
  cursor: zoom-in; -webkit-user-drag: none; }
.lightbox.zoomed .lb-stage { display: block; overflow: auto; cursor: grab; }
.lightbox.zoomed .lb-stage img { max-width: none; max-height: none; margin: 0 auto; cursor: grab; }
.lightbox.zoomed .lb-prev, .lightbox.zoomed .lb-next { display: none; }
.lb-prev, .lb-next { position: absolute; top: 50%; transform: translateY(-50%); font-size: 2rem !important;
  padding: .3rem .7rem !important; background: rgba(20,18,16,.6) !important; }
.lb-prev { left: .4rem; }
.lb-next { right: .4rem; }
.lb-info { flex: none; width: 22rem; overflow-y: auto; padding: .4rem 1rem 1rem; border-left: 1px solid #3a3631;
  font-size: .92rem; }
.lightbox.info-hidden .lb-info { display: none; }
.lb-group-label { margin: 0 0 .2rem; font-size: .75rem; text-transform: uppercase; letter-spacing: .06em;
  color: #c9c2b6; }
.lb-caption { margin: 0 0 .5rem; font: 1rem/1.55 var(--serif); }
.lb-caption.group { font-style: italic; }
.lightbox .credit { color: #d9d2c6; margin: 0 0 .6rem; }
.lb-details { display: grid; grid-template-columns: auto 1fr; gap: .15rem .7rem; margin: .6rem 0; font-size: .85rem; }
.lb-details dt { color: #c9c2b6; }
.lb-details dd { margin: 0; overflow-wrap: anywhere; }
.lb-actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .6rem 0 0; }
.copy-status { flex-basis: 100%; font-size: .85rem; }
.copy-status:empty { display: none; }
.copy-buffer { position: fixed; left: 0; top: 0; width: 1px; height: 1px; opacity: 0; }

.photo-page { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr);
  align-items: start; }
.photo-main { background: var(--card); border: 1px solid var(--rule); border-radius: 4px; padding: .6rem; }
.photo-main > p { margin: 0 .2rem .5rem; }
.photo-preview { margin: 0; }
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
.photo-nav { display: flex; justify-content: space-between; align-items: center; gap: .6rem; margin: 0 0 1rem; }
.photo-nav .button { white-space: nowrap; }
.button.secondary { background: var(--card); color: var(--link); border: 1px solid var(--rule); }
/* The label is generated, so the figcaption's text is the caption alone (what the downloads write). */
.photo-preview figcaption.group { font-style: italic; }
.photo-preview figcaption.group::before { content: "Chú thích chung của nhóm ảnh"; display: block; font: normal 600
  .75rem/1.4 var(--sans); text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin-bottom: .2rem; }
.group-label { font: 600 .75rem/1.4 var(--sans); text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); }
.photo-main .credit { font: .9rem/1.4 var(--sans); }
.copy-caption { font: 600 .85rem var(--sans); padding: .4rem .8rem; border: 1px solid var(--rule); border-radius: 4px;
  background: var(--card); color: var(--link); cursor: pointer; }
.copy-row .copy-status { color: var(--muted); }
.dup-review { margin-top: 2rem; }
.section-title { font: 700 1.3rem var(--serif); margin: 0 0 .8rem; }
.best-reason { margin: 0 0 .9rem; }
.likeness { margin: .5rem 0 0; font-weight: 600; font-size: .9rem; }
.copy.current { box-shadow: 0 0 0 3px var(--link); }
.badge.current { background: var(--link); color: #fff; }
.dup-review { scroll-margin-top: 5rem; }
/* File names hold Vietnamese letters that DejaVu Sans Mono lacks precomposed: set them in the text face. */
.copy dd code, .pub code { font-family: var(--sans); }
.copy dd.diff { color: var(--accent); font-weight: 600; }
.diff-mark { font-size: .7rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  background: var(--accent-soft); color: var(--accent); padding: 0 .3rem; border-radius: 3px; }
.copy dd.articles a { display: block; }

.cluster { background: var(--card); border: 1px solid var(--rule); border-radius: 6px; padding: 1rem;
  margin-bottom: 1.25rem; }
.cluster h2 { font: 700 1.1rem var(--serif); margin: 0 0 .8rem; }
.cluster-photos { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); }
.copy { position: relative; border: 1px solid var(--rule); border-radius: 4px; padding: .5rem; background: #fff; }
.copy.best { border: 2px solid var(--accent); }
.copy-image { display: flex; align-items: center; justify-content: center; height: min(60vh, 30rem);
  background: #e9e4da; border-radius: 2px; }
.copy-image img { max-width: 100%; max-height: 100%; width: auto; height: auto; object-fit: contain; }
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
.hit-grid { margin: 0 0 .8rem; }
.hit-grid .tile-caption { -webkit-line-clamp: 5; font-size: .82rem; }
.hit-grid .tile a { cursor: pointer; }
.hit-where { margin: 0 .5rem .5rem; font: .75rem var(--sans); color: var(--muted); }
.suggest { font-size: 1.05rem; }
.search-help { margin: .6rem 0 1rem; font-size: .9rem; }
.search-help summary { cursor: pointer; color: var(--muted); }
.search-help ul { margin: .4rem 0 0; padding-left: 1.2rem; }
.error h1 { color: var(--accent); }

@media (max-width: 40rem) {
  .masthead { position: static; }
  .searchbox { margin-left: 0; flex: 1 1 100%; }
  .page-head h1, .story-head h1 { font-size: 1.5rem; }
  .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .5rem; }
  .photo-page { grid-template-columns: minmax(0, 1fr); }
  .hit-thumb img { width: 4.5rem; height: 3.5rem; }
  .lb-figure { flex-direction: column; }
  .lb-info { width: auto; max-height: 38vh; border-left: 0; border-top: 1px solid #3a3631; }
  .lb-prev, .lb-next { display: none; }
  .key-hint { display: none; }
  .copy-image { height: auto; max-height: 70vh; }
}

/* ---- events: names in the sans stack, timeline, grid pages, empty archive (issue 15) ---- */
/* WCAG AA: the muted grey was 4.49:1 on the badges' #e9e4da; this one is ≥ 5.1:1 on every background here. */
:root { --muted: #625d55; }
/* Debian's default monospace (DejaVu Sans Mono) lacks precomposed Vietnamese letters: names, paths and
   commands are set in the text face. */
code, pre, kbd, samp { font-family: var(--sans); }
.path, .cmd { background: #efebe3; padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
.tree { font: .9rem/1.5 var(--sans); white-space: pre; overflow-x: auto; background: var(--card);
  border: 1px solid var(--rule); border-radius: 4px; padding: .8rem 1rem; }
.empty-archive { max-width: 46rem; text-align: left; }
.empty-archive .tree { text-align: left; }
.jump { margin: -.6rem 0 1rem; font-size: .92rem; }
.timeline { margin: 0 0 1.2rem; font-size: .92rem; }
.timeline p, .grid-pager, .sort-switch { display: flex; flex-wrap: wrap; align-items: baseline; gap: .1rem .5rem;
  margin: .2rem 0; }
.timeline a, .grid-pager a, .sort-switch a { padding: .3rem .2rem; }
.timeline a[aria-current], .grid-pager a[aria-current], .sort-switch a[aria-current] { color: var(--ink);
  font-weight: 700; border-bottom: 2px solid var(--accent); }
.grid-tools { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline;
  gap: .2rem 1rem; margin: 0 0 .6rem; }
.grid-pager { justify-content: center; margin-top: 1.2rem; }
.gap { color: var(--muted); }
/* ---- end events ---- */
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

const std::string_view kScript =
    R"JS(// The viewer (lightbox) of event pages, the photo page's ←/→ keys, and "copy caption and credit".
// The CSP forbids inline script and on* attributes: everything is wired here. Text is set with
// textContent, never as HTML.
(function () {
  'use strict';

  // Copies `text` with the Clipboard API, else through a selected textarea and execCommand('copy'); says
  // what happened in `status` (a role="status" element).
  function copyText(text, button, status) {
    function done(ok) {
      if (status) {
        status.textContent = ok ? 'Đã chép chú thích và nguồn.' : 'Không chép được: hãy chọn chữ và chép tay.';
      }
    }
    function fallback() {
      var ta = document.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.className = 'copy-buffer';
      button.parentNode.appendChild(ta);  // inside the dialog when there is one, so focus stays there
      ta.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      ta.parentNode.removeChild(ta);
      button.focus();
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button.copy-caption');
    if (b) copyText(b.dataset.copy || '', b, b.parentNode.querySelector('.copy-status'));
  });

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  // The photo page: ←/→ go to the previous and next photo of its event.
  if (document.querySelector('.photo-nav')) {
    document.addEventListener('keydown', function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || typing(e)) return;
      var rel = e.key === 'ArrowLeft' ? 'prev' : e.key === 'ArrowRight' ? 'next' : '';
      var a = rel && document.querySelector('.photo-nav a[rel=' + rel + ']');
      if (!a) return;
      e.preventDefault();
      location.href = a.href;
    });
  }

  // The viewer: click a photo of the event (grid or article); ←/→ or a swipe to move; Esc, × or Back to
  // close; Z for 100% (drag to pan); I for the info panel. Each photo has its address (#photo=DIGEST),
  // which opens it on load; moving between photos replaces that entry, so Back closes the viewer.
  var box = document.getElementById('lightbox');
  if (!box) return;
  var items = Array.prototype.map.call(document.querySelectorAll('.grid a.lb'), function (a) {
    var img = a.querySelector('img'), d = a.dataset;
    return { digest: d.digest, full: d.full, caption: d.caption || '', own: d.own || '', group: d.group || '',
             credit: d.credit || '', taken: d.taken || '', camera: d.camera || '', name: d.name || '',
             original: d.original || '', download: d.download || '', zoom: d.zoom || d.full,
             url: a.getAttribute('href'), alt: img ? img.alt : '', link: a };
  });
  var $ = function (sel) { return box.querySelector(sel); };
  var stage = $('.lb-stage'), img = $('.lb-stage img'), count = $('.lb-count');
  var zoomButton = $('.lb-zoom'), infoButton = $('.lb-info-toggle'), copyButton = $('.copy-caption');
  var current = -1, opener = null, zoomed = false, centre = false;

  function setText(el, text) {
    el.textContent = text;
    el.hidden = !text;
  }
  function setDetail(el, text) {  // a <dd> and its <dt>
    el.textContent = text || '—';
  }
  function address(digest) {
    return location.pathname + location.search + (digest ? '#photo=' + digest : '');
  }
  function fromAddress() {
    var m = /^#photo=([0-9a-f]{64})$/.exec(location.hash);
    if (!m) return -1;
    for (var i = 0; i < items.length; i++) if (items[i].digest === m[1]) return i;
    return -1;
  }

  // how: 'push' (opened by a click: a new history entry), 'replace' (moved inside the viewer), or 'none'.
  function show(i, how) {
    if (!items.length) return;
    current = (i + items.length) % items.length;
    var it = items[current];
    setZoom(false);
    img.src = it.full;
    img.alt = it.alt;
    var groupOnly = !it.own && !!it.group;
    $('.lb-group-label').hidden = !groupOnly;
    $('.lb-caption').textContent = it.caption;
    $('.lb-caption').classList.toggle('group', groupOnly);
    setText($('.lb-credit'), it.credit ? 'Ảnh: ' + it.credit : '');
    setDetail($('.lb-taken'), it.taken);
    setDetail($('.lb-camera'), it.camera);
    setDetail($('.lb-name'), it.name);
    $('.lb-download').href = it.original;
    $('.lb-download-captioned').href = it.download;
    $('.lb-page').href = it.url;
    var text = it.own || it.group;
    copyButton.dataset.copy = it.credit ? (text ? text + '\n' : '') + 'Ảnh: ' + it.credit : text;
    copyButton.hidden = !copyButton.dataset.copy;
    $('.copy-status').textContent = '';
    count.textContent = (current + 1) + ' / ' + items.length;
    box.dataset.index = String(current);
    box.dataset.digest = it.digest;
    box.hidden = false;
    document.body.classList.add('lb-open');
    if (how === 'push') history.pushState({ lightbox: true }, '', address(it.digest));
    else if (how === 'replace') history.replaceState(history.state, '', address(it.digest));
    [current + 1, current - 1].forEach(function (k) {  // the neighbours, for a quick move
      var n = items[(k + items.length) % items.length];
      if (n) { var pre = new Image(); pre.src = n.full; }
    });
  }
  function hide() {
    setZoom(false);
    box.hidden = true;
    current = -1;
    document.body.classList.remove('lb-open');
    if (opener) opener.focus();
  }
  function close() {
    if (box.hidden) return;
    var pushed = history.state && history.state.lightbox;
    hide();
    // Leave the photo's address as the browser's Back button would (its popstate then finds nothing open).
    if (pushed) history.back();
    else history.replaceState(null, '', address(''));
  }
  window.addEventListener('popstate', function () {
    var i = fromAddress();
    if (i >= 0) show(i, 'none');
    else if (!box.hidden) hide();
  });

  // Zoom to 100%: the original's own pixels when the browser can show it (else the largest preview),
  // centred, then panned by dragging, scrolling or the arrow keys.
  function setZoom(on) {
    zoomed = !!on && current >= 0;
    box.classList.toggle('zoomed', zoomed);
    zoomButton.setAttribute('aria-pressed', String(zoomed));
    zoomButton.textContent = zoomed ? 'Vừa màn hình' : '100%';
    if (current < 0) return;
    var it = items[current], want = zoomed ? it.zoom : it.full;
    if (img.getAttribute('src') !== want) {
      centre = zoomed;
      img.src = want;
    } else if (zoomed) {
      centreImage();
    }
  }
  function centreImage() {
    stage.scrollLeft = (stage.scrollWidth - stage.clientWidth) / 2;
    stage.scrollTop = (stage.scrollHeight - stage.clientHeight) / 2;
  }
  img.addEventListener('load', function () {
    if (centre && zoomed) centreImage();
    centre = false;
  });

  // Pointer events serve mouse, pen and touch alike: a horizontal swipe moves, a drag pans when zoomed,
  // a tap or click on the photo zooms, one beside it closes.
  var drag = null;
  stage.addEventListener('pointerdown', function (e) {
    if ((e.pointerType === 'mouse' && e.button !== 0) || e.target.closest('button')) return;
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, left: stage.scrollLeft, top: stage.scrollTop,
             onImage: e.target === img, moved: false };
    stage.setPointerCapture(e.pointerId);
  });
  stage.addEventListener('pointermove', function (e) {
    if (!drag || e.pointerId !== drag.id) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) > 6 || Math.abs(dy) > 6) drag.moved = true;
    if (zoomed) {
      stage.scrollLeft = drag.left - dx;
      stage.scrollTop = drag.top - dy;
    } else if (drag.moved) {
      img.style.transform = 'translateX(' + dx + 'px)';  // the photo follows the finger
    }
  });
  function endDrag(e, cancelled) {
    if (!drag || e.pointerId !== drag.id) return;
    var d = drag, dx = e.clientX - d.x, dy = e.clientY - d.y;
    drag = null;
    img.style.transform = '';
    if (cancelled) return;
    if (!zoomed && Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) show(current + (dx < 0 ? 1 : -1), 'replace');
    else if (!d.moved && d.onImage) setZoom(!zoomed);
    else if (!d.moved && !zoomed) close();
  }
  stage.addEventListener('pointerup', function (e) { endDrag(e, false); });
  stage.addEventListener('pointercancel', function (e) { endDrag(e, true); });

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.lb');
    if (!a || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    var i = -1;
    for (var k = 0; k < items.length; k++) if (items[k].digest === a.dataset.digest) i = k;
    if (i < 0) return;  // not a photo of this page's viewer: follow the link
    e.preventDefault();
    opener = a;
    show(i, box.hidden ? 'push' : 'replace');
    $('.lb-close').focus();
  });
  $('.lb-close').addEventListener('click', close);
  $('.lb-prev').addEventListener('click', function () { show(current - 1, 'replace'); });
  $('.lb-next').addEventListener('click', function () { show(current + 1, 'replace'); });
  zoomButton.addEventListener('click', function () { setZoom(!zoomed); });
  infoButton.addEventListener('click', function () {
    var hidden = box.classList.toggle('info-hidden');
    infoButton.setAttribute('aria-expanded', String(!hidden));
  });

  // Focus stays inside the open viewer: Tab and Shift+Tab cycle through its controls.
  function focusables() {
    return Array.prototype.filter.call(box.querySelectorAll('button, a[href], [tabindex]:not([tabindex="-1"])'),
                                       function (el) { return !el.disabled && el.getClientRects().length > 0; });
  }
  document.addEventListener('focusin', function (e) {
    if (!box.hidden && !box.contains(e.target)) $('.lb-close').focus();
  });
  document.addEventListener('keydown', function (e) {
    if (box.hidden || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Tab') {
      var f = focusables();
      if (!f.length) return;
      var first = f[0], last = f[f.length - 1], at = f.indexOf(document.activeElement);
      if (e.shiftKey && at <= 0) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && (at < 0 || at === f.length - 1)) { e.preventDefault(); first.focus(); }
      return;
    }
    if (e.shiftKey) return;
    if (zoomed && /^Arrow/.test(e.key)) {
      var step = 80;
      if (e.key === 'ArrowLeft') stage.scrollLeft -= step;
      else if (e.key === 'ArrowRight') stage.scrollLeft += step;
      else if (e.key === 'ArrowUp') stage.scrollTop -= step;
      else stage.scrollTop += step;
    } else if (e.key === 'Escape') {
      if (zoomed) setZoom(false);
      else close();
    } else if (e.key === 'ArrowRight') show(current + 1, 'replace');
    else if (e.key === 'ArrowLeft') show(current - 1, 'replace');
    else if (e.key === 'z' || e.key === 'Z' || e.key === '+') setZoom(!zoomed);
    else if (e.key === 'i' || e.key === 'I') infoButton.click();
    else return;
    e.preventDefault();
  });

  // Opened by its address (a shared link, a reload).
  var start = fromAddress();
  if (start >= 0) {
    opener = items[start].link;
    show(start, 'none');
    $('.lb-close').focus();
  }
})();
)JS";

const std::string_view kFavicon = R"SVG(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect
  width="32" height="32" rx="6" fill="#8c1c13"/><text x="16" y="22" font-family="Georgia,serif" font-size="16"
  font-weight="700" fill="#fff" text-anchor="middle">K</text></svg>
)SVG";

}  // namespace kho::web

// Style and script of the broadcast, dashboard and account pages (served by assets.ts as part of
// console.css, and as pages.js): the composer's phone preview and character counts as you type, the
// segment's size as you change it, a question before scheduling or cancelling, the campaign page's
// progress bar (polled every 2 s until the campaign is done or cancelled), and the dashboard reloading
// while a WhatsApp Web QR code is shown (a new code comes every 20 s or so).
export const PAGES_CSS = `
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
main:has(.composer), main:has(.chart), main:has(.facts) { max-width: 64rem; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 1rem; padding: .75rem 1rem; min-width: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
textarea, select, input[type=datetime-local] { width: 100%; font: inherit; padding: .6rem; border: 1px solid #767676; border-radius: 4px; background: #fff; }
.texts { display: grid; gap: 1rem; margin-bottom: 1rem; }
.row { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); }
label.check { font-weight: normal; display: flex; gap: .5rem; align-items: center; min-height: 44px; margin: 0; }
p.label { font-weight: 600; margin: .5rem 0 .25rem; }
.phone { margin: 0; width: 100%; max-width: 20rem; border: 10px solid #222; border-radius: 1.5rem; background: #e5ddd5; overflow: hidden; }
.phone figcaption { background: #222; color: #fff; font-size: .8rem; padding: 0 .5rem .4rem; text-align: center; }
.phone .screen { min-height: 10rem; max-height: 26rem; overflow-y: auto; padding: .75rem; }
.bubble { background: #fff; border-radius: .5rem .5rem .5rem 0; padding: .5rem .75rem; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px rgba(0, 0, 0, .15); max-width: 92%; }
.bubble.empty { color: var(--muted); font-style: italic; }
@media (min-width: 48rem) { .texts { grid-template-columns: 1fr 20rem; align-items: start; } }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0; }
button.secondary { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
button.danger { background: var(--danger); }
form.inline { display: inline-block; margin: 0 .25rem .25rem 0; }
a.button { display: inline-block; background: var(--accent); color: #fff; padding: .6rem 1rem; border-radius: 4px; text-decoration: none; }
progress { width: 100%; height: 1.5rem; accent-color: var(--accent); }
.size output { font-weight: 700; font-size: 1.25rem; }
.state { padding: .1rem .4rem; border-radius: 3px; background: #eee; white-space: nowrap; }
.state-running, .state-ready { background: #e3f1e3; }
.state-paused, .state-qr_needed, .state-linking, .state-starting { background: #fff4d6; }
.state-cancelled, .state-disconnected, .state-error, .state-logged_out { background: #fdeaea; }
.state-done { background: #eaf2fb; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.chart { margin: 1.5rem 0; }
.chart h2 { font-size: 1.1rem; margin-bottom: .5rem; }
table.bars th[scope=row] { font-weight: normal; width: 40%; }
table.bars td.bar-cell { width: 45%; vertical-align: middle; }
svg.bar { width: 100%; height: .9rem; display: block; }
svg.bar rect, svg.columns rect { fill: var(--accent); }
svg.columns { width: 100%; height: 8rem; display: block; }
svg.columns line { stroke: var(--muted); stroke-width: .3; }
.axis { display: flex; justify-content: space-between; color: var(--muted); font-size: .85rem; margin: .25rem 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.qr-box { max-width: 18rem; }
svg.qr { width: 100%; height: auto; display: block; }
input.link-box { font-family: monospace; }
@media (max-width: 30rem) {
  table.bars tr, table.compact tr { display: grid; grid-template-columns: 1fr auto; gap: .25rem .5rem; align-items: center; }
  table.bars th[scope=row] { grid-column: 1 / -1; width: auto; border: 0; padding: 0; }
  table.compact th[scope=row] { border: 0; padding: 0; }
  table.bars td::before, table.compact td::before { content: none; }
  table.bars td.bar-cell { width: auto; }
}
`;

export const PAGES_JS = `
(function () {
  'use strict';
  var lang = document.documentElement.lang === 'id' ? 'id-ID' : 'en-GB';
  var nf = new Intl.NumberFormat(lang);

  // The composer: each text shown in its phone preview, and counted, as it is typed.
  Array.prototype.forEach.call(document.querySelectorAll('textarea[data-preview]'), function (ta) {
    var out = document.getElementById(ta.getAttribute('data-preview'));
    var counter = document.getElementById(ta.getAttribute('data-counter'));
    var update = function () {
      if (out) { out.textContent = ta.value || out.getAttribute('data-empty') || ''; out.classList.toggle('empty', !ta.value); }
      if (counter && counter.getAttribute('data-template')) counter.textContent = counter.getAttribute('data-template').replace('{n}', nf.format(ta.value.length));
    };
    ta.addEventListener('input', update);
    update();
  });

  // The segment's size, asked again as the segment changes (the latest answer wins).
  var seg = document.getElementById('segment');
  var form = document.getElementById('composer');
  if (seg && form) {
    var size = document.getElementById('segment-size');
    var timer = 0, asked = 0;
    var ask = function () {
      var q = new URLSearchParams();
      ['segment_lang', 'channel', 'region', 'destination'].forEach(function (n) { var el = form.elements[n]; if (el && el.value) q.append(n, el.value); });
      Array.prototype.forEach.call(form.querySelectorAll('input[name=topic]:checked'), function (el) { q.append('topic', el.value); });
      var mine = ++asked;
      fetch(seg.getAttribute('data-size-url') + '?' + q.toString(), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (mine === asked) size.textContent = j ? nf.format(j.total) : '–'; })
        .catch(function () { if (mine === asked) size.textContent = '–'; });
    };
    var soon = function (ms) { return function () { clearTimeout(timer); timer = setTimeout(ask, ms); }; };
    seg.addEventListener('input', soon(300));
    seg.addEventListener('change', soon(50));
  }

  // Scheduling and cancelling ask first.
  document.addEventListener('submit', function (e) {
    var b = e.submitter;
    var q = (b && b.getAttribute('data-confirm')) || e.target.getAttribute('data-confirm');
    if (q && !window.confirm(q)) e.preventDefault();
  });

  // A campaign's progress, polled until it is done or cancelled.
  var box = document.querySelector('[data-progress-url]');
  if (box) {
    var bar = document.getElementById('progress');
    var text = document.getElementById('progress-text');
    var state = document.getElementById('campaign-state');
    var labels = JSON.parse(state.getAttribute('data-labels') || '{}');
    var poll = function () {
      fetch(box.getAttribute('data-progress-url'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (p) {
          bar.max = Math.max(1, p.total);
          bar.value = p.done;
          bar.textContent = p.done + ' / ' + p.total;
          text.textContent = text.getAttribute('data-template').replace('{done}', nf.format(p.done)).replace('{total}', nf.format(p.total));
          if (state.textContent !== (labels[p.state] || p.state)) { state.textContent = labels[p.state] || p.state; state.className = 'state state-' + p.state; }
          Object.keys(p.counts).forEach(function (k) { var el = document.querySelector('[data-count="' + k + '"]'); if (el) el.textContent = nf.format(p.counts[k]); });
          if (p.state === 'done' || p.state === 'cancelled') { var a = document.querySelector('.actions'); if (a) a.remove(); }
          else setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  // The dashboard while a QR code is shown: a fresh one.
  var qr = document.querySelector('[data-refresh]');
  if (qr) setTimeout(function () { location.reload(); }, Number(qr.getAttribute('data-refresh')) * 1000);
})();
`;

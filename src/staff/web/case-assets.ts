// The hotline pages' style rules (appended to console.css) and the queue page's script (queue.js),
// served by assets.ts: the Content Security Policy allows no inline script or style.

export const CASE_CSS = `
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.toolbar { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: flex-end; justify-content: space-between; margin-bottom: .5rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
.case select, .case textarea, form.filters select { font: inherit; padding: .55rem; border: 1px solid #767676; border-radius: 4px; width: 100%; max-width: 100%; background: var(--bg); color: var(--fg); min-height: 44px; }
.case textarea { min-height: 7rem; resize: vertical; }
.case fieldset { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .75rem; margin: 0; min-width: 0; }
.case legend { font-weight: 600; padding: 0 .25rem; }
label.choice { display: flex; gap: .5rem; align-items: center; font-weight: normal; min-height: 44px; margin: 0; }
label.choice input { width: 1.25rem; height: 1.25rem; margin: 0; }
button.danger { background: var(--danger); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; border: 1px solid var(--line); font-size: .875rem; }
.badge.urgent { background: var(--danger); border-color: var(--danger); color: #fff; font-weight: 600; }
table.queue tr.urgent th { box-shadow: inset 4px 0 0 var(--danger); padding-left: .75rem; }
dl.fields { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .25rem 1rem; margin: 0; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
ol.notes, ol.history { padding: 0; list-style: none; }
ol.notes li { border-left: 4px solid var(--line); padding: .25rem .75rem; margin-bottom: .75rem; }
ol.notes li.family { border-left-color: var(--accent); }
ol.notes p { margin: .25rem 0; }
.note-text { white-space: pre-wrap; overflow-wrap: anywhere; }
ol.history li { padding: .2rem 0; }
.case-actions { display: grid; gap: 1rem; margin-top: 1rem; }
.case-actions .case-action { max-width: none; border: 1px solid var(--line); border-radius: 4px; padding: .75rem 1rem 1rem; }
.case-actions h3 { margin: 0; font-size: 1.1rem; }
.case-actions .muted { margin: .25rem 0 0; }
.case section { margin-bottom: 1.5rem; }
form.interview { display: grid; gap: .75rem; border: 1px solid var(--line); border-radius: 4px; padding: .75rem 1rem 1rem; }
form.interview h3 { margin: 0; font-size: 1.1rem; }
.case fieldset.indicator { border: 0; border-bottom: 1px solid var(--line); border-radius: 0; padding: .25rem 0 .5rem; }
.case fieldset.indicator legend { font-weight: normal; padding: 0; }
.answers { display: flex; flex-wrap: wrap; gap: 0 1.25rem; }
.case .row { display: grid; gap: .75rem 1rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
.result { border-left: 4px solid var(--line); padding: .1rem .75rem; margin-bottom: .75rem; }
.result.indicated { border-left-color: var(--danger); }
ul.duplicates, ul.downloads { padding-left: 1.25rem; }
ul.duplicates li { margin-bottom: .75rem; }
ul.duplicates p { margin: .2rem 0; }
@media (min-width: 60rem) { main:has(table.queue), main:has(.case) { max-width: 64rem; } .case-actions { grid-template-columns: 1fr 1fr; align-items: start; } }
@media (max-width: 30rem) { dl.fields { grid-template-columns: 1fr; } dl.fields dd { margin-bottom: .5rem; } table.queue tr.urgent th { box-shadow: none; padding-left: 0; } table.queue tr.urgent { box-shadow: inset 4px 0 0 var(--danger); padding-left: .75rem; } }
`;

// The queue page reads itself again every data-refresh seconds while it is visible (and when it
// becomes visible again) and swaps in the new rows and count: a new case appears without reloading.
// Keyboard focus on a case's link stays on that case's link. A session that ended stops it. Its
// requests say X-Queue-Refresh: 1 (the server audits the page's opening, not each refresh).
export const QUEUE_JS = `
(function () {
  'use strict';
  var rows = document.getElementById('queue-rows');
  var status = document.getElementById('queue-status');
  if (!rows || !window.fetch || !window.DOMParser) return;
  var every = Math.max(2, Number(rows.getAttribute('data-refresh')) || 10) * 1000;
  var busy = false;
  var stopped = false;
  var timer = null;
  function refresh() {
    if (busy || stopped || document.hidden) return;
    busy = true;
    fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html', 'X-Queue-Refresh': '1' } })
      .then(function (r) {
        if (r.redirected && r.url.indexOf('/staff/sign-in') >= 0) { stopped = true; clearInterval(timer); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('queue-rows');
        var count = doc.getElementById('queue-status');
        if (fresh && fresh.innerHTML !== rows.innerHTML) {
          var focused = document.activeElement && rows.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
          rows.innerHTML = fresh.innerHTML;
          if (focused) {
            var again = rows.querySelector('a[href="' + focused.replace(/"/g, '') + '"]');
            if (again) again.focus();
          }
        }
        if (count && status && count.textContent !== status.textContent) status.textContent = count.textContent;
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  timer = setInterval(refresh, every);
  document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh(); });
})();
`;

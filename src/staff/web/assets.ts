// The console's style sheet and its little script, served as files from /staff/assets/ (the Content
// Security Policy allows no inline script or style). Kept here as text: no front-end build step, and
// the build copies nothing more than the compiled code.
import { createHash } from 'node:crypto';
import { CASE_CSS, QUEUE_JS } from './case-assets.js';
import { PAGES_CSS, PAGES_JS } from './page-assets.js';

const CSS = `
:root { --fg: #1b1b1b; --bg: #fff; --muted: #555; --accent: #0b5cad; --danger: #a30000; --line: #ccc; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font-size: 1rem; }
.skip { position: absolute; left: -999px; top: 0; background: var(--fg); color: var(--bg); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 0; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 600; }
header nav { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
form.stack { display: grid; gap: .75rem; max-width: 24rem; }
label { font-weight: 600; display: block; margin-bottom: .25rem; }
input[type=text], input[type=password] { width: 100%; font: inherit; padding: .6rem; border: 1px solid #767676; border-radius: 4px; }
button { font: inherit; padding: .6rem 1rem; border: 0; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; min-height: 44px; }
button.link { background: none; color: var(--accent); text-decoration: underline; padding: 0; min-height: 0; }
.alert { border-left: 4px solid var(--danger); background: #fdeaea; padding: .75rem 1rem; margin: 0 0 1rem; }
.note { border-left: 4px solid var(--accent); background: #eaf2fb; padding: .75rem 1rem; margin: 0 0 1rem; }
.muted { color: var(--muted); }
ul.sections { list-style: none; padding: 0; display: grid; gap: .5rem; }
ul.sections li { border: 1px solid var(--line); border-radius: 4px; padding: .75rem 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
@media (max-width: 30rem) { table, thead, tbody, tr, th, td { display: block; } thead { position: absolute; left: -999px; } tr { border-bottom: 1px solid var(--line); padding: .5rem 0; } td { border: 0; padding: .1rem 0; } td::before { content: attr(data-label) ": "; font-weight: 600; } }
`;

// Forms carry their CSRF token in a hidden field; script that posts with fetch sends it as X-CSRF-Token
// (waspadaPost). The welcome form's two passwords are compared before it is sent.
const JS = `
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  window.waspadaPost = function (url, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': meta ? meta.content : '' }, body: JSON.stringify(body || {}) });
  };
  var again = document.getElementById('password-again');
  if (again) {
    var first = document.getElementById('password');
    var check = function () { again.setCustomValidity(again.value && again.value !== first.value ? again.getAttribute('data-mismatch') || 'mismatch' : ''); };
    first.addEventListener('input', check);
    again.addEventListener('input', check);
  }
})();
`;

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const asset = (text: string, type: string): Asset => {
  const body = Buffer.from(text.trim() + '\n');
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
};

export const ASSETS: Record<string, Asset> = {
  'console.css': asset(CSS + CASE_CSS + PAGES_CSS, 'text/css; charset=utf-8'),
  'console.js': asset(JS, 'text/javascript; charset=utf-8'),
  'queue.js': asset(QUEUE_JS, 'text/javascript; charset=utf-8'),
  'pages.js': asset(PAGES_JS, 'text/javascript; charset=utf-8'),
};

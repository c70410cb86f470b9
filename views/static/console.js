// Herald console: small progressive enhancements. Every page works without this file.
'use strict';

// On narrow screens the main menu collapses behind its button (without JavaScript it stays open,
// wrapped under the brand).
const menuButton = document.querySelector('.menu-toggle');
const menu = document.getElementById('menu');
if (menuButton && menu) {
  menuButton.closest('.topbar').classList.add('collapsible');
  menuButton.addEventListener('click', () => {
    const open = menuButton.getAttribute('aria-expanded') !== 'true';
    menuButton.setAttribute('aria-expanded', String(open));
    menu.classList.toggle('open', open);
  });
}

// Forms with data-confirm ask before submitting (password resets and the like).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A page waiting for work in the background (an analysis) reloads itself; without JavaScript its
// <noscript> refresh does the same.
const waiting = document.querySelector('[data-reload-after]');
if (waiting) setTimeout(() => window.location.reload(), 1000 * Number(waiting.dataset.reloadAfter));

// An import job page polls its status and updates the counters; the finished page is reloaded once.
const job = document.getElementById('import-job');
if (job && job.dataset.status === 'running') {
  const numbers = new Intl.NumberFormat(document.documentElement.lang || 'en');
  const set = (field, value) => {
    const el = job.querySelector(`[data-field="${field}"]`);
    if (el) el.textContent = numbers.format(value);
  };
  const poll = async () => {
    try {
      const res = await fetch(job.dataset.statusUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      const s = await res.json();
      for (const field of ['rows', 'inserted', 'updated', 'rejected']) set(field, s[field]);
      const bar = job.querySelector('[data-field="progress"]');
      if (bar && s.totalBytes > 0) bar.value = Math.min(100, Math.round((100 * s.bytes) / s.totalBytes));
      if (s.status !== 'running') return window.location.reload();
    } catch {
      // keep polling: the server may be busy with the import itself
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
}

// A delivery dashboard follows its progress over server-sent events (without JavaScript the page
// refreshes itself). The stream ends when the delivery is no longer live; a change of state
// reloads the page once so that its buttons match the new state.
const dashboard = document.getElementById('delivery-progress');
if (dashboard && dashboard.dataset.live === '1' && 'EventSource' in window) {
  const numbers = new Intl.NumberFormat(document.documentElement.lang || 'en');
  const field = (name) => dashboard.querySelector(`[data-field="${name}"]`);
  const initialState = field('stateLabel') && field('stateLabel').className;
  const source = new EventSource(dashboard.dataset.progressUrl);
  source.onmessage = (event) => {
    const p = JSON.parse(event.data);
    if (!p) return source.close();
    for (const name of ['toDeliver', 'processed', 'sent', 'failed', 'newQuarantine', 'pending']) field(name).textContent = numbers.format(p[name]);
    field('perMinute').textContent = p.perMinute === null ? '–' : numbers.format(p.perMinute);
    field('percent').value = p.percent;
    field('stateLabel').textContent = p.stateLabel;
    const rows = field('failures');
    rows.replaceChildren(...p.failures.map((f) => {
      const tr = document.createElement('tr');
      const label = document.createElement('td');
      const count = document.createElement('td');
      label.textContent = f.label;
      count.textContent = numbers.format(f.messages);
      count.className = 'num';
      tr.append(label, count);
      return tr;
    }));
    dashboard.querySelector('[data-empty="failures"]').hidden = p.failures.length > 0;
    if (!p.live) source.close();
    if (`state-${p.state}` !== initialState) window.location.reload();
  };
}

// Audience forms (segments, bulk actions) show how many recipients their filter matches while it is
// edited; without JavaScript their Count button does the same.
for (const form of document.querySelectorAll('form[data-live-count]')) {
  const output = form.querySelector('#live-count');
  if (!output) continue;
  let timer;
  const refresh = async () => {
    const query = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (key !== '_csrf' && key !== 'intent' && typeof value === 'string') query.append(key, value);
    try {
      const res = await fetch(`${output.dataset.countUrl}?${query}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return;
      const answer = await res.json();
      output.textContent = answer.error === undefined ? answer.text : answer.error;
    } catch {
      // the count comes back with the next change
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
}

// The personalization field picker inserts its expression where the cursor is in the content field.
for (const picker of document.querySelectorAll('[data-picker-for]')) {
  const field = document.getElementById(picker.dataset.pickerFor);
  if (!field) continue;
  const insert = (value) => {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(value, start, end, 'end');
    field.focus();
  };
  picker.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button) return;
    if (button.dataset.insert) insert(button.dataset.insert);
    if (button.classList.contains('picker-custom-insert')) {
      const name = picker.querySelector('.picker-custom-name');
      if (name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name.value)) insert(`<%= recipient.fields.${name.value} %>`);
      else if (name) name.reportValidity();
    }
  });
}

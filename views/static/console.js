// Herald console: small progressive enhancements. Every page works without this file.
'use strict';

// Forms with data-confirm ask before submitting (password resets and the like).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

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

/**
 * The two scripts of web push subscription, served from the site's own origin (the CSP allows
 * only 'self'): the service worker shows a notification from its decrypted JSON payload
 * ({ title, body, url, icon, image }) and opens its page on click; the page script registers the worker,
 * subscribes with the VAPID public key and posts the subscription with the page's form token.
 */

export const PUSH_SERVICE_WORKER = `'use strict';
self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data ? event.data.text() : '' }; }
  const options = { body: data.body || '', data: { url: data.url || null } };
  if (data.icon) options.icon = data.icon;
  if (data.image) options.image = data.image;
  event.waitUntil(self.registration.showNotification(data.title || '', options));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  if (url) event.waitUntil(self.clients.openWindow(url));
});
`;

export const PUSH_PAGE_SCRIPT = `'use strict';
(function () {
  const form = document.getElementById('push-subscribe');
  if (!form) return;
  const status = document.getElementById('push-status');
  const say = (key) => { status.textContent = form.dataset[key] || ''; };
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) { say('unsupported'); form.querySelector('button').disabled = true; return; }
  const key = (b64) => { const s = atob(b64.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64.length % 4)) % 4)); return Uint8Array.from(s, (c) => c.charCodeAt(0)); };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const registration = await navigator.serviceWorker.register('/push/sw.js', { scope: '/push/' });
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(form.dataset.key) });
      const json = subscription.toJSON();
      const body = new URLSearchParams({ endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth });
      const token = form.querySelector('input[type=hidden]');
      body.set(token.name, token.value);
      const res = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin' });
      say(res.ok ? 'done' : 'failed');
    } catch (e) {
      say('failed');
    }
  });
})();
`;

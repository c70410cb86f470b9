import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The language of the request being answered. The console's routes and the public pages call one
 * shared translator (`deps.t`) from many places (routes, report builders, error pages); rather than
 * threading a language through each, the web app's middleware runs every request inside a scope
 * holding its language (the operator's preference, the recipient's, or the browser's
 * Accept-Language), and the translator reads it here. Outside any request: English.
 */
const scope = new AsyncLocalStorage<{ language: string }>();

export function currentLanguage(): string {
  return scope.getStore()?.language ?? 'en';
}

/** Runs `fn` (and everything it awaits) in `language`. */
export function inLanguage<T>(language: string, fn: () => T): T {
  return scope.run({ language }, fn);
}

// Loads undici (undici.cjs next to this file) on first use: it is ~0.4 MB that
// @actions/http-client imports at load for a proxy dispatcher most steps never use.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
let undici;
const load = () => (undici ??= require('./undici.cjs'));
export class ProxyAgent {
  constructor(...args) {
    return new (load().ProxyAgent)(...args);
  }
}
export function fetch(...args) {
  return load().fetch(...args);
}

// The workbench's only door to the server: the service's JSON API with the session cookie and,
// on writes, the session's CSRF token.  Failures become ApiError (problem+json fields kept).
const CSRF = 'corridor.csrf';

export class ApiError extends Error {
  constructor({ status = 0, type = '', title = '', detail = '', errors = null, problems = null, offline = false }) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.slug = type ? type.split('/').pop() : offline ? 'offline' : '';
    this.title = title;
    this.detail = detail;
    this.errors = errors || problems; // the service's problem+json lists them as `problems`
    this.offline = offline;
  }
}

// An error whose message is already in the user's language (a check the page made itself).
export class UserError extends Error {}

export function setCsrf(token) {
  try { token ? sessionStorage.setItem(CSRF, token) : sessionStorage.removeItem(CSRF); } catch (_) { /* ignore */ }
}
function csrf() { try { return sessionStorage.getItem(CSRF) || ''; } catch (_) { return ''; } }

export async function request(method, path, body = undefined, { raw = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf();
  if (body !== undefined) {
    if (typeof body === 'string') {
      headers['Content-Type'] = 'application/yaml';
      init.body = body;
    } else {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (_) {
    throw new ApiError({ offline: true, detail: 'no connection to the server' });
  }
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  if (!res.ok) {
    let problem = { status: res.status, title: res.statusText };
    if (type.includes('json')) {
      try { problem = { ...problem, ...(await res.json()) }; } catch (_) { /* keep status */ }
    }
    if (res.status === 503 && !problem.type) problem.offline = true;
    throw new ApiError(problem);
  }
  if (raw) return res;
  return type.includes('json') ? res.json() : res.text();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body ?? {});
export const del = (path) => request('DELETE', path);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

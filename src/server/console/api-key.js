// The API key a visitor typed, shared by the console and docs pages (same origin). It lives
// in sessionStorage: gone when the tab closes, never sent anywhere but this server's API as
// "Authorization: Bearer <key>".
const STORAGE_KEY = 'idem.apiKey';

/** The stored key, or '' when none. */
export function apiKey() {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Headers that authenticate a fetch, when a key is set. */
export function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Render the key form into `host`; `onChange` runs after the key is saved or cleared. */
export function mountKeyForm(host, onChange) {
  const form = document.createElement('form');
  form.className = 'key-form';
  const label = document.createElement('label');
  label.textContent = 'API key ';
  const input = document.createElement('input');
  input.type = 'password';
  input.autocomplete = 'off';
  input.placeholder = 'not needed when the server runs open';
  input.value = apiKey();
  input.id = 'api-key';
  label.append(input);
  const save = document.createElement('button');
  save.type = 'submit';
  save.textContent = 'Use key';
  form.append(label, save);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      if (input.value) sessionStorage.setItem(STORAGE_KEY, input.value.trim());
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage disabled: the key lasts until the page reloads
    }
    onChange();
  });
  host.replaceChildren(form);
}

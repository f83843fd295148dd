// The console page: resource types with counts, a resource's history with a diff between two
// versions, and recent idempotency keys. Data comes from the admin endpoints under /_idem/
// and the API itself, with the API key from the form. Everything is rendered with
// textContent: data is never interpreted as HTML.
import { authHeaders, mountKeyForm } from './api-key.js';
import { diffJson } from './diff.js';

const $ = (selector) => document.querySelector(selector);

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

function show(message, isError = false) {
  const status = $('#status');
  status.textContent = message;
  status.className = isError ? 'error' : '';
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json', ...authHeaders() } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && typeof body.detail === 'string' ? body.detail : response.statusText;
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

function formatJson(value) {
  return value === undefined ? '' : JSON.stringify(value);
}

async function loadResources() {
  const { items } = await getJson('/_idem/resources');
  const rows = items.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.type = r.name;
    const name = document.createElement('td');
    const link = document.createElement('a');
    link.href = `#${encodeURIComponent(r.name)}`;
    link.textContent = r.name;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      browse(r.name).catch((error) => show(error.message, true));
    });
    name.append(link);
    const rules = [r.requirePreconditions ? 'If-Match required' : '', r.requireIdempotencyKey ? 'Idempotency-Key required on POST' : '', ...(r.effects ?? []).map((e) => `effect: ${e}`)];
    tr.append(name, cell(String(r.count), 'count'), cell(r.idPolicy), cell(rules.filter(Boolean).join('; ')));
    return tr;
  });
  $('#resources tbody').replaceChildren(...rows);
}

async function browse(type) {
  const page = await getJson(`/${encodeURIComponent(type)}?limit=50`);
  $('#browse').hidden = false;
  $('#browse-type').textContent = type;
  const items = page.items.map((doc) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `${doc.id} (v${doc.version})`;
    button.addEventListener('click', () => openHistory(type, doc.id).catch((error) => show(error.message, true)));
    li.append(button);
    return li;
  });
  $('#ids').replaceChildren(...items);
}

let versions = [];

async function openHistory(type, id) {
  $('#history-type').value = type;
  $('#history-id').value = id;
  const { items } = await getJson(`/_idem/resources/${encodeURIComponent(type)}/${encodeURIComponent(id)}/versions`);
  versions = items;
  $('#history-target').textContent = `${type}/${id}`;
  const rows = items.map((v, i) => {
    const tr = document.createElement('tr');
    tr.dataset.version = String(v.version);
    const pick = document.createElement('td');
    for (const side of ['from', 'to']) {
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = side;
      radio.value = String(v.version);
      radio.title = side === 'from' ? 'compare from this version' : 'compare to this version';
      radio.checked = side === 'to' ? i === 0 : i === 1;
      radio.addEventListener('change', renderDiff);
      pick.append(radio);
    }
    tr.append(pick, cell(String(v.version)), cell(v.change), cell(v.at), cell(v.principal), cell(`${v.method ?? ''} ${v.requestId ?? ''}`), cell(v.idempotencyKey ?? ''));
    return tr;
  });
  $('#versions tbody').replaceChildren(...rows);
  renderDiff();
  show(`${items.length} version(s) of ${type}/${id}.`);
}

function renderDiff() {
  const from = Number(document.querySelector('input[name="from"]:checked')?.value);
  const to = Number(document.querySelector('input[name="to"]:checked')?.value);
  const before = versions.find((v) => v.version === from);
  const after = versions.find((v) => v.version === to);
  if (!after) {
    $('#diff tbody').replaceChildren();
    $('#diff-title').textContent = '';
    return;
  }
  $('#diff-title').textContent = before ? `v${before.version} → v${after.version}` : `(nothing) → v${after.version}`;
  const changes = diffJson(before?.document ?? undefined, after.document ?? undefined);
  const rows = changes.map((c) => {
    const tr = document.createElement('tr');
    tr.className = c.change;
    tr.append(cell(c.pointer), cell(c.change), cell(formatJson(c.before), 'before'), cell(formatJson(c.after), 'after'));
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('no differences');
    td.colSpan = 4;
    tr.append(td);
    rows.push(tr);
  }
  $('#diff tbody').replaceChildren(...rows);
}

async function loadKeys() {
  const { items } = await getJson('/_idem/idempotency?limit=50');
  const rows = items.map((k) => {
    const tr = document.createElement('tr');
    tr.className = `state-${k.state}`;
    tr.append(cell(k.createdAt), cell(k.principal), cell(k.key), cell(k.outcome), cell(k.status === null ? '' : String(k.status)), cell(k.expiresAt));
    return tr;
  });
  $('#keys tbody').replaceChildren(...rows);
}

async function refresh() {
  show('Loading…');
  try {
    await Promise.all([loadResources(), loadKeys()]);
    show('Up to date.');
  } catch (error) {
    show(`${error.message}${/^40[13]/.test(error.message) ? ' — enter an API key with the admin role above.' : ''}`, true);
  }
}

$('#history-form').addEventListener('submit', (event) => {
  event.preventDefault();
  openHistory($('#history-type').value.trim(), $('#history-id').value.trim()).catch((error) => show(error.message, true));
});
mountKeyForm($('#key'), refresh);
refresh();

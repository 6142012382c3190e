// The CKI dashboard: reads only the HTTP API, builds every element with the DOM (run data never becomes markup),
// and refreshes while the runs it shows are live. No framework, no build step.
'use strict';

const token = document.querySelector('meta[name="cki-api-token"]')?.content ?? '';
const functionKey = new URLSearchParams(location.search).get('code'); // the Functions app's key, when the page was opened with one
const live = new Set(['Running', 'Pending', 'Suspended']);
// The models' colours: the same list as ModelColours in the contracts (the PNG plots use it).
const modelColors = ['#2e6fdb', '#e07b1a', '#2f9e5a', '#a23fbf', '#c9372c', '#138a96', '#8a6d1f', '#5a5f6b'];
const outcomeColors = { succeeded: '#3d9a5f', failed: '#c9372c', retried: '#e0a21a', running: '#4a86e8', stopped: '#98a2b3', 'not started': '#d9dee7' };
const pageSize = 50;
let timer = null;

// A URL of the API with query parameters (empty ones left out) and the function key when there is one.
function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  if (functionKey) query.set('code', functionKey);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function api(path, params, method = 'GET') {
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const response = await fetch(apiUrl(path, params), { method, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

// el('td', { class: 'x' }, 'text', child): text children become text nodes, so run data is never parsed as HTML.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  return fill(node, attributes, children);
}

function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS('http://www.w3.org/2000/svg', tag), attributes, children);
}

function fill(node, attributes, children) {
  for (const [k, v] of Object.entries(attributes)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

const say = text => { document.getElementById('message').textContent = text; };
const seconds = (from, to) => (new Date(to) - new Date(from)) / 1000;
const duration = s => s === null || s === undefined || isNaN(s) ? '' : s < 90 ? `${s.toFixed(1)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
const when = t => t ? new Date(t).toLocaleString() : '';
const figure = v => typeof v === 'number' ? v.toFixed(4) : '';

function schedule(refresh, again) {
  clearTimeout(timer);
  if (again) timer = setTimeout(() => refresh().catch(e => say(e.message)), 2000);
}

// ---- the runs list ---------------------------------------------------------------------------------------------

const filters = { family: '', status: '', from: '', to: '' };
let offset = 0;

function filterForm(refresh) {
  const family = el('input', { name: 'family', value: filters.family, placeholder: 'any' });
  const status = el('select', { name: 'status' }, ['', 'Running', 'Pending', 'Completed', 'Failed', 'Terminated'].map(s => {
    const option = el('option', { value: s }, s || 'any');
    option.selected = s === filters.status;
    return option;
  }));
  const from = el('input', { name: 'from', type: 'date', value: filters.from });
  const to = el('input', { name: 'to', type: 'date', value: filters.to });
  const form = el('form', { class: 'filters' },
    el('label', {}, 'family', family), el('label', {}, 'status', status), el('label', {}, 'started from', from), el('label', {}, 'to', to),
    el('button', { type: 'submit' }, 'filter'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    Object.assign(filters, { family: family.value.trim(), status: status.value, from: from.value, to: to.value });
    offset = 0;
    refresh().catch(e => say(e.message));
  });
  return form;
}

function headline(h) {
  if (!h) return '';
  const text = `${h.metric} ${figure(h.integrated)}`;
  if (h.bestInput === null || h.bestInput === undefined) return text;
  const better = h.higherIsBetter ? h.integrated > h.bestInput : h.integrated < h.bestInput;
  return el('span', { class: better ? 'better' : 'worse', title: `best input on validation: ${h.bestInputTarget}` },
    `${text} vs ${figure(h.bestInput)} (${h.bestInputTarget})`);
}

// What an ended run did for the family's served model: published which candidate, held, or superseded.
function served(r) {
  if (r.outcome === 'completed') return `published ${r.published ?? 'integrated'}`;
  if (r.outcome === 'held') return 'held (kept the published model)';
  if (r.outcome === 'superseded') return 'superseded (never published)';
  return null;
}

function runRow(r) {
  const p = r.progress || {};
  const done = p.jobsDone ?? 0, total = p.jobsTotal ?? 0;
  const end = live.has(r.status) ? new Date().toISOString() : r.lastUpdatedAt;
  return el('tr', { class: 'run', 'data-run': r.runId, 'data-status': r.status },
    el('td', {}, el('a', { href: '#/runs/' + encodeURIComponent(r.runId) }, r.runId)),
    el('td', {}, r.family),
    el('td', { class: 'status-' + r.status }, r.status),
    el('td', {}, when(r.createdAt)),
    el('td', { class: 'number' }, duration(seconds(r.createdAt, end))),
    el('td', { class: 'outcome' }, served(r) ?? p.phase ?? ''),
    el('td', { class: 'progress' }, el('progress', { max: Math.max(total, 1), value: done }), ` ${done}/${total}`),
    el('td', {}, headline(r.headline)),
    el('td', { class: 'outcome-failed' }, r.error ?? ''));
}

async function showList(view) {
  const body = el('tbody');
  const newer = el('button', { id: 'newer', type: 'button' }, '\u2190 newer runs');
  const older = el('button', { id: 'older', type: 'button' }, 'older runs \u2192');
  const where = el('span', { class: 'muted', id: 'page' });
  const refresh = async () => {
    const toDay = filters.to ? new Date(new Date(filters.to).getTime() + 86400000).toISOString() : '';
    // One page, and one run more to know whether there is an older page.
    const runs = await api('/api/runs', { family: filters.family, status: filters.status, from: filters.from, to: toDay, offset: String(offset), limit: String(pageSize + 1) });
    const shown = runs.slice(0, pageSize);
    body.replaceChildren(...shown.map(runRow));
    if (shown.length === 0) body.append(el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'no runs')));
    newer.disabled = offset === 0;
    older.disabled = runs.length <= pageSize;
    where.textContent = shown.length ? ` runs ${offset + 1} to ${offset + shown.length}, newest first ` : '';
    say('');
    schedule(refresh, location.hash === '' || location.hash === '#/' ? shown.some(r => live.has(r.status)) : false);
  };
  newer.addEventListener('click', () => { offset = Math.max(0, offset - pageSize); refresh().catch(e => say(e.message)); });
  older.addEventListener('click', () => { offset += pageSize; refresh().catch(e => say(e.message)); });
  view.replaceChildren(el('h2', {}, 'Runs'), filterForm(refresh),
    el('table', { id: 'runs' }, el('thead', {}, el('tr', {}, ['run', 'family', 'status', 'started', 'duration', 'phase / served', 'jobs', 'integrated vs best input (test)', 'reason']
      .map(h => el('th', {}, h)))), body),
    el('p', { class: 'pager' }, newer, where, older));
  await refresh();
}

// ---- a run -----------------------------------------------------------------------------------------------------

// The timeline as an SVG Gantt chart: one band per phase, one bar per step run or job attempt under it.
function timelineChart(timeline) {
  const entries = timeline.entries;
  if (entries.length === 0) {
    return el('p', { class: 'muted' }, live.has(timeline.status) || !timeline.status ? 'no steps yet'
      : 'this host served no orchestration history for the run (the job table below comes from the job results)');
  }
  const start = new Date(timeline.started ?? entries[0].scheduled).getTime();
  const stop = Math.max(...entries.map(e => new Date(e.ended ?? e.started ?? e.scheduled).getTime()),
    new Date(timeline.ended ?? (live.has(timeline.status) ? Date.now() : 0)).getTime(), start + 1000);
  const phases = [];
  for (const e of entries) {
    let phase = phases.find(p => p.name === e.phase);
    if (!phase) phases.push(phase = { name: e.phase, entries: [] });
    phase.entries.push(e);
  }
  const label = 210, width = 980, row = 16, plot = width - label - 20;
  const x = t => label + ((new Date(t).getTime() - start) / (stop - start)) * plot;
  const rows = phases.reduce((n, p) => n + 1 + p.entries.length, 0);
  const height = 30 + rows * row;
  const chart = svg('svg', { class: 'timeline', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'timeline of the run' });
  const total = (stop - start) / 1000;
  for (let i = 0; i <= 5; i++) {
    const tx = label + (plot * i) / 5;
    chart.append(svg('line', { x1: tx, x2: tx, y1: 18, y2: height, class: 'grid' }),
      svg('text', { x: tx, y: 12, 'text-anchor': i === 0 ? 'start' : i === 5 ? 'end' : 'middle' }, duration(total * i / 5) || '0 s'));
  }
  let y = 22;
  for (const phase of phases) {
    const from = Math.min(...phase.entries.map(e => new Date(e.scheduled).getTime()));
    const to = Math.max(...phase.entries.map(e => new Date(e.ended ?? stop).getTime()));
    chart.append(svg('text', { x: 4, y: y + 11, class: 'phase-label' }, phase.name),
      svg('rect', { x: x(from), y: y + 2, width: Math.max(2, x(to) - x(from)), height: row - 4, fill: '#c7d2e3', 'data-phase': phase.name }));
    y += row;
    for (const e of phase.entries) {
      const begin = e.started ?? e.scheduled, end = e.ended ?? new Date(stop).toISOString();
      const title = `${e.name} attempt ${e.attempt}: ${e.outcome}; scheduled ${when(e.scheduled)}, started ${when(e.started)}, ended ${when(e.ended)}` + (e.reason ? `\n${e.reason}` : '');
      const bar = svg('g', { class: 'entry', 'data-name': e.name, 'data-attempt': e.attempt, 'data-outcome': e.outcome },
        svg('title', {}, title),
        svg('text', { x: 16, y: y + 11 }, e.attempt > 1 ? `${e.name} #${e.attempt}` : e.name),
        // The wait between scheduling and the start (queued), then the work itself.
        svg('rect', { x: x(e.scheduled), y: y + 6, width: Math.max(1, x(begin) - x(e.scheduled)), height: 3, fill: '#98a2b3' }),
        svg('rect', { x: x(begin), y: y + 2, width: Math.max(2, x(end) - x(begin)), height: row - 4, fill: outcomeColors[e.outcome] ?? '#98a2b3' }));
      chart.append(bar);
      y += row;
    }
  }
  return chart;
}

function jobTable(timeline, detail) {
  const results = new Map((detail.jobs || []).map(j => [j.jobId, j]));
  // Without an orchestration history (a host that serves none), the job results alone: one row per job's last attempt.
  const history = timeline.entries.filter(e => e.kind !== 'step');
  const jobs = history.length > 0 ? history
    : [...results.values()].map(j => ({ name: j.jobId, kind: j.kind, attempt: '', outcome: j.succeeded ? 'succeeded' : 'failed' }));
  if (jobs.length === 0) return el('p', { class: 'muted' }, 'no jobs');
  return el('table', { id: 'jobs' }, el('thead', {}, el('tr', {}, ['job', 'kind', 'attempt', 'duration', 'result'].map(h => el('th', {}, h)))),
    el('tbody', {}, jobs.map(e => {
      const result = results.get(e.name);
      const reason = e.reason ?? (e.outcome === 'failed' ? result?.error : null);
      const took = e.outcome === 'succeeded' && result ? result.seconds : e.started && e.ended ? seconds(e.started, e.ended) : null;
      return el('tr', { 'data-job': e.name },
        el('td', {}, e.name), el('td', {}, e.kind), el('td', { class: 'number' }, e.attempt), el('td', { class: 'number' }, duration(took)),
        el('td', { class: 'outcome-' + e.outcome }, e.outcome, reason ? `: ${reason}` : ''));
    })));
}

// A failure reason in plain words: what failed first, then the details as the run recorded them.
function errorBox(error) {
  const job = /^job (\S+) \((\w+)\) (failed|gave no result after \d+ attempt\(s\)): ?/.exec(error);
  const lead = job ? `The ${job[2]} job ${job[1]} ${job[3].startsWith('failed') ? 'reported a failure' : job[3]}.` : 'The run stopped:';
  return el('div', { class: 'error-box', id: 'error' }, el('strong', {}, lead), job ? error.slice(job[0].length) : error);
}

// Who terminated the run, when and why (the run's terminated mark).
function terminationBox(t) {
  return el('div', { class: 'error-box', id: 'termination' }, el('strong', {}, `Terminated ${when(t.terminatedAt)}`),
    t.by ? ` by ${t.by}` : '', `: ${t.reason}. It started nothing more, stopped its jobs and published nothing.`);
}

// A superseded run finished but was never published: a run of newer inputs had published first.
function supersededBox(summary) {
  const newer = summary.supersededBy;
  return el('div', { class: 'note-box', id: 'superseded' }, el('strong', {}, 'Never published. '),
    'A run of newer inputs had already published, so latest.json kept it', newer ? [': ', el('a', { href: '#/runs/' + encodeURIComponent(newer) }, newer)] : '',
    '. This run\'s outputs stay in its own folder.');
}

// What the run decided to publish, on validation: the candidates, the chosen one marked, and the interval of the gain.
function decisionSection(decision) {
  if (!decision) return [el('p', { class: 'muted' }, 'no decision (a data-free run publishes its integrated model; or the run has not decided yet)')];
  const gain = decision.gain;
  return [
    el('p', { id: 'decision-reason' }, el('strong', {}, decision.publish ? `Published: ${decision.chosen}. ` : 'Held: nothing new published. '), decision.reason),
    el('table', { id: 'decision' }, el('thead', {}, el('tr', {}, [`candidate`, 'cost', `validation ${decision.metric} (decides)`, `test ${decision.metric} (reported)`].map(h => el('th', {}, h)))),
      el('tbody', {}, decision.candidates.map(c => el('tr', { 'data-candidate': c.name, class: c.name === decision.chosen ? 'chosen' : '' },
        el('td', {}, c.name === decision.chosen ? `\u2713 ${c.name}` : c.name), el('td', { class: 'number' }, `${c.cost}x`),
        el('td', { class: 'number' }, figure(c.validation)), el('td', { class: 'number' }, figure(c.test)))))),
    gain ? el('p', { class: 'muted', id: 'decision-gain' },
      `${gain.of} \u2212 ${gain.vs}: ${figure(gain.mean)} [${figure(gain.low)}, ${figure(gain.high)}] on validation (paired bootstrap, ${gain.resamples} resamples, seed ${gain.seed}; positive is better)`) : null,
  ].filter(n => n !== null);
}

function metricsTable(summary) {
  const rows = summary?.evaluation ?? [];
  if (rows.length === 0) return el('p', { class: 'muted' }, 'no evaluation (a data-free run, or not evaluated yet)');
  const metrics = [...new Set(rows.flatMap(r => Object.keys(r.metrics)))].sort();
  // The retrained model is the integrated model trained further: it belongs with it, never among the baselines.
  const group = t => t === 'integrated' || t.startsWith('integrated ') || t === 'retrained' ? 'integrated'
    : t.startsWith('control:') ? 'control' : t.startsWith('input ') ? 'input' : t.startsWith('champion') ? 'champion' : 'baseline';
  const order = { champion: 0, integrated: 1, control: 2, input: 3, baseline: 4 };
  const sorted = [...rows].sort((a, b) => order[group(a.target)] - order[group(b.target)]);
  return el('table', { id: 'metrics' }, el('thead', {}, el('tr', {}, el('th', {}, 'model'), el('th', {}, 'is'), el('th', {}, 'cost'), metrics.map(m => el('th', {}, m)))),
    el('tbody', {}, sorted.map(r => el('tr', { class: group(r.target), 'data-target': r.target },
      el('td', {}, r.target), el('td', {}, group(r.target)), el('td', { class: 'number' }, `${r.inferenceCost}x`),
      metrics.map(m => el('td', { class: 'number' }, figure(r.metrics[m])))))));
}

function legend(models) {
  return el('div', { class: 'legend' }, models.map((m, k) => {
    const item = el('span', {}, m);
    item.style.setProperty('--swatch', modelColors[k % modelColors.length]);
    return item;
  }));
}

// Per spliced tensor, a stacked bar of each model's mean weight. Soft splicing averages every model in every element,
// so the share of elements where a model has the LARGEST weight would overstate it (a 0.4 : 0.6 average is not "100 % b");
// with hard splicing the weights are 0 or 1 and the mean weight is exactly the share of the elements.
function shareChart(compatibility) {
  const tensors = compatibility.tensors;
  const label = 260, width = 760, row = 18, plot = width - label - 10;
  const chart = svg('svg', { class: 'shares', width, height: tensors.length * row + 4, role: 'img', 'aria-label': 'share of each model per tensor' });
  tensors.forEach((t, i) => {
    let offset = label;
    chart.append(svg('text', { x: 0, y: i * row + 13, 'font-size': 11 }, t.tensor));
    const weights = t.meanWeight && t.meanWeight.length ? t.meanWeight : t.share;
    weights.forEach((weight, k) => {
      const w = weight * plot;
      const model = compatibility.models[k] ?? 'model ' + k;
      chart.append(svg('rect', { x: offset, y: i * row + 2, width: w, height: row - 4, fill: modelColors[k % modelColors.length], 'data-weight': weight.toFixed(4) },
        svg('title', {}, `${t.tensor}: mean weight ${weight.toFixed(3)} on ${model}` + (t.share?.[k] !== undefined ? ` (largest weight on ${(t.share[k] * 100).toFixed(1)} % of the elements)` : ''))));
      offset += w;
    });
  });
  return chart;
}

// A heatmap on a canvas: each cell in the colour of the model that gave most of its elements, fainter where that model gave fewer.
function heatmap(h) {
  const scale = Math.max(2, Math.min(12, Math.floor(256 / Math.max(h.rows, h.columns))));
  const canvas = el('canvas', { class: 'heatmap', width: h.columns * scale, height: h.rows * scale, 'data-tensor': h.tensor, 'data-rows': h.rows, 'data-columns': h.columns });
  const context = canvas.getContext('2d');
  for (let r = 0; r < h.rows; r++) {
    for (let c = 0; c < h.columns; c++) {
      const cell = r * h.columns + c;
      context.globalAlpha = 0.35 + 0.65 * h.share[cell];
      context.fillStyle = modelColors[h.winner[cell] % modelColors.length];
      context.fillRect(c * scale, r * scale, scale, scale);
    }
  }
  return el('figure', {}, canvas, el('figcaption', {}, `${h.tensor} [${h.shape.join(' x ')}] as ${h.rows} x ${h.columns} cells`));
}

function compatibilitySection(compatibility) {
  if (compatibility.tensors.length === 0 && compatibility.heatmaps.length === 0) return [el('p', { class: 'muted' }, 'no compatibility map (nothing spliced yet, or a method without one)')];
  return [el('p', { class: 'muted' }, `method ${compatibility.method ?? ''}`), legend(compatibility.models),
    el('h3', {}, 'Mean weight of each model per tensor'),
    el('p', { class: 'muted' }, 'With soft splicing every element is a weighted average of all models; with hard splicing each element comes from one model and the mean weight is its share.'),
    shareChart(compatibility),
    el('h3', {}, 'Which model has the largest weight in each cell'),
    el('p', { class: 'muted' }, 'Each cell takes the colour of the model with the largest weight on most of its elements, fainter where that holds for fewer of them. Under soft splicing the other models still contribute to every element.'),
    el('div', { class: 'heatmaps', id: 'heatmaps' }, compatibility.heatmaps.map(heatmap))];
}

function outputsList(runId, detail) {
  const names = [...new Set((detail.jobs || []).flatMap(j => j.outputs || []))].sort();
  const folder = detail.summary?.outputFolder;
  const own = `integrated/${detail.run.family}/${runId}/`; // the run's output folder: its files are served by the API
  const published = ['report.md', 'report.json', 'metrics.png', 'README.md', 'compatibility.json', 'compatibility-per-layer.png', 'provenance.json'];
  const links = folder ? published.map(f => el('li', {}, el('a', { href: apiUrl(`/api/runs/${encodeURIComponent(runId)}/outputs/${encodeURIComponent(f)}`) }, f))) : [];
  return [folder ? el('p', {}, 'output folder ', el('code', {}, folder)) : el('p', { class: 'muted' }, 'nothing published'),
    el('ul', { class: 'outputs', id: 'outputs' }, links, names.map(n => el('li', {}, n.startsWith(own)
      ? el('a', { href: apiUrl(`/api/runs/${encodeURIComponent(runId)}/outputs/${encodeURIComponent(n.slice(own.length))}`) }, n)
      : el('span', { class: 'muted' }, n))))];
}

async function showRun(view, runId) {
  const refresh = async () => {
    const [detail, timeline, compatibility] = await Promise.all([
      api(`/api/runs/${encodeURIComponent(runId)}`), api(`/api/runs/${encodeURIComponent(runId)}/timeline`), api(`/api/runs/${encodeURIComponent(runId)}/compatibility`)]);
    const run = detail.run;
    timeline.status = run.status;
    const running = live.has(run.status);
    const terminate = running ? el('button', { id: 'terminate' }, 'terminate this run') : null;
    terminate?.addEventListener('click', () => api(`/api/runs/${encodeURIComponent(runId)}/terminate`, {}, 'POST').then(refresh).catch(e => say(e.message)));
    const p = run.progress || {};
    view.replaceChildren(...[
      el('h2', {}, `${run.family} `, el('span', { class: 'status-' + run.status, id: 'run-status' }, run.status)),
      el('p', { class: 'muted' }, `run ${run.runId} · started ${when(run.createdAt)} · phase ${p.phase ?? ''} · jobs ${p.jobsDone ?? 0}/${p.jobsTotal ?? 0}`), terminate,
      detail.termination ? terminationBox(detail.termination) : run.error ? errorBox(run.error) : null,
      detail.summary?.outcome === 'superseded' ? supersededBox(detail.summary) : null,
      el('h2', {}, 'Timeline'), legend(Object.keys(outcomeColors)), timelineChart(timeline),
      el('h2', {}, 'Jobs'), jobTable(timeline, detail),
      el('h2', {}, 'Decision'), ...decisionSection(detail.summary?.decision),
      el('h2', {}, 'Metrics'), metricsTable(detail.summary),
      el('h2', {}, 'Compatibility'), ...compatibilitySection(compatibility),
      el('h2', {}, 'Outputs'), ...outputsList(runId, detail)].filter(n => n !== null));
    // The legend of outcomes takes the outcome colours.
    view.querySelectorAll('.legend')[0]?.querySelectorAll('span').forEach(s => s.style.setProperty('--swatch', outcomeColors[s.textContent]));
    say('');
    schedule(refresh, running && location.hash === '#/runs/' + encodeURIComponent(runId));
  };
  await refresh();
}

function route() {
  clearTimeout(timer);
  const view = document.getElementById('view');
  const match = /^#\/runs\/(.+)$/.exec(location.hash);
  (match ? showRun(view, decodeURIComponent(match[1])) : showList(view)).catch(e => say(e.message));
}

window.addEventListener('hashchange', route);
route();

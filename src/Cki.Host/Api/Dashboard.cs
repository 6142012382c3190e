using System.Security.Cryptography;

namespace Cki.Host.Api;

/// <summary>
/// The dashboard at <c>/</c>: one self-contained page (no external scripts) that reads the HTTP API every two seconds:
/// runs with their phase, job progress and failure reason, and a run's jobs (results, and jobs that left none) and
/// error when clicked, with a button that terminates a running run. The page carries the API token in a
/// <c>meta</c> tag and sends it on its calls; it is served only to requests naming this host (see
/// <see cref="RequestGuard"/>), and its policy runs only its own script and style (by a per-response nonce).
/// </summary>
public static class Dashboard
{
    /// <summary>Maps <c>GET /</c>.</summary>
    public static void Map(WebApplication app, ApiToken token)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(token);
        app.MapGet("/", (HttpContext context) =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Response.Headers.ContentSecurityPolicy =
                $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            return Results.Content(Page.Replace("{{NONCE}}", nonce, StringComparison.Ordinal).Replace("{{TOKEN}}", token.Value, StringComparison.Ordinal),
                "text/html; charset=utf-8");
        });
    }

    private const string Page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>CKI runs</title>
        <meta name="cki-api-token" content="{{TOKEN}}">
        <style nonce="{{NONCE}}">
          body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
          table { border-collapse: collapse; margin-bottom: 1.5em; } td, th { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
          tr.run { cursor: pointer; } tr.run:hover { background: #f4f4f8; }
          .Completed, .ok { color: #17803d; } .Failed, .Terminated, .failed { color: #b42318; } .Running, .Pending { color: #175cd3; }
          td.reason { color: #b42318; max-width: 40em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
          progress { width: 120px; vertical-align: middle; }
          pre { background: #f6f6f6; padding: .8em; white-space: pre-wrap; }
          #message { color: #b42318; }
        </style></head>
        <body><h1>CKI integration runs</h1>
        <p id="message"></p>
        <table><thead><tr><th>run</th><th>family</th><th>status</th><th>phase</th><th>jobs</th><th>started</th><th>reason</th></tr></thead><tbody id="runs"></tbody></table>
        <div id="detail"></div>
        <script nonce="{{NONCE}}">
        const token = document.querySelector('meta[name="cki-api-token"]').content;
        const api = async (path, method = 'GET') => {
          const response = await fetch(path, { method, headers: { Authorization: 'Bearer ' + token } });
          const body = response.status === 202 && method === 'POST' ? {} : await response.json().catch(() => ({}));
          if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
          return body;
        };
        const text = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
        const say = s => document.getElementById('message').textContent = s;
        let selected = null;
        // Every job of a run: its result when it wrote one (ok only when it says it succeeded), else the summary's record.
        function jobRows(d) {
          const records = (d.summary && d.summary.jobs) || [];
          const rows = d.jobs.map(j => ({ jobId: j.jobId, kind: j.kind, outcome: j.succeeded === true ? 'ok' : 'failed', seconds: j.seconds, error: j.error,
            attempts: (records.find(r => r.jobId === j.jobId) || {}).attempts }));
          for (const r of records.filter(r => !d.jobs.some(j => j.jobId === r.jobId))) {
            rows.push({ jobId: r.jobId, kind: r.kind, outcome: r.succeeded === true ? 'ok' : 'no result', seconds: r.seconds,
              error: r.succeeded === true ? '' : 'no result written', attempts: r.attempts });
          }
          return rows.sort((a, b) => a.jobId.localeCompare(b.jobId));
        }
        async function refresh() {
          const runs = await api('/api/runs');
          document.getElementById('runs').innerHTML = runs.map(r => {
            const p = r.progress || {}, done = p.jobsDone ?? 0, total = p.jobsTotal ?? 0;
            return `<tr class="run" data-id="${text(r.runId)}"><td>${text(r.runId)}</td><td>${text(r.family)}</td>
              <td class="${text(r.status)}">${text(r.status)}</td><td>${text(p.phase)}</td>
              <td><progress max="${Math.max(total, 1)}" value="${done}"></progress> ${done}/${total}</td>
              <td>${text(new Date(r.createdAt).toLocaleString())}</td><td class="reason" title="${text(r.error)}">${text(r.error)}</td></tr>`;
          }).join('');
          document.querySelectorAll('tr.run').forEach(row => row.onclick = () => { selected = row.dataset.id; refresh(); });
          if (selected) {
            const d = await api('/api/runs/' + encodeURIComponent(selected));
            const jobs = jobRows(d).map(j => `<tr><td>${text(j.jobId)}</td><td>${text(j.kind)}</td><td class="${j.outcome === 'ok' ? 'ok' : 'failed'}">${j.outcome}</td>
              <td>${text(j.attempts)}</td><td>${(j.seconds ?? 0).toFixed(1)} s</td><td>${text(j.error)}</td></tr>`).join('');
            const running = ['Running', 'Pending', 'Suspended'].includes(d.run.status);
            document.getElementById('detail').innerHTML = `<h2>${text(selected)} <span class="${text(d.run.status)}">${text(d.run.status)}</span></h2>` +
              (running ? '<p><button id="terminate">terminate this run</button></p>' : '') +
              (d.run.error ? `<pre>${text(d.run.error)}</pre>` : '') +
              `<table><thead><tr><th>job</th><th>kind</th><th>outcome</th><th>attempts</th><th>time</th><th>error</th></tr></thead><tbody>${jobs}</tbody></table>`;
            const button = document.getElementById('terminate');
            if (button) button.onclick = () => api('/api/runs/' + encodeURIComponent(selected) + '/terminate', 'POST').then(refresh).catch(e => say(e.message));
          }
          say('');
        }
        const tick = () => refresh().catch(e => say(e.message));
        tick(); setInterval(tick, 2000);
        </script></body></html>
        """;
}

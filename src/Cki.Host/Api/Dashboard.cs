namespace Cki.Host.Api;

/// <summary>
/// The dashboard at <c>/</c>: one self-contained page (no external scripts) that reads the HTTP API every two seconds:
/// runs with their phase and job progress, and a run's jobs and error when clicked.
/// </summary>
public static class Dashboard
{
    /// <summary>Maps <c>GET /</c>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8"));
    }

    private const string Page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>CKI runs</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
          table { border-collapse: collapse; margin-bottom: 1.5em; } td, th { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
          tr.run { cursor: pointer; } tr.run:hover { background: #f4f4f8; }
          .Completed { color: #17803d; } .Failed, .Terminated { color: #b42318; } .Running, .Pending { color: #175cd3; }
          .bar { display: inline-block; width: 120px; height: 8px; background: #eee; vertical-align: middle; }
          .bar > span { display: block; height: 8px; background: #175cd3; }
          pre { background: #f6f6f6; padding: .8em; white-space: pre-wrap; }
        </style></head>
        <body><h1>CKI integration runs</h1>
        <table><thead><tr><th>run</th><th>family</th><th>status</th><th>phase</th><th>jobs</th><th>started</th></tr></thead><tbody id="runs"></tbody></table>
        <div id="detail"></div>
        <script>
        let selected = null;
        const text = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
        async function refresh() {
          const runs = await (await fetch('/api/runs')).json();
          document.getElementById('runs').innerHTML = runs.map(r => {
            const p = r.progress || {}, done = p.jobsDone ?? 0, total = p.jobsTotal ?? 0;
            const width = total ? Math.round(100 * done / total) : 0;
            return `<tr class="run" data-id="${text(r.runId)}"><td>${text(r.runId)}</td><td>${text(r.family)}</td>
              <td class="${text(r.status)}">${text(r.status)}</td><td>${text(p.phase)}</td>
              <td><span class="bar"><span style="width:${width}%"></span></span> ${done}/${total}</td>
              <td>${text(new Date(r.createdAt).toLocaleString())}</td></tr>`;
          }).join('');
          document.querySelectorAll('tr.run').forEach(row => row.onclick = () => { selected = row.dataset.id; refresh(); });
          if (selected) {
            const d = await (await fetch('/api/runs/' + encodeURIComponent(selected))).json();
            const jobs = d.jobs.map(j => `<tr><td>${text(j.jobId)}</td><td>${text(j.kind)}</td><td>${j.succeeded ? 'ok' : 'failed'}</td>
              <td>${(j.seconds ?? 0).toFixed(1)} s</td><td>${text(j.error)}</td></tr>`).join('');
            document.getElementById('detail').innerHTML = `<h2>${text(selected)}</h2>` +
              (d.run.error ? `<pre>${text(d.run.error)}</pre>` : '') +
              `<table><thead><tr><th>job</th><th>kind</th><th>outcome</th><th>time</th><th>error</th></tr></thead><tbody>${jobs}</tbody></table>`;
          }
        }
        refresh(); setInterval(refresh, 2000);
        </script></body></html>
        """;
}

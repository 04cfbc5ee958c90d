"""The constant parts of the HTML report: its style sheet, its script, and the Content-Security-Policy that
allows exactly these two (by hash) and nothing else: no network, no other script, no other style.

Nothing from a report ever enters `STYLE` or `SCRIPT`: rows carry what the script needs as escaped `data-`
attributes, so no agent text is ever parsed as JavaScript.
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
:root{--block:#c62828;--warn:#b26a00;--ok:#2e7d32;--ink:#1d2330;--muted:#5b6577;--line:#d9dee7;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1280px;margin:0 auto;padding:20px 28px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}
.sub{color:var(--muted);margin:0 0 18px}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;color:#fff}
.badge.block{background:var(--block)}.badge.warn{background:var(--warn)}.badge.ok{background:var(--ok)}
.alert{border:2px solid var(--block);background:#fdecec;border-radius:8px;padding:12px 16px;margin:0 0 18px}
.alert h2{color:var(--block);margin:0 0 6px}.alert li{color:var(--block);margin:4px 0}
.alert code{font-weight:700;color:var(--block)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(118px,1fr));gap:10px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .n{font-size:26px;font-weight:700}.card .l{color:var(--muted);font-size:12.5px}
.card.block .n{color:var(--block)}.card.warn .n{color:var(--warn)}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
svg.timeline{width:100%;height:auto;display:block}
svg .axis{stroke:#98a2b3;stroke-width:1}svg .grid{stroke:#e6e9ef;stroke-width:1}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}svg text.lane{font-weight:600;fill:var(--ink)}
svg .bar-block{fill:var(--block)}svg .bar-warn{fill:#f0a020}
.legend{display:flex;gap:16px;color:var(--muted);font-size:12.5px;margin:6px 0 0}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend .k-block{background:var(--block)}.legend .k-warn{background:#f0a020}
.tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 8px}
.tools input,.tools select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px}
.tools input{min-width:260px}.tools .count{color:var(--muted);margin-left:auto}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line)}
th,td{text-align:left;vertical-align:top;padding:7px 9px;border-bottom:1px solid var(--line)}
th{background:#eef1f5;position:sticky;top:0;z-index:1}
th button{all:unset;cursor:pointer;font-weight:600}th button:focus-visible{outline:2px solid #4c7bd9}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
tr.verdict-block td:first-child{border-left:4px solid var(--block)}
tr.verdict-warn td:first-child{border-left:4px solid var(--warn)}
td ul{margin:0;padding-left:16px}td .rc{font-weight:600}td code.name{white-space:nowrap}
#findings th:last-child{width:34%}
.loc{margin:0 0 5px}.loc .agent{font-size:11px;font-weight:600;color:var(--muted);text-transform:uppercase}
.loc time{color:var(--muted);font-size:12px}
.loc .cmd{display:block;background:#f3f4f7;padding:2px 6px;border-radius:4px}
.muted{color:var(--muted)}details summary{cursor:pointer;color:var(--muted)}
""".strip()

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("findings");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var verdict = document.getElementById("filter-verdict");
  var ecosystem = document.getElementById("filter-ecosystem");
  var agent = document.getElementById("filter-agent");
  var count = document.getElementById("filter-count");
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!needle || row.textContent.toLowerCase().indexOf(needle) !== -1) &&
        (!verdict.value || row.getAttribute("data-verdict") === verdict.value) &&
        (!ecosystem.value || row.getAttribute("data-ecosystem") === ecosystem.value) &&
        (!agent.value || (" " + row.getAttribute("data-agents") + " ").indexOf(" " + agent.value + " ") !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " shown";
  }
  [text, verdict, ecosystem, agent].forEach(function (control) {
    control.addEventListener("input", apply);
    control.addEventListener("change", apply);
  });
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort") || "";
        var y = b.cells[column].getAttribute("data-sort") || "";
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return up ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
""".strip()


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


CSP = (
    f"default-src 'none'; style-src '{_digest(STYLE)}'; script-src '{_digest(SCRIPT)}'; "
    "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
)
"""The page's policy: only the style sheet and the script above, by their hashes; nothing is ever fetched."""

// The report page's stylesheet, inline in the page (no fetch): the recap table, the timeline's rows and bars, diffs,
// and a print layout.
export const REPORT_STYLE = `
:root { --ok: #4c9a5a; --changed: #d99a1e; --failed: #c8412f; --skipped: #8a8f98; --idle: #e4e6ea; --line: #d0d4da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2328; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
.meta { color: #57606a; margin: 0 0 12px; }
table { border-collapse: collapse; } th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.failed-text { color: var(--failed); } .changed-text { color: var(--changed); }
.row, .axis { display: flex; align-items: stretch; border-bottom: 1px solid var(--line); }
.who { flex: 0 0 240px; padding: 4px 8px 4px 0; } .who small { display: block; color: #57606a; }
.track { flex: 1 1 auto; position: relative; min-height: 44px; }
.ticks { flex: 1 1 auto; position: relative; height: 18px; color: #57606a; font-size: 12px; }
.ticks span { position: absolute; transform: translateX(-50%); white-space: nowrap; } .ticks span:first-child { transform: none; }
.ticks span:last-child { transform: translateX(-100%); }
.lane { position: relative; height: 20px; margin: 2px 0; }
.bar { position: absolute; top: 0; bottom: 0; overflow: hidden; white-space: nowrap; font-size: 11px; color: #fff;
  border-right: 1px solid #fff; }
.bar span { padding: 0 3px; } .lane.tasks .bar span { display: none; }
.bar.ok { background: var(--ok); } .bar.changed { background: var(--changed); } .bar.failed { background: var(--failed); }
.bar.skipped { background: var(--skipped); }
.bar.idle { background: repeating-linear-gradient(45deg, var(--idle) 0 4px, #f6f7f9 4px 8px); color: #57606a; }
.legend i { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; vertical-align: -2px; }
.legend i.ok { background: var(--ok); } .legend i.changed { background: var(--changed); }
.legend i.failed { background: var(--failed); } .legend i.idle { background: var(--idle); }
.change { margin: 10px 0; } .change h3 { font-size: 14px; margin: 0; font-weight: 600; }
pre.diff { background: #f6f8fa; padding: 8px; overflow-x: auto; font-size: 12px; margin: 4px 0; }
pre.diff .add { color: #116329; background: #dafbe1; } pre.diff .del { color: #82071e; background: #ffebe9; }
@media print { body { margin: 0; } .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .row { break-inside: avoid; } pre.diff { white-space: pre-wrap; } }
`;

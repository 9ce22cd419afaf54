# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report page's style sheet, inlined so the page has no outside resource.

Calm colours, status never told by colour alone (each status also has a word and a sign),
and a print layout for A4: the evidence prints opened, the task lists stay folded, rows
and the validation block do not split across pages.
"""

from __future__ import annotations

CSS = """
:root {
  --ink: #1c2430; --muted: #5b6675; --line: #d9dee5; --paper: #ffffff; --wash: #f5f7f9;
  --ok: #1f7a4d; --ok-bg: #e7f3ec; --bad: #b42318; --bad-bg: #fdecea; --warn: #8a5300; --warn-bg: #fff3dc;
  --info: #1d5fa8; --info-bg: #e8f0fb; --idle: #5f6b7a; --idle-bg: #eef1f4;
}
* { box-sizing: border-box; }
html { background: var(--wash); }
body { margin: 0; color: var(--ink); font: 15px/1.5 "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
.page { max-width: 1040px; margin: 24px auto; background: var(--paper); padding: 32px 40px 24px;
  border: 1px solid var(--line); border-radius: 6px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2.section { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.masthead { display: flex; justify-content: space-between; gap: 24px; border-bottom: 3px solid var(--ink); padding-bottom: 12px; }
.masthead .org { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.masthead h1 { font-size: 24px; margin-top: 4px; }
.masthead .procedure { font-size: 13px; color: var(--muted); margin-top: 2px; }
.masthead .run-id { text-align: right; font-size: 12px; color: var(--muted); white-space: nowrap; }
.masthead .run-id code { font-size: 12px; color: var(--ink); }
.outcome { display: flex; gap: 18px; align-items: flex-start; margin: 20px 0 8px; padding: 18px 22px;
  border-radius: 6px; border-left: 8px solid; }
.outcome .sign { font-size: 34px; line-height: 1; font-weight: 700; width: 40px; text-align: center; }
.outcome h2 { font-size: 28px; }
.outcome p { margin: 6px 0 0; font-size: 15px; }
.outcome-succeeded { background: var(--ok-bg); border-color: var(--ok); color: #0f4a2e; }
.outcome-failed { background: var(--bad-bg); border-color: var(--bad); color: #7a1a12; }
.outcome-interrupted, .outcome-partial { background: var(--warn-bg); border-color: var(--warn); color: #5c3800; }
.outcome-check { background: var(--info-bg); border-color: var(--info); color: #123f73; }
.facts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 32px; margin: 0; }
.facts div { display: grid; grid-template-columns: 42% 58%; gap: 8px; padding: 6px 0; border-bottom: 1px solid var(--line); }
.facts dt { color: var(--muted); font-size: 13px; }
.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.versions .arrow { color: var(--muted); padding: 0 6px; font-weight: 400; }
.people { margin: 8px 0 0; padding: 0; list-style: none; font-size: 14px; }
.people li { display: inline-block; margin-right: 22px; }
.people .who { font-weight: 600; }
.strip { display: grid; grid-template-columns: repeat(12, 1fr); gap: 4px; margin: 6px 0 0; padding: 0; list-style: none; }
.strip li { text-align: center; padding: 6px 0 4px; border-radius: 4px; font-size: 13px; font-weight: 700; }
.strip li span { display: block; font-size: 10px; font-weight: 400; }
.st-done { background: var(--ok-bg); color: var(--ok); }
.st-failed { background: var(--bad-bg); color: var(--bad); }
.st-interrupted { background: var(--warn-bg); color: var(--warn); }
.st-skipped, .st-pending { background: var(--idle-bg); color: var(--idle); }
.notices { border: 1px solid var(--warn); border-radius: 6px; padding: 10px 18px; background: var(--warn-bg); margin: 14px 0 0; }
.notices h2 { font-size: 15px; margin: 0 0 6px; color: var(--warn); }
.notices ul { margin: 0; padding-left: 18px; }
.diagnosis { border: 1px solid var(--bad); border-radius: 6px; padding: 14px 18px; background: #fffafa; }
.diagnosis .where { font-weight: 600; margin: 0 0 8px; }
.diagnosis dl { margin: 0; }
dl.fields { margin: 4px 0 0; font-size: 13px; } dl.fields dt { color: var(--muted); } dl.fields dd { margin: 0 0 4px 14px; }
dl.fields ul { margin: 0; padding-left: 16px; }
.diagnosis dt { font-size: 13px; color: var(--muted); margin-top: 10px; }
.diagnosis dd { margin: 2px 0 0; }
.diagnosis .advice { font-size: 16px; font-weight: 600; color: var(--ink); }
.diagnosis .norm { font-size: 13px; color: var(--muted); margin: 12px 0 0; }
pre, code { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--wash); border: 1px solid var(--line);
  border-radius: 4px; padding: 8px 10px; margin: 4px 0; }
table.activities { width: 100%; border-collapse: collapse; font-size: 14px; }
table.activities th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line);
  padding: 6px 8px; }
table.activities td { border-bottom: 1px solid var(--line); padding: 8px; vertical-align: top; }
table.activities td.num { font-weight: 700; font-size: 16px; width: 36px; }
table.activities td.when, table.activities td.actual { white-space: nowrap; }
table.activities td.planned { white-space: nowrap; background: var(--wash); }
table.activities td.planned small { display: block; margin-top: 4px; white-space: normal; color: var(--muted); font-size: 12px; max-width: 150px; }
.activity-title { font-weight: 600; }
.activity-title-en { font-size: 12px; color: var(--muted); }
.pill { display: inline-block; border-radius: 999px; padding: 2px 10px; font-size: 12.5px; font-weight: 700; white-space: nowrap; }
.counts { font-size: 12px; color: var(--muted); margin-top: 4px; }
details { margin-top: 6px; }
details > summary { cursor: pointer; color: var(--info); font-size: 13px; }
ul.evidence { margin: 6px 0 0; padding: 0; list-style: none; }
ul.evidence li { border-left: 3px solid var(--line); padding: 3px 0 3px 10px; margin: 4px 0; font-size: 13.5px; }
ul.evidence li.lvl-ok { border-color: var(--ok); }
ul.evidence li.lvl-warning { border-color: var(--warn); }
ul.evidence li.lvl-error { border-color: var(--bad); }
.kind { display: inline-block; min-width: 92px; font-size: 11px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
.time { color: var(--muted); font-size: 12px; margin-left: 6px; }
ul.tasks { margin: 4px 0 0; padding-left: 18px; font-size: 12.5px; color: var(--muted); }
.totals { font-size: 13px; color: var(--muted); margin: 8px 0 0; }
.legend { font-size: 12.5px; color: var(--muted); margin: 6px 0 0; }
.validation { border: 1px solid var(--line); border-radius: 6px; padding: 14px 18px; break-inside: avoid; }
.validation dl { display: grid; grid-template-columns: 180px 1fr; gap: 6px 16px; margin: 0; }
.validation dt { color: var(--muted); font-size: 13px; }
.validation dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.validation .digest { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-weight: 400; font-size: 13px; }
.decision-validated { background: var(--ok-bg); color: var(--ok); }
.decision-returned { background: var(--warn-bg); color: var(--warn); }
.sign-lines { display: grid; grid-template-columns: 2fr 2fr 1fr; gap: 24px; margin-top: 34px; font-size: 12px; color: var(--muted); }
.sign-lines div { border-top: 1px solid var(--ink); padding-top: 4px; }
.muted { color: var(--muted); }
footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
@media (max-width: 760px) {
  .page { padding: 18px; margin: 0; border: 0; }
  .facts { grid-template-columns: 1fr; }
  .strip { grid-template-columns: repeat(6, 1fr); }
  .masthead { flex-direction: column; }
}
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  html, body { background: #fff; }
  body { font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .page { max-width: none; margin: 0; padding: 0; border: 0; }
  .outcome, .diagnosis, .facts div, table.activities tr, ul.evidence li, .validation { break-inside: avoid; }
  h2.section { break-after: avoid; }
  table.activities thead { display: table-header-group; }
  details.evidence::details-content { content-visibility: visible; display: block; }
  details.evidence > summary { color: var(--muted); list-style: none; }
  details.tasks, details.raw { display: none; }
  .validation { break-before: auto; }
}
"""

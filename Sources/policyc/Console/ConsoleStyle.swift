/// The console's style sheet: system fonts only, nothing fetched.
enum ConsoleStyle {
    static let css = #"""
    :root { --ink: #1d2430; --muted: #5b6575; --line: #d7dce3; --paper: #ffffff; --wash: #f4f6f9;
            --allow: #136c2e; --allow-wash: #e4f4e8; --deny: #a51d24; --deny-wash: #fbe7e8;
            --warn: #8a5a00; --warn-wash: #fdf3dc; --accent: #2457a6; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--wash); }
    header { padding: 14px 24px 8px; background: var(--paper); border-bottom: 1px solid var(--line); }
    h1 { margin: 0; font-size: 22px; }
    h2 { margin: 0 0 10px; font-size: 18px; }
    h3 { margin: 0; font-size: 16px; display: inline; }
    .lead { margin: 4px 0; color: var(--muted); }
    .load-state { margin: 4px 0 0; font-weight: 600; }
    .load-state.bad { color: var(--deny); }
    main { padding: 16px 24px 40px; }
    .columns { display: grid; grid-template-columns: minmax(360px, 1fr) minmax(360px, 1fr); gap: 16px; align-items: start; }
    section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
    .row { display: flex; gap: 10px; }
    .field { display: flex; flex-direction: column; margin-bottom: 8px; }
    .grow { flex: 1; }
    label { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
    input, select, textarea { font: 14px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 5px 7px; border: 1px solid var(--line); border-radius: 5px; background: #fff; color: var(--ink); }
    input:focus, select:focus, textarea:focus, button:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
    button { font: 600 14px system-ui, sans-serif; padding: 6px 18px; border: 0; border-radius: 5px; background: var(--accent); color: #fff; cursor: pointer; }
    .decision { margin-top: 12px; padding: 10px 12px; border-radius: 6px; background: var(--wash); border: 1px solid var(--line); }
    .decision.allow { background: var(--allow-wash); border-color: var(--allow); }
    .decision.deny { background: var(--deny-wash); border-color: var(--deny); }
    .verdict { margin: 0; font-weight: 700; }
    .allow .verdict { color: var(--allow); }
    .deny .verdict { color: var(--deny); }
    pre { margin: 6px 0 0; font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
    .unverified { margin: 4px 0 0; padding: 4px 8px; border-radius: 5px; background: var(--warn-wash); color: var(--warn); font-weight: 600; }
    .diagnostics { list-style: none; margin: 0; padding: 0; }
    .diagnostics li { margin: 0 0 10px; padding: 8px 10px; border-left: 4px solid var(--line); background: var(--wash); border-radius: 4px; }
    .diagnostics li.error { border-color: var(--deny); }
    .diagnostics li.warning { border-color: var(--warn); }
    .diagnostics li.note { border-color: var(--accent); }
    .diagnostic-text { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
    .diagnostics { max-height: 470px; overflow-y: auto; }
    .excerpt { margin-top: 6px; background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 4px 0; overflow-x: auto; }
    .excerpt .source-line { display: block; min-width: max-content; padding: 0 8px; white-space: pre; }
    .excerpt .source-line.hit { background: var(--deny-wash); }
    .excerpt .gutter { display: inline-block; min-width: 3em; color: var(--muted); text-align: right; margin-right: 10px; }
    .excerpt .caret { color: var(--deny); font-weight: 700; }
    article.policy { border-top: 1px solid var(--line); padding: 8px 0; }
    #policy-select { max-width: 520px; }
    .file { color: var(--muted); font-size: 13px; margin-left: 8px; }
    table { border-collapse: collapse; margin: 8px 0 12px; }
    th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; font-size: 13px; }
    th { background: var(--wash); }
    td code, li code, p code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .grants-list { margin: 0; padding: 0; list-style: none; }
    .grants-list code { white-space: nowrap; }
    .side-by-side { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
    .matrix th.role { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
    .matrix td.cell, .cell { text-align: center; font-weight: 700; }
    .cell.grants { color: var(--allow); }
    .cell.with-others { color: var(--accent); }
    .cell.denies { color: var(--deny); }
    .legend { color: var(--muted); font-size: 13px; }
    @media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
    """#
}

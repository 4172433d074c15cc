/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const STYLE = `
  :root { color-scheme: light; --ink: #1d2433; --muted: #5b6478; --line: #d9dee8; --accent: #2160c4; --danger: #b42318; --bg: #f6f7fb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
  header { background: #fff; border-bottom: 1px solid var(--line); padding: 12px 24px; display: flex; gap: 12px; align-items: baseline; }
  header strong { font-size: 17px; }
  header span { color: var(--muted); }
  main { max-width: 1100px; margin: 24px auto; padding: 0 24px; }
  section.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin-bottom: 20px; overflow-x: auto; }
  h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 18px; margin: 0 0 4px; }
  .muted { color: var(--muted); }
  table { width: 100%; border-collapse: collapse; margin-top: 12px; }
  th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid var(--line); vertical-align: middle; }
  th { font-size: 13px; color: var(--muted); font-weight: 600; }
  button, .button { font: inherit; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; padding: 6px 14px; cursor: pointer; text-decoration: none; display: inline-block; }
  button.secondary { background: #fff; color: var(--accent); }
  button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
  button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #9cc0ff; outline-offset: 1px; }
  input[type=text] { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 12em; }
  td.row-actions { white-space: nowrap; }
  td.row-actions input[type=text] { min-width: 0; width: 9.5em; }
  td.name { min-width: 9.5em; }
  fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
  legend { font-weight: 600; padding: 0 4px; }
  .choice { display: flex; gap: 8px; align-items: center; padding: 6px 0; }
  .actions { display: flex; gap: 10px; margin-top: 16px; flex-wrap: wrap; }
  form.inline { display: inline-flex; gap: 6px; align-items: center; margin: 2px 4px 2px 0; }
  .badge { font-size: 12px; border-radius: 10px; padding: 1px 8px; background: #eef1f6; color: var(--muted); }
  .badge.inactive { background: #fde8e6; color: var(--danger); }
  .error { color: var(--danger); font-weight: 600; }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; } dt { color: var(--muted); } dd { margin: 0; }
  code { font-size: 13px; background: #eef1f6; padding: 1px 5px; border-radius: 4px; }
`;

/** A complete, self-contained HTML page (no external assets: the sandbox runs offline). */
export function page(input: { title: string; product: string; body: string; script?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><strong>${escapeHtml(input.product)}</strong><span>a loopback stand-in for the outside world — nothing here is a real account</span></header>
<main>
${input.body}
</main>
${input.script === undefined ? '' : `<script>${input.script}</script>`}
</body>
</html>`;
}

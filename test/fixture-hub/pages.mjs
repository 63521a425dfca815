// Hub-like HTML pages: server-rendered Svelte-island structure (`SVELTE_HYDRATER` divs with
// `data-target` and JSON `data-props`), Tailwind-like class chains we must not rely on, and file rows
// linking `/{repo}/blob/{rev}/{path}` and `/{repo}/resolve/{rev}/{path}?download=true`.

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function island(target, props, inner = '') {
  return `<div class="SVELTE_HYDRATER contents" data-target="${target}" data-props="${esc(JSON.stringify(props))}">${inner}</div>`;
}

/** The repo page: header island, file list island (first `pageSize` files), last-commit island. */
export function repoPage({ r, rev, commit, files, view = 'home', dirPath = '', pageSize = 100, signedIn = false, script = '', bare = false }) {
  const prefix = r.kind === 'dataset' ? '/datasets/' : '/';
  const base = `${prefix}${r.id}`;
  const shown = files.slice(0, pageSize);
  const rows = shown
    .map(
      (f) => `<li class="grid h-10 grid-cols-12 place-content-center gap-x-3 border-t px-3 dark:border-gray-800">
  <a class="group col-span-8 flex items-center truncate" href="${base}/blob/${esc(rev)}/${esc(f.path)}"><span class="truncate">${esc(f.path)}</span></a>
  <a class="col-span-3 truncate font-mono text-xs text-gray-400" href="${base}/resolve/${esc(rev)}/${esc(f.path)}?download=true" title="Download file" download>${f.bytes.length} Bytes ⤓</a>
</li>`,
    )
    .join('\n');
  const more = files.length > pageSize ? `<button class="w-full py-2 text-sm text-gray-500" data-load-more>Load more files (${files.length - pageSize} more)</button>` : '';
  const header = bare ? `<header><h1>${esc(r.id)}</h1></header>` : island(
    r.kind === 'dataset' ? 'DatasetHeader' : 'ModelHeader',
    { model: { id: r.id, author: r.id.split('/')[0], sha: commit, private: false, gated: r.gated ? 'manual' : false } },
    `<header class="relative z-10 border-b bg-gradient-to-t from-gray-50-to-white pt-6"><div class="container relative"><h1 class="flex flex-wrap items-center text-lg"><a class="text-gray-400" href="/${esc(r.id.split('/')[0])}">${esc(r.id.split('/')[0])}</a><span class="mx-0.5">/</span><a class="font-mono font-semibold" href="${base}">${esc(r.id.split('/')[1])}</a></h1>
<div class="flex gap-2 mt-2"><a class="tab-alternate active" href="${base}">Model card</a><a class="tab-alternate" href="${base}/tree/${esc(rev)}">Files and versions</a></div></div></header>`,
  );
  const tree = island(
    'ViewerIndexTreeList',
    { entries: shown.map((f) => ({ type: 'file', path: f.path, size: f.bytes.length })), revision: rev, path: dirPath },
    `<ul class="mb-8 rounded-b-lg border border-t-0 dark:border-gray-800 dark:bg-gray-900">${rows}</ul>${more}`,
  );
  const last = island('LastCommit', { commit: { id: commit, parentIds: [] } }, `<div class="text-sm text-gray-500">Latest commit <a href="${base}/commit/${commit}">${commit.slice(0, 7)}</a></div>`);
  const moreScript = files.length > pageSize
    ? `<script>
document.addEventListener('click', (e) => {
  const b = e.target.closest('[data-load-more]'); if (!b) return;
  const ul = b.previousElementSibling; const tpl = ${JSON.stringify(files.slice(pageSize, pageSize * 2).map((f) => f.path))};
  for (const p of tpl) { const li = document.createElement('li'); const a = document.createElement('a'); a.href = ${JSON.stringify(base)} + '/resolve/' + ${JSON.stringify(rev)} + '/' + p + '?download=true'; a.textContent = p; li.append(a); ul.append(li); }
  b.remove();
});
</script>`
    : '';
  return `<!doctype html>
<html class=""><head><meta charset="utf-8"><title>${esc(r.id)} · Fixture Hub</title>
<style>body{font-family:system-ui,sans-serif;margin:0;color:#111}header{padding:16px 24px;background:#f9fafb;border-bottom:1px solid #e5e7eb}
.container{max-width:960px;margin:0 auto}main{max-width:960px;margin:16px auto}ul{list-style:none;padding:0;border:1px solid #e5e7eb}
li{display:flex;justify-content:space-between;padding:8px 12px 8px 28px;border-top:1px solid #e5e7eb}a{color:#2563eb;text-decoration:none}</style>
</head><body>
<nav class="flex h-16 items-center px-4"><a href="/">🤗 Fixture Hub</a> ${signedIn ? '<span data-signed-in>signed in</span>' : '<a href="/login">Log In</a>'}</nav>
${header}
<main><section class="pt-8 border-gray-100">
${view === 'blob' ? '<p>File view</p>' : ''}
${tree}
${last}
</section></main>
${moreScript}
${script ? `<script>${script}</script>` : ''}
</body></html>`;
}

export function notFoundPage(message = 'Repository not found') {
  return `<!doctype html><html><head><meta charset="utf-8"><title>404</title></head><body><h1>404</h1><p>${esc(message)}</p></body></html>`;
}

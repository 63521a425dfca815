// Hub-like listing pages and the listing API: an organisation (or user) page `/{owner}` and search
// results `/models?author=…&search=…`, each entry an `<article>` card linking `/{owner}/{name}`
// inside a Svelte island, with Tailwind-like classes we must not rely on; and
// `GET /api/{models|datasets}?author=…&search=…&limit=…&expand[]=siblings&expand[]=sha`.

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Repos of `kind` matching a listing query, in the hub's order (here: by id). */
export function listed(repos, { kind = 'model', author, search, limit = 1000 } = {}) {
  return repos
    .filter((r) => r.kind === kind && (!author || r.id.split('/')[0] === author) && (!search || r.id.toLowerCase().includes(search.toLowerCase())))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}

/** The API's answer with expand[]=siblings&expand[]=sha: id, head commit and file names per repo. */
export function listingAnswer(repos) {
  return repos.map((r) => {
    const head = r.branches.get(r.defaultBranch ?? 'main');
    return { _id: r.id, id: r.id, sha: head, siblings: r.commits.get(head).files.map((f) => ({ rfilename: f.path })) };
  });
}

export function listingPage({ title, entries, kind = 'model', script = '' }) {
  const prefix = kind === 'dataset' ? '/datasets/' : '/';
  const cards = entries
    .map(
      (r) => `<article class="overview-card-wrapper group/repo flex flex-col rounded-lg border border-gray-100 bg-gradient-to-r p-2 hover:shadow-sm">
  <a class="block p-2" href="${prefix}${esc(r.id)}"><header class="flex items-center mb-0.5" title="${esc(r.id)}"><h4 class="text-md truncate font-mono text-black">${esc(r.id)}</h4></header>
  <div class="mr-1 flex items-center overflow-hidden whitespace-nowrap text-sm leading-tight text-gray-400"><span>Text Generation</span> • <span>Updated 3 days ago</span></div></a>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html class=""><head><meta charset="utf-8"><title>${esc(title)} · Fixture Hub</title>
<style>body{font-family:system-ui,sans-serif;margin:0;color:#111}.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px;max-width:960px;margin:16px auto}
article{border:1px solid #e5e7eb;border-radius:8px;padding:8px}a{color:#111;text-decoration:none}h4{margin:0;font-family:monospace}</style>
</head><body>
<nav class="flex h-16 items-center px-4"><a href="/">🤗 Fixture Hub</a></nav>
<main><h1 class="text-lg">${esc(title)}</h1>
<div class="SVELTE_HYDRATER contents" data-target="ModelList" data-props="${esc(JSON.stringify({ total: entries.length }))}"><div class="grid grid-cols-1 gap-5 xl:grid-cols-2">
${cards}
</div></div></main>
${script ? `<script>${script}</script>` : ''}
</body></html>`;
}

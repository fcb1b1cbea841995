// The README packed into the .vsix: the repository README with the screenshots the end-to-end
// tests took (test-results/screenshots/, never committed) in place of its marker comment, as
// data: URLs (VS Code's extension page allows only https: and data: images, and the files are not
// at any https address), and the other relative links pointed at the repository (what vsce would
// do, which it cannot do here without also rewriting the images).

/** Screenshots shown in the .vsix README, by test-results/screenshots/ name. */
export const SHOTS = [
  {
    file: 'editor-quick-fix-menu.png',
    alt: 'memory: 128m squiggled as 0.128 bytes, with the quick fix "Change to 128Mi"',
  },
  {
    file: 'editor-hover-qos.png',
    alt: 'Hover on resources: QoS class Guaranteed, oom_score_adj -997 and what node memory pressure does to this pod',
  },
  {
    file: 'e2e-analyze-node-memory.png',
    alt: 'Analyze Node Memory beside the manifest: pressure over time, the thrashing phase shaded, the system OOM marked',
  },
];

export const MARKER = '<!-- vsix-screenshots -->';

/**
 * `readme` with every relative link made absolute against `repoUrl` (…/blob/HEAD/, images
 * …/raw/HEAD/), then `MARKER` replaced by the screenshots found: `pngs` maps a file name of
 * SHOTS to its bytes (Buffer or Uint8Array); missing ones are left out.
 */
export function marketplaceReadme(readme, pngs, repoUrl) {
  const base = repoUrl.replace(/\.git$/, '').replace(/\/$/, '');
  const linked = readme.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, text, href) => {
    if (/^[a-z]+:|^#|^\/\//i.test(href)) return all;
    return `${bang}[${text}](${base}/${bang ? 'raw' : 'blob'}/HEAD/${href.replace(/^\.\//, '')})`;
  });
  const shots = SHOTS.filter((s) => pngs.has(s.file))
    .map((s) => `![${s.alt}](data:image/png;base64,${Buffer.from(pngs.get(s.file)).toString('base64')})`)
    .join('\n\n');
  return linked.replace(MARKER, shots);
}

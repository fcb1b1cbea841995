// The README packed into the .vsix: the repository README with the screenshots the end-to-end
// tests took (test-results/screenshots/, never committed) in place of its marker comment, image
// paths relative to the extension folder (VS Code shows them from the installed extension), and
// the other relative links pointed at the repository (what vsce would do, which it cannot do here
// without also rewriting the image paths).

/** Screenshots shown in the .vsix README, by test-results/screenshots/ name. */
export const SHOTS = [
  { file: 'editor-quick-fix-menu.png', alt: 'memory: 128m squiggled as 0.128 bytes, with the quick fix "Change to 128Mi"' },
  { file: 'editor-hover-qos.png', alt: 'Hover on resources: QoS class Guaranteed, oom_score_adj -997 and what node memory pressure does to this pod' },
  { file: 'e2e-analyze-node-memory.png', alt: 'Analyze Node Memory beside the manifest: pressure over time, the thrashing phase shaded, the system OOM marked' },
];

export const MARKER = '<!-- vsix-screenshots -->';

/**
 * `readme` with `MARKER` replaced by the screenshots in `present` (file names), and every
 * relative link that is not a screenshot made absolute against `repoUrl` (…/blob/HEAD/).
 */
export function marketplaceReadme(readme, present, repoUrl) {
  const shots = SHOTS.filter((s) => present.includes(s.file))
    .map((s) => `![${s.alt}](media/screenshots/${s.file})`)
    .join('\n\n');
  const withShots = readme.replace(MARKER, shots);
  const base = repoUrl.replace(/\.git$/, '').replace(/\/$/, '');
  return withShots.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, text, href) => {
    if (/^[a-z]+:|^#|^\/\//i.test(href) || href.startsWith('media/screenshots/')) return all;
    return `${bang}[${text}](${base}/${bang ? 'raw' : 'blob'}/HEAD/${href.replace(/^\.\//, '')})`;
  });
}

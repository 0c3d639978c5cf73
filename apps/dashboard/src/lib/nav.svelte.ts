/** Hash-based navigation (#/leaderboard, #/policy …): works from any static file server. */
export const pages = [
  { id: 'leaderboard', label: 'Leaderboard' },
  { id: 'tradeoffs', label: 'Tradeoffs' },
  { id: 'datasets', label: 'Datasets' },
  { id: 'policy', label: 'Policy' },
  { id: 'playground', label: 'Playground' },
  { id: 'routes', label: 'Routes' },
  { id: 'jobs', label: 'Jobs' },
] as const;
export type PageId = (typeof pages)[number]['id'];

function fromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '').split('?')[0];
  return pages.some((page) => page.id === id) ? (id as PageId) : 'leaderboard';
}

export class Navigation {
  current = $state<PageId>('leaderboard');

  constructor() {
    if (typeof window !== 'undefined') {
      this.current = fromHash(window.location.hash);
      window.addEventListener('hashchange', () => (this.current = fromHash(window.location.hash)));
    }
  }

  go(id: PageId): void {
    this.current = id;
    if (typeof window !== 'undefined' && fromHash(window.location.hash) !== id) window.location.hash = `#/${id}`;
  }
}

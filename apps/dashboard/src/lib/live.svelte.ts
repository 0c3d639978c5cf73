import type { LiveEvent } from './types';

type Listener = (event: LiveEvent) => void;

/**
 * One EventSource to /api/live for the whole dashboard; pages subscribe to event types
 * and refresh what they show. The browser reconnects on its own after a drop.
 */
export class LiveFeed {
  connected = $state(false);
  lastEventAt = $state<string | null>(null);
  private source: EventSource | undefined;
  private readonly listeners = new Set<Listener>();

  start(): void {
    if (this.source || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/live', { withCredentials: true });
    this.source = source;
    source.onopen = () => (this.connected = true);
    source.onerror = () => (this.connected = false);
    source.onmessage = (message: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      this.connected = true;
      this.lastEventAt = new Date().toISOString();
      this.dispatch(event);
    };
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
    this.connected = false;
  }

  /** Deliver an event to subscribers (also used by tests). */
  dispatch(event: LiveEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Subscribe to some event types; returns the unsubscribe function (use it in $effect cleanup). */
  on(types: ReadonlyArray<LiveEvent['type']>, listener: Listener): () => void {
    const filtered: Listener = (event) => {
      if (types.includes(event.type)) listener(event);
    };
    this.listeners.add(filtered);
    return () => this.listeners.delete(filtered);
  }
}

export const live = new LiveFeed();

/** Call `refresh` (debounced) whenever one of `types` arrives; returns the cleanup for $effect. */
export function refreshOn(types: ReadonlyArray<LiveEvent['type']>, refresh: () => void, delayMs = 1500): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = live.on(types, () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      refresh();
    }, delayMs);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}

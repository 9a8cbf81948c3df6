import type { LayerKey } from './modes.ts';

/**
 * This wall's own choice of optional map layers, from `?layers=` on its URL (a wall set up for one purpose, or a
 * test). It overrides the choice the consoles make for every wall (`layers.changed` in the log), which in turn
 * overrides the mode's defaults.
 */
export class LayerSwitches {
  chosen = $state.raw<ReadonlySet<LayerKey> | null>(null);

  constructor(initial: ReadonlySet<LayerKey> | null = null) {
    this.chosen = initial;
  }

  /** Shows exactly these layers. */
  choose(keys: Iterable<LayerKey>): void {
    // Replaced whole ($state.raw), never mutated: a plain set is what the switch compares.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.chosen = new Set(keys);
  }

  /** Back to the consoles' choice, or the mode's defaults. */
  clear(): void {
    this.chosen = null;
  }
}

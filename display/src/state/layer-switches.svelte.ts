import { LAYER_KEYS, modeProfile, type LayerKey } from './modes.ts';

/**
 * Which optional map layers are on. Until someone chooses (the console, or `?layers=` on the wall's URL), the
 * mode's defaults apply and follow every mode switch; a choice holds until it is cleared.
 */
export class LayerSwitches {
  chosen = $state.raw<ReadonlySet<LayerKey> | null>(null);

  constructor(initial: ReadonlySet<LayerKey> | null = null) {
    this.chosen = initial;
  }

  /** Shows exactly these layers. */
  choose(keys: Iterable<LayerKey>): void {
    this.chosen = new Set(keys);
  }

  /** Flips one layer, starting from what `mode` shows now. */
  toggle(key: LayerKey, mode: string): void {
    const on = new Set(this.chosen ?? modeProfile(mode).layers);
    if (on.has(key)) on.delete(key);
    else on.add(key);
    this.chosen = new Set(LAYER_KEYS.filter((k) => on.has(k)));
  }

  /** Back to the mode's defaults. */
  clear(): void {
    this.chosen = null;
  }
}

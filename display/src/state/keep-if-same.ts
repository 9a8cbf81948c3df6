/**
 * A derivation that returns its previous array while the new one holds the same items in the same order. Entities
 * are replaced, never mutated, when they change, so "the same objects" means "nothing changed": deck.gl then sees
 * the same data array and re-uploads nothing, and Svelte's deriveds downstream do not re-run.
 */
export function keepIfSame<T>(next: () => T[]): () => T[] {
  let prev: T[] = [];
  return () => {
    const now = next();
    if (now.length === prev.length && now.every((x, i) => x === prev[i])) return prev;
    prev = now;
    return now;
  };
}

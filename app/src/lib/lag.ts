/// Slot length the lag estimate assumes (Solana's target, and the local network's slot_time_ms).
export const SLOT_MS = 400;

/// How far the indexer trails the node, in whole seconds; null when the node's slot is unknown.
export function lagSeconds(chainSlot: number | null, indexedSlot: number): number | null {
  if (chainSlot === null) return null;
  return Math.round((Math.max(0, chainSlot - indexedSlot) * SLOT_MS) / 1000);
}

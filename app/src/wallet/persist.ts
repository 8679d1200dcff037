// The chosen wallet and account, kept across visits so the app reconnects silently.

const KEY = 'io.wallet';

export type Saved = { wallet: string; address: string | null };

export function loadSaved(storage: Pick<Storage, 'getItem'> = localStorage): Saved | null {
  try {
    const v = JSON.parse(storage.getItem(KEY) ?? 'null') as Saved | null;
    return v && typeof v.wallet === 'string' ? { wallet: v.wallet, address: typeof v.address === 'string' ? v.address : null } : null;
  } catch {
    return null;
  }
}

export function save(v: Saved | null, storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage): void {
  try {
    if (v) storage.setItem(KEY, JSON.stringify(v));
    else storage.removeItem(KEY);
  } catch {
    // Private mode without storage: the choice lasts for this visit only.
  }
}

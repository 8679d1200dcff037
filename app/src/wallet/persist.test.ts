import { describe, expect, it } from 'vitest';
import { loadSaved, save } from './persist';

// The remembered wallet choice, over a Map standing in for localStorage (same three methods).
const store = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
};

describe('persisted wallet choice', () => {
  it('round-trips the wallet name and account address', () => {
    const s = store();
    save({ wallet: 'Phantom', address: 'Abc' }, s);
    expect(loadSaved(s)).toEqual({ wallet: 'Phantom', address: 'Abc' });
    save(null, s);
    expect(loadSaved(s)).toBeNull();
  });
  it('ignores what it did not write', () => {
    const s = store();
    s.setItem('io.wallet', '{not json');
    expect(loadSaved(s)).toBeNull();
    s.setItem('io.wallet', JSON.stringify({ wallet: 5 }));
    expect(loadSaved(s)).toBeNull();
    s.setItem('io.wallet', JSON.stringify({ wallet: 'X', address: 7 }));
    expect(loadSaved(s)).toEqual({ wallet: 'X', address: null });
  });
});

/// "AbCd…WxYz": enough to recognise an address; the full one is in a title or the account menu.
export function shortAddress(a: string): string {
  return a.length > 10 ? `${a.slice(0, 4)}…${a.slice(-4)}` : a;
}

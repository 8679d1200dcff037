// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Leases() {
  return (
    <section>
      <h1>Leases</h1>
    </section>
  );
}

// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Lease() {
  return (
    <section>
      <h1>Lease</h1>
    </section>
  );
}

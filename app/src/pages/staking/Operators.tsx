// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Operators() {
  return (
    <section>
      <h1>Operators</h1>
    </section>
  );
}

// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Operator() {
  return (
    <section>
      <h1>Operator</h1>
    </section>
  );
}

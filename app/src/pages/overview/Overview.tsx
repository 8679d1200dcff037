// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Overview() {
  return (
    <section>
      <h1>Overview</h1>
    </section>
  );
}

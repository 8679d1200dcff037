// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Portfolio() {
  return (
    <section>
      <h1>Portfolio</h1>
    </section>
  );
}

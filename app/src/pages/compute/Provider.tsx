// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Provider() {
  return (
    <section>
      <h1>Provider</h1>
    </section>
  );
}

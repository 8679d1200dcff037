// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function LeaseNew() {
  return (
    <section>
      <h1>New lease</h1>
    </section>
  );
}

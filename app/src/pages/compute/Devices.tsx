// Placeholder until its part lands: the route exists so navigation and tests can find it.
export default function Devices() {
  return (
    <section>
      <h1>Devices</h1>
    </section>
  );
}

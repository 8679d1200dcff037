// Devices nearest first (`/v1/devices?near=`), filtered by green power, class, GPU model and
// availability; devices chosen here go to the new-lease page.
import { useState } from 'react';
import { Link } from 'react-router';
import { DEVICE_CLASSES, classLabel } from '../../components/compute/classes';
import DeviceTable from '../../components/compute/DeviceTable';
import { useMints } from '../../components/compute/mints';
import { Loading, Problem } from '../../components/compute/Problem';
import { REGIONS, browserRegion } from '../../components/compute/region';
import { useDevicePages, type DeviceFilter } from '../../components/compute/useDevicePages';
import '../../components/compute/compute.css';

export default function Devices() {
  const [filter, setFilter] = useState<DeviceFilter>(() => ({
    near: browserRegion(),
    green: false,
    class: '',
    gpuModel: '',
    availability: '',
  }));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const mints = useMints();
  const q = useDevicePages(filter);
  const rows = q.data?.pages.flatMap((p) => p.data) ?? [];
  const set = (patch: Partial<DeviceFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const toggle = (a: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(a)) n.delete(a);
      else if (n.size < 8) n.add(a);
      return n;
    });
  return (
    <section className="compute-page">
      <h1>Devices</h1>
      <form className="row" aria-label="Device filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Near
          <select value={filter.near} onChange={(e) => set({ near: e.target.value })}>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Class
          <select value={filter.class} onChange={(e) => set({ class: e.target.value })}>
            <option value="">Any class</option>
            {DEVICE_CLASSES.map((c) => (
              <option key={c} value={c}>
                {classLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          GPU model
          <input
            type="search"
            value={filter.gpuModel}
            placeholder="e.g. NVIDIA RTX 4090"
            onChange={(e) => set({ gpuModel: e.target.value })}
          />
        </label>
        <label>
          Availability
          <select value={filter.availability} onChange={(e) => set({ availability: e.target.value })}>
            <option value="">Any</option>
            <option value="available">Available</option>
            <option value="leased">Leased</option>
            <option value="unlisted">Not offered</option>
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={filter.green} onChange={(e) => set({ green: e.target.checked })} />
          Green energy only
        </label>
      </form>
      <div className="row" role="group" aria-label="Selection">
        <p role="status">
          {selected.size === 0
            ? 'Select up to 8 available devices to lease them together.'
            : `${selected.size} device${selected.size === 1 ? '' : 's'} selected.`}
        </p>
        {selected.size > 0 ? (
          <>
            <Link className="button" to={`/leases/new?devices=${[...selected].join(',')}`}>
              Lease selected devices
            </Link>
            <button type="button" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </>
        ) : null}
      </div>
      {q.isPending ? (
        <Loading what="devices" />
      ) : q.isError ? (
        <Problem error={q.error} what="devices" />
      ) : rows.length === 0 ? (
        <p role="status">No device matches these filters.</p>
      ) : (
        <>
          <DeviceTable
            rows={rows}
            mints={mints}
            caption={`Devices nearest to ${filter.near} first`}
            selected={selected}
            onToggle={toggle}
            showDistance
          />
          {q.hasNextPage ? (
            <button type="button" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
              {q.isFetchingNextPage ? 'Loading…' : 'Load more devices'}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

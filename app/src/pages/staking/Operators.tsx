import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useOperators } from '../../api/hooks';
import type { OperatorsParams } from '../../api/indexer';
import type { OperatorRow } from '../../api/rows';
import { CommissionChangeBadge, OperatorStatusBadge } from '../../components/OperatorBadges';
import { useConfig } from '../../config';
import { formatAmount, formatBps } from '../../lib/amount';
import { shortAddress } from '../../lib/address';
import { TableWrap } from '../../components/TableWrap';

// Operators: a sortable, filterable table paged by the indexer (it stays fast with 10,000
// operators because only one page is ever fetched). Sorting, filters and the page are query
// parameters; the indexer answers with the filtered total, so pages are numbered.

type SortKey = NonNullable<OperatorsParams['sort']>;

const COLUMNS: { key: SortKey | null; label: string; num?: boolean }[] = [
  { key: null, label: 'Operator' },
  { key: 'gpus', label: 'GPUs', num: true },
  { key: 'stake', label: 'Stake', num: true },
  { key: null, label: 'Self-bond', num: true },
  { key: 'commission', label: 'Commission', num: true },
  { key: 'uptime', label: 'Uptime', num: true },
  { key: 'apy', label: 'Est. net APY', num: true },
  { key: null, label: 'Status' },
  { key: null, label: 'Slashes', num: true },
];

/// The order a column sorts in first: largest first, except commission (lowest first is best).
const firstOrder = (k: SortKey): 'asc' | 'desc' => (k === 'commission' ? 'asc' : 'desc');

export default function Operators() {
  const { mints } = useConfig();
  const [sort, setSort] = useState<SortKey>('stake');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [gpu, setGpu] = useState('');
  const [minUptime, setMinUptime] = useState('');
  const [maxCommission, setMaxCommission] = useState('');
  const [status, setStatus] = useState('');
  const [limit, setLimit] = useState(25);
  const [page, setPage] = useState(0);

  // Search as you type, one request per pause.
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);
  // Any change of sort or filter starts from the first page.
  useEffect(() => setPage(0), [sort, order, q, gpu, minUptime, maxCommission, status, limit]);

  const pct = (v: string) => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Math.round(Number(v) * 100));
  const params: OperatorsParams = {
    // The indexer's default order is each sort's natural one; only a reversed order is sent.
    sort,
    ...(order !== firstOrder(sort) ? { order } : {}),
    q: q || undefined,
    gpu_model: gpu.trim() || undefined,
    min_uptime: pct(minUptime),
    max_commission: pct(maxCommission),
    status: status || undefined,
    limit,
    offset: page > 0 ? page * limit : undefined,
  };
  const res = useOperators(params);
  const rows = res.data?.data ?? [];
  const total = typeof res.data?.raw.total === 'number' ? res.data.raw.total : null;
  const pages = total === null ? null : Math.max(1, Math.ceil(total / limit));
  const hasNext = pages === null ? !!res.data?.nextCursor : page + 1 < pages;

  const sortBy = (k: SortKey) => {
    if (k === sort) setOrder((o) => (o === 'asc' ? 'desc' : 'asc'));
    else {
      setSort(k);
      setOrder(firstOrder(k));
    }
  };

  return (
    <section>
      <h1>Operators</h1>
      <p className="muted">
        Stake $IO with an operator to share its rewards after its commission. Est. net APY is an estimate from recent
        reward periods, after commission — not a promise.
      </p>
      <form className="filters" role="search" aria-label="Filter operators" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or address" />
        </label>
        <label>
          GPU model
          <input value={gpu} onChange={(e) => setGpu(e.target.value)} placeholder="e.g. H100" />
        </label>
        <label>
          Min uptime (%)
          <input inputMode="decimal" value={minUptime} onChange={(e) => setMinUptime(e.target.value)} />
        </label>
        <label>
          Max commission (%)
          <input inputMode="decimal" value={maxCommission} onChange={(e) => setMaxCommission(e.target.value)} />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="jailed">Jailed</option>
            <option value="exiting">Exiting</option>
            <option value="inactive">Inactive</option>
          </select>
        </label>
      </form>

      {res.isError && (
        <p role="alert" className="error">
          Could not load operators: {(res.error as Error).message}
        </p>
      )}
      <TableWrap label="Operators table">
        <table aria-busy={res.isFetching}>
          <caption className="sr-only">Operators, sorted by {sort} {order === 'asc' ? 'ascending' : 'descending'}</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.label}
                  scope="col"
                  className={c.num ? 'num' : undefined}
                  aria-sort={c.key && c.key === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {c.key ? (
                    <button type="button" className="sort" onClick={() => sortBy(c.key!)}>
                      {c.label}
                      {c.key === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((op) => (
              <OperatorTableRow key={op.address} op={op} decimals={mints.io.decimals} />
            ))}
          </tbody>
        </table>
      </TableWrap>
      {res.isPending && <p role="status">Loading operators…</p>}
      {res.isSuccess && rows.length === 0 && <p role="status">No operator matches these filters.</p>}
      <div className="pager">
        <button type="button" disabled={page === 0} onClick={() => setPage((n) => Math.max(0, n - 1))}>
          Previous page
        </button>
        <span role="status">
          Page {page + 1}
          {pages !== null ? ` of ${pages}` : ''}
          {total !== null ? ` · ${total} operator${total === 1 ? '' : 's'}` : ''}
        </span>
        <button type="button" disabled={!hasNext || res.isPlaceholderData} onClick={() => setPage((n) => n + 1)}>
          Next page
        </button>
        <label>
          Rows per page
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {[25, 50, 100].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}

function OperatorTableRow({ op, decimals }: { op: OperatorRow; decimals: number }) {
  const amount = (v: bigint | null) => (v === null ? '—' : `${formatAmount(v, decimals, { maxFraction: 0 })} IO`);
  const name = op.name ?? shortAddress(op.address);
  return (
    <tr>
      <th scope="row">
        <Link to={`/operators/${op.address}`}>{name}</Link>
        <div className="muted mono hide-narrow" title={op.address}>
          {shortAddress(op.address)}
          {op.region ? ` · ${op.region}` : ''}
        </div>
      </th>
      <td className="num">
        {op.gpusActive ?? '—'}
        {op.gpuModels.length > 0 && <div className="muted">{op.gpuModels.join(', ')}</div>}
      </td>
      <td className="num">{amount(op.stake)}</td>
      <td className="num">{amount(op.bond)}</td>
      <td className="num">
        {op.commissionBps === null ? '—' : formatBps(op.commissionBps)} <CommissionChangeBadge op={op} />
      </td>
      <td className="num">{op.uptimeBps === null ? '—' : formatBps(op.uptimeBps)}</td>
      <td className="num">{op.estNetApyBps === null ? '—' : `≈ ${formatBps(op.estNetApyBps)}`}</td>
      <td>
        <OperatorStatusBadge status={op.status} />
      </td>
      <td className="num">{op.slashCount ?? '—'}</td>
      <td>
        <Link className="button" to={`/operators/${op.address}#stake`}>
          Stake<span className="sr-only"> with {name}</span>
        </Link>
      </td>
    </tr>
  );
}

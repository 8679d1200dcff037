// The network at a glance: figures first (one request, `/v1/network`), then the history charts,
// whose recharts code loads lazily so the first paint does not wait for it.
import { useIndexer, useChainNow } from '../../components/compute/api';
import Figures from '../../components/compute/Figures';
import { Loading, Problem } from '../../components/compute/Problem';
import type { NetworkFigures } from '../../components/compute/types';
import { showAmount, showBps, showCount } from '../../components/compute/units';
import { useConnectedAddress } from '../../components/compute/wallet';
import '../../components/compute/compute.css';
import MyStake from './MyStake';
import NetworkCharts from './NetworkCharts';
import { TableWrap } from '../../components/TableWrap';
import FigureProof, { type ProofLinks } from '../../components/overview/FigureProof';
import { parseProofs } from '../../components/overview/proof';
import { useConfig } from '../../config';

/// A figure of the network response's `overview` block (30-day burn, median APY: computed by the
/// indexer with io-sdk), or null when this indexer does not serve it.
function overview(n: NetworkFigures, name: string): unknown {
  const o = n.overview as Record<string, unknown> | undefined;
  return o?.[name] ?? null;
}

export default function Overview() {
  const q = useIndexer<NetworkFigures>('/v1/network');
  const address = useConnectedAddress();
  const now = useChainNow();
  const n = q.data?.data;
  const dec = n?.supply.decimals ?? null;
  const io = (v: unknown) => (dec === null ? '—' : showAmount(v, dec, 'IO', 0));
  const apy = n ? overview(n, 'median_net_apy_bps') : null;
  const config = useConfig();
  const links: ProofLinks = { indexerUrl: config.indexerUrl, cluster: config.cluster, explorerRpc: config.explorerRpc ?? config.rpcUrl };
  // Beside each headline figure, where to recompute it (the indexer's `overview.proofs`).
  const proofs = parseProofs(n);
  const withProof = (value: string, key: string, name: string) => (
    <>
      {value}
      <FigureProof figure={name} proof={proofs[key]} links={links} />
    </>
  );
  return (
    <section className="compute-page">
      <h1>Overview</h1>
      {q.isPending ? (
        <Loading what="network figures" />
      ) : q.isError ? (
        <Problem error={q.error} what="network figures" />
      ) : (
        <>
          <Figures
            label="Network"
            items={[
              { label: 'Total staked', value: withProof(io(n!.operators.stake), 'staked', 'total staked') },
              {
                label: 'Operators',
                value: withProof(showCount(n!.operators.total), 'operators', 'operators'),
                hint: `${showCount(n!.operators.active)} with active devices`,
              },
              {
                label: 'Attested devices',
                value: withProof(showCount(n!.devices.active), 'devices_attested', 'attested devices'),
                hint: `${showCount(n!.devices.green_active)} green`,
              },
              { label: 'GPUs', value: withProof(showCount(n!.devices.gpus_active), 'gpus_attested', 'GPUs') },
              { label: 'Active leases', value: withProof(showCount(n!.leases.open), 'active_leases', 'active leases') },
              { label: '30-day burn', value: withProof(io(overview(n!, 'burned_30d')), 'burned_30d', '30-day burn') },
              {
                label: 'Median est. net APY',
                value: withProof(apy === null ? '—' : showBps(apy), 'median_net_apy_bps', 'median est. net APY'),
                hint: 'an estimate: the latest rewards after commission, per year, over the stake',
              },
            ]}
          />
          <h2>Supply</h2>
          <Figures
            label="Supply"
            items={[
              { label: 'Circulating', value: io(n!.supply.circulating) },
              { label: 'Burned', value: io(n!.supply.total_burned) },
              { label: 'Emitted', value: io(n!.supply.emitted) },
              { label: 'Total supply', value: io(n!.supply.supply) },
              { label: 'Burned by lease fees', value: io(n!.supply.burned_lease_fee) },
              { label: 'Burned by buybacks', value: io(n!.supply.burned_buyback) },
              { label: 'Burned by slashes', value: io(n!.supply.burned_slash) },
            ]}
          />
          <h2>Devices and GPUs by class</h2>
          <FigureProof figure="devices and GPUs by class" proof={proofs.by_class} links={links} />
          <TableWrap label="Attested (active) devices and their GPUs, by hardware class">
            <table>
              <caption>Attested (active) devices and their GPUs, by hardware class</caption>
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col">Devices</th>
                  <th scope="col">GPUs</th>
                </tr>
              </thead>
              <tbody>
                {n!.devices_by_class.map((c) => (
                  <tr key={c.class ?? 'unknown'}>
                    <th scope="row">{(c.class ?? 'unknown').replace(/_/g, ' ')}</th>
                    <td>{showCount(c.devices)}</td>
                    <td>{showCount(c.gpus)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      {address && dec !== null ? (
        <>
          <h2>My stake</h2>
          <MyStake address={address} decimals={dec} now={now} />
        </>
      ) : null}
      <h2>History</h2>
      {dec !== null ? <NetworkCharts decimals={dec} /> : q.isError ? null : <Loading what="network history" />}
    </section>
  );
}

import { NavLink, Outlet } from 'react-router';
import { Toaster } from 'sonner';
import { WalletButton } from '../wallet/WalletButton';
import { ClusterBadge } from './ClusterBadge';
import { IndexerLagBadge } from './IndexerLagBadge';
import { LowSolBadge } from './LowSolBadge';

// The page frame: skip link, header with navigation, cluster and indexer badges and the wallet
// control, the page itself in <main>, and the toast region.

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/operators', label: 'Operators' },
  { to: '/portfolio', label: 'Portfolio' },
  { to: '/devices', label: 'Devices' },
  { to: '/leases', label: 'Leases' },
];

export function Layout() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="brand">
          <span aria-hidden="true" className="logo">
            ◆
          </span>{' '}
          IO Compute
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.end}>
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <ClusterBadge />
          <IndexerLagBadge />
          <LowSolBadge />
          <WalletButton />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <Toaster position="bottom-right" closeButton richColors containerAriaLabel="Notifications" />
    </>
  );
}

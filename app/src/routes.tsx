import type { RouteObject } from 'react-router';
import Overview from './pages/overview/Overview';
import Operators from './pages/staking/Operators';
import Operator from './pages/staking/Operator';
import Portfolio from './pages/staking/Portfolio';
import Devices from './pages/compute/Devices';
import Leases from './pages/compute/Leases';
import LeaseNew from './pages/compute/LeaseNew';
import Lease from './pages/compute/Lease';
import Provider from './pages/compute/Provider';

/// Every page of the app. The staking pages (operators, operator, portfolio) and the app shell
/// are one area; overview, devices, leases and provider pages another (see app/README.md).
/// Pages are plain imports: the first page must paint without a second round trip for its code,
/// and the whole app stays inside the first-page budget (≤ 300 kB gzipped).
export const pages: RouteObject[] = [
  { index: true, element: <Overview /> },
  { path: 'operators', element: <Operators /> },
  { path: 'operators/:address', element: <Operator /> },
  { path: 'portfolio', element: <Portfolio /> },
  { path: 'devices', element: <Devices /> },
  { path: 'leases', element: <Leases /> },
  { path: 'leases/new', element: <LeaseNew /> },
  { path: 'leases/:address', element: <Lease /> },
  { path: 'providers/:address', element: <Provider /> },
];

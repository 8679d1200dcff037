import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import Overview from './pages/overview/Overview';

/// Every page of the app. The staking pages (operators, operator, portfolio) and the app shell
/// are one area; overview, devices, leases and provider pages another (see app/README.md).
/// The overview (the first page) is a plain import so it paints without a second round trip;
/// every other page is its own chunk, loaded on navigation, which keeps the first page's
/// JavaScript inside its budget (≤ 300 kB gzipped) as pages and charts grow.
const page = (load: () => Promise<{ default: ComponentType }>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

export const pages: RouteObject[] = [
  { index: true, element: <Overview /> },
  { path: 'operators', ...page(() => import('./pages/staking/Operators')) },
  { path: 'operators/:address', ...page(() => import('./pages/staking/Operator')) },
  { path: 'portfolio', ...page(() => import('./pages/staking/Portfolio')) },
  { path: 'devices', ...page(() => import('./pages/compute/Devices')) },
  { path: 'leases', ...page(() => import('./pages/compute/Leases')) },
  { path: 'leases/new', ...page(() => import('./pages/compute/LeaseNew')) },
  { path: 'leases/:address', ...page(() => import('./pages/compute/Lease')) },
  { path: 'providers/:address', ...page(() => import('./pages/compute/Provider')) },
];

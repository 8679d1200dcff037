import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ConfigContext, loadConfig, type AppConfig } from './config';
import { Layout } from './components/Layout';
import { pages } from './routes';
import { explainProgramError } from './lib/programErrors';
import { setExplainer } from './tx/explain';
import { RpcContext, makeRpc } from './tx/rpc';
import { WalletProvider } from './wallet/WalletProvider';
import './styles.css';

// Start-up: read /config.json (cluster, RPC, indexer, mints, programs), then render the app
// inside its providers. A missing or malformed config is shown, not swallowed.

// Program errors in the programs' own words (the IDLs' error tables, generated).
setExplainer(explainProgramError);

const root = createRoot(document.getElementById('root')!);

function start(config: AppConfig) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { staleTime: 15_000, refetchOnWindowFocus: true, retry: 1 } },
  });
  const rpc = makeRpc(config.rpcUrl);
  const router = createBrowserRouter([{ path: '/', element: <Layout />, children: pages }]);
  root.render(
    <StrictMode>
      <ConfigContext.Provider value={config}>
        <RpcContext.Provider value={rpc}>
          <QueryClientProvider client={queryClient}>
            <WalletProvider>
              <RouterProvider router={router} />
            </WalletProvider>
          </QueryClientProvider>
        </RpcContext.Provider>
      </ConfigContext.Provider>
    </StrictMode>,
  );
}

loadConfig().then(start, (e: Error) => {
  root.render(
    <main id="main">
      <h1>IO Compute</h1>
      <p role="alert">The app could not load its configuration: {e.message}</p>
    </main>,
  );
});

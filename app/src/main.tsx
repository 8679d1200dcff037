import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import { pages } from './routes';

// The app shell (layout, wallet, config, query client) replaces this Outlet-only root.
const router = createBrowserRouter([{ path: '/', element: <Outlet />, children: pages }]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);

/** Renderer entry: pick the bridge (Electron preload or WebSocket to `dapper serve`), start Monaco, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setBridge } from './bridge/bridgeAccess';
import { createWebSocketBridge } from './bridge/webSocketBridge';
import { setUpMonaco } from './editor/monacoSetup';
import { loadHostState } from './bootstrap';
import { App } from './components/App';
import './styles.css';
import './workspace.css';

setBridge(window.dapper ?? createWebSocketBridge());
setUpMonaco();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void loadHostState();

// Starts the graph webview: styles (React Flow's base, codicons, ours) and the React root.
import '@xyflow/react/dist/base.css';
import '@vscode/codicons/dist/codicon.css';
import '../styles.css';
import './elements';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);

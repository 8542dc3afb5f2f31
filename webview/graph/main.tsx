// Entry of the graph webview's bundle.
import './app/boot';

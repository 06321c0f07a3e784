/** Entry point: styles, theme, and the app mounted into #app. */
import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { render } from 'preact';
import { App } from './app.js';
import { applyTheme, initialTheme } from './theme/theme.js';

applyTheme(initialTheme());
const root = document.getElementById('app');
if (root) render(<App />, root);

// Stylesheets imported for their side effect; esbuild bundles them into dist/app.css.
declare module '*.css';

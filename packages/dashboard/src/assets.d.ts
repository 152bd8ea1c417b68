// Vite bundles the stylesheet main.ts imports; TypeScript only needs to know the import is allowed.
declare module '*.css';

// The services a route uses are built below HTTP (src/services.ts), which knows every layer.
export type { Services } from '../services.js';

// The routes' services, defined below http (src/services.ts) so the layers under it can name them.
export type { Services } from '../services.js';

// The credential types the layers above auth name (apps, access levels); the storage port
// stores them, HTTP sees them only through here.
export type { AccessLevel, AppRow, ClientType } from '../store/types.js';

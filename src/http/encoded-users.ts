// Encoded user objects shared by every request of this process (v1.1 and v2), bounded by bytes.
import { EncodedLru } from '../wire/encoded-lru.js';

export const ENCODED_USERS = new EncodedLru(64 * 1024 * 1024);
